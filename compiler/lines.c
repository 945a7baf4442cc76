/* compiler/lines.c: the line index of compiler/lines.h. */
#include "compiler/lines.h"

#include <stdlib.h>
#include <string.h>

/* The first newline of text[at..len), or NULL: memchr, since a rule file
 * of megabytes is indexed whole and a loop over its bytes was the cost. */
static const char *next_newline(const char *text, size_t len, size_t at)
{
	return at < len ? memchr(text + at, '\n', len - at) : NULL;
}

bool pk_lines_index(struct pk_lines *ix, const char *text, size_t len)
{
	memset(ix, 0, sizeof(*ix));
	uint32_t n = 1;
	const char *nl;
	for (size_t at = 0; (nl = next_newline(text, len, at)) != NULL; at = (size_t)(nl - text) + 1)
		n++;
	ix->start = malloc(((size_t)n + 1) * sizeof(*ix->start));
	if (!ix->start)
		return false;
	ix->text = text;
	ix->len = len;
	ix->start[0] = 0;
	ix->n = 1;
	while ((nl = next_newline(text, len, ix->start[ix->n - 1])) != NULL)
		ix->start[ix->n++] = (size_t)(nl - text) + 1;
	ix->start[ix->n] = len + 1; /* where a newline after the text would end the last line */
	return true;
}

const char *pk_lines_get(const struct pk_lines *ix, uint32_t line, size_t *len)
{
	if (line < 1 || line > ix->n)
		return NULL;
	size_t a = ix->start[line - 1], n = ix->start[line] - a - 1;
	if (n && ix->text[a + n - 1] == '\r')
		n--;
	*len = n;
	return ix->text + a;
}

void pk_lines_free(struct pk_lines *ix)
{
	free(ix->start);
	memset(ix, 0, sizeof(*ix));
}
