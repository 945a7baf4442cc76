/* cli/load.c: RULES|PKB -> a verified struct pk_rs (see load.h). */
#include "cli/load.h"

#include <stdlib.h>

#include "compiler/encode.h"

int pk_cli_read(const char *path, unsigned accept, struct pk_diags *d, struct pk_infile *f)
{
	struct pk_err err;
	if (pk_infile_read(path, accept, f, &err) == 0)
		return 0;
	const struct pk_loc here = {.file = pk_infile_name(path)};
	pk_error(d, &here, "%s", err.msg);
	return -1;
}

int pk_cli_encode_checked(const struct pk_ir_ruleset *ir, struct pk_diags *d, uint8_t **buf, size_t *len,
			  struct pk_rs **rs_out)
{
	struct pk_err err;
	struct pk_rs *rs;
	struct pk_loc here = {.file = ir->nsources ? ir->sources[0].path : NULL};
	*buf = NULL;
	/* check, lint and print go on past an unsupported feature; bytecode cannot */
	if (pk_diags_refuse_unsupported(d) || pk_encode(ir, buf, len, d))
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

int pk_cli_load_pkb(const char *path, struct pk_infile *f, struct pk_diags *d, struct pk_rs **rs_out)
{
	struct pk_err err;
	const int rc = pk_rs_adopt((uint8_t *)f->data, f->len, rs_out, &err);
	f->data = NULL;
	f->len = 0;
	if (rc == 0)
		return 0;
	const struct pk_loc here = {.file = pk_infile_name(path)};
	pk_error(d, &here, "refused .pkb: byte offset %llu: %s; recompile it with 'picket compile'",
		 (unsigned long long)err.offset, err.msg);
	return -1;
}

int pk_cli_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d, struct pk_rs **rs_out)
{
	struct pk_infile f;
	*rs_out = NULL;
	if (pk_cli_read(path, PK_INFILE_TEXT | PK_INFILE_PKB, d, &f))
		return -1;
	struct pk_ir_ruleset *ir = NULL;
	int rc;
	if (f.kind == PK_INFILE_PKB)
		rc = pk_cli_load_pkb(path, &f, d, rs_out);
	else if ((rc = pk_frontend_load_string(pk_infile_name(path), f.data, f.len, o, d, &ir)) == 0) {
		uint8_t *buf;
		size_t len;
		rc = pk_cli_encode_checked(ir, d, &buf, &len, rs_out);
		free(buf);
	}
	pk_ir_ruleset_free(ir);
	pk_infile_free(&f);
	return rc;
}
