/* cli/source_lines.c: rule files read once, for quoting their lines. */
#include "cli/source_lines.h"

#include <string.h>

#include "compiler/lines.h"
#include "runtime/infile.h"
#include "runtime/xalloc.h"

#define CACHED_FILES 16 /* a ruleset with its anchors and topology; more are not quoted */

struct src_file {
	char *path, *text;
	struct pk_lines lines;
};
static struct src_file cache[CACHED_FILES];

static const struct src_file *source_file(const char *path)
{
	size_t i;
	for (i = 0; i < CACHED_FILES && cache[i].path; i++)
		if (!strcmp(cache[i].path, path))
			return &cache[i];
	if (i == CACHED_FILES)
		return NULL;
	/* read as the front end reads rule files (sized up front, a byte
	 * order mark dropped); a file gone or no longer text is not quoted */
	struct pk_infile f;
	struct pk_err err;
	cache[i].path = pk_xstrdup(path);
	if (pk_infile_read(path, PK_INFILE_TEXT, &f, &err) < 0)
		return &cache[i];
	cache[i].text = f.data;
	pk_lines_index(&cache[i].lines, f.data, f.len); /* without memory, no line is quoted */
	return &cache[i];
}

const char *pk_source_line(const char *path, uint32_t line, size_t *len)
{
	const struct src_file *sf = path ? source_file(path) : NULL;
	return sf && sf->text ? pk_lines_get(&sf->lines, line, len) : NULL;
}
