/*
 * configxml/nat.c: the NAT section of rules.debug (filter_nat_rules_generate,
 * reference §6): 1:1 NAT (binat), outbound NAT in its four modes, and port
 * forwards (rdr, or rdr pass when the forward's filter rule is "pass").
 */
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

static const char *proto_of(struct cx *c, const char *p)
{
	if (!p || !*p || !strcmp(p, "any"))
		return "";
	if (!strcmp(p, "tcp/udp"))
		return " proto { tcp udp }";
	return pk_arena_printf(c->a, " proto %s", p);
}

static bool ported(const char *p)
{
	return p && (!strcmp(p, "tcp") || !strcmp(p, "udp") || !strcmp(p, "tcp/udp"));
}

/* Outbound NAT writes its ports without a protocol too (the rules the
 * Manual Outbound NAT switch copies: ISAKMP, port 500, no protocol); pf
 * makes a tcp and a udp rule of them. */
static bool outbound_ported(const char *p)
{
	return !p || !*p || !strcmp(p, "any") || ported(p);
}

static const char *nat_origin(struct cx *c, const xmlNode *n, const char *kind, unsigned pos)
{
	const char *d = cx_text(c, n, "descr");
	return d && *d ? pk_arena_printf(c->a, "%s %u '%s'", kind, pos, d) : pk_arena_printf(c->a, "%s %u", kind, pos);
}

/* The interface address a NAT target defaults to: literal, or (em0)
 * when it is assigned at run time. */
static const char *iface_addr(struct cx *c, const struct cx_iface *i)
{
	return i->ip4 ? pk_arena_printf(c->a, "%s/32", i->ip4) : pk_arena_printf(c->a, "(%s)", i->dev);
}

/* The interface's address of the rule's family: an IPv6 rule never
 * translates to the IPv4 one. */
static const char *iface_addr_of(struct cx *c, const struct cx_iface *i, bool v6)
{
	if (!v6)
		return iface_addr(c, i);
	return i->ip6 ? pk_arena_printf(c->a, "%s/128", i->ip6) : pk_arena_printf(c->a, "(%s)", i->dev);
}

static const struct cx_iface *nat_iface(struct cx *c, const xmlNode *n, const char *o)
{
	const char *ifn = cx_text(c, n, "interface");
	const struct cx_iface *i = cx_iface(c, ifn && *ifn ? ifn : "wan");
	if (i && i->enabled)
		return i;
	cx_note(c, n, "%s: interface '%s' %s; the product leaves it out", o, ifn ? ifn : "",
		i ? "is disabled" : "does not exist");
	cx_line(c, n, o, "# %s: left out, no interface", o);
	return NULL;
}

/* The interface of an enabled NAT element; NULL, after the comment
 * saying why, for one the product leaves out. */
static const struct cx_iface *nat_open(struct cx *c, const xmlNode *n, const char *o)
{
	if (cx_flag(c, n, "disabled")) {
		cx_line(c, n, o, "# %s: disabled", o);
		return NULL;
	}
	return nat_iface(c, n, o);
}

static void write_binat(struct cx *c, const xmlNode *n, unsigned pos)
{
	const char *o = nat_origin(c, n, "1:1 NAT", pos);
	const struct cx_iface *i = nat_open(c, n, o);
	if (!i)
		return;
	const char *why = "address is empty";
	const char *src = cx_addr(c, cx_child(n, "source"), false, &why);
	const char *dst = src ? cx_addr(c, cx_child(n, "destination"), false, &why) : NULL;
	const char *ext = cx_text(c, n, "external");
	if (!src || !dst || !ext || !*ext) {
		cx_note(c, n, "%s: %s; the product leaves it out", o, ext && *ext ? why : "no external address");
		return;
	}
	const char *bits = strchr(src, '/');
	cx_line(c, n, o, "%sbinat on %s inet from %s to %s -> %s%s", cx_flag(c, n, "nobinat") ? "no " : "", i->dev, src,
		dst, ext, bits && !strchr(ext, '/') ? bits : "");
}

/* <nat><npt>: IPv6 network prefix translation, a binat of prefixes. */
static void write_npt(struct cx *c, const xmlNode *n, unsigned pos)
{
	const char *o = nat_origin(c, n, "NPt", pos);
	const struct cx_iface *i = nat_open(c, n, o);
	if (!i)
		return;
	const char *src = cx_text(c, cx_child(n, "source"), "address"), *dst = cx_text(c, cx_child(n, "destination"), "address");
	if (!src || !dst || !cx_literal_net(src) || !cx_literal_net(dst)) {
		cx_note(c, n, "%s: its prefixes are not addresses; the product leaves it out", o);
		return;
	}
	cx_line(c, n, o, "binat on %s inet6 from %s to any -> %s", i->dev, src, dst);
}

