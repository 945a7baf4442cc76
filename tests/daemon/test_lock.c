/* tests/daemon/test_lock.c: one picketd per lock, the refusal naming the holder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/lock.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

static char path[64];

PK_TEST_FIXTURE(setup, pk_test_tmp_path(path, sizeof(path), "lock"))
PK_TEST_FIXTURE(teardown, unlink(path))

static void test_second_taker_is_refused_naming_the_holder(void **state)
{
	struct pk_err err;
	char want[96];
	(void)state;
	int fd = pk_lock_take(path, "control socket /run/x.sock", &err);
	assert_true(fd >= 0);
	assert_int_equal(pk_lock_take(path, "control socket /run/x.sock", &err), -1);
	snprintf(want, sizeof(want), "control socket /run/x.sock is in use by picketd (pid %ld)", (long)getpid());
	assert_non_null(strstr(err.msg, want));
	close(fd);
	fd = pk_lock_take(path, "control socket /run/x.sock", &err);
	assert_true(fd >= 0);
	close(fd);
}

/* A pid that no process has: a child's, once reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_lock_whose_holder_has_exited_is_waited_for(void **state)
{
	struct pk_err err;
	int ready[2];
	char c;
	(void)state;
	pid_t dead = dead_pid();
	assert_int_equal(pipe(ready), 0);
	/* a child holds the lock a moment with an exited picketd's pid in it,
	 * as the reaper does while it removes that picketd's files */
	pid_t child = fork();
	if (child == 0) {
		int fd = pk_lock_take(path, "interface eth0", &err);
		pk_lock_set_pid(fd, dead);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		usleep(200 * 1000);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	int fd = pk_lock_take(path, "interface eth0", &err);
	assert_true(fd >= 0);
	close(fd);
	waitpid(child, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

static void test_reclaim_gives_up_on_a_live_holder_or_a_new_file(void **state)
{
	struct pk_err err;
	struct stat old;
	char next[80];
	(void)state;
	int fd = pk_lock_take(path, "interface eth0", &err);
	assert_int_equal(stat(path, &old), 0);
	assert_int_equal(pk_lock_reclaim(path, old.st_dev, old.st_ino), -1); /* we hold it, alive */
	close(fd);
	fd = pk_lock_reclaim(path, old.st_dev, old.st_ino);
	assert_true(fd >= 0);
	close(fd);
	/* a successor's lock file in its place */
	snprintf(next, sizeof(next), "%s.next", path);
	fd = pk_lock_take(next, "interface eth0", &err);
	assert_int_equal(rename(next, path), 0);
	close(fd);
	assert_int_equal(pk_lock_reclaim(path, old.st_dev, old.st_ino), -1);
}

static void test_interface_lock_is_per_namespace_and_interface(void **state)
{
	char buf[128];
	(void)state;
	pk_lock_iface_path(buf, sizeof(buf), "eth7");
	assert_int_equal(strncmp(buf, PK_LOCK_DIR "/picketd.net", strlen(PK_LOCK_DIR "/picketd.net")), 0);
	assert_string_equal(buf + strlen(buf) - strlen(".eth7.lock"), ".eth7.lock");
}

PK_TEST_MAIN_GROUP(setup, NULL,
	cmocka_unit_test_teardown(test_second_taker_is_refused_naming_the_holder, teardown),
	cmocka_unit_test_teardown(test_lock_whose_holder_has_exited_is_waited_for, teardown),
	cmocka_unit_test_teardown(test_reclaim_gives_up_on_a_live_holder_or_a_new_file, teardown),
	cmocka_unit_test_teardown(test_interface_lock_is_per_namespace_and_interface, teardown),
)
