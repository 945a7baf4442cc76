/* tests/daemon/test_sys.c: ruleset permissions and the pid file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/sys.h"
#include "tests/support/testmain.h"

static void test_pkb_writable_by_others_or_group_is_refused(void **state)
{
	char path[64];
	struct pk_err err;
	(void)state;
	snprintf(path, sizeof(path), "/tmp/pk-sys-%ld.pkb", (long)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	chmod(path, 0644);
	assert_int_equal(pk_sys_check_pkb_mode(path, &err), 0);
	chmod(path, 0664);
	assert_int_equal(pk_sys_check_pkb_mode(path, &err), -1);
	assert_non_null(strstr(err.msg, "its group"));
	assert_non_null(strstr(err.msg, "chmod go-w"));
	chmod(path, 0646);
	assert_int_equal(pk_sys_check_pkb_mode(path, &err), -1);
	assert_non_null(strstr(err.msg, "others"));
	unlink(path);
	assert_int_equal(pk_sys_check_pkb_mode(path, &err), -1);
}

static void test_pidfile_holds_our_pid(void **state)
{
	char path[64];
	struct pk_err err;
	long pid = 0;
	(void)state;
	snprintf(path, sizeof(path), "/tmp/pk-sys-%ld.pid", (long)getpid());
	assert_int_equal(pk_sys_write_pidfile(path, &err), 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	assert_int_equal(pid, (long)getpid());
	unlink(path);
	assert_int_equal(pk_sys_write_pidfile("/nonexistent-dir/x.pid", &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x.pid"));
}

static void test_unknown_user_is_an_error_naming_it(void **state)
{
	struct pk_err err;
	(void)state;
	assert_int_equal(pk_sys_drop_privileges("no-such-user-pk", &err), -1);
	assert_non_null(strstr(err.msg, "no-such-user-pk"));
}

static void test_what_the_user_may_not_read_is_refused_with_the_reason(void **state)
{
	char path[64];
	struct pk_err err;
	(void)state;
	if (getuid() != 0)
		skip(); /* becoming another user takes root */
	snprintf(path, sizeof(path), "/tmp/pk-sys-%ld.pkb", (long)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	chmod(path, 0600);
	assert_int_equal(pk_sys_user_may("nobody", path, R_OK, "it reloads it", &err), -1);
	assert_non_null(strstr(err.msg, "Permission denied for user nobody; it reloads it"));
	chmod(path, 0644);
	assert_int_equal(pk_sys_user_may("nobody", path, R_OK, "it reloads it", &err), 0);
	assert_int_equal(pk_sys_user_may("nobody", "/tmp", W_OK | X_OK, "it saves there", &err), 0);
	assert_int_equal(pk_sys_user_may("root", path, W_OK, "", &err), 0);
	unlink(path);
	assert_int_equal(pk_sys_user_may("no-such-user-pk", path, R_OK, "", &err), -1);
	assert_non_null(strstr(err.msg, "no-such-user-pk"));
}

PK_TEST_MAIN(
	cmocka_unit_test(test_pkb_writable_by_others_or_group_is_refused),
	cmocka_unit_test(test_pidfile_holds_our_pid),
	cmocka_unit_test(test_unknown_user_is_an_error_naming_it),
	cmocka_unit_test(test_what_the_user_may_not_read_is_refused_with_the_reason),
)
