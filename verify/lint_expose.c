/*
 * verify/lint_expose.c: what any source on a WAN-type interface can open.
 *
 * A WAN-type interface has a route with a gateway, holds a default route,
 * or is in the egress group, or the topology declares it in a group wan. A pass rule that takes packets arriving there
 * from any source (any, or all but a list) and decides some of them opens
 * its ports to the Internet. The services rarely meant to be public are
 * asked one by one (one solver call each, on the firewall itself and
 * forwarded); the finding lists them by name with a warning, or, when none
 * is open, what the rule opens, as info. One finding per written rule,
 * with a witness for the first service named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/names.h"
#include "compiler/print.h"
#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"

enum risk { R_NONE, R_ADMIN, R_DB, R_FILES, R_OTHER };

static const char *const risk_name[] = {"", "remote administration", "a database", "file sharing",
					"rarely meant to be public"};

/* Where a service is a risk: anywhere; on the firewall itself (dns and
 * ntp answer the world); on the firewall itself when it routes for
 * networks behind it (a router's web interface; a lone host's web port
 * is its service). */
enum scope { ANYWHERE, SELF, ROUTER };

struct service {
	const char *name;
	uint16_t port;
	uint8_t proto;
	enum risk risk;
	enum scope scope;
};

static const struct service services[] = {
	{"ssh",              22,  6, R_ADMIN, ANYWHERE},
	{"telnet",           23,  6, R_ADMIN, ANYWHERE},
	{"rdp",            3389,  6, R_ADMIN, ANYWHERE},
	{"vnc",            5900,  6, R_ADMIN, ANYWHERE},
	{"winbox",         8291,  6, R_ADMIN, ANYWHERE},
	{"webmin",        10000,  6, R_ADMIN, ANYWHERE},
	{"http",             80,  6, R_ADMIN, ROUTER},
	{"https",           443,  6, R_ADMIN, ROUTER},
	{"mysql",          3306,  6, R_DB,   ANYWHERE},
	{"postgresql",     5432,  6, R_DB,   ANYWHERE},
	{"mssql",          1433,  6, R_DB,   ANYWHERE},
	{"redis",          6379,  6, R_DB,   ANYWHERE},
	{"mongodb",       27017,  6, R_DB,   ANYWHERE},
	{"elasticsearch",  9200,  6, R_DB,   ANYWHERE},
	{"memcached",     11211,  6, R_DB,   ANYWHERE},
	{"microsoft-ds",    445,  6, R_FILES, ANYWHERE},
	{"netbios-ssn",     139,  6, R_FILES, ANYWHERE},
	{"nfs",            2049,  6, R_FILES, ANYWHERE},
	{"ftp",              21,  6, R_FILES, ANYWHERE},
	{"afp",             548,  6, R_FILES, ANYWHERE},
	{"rsync",           873,  6, R_FILES, ANYWHERE},
	{"snmp",            161, 17, R_OTHER, ANYWHERE},
	{"ldap",            389,  6, R_OTHER, ANYWHERE},
	{"domain",           53, 17, R_OTHER, SELF},
	{"domain",           53,  6, R_OTHER, SELF},
	{"ntp",             123, 17, R_OTHER, SELF},
};

/* Names for the ports a rule opens when none of the above is. */
static const struct {
	uint16_t port;
	const char *name;
} port_names[] = {
	{25, "smtp"}, {53, "domain"}, {80, "http"}, {110, "pop3"},
	{123, "ntp"}, {143, "imap"}, {443, "https"}, {465, "smtps"},
	{500, "isakmp"}, {587, "submission"}, {993, "imaps"}, {995, "pop3s"},
	{1194, "openvpn"}, {4500, "ipsec-nat-t"}, {8080, "http-alt"}, {51820, "wireguard"},
};

static bool wan_type(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f)
{
	if (f->wan || pk_ir_iface_in_group(rs, f, "egress") || pk_ir_iface_in_group(rs, f, "wan"))
		return true;
	for (uint32_t k = 0; k < rs->nroutes; k++)
		if (rs->routes[k].dst.len == 0 && rs->routes[k].ifname && !strcmp(rs->routes[k].ifname, f->name))
			return true;
	return false;
}

