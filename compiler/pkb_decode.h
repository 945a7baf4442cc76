/*
 * compiler/pkb_decode.h: a loaded .pkb back to IR, so `picket dump` prints
 * rules with the same printer as `picket print` (compiler/print.h). The
 * file stores everything the printer reads (how addresses were written,
 * explicit block kinds, labels, source positions), so printing the decoded
 * IR gives the same text as printing the IR the file was compiled from.
 * Source texts are not in the file: sources come back with their paths only.
 */
#ifndef PK_COMPILER_PKB_DECODE_H
#define PK_COMPILER_PKB_DECODE_H

#include "compiler/diag.h"
#include "compiler/ir.h"
#include "runtime/ruleset.h"

/* A loaded .pkb back to IR (in its own arena: free with pk_arena_free(out->arena)). */
int pk_pkb_decode(const struct pk_rs *rs, struct pk_ir_ruleset **out, struct pk_diags *d);

#endif