/* tonatsubnets: what automatic outbound NAT translates: loopback and the
 * networks of the interfaces that are not WAN-type. */
static const char *tonat(struct cx *c)
{
	const char *s = "127.0.0.0/8";
	for (uint32_t k = 0; k < c->nifs; k++) {
		const struct cx_iface *i = &c->ifs[k];
		if (i->enabled && !i->wanlike && i->ip4)
			s = pk_arena_printf(c->a, "%s %s/%u", s, i->ip4, i->bits4);
	}
	return s;
}

static void write_automatic(struct cx *c, const xmlNode *at)
{
	cx_line(c, at, NULL, "# Outbound NAT rules (automatic)");
	cx_line(c, at, NULL, "tonatsubnets = \"{ %s }\"", tonat(c));
	for (uint32_t k = 0; k < c->nifs; k++) {
		const struct cx_iface *i = &c->ifs[k];
		if (!i->enabled || !i->wanlike)
			continue;
		const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "automatic outbound NAT on %s", i->descr);
		const char *to = iface_addr(c, i);
		/* pfSense's tonathosts holds ::1 too: translated to the interface's IPv6 address */
		bool localhost6 = c->product == CX_PFSENSE;
		cx_line(c, i->node, o, "nat on $%s inet from $tonatsubnets to any port 500 -> %s static-port", i->macro, to);
		if (localhost6)
			cx_line(c, i->node, o, "nat on $%s inet6 from ::1 to any port 500 -> (%s) static-port", i->macro, i->dev);
		cx_line(c, i->node, o, "nat on $%s inet from $tonatsubnets to any -> %s port 1024:65535", i->macro, to);
		if (localhost6)
			cx_line(c, i->node, o, "nat on $%s inet6 from ::1 to any -> (%s) port 1024:65535", i->macro, i->dev);
	}
}

/* <ipprotocol>, or the family of the source's or target's address */
static bool outbound_inet6(struct cx *c, const xmlNode *n)
{
	const char *af = cx_text(c, n, "ipprotocol");
	if (af && *af)
		return !strcmp(af, "inet6");
	const char *src = cx_text(c, cx_child(n, "source"), "network"), *tgt = cx_text(c, n, "target");
	return (src && strchr(src, ':')) || (tgt && strchr(tgt, ':'));
}

static void write_outbound(struct cx *c, const xmlNode *n, unsigned pos)
{
	const char *o = nat_origin(c, n, "Outbound NAT rule", pos);
	const struct cx_iface *i = nat_open(c, n, o);
	if (!i)
		return;
	const char *p = cx_text(c, n, "protocol"), *sp = cx_text(c, n, "sourceport"), *dp = cx_text(c, n, "dstport");
	bool v6 = outbound_inet6(c, n);
	const char *why = "address is empty";
	const char *src = cx_addr(c, cx_child(n, "source"), v6, &why);
	const char *dst = src ? cx_addr(c, cx_child(n, "destination"), v6, &why) : NULL;
	const char *sport = dst && outbound_ported(p) ? cx_port(c, sp, &why) : "";
	const char *dport = sport && outbound_ported(p) ? cx_port(c, dp, &why) : "";
	if (!src || !dst || !sport || !dport) {
		cx_note(c, n, "%s: %s; the product leaves it out", o, why);
		cx_line(c, n, o, "# %s: left out, %s", o, why);
		return;
	}
	const char *where = pk_arena_printf(c->a, "on $%s %s%s from %s%s to %s%s", i->macro, v6 ? "inet6" : "inet",
					    proto_of(c, p), src, sport, dst, dport);
	if (cx_flag(c, n, "nonat")) {
		cx_line(c, n, o, "no nat %s", where);
		return;
	}
	const char *tgt = cx_text(c, n, "target"), *bits = cx_text(c, n, "target_subnet");
	const char *to = !tgt || !*tgt || !strcmp(tgt, "wanip") ? iface_addr_of(c, i, v6)
			 : cx_alias(c, tgt) ? pk_arena_printf(c->a, "$%s", tgt)
					    : pk_arena_printf(c->a, "%s/%s", tgt, bits && *bits ? bits : "32");
	const char *natport = cx_text(c, n, "natport");
	const char *port = cx_flag(c, n, "staticnatport") ? " static-port"
			   : natport && *natport ? pk_arena_printf(c->a, " port %s", natport)
						 : " port 1024:65535";
	const char *pool = cx_text(c, n, "poolopts");
	cx_line(c, n, o, "nat %s -> %s%s%s%s", where, to, port, pool && *pool ? " " : "", pool ? pool : "");
}

