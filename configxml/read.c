/*
 * configxml/read.c: config.xml bytes to a libxml2 tree, refusing what an
 * untrusted backup must not do: reach the network, expand entities (the
 * "billion laughs" bomb), read external entities or a DTD, or be larger
 * than any real backup.
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "configxml/cx.h"

/* Real backups with RRD data and packages reach a few tens of MB. */
#define CX_MAX_BYTES (64u << 20)

static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static void refuse_at(struct cx *c, unsigned line, const char *msg)
{
	struct pk_loc l = {.file = c->file, .line = line, .col = 1, .end_line = line, .end_col = 1};
	pk_error(c->d, &l, "%s", msg);
	c->failed = true;
}

/* A backup never declares entities: refuse before the parser sees them,
 * so nothing is expanded, however the DOCTYPE is written. */
static int refuse_entities(struct cx *c, const char *text, size_t len)
{
	const char *e = memmem(text, len, "<!ENTITY", 8);
	if (!e)
		return 0;
	refuse_at(c, line_of(text, e), "refused: the DOCTYPE declares entities (no pfSense or OPNsense "
		  "backup has them; entities are how XML bombs and external-entity reads work)");
	return -1;
}

/* The first error libxml2 reports: the later ones follow from it. */
struct first_error {
	int line;
	char msg[400];
};

static void keep_first(void *ctx, xmlErrorPtr e)
{
	struct first_error *f = ctx;
	if (f->msg[0] || !e || e->level < XML_ERR_ERROR)
		return;
	f->line = e->line;
	snprintf(f->msg, sizeof(f->msg), "not well-formed XML: %s", e->message ? e->message : "parse error");
	f->msg[strcspn(f->msg, "\n")] = '\0';
}

static int parse(struct cx *c, const char *text, size_t len)
{
	xmlParserCtxtPtr ctx = xmlNewParserCtxt();
	if (!ctx) {
		refuse_at(c, 0, "out of memory reading the XML");
		return -1;
	}
	struct first_error first = {0};
	xmlSetStructuredErrorFunc(&first, keep_first);
	/* no NOENT (no substitution), no DTDLOAD/DTDATTR, no network */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	c->doc = xmlCtxtReadMemory(ctx, text, (int)len, c->file, NULL, opts);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!c->doc)
		refuse_at(c, (unsigned)first.line, first.msg[0] ? first.msg : "not well-formed XML");
	xmlFreeParserCtxt(ctx);
	return c->doc ? 0 : -1;
}

static int refuse_external(struct cx *c, const char *text, size_t len)
{
	const xmlDtd *dtd = c->doc->intSubset;
	if (!c->doc->extSubset && !(dtd && (dtd->SystemID || dtd->ExternalID || dtd->entities)))
		return 0;
	const char *at = memmem(text, len, "<!DOCTYPE", 9);
	refuse_at(c, at ? line_of(text, at) : 1, "refused: the DOCTYPE names an external DTD (a backup names none; "
		  "picket reads no DTD and makes no network access)");
	return -1;
}

static const char *const roots[] = {"pfsense", "opnsense", "filter", "aliases"};

static int take_root(struct cx *c)
{
	c->root = xmlDocGetRootElement(c->doc);
	const char *name = c->root ? (const char *)c->root->name : "";
	for (unsigned i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (strcmp(name, roots[i]))
			continue;
		c->product = i == 1 ? CX_OPNSENSE : CX_PFSENSE;
		c->section = i >= 2 ? roots[i] : NULL;
		return 0;
	}
	cx_error(c, c->root, "not a pfSense or OPNsense configuration: the root element is <%s>, "
		 "not <pfsense>, <opnsense>, or a one-section export (<filter>, <aliases>)", name);
	return -1;
}

int cx_read(struct cx *c, const char *text, size_t len)
{
	if (len > CX_MAX_BYTES) {
		refuse_at(c, 0, "refused: larger than 64 MiB, more than any pfSense or OPNsense backup");
		return -1;
	}
	pk_lines_index(&c->xml_lines, text, len);
	if (refuse_entities(c, text, len) || parse(c, text, len) || refuse_external(c, text, len))
		return -1;
	return take_root(c);
}
