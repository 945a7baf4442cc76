/*
 * tests/support/testmain.h: the main function of a unit test program, so
 * each test file ends with the list of its tests and nothing else, the
 * one-statement setups and teardowns, and the size of a table of cases.
 */
#ifndef PK_TESTS_TESTMAIN_H
#define PK_TESTS_TESTMAIN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

/* The number of entries of an array: a table of test cases. */
#define PK_NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A setup or teardown that runs one statement and succeeds. */
#define PK_TEST_FIXTURE(name, statement) \
	static int name(void **state)    \
	{                                \
		(void)state;             \
		statement;               \
		return 0;                \
	}

/* main runs the tests listed (cmocka_unit_test entries), in order. */
#define PK_TEST_MAIN(...) PK_TEST_MAIN_GROUP(NULL, NULL, __VA_ARGS__)

/* The same, with group_setup run before the tests and group_teardown
 * after them (either may be NULL). */
#define PK_TEST_MAIN_GROUP(group_setup, group_teardown, ...)                       \
	int main(void)                                                             \
	{                                                                          \
		const struct CMUnitTest tests[] = {__VA_ARGS__};                   \
		return cmocka_run_group_tests(tests, group_setup, group_teardown); \
	}

#endif
