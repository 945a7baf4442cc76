/*
 * cli/load.h: what every command taking RULES|PKB uses to get a verified
 * ruleset. A rule file is parsed, resolved, encoded and loaded in memory
 * (the same verifier a router runs); a .pkb, recognised by its magic and
 * not its name, is loaded and verified.
 */
#ifndef PK_CLI_LOAD_H
#define PK_CLI_LOAD_H

#include <stdbool.h>

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "runtime/ruleset.h"

/* True when the file starts with the .pkb magic or holds binary data. */
bool pk_cli_is_pkb(const char *path);

/* ir_out (may be NULL) receives the IR when the input was a rule file;
 * free it with pk_ir_ruleset_free. Returns 0, or -1 with d filled. */
int pk_cli_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d, struct pk_rs **rs_out,
		struct pk_ir_ruleset **ir_out);

/* Encode ir and load the bytes back with the runtime verifier: the
 * compile self-check. On success *buf (malloc'd) holds the file. */
int pk_cli_encode_checked(const struct pk_ir_ruleset *ir, struct pk_diags *d, uint8_t **buf, size_t *len,
			  struct pk_rs **rs_out);

#endif
