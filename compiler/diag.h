/*
 * compiler/diag.h: located diagnostics, collected then printed.
 *
 * Errors are values (STYLE rule 7): stages append to a struct pk_diags and
 * return a status; only main decides the exit code. The sink owns copies of
 * the source texts it was given, so it can print the offending line with a
 * caret under the span, like a compiler:
 *
 *   rules.conf:12:27: error: unknown macro '$nass' (did you mean '$nas'?)
 *      12 | pass in on $lan proto tcp to $nass port ssh
 *         |                              ^~~~~
 *
 * Colour only when the output is a terminal (or forced).
 */
#ifndef PK_COMPILER_DIAG_H
#define PK_COMPILER_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "compiler/loc.h"

enum pk_severity { PK_SEV_NOTE, PK_SEV_INFO, PK_SEV_WARNING, PK_SEV_ERROR };

struct pk_diag {
	enum pk_severity sev;
	struct pk_loc loc;
	char *msg;   /* "unknown macro '$nass' (did you mean '$nas'?)" */
	char *code;  /* optional tag printed as " [code]": lint ids, "unsupported" */
	/* Notes attached to this diagnostic (e.g. "covering rule is here"). */
	struct pk_diag *notes;
	unsigned nnotes;
};

struct pk_diags {
	struct pk_diag *v;
	unsigned n, cap;
	unsigned nerrors, nwarnings;
	unsigned nunsupported; /* of them, "unsupported: FEATURE" warnings */
	/* registered source texts, for printing lines */
	struct pk_diag_source *sources;
	unsigned nsources;
};

void pk_diags_init(struct pk_diags *d);
void pk_diags_free(struct pk_diags *d);

/* Register the text of a file so diagnostics can quote it. Copies text. */
void pk_diags_add_source(struct pk_diags *d, const char *file, const char *text, size_t len);
/* The line of a registered source, without "\n" or "\r\n"; NULL if unknown. */
const char *pk_diags_line(const struct pk_diags *d, const char *file, unsigned line, size_t *len);

/* Append a diagnostic; returns it so notes can be attached. */
struct pk_diag *pk_diag_add(struct pk_diags *d, enum pk_severity sev, const struct pk_loc *loc,
			    const char *code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
struct pk_diag *pk_diag_vadd(struct pk_diags *d, enum pk_severity sev, const struct pk_loc *loc,
			     const char *code, const char *fmt, va_list ap);
void pk_diag_note(struct pk_diag *parent, const struct pk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define pk_error(d, loc, ...) pk_diag_add((d), PK_SEV_ERROR, (loc), NULL, __VA_ARGS__)
#define pk_warning(d, loc, ...) pk_diag_add((d), PK_SEV_WARNING, (loc), NULL, __VA_ARGS__)
/* Features outside the language subset: "unsupported: <feature>". A
 * warning: check, lint and print go on with the rest of the file (the
 * rule is kept, as one that may match anything); what needs bytecode
 * refuses it with pk_diags_refuse_unsupported. */
#define PK_DIAG_UNSUPPORTED "unsupported"
#define pk_unsupported(d, loc, feature) \
	pk_diag_add((d), PK_SEV_WARNING, (loc), PK_DIAG_UNSUPPORTED, "unsupported: %s", (feature))
/* Makes every unsupported warning an error (compile, replay: no bytecode
 * can hold the feature); returns how many there were. */
unsigned pk_diags_refuse_unsupported(struct pk_diags *d);

enum pk_diag_color { PK_COLOR_AUTO, PK_COLOR_NEVER, PK_COLOR_ALWAYS };

/* Print all diagnostics in order, each with its source line and caret. */
void pk_diags_print(const struct pk_diags *d, FILE *out, enum pk_diag_color color);
/* Print one diagnostic (used by the linter, which prints as it sorts). */
void pk_diag_print(const struct pk_diags *d, const struct pk_diag *g, FILE *out, bool color);

/* Edit distance helper for "did you mean" hints; returns the best of cands
 * within a small distance of name, or NULL. */
const char *pk_did_you_mean(const char *name, const char *const *cands, unsigned n);

const char *pk_severity_name(enum pk_severity sev);

#endif