/* A port forward's destination port "a-b" and its local port: the rdr
 * maps the range onto local:local+(b-a). */
static const char *rdr_ports(struct cx *c, const char *dport, const char *lport, const char **to)
{
	*to = "";
	if (!dport || !*dport)
		return "";
	const char *dash = strchr(dport, '-');
	long a = atol(dport), b = dash ? atol(dash + 1) : a, l = lport && *lport ? atol(lport) : a;
	const struct cx_alias *al = cx_alias(c, dport);
	if (al && al->is_port) {
		*to = lport && *lport ? pk_arena_printf(c->a, " port %s", lport) : "";
		return pk_arena_printf(c->a, " port $%s", dport);
	}
	if (l != a || b != a)
		*to = b != a ? pk_arena_printf(c->a, " port %ld:%ld", l, l + (b - a)) : pk_arena_printf(c->a, " port %ld", l);
	return b != a ? pk_arena_printf(c->a, " port %ld:%ld", a, b) : pk_arena_printf(c->a, " port %ld", a);
}

static void write_rdr(struct cx *c, const xmlNode *n, unsigned pos)
{
	const char *o = nat_origin(c, n, "Port forward", pos);
	const struct cx_iface *i = nat_open(c, n, o);
	if (!i)
		return;
	const char *p = cx_text(c, n, "protocol"), *af = cx_text(c, n, "ipprotocol");
	bool v6 = af && !strcmp(af, "inet6");
	const char *why = "address is empty";
	const xmlNode *src = cx_child(n, "source"), *dst = cx_child(n, "destination");
	const char *s = cx_addr(c, src, v6, &why), *d = s ? cx_addr(c, dst, v6, &why) : NULL;
	const char *sport = d && ported(p) ? cx_port(c, cx_text(c, src, "port"), &why) : "";
	/* rdr_ports writes the destination's port; asked here whether it resolves */
	bool dport_ok = !sport || !ported(p) || cx_port(c, cx_text(c, dst, "port"), &why);
	const char *tgt = cx_text(c, n, "target");
	if (!s || !d || !sport || !dport_ok || !tgt || !*tgt) {
		cx_note(c, n, "%s: %s; the product leaves it out", o, tgt && *tgt ? why : "no target");
		cx_line(c, n, o, "# %s: left out", o);
		return;
	}
	if (cx_alias(c, tgt))
		tgt = pk_arena_printf(c->a, "$%s", tgt);
	const char *lport, *dport = rdr_ports(c, cx_text(c, dst, "port"), cx_text(c, n, "local-port"), &lport);
	const char *assoc = cx_text(c, n, "associated-rule-id");
	bool pass = assoc && !strcmp(assoc, "pass");
	const char *head = cx_flag(c, n, "nordr") ? "no rdr" : pass ? "rdr pass" : "rdr";
	cx_line(c, n, o, "%s on %s %s%s from %s%s to %s%s%s%s", head, i->dev, v6 ? "inet6" : "inet", proto_of(c, p), s,
		sport, d, ported(p) ? dport : "",
		cx_flag(c, n, "nordr") ? "" : pk_arena_printf(c->a, " -> %s", tgt), cx_flag(c, n, "nordr") ? "" : lport);
}

void cx_nat_write(struct cx *c)
{
	const xmlNode *nat = cx_section(c, "nat");
	cx_line(c, NULL, NULL, "# NAT");
	cx_line(c, nat, NULL, "no nat proto carp");
	cx_line(c, nat, NULL, "no rdr proto carp");
	unsigned pos = 0;
	cx_each(n, nat, "onetoone")
		write_binat(c, n, ++pos);
	pos = 0;
	cx_each(n, nat, "npt")
		write_npt(c, n, ++pos);
	const xmlNode *ob = cx_child(nat, "outbound");
	const char *mode = cx_text(c, ob, "mode");
	if (!mode || !*mode)
		mode = "automatic";
	bool manual = !strcmp(mode, "advanced") || !strcmp(mode, "hybrid");
	bool automatic = !strcmp(mode, "automatic") || !strcmp(mode, "hybrid");
	if (!manual && !automatic && strcmp(mode, "disabled"))
		cx_error(c, cx_child(ob, "mode"), "unknown outbound NAT mode '%s' (automatic, hybrid, advanced or disabled)", mode);
	if (manual) {
		cx_line(c, ob, NULL, "# Outbound NAT rules (manual)");
		pos = 0;
		cx_each(n, ob, "rule")
			write_outbound(c, n, ++pos);
	}
	if (automatic)
		write_automatic(c, ob ? ob : nat);
	cx_line(c, NULL, NULL, "# NAT Inbound Redirects");
	pos = 0;
	cx_each(n, nat, "rule")
		write_rdr(c, n, ++pos);
}
