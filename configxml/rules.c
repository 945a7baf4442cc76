/*
 * configxml/rules.c: the user's <filter><rule>s (filter_generate_user_rule,
 * reference §4), in the product's order: floating rules, interface-group
 * rules, then each interface's tab. Each pf line is named as the GUI names
 * the rule: "WAN rule 3 'Allow web', tracker 1681417472".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"
#include "configxml/state.h"

enum cx_tab { CX_TAB_FLOATING, CX_TAB_GROUP, CX_TAB_IFACE };

/* What one rule becomes, piece by piece, in filter.inc's token order. */
struct cx_rule {
	const xmlNode *r;
	const char *origin, *proto;
	bool floating, inet6;
};

static const char *origin(struct cx *c, const xmlNode *r, const char *tab, unsigned pos)
{
	const char *descr = cx_text(c, r, "descr"), *tracker = cx_text(c, r, "tracker");
	const char *o = pk_arena_printf(c->a, "%s rule %u", tab, pos);
	if (descr && *descr)
		o = pk_arena_printf(c->a, "%s '%s'", o, descr);
	if (tracker && *tracker)
		o = pk_arena_printf(c->a, "%s, tracker %s", o, tracker);
	return o;
}

static const char *action(struct cx *c, const xmlNode *r)
{
	const char *t = cx_text(c, r, "type");
	if (t && !strcmp(t, "reject"))
		return "block return";
	if (t && (!strcmp(t, "block") || !strcmp(t, "match")))
		return t;
	return "pass"; /* filter.inc: anything else, for older rules, is pass */
}

/* The OpenVPN and IPsec tabs: rules on the pf interface group of the
 * tunnels (openvpn) or on enc0, which the product creates itself. */
static const struct {
	const char *tab, *pf, *gui;
} vpn_tabs[] = {{"openvpn", "openvpn", "OpenVPN"}, {"enc0", "enc0", "IPsec"}};

static const char *vpn_group(const char *ifn)
{
	for (size_t k = 0; ifn && k < sizeof(vpn_tabs) / sizeof(*vpn_tabs); k++)
		if (!strcmp(ifn, vpn_tabs[k].tab))
			return vpn_tabs[k].pf;
	return NULL;
}

/* "on $WAN", "on { em0 em1 }", "" (floating on any), or NULL. */
static const char *on(struct cx *c, const struct cx_rule *x, const char **why)
{
	const char *ifn = cx_text(c, x->r, "interface");
	if (x->floating && (!ifn || !*ifn || !strcmp(ifn, "any")))
		return "";
	if (!x->floating && cx_is_group(c, ifn))
		return pk_arena_printf(c->a, " on $%s", ifn);
	const char *vpn = vpn_group(ifn);
	if (!x->floating && vpn)
		return pk_arena_printf(c->a, " on %s", vpn);
	const char *devs = "";
	unsigned n = 0;
	char *dup = pk_arena_strdup(c->a, ifn ? ifn : ""), *save = NULL;
	for (char *w = strtok_r(dup, ",", &save); w; w = strtok_r(NULL, ",", &save), n++) {
		const struct cx_iface *i = cx_iface(c, w);
		if (!i || !i->enabled) {
			*why = pk_arena_printf(c->a, "interface '%s' %s", w, i ? "is disabled" : "does not exist");
			return NULL;
		}
		devs = pk_arena_printf(c->a, "%s %s", devs, x->floating ? i->dev : pk_arena_printf(c->a, "$%s", i->macro));
	}
	if (!n) {
		*why = "the rule names no interface";
		return NULL;
	}
	return n == 1 ? pk_arena_printf(c->a, " on%s", devs) : pk_arena_printf(c->a, " on {%s }", devs);
}

static const char *proto(struct cx *c, const struct cx_rule *x)
{
	const char *p = x->proto;
	if (!p || !*p || !strcmp(p, "any"))
		return "";
	if (!strcmp(p, "tcp/udp"))
		return " proto { tcp udp }";
	if (!strcmp(p, "icmp") && x->inet6)
		return " proto ipv6-icmp";
	return pk_arena_printf(c->a, " proto %s", p);
}