/* Any source: the rule names none, or only excludes some. */
static bool any_source(const struct pk_ir_rule *r)
{
	return (r->src.kind == PK_ADDR_ANY || r->src.neg) && r->sport.op == PK_PORT_ANY;
}

static bool candidate(const struct pk_lint_ctx *x, uint32_t i)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	return r->action == PK_ACT_PASS && r->dir != PK_DIR_OUT && any_source(r) && pk_lint_usable(x, i) &&
	       !x->guarded[i] && !x->covered[i];
}

static Z3_ast is(struct pk_lint_ctx *x, Z3_ast f, uint64_t v, unsigned bits)
{
	return Z3_mk_eq(x->z.c, f, pk_z3_bv(x->z.c, v, bits));
}

/* Per rule: its box meets packets arriving on a WAN-type interface (the
 * others match none of the questions asked here). */
static bool *meeting_wan(const struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	bool *m = pk_xcalloc(rs->nrules + 1, sizeof(*m));
	for (uint32_t j = 0; j < rs->nrules; j++) {
		const struct pk_box *b = &x->box[j];
		m[j] = (b->dirmask & 1) && !b->ifname;
		for (uint32_t k = 0; (b->dirmask & 1) && b->ifname && !m[j] && k < rs->nifaces; k++)
			m[j] = !strcmp(rs->ifaces[k].name, b->ifname) && wan_type(rs, &rs->ifaces[k]);
	}
	return m;
}

/* What rule i decides from the WAN side, in parts: the conditions with
 * rule i's match alone (NULL when the question is asked whole only) and
 * the rules whose "not M" the whole adds, and the whole formula, built
 * when first asked. */
struct wan_q {
	uint32_t i;
	Z3_ast cond, whole;
	struct pk_lint_set d;
};

/* The packets arriving on a WAN-type interface that rule q->i decides
 * (that it matches: alone), opening a connection. */
static Z3_ast from_wan(struct pk_lint_ctx *x, const struct wan_q *q, bool alone)
{
	const struct pk_ir_ruleset *rs = x->rs;
	Z3_ast *on = pk_xcalloc(rs->nifaces + 1, sizeof(*on));
	unsigned n = 0;
	for (uint32_t k = 0; k < rs->nifaces; k++)
		if (wan_type(rs, &rs->ifaces[k]))
			on[n++] = is(x, x->z.p.iface, pk_z3_iface_index(&x->z, rs->ifaces[k].name), 16);
	Z3_context c = x->z.c;
	/* a loopback destination never arrives from outside */
	const Z3_ast lo4[2] = {is(x, x->z.p.af, PK_AF_INET, 8),
			       Z3_mk_eq(c, Z3_mk_extract(c, 127, 120, x->z.p.dst), pk_z3_bv(c, 127, 8))};
	const Z3_ast lo6[2] = {is(x, x->z.p.af, PK_AF_INET6, 8), is(x, x->z.p.dst, 1, 128)};
	const Z3_ast lo[2] = {Z3_mk_and(c, 2, lo4), Z3_mk_and(c, 2, lo6)};
	const Z3_ast v[7] = {x->dom,
			     alone ? pk_lint_M(x, q->i) : pk_lint_decided_within(x, q->i, &q->d),
			     is(x, x->z.p.dir, PK_DIR_IN, 8),
			     Z3_mk_or(c, n, on), /* n > 0: the caller found a WAN-type interface */
			     pk_lint_opening(x),
			     is(x, x->z.p.tag, 0, 16), /* as it arrives: untagged */
			     Z3_mk_not(c, Z3_mk_or(c, 2, lo))};
	const Z3_ast f = pk_z3_and(c, 7, v);
	free(on);
	return f;
}

static Z3_ast whole(struct pk_lint_ctx *x, struct wan_q *q)
{
	if (!q->whole)
		q->whole = from_wan(x, q, false);
	return q->whole;
}

/* Packets routed to a network behind the firewall: through an interface
 * that is neither WAN-type nor a loopback. NULL when there is none. */
