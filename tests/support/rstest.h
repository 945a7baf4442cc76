/*
 * tests/support/rstest.h: a loaded ruleset from rule text, for the
 * runtime's tests: parsed, resolved, encoded and verified as `picket`
 * would, so the engine runs exactly what ships.
 */
#ifndef PK_TESTS_RSTEST_H
#define PK_TESTS_RSTEST_H

#include "runtime/ruleset.h"

/* Aborts the test program, with the diagnostics, when text is invalid. */
struct pk_rs *pk_test_rules(const char *text);

#endif
