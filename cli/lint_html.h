/*
 * cli/lint_html.h: lint's findings as a self-contained page, for people
 * who do not read SARIF: an index of the findings, then each with its
 * source excerpt, the rules that decide it (with theirs) and its witness.
 */
#ifndef PK_CLI_LINT_HTML_H
#define PK_CLI_LINT_HTML_H

#include <stdio.h>

#include "verify/lint.h"

/* path names the linted file in the title; 0, or -1 when out failed. */
int pk_lint_print_html(const struct pk_ir_ruleset *rs, const struct pk_lint_report *rep, FILE *out, const char *path,
		       const char *version);

#endif
