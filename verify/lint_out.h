/*
 * verify/lint_out.h: printing a lint report: text like a compiler's
 * diagnostics (through compiler/diag.h), JSON, and SARIF 2.1.0.
 */
#ifndef PK_VERIFY_LINT_OUT_H
#define PK_VERIFY_LINT_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "verify/lint.h"

enum pk_lint_format { PK_LINT_TEXT, PK_LINT_JSON, PK_LINT_SARIF };

/* Returns 0, or -1 when the output could not be written. version is the
 * tool's, for SARIF's driver. */
int pk_lint_print(const struct pk_ir_ruleset *rs, const struct pk_lint_report *rep, enum pk_lint_format fmt,
		  FILE *out, enum pk_diag_color color, const char *version);
/* A packet as JSON: its text form and its fields; outcome (what happens
 * to it) may be NULL. The one form every command's JSON gives packets in. */
json_t *pk_vpkt_json(const struct pk_vpkt *p, const char *outcome);
/* SARIF for a run that analysed nothing (a syntax error, too many rules):
 * each error of d as a result of the rule "input-error" and as a
 * notification of the invocation, which is marked failed with exit code 2.
 * Returns 0, or -1 when the output could not be written. */
int pk_lint_print_failure(const struct pk_diags *d, FILE *out, const char *version);
void pk_lint_print_stats(const struct pk_lint_report *rep, FILE *out);

#endif