static bool has_ports(const char *p)
{
	return p && (!strcmp(p, "tcp") || !strcmp(p, "udp") || !strcmp(p, "tcp/udp") || !strcmp(p, "sctp"));
}

/* " from A [port P] to B [port Q]", or NULL when an address is empty. */
static const char *fromto(struct cx *c, const struct cx_rule *x, const char **why)
{
	const xmlNode *src = cx_child(x->r, "source"), *dst = cx_child(x->r, "destination");
	const char *s = cx_addr(c, src, x->inet6, why);
	const char *d = s ? cx_addr(c, dst, x->inet6, why) : NULL;
	if (!s || !d)
		return NULL;
	bool ports = has_ports(x->proto);
	const char *sp = ports ? cx_port(c, cx_text(c, src, "port"), why) : "";
	const char *dp = ports && sp ? cx_port(c, cx_text(c, dst, "port"), why) : "";
	if (!sp || !dp)
		return NULL;
	return pk_arena_printf(c->a, " from %s%s to %s%s", s, sp, d, dp);
}

static const char *icmp(struct cx *c, const struct cx_rule *x)
{
	const char *t = cx_text(c, x->r, "icmptype");
	if (!t || !*t || !x->proto || strcmp(x->proto, "icmp") || !strcmp(t, "any"))
		return "";
	const char *kw = x->inet6 ? "icmp6-type" : "icmp-type";
	return strchr(t, ',') ? pk_arena_printf(c->a, " %s { %s }", kw, t) : pk_arena_printf(c->a, " %s %s", kw, t);
}

static const char *tcp_flags(struct cx *c, const struct cx_rule *x)
{
	if (!x->proto || strcmp(x->proto, "tcp") || strcmp(action(c, x->r), "pass"))
		return "";
	if (cx_flag(c, x->r, "tcpflags_any"))
		return " flags any";
	const char *set = cx_text(c, x->r, "tcpflags1"), *mask = cx_text(c, x->r, "tcpflags2");
	if (!mask || !*mask)
		return " flags S/SA";
	static const char *const names[] = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"};
	static const char letters[] = "FSRPAUEW";
	char s[9] = "", m[9] = "";
	unsigned ns = 0, nm = 0;
	for (unsigned i = 0; i < 8; i++) {
		if (set && strstr(set, names[i]))
			s[ns++] = letters[i];
		if (strstr(mask, names[i]))
			m[nm++] = letters[i];
	}
	return pk_arena_printf(c->a, " flags %s/%s", s, m);
}

static const char *extras(struct cx *c, const struct cx_rule *x)
{
	const char *e = "";
	const char *tag = cx_text(c, x->r, "tag"), *tagged = cx_text(c, x->r, "tagged");
	if (tag && *tag)
		e = pk_arena_printf(c->a, "%s tag \"%s\"", e, tag);
	if (tagged && *tagged)
		e = pk_arena_printf(c->a, "%s%s tagged \"%s\"", e, cx_flag(c, x->r, "nottagged") ? " !" : "", tagged);
	const char *tracker = cx_text(c, x->r, "tracker");
	if (tracker && *tracker)
		e = pk_arena_printf(c->a, "%s ridentifier %s", e, tracker);
	if (cx_flag(c, x->r, "allowopts"))
		e = pk_arena_printf(c->a, "%s allow-opts", e);
	return e;
}

/* "( em0 10.0.2.1 )" for the gateway named name, or NULL. */
static const char *gateway_hop(struct cx *c, const char *name)
{
	cx_each(g, cx_section(c, "gateways"), "gateway_item") {
		const char *n = cx_text(c, g, "name"), *ip = cx_text(c, g, "gateway");
		const struct cx_iface *i = cx_iface(c, cx_text(c, g, "interface"));
		if (n && !strcmp(n, name) && i && i->enabled && ip && cx_literal_ip(ip, strchr(ip, ':') != NULL))
			return pk_arena_printf(c->a, "( %s %s )", i->dev, ip);
	}
	return NULL;
}

/* A gateway group's members of its first tier ("GW|tier|vip"), which
 * pf balances round-robin; NULL when none has an address. */
