/*
 * compiler/print.h: the IR back to text, in pfctl's -nv style.
 *
 * The exact inverse of the parser: a printed ruleset parses back to the
 * same IR (and prints the same again), which the tests check.
 */
#ifndef PK_COMPILER_PRINT_H
#define PK_COMPILER_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "compiler/ir.h"

#define PK_PRINT_NUMBERS 1 /* prefix "@N " */
#define PK_PRINT_OPTIONS 2 /* also the set/table/interface/route lines */
#define PK_PRINT_LINES 4   /* suffix "  # line N" */

void pk_print_rule(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r);
void pk_print_ruleset(FILE *out, const struct pk_ir_ruleset *rs, unsigned flags);

/* One address or port as pf's label macros write them ("any",
 * "10.0.0.0/8", "<t>", "(lo0)"; ports "80", "!=80", "1><9"). */
void pk_print_addr_str(const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a, char *buf, size_t size);
void pk_print_port_str(const struct pk_port_match *p, char *buf, size_t size);

#endif
