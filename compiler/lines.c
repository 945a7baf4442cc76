/* compiler/lines.c: the line index of compiler/lines.h. */
#include "compiler/lines.h"

#include <stdlib.h>
#include <string.h>

bool pk_lines_index(struct pk_lines *ix, const char *text, size_t len)
{
	memset(ix, 0, sizeof(*ix));
	uint32_t n = 1;
	for (size_t k = 0; k < len; k++)
		n += text[k] == '\n';
	ix->start = malloc(((size_t)n + 1) * sizeof(*ix->start));
	if (!ix->start)
		return false;
	ix->text = text;
	ix->len = len;
	ix->start[0] = 0;
	ix->n = 1;
	for (size_t k = 0; k < len; k++)
		if (text[k] == '\n')
			ix->start[ix->n++] = k + 1;
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
