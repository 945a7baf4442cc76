/*
 * compiler/lines.h: line N of a text, the one way the toolchain quotes a
 * source line (diagnostics, the linter's suppressions and source checks,
 * `picket explain` and replay's rule lines).
 *
 * An index of where each line starts makes a look-up constant time: the
 * linter and replay quote many lines of one file. A line is returned
 * without its end, "\n" or "\r\n": a file written on Windows quotes the
 * same as any other.
 */
#ifndef PK_COMPILER_LINES_H
#define PK_COMPILER_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pk_lines {
	const char *text; /* borrowed */
	size_t len;
	size_t *start; /* start[l - 1]: where line l starts; start[n]: len + 1 */
	uint32_t n;    /* lines: the newlines plus one */
};

/* Index text[0..len). False when out of memory (the index is then empty). */
bool pk_lines_index(struct pk_lines *ix, const char *text, size_t len);
/* Line `line` (the first is 1) and in *len its length without its end;
 * NULL past the last line. */
const char *pk_lines_get(const struct pk_lines *ix, uint32_t line, size_t *len);
void pk_lines_free(struct pk_lines *ix);

#endif
