/* compiler/srcmap.c: locations of generated lines (see srcmap.h). */
#include "compiler/srcmap.h"

#include <string.h>

void pk_srcmap_apply(const struct pk_srcmap *m, struct pk_loc *loc)
{
	if (!m || loc->line == 0 || loc->line > m->n)
		return;
	const struct pk_srcline *s = &m->v[loc->line - 1];
	if (!s->line)
		return;
	loc->file = m->file;
	loc->line = loc->end_line = s->line;
	loc->col = s->col;
	loc->end_col = s->end_col;
	loc->origin = s->origin;
}

bool pk_loc_generated(const struct pk_loc *loc)
{
	return loc->origin && !strncmp(loc->origin, PK_ORIGIN_GENERATED, strlen(PK_ORIGIN_GENERATED));
}
