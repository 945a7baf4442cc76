/* configxml/xml.c: reading elements of the config.xml tree (see cx.h). */
#include <ctype.h>
#include <string.h>

#include "configxml/cx.h"

static bool named(const xmlNode *n, const char *tag)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, tag);
}

const xmlNode *cx_child(const xmlNode *n, const char *tag)
{
	for (const xmlNode *k = n ? n->children : NULL; k; k = k->next)
		if (named(k, tag))
			return k;
	return NULL;
}

const xmlNode *cx_next(const xmlNode *n, const char *tag)
{
	for (const xmlNode *k = n->next; k; k = k->next)
		if (named(k, tag))
			return k;
	return NULL;
}

const char *cx_content(struct cx *c, const xmlNode *n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	const char *s = raw ? (const char *)raw : "";
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *out = pk_arena_strndup(c->a, s, len);
	xmlFree(raw);
	return out;
}

const char *cx_text(struct cx *c, const xmlNode *n, const char *tag)
{
	const xmlNode *k = cx_child(n, tag);
	return k ? cx_content(c, k) : NULL;
}

bool cx_flag(const struct cx *c, const xmlNode *n, const char *tag)
{
	const xmlNode *k = cx_child(n, tag);
	if (!k)
		return false;
	if (c->product == CX_PFSENSE)
		return true;
	/* OPNsense tests !empty(): "" and "0" are false */
	xmlChar *raw = xmlNodeGetContent(k);
	bool set = raw && raw[0] && strcmp((const char *)raw, "0");
	xmlFree(raw);
	return set;
}

const xmlNode *cx_section(const struct cx *c, const char *tag)
{
	if (c->section)
		return !strcmp(c->section, tag) ? c->root : NULL;
	return cx_child(c->root, tag);
}

unsigned cx_lineno(const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;
	return l > 0 ? (unsigned)l : 0;
}
