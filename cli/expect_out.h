/*
 * cli/expect_out.h: the report of a policy test run (cli/expect_file.h):
 * one line per expectation and, for a failure, the witness and the steps
 * pf takes with it, each with its deciding rule; or JSON, or SARIF 2.1.0
 * with one result per failure located at its expectation.
 */
#ifndef PK_CLI_EXPECT_OUT_H
#define PK_CLI_EXPECT_OUT_H

#include <stdio.h>

#include "cli/expect_file.h"

enum pk_expect_format { PK_EXPECT_TEXT, PK_EXPECT_JSON, PK_EXPECT_SARIF };

/* 0, or -1 when the output cannot be written. */
int pk_cli_expect_print(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run,
			enum pk_expect_format fmt, FILE *out, const char *version);

#endif