static const char *group_hops(struct cx *c, const xmlNode *grp)
{
	const char *hops = "";
	unsigned n = 0, best = ~0u;
	cx_each(it, grp, "item") {
		const char *v = cx_content(c, it), *bar = strchr(v, '|');
		unsigned tier = bar ? (unsigned)atoi(bar + 1) : 1;
		best = tier < best ? tier : best;
	}
	cx_each(it, grp, "item") {
		const char *v = cx_content(c, it), *bar = strchr(v, '|');
		const char *hop = gateway_hop(c, bar ? pk_arena_strndup(c->a, v, (size_t)(bar - v)) : v);
		if (hop && (bar ? (unsigned)atoi(bar + 1) : 1) == best) {
			hops = pk_arena_printf(c->a, "%s %s", hops, hop);
			n++;
		}
	}
	if (!n)
		return NULL;
	return n == 1 ? hops : pk_arena_printf(c->a, " {%s } round-robin", hops);
}

static const char *route_to(struct cx *c, const struct cx_rule *x, const char *gw)
{
	const char *hop = gateway_hop(c, gw);
	if (hop)
		return pk_arena_printf(c->a, " route-to %s", hop);
	cx_each(g, cx_section(c, "gateways"), "gateway_group") {
		const char *n = cx_text(c, g, "name");
		const char *hops = n && !strcmp(n, gw) ? group_hops(c, g) : NULL;
		if (hops)
			return pk_arena_printf(c->a, " route-to%s", hops);
	}
	cx_note(c, cx_child(x->r, "gateway"), "gateway '%s' has no address in config.xml: the rule is "
		"written without its route-to", gw);
	return "";
}

/* reply-to ( em0 GW ) on a WAN-type interface, or a gateway's route-to. */
static const char *routing(struct cx *c, const struct cx_rule *x)
{
	if (strcmp(action(c, x->r), "pass"))
		return "";
	const char *gw = cx_text(c, x->r, "gateway");
	if (gw && *gw)
		return route_to(c, x, gw);
	const char *dir = cx_text(c, x->r, "direction");
	const struct cx_iface *i = cx_iface(c, cx_text(c, x->r, "interface"));
	const xmlNode *sys = cx_section(c, "system");
	if (!i || !i->wanlike || !i->gw4 || x->inet6 || (x->floating && (!dir || !strcmp(dir, "any"))) ||
	    cx_flag(c, sys, "disablereplyto") || cx_flag(c, x->r, "disablereplyto"))
		return "";
	return pk_arena_printf(c->a, " reply-to ( %s %s )", i->dev, i->gw4);
}

static const char *label(struct cx *c, const xmlNode *r)
{
	const char *d = cx_text(c, r, "descr");
	char buf[64];
	snprintf(buf, sizeof(buf), "USER_RULE%s%s", d && *d ? ": " : "", d ? d : "");
	for (char *p = buf; *p; p++)
		if (*p == '"')
			*p = '\'';
	if (strlen(d ? d : "") + 11 > 63)
		memcpy(buf + 60, "...", 4);
	return pk_arena_printf(c->a, " label \"%s\"", buf);
}

/* pfSense writes every interface rule "in"; OPNsense takes the rule's
 * direction, in by default; on both, a floating rule's "any" is none. */
static const char *direction(struct cx *c, const struct cx_rule *x)
{
	const char *dir = cx_text(c, x->r, "direction");
	if (!x->floating && c->product == CX_PFSENSE)
		return " in";
	if (dir && !strcmp(dir, "out"))
		return " out";
	if (dir && !strcmp(dir, "any"))
		return "";
	return x->floating && c->product == CX_PFSENSE && !(dir && !strcmp(dir, "in")) ? "" : " in";
}

