/*
 * configxml/aliases.c: <aliases><alias> (and OPNsense's Firewall/Alias) as
 * tables and macros (reference §3). Host and network aliases become
 * tables with their entries, nested aliases expanded; port aliases a macro
 * of ports. What config.xml does not hold (urltable downloads, names
 * filterdns resolves, GeoIP...) becomes a table that starts empty, which
 * the linter treats as filled at run time.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "configxml/cx.h"

#define CX_ALIAS_DEPTH 16

static const char *const port_types[] = {"port", "url_ports", "urltable_ports"};
static const char *const runtime_types[] = {"urltable", "urltable_ports", "url_ports", "geoip", "external",
					    "dynipv6host", "mac", "asn", "authgroup", "internal"};

static bool in(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void add(struct cx *c, const xmlNode *n, const char *name, const char *type)
{
	if (!name || !*name || all_digits(name))
		return;
	c->al = pk_arena_reserve(c->a, c->al, c->nal, &c->alcap, 16, sizeof(*c->al));
	struct cx_alias *a = &c->al[c->nal++];
	a->name = name;
	a->type = type ? type : "host";
	a->node = n;
	a->is_port = in(a->type, port_types, sizeof(port_types) / sizeof(*port_types));
	a->runtime = in(a->type, runtime_types, sizeof(runtime_types) / sizeof(*runtime_types));
}

/* A <filter> export names aliases it does not hold: each is a table
 * filled at run time (or, in a port field, a port alias with no ports). */
static void stand_in(struct cx *c, const xmlNode *r, const char *name, bool port)
{
	if (!name || !*name || cx_alias(c, name) || cx_literal_net(name) || strspn(name, "0123456789-:") == strlen(name))
		return;
	add(c, r, name, port ? "port" : "unknown");
	c->al[c->nal - 1].runtime = true;
}

static void stand_ins(struct cx *c)
{
	static const char *const ends[] = {"source", "destination"};
	cx_each(r, c->root, "rule")
		for (unsigned k = 0; k < 2; k++) {
			const xmlNode *e = cx_child(r, ends[k]);
			stand_in(c, r, cx_text(c, e, "address"), false);
			stand_in(c, r, cx_text(c, e, "port"), true);
		}
}

void cx_aliases_read(struct cx *c)
{
	cx_each(n, cx_section(c, "aliases"), "alias")
		add(c, n, cx_text(c, n, "name"), cx_text(c, n, "type"));
	/* OPNsense's MVC aliases: OPNsense/Firewall/Alias/aliases/alias */
	const xmlNode *mvc = cx_child(cx_child(cx_child(cx_child(c->root, "OPNsense"), "Firewall"), "Alias"), "aliases");
	cx_each(n, mvc, "alias")
		if (cx_flag(c, n, "enabled") || !cx_child(n, "enabled"))
			add(c, n, cx_text(c, n, "name"), cx_text(c, n, "type"));
	if (c->section && !strcmp(c->section, "filter"))
		stand_ins(c);
}

const struct cx_alias *cx_alias(const struct cx *c, const char *name)
{
	for (uint32_t i = 0; name && i < c->nal; i++)
		if (!strcmp(c->al[i].name, name))
			return &c->al[i];
	return NULL;
}

/* An IPv4 range a-b as the networks that cover it, as pfSense writes it. */
static const char *range_cidrs(struct cx *c, const char *s)
{
	const char *dash = strchr(s, '-');
	char lo[32], hi[32];
	struct in_addr x, y;
	if (!dash || (size_t)(dash - s) >= sizeof(lo) || strlen(dash + 1) >= sizeof(hi))
		return NULL;
	memcpy(lo, s, (size_t)(dash - s));
	lo[dash - s] = '\0';
	strcpy(hi, dash + 1);
	if (inet_pton(AF_INET, lo, &x) != 1 || inet_pton(AF_INET, hi, &y) != 1)
		return NULL;
	uint64_t a = ntohl(x.s_addr), b = ntohl(y.s_addr);
	const char *out = "";
	while (a <= b) {
		unsigned bits = 32;
		while (bits > 0 && !(a & ((1ull << (33 - bits)) - 1)) && a + (1ull << (33 - bits)) - 1 <= b)
			bits--;
		struct in_addr net = {.s_addr = htonl((uint32_t)a)};
		char t[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &net, t, sizeof(t));
		out = pk_arena_printf(c->a, "%s %s/%u", out, t, bits);
		a += 1ull << (32 - bits);
	}
	return out;
}

/* The entries of an alias, space- (pfSense) or newline-separated
 * (OPNsense), with nested aliases expanded; NULL when one is a name
 * config.xml cannot resolve (an FQDN: filled at run time). */
static const char *entries(struct cx *c, const struct cx_alias *al, unsigned depth)
{
	const char *raw = cx_text(c, al->node, "address");
	if (!raw)
		raw = cx_text(c, al->node, "content");
	if (!raw || depth > CX_ALIAS_DEPTH || al->runtime)
		return NULL;
	char *dup = pk_arena_strdup(c->a, raw), *save = NULL;
	const char *out = "";
	for (char *w = strtok_r(dup, " \n\t", &save); w; w = strtok_r(NULL, " \n\t", &save)) {
		const struct cx_alias *sub = cx_alias(c, w);
		const char *e = sub ? entries(c, sub, depth + 1) : al->is_port ? NULL : range_cidrs(c, w);
		if (sub && !e)
			return NULL;
		if (!e && al->is_port)
			e = pk_arena_printf(c->a, " %s", w);
		else if (!e && cx_literal_net(w))
			e = pk_arena_printf(c->a, " %s", w);
		else if (!e)
			return NULL;
		out = pk_arena_printf(c->a, "%s%s", out, e);
	}
	return out;
}

static const char *port_list(struct cx *c, const char *e)
{
	char *s = pk_arena_strdup(c->a, e);
	for (char *p = s; *p; p++)
		if (*p == '-')
			*p = ':';
	return s;
}

bool cx_alias_has_ports(struct cx *c, const struct cx_alias *al)
{
	const char *e = entries(c, al, 0);
	return e && *e;
}

static void write_one(struct cx *c, const struct cx_alias *al)
{
	const char *e = entries(c, al, 0);
	const char *descr = cx_text(c, al->node, "descr");
	if (descr && *descr)
		cx_line(c, al->node, NULL, "# %s", descr);
	if (al->is_port) {
		if (!e || !*e) {
			cx_note(c, al->node, "port alias '%s' has no ports config.xml holds: rules using it are left out", al->name);
			return;
		}
		cx_line(c, al->node, NULL, "%s = \"{%s }\"", al->name, port_list(c, e));
		return;
	}
	if (e && *e) {
		cx_line(c, al->node, NULL, "table <%s> {%s }", al->name, e);
	} else {
		if (!e)
			cx_note(c, al->node, "alias '%s' (%s) is filled at run time by the product, not from config.xml: "
				"table <%s> starts empty here and lint rests no finding on it", al->name, al->type, al->name);
		cx_line(c, al->node, NULL, "table <%s> persist", al->name);
	}
	cx_line(c, al->node, NULL, "%s = \"<%s>\"", al->name, al->name);
}

void cx_aliases_write(struct cx *c)
{
	cx_line(c, NULL, NULL, "# User aliases");
	for (uint32_t i = 0; i < c->nal; i++)
		write_one(c, &c->al[i]);
}
