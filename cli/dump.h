/*
 * cli/dump.h: the disassembler behind `picket dump`: the file header and
 * section table, and the program instruction by instruction, printed
 * from PKB_OPS's names so the listing matches docs/bytecode.md.
 */
#ifndef PK_CLI_DUMP_H
#define PK_CLI_DUMP_H

#include <stdio.h>

#include "runtime/ruleset.h"

/* "# " lines: format, size, hashes, sections. */
void pk_dump_header(FILE *out, const char *path, const struct pk_rs *rs);
/* One line per instruction: word index, byte offset, opcode, operands. */
void pk_dump_program(FILE *out, const struct pk_rs *rs);

#endif