static void write_af(struct cx *c, struct cx_rule *x)
{
	const char *why = NULL;
	const char *o = on(c, x, &why);
	const char *ft = o ? fromto(c, x, &why) : NULL;
	if (!o || !ft) {
		const char *af = x->inet6 ? "inet6" : "inet";
		cx_note(c, x->r, "%s: %s (%s); the product leaves the rule out", x->origin, why, af);
		cx_line(c, x->r, x->origin, "# %s: left out (%s), %s", x->origin, af, why);
		return;
	}
	const char *act = action(c, x->r), *d = direction(c, x);
	bool quick = !x->floating || cx_flag(c, x->r, "quick");
	bool pass = !strcmp(act, "pass");
	cx_line(c, x->r, x->origin, "%s%s%s%s%s%s %s%s%s%s%s%s%s%s", act, d, cx_flag(c, x->r, "log") ? " log" : "",
		quick ? " quick" : "", o, routing(c, x), x->inet6 ? "inet6" : "inet", proto(c, x), ft, icmp(c, x),
		tcp_flags(c, x), extras(c, x), pass ? cx_state(c, x->r, x->proto) : "", label(c, x->r));
}

static void write_rule(struct cx *c, const xmlNode *r, const char *o, bool floating)
{
	if (cx_flag(c, r, "disabled")) {
		cx_line(c, r, o, "# %s: disabled", o);
		return;
	}
	const char *af = cx_text(c, r, "ipprotocol");
	if (cx_child(r, "sched"))
		cx_note(c, r, "%s: has a schedule; written as if within its time window", o);
	struct cx_rule x = {.r = r, .origin = o, .proto = cx_text(c, r, "protocol"), .floating = floating};
	/* a port without a protocol is tcp (filter.inc) */
	const xmlNode *dst = cx_child(r, "destination");
	if ((!x.proto || !*x.proto) && cx_text(c, dst, "port"))
		x.proto = "tcp";
	if (!af || strcmp(af, "inet6")) {
		write_af(c, &x);
	}
	if (af && (!strcmp(af, "inet6") || !strcmp(af, "inet46"))) {
		x.inet6 = true;
		write_af(c, &x);
	}
}

static enum cx_tab tab_of(const struct cx *c, const xmlNode *r, const char *ifn)
{
	if (cx_flag(c, r, "floating"))
		return CX_TAB_FLOATING;
	return cx_is_group(c, ifn) ? CX_TAB_GROUP : CX_TAB_IFACE;
}

/* The rules of one tab (key NULL: all of that kind), numbered as the GUI
 * numbers them. */
static void write_tab(struct cx *c, enum cx_tab tab, const char *key, const char *name)
{
	unsigned pos = 0;
	cx_each(r, cx_section(c, "filter"), "rule") {
		const char *ifn = cx_text(c, r, "interface");
		if (tab_of(c, r, ifn) != tab || (key && (!ifn || strcmp(ifn, key))))
			continue;
		const char *tabname = name ? name : ifn;
		write_rule(c, r, origin(c, r, tabname, ++pos), tab == CX_TAB_FLOATING);
	}
}

static bool known_tab(const struct cx *c, const char *ifn)
{
	return cx_iface(c, ifn) || cx_is_group(c, ifn) || vpn_group(ifn);
}

void cx_rules_write(struct cx *c)
{
	cx_line(c, NULL, NULL, "# User-defined rules follow");
	write_tab(c, CX_TAB_FLOATING, NULL, "Floating");
	cx_each(g, cx_section(c, "ifgroups"), "ifgroupentry") {
		const char *n = cx_text(c, g, "ifname");
		write_tab(c, CX_TAB_GROUP, n, n);
	}
	for (size_t k = 0; k < sizeof(vpn_tabs) / sizeof(*vpn_tabs); k++)
		write_tab(c, CX_TAB_IFACE, vpn_tabs[k].tab, vpn_tabs[k].gui);
	for (uint32_t i = 0; i < c->nifs; i++)
		write_tab(c, CX_TAB_IFACE, c->ifs[i].key, c->ifs[i].descr);
	/* rules on an interface config.xml does not have */
	cx_each(r, cx_section(c, "filter"), "rule") {
		const char *ifn = cx_text(c, r, "interface");
		if (!cx_flag(c, r, "floating") && !known_tab(c, ifn))
			write_rule(c, r, origin(c, r, ifn && *ifn ? ifn : "(no interface)", 1), false);
	}
}
