/* cli/load.c: RULES|PKB -> a verified struct pk_rs (see load.h). */
#include "cli/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/encode.h"
#include "runtime/pkb_format.h"

/* The magic, or binary content (a NUL byte early on: rule files are text),
 * so a .pkb damaged in its magic is refused by the loader with its offset
 * rather than parsed as rules. */
bool pk_cli_is_pkb(const char *path)
{
	char head[4096];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return (n >= PKB_MAGIC_LEN && !memcmp(head, PKB_MAGIC, PKB_MAGIC_LEN)) || memchr(head, '\0', n);
}

int pk_cli_encode_checked(const struct pk_ir_ruleset *ir, struct pk_diags *d, uint8_t **buf, size_t *len,
			  struct pk_rs **rs_out)
{
	struct pk_err err;
	struct pk_rs *rs;
	struct pk_loc here = {.file = ir->nsources ? ir->sources[0].path : NULL};
	if (pk_encode(ir, buf, len, d))
		return -1;
	if (pk_rs_load(*buf, *len, &rs, &err)) {
		pk_error(d, &here, "internal error: the compiled bytecode fails the runtime's verifier at byte offset %llu: "
			 "%s; please report this with the rule file", (unsigned long long)err.offset, err.msg);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	if (rs_out)
		*rs_out = rs;
	else
		pk_rs_free(rs);
	return 0;
}

static int load_pkb(const char *path, struct pk_diags *d, struct pk_rs **rs_out)
{
	struct pk_err err;
	struct pk_loc here = {.file = path};
	if (pk_rs_load_file(path, rs_out, &err)) {
		if (err.offset == 0 && strstr(err.msg, "magic"))
			pk_error(d, &here, "byte offset 0: binary data without the .pkb magic: neither a rule file nor "
				 "a compiled ruleset (a .pkb damaged in its first bytes?)");
		else
			pk_error(d, &here, "refused .pkb: byte offset %llu: %s; recompile it with 'picket compile'",
				 (unsigned long long)err.offset, err.msg);
		return -1;
	}
	return 0;
}

int pk_cli_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d, struct pk_rs **rs_out,
		struct pk_ir_ruleset **ir_out)
{
	*rs_out = NULL;
	if (ir_out)
		*ir_out = NULL;
	if (pk_cli_is_pkb(path))
		return load_pkb(path, d, rs_out);
	struct pk_ir_ruleset *ir;
	if (pk_frontend_load(path, o, d, &ir))
		return -1;
	uint8_t *buf;
	size_t len;
	int rc = pk_cli_encode_checked(ir, d, &buf, &len, rs_out);
	free(buf);
	if (rc || !ir_out)
		pk_ir_ruleset_free(ir);
	else
		*ir_out = ir;
	return rc;
}
