/*
 * cli/expect_file.h: a policy test file (picket.expect) read and checked
 * against a rule file, for `picket test` and `picket compile --expect`.
 *
 * One expectation a line, `#` starts a comment:
 *   expect pass|block|reach SHAPE
 * SHAPE is a rule body (`proto tcp from $lan to $nas port { 22 443 } in on
 * lan0`; `in`, `out` and `on IF` may stand anywhere) read by the front end
 * after the rule file, so its macros, tables and interface names can be
 * used; or one packet as `picket explain` reads it (it starts with a bare
 * protocol: `tcp from 10.0.0.1 port 5555 to 10.0.0.5 port 22 in on lan0`).
 * The run owns what it read; its hash is the SHA-256 of the file's bytes.
 * The same lines may stand in the rule file itself: the lexer keeps them
 * as carried statements (compiler/lex.c), which change no verdict.
 */
#ifndef PK_CLI_EXPECT_FILE_H
#define PK_CLI_EXPECT_FILE_H

#include "cli/irload.h"
#include "verify/expect.h"

struct pk_cli_expect_run {
	const char *path;
	char *text; /* the file's bytes */
	size_t len;
	uint8_t hash[32];
	struct pk_expect *v;
	struct pk_expect_result *res;
	unsigned n, nfailed;
	struct pk_ir_ruleset *shape_rs; /* the rule file with the shapes appended; NULL when none */
	char *store;                    /* packet names (interfaces, tags) */
};

/* Reads and resolves the file against rs; prints the file's errors (with
 * their expectation's line) and returns -1 on bad input. */
int pk_cli_expect_load(const char *path, const struct pk_ir_ruleset *rs, const struct pk_cli_irargs *ia,
		       struct pk_cli_expect_run *run);
/* The same from the rule file's own `expect` lines (carried statements,
 * macros expanded as they were read); run->n 0 when it has none. */
int pk_cli_expect_from_rules(const struct pk_ir_ruleset *rs, const struct pk_cli_irargs *ia,
			     struct pk_cli_expect_run *run);
/* Checks every expectation; -1 when Z3 cannot start. */
int pk_cli_expect_check(const struct pk_ir_ruleset *rs, struct pk_cli_expect_run *run);
void pk_cli_expect_free(struct pk_cli_expect_run *run);

const char *pk_expect_kind_name(enum pk_expect_kind k);

#endif
