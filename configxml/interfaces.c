/*
 * configxml/interfaces.c: <interfaces>, <gateways>, <virtualip>,
 * <ifgroups> and <staticroutes> as picket's topology (interface and route
 * lines), then the interface macros and networks of pfSense's "System
 * aliases" (reference §2).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

bool cx_literal_ip(const char *s, bool inet6)
{
	unsigned char bin[16];
	return s && inet_pton(inet6 ? AF_INET6 : AF_INET, s, bin) == 1;
}

bool cx_literal_net(const char *s)
{
	char buf[64];
	size_t n = strcspn(s, "/");
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return cx_literal_ip(buf, false) || cx_literal_ip(buf, true);
}

static const char *upper(struct cx *c, const char *s)
{
	char *u = pk_arena_strdup(c->a, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* A pf macro name from the GUI's description: pfSense keeps those to
 * letters, digits and '_'; OPNsense allows anything. */
static const char *macro_name(struct cx *c, const char *descr)
{
	char *m = (char *)upper(c, descr);
	for (char *p = m; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	return isdigit((unsigned char)m[0]) ? pk_arena_printf(c->a, "_%s", m) : m;
}

/* The address of the gateway named name, when config.xml holds it. */
static const char *gateway_ip(struct cx *c, const char *name)
{
	cx_each(g, cx_section(c, "gateways"), "gateway_item") {
		const char *n = cx_text(c, g, "name"), *ip = cx_text(c, g, "gateway");
		if (n && !strcmp(n, name) && ip && strcmp(ip, "dynamic"))
			return ip;
	}
	return NULL;
}

static void read_one(struct cx *c, const xmlNode *n)
{
	c->ifs = pk_arena_reserve(c->a, c->ifs, c->nifs, &c->ifcap, 8, sizeof(*c->ifs));
	struct cx_iface *i = &c->ifs[c->nifs++];
	i->node = n;
	i->key = pk_arena_strdup(c->a, (const char *)n->name);
	const char *descr = cx_text(c, n, "descr");
	i->descr = descr && *descr ? descr : upper(c, i->key);
	i->macro = macro_name(c, i->descr);
	i->dev = cx_text(c, n, "if");
	/* pfSense: enable present; wan and lan of a factory config have it */
	i->enabled = cx_flag(c, n, "enable") && i->dev && *i->dev;
	/* anything but an address (dhcp, pppoe, track6, idassoc6...) is
	 * assigned at run time */
	const char *ip4 = cx_text(c, n, "ipaddr"), *ip6 = cx_text(c, n, "ipaddrv6");
	if (cx_literal_ip(ip4, false))
		i->ip4 = ip4;
	else if (ip4 && *ip4 && strcmp(ip4, "none"))
		i->dyn4 = ip4;
	if (cx_literal_ip(ip6, true))
		i->ip6 = ip6;
	else if (ip6 && *ip6 && strcmp(ip6, "none"))
		i->dyn6 = ip6;
	const char *b4 = cx_text(c, n, "subnet"), *b6 = cx_text(c, n, "subnetv6");
	i->bits4 = b4 && *b4 ? (unsigned)atoi(b4) : 32;
	i->bits6 = b6 && *b6 ? (unsigned)atoi(b6) : 128;
	const char *gw = cx_text(c, n, "gateway");
	if (gw && *gw)
		i->gw4 = gateway_ip(c, gw);
	/* "has a gateway": a dynamic address, a gateway named, or a tunnel */
	i->wanlike = i->dyn4 || (gw && *gw) || (i->dev && (!strncmp(i->dev, "ovpn", 4) || !strncmp(i->dev, "ipsec", 5)));
	i->blockpriv = cx_flag(c, n, "blockpriv");
	i->blockbogons = cx_flag(c, n, "blockbogons");
}

/* A <filter> export names interfaces it does not describe: each stands
 * for a device of that name whose addresses are not known. */
static void stand_ins(struct cx *c)
{
	cx_each(r, c->root, "rule") {
		char *dup = pk_arena_strdup(c->a, cx_text(c, r, "interface") ? cx_text(c, r, "interface") : "");
		char *save = NULL;
		for (char *w = strtok_r(dup, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (cx_iface(c, w) || !strcmp(w, "any"))
				continue;
			c->ifs = pk_arena_reserve(c->a, c->ifs, c->nifs, &c->ifcap, 8, sizeof(*c->ifs));
			struct cx_iface *i = &c->ifs[c->nifs++];
			*i = (struct cx_iface){.key = w, .descr = upper(c, w), .macro = upper(c, w), .dev = w,
					       .dyn4 = "unknown", .enabled = true, .node = r};
		}
	}
}

void cx_ifaces_read(struct cx *c)
{
	const xmlNode *ifs = cx_section(c, "interfaces");
	for (const xmlNode *n = ifs ? ifs->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			read_one(c, n);
	if (c->section && !strcmp(c->section, "filter"))
		stand_ins(c);
}

const struct cx_iface *cx_iface(const struct cx *c, const char *key)
{
	for (uint32_t i = 0; key && i < c->nifs; i++)
		if (!strcmp(c->ifs[i].key, key))
			return &c->ifs[i];
	return NULL;
}

static const xmlNode *group_entry(struct cx *c, const char *name)
{
	cx_each(g, cx_section(c, "ifgroups"), "ifgroupentry") {
		const char *n = cx_text(c, g, "ifname");
		if (n && !strcmp(n, name))
			return g;
	}
	return NULL;
}

bool cx_is_group(const struct cx *c, const char *name)
{
	return group_entry((struct cx *)c, name) != NULL;
}

/* The groups whose <members> name key, as " group a, b", or "". */
static const char *groups_of(struct cx *c, const char *key)
{
	const char *out = "";
	cx_each(g, cx_section(c, "ifgroups"), "ifgroupentry") {
		const char *m = cx_text(c, g, "members"), *n = cx_text(c, g, "ifname");
		char *dup = pk_arena_strdup(c->a, m ? m : ""), *save = NULL;
		for (char *w = strtok_r(dup, " ", &save); w && n; w = strtok_r(NULL, " ", &save))
			if (!strcmp(w, key))
				out = pk_arena_printf(c->a, "%s%s%s", out, *out ? ", " : " group ", n);
	}
	return out;
}

/* The VIPs on key as ", a/b, c/d". */
static const char *vips_of(struct cx *c, const char *key, bool inet6)
{
	const char *out = "";
	cx_each(v, cx_section(c, "virtualip"), "vip") {
		const char *ifn = cx_text(c, v, "interface"), *ip = cx_text(c, v, "subnet");
		const char *bits = cx_text(c, v, "subnet_bits");
		if (!ifn || strcmp(ifn, key) || !cx_literal_ip(ip, inet6))
			continue;
		out = pk_arena_printf(c->a, "%s, %s/%s", out, ip, bits && *bits ? bits : inet6 ? "128" : "32");
	}
	return out;
}

static void check_vips(struct cx *c)
{
	cx_each(v, cx_section(c, "virtualip"), "vip") {
		const char *ip = cx_text(c, v, "subnet");
		if (!cx_literal_ip(ip, false) && !cx_literal_ip(ip, true))
			cx_note(c, v, "virtual IP '%s' is not an address: left out", ip ? ip : "");
	}
}

static const char *addresses(struct cx *c, const struct cx_iface *i)
{
	const char *a4 = i->ip4 ? pk_arena_printf(c->a, "%s/%u%s", i->ip4, i->bits4, vips_of(c, i->key, false)) : NULL;
	const char *a6 = i->ip6 ? pk_arena_printf(c->a, "%s/%u%s", i->ip6, i->bits6, vips_of(c, i->key, true)) : NULL;
	if (a4 && a6)
		return pk_arena_printf(c->a, " address %s, %s", a4, a6);
	return a4 || a6 ? pk_arena_printf(c->a, " address %s", a4 ? a4 : a6) : "";
}

static void write_topology(struct cx *c, const struct cx_iface *i)
{
	const char *dyn = i->dyn4 && i->dyn6 ? pk_arena_printf(c->a, "%s, %s", i->dyn4, i->dyn6)
						: i->dyn4 ? i->dyn4 : i->dyn6;
	if (!i->enabled) {
		cx_line(c, i->node, NULL, "# %s (%s): %s, disabled: its rules are not loaded", i->descr, i->key,
			i->dev ? i->dev : "no device");
		return;
	}
	if (dyn)
		cx_line(c, i->node, NULL, "# %s (%s): %s, address assigned at run time (%s)", i->descr, i->key, i->dev, dyn);
	else
		cx_line(c, i->node, NULL, "# %s (%s): %s", i->descr, i->key, i->dev);
	cx_line(c, i->node, NULL, "interface %s%s%s", i->dev, addresses(c, i), groups_of(c, i->key));
}

static const struct cx_iface *default_gateway(struct cx *c)
{
	const xmlNode *gws = cx_section(c, "gateways");
	const char *dflt = cx_text(c, gws, "defaultgw4");
	cx_each(g, gws, "gateway_item") {
		const char *n = cx_text(c, g, "name");
		if ((dflt && n && !strcmp(n, dflt)) || (!dflt && cx_child(g, "defaultgw"))) {
			const struct cx_iface *i = cx_iface(c, cx_text(c, g, "interface"));
			if (i && i->enabled && i->gw4)
				return i;
		}
	}
	for (uint32_t i = 0; i < c->nifs; i++)
		if (c->ifs[i].enabled && c->ifs[i].gw4)
			return &c->ifs[i];
	return NULL;
}

static void write_routes(struct cx *c)
{
	const struct cx_iface *d = default_gateway(c);
	if (d)
		cx_line(c, d->node, NULL, "route default via %s gateway %s", d->dev, d->gw4);
	cx_each(r, cx_section(c, "staticroutes"), "route") {
		const char *net = cx_text(c, r, "network"), *gw = cx_text(c, r, "gateway");
		const char *ip = gw ? gateway_ip(c, gw) : NULL;
		const struct cx_iface *via = NULL;
		cx_each(g, cx_section(c, "gateways"), "gateway_item") {
			const char *n = cx_text(c, g, "name");
			if (gw && n && !strcmp(n, gw))
				via = cx_iface(c, cx_text(c, g, "interface"));
		}
		if (net && ip && via && via->enabled && !cx_flag(c, r, "disabled"))
			cx_line(c, r, NULL, "route %s via %s gateway %s", net, via->dev, ip);
	}
}

static void write_network(struct cx *c, const struct cx_iface *i)
{
	const char *nets = "";
	if (i->ip4)
		nets = pk_arena_printf(c->a, " %s/%u", i->ip4, i->bits4);
	if (i->ip6)
		nets = pk_arena_printf(c->a, "%s %s/%u", nets, i->ip6, i->bits6);
	/* the addresses with their length: the table holds their networks */
	char *list = pk_arena_printf(c->a, "%s%s%s", nets, vips_of(c, i->key, false), vips_of(c, i->key, true));
	for (char *p = list; *p; p++)
		if (*p == ',')
			*p = ' ';
	const char *K = upper(c, i->key);
	/* the product refills the table when a lease changes */
	if (i->dyn4 || i->dyn6)
		*list = '\0';
	if (i->dyn4 && (i->ip6 || !i->dyn6))
		cx_line(c, i->node, NULL, "table <%s__IP> persist", K);
	if (i->dyn6 && (i->ip4 || !i->dyn4))
		cx_line(c, i->node, NULL, "table <%s__IP6> persist", K);
	if (*list)
		cx_line(c, i->node, NULL, "table <%s__NETWORK> persist {%s }", K, list);
	else
		cx_line(c, i->node, NULL, "table <%s__NETWORK> persist", K);
	cx_line(c, i->node, NULL, "%s__NETWORK = \"<%s__NETWORK>\"", K, K);
}

/* The box as it runs (its DHCP addresses, its routers) is the --topology
 * file's to say when there is one: a diff against the ruleset the box
 * loaded needs the addresses config.xml cannot know. */
static void write_given_topology(struct cx *c)
{
	cx_line(c, NULL, NULL, "# Topology: the interfaces and routes of %s", c->topology);
	cx_note(c, c->root, "interfaces and routes are those of %s, not config.xml's", c->topology);
	for (uint32_t i = 0; i < c->nifs; i++)
		if (!c->ifs[i].enabled)
			cx_line(c, c->ifs[i].node, NULL, "# %s (%s): disabled: its rules are not loaded", c->ifs[i].descr,
				c->ifs[i].key);
}

void cx_ifaces_write(struct cx *c)
{
	check_vips(c);
	if (c->topology) {
		write_given_topology(c);
	} else {
		cx_line(c, NULL, NULL, "# Topology: the interfaces pf sees, their addresses and gateways");
		bool lo0 = false;
		for (uint32_t i = 0; i < c->nifs; i++)
			lo0 |= c->ifs[i].dev && !strcmp(c->ifs[i].dev, "lo0");
		/* OPNsense assigns lo0 itself; pfSense's box has it all the same */
		if (!lo0)
			cx_line(c, NULL, NULL, "interface lo0 address 127.0.0.1/8, ::1/128");
		for (uint32_t i = 0; i < c->nifs; i++)
			write_topology(c, &c->ifs[i]);
		write_routes(c);
	}
	cx_blank(c);
	cx_line(c, NULL, NULL, "# System aliases");
	cx_line(c, NULL, NULL, "loopback = \"{ lo0 }\"");
	for (uint32_t i = 0; i < c->nifs; i++) {
		const struct cx_iface *f = &c->ifs[i];
		if (!f->enabled)
			continue;
		cx_line(c, f->node, NULL, "%s = \"{ %s }\"", f->macro, f->dev);
		write_network(c, f);
	}
	cx_each(g, cx_section(c, "ifgroups"), "ifgroupentry") {
		const char *n = cx_text(c, g, "ifname");
		if (n && *n)
			cx_line(c, g, NULL, "%s = \"{ %s }\"", n, n);
	}
}
