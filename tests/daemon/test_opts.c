/* tests/daemon/test_opts.c: picketd's command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/opts.h"
#include "tests/support/testmain.h"

static int parse(struct pk_opts *o, struct pk_err *err, const char *const *args)
{
	static char buf[16][64];
	char *argv[17];
	int argc = 0;
	for (; args[argc]; argc++) {
		strcpy(buf[argc], args[argc]);
		argv[argc] = buf[argc];
	}
	argv[argc] = NULL;
	return pk_opts_parse(argc, argv, o, err);
}

/* The arguments are refused with a message holding fragment. */
static void expect_refused(const char *const *args, const char *fragment)
{
	struct pk_opts o;
	struct pk_err err;
	assert_int_equal(parse(&o, &err, args), -1);
	if (!strstr(err.msg, fragment))
		fail_msg("expected '%s' in: %s", fragment, err.msg);
}

static void test_full_command_line_is_parsed(void **state)
{
	struct pk_opts o;
	struct pk_err err;
	const char *a[] = {"picketd", "-f", "r.pkb", "--if", "lan0=veth1", "--if", "opt1=veth3", "-d", "-p",
			   "/run/p.pid", "-s", "/tmp/s", "-u", "daemon", "-l", "log.pcap", NULL};
	(void)state;
	assert_int_equal(parse(&o, &err, a), 0);
	assert_string_equal(o.pkb, "r.pkb");
	assert_true(o.foreground);
	assert_int_equal(o.nifmap, 2);
	assert_string_equal(pk_opts_host_name(&o, "opt1"), "veth3");
	assert_string_equal(pk_opts_host_name(&o, "wan"), "wan");
	assert_string_equal(o.pidfile, "/run/p.pid");
	assert_string_equal(o.ctl_path, "/tmp/s");
	assert_string_equal(o.user, "daemon");
	assert_string_equal(o.logfile, "log.pcap");
	assert_null(o.bridge[0]);
}

static void test_defaults_are_nobody_and_run_socket(void **state)
{
	struct pk_opts o;
	struct pk_err err;
	const char *a[] = {"picketd", "-f", "r.pkb", NULL};
	(void)state;
	assert_int_equal(parse(&o, &err, a), 0);
	assert_string_equal(o.user, "nobody");
	assert_string_equal(o.ctl_path, "/run/picketd.sock");
	assert_false(o.foreground);
}

static void test_bridge_takes_two_distinct_interfaces(void **state)
{
	struct pk_opts o;
	struct pk_err err;
	const char *ok[] = {"picketd", "-f", "r.pkb", "--bridge", "eth0,eth1", NULL};
	const char *one[] = {"picketd", "-f", "r.pkb", "--bridge", "eth0", NULL};
	const char *same[] = {"picketd", "-f", "r.pkb", "--bridge", "eth0,eth0", NULL};
	(void)state;
	assert_int_equal(parse(&o, &err, ok), 0);
	assert_string_equal(o.bridge[0], "eth0");
	assert_string_equal(o.bridge[1], "eth1");
	expect_refused(one, "two interfaces");
	expect_refused(same, "must differ");
}

static void test_usage_errors_say_what_to_do(void **state)
{
	const char *nofile[] = {"picketd", "-d", NULL};
	const char *badif[] = {"picketd", "-f", "r", "--if", "lan0", NULL};
	const char *twice[] = {"picketd", "-f", "r", "--if", "a=b", "--if", "a=c", NULL};
	const char *unknown[] = {"picketd", "-f", "r", "-x", NULL};
	const char *missing[] = {"picketd", "-f", NULL};
	(void)state;
	expect_refused(nofile, "-f RULES.pkb");
	expect_refused(badif, "NAME=HOSTIF");
	expect_refused(twice, "mapped twice");
	expect_refused(unknown, "--help");
	expect_refused(missing, "needs an argument");
}

static void test_version_and_state_file_are_options(void **state)
{
	struct pk_opts o;
	struct pk_err err;
	const char *version[] = {"picketd", "--version", NULL};
	const char *states[] = {"picketd", "-f", "r.pkb", "--state-file", "/run/picketd/states", NULL};
	(void)state;
	assert_int_equal(parse(&o, &err, version), PK_OPTS_VERSION);
	assert_int_equal(parse(&o, &err, states), PK_OPTS_RUN);
	assert_string_equal(o.state_file, "/run/picketd/states");
	assert_non_null(strstr(pk_opts_usage, "--state-file"));
}

static void test_relative_paths_are_made_absolute(void **state)
{
	struct pk_opts o;
	struct pk_err err;
	char cwd[PATH_MAX];
	const char *a[] = {"picketd", "-f", "r.pkb", "-s", "ctl.sock", "-p", "/run/p.pid", "--state-file", "st/s",
			   "-l", "log.pcap", NULL};
	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/tmp"), 0);
	assert_int_equal(parse(&o, &err, a), PK_OPTS_RUN);
	assert_int_equal(pk_opts_absolute(&o, &err), 0);
	assert_string_equal(o.pkb, "/tmp/r.pkb");
	assert_string_equal(o.ctl_path, "/tmp/ctl.sock");
	assert_string_equal(o.pidfile, "/run/p.pid");
	assert_string_equal(o.state_file, "/tmp/st/s");
	assert_string_equal(o.logfile, "/tmp/log.pcap");
	assert_null(o.verdict_log);
	assert_int_equal(chdir(cwd), 0);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_full_command_line_is_parsed),
	cmocka_unit_test(test_defaults_are_nobody_and_run_socket),
	cmocka_unit_test(test_bridge_takes_two_distinct_interfaces),
	cmocka_unit_test(test_usage_errors_say_what_to_do),
	cmocka_unit_test(test_version_and_state_file_are_options),
	cmocka_unit_test(test_relative_paths_are_made_absolute),
)
