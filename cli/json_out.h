/*
 * cli/json_out.h: the pieces every command's --format json shares: the
 * option, a rule as JSON (index, place, source line) and the printing of a
 * document. Packets are verify/lint_out.h's pk_vpkt_json. The documents
 * are described by the schemas in docs/schemas/.
 */
#ifndef PK_CLI_JSON_OUT_H
#define PK_CLI_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>

#include "compiler/ir.h"

/* Consumes --format text|json (or --format=...) at argv[*i]: 1 taken, 0
 * not this option, -1 after an error message. */
int pk_cli_take_format(int argc, char **argv, int *i, bool *json);
/* {"index", "file", "line", "source"}; null for UINT32_MAX (no rule). */
json_t *pk_cli_rule_json(const struct pk_ir_ruleset *rs, uint32_t rule);
/* Prints doc on stdout, indented, and frees it; 0, or -1 when stdout failed. */
int pk_cli_json_print(json_t *doc);

#endif
