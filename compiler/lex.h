/*
 * compiler/lex.h: the lexer the grammar calls: flex's scanner plus macros,
 * `include` and the skipping of statements outside the language subset.
 *
 * It keeps a stack of scanners: the main file, included files, and the text
 * of macros being expanded (whose tokens carry the location of the `$name`
 * that produced them). The macro table is hashed.
 */
#ifndef PK_COMPILER_LEX_H
#define PK_COMPILER_LEX_H

#include <stddef.h>

#include "compiler/ast.h"
#include "compiler/loc.h"
#include "compiler/srcmap.h"
#include "runtime/err.h"

/* What one flex scanner knows: where it is, and whose arena to use. */
struct pk_scan_extra {
	struct pk_parse *p;
	const char *file;
	unsigned line, col;
	const struct pk_srcmap *map; /* generated text: where its lines came from */
};

/* Called by the generated scanner. */
void pk_scan_advance(struct pk_scan_extra *x, struct pk_loc *loc, const char *text, size_t len);
char *pk_scan_text(struct pk_scan_extra *x, const char *text, size_t len);
char *pk_scan_unquote(struct pk_scan_extra *x, const char *text, size_t len);
int pk_scan_word(const char *word);

/* Set up and tear down the lexer of a parse; the main file is pushed by
 * pk_lex_push_file. */
void pk_lex_init(struct pk_parse *p);
void pk_lex_free(struct pk_parse *p);
void pk_lex_push_file(struct pk_parse *p, const char *file, const char *text, size_t len);
/* The same for a generated text whose tokens are located through map. */
void pk_lex_push_mapped(struct pk_parse *p, const char *file, const char *text, size_t len,
			const struct pk_srcmap *map);
/* Define a macro (later definitions replace earlier ones, as in pfctl). */
void pk_lex_define(struct pk_parse *p, const char *name, const char *value);

/* The statement read so far (to its end once the grammar has seen it
 * whole), tokens as written with macros expanded, in the parse's arena. */
const char *pk_lex_statement(struct pk_parse *p);

/* A file named in file cur (include, load anchor): a relative name is
 * taken from cur's directory when the file is there, else as given. */
char *pk_lex_path_from(struct pk_parse *p, const char *cur, const char *name);
/* An absolute path of the host the rules were written for, read under root
 * (--root DIR, a copy of that host's files) when root is not NULL. */
char *pk_lex_host_path(struct pk_arena *a, const char *root, const char *path);
/* Reads a whole rule file into the arena (runtime/infile.h: "-" is
 * standard input); NULL with err set when it cannot be read or is not text. */
char *pk_lex_read_file(struct pk_arena *a, const char *path, size_t *len, struct pk_err *err);

#endif