static Z3_ast behind(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	Z3_ast *via = pk_xcalloc(rs->nifaces + 1, sizeof(*via));
	unsigned n = 0;
	for (uint32_t k = 0; k < rs->nifaces; k++)
		if (!wan_type(rs, &rs->ifaces[k]) && !pk_lint_iface_loopback(&rs->ifaces[k]))
			via[n++] = pk_z3_routes_via(&x->z, rs, rs->ifaces[k].name);
	const Z3_ast f = n ? Z3_mk_or(x->z.c, n, via) : NULL;
	free(via);
	return f;
}

/* One thing the rule opens: a service (or the rule's own ports), where. */
struct item {
	char text[160];
	enum risk risk;
	struct pk_vpkt w;
	uint32_t rule;
};

struct exposure {
	struct item v[16];
	unsigned n;
	bool risky; /* some item is a listed service */
};

static void add_item(struct exposure *e, const char *text, enum risk risk, const struct pk_vpkt *w, uint32_t rule)
{
	for (unsigned k = 0; k < e->n; k++)
		if (!strcmp(e->v[k].text, text))
			return;
	if (e->n == sizeof(e->v) / sizeof(e->v[0]))
		return;
	struct item *it = &e->v[e->n++];
	snprintf(it->text, sizeof(it->text), "%s", text);
	it->risk = risk;
	it->w = *w;
	it->rule = rule;
	e->risky |= risk != R_NONE;
}

/* Witnesses another rule decides, refused before the side is given up. */
#define PK_EXPOSE_RETRIES 3

/* A witness within wq and extra that rule wq->i decides, to the firewall
 * itself (self) or forwarded to a network behind it (fwd; NULL when there
 * is none). The formula of what rule i decides leaves out rules that
 * cannot take its packets by their boxes or are unsure; when the
 * evaluator says another rule decides the witness, that rule is excluded
 * and the question asked again. A part with no packet settles it first. */
static bool reach(struct pk_lint_ctx *x, struct wan_q *wq, Z3_ast extra, bool self, Z3_ast fwd,
		  struct pk_vpkt *w)
{
	Z3_context c = x->z.c;
	const uint32_t i = wq->i;
	const Z3_ast s = pk_z3_dst_is_self(&x->z, x->rs);
	if (!self && !fwd)
		return false;
	/* where the packet goes as rule i sees it: an older rdr or a match
	 * rule's rdr-to before it has moved its destination */
	const Z3_ast where =
		pk_z3_translated(&x->z, x->rs, i, self ? s : Z3_mk_and(c, 2, (Z3_ast[]){Z3_mk_not(c, s), fwd}));
	/* no packet within a part: none within the whole */
	if (wq->cond && pk_lint_parts(x, Z3_mk_and(c, 3, (Z3_ast[]){wq->cond, extra, where}), &wq->d) == PK_PARTS_NONE)
		return false;
	Z3_ast q = Z3_mk_and(c, 3, (Z3_ast[]){whole(x, wq), extra, where});
	for (int k = 0; k < PK_EXPOSE_RETRIES && pk_z3_witness(&x->z, q, w); k++) {
		struct pk_eval_result res;
		pk_eval_filter(x->rs, w, &res, NULL, NULL);
		if (res.rule == i && res.pass)
			return true;
		if (res.rule == PK_EVAL_NONE)
			return false;
		q = Z3_mk_and(c, 2, (Z3_ast[]){q, Z3_mk_not(c, pk_lint_M(x, res.rule))});
	}
	return false;
}

/* Where what rule i opens (within extra) leads: the firewall itself, the
 * networks behind it, for rdr-to the redirect target, or for af-to the
 * other family, where pf forwards it (never to the firewall itself). Writes it to
 * buf with a witness; *self says whether the firewall itself is reached.
 * False when nothing is opened. */
