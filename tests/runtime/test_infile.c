/*
 * tests/runtime/test_infile.c: every input is refused with the system's
 * reason or one line naming its kind, bounded in size, recognised by its
 * content (runtime/infile.c), and an output naming an input is refused.
 */
#include <fcntl.h>
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

#include "runtime/infile.h"
#include "runtime/pkb_format.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

#define SNIFF_PLUS 5000 /* more than the 4 KiB infile.c looks at first */

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[4][128];
	static unsigned next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static const char *write_file(const char *name, const void *bytes, size_t len)
{
	const char *path = in_dir(name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
	return path;
}

PK_TEST_FIXTURE(make_dir, assert_int_equal(pk_test_mkdtemp(dir, sizeof(dir), "infile"), 0))
PK_TEST_FIXTURE(remove_dir, pk_test_rmtree(dir))

/* path is refused with exactly msg. */
static void expect_refused(const char *path, unsigned accept, const char *msg)
{
	struct pk_infile f;
	struct pk_err err;
	assert_int_equal(pk_infile_read(path, accept, &f, &err), -1);
	assert_string_equal(err.msg, msg);
	assert_null(f.data);
}

static void expect_read(const char *path, unsigned accept, enum pk_infile_kind kind, const char *text)
{
	struct pk_infile f;
	struct pk_err err;
	assert_int_equal(pk_infile_read(path, accept, &f, &err), 0);
	assert_int_equal(f.kind, kind);
	assert_int_equal(f.len, strlen(text));
	assert_string_equal(f.data, text);
	pk_infile_free(&f);
}

static void test_a_file_that_cannot_be_opened_gets_the_systems_reason(void **state)
{
	(void)state;
	expect_refused(in_dir("missing.conf"), PK_INFILE_TEXT, "No such file or directory");
	expect_refused(dir, PK_INFILE_TEXT, "Is a directory");
	expect_refused(dir, PK_INFILE_PKB, "Is a directory");
}

static void test_a_device_is_refused_but_dev_null_is_empty(void **state)
{
	(void)state;
	expect_refused("/dev/zero", PK_INFILE_TEXT, "a device, not a file");
	expect_refused("/dev/urandom", PK_INFILE_TEXT | PK_INFILE_PKB, "a device, not a file");
	expect_read("/dev/null", PK_INFILE_TEXT, PK_INFILE_TEXT, "");
}

static void test_a_file_over_the_limit_is_refused_before_it_is_read(void **state)
{
	(void)state;
	static char comment[4096];
	memset(comment, '#', sizeof(comment));
	const char *path = write_file("big.conf", comment, sizeof(comment)); /* text, then a hole */
	assert_int_equal(truncate(path, (off_t)PK_INFILE_TEXT_MAX + 1), 0);
	expect_refused(path, PK_INFILE_TEXT, "larger than 64 MiB");
	/* as text: a rule file may be at most 64 MiB, whoever reads it */
	expect_refused(path, PK_INFILE_TEXT | PK_INFILE_PKB, "larger than 64 MiB");
	assert_int_equal(truncate(path, (off_t)PK_INFILE_PKB_MAX + 1), 0);
	expect_refused(path, PK_INFILE_PKB, "larger than 256 MiB");
}

static void test_a_byte_order_mark_is_dropped(void **state)
{
	(void)state;
	expect_read(write_file("bom.conf", "\xef\xbb\xbfpass all\n", 12), PK_INFILE_TEXT, PK_INFILE_TEXT,
		    "pass all\n");
}

static void test_binary_data_is_one_line_naming_what_was_wanted(void **state)
{
	(void)state;
	const char *nul = write_file("nul.conf", "pass\0all\n", 9);
	expect_refused(nul, PK_INFILE_TEXT, "binary data, not a rule file");
	expect_refused(nul, PK_INFILE_PKB,
		       "binary data without the .pkb magic at byte offset 0: not a compiled ruleset "
		       "(one damaged in its first bytes?)");
	expect_refused(nul, PK_INFILE_TEXT | PK_INFILE_PKB,
		       "binary data without the .pkb magic at byte offset 0: not a rule file nor a compiled ruleset "
		       "(one damaged in its first bytes?)");
	uint8_t noise[600];
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (uint8_t)(1 + i * 7 % 31); /* control bytes, no NUL */
	expect_refused(write_file("noise", noise, sizeof(noise)), PK_INFILE_TEXT, "binary data, not a rule file");
	static char late[SNIFF_PLUS];
	memset(late, '#', sizeof(late));
	late[sizeof(late) - 2] = '\0'; /* past the bytes looked at first */
	expect_refused(write_file("late.conf", late, sizeof(late)), PK_INFILE_TEXT, "binary data, not a rule file");
	/* a stray form feed or escape is still text */
	const char *stray = "pass in on em0 proto tcp to port 22\f\npass out all # \x1b[0m\n";
	expect_read(write_file("ff.conf", stray, strlen(stray)), PK_INFILE_TEXT, PK_INFILE_TEXT, stray);
}

static void test_a_compiled_ruleset_is_known_by_its_magic_not_its_name(void **state)
{
	(void)state;
	char pkb[64] = PKB_MAGIC;
	const char *path = write_file("rules.conf", pkb, sizeof(pkb));
	expect_refused(path, PK_INFILE_TEXT, "a compiled ruleset: use picket dump");
	struct pk_infile f;
	struct pk_err err;
	assert_int_equal(pk_infile_read(path, PK_INFILE_TEXT | PK_INFILE_PKB, &f, &err), 0);
	assert_int_equal(f.kind, PK_INFILE_PKB);
	assert_int_equal(f.len, sizeof(pkb));
	pk_infile_free(&f);
	expect_refused(write_file("text.pkb", "pass\n", 5), PK_INFILE_PKB,
		       "a rule file, not a compiled ruleset: compile it with picket compile");
}

static void test_an_empty_file_is_a_ruleset_only_when_named_pkb(void **state)
{
	(void)state;
	const char *pkb = write_file("empty.pkb", "", 0);
	expect_read(pkb, PK_INFILE_TEXT | PK_INFILE_PKB, PK_INFILE_PKB, "");
	expect_refused(pkb, PK_INFILE_TEXT, "empty, and named as a compiled ruleset (.pkb)");
	expect_read(write_file("empty.conf", "", 0), PK_INFILE_TEXT | PK_INFILE_PKB, PK_INFILE_TEXT, "");
}

static void test_standard_input_is_read_once(void **state)
{
	(void)state;
	const int saved = dup(STDIN_FILENO);
	const int fd = open(write_file("stdin.conf", "pass\n", 5), O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	assert_string_equal(pk_infile_name("-"), "<stdin>");
	expect_read("-", PK_INFILE_TEXT, PK_INFILE_TEXT, "pass\n");
	expect_refused("-", PK_INFILE_TEXT, "standard input was read already ('-' can be given once)");
	dup2(saved, STDIN_FILENO);
	close(saved);
}

static void test_an_output_that_is_an_input_is_refused(void **state)
{
	(void)state;
	struct pk_err err;
	const char *in = write_file("in.conf", "pass\n", 5);
	const char *other = write_file("other.conf", "pass\n", 5);
	expect_read(in, PK_INFILE_TEXT, PK_INFILE_TEXT, "pass\n");
	const char *hard = in_dir("hard.conf"), *soft = in_dir("soft.conf");
	assert_int_equal(link(in, hard), 0);
	assert_int_equal(symlink(in, soft), 0);
	assert_int_equal(pk_infile_not_input(in, &err), -1);
	assert_string_equal(err.msg, "the output is one of the inputs: writing it would destroy what was read");
	assert_int_equal(pk_infile_not_input(hard, &err), -1);
	assert_int_equal(pk_infile_not_input(soft, &err), -1);
	assert_int_equal(pk_infile_not_input(other, &err), 0);
	assert_int_equal(pk_infile_not_input(in_dir("new.pkb"), &err), 0);
	assert_int_equal(pk_infile_not_input("-", &err), 0);
}

PK_TEST_MAIN_GROUP(make_dir, remove_dir, cmocka_unit_test(test_a_file_that_cannot_be_opened_gets_the_systems_reason),
		   cmocka_unit_test(test_a_device_is_refused_but_dev_null_is_empty),
		   cmocka_unit_test(test_a_file_over_the_limit_is_refused_before_it_is_read),
		   cmocka_unit_test(test_a_byte_order_mark_is_dropped),
		   cmocka_unit_test(test_binary_data_is_one_line_naming_what_was_wanted),
		   cmocka_unit_test(test_a_compiled_ruleset_is_known_by_its_magic_not_its_name),
		   cmocka_unit_test(test_an_empty_file_is_a_ruleset_only_when_named_pkb),
		   cmocka_unit_test(test_standard_input_is_read_once),
		   cmocka_unit_test(test_an_output_that_is_an_input_is_refused))
