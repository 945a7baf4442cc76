/* cli/source_lines.c: rule files read once, for quoting their lines. */
#include "cli/source_lines.h"

#include <stdio.h>
#include <string.h>

#include "compiler/lines.h"
#include "runtime/xalloc.h"

#define CACHED_FILES 16 /* a ruleset with its anchors and topology; more are not quoted */

struct src_file {
	char *path, *text;
	struct pk_lines lines;
};
static struct src_file cache[CACHED_FILES];

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	*len = 0;
	if (!f)
		return NULL;
	FILE *m = open_memstream(&text, len);
	char chunk[4096];
	size_t got;
	while (m && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, got, m);
	if (m)
		fclose(m);
	fclose(f);
	return text;
}

static const struct src_file *source_file(const char *path)
{
	size_t i;
	for (i = 0; i < CACHED_FILES && cache[i].path; i++)
		if (!strcmp(cache[i].path, path))
			return &cache[i];
	if (i == CACHED_FILES)
		return NULL;
	size_t len;
	cache[i].path = pk_xstrdup(path);
	cache[i].text = read_whole(path, &len);
	if (cache[i].text)
		pk_lines_index(&cache[i].lines, cache[i].text, len); /* without memory, no line is quoted */
	return &cache[i];
}

const char *pk_source_line(const char *path, uint32_t line, size_t *len)
{
	const struct src_file *sf = path ? source_file(path) : NULL;
	return sf && sf->text ? pk_lines_get(&sf->lines, line, len) : NULL;
}
