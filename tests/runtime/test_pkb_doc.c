/*
 * tests/runtime/test_pkb_doc.c: docs/bytecode.md documents every opcode of
 * PKB_OPS with its number and every section of PKB_SECTIONS with its
 * entry size, so the document cannot drift from the one table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/pkb_format.h"
#include "tests/support/golden.h"
#include "tests/support/testmain.h"

static char *doc;

static int setup(void **state)
{
	(void)state;
	doc = pk_test_slurp("docs/bytecode.md");
	return doc ? 0 : -1;
}

PK_TEST_FIXTURE(teardown, free(doc))

static void assert_documented(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The document holds the text fmt formats, a `what` of the table. */
static void assert_documented(const char *what, const char *fmt, ...)
{
	char text[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!strstr(doc, text))
		fail_msg("docs/bytecode.md lacks the %s '%s'", what, text);
}

static void test_every_opcode_is_documented_with_its_value(void **state)
{
	(void)state;
	for (uint32_t op = 0; op < PKB_OP_COUNT; op++)
		assert_documented("opcode row starting", "| `%s` | %u |", pkb_op_name(op), op);
}

static void test_every_section_is_documented_with_its_entry_size(void **state)
{
	(void)state;
	for (uint32_t s = 0; s < PKB_SEC_COUNT; s++)
		assert_documented("section row", "| %u | %s | %u |", s, pkb_section_name(s), pkb_section_entsize(s));
}

static void test_every_field_is_documented(void **state)
{
	(void)state;
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++)
		assert_documented("CUT field", "%u %s", f, pkb_field_name(f));
}

PK_TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_every_opcode_is_documented_with_its_value),
	cmocka_unit_test(test_every_section_is_documented_with_its_entry_size),
	cmocka_unit_test(test_every_field_is_documented),
)
