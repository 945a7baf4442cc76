/*
 * compiler/encode.h: IR -> .pkb bytes (runtime/pkb_format.h).
 *
 * The encoder lays out every section, builds the evaluation program (the
 * decision tree, compiler/encode_tree.c) and fills the header's hashes.
 * The same IR always gives the same bytes.
 */
#ifndef PK_COMPILER_ENCODE_H
#define PK_COMPILER_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "compiler/diag.h"
#include "compiler/ir.h"

/* IR -> .pkb bytes (malloc'd, caller frees). Returns 0, or -1 with d filled. */
int pk_encode(const struct pk_ir_ruleset *rs, uint8_t **buf, size_t *len, struct pk_diags *d);

#endif
