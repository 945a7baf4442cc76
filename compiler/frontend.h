/*
 * compiler/frontend.h: rule file in, resolved IR out.
 *
 * Parses a file and its includes (grammar/), then resolves the syntax tree
 * into the IR of compiler/ir.h (compiler/resolve*.c). Every error of the
 * input is reported into the diagnostics, not just the first.
 */
#ifndef PK_COMPILER_FRONTEND_H
#define PK_COMPILER_FRONTEND_H

#include <stddef.h>

#include "compiler/diag.h"
#include "compiler/ir.h"

struct pk_frontend_opts {
	const char *topology;       /* --topology FILE, or NULL */
	const char *root;           /* --root DIR: absolute paths the rules name are read under it */
	const char *const *defines; /* "name=value" macros from the command line (-D) */
	unsigned ndefines;
};

/* Returns 0 on success, -1 when any error was reported into d. On success
 * *out is a ruleset owning its arena. */
int pk_frontend_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d,
		     struct pk_ir_ruleset **out);
/* The same from a string (tests, fuzzing); name is used in locations. */
int pk_frontend_load_string(const char *name, const char *text, size_t len, const struct pk_frontend_opts *o,
			    struct pk_diags *d, struct pk_ir_ruleset **out);
void pk_ir_ruleset_free(struct pk_ir_ruleset *rs);

#endif
