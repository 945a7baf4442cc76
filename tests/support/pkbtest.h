/*
 * tests/support/pkbtest.h: helpers shared by the bytecode tests: compile
 * a ruleset to bytes or on to a loaded ruleset, and recompute a damaged
 * file's checksum so damage reaches the structural checks behind it.
 */
#ifndef PK_TESTS_PKBTEST_H
#define PK_TESTS_PKBTEST_H

#include <stddef.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "runtime/ruleset.h"

/* Encode ir; aborts the test program on failure. Caller frees *buf. */
void pk_test_encode(const struct pk_ir_ruleset *ir, uint8_t **buf, size_t *len);
/* ir encoded and loaded as the runtime's ruleset; aborts the test program
 * on failure. Free with pk_rs_free. */
struct pk_rs *pk_test_load_rs(const struct pk_ir_ruleset *ir);
/* Write a valid checksum into buf (which must hold at least a header). */
void pk_test_fix_checksum(uint8_t *buf, size_t len);

#endif
