/*
 * cli/cmd_compile.c: `picket compile FILE -o OUT.pkb`: parse, resolve,
 * encode, load the bytes back with the runtime's own verifier, then
 * write OUT atomically (temporary file in OUT's directory, fsync,
 * rename): a failed or interrupted compile leaves OUT as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/expect_out.h"
#include "cli/front_args.h"
#include "cli/load.h"
#include "cli/sign.h"
#include "runtime/afile.h"
#include "runtime/infile.h"

static void compile_usage(FILE *out)
{
	fputs("usage: picket compile FILE -o OUT.pkb [--topology FILE] [--root DIR] [-D name=value]\n\n"
	      "Compile a rule file into verified bytecode for the runtime (picket replay,\n"
	      "picketd). The result is loaded back with the runtime's verifier before it\n"
	      "is written; OUT is replaced atomically and left untouched on any error.\n"
	      "FILE - reads standard input, -o - writes standard output; OUT may not be\n"
	      "a file the compile reads.\n"
	      "[--expect TESTS]: the policy tests of TESTS (picket test) must hold, else OUT is\n"
	      "not written; the .pkb records their hash (picket dump shows it).\n"
	      "[--sign KEY]: OUT.sig, OUT signed with the secret key KEY (picket keygen), for\n"
	      "picketd --signed-by.\n"
	      "Exit 0 on success, 1 when a test fails, 2 on error.\n",
	      out);
}

static const char *shown(const char *out)
{
	return strcmp(out, "-") ? out : "<stdout>";
}

/* "-" is standard output; a file is replaced atomically, and never one
 * the compile read (the rule file itself, an include, a table file). */
static int write_out(const char *out, const uint8_t *buf, size_t len, struct pk_diags *d)
{
	struct pk_loc here = {.file = shown(out)};
	struct pk_err err;
	if (len > PK_INFILE_PKB_MAX) {
		pk_error(d, &here, "the bytecode is %zu MiB, larger than the %u MiB a .pkb may be", len >> 20,
			 PK_INFILE_PKB_MAX >> 20);
		return -1;
	}
	if (!strcmp(out, "-")) {
		if (isatty(STDOUT_FILENO)) {
			pk_error(d, &here, "standard output is a terminal: redirect it, or name a file");
			return -1;
		}
		if (pk_write_all(STDOUT_FILENO, buf, len) == 0)
			return 0;
		pk_error(d, &here, "cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	if (pk_infile_not_input(out, &err)) {
		pk_error(d, &here, "%s", err.msg);
		return -1;
	}
	struct pk_afile a;
	if (pk_afile_open(&a, out, 0644) < 0) {
		pk_error(d, &here, "cannot create a temporary file beside it: %s", strerror(errno));
		return -1;
	}
	if (pk_write_all(a.fd, buf, len) < 0) {
		pk_error(d, &here, "cannot write it: %s", strerror(errno));
		pk_afile_abort(&a);
		return -1;
	}
	if (pk_afile_commit(&a) < 0) {
		pk_error(d, &here, "cannot put it in place: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct compile_opts {
	const char *out, *expect, *sign;
};

/* --sign KEY: OUT.sig beside OUT (cli/sign.h); nothing without it. */
static int sign_out(const char *key, const char *out, const uint8_t *buf, size_t len, struct pk_diags *d)
{
	struct pk_err err;
	if (!key || pk_cli_sign(key, out, buf, len, &err) == 0)
		return 0;
	const struct pk_loc here = {.file = out};
	pk_error(d, &here, "not signed: %s", err.msg);
	return -1;
}

/* Takes "-o OUT", "--expect TESTS" and "--sign KEY" out of argv; the rest goes to the
 * shared option parser. */
static void take_opts(int *argc, char **argv, struct compile_opts *o)
{
	int j = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < *argc)
			o->out = argv[++i];
		else if (!strncmp(argv[i], "--output=", 9))
			o->out = argv[i] + 9;
		else if (!strcmp(argv[i], "--expect") && i + 1 < *argc)
			o->expect = argv[++i];
		else if (!strcmp(argv[i], "--sign") && i + 1 < *argc)
			o->sign = argv[++i];
		else
			argv[j++] = argv[i];
	}
	*argc = j;
}

static int gate_check(const struct pk_ir_ruleset *ir, struct pk_cli_expect_run *run, struct pk_ir_tests *t)
{
	if (pk_cli_expect_check(ir, run) < 0) {
		fprintf(stderr, "picket compile: the Z3 solver could not be started\n");
		return 2;
	}
	if (run->nfailed) {
		pk_cli_expect_print(ir, run, PK_EXPECT_TEXT, stderr, "");
		fprintf(stderr, "picket compile: %u of %u policy tests fail: nothing written\n", run->nfailed, run->n);
		return 1;
	}
	memcpy(t->sha256, run->hash, 32);
	t->path = run->path;
	t->count = run->n;
	return 0;
}

/* The compile gate: 0 when every test holds (t filled, for the .pkb), 1
 * when some fail (reported on standard error), 2 on bad input. */
static int gate(const struct pk_ir_ruleset *ir, const char *expect, const struct pk_cli_irargs *ia,
		struct pk_ir_tests *t)
{
	struct pk_cli_expect_run run;
	/* a file with errors has them printed: exit 2 */
	const int rc = pk_cli_expect_load(expect, ir, ia, &run) < 0 ? 2 : gate_check(ir, &run, t);
	pk_cli_expect_free(&run);
	return rc;
}

int pk_cmd_compile(int argc, char **argv)
{
	struct compile_opts o = {0};
	take_opts(&argc, argv, &o);
	const char *out = o.out;
	struct pk_front_args a;
	int rc = pk_front_args_parse(argc, argv, "", true, compile_usage, &a);
	if (rc >= 0)
		return rc;
	if (!out || (o.sign && !strcmp(out, "-"))) {
		compile_usage(stderr);
		return 2;
	}
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *ir = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct pk_rs *rs = NULL;
	struct pk_ir_tests tests;
	rc = pk_frontend_load(a.files[0], &a.ir.fo, &d, &ir) ? 2 : 0;
	/* bytecode cannot hold an unsupported feature: its warnings are errors here */
	if (!rc && pk_diags_refuse_unsupported(&d))
		rc = 2;
	pk_diags_print(&d, stderr, a.ir.color);
	if (!rc && o.expect && (rc = gate(ir, o.expect, &a.ir, &tests)) == 0)
		ir->tests = &tests;
	pk_diags_free(&d);
	pk_diags_init(&d);
	if (!rc && (pk_cli_encode_checked(ir, &d, &buf, &len, &rs) || write_out(out, buf, len, &d) ||
		    sign_out(o.sign, out, buf, len, &d)))
		rc = 2;
	pk_diags_print(&d, stderr, a.ir.color);
	if (!rc) /* with -o -, the bytecode has standard output */
		fprintf(strcmp(out, "-") ? stdout : stderr, "%s: %u rules, %zu bytes\n", shown(out), pk_rs_nrules(rs),
			len);
	pk_rs_free(rs);
	free(buf);
	if (ir)
		pk_ir_ruleset_free(ir);
	pk_diags_free(&d);
	return rc;
}
