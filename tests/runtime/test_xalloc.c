/*
 * tests/runtime/test_xalloc.c: the toolchain's allocation wrappers
 * (runtime/xalloc.c): sizes of 0, growth, optional strings, and the one report
 * of a failed allocation.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/xalloc.h"
#include "tests/support/testmain.h"

static void test_zero_sizes_return_memory_to_free(void **state)
{
	(void)state;
	void *a = pk_xmalloc(0), *b = pk_xcalloc(0, 8), *c = pk_xrealloc(NULL, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	free(a);
	free(b);
	free(c);
}

static void test_realloc_keeps_the_contents(void **state)
{
	(void)state;
	char *p = pk_xmalloc(4);
	memcpy(p, "wan", 4);
	p = pk_xrealloc(p, 1 << 20);
	assert_string_equal(p, "wan");
	free(p);
}

static void test_strdup_copies(void **state)
{
	(void)state;
	char *s = pk_xstrdup("lan0");
	assert_string_equal(s, "lan0");
	free(s);
}

static void test_strdup_of_null_is_null(void **state)
{
	(void)state;
	assert_null(pk_xstrdup(NULL));
}

static void test_oom_prints_the_size_and_aborts(void **state)
{
	(void)state;
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], STDERR_FILENO);
		pk_oom(12345);
	}
	close(fd[1]);
	char buf[128] = {0};
	ssize_t n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(n > 0);
	assert_string_equal(buf, "picket: out of memory allocating 12345 bytes\n");
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_zero_sizes_return_memory_to_free),
	cmocka_unit_test(test_realloc_keeps_the_contents),
	cmocka_unit_test(test_strdup_copies),
	cmocka_unit_test(test_strdup_of_null_is_null),
	cmocka_unit_test(test_oom_prints_the_size_and_aborts),
)
