/* tests/support/cxtest.c: what the config.xml tests share (see cxtest.h). */
#include "tests/support/cxtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "configxml/configxml.h"

char *pk_cxt_pfsense(const char *system, const char *sections)
{
	char *x = NULL;
	if (asprintf(&x,
		     "<?xml version=\"1.0\"?>\n<pfsense>\n<version>23.3</version>\n<system>%s</system>\n"
		     "<interfaces>\n"
		     "<wan><enable/><if>em0</if><descr>WAN</descr><ipaddr>10.0.2.4</ipaddr><subnet>24</subnet>"
		     "<gateway>WANGW</gateway></wan>\n"
		     "<lan><enable/><if>em1</if><descr>LAN</descr><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>\n"
		     "</interfaces>\n"
		     "<gateways><gateway_item><interface>wan</interface><gateway>10.0.2.1</gateway><name>WANGW</name>"
		     "</gateway_item></gateways>\n%s\n</pfsense>\n",
		     system, sections) < 0)
		fail_msg("out of memory");
	return x;
}

static char *print_diags(const struct pk_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pk_diags_print(d, f, PK_COLOR_NEVER);
	fclose(f);
	return buf;
}

char *pk_cxt_import(const char *xml, char **diags)
{
	struct pk_diags d;
	pk_diags_init(&d);
	pk_diags_add_source(&d, "config.xml", xml, strlen(xml));
	struct pk_arena *a = pk_arena_new();
	struct pk_cx_text t;
	char *out = NULL;
	if (pk_cx_translate(a, "config.xml", xml, strlen(xml), NULL, &d, &t) == 0)
		out = strndup(t.text, t.len);
	if (diags)
		*diags = print_diags(&d);
	pk_arena_free(a);
	pk_diags_free(&d);
	return out;
}

char *pk_cxt_import_ok(const char *xml)
{
	char *msgs;
	char *t = pk_cxt_import(xml, &msgs);
	if (!t)
		fail_msg("config.xml does not translate:\n%s", msgs);
	free(msgs);
	return t;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

void pk_cxt_expect_line(const char *text, const char *line)
{
	if (!has_line(text, line))
		fail_msg("no line\n  %s\nin\n%s", line, text);
}

void pk_cxt_expect_no(const char *text, const char *fragment)
{
	if (strstr(text, fragment))
		fail_msg("unexpected '%s' in\n%s", fragment, text);
}

struct pk_ir_ruleset *pk_cxt_load(const char *xml, struct pk_diags *d)
{
	struct pk_ir_ruleset *rs = NULL;
	pk_diags_init(d);
	if (pk_frontend_load_string("config.xml", xml, strlen(xml), NULL, d, &rs)) {
		char *m = print_diags(d);
		print_message("%s", m);
		free(m);
	}
	return rs;
}

const struct pk_ir_rule *pk_cxt_rule(const struct pk_ir_ruleset *rs, const char *label)
{
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].label && !strcmp(rs->rules[i].label, label))
			return &rs->rules[i];
	return NULL;
}
