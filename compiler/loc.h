/*
 * compiler/loc.h: a span of source text.
 *
 * Every AST node, IR rule and finding carries one, so every message can
 * name file, line and column and underline the span. Lines and columns are
 * 1-based; end_col is the column of the span's last character.
 */
#ifndef PK_COMPILER_LOC_H
#define PK_COMPILER_LOC_H

#include <stdint.h>

struct pk_loc {
	const char *file; /* as the user named it; NULL for built-in things */
	uint32_t line, col;
	uint32_t end_line, end_col;
	const char *origin; /* the GUI's name of the element (compiler/srcmap.h), or NULL */
};

#endif