static bool leads(struct pk_lint_ctx *x, struct wan_q *q, Z3_ast extra, Z3_ast fwd, struct pk_vpkt *w,
		  char *buf, size_t size, bool *self)
{
	const struct pk_ir_rule *r = &x->rs->rules[q->i];
	*self = false;
	if (r->nat.kind == PK_NAT_RDR_TO && r->nat.npool) {
		char to[64];
		pk_print_addr_str(x->rs, &r->nat.pool[0], to, sizeof(to));
		const Z3_ast v[2] = {whole(x, q), extra};
		snprintf(buf, size, "redirected to %s", to);
		return pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 2, v), w);
	}
	if (r->afto.af) {
		const Z3_ast v[2] = {whole(x, q), extra};
		snprintf(buf, size, "translated to %s by af-to and forwarded", r->afto.af == PK_AF_INET ? "inet" : "inet6");
		return pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 2, v), w);
	}
	struct pk_vpkt w2;
	*self = reach(x, q, extra, true, fwd, w);
	const bool on = reach(x, q, extra, false, fwd, *self ? &w2 : w);
	snprintf(buf, size, "%s", *self && on ? "on the firewall and forwarded" : *self ? "on the firewall itself"
											: "forwarded");
	return *self || on;
}

/* Adds the service as open, a risk where its scope says (fwd: the
 * networks behind the firewall, NULL when there are none). */
static void add_service(struct pk_lint_ctx *x, struct wan_q *q, Z3_ast fwd, const struct service *s,
			struct exposure *e)
{
	/* the service's port as rule q->i sees the packet (after a redirect) */
	const Z3_ast pv[2] = {is(x, x->z.p.proto, s->proto, 8),
			      pk_z3_translated(&x->z, x->rs, q->i, is(x, x->z.p.dport, s->port, 16))};
	struct pk_vpkt w;
	char to[80];
	bool self;
	if (!leads(x, q, Z3_mk_and(x->z.c, 2, pv), fwd, &w, to, sizeof(to), &self))
		return;
	char text[160];
	snprintf(text, sizeof(text), "%s (%s %u) %s", s->name, pk_vpkt_proto_name(s->proto), s->port, to);
	const bool risky = s->scope == ANYWHERE || (self && (s->scope == SELF || fwd));
	add_item(e, text, risky ? s->risk : R_NONE, &w, q->i);
}

static void check_services(struct pk_lint_ctx *x, struct wan_q *q, Z3_ast fwd, struct exposure *e)
{
	const struct pk_ir_rule *r = &x->rs->rules[q->i];
	for (size_t k = 0; k < sizeof(services) / sizeof(services[0]); k++) {
		const struct service *s = &services[k];
		if ((!r->proto || r->proto == s->proto) &&
		    pk_port_op_match(r->dport.op, r->dport.lo, r->dport.hi, s->port))
			add_service(x, q, fwd, s, e);
	}
}

static const char *port_name(uint16_t port)
{
	for (size_t k = 0; k < sizeof(port_names) / sizeof(port_names[0]); k++)
		if (port_names[k].port == port)
			return port_names[k].name;
	return NULL;
}

/* What the rule opens, as written, when no listed service is among it. */
static void describe(const struct pk_ir_rule *r, const struct pk_vpkt *w, const char *where, char *buf,
		     size_t size)
{
	const char *proto = r->proto ? pk_vpkt_proto_name(r->proto) : NULL;
	char pn[16];
	snprintf(pn, sizeof(pn), "%u", r->proto);
	if (!r->proto)
		proto = "every protocol";
	else if (!proto)
		proto = pn;
	const char *name = port_name(r->dport.lo);
	char ports[32];
	pk_lint_port_str(&r->dport, ports, sizeof(ports));
	if (r->dport.op == PK_PORT_EQ && name)
		snprintf(buf, size, "%s (%s %u) %s", name, proto, r->dport.lo, where);
	else if (r->dport.op != PK_PORT_ANY)
		snprintf(buf, size, "%s port%s %s %s", proto, r->dport.op == PK_PORT_EQ ? "" : "s", ports, where);
	else if (r->icmp_type >= 0 && pk_icmp_type_name(r->icmp_type, w->af))
		snprintf(buf, size, "%s %s %s", proto, pk_icmp_type_name(r->icmp_type, w->af), where);
	else
		snprintf(buf, size, "%s%s %s", proto, r->proto == 6 || r->proto == 17 ? ", every port" : "", where);
}

