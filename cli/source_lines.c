/* cli/source_lines.c: rule files read once, for quoting their lines. */
#include "cli/source_lines.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/lines.h"
#include "runtime/xalloc.h"

#define CACHED_FILES 16 /* a ruleset with its anchors and topology; more are not quoted */

struct src_file {
	char *path, *text;
	struct pk_lines lines;
};
static struct src_file cache[CACHED_FILES];

/* The file's bytes as they are. Room for a regular file's size up front:
 * the rule file of a large set is megabytes, and a buffer grown by
 * doubling, as a memory stream's is, touches and copies about twice that.
 * A read error keeps what was read before it. */
static char *read_whole(const char *path, size_t *len)
{
	*len = 0;
	const int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096;
	char *text = pk_xmalloc(cap);
	for (;;) {
		if (*len == cap)
			text = pk_xrealloc(text, cap *= 2);
		const ssize_t got = read(fd, text + *len, cap - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		*len += (size_t)got;
	}
	close(fd);
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
