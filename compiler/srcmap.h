/*
 * compiler/srcmap.h: where the lines of a generated rule text came from.
 *
 * A front end that writes pf rules from another format (configxml/) hands
 * the parser its text with one entry per line: the file, line and columns
 * of the element the line was written from, and the name the product's
 * GUI gives it. Tokens of a mapped line are located there, so every message
 * and finding points into the file the admin edits.
 */
#ifndef PK_COMPILER_SRCMAP_H
#define PK_COMPILER_SRCMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/loc.h"

struct pk_srcline {
	uint32_t line, col, end_col; /* in file; line 0: the text's own line */
	const char *origin;          /* "WAN rule 3 'Allow web', tracker 1681417472", or NULL */
};

struct pk_srcmap {
	const char *file; /* the file the lines point into */
	const struct pk_srcline *v; /* v[i]: generated line i + 1 */
	uint32_t n;
};

/* The origin of a line the product writes itself, not the admin
 * ("generated: Default deny rule IPv4"): the linter reports nothing about
 * such a rule, which the admin cannot change. */
#define PK_ORIGIN_GENERATED "generated: "
bool pk_loc_generated(const struct pk_loc *loc);

/* Moves loc (in the generated text) to where its line came from. */
void pk_srcmap_apply(const struct pk_srcmap *m, struct pk_loc *loc);

#endif
