/*
 * cli/load.h: what every command taking RULES|PKB uses to get a verified
 * ruleset. A rule file is parsed, resolved, encoded and loaded in memory
 * (the same verifier a router runs); a .pkb, recognised by its magic and
 * not its name, is loaded and verified. Every file is read through
 * runtime/infile.h, so each refusal is one line naming the file.
 */
#ifndef PK_CLI_LOAD_H
#define PK_CLI_LOAD_H

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "runtime/infile.h"
#include "runtime/ruleset.h"

/* Reads path ("-": standard input) whole as one of the kinds accept
 * allows (PK_INFILE_TEXT, PK_INFILE_PKB): 0 with f filled, or -1 with the
 * reason, one line naming the file, in d. */
int pk_cli_read(const char *path, unsigned accept, struct pk_diags *d, struct pk_infile *f);
/* Verifies the bytes of a .pkb read from path as the runtime loads them.
 * The ruleset takes f's bytes (f is left empty): a large .pkb is not
 * copied. */
int pk_cli_load_pkb(const char *path, struct pk_infile *f, struct pk_diags *d, struct pk_rs **rs_out);
/* A rule file or a .pkb, told apart by content, as a verified ruleset.
 * Returns 0, or -1 with d filled. */
int pk_cli_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d, struct pk_rs **rs_out);

/* Encode ir and load the bytes back with the runtime verifier: the
 * compile self-check. On success *buf (malloc'd) holds the file. */
int pk_cli_encode_checked(const struct pk_ir_ruleset *ir, struct pk_diags *d, uint8_t **buf, size_t *len,
			  struct pk_rs **rs_out);

#endif
