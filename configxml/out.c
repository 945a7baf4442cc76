/* configxml/out.c: the pf text and its line map (see cx.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

static void append(struct cx *c, const char *s, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		while (cap < c->len + n + 1)
			cap *= 2;
		c->buf = pk_arena_grow(c->a, c->buf, c->len, cap, 1);
		c->cap = cap;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

/* The columns of the element's line: from its first character to the
 * line's last, what a caret under a config.xml line should cover. */
static struct pk_srcline locate(const struct cx *c, const xmlNode *at, const char *origin)
{
	struct pk_srcline s = {.line = cx_lineno(at), .origin = origin};
	size_t n;
	const char *t = s.line ? pk_lines_get(&c->xml_lines, s.line, &n) : NULL;
	if (!t) {
		s.line = 0;
		return s;
	}
	size_t i = 0;
	while (i < n && (t[i] == ' ' || t[i] == '\t'))
		i++;
	s.col = (uint32_t)i + 1;
	s.end_col = n > i ? (uint32_t)n : s.col;
	return s;
}

static void add_line(struct cx *c, const xmlNode *at, const char *origin, const char *text, size_t n)
{
	append(c, text, n);
	append(c, "\n", 1);
	c->lines = pk_arena_reserve(c->a, c->lines, c->nlines, &c->linecap, 256, sizeof(*c->lines));
	c->lines[c->nlines++] = locate(c, at, origin);
}

void cx_line(struct cx *c, const xmlNode *at, const char *origin, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* one entry per line, even when a value held a newline */
	for (char *p = s, *nl; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		add_line(c, at, origin, p, nl ? (size_t)(nl - p) : strlen(p));
	}
	free(s);
}

void cx_blank(struct cx *c)
{
	add_line(c, NULL, NULL, "", 0);
}

static void diag(struct cx *c, enum pk_severity sev, const xmlNode *at, const char *fmt, va_list ap)
{
	struct pk_srcline s = locate(c, at, NULL);
	struct pk_loc l = {.file = c->file, .line = s.line, .col = s.col, .end_line = s.line, .end_col = s.end_col};
	pk_diag_vadd(c->d, sev, &l, NULL, fmt, ap);
}

void cx_note(struct cx *c, const xmlNode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag(c, PK_SEV_NOTE, at, fmt, ap);
	va_end(ap);
}

void cx_error(struct cx *c, const xmlNode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag(c, PK_SEV_ERROR, at, fmt, ap);
	va_end(ap);
	c->failed = true;
}
