/*
 * tests/support/front_support.h: helpers for front-end tests: load a rule
 * text, print a ruleset or the diagnostics into a string, and check them.
 */
#ifndef PK_TESTS_FRONT_SUPPORT_H
#define PK_TESTS_FRONT_SUPPORT_H

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "compiler/ir.h"

/* Loads text (named "t.conf"); NULL on error, with the diagnostics in d
 * (initialised here; the caller frees them). */
struct pk_ir_ruleset *pk_test_load(const char *text, struct pk_diags *d);
/* Loads text, which must load: the test fails with the diagnostics
 * otherwise. The caller frees the ruleset. */
struct pk_ir_ruleset *pk_test_load_ok(const char *text);
/* Loads text and returns its printed rules (malloc'd); NULL on error. */
char *pk_test_print(const char *text, unsigned flags);
/* The diagnostics text of loading text, without colour (malloc'd). */
char *pk_test_diags(const char *text);
/* The printed form of a ruleset (malloc'd). */
char *pk_test_print_rs(const struct pk_ir_ruleset *rs, unsigned flags);
/* The test fails unless text loads and prints (without options) as want. */
void pk_test_expect_print(const char *text, const char *want);
/* The same with print flags, and the printed form must print the same. */
void pk_test_expect_print_stable(const char *text, unsigned flags, const char *want);
/* The test fails unless loading text gives diagnostics holding fragment. */
void pk_test_expect_diag(const char *text, const char *fragment);
/* The test fails if loading text gives diagnostics holding fragment. */
void pk_test_expect_no_diag(const char *text, const char *fragment);

#endif
