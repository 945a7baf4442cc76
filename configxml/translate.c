/*
 * configxml/translate.c: config.xml to pf text, in the order of pfSense's
 * rules.debug (reference §5): topology and system aliases, user aliases,
 * options, NAT, generated and user filter rules.
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/configxml.h"
#include "configxml/cx.h"

bool pk_cx_is_xml(const char *text, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	return i < len && text[i] == '<';
}

/* pfSense's <version> is the schema's: 9.x is 2.1, 22.9 is 2.7.0, 24.x
 * is 2.8. Outside of what the reference describes, refuse. */
static int check_version(struct cx *c)
{
	c->net_tables = true;
	c->dhcp_tagged = true;
	if (c->product != CX_PFSENSE || c->section)
		return 0;
	const xmlNode *v = cx_child(c->root, "version");
	const char *s = v ? cx_content(c, v) : NULL;
	char *end = NULL;
	double n = s ? strtod(s, &end) : 0;
	c->net_tables = n >= 22.9;
	c->dhcp_tagged = n >= 22.9;
	if (s && end != s && !*end && n >= 9.0 && n < 26.0)
		return 0;
	cx_error(c, v ? v : c->root, "unknown pfSense config version '%s': picket reads versions 9.0 (2.1) to 25.x (2.8)",
		 s ? s : "(none)");
	return -1;
}

/* Tables the product fills itself, by product. */
static const char *const run_time_tables[][6] = {
	[CX_PFSENSE] = {"sshguard", "snort2c", "virusprot", "bogons", "bogonsv6", NULL},
	[CX_OPNSENSE] = {"sshlockout", "virusprot", "bogons", "bogonsv6", NULL},
};

static void write_system_tables(struct cx *c)
{
	const char *names = "";
	for (const char *const *t = run_time_tables[c->product]; *t; t++) {
		cx_line(c, c->root, NULL, "table <%s> persist", *t);
		names = pk_arena_printf(c->a, "%s%s<%s>", names, *names ? ", " : "", *t);
	}
	cx_note(c, c->root, "tables %s are filled by the product at run time (the bogons come from a download, not "
		"config.xml): they start empty here, and lint rests no finding on their emptiness", names);
}

static void write_full(struct cx *c)
{
	cx_ifaces_write(c);
	write_system_tables(c);
	cx_blank(c);
	cx_aliases_write(c);
	cx_blank(c);
	cx_system_write(c);
	if (c->product == CX_PFSENSE)
		cx_scrub_write(c);
	cx_blank(c);
	cx_nat_write(c);
	cx_blank(c);
	if (c->product == CX_OPNSENSE) {
		cx_opnsense_generated_write(c);
		cx_rules_write(c);
		return;
	}
	cx_generated_write(c);
	cx_rules_write(c);
	cx_generated_after_user(c);
}

static void write_section(struct cx *c)
{
	if (!strcmp(c->section, "aliases")) {
		cx_note(c, c->root, "an <aliases> export: tables and macros only; it has no interfaces, NAT or rules");
		cx_aliases_write(c);
		return;
	}
	cx_note(c, c->root, "a <filter> export: it has no <interfaces>, <aliases>, <nat> or <system>; interface names "
		"stand for devices without addresses, aliases for tables filled at run time, and the rules the product "
		"generates around the user's are left out");
	cx_ifaces_write(c);
	cx_aliases_write(c);
	cx_blank(c);
	cx_rules_write(c);
}

int pk_cx_translate(struct pk_arena *a, const char *name, const char *text, size_t len, const char *topology,
		    struct pk_diags *d, struct pk_cx_text *out)
{
	struct cx c = {.a = a, .d = d, .file = pk_arena_strdup(a, name), .topology = topology};
	memset(out, 0, sizeof(*out));
	if (cx_read(&c, text, len) == 0 && check_version(&c) == 0) {
		cx_ifaces_read(&c);
		cx_aliases_read(&c);
		cx_mvc_rules_read(&c);
		cx_line(&c, c.root, NULL, "# %s: %s configuration, as pf rules", name,
			c.product == CX_PFSENSE ? "pfSense" : "OPNsense");
		if (c.section)
			write_section(&c);
		else
			write_full(&c);
	}
	if (c.doc)
		xmlFreeDoc(c.doc);
	pk_lines_free(&c.xml_lines);
	if (c.failed)
		return -1;
	out->text = c.buf ? c.buf : pk_arena_strdup(a, "");
	out->len = c.len;
	out->map = (struct pk_srcmap){.file = c.file, .v = c.lines, .n = c.nlines};
	return 0;
}
