/*
 * tests/daemon/test_reaper.c: the files picketd names are removed once it
 * is gone, and only its own: not a successor's, not a file replaced since,
 * not one named after the list was sealed.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/lock.h"
#include "daemon/reaper.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

static char dir[64], lock[96], sock[96], pid[96];

static int setup(void **state)
{
	(void)state;
	if (pk_test_mkdtemp(dir, sizeof(dir), "reaper"))
		return -1;
	snprintf(lock, sizeof(lock), "%s/ctl.sock.lock", dir);
	snprintf(sock, sizeof(sock), "%s/ctl.sock", dir);
	snprintf(pid, sizeof(pid), "%s/picketd.pid", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return pk_test_rmtree(dir);
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	close(fd);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* A reaper given the lock (its fd in *fd) and the two files. */
static void start(struct pk_reaper *r, int *fd)
{
	struct pk_err err;

	assert_int_equal(pk_reaper_start(r, &err), 0);
	*fd = pk_lock_take(lock, "control socket", &err);
	assert_true(*fd >= 0);
	pk_reaper_add(r, PK_REAP_LOCK, lock);
	touch(sock);
	pk_reaper_add(r, PK_REAP_FILE, sock);
	touch(pid);
	pk_reaper_add(r, PK_REAP_FILE, pid);
}

static void test_files_go_once_the_daemon_is_gone(void **state)
{
	struct pk_reaper r;
	int fd;
	(void)state;
	start(&r, &fd);
	pk_reaper_seal(&r);
	assert_true(exists(sock));
	close(fd);
	pk_reaper_finish(&r);
	assert_false(exists(sock));
	assert_false(exists(pid));
	assert_false(exists(lock));
}

static void test_a_successors_files_stay(void **state)
{
	struct pk_reaper r;
	struct pk_err err;
	int fd;
	(void)state;
	start(&r, &fd);
	pk_reaper_seal(&r);
	close(fd);
	fd = pk_lock_take(lock, "control socket", &err); /* a successor, alive */
	assert_true(fd >= 0);
	pk_reaper_finish(&r);
	assert_true(exists(sock));
	assert_true(exists(pid));
	assert_true(exists(lock));
	close(fd);
}

static void test_a_replaced_file_and_one_named_after_the_seal_stay(void **state)
{
	struct pk_reaper r;
	char next[112];
	int fd;
	(void)state;
	start(&r, &fd);
	snprintf(next, sizeof(next), "%s.new", pid);
	touch(next);
	assert_int_equal(rename(next, pid), 0);
	pk_reaper_seal(&r);
	pk_reaper_add(&r, PK_REAP_FILE, dir);
	close(fd);
	pk_reaper_finish(&r);
	assert_false(exists(sock));
	assert_true(exists(pid));
	assert_true(exists(dir));
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_files_go_once_the_daemon_is_gone, setup, teardown),
	cmocka_unit_test_setup_teardown(test_a_successors_files_stay, setup, teardown),
	cmocka_unit_test_setup_teardown(test_a_replaced_file_and_one_named_after_the_seal_stay, setup, teardown),
)
