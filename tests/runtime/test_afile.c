/*
 * tests/runtime/test_afile.c: output files are written whole or not at all
 * (runtime/afile.c), a device target stays a device, and a signal that
 * ends the program leaves no temporary file behind.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/afile.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

static char dir[64];
static char path[128]; /* the target, dir/out */

static void write_text(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_text(const char *file)
{
	static char buf[256];
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A new directory with the target in it, holding "old\n". */
static int make_target(void **state)
{
	(void)state;
	if (pk_test_mkdtemp(dir, sizeof(dir), "afile"))
		return -1;
	snprintf(path, sizeof(path), "%s/out", dir);
	write_text(path, "old\n");
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	return pk_test_rmtree(dir);
}

/* Entries in the directory other than . and .. */
static int entries(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", dir);
	return system(cmd) == 0 ? 1 : 0;
}

static void test_commit_replaces_the_target_whole(void **state)
{
	(void)state;
	struct pk_afile a;
	assert_int_equal(pk_afile_open(&a, path, 0644), 0);
	assert_int_equal(write(a.fd, "new\n", 4), 4);
	assert_string_equal(read_text(path), "old\n"); /* not visible before commit */
	assert_int_equal(pk_afile_commit(&a), 0);
	assert_string_equal(read_text(path), "new\n");
	assert_true(entries()); /* no temporary file left */
}

static void test_abort_leaves_the_target_as_it_was(void **state)
{
	(void)state;
	struct pk_afile a;
	assert_int_equal(pk_afile_open(&a, path, 0644), 0);
	assert_int_equal(write(a.fd, "half", 4), 4);
	pk_afile_abort(&a);
	assert_string_equal(read_text(path), "old\n");
	assert_true(entries());
}

static void test_device_target_is_written_in_place_not_replaced(void **state)
{
	(void)state;
	struct pk_afile a;
	struct stat st;
	assert_int_equal(pk_afile_open(&a, "/dev/null", 0644), 0);
	assert_null(a.tmp);
	assert_int_equal(write(a.fd, "x", 1), 1);
	assert_int_equal(pk_afile_commit(&a), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

/* A child opens the output, writes half of it and is ended by sig. */
static void killed_while_writing(int sig)
{
	const pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const struct rlimit no_core = {0, 0}; /* SIGQUIT and SIGABRT would dump one */
		struct pk_afile a;
		setrlimit(RLIMIT_CORE, &no_core);
		if (pk_afile_open(&a, path, 0644) < 0 || write(a.fd, "half", 4) != 4)
			_exit(3);
		raise(sig);
		_exit(4); /* not reached: the signal ends the child */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), sig);
}

static void test_a_signal_that_ends_the_program_removes_the_temporary_file(void **state)
{
	(void)state;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGABRT};
	for (size_t i = 0; i < PK_NELEMS(sigs); i++) {
		killed_while_writing(sigs[i]);
		assert_string_equal(read_text(path), "old\n");
		assert_true(entries());
	}
}

static volatile sig_atomic_t hups;
static void count_hup(int sig)
{
	(void)sig;
	hups++;
}

static void test_a_signal_the_program_handles_is_left_to_it(void **state)
{
	(void)state;
	struct sigaction sa = {.sa_handler = count_hup}, was;
	assert_int_equal(sigaction(SIGHUP, &sa, &was), 0);
	struct pk_afile a;
	assert_int_equal(pk_afile_open(&a, path, 0644), 0);
	raise(SIGHUP);
	assert_int_equal(hups, 1);
	assert_int_equal(write(a.fd, "new\n", 4), 4);
	assert_int_equal(pk_afile_commit(&a), 0);
	assert_string_equal(read_text(path), "new\n");
	/* and the default actions are back once no temporary file is left */
	struct sigaction now;
	assert_int_equal(sigaction(SIGTERM, NULL, &now), 0);
	assert_ptr_equal(now.sa_handler, SIG_DFL);
	assert_int_equal(sigaction(SIGHUP, &was, NULL), 0);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_commit_replaces_the_target_whole, make_target, remove_dir),
	cmocka_unit_test_setup_teardown(test_abort_leaves_the_target_as_it_was, make_target, remove_dir),
	cmocka_unit_test(test_device_target_is_written_in_place_not_replaced),
	cmocka_unit_test_setup_teardown(test_a_signal_that_ends_the_program_removes_the_temporary_file, make_target,
					remove_dir),
	cmocka_unit_test_setup_teardown(test_a_signal_the_program_handles_is_left_to_it, make_target, remove_dir),
)