static void report(struct pk_lint_ctx *x, const struct exposure *e)
{
	char list[1024];
	size_t off = 0;
	list[0] = 0;
	for (unsigned k = 0; k < e->n && off < sizeof(list); k++) {
		/* "every port" names its risks itself */
		const bool note = e->v[k].risk && strncmp(e->v[k].text, "every port", 10);
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s%s%s%s", k ? "; " : "", e->v[k].text,
					note ? " (" : "", note ? risk_name[e->v[k].risk] : "", note ? ")" : "");
	}
	unsigned first = 0;
	while (e->risky && e->v[first].risk == R_NONE)
		first++;
	const struct item *it = &e->v[first];
	struct pk_lint_finding *f =
		pk_lint_add(x->rep, PK_LINT_EXPOSURE, &x->rs->rules[it->rule], NULL,
			    "any source on a WAN-type interface can reach %s%s", list,
			    e->risky ? ": restrict the source, or suppress this if it is public on purpose" : "");
	if (!e->risky)
		f->sev = PK_SEV_INFO;
	pk_lint_witness(f, &it->w, "passed from the Internet");
}

/* The rules of one written rule (its expansions sit side by side). */
static uint32_t same_line_end(const struct pk_ir_ruleset *rs, uint32_t i)
{
	uint32_t j = i + 1;
	while (j < rs->nrules && rs->rules[j].loc.line == rs->rules[i].loc.line &&
	       rs->rules[j].loc.col == rs->rules[i].loc.col && rs->rules[j].loc.file == rs->rules[i].loc.file)
		j++;
	return j;
}

/* The one item of a rule that opens every port, or of one opening
 * what no listed service is: where it leads, with a witness. */
static void add_whole(struct pk_lint_ctx *x, struct wan_q *q, Z3_ast fwd, struct exposure *e)
{
	const struct pk_ir_rule *r = &x->rs->rules[q->i];
	struct pk_vpkt w;
	char to[80];
	bool self;
	if (!leads(x, q, Z3_mk_true(x->z.c), fwd, &w, to, sizeof(to), &self))
		return;
	char text[160];
	const bool every = r->dport.op == PK_PORT_ANY && (!r->proto || r->proto == 6 || r->proto == 17);
	if (every)
		snprintf(text, sizeof(text), "every port %s (ssh, databases and file sharing among them)", to);
	else
		describe(r, &w, to, text, sizeof(text));
	add_item(e, text, every ? R_ADMIN : R_NONE, &w, q->i);
}

static void check_written_rule(struct pk_lint_ctx *x, Z3_ast fwd, const bool *wan, uint32_t from, uint32_t to)
{
	struct exposure e;
	e.n = 0;
	e.risky = false;
	for (uint32_t i = from; i < to; i++) {
		/* a rule whose box meets no packet arriving on a WAN-type
		 * interface decides none of them: no question */
		if (!candidate(x, i) || !wan[i])
			continue;
		struct wan_q q = {i, NULL, NULL, pk_lint_deciders_over(x, i, wan)};
		if (q.d.n >= PK_LINT_PARTS_MIN_RULES)
			q.cond = from_wan(x, &q, true);
		/* a rule that decides nothing from the WAN side is settled by
		 * one question, not one per service and destination */
		const enum pk_lint_parts p = q.cond ? pk_lint_parts(x, q.cond, &q.d) : PK_PARTS_UNSETTLED;
		if (p == PK_PARTS_NONE || (p == PK_PARTS_UNSETTLED && pk_z3_none(&x->z, whole(x, &q)))) {
			free(q.d.v);
			continue;
		}
		const struct pk_ir_rule *r = &x->rs->rules[i];
		const unsigned before = e.n;
		if (r->dport.op != PK_PORT_ANY)
			check_services(x, &q, fwd, &e);
		if (e.n == before)
			add_whole(x, &q, fwd, &e);
		free(q.d.v);
	}
	if (e.n)
		report(x, &e);
}

void pk_lint_exposure(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	bool wan = false;
	for (uint32_t k = 0; k < rs->nifaces; k++)
		wan |= wan_type(rs, &rs->ifaces[k]);
	if (!wan)
		return;
	const Z3_ast fwd = behind(x);
	bool *meets = meeting_wan(x);
	for (uint32_t i = 0; i < rs->nrules; i = same_line_end(rs, i))
		check_written_rule(x, fwd, meets, i, same_line_end(rs, i));
	free(meets);
}
