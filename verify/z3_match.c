/*
 * verify/z3_match.c: one IR rule's match conditions as a Z3 formula.
 *
 * Each field is encoded exactly as pf tests it: addresses by prefix, range,
 * table (most specific entry wins, so a negated entry excludes what a wider
 * one includes), no-route and urpf-failed against the topology's routes;
 * ports with every operator, tested only on TCP and UDP (pf's port checks
 * live in its TCP/UDP case); TCP flags F/M only on TCP; ICMP type/code;
 * the socket owner (user, group) as enum pk_owner reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/z3_encode.h"

Z3_ast pk_z3_bv(Z3_context c, uint64_t v, unsigned bits)
{
	return Z3_mk_unsigned_int64(c, v, Z3_mk_bv_sort(c, bits));
}

Z3_ast pk_z3_bool(Z3_context c, bool v)
{
	return v ? Z3_mk_true(c) : Z3_mk_false(c);
}

Z3_ast pk_z3_and(Z3_context c, unsigned n, const Z3_ast *v)
{
	if (n == 0)
		return Z3_mk_true(c);
	return n == 1 ? v[0] : Z3_mk_and(c, n, v);
}

Z3_ast pk_z3_or(Z3_context c, unsigned n, const Z3_ast *v)
{
	if (n == 0)
		return Z3_mk_false(c);
	return n == 1 ? v[0] : Z3_mk_or(c, n, v);
}

static Z3_ast eq(Z3_context c, Z3_ast a, Z3_ast b)
{
	return Z3_mk_eq(c, a, b);
}

static Z3_ast and2(Z3_context c, Z3_ast a, Z3_ast b)
{
	const Z3_ast v[2] = {a, b};
	return Z3_mk_and(c, 2, v);
}

static Z3_ast or2(Z3_context c, Z3_ast a, Z3_ast b)
{
	const Z3_ast v[2] = {a, b};
	return Z3_mk_or(c, 2, v);
}

/* The 16 address bytes as one 128-bit constant (IPv4 lands in the top 32 bits). */
Z3_ast pk_z3_addr(Z3_context c, const uint8_t a[16])
{
	uint64_t hi = 0, lo = 0;
	for (int i = 0; i < 8; i++) {
		hi = hi << 8 | a[i];
		lo = lo << 8 | a[i + 8];
	}
	return Z3_mk_concat(c, pk_z3_bv(c, hi, 64), pk_z3_bv(c, lo, 64));
}

/* x lies in the prefix (family tested by the caller). */
static Z3_ast in_prefix(Z3_context c, Z3_ast x, const struct pk_prefix *p)
{
	unsigned len = p->len;
	if (len == 0)
		return Z3_mk_true(c);
	if (len > 128)
		len = 128;
	const Z3_ast want = Z3_mk_extract(c, 127, 128 - len, pk_z3_addr(c, p->addr));
	return eq(c, Z3_mk_extract(c, 127, 128 - len, x), Z3_simplify(c, want));
}

static Z3_ast af_is(struct pk_z3 *z, uint8_t af)
{
	return eq(z->c, z->p.af, pk_z3_bv(z->c, af, 8));
}

static Z3_ast in_prefix_af(struct pk_z3 *z, Z3_ast x, const struct pk_prefix *p)
{
	return and2(z->c, af_is(z, p->af), in_prefix(z->c, x, p));
}

/* Table membership: some positive entry holds x and no negated entry at
 * least as specific holds it (pf's radix lookup returns the most specific). */
static Z3_ast in_table(struct pk_z3 *z, const struct pk_ir_table *t, Z3_ast x)
{
	Z3_ast *any = pk_xcalloc(t->nentries + 1, sizeof(*any));
	Z3_ast *excl = pk_xcalloc(t->nentries + 1, sizeof(*excl));
	unsigned nany = 0;
	for (uint32_t i = 0; i < t->nentries; i++) {
		const struct pk_ir_table_entry *e = &t->entries[i];
		if (e->neg)
			continue;
		unsigned nexcl = 0;
		for (uint32_t k = 0; k < t->nentries; k++) {
			const struct pk_ir_table_entry *n = &t->entries[k];
			if (n->neg && n->pfx.af == e->pfx.af && n->pfx.len >= e->pfx.len)
				excl[nexcl++] = in_prefix(z->c, x, &n->pfx);
		}
		Z3_ast m = in_prefix_af(z, x, &e->pfx);
		if (nexcl)
			m = and2(z->c, m, Z3_mk_not(z->c, pk_z3_or(z->c, nexcl, excl)));
		any[nany++] = m;
	}
	const Z3_ast r = pk_z3_or(z->c, nany, any);
	free(any);
	free(excl);
	return r;
}

/* A route of the topology, or an interface's connected network. */
struct pk_z3_route {
	struct pk_prefix dst;
	const char *ifname;
};

static unsigned collect_routes(const struct pk_ir_ruleset *rs, struct pk_z3_route **out)
{
	unsigned n = rs->nroutes;
	for (uint32_t i = 0; i < rs->nifaces; i++)
		n += rs->ifaces[i].naddrs;
	struct pk_z3_route *v = pk_xcalloc(n + 1, sizeof(*v));
	unsigned k = 0;
	for (uint32_t i = 0; i < rs->nroutes; i++)
		v[k++] = (struct pk_z3_route){rs->routes[i].dst, rs->routes[i].ifname};
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t a = 0; a < rs->ifaces[i].naddrs; a++)
			v[k++] = (struct pk_z3_route){rs->ifaces[i].addrs[a], rs->ifaces[i].name};
	*out = v;
	return n;
}

/* route k is the longest prefix holding x: it holds x and no longer one does. */
static Z3_ast route_chosen(struct pk_z3 *z, const struct pk_z3_route *v, unsigned n, unsigned k, Z3_ast x)
{
	Z3_ast *longer = pk_xcalloc(n + 1, sizeof(*longer));
	unsigned nl = 0;
	for (unsigned j = 0; j < n; j++)
		if (j != k && v[j].dst.af == v[k].dst.af &&
		    (v[j].dst.len > v[k].dst.len || (v[j].dst.len == v[k].dst.len && j < k)))
			longer[nl++] = in_prefix(z->c, x, &v[j].dst);
	const Z3_ast r = and2(z->c, in_prefix_af(z, x, &v[k].dst), Z3_mk_not(z->c, pk_z3_or(z->c, nl, longer)));
	free(longer);
	return r;
}

/* Some route holds x (pf's no-route is its negation). */
static Z3_ast has_route(struct pk_z3 *z, const struct pk_ir_ruleset *rs, Z3_ast x)
{
	struct pk_z3_route *v;
	const unsigned n = collect_routes(rs, &v);
	Z3_ast *hold = pk_xcalloc(n + 1, sizeof(*hold));
	for (unsigned k = 0; k < n; k++)
		hold[k] = in_prefix_af(z, x, &v[k].dst);
	const Z3_ast r = pk_z3_or(z->c, n, hold);
	free(hold);
	free(v);
	return r;
}

static Z3_ast routes_via_x(struct pk_z3 *z, const struct pk_ir_ruleset *rs, Z3_ast x, Z3_ast ifidx,
			   const char *ifname)
{
	struct pk_z3_route *v;
	const unsigned n = collect_routes(rs, &v);
	Z3_ast *alt = pk_xcalloc(n + 1, sizeof(*alt));
	unsigned na = 0;
	for (unsigned k = 0; k < n; k++) {
		Z3_ast via;
		if (ifname)
			via = pk_z3_bool(z->c, v[k].ifname && !strcmp(v[k].ifname, ifname));
		else
			via = eq(z->c, ifidx, pk_z3_bv(z->c, pk_z3_iface_index(z, v[k].ifname), 16));
		alt[na++] = and2(z->c, route_chosen(z, v, n, k, x), via);
	}
	const Z3_ast r = pk_z3_or(z->c, na, alt);
	free(alt);
	free(v);
	return r;
}

Z3_ast pk_z3_routes_via(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const char *ifname)
{
	return routes_via_x(z, rs, z->p.dst, NULL, ifname);
}

/* x is one of the firewall's own addresses. */
static Z3_ast is_self(struct pk_z3 *z, const struct pk_ir_ruleset *rs, Z3_ast x)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < rs->nifaces; i++)
		n += rs->ifaces[i].naddrs;
	Z3_ast *v = pk_xcalloc(n + 1, sizeof(*v));
	unsigned k = 0;
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t a = 0; a < rs->ifaces[i].naddrs; a++) {
			struct pk_prefix host = rs->ifaces[i].addrs[a];
			host.len = host.af == PK_AF_INET ? 32 : 128;
			v[k++] = in_prefix_af(z, x, &host);
		}
	const Z3_ast r = pk_z3_or(z->c, k, v);
	free(v);
	return r;
}

Z3_ast pk_z3_dst_is_self(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	return is_self(z, rs, z->p.dst);
}

static Z3_ast addr_match(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a, Z3_ast x)
{
	Z3_context c = z->c;
	switch (a->kind) {
	case PK_ADDR_PREFIX: {
		const Z3_ast m = in_prefix(c, x, &a->pfx);
		/* The rule's family comes from its address (pfctl sets r->af). */
		return and2(c, af_is(z, a->pfx.af), a->neg ? Z3_mk_not(c, m) : m);
	}
	case PK_ADDR_RANGE: {
		const Z3_ast m = and2(c, Z3_mk_bvule(c, pk_z3_addr(c, a->pfx.addr), x),
				      Z3_mk_bvule(c, x, pk_z3_addr(c, a->range_end.addr)));
		return and2(c, af_is(z, a->pfx.af), a->neg ? Z3_mk_not(c, m) : m);
	}
	case PK_ADDR_TABLE: {
		const Z3_ast m = a->table < rs->ntables ? in_table(z, &rs->tables[a->table], x) : Z3_mk_false(c);
		return a->neg ? Z3_mk_not(c, m) : m;
	}
	case PK_ADDR_NOROUTE: {
		const Z3_ast m = Z3_mk_not(c, has_route(z, rs, x));
		return a->neg ? Z3_mk_not(c, m) : m;
	}
	case PK_ADDR_URPF: {
		const Z3_ast m = Z3_mk_not(c, routes_via_x(z, rs, x, z->p.iface, NULL));
		return a->neg ? Z3_mk_not(c, m) : m;
	}
	default:
		return pk_z3_bool(c, !a->neg);
	}
}

static Z3_ast port_match(Z3_context c, const struct pk_port_match *m, Z3_ast x)
{
	const Z3_ast lo = pk_z3_bv(c, m->lo, 16), hi = pk_z3_bv(c, m->hi, 16);
	switch (m->op) {
	case PK_PORT_EQ: return eq(c, x, lo);
	case PK_PORT_NE: return Z3_mk_not(c, eq(c, x, lo));
	case PK_PORT_LT: return Z3_mk_bvult(c, x, lo);
	case PK_PORT_LE: return Z3_mk_bvule(c, x, lo);
	case PK_PORT_GT: return Z3_mk_bvugt(c, x, lo);
	case PK_PORT_GE: return Z3_mk_bvuge(c, x, lo);
	case PK_PORT_RANGE: return and2(c, Z3_mk_bvuge(c, x, lo), Z3_mk_bvule(c, x, hi));
	case PK_PORT_INSIDE: return and2(c, Z3_mk_bvugt(c, x, lo), Z3_mk_bvult(c, x, hi));
	case PK_PORT_OUTSIDE: return or2(c, Z3_mk_bvult(c, x, lo), Z3_mk_bvugt(c, x, hi));
	default: return Z3_mk_true(c);
	}
}

static Z3_ast proto_is(struct pk_z3 *z, uint8_t proto)
{
	return eq(z->c, z->p.proto, pk_z3_bv(z->c, proto, 8));
}

/* Ports, flags and ICMP fields: tested only for the protocols that carry them. */
static unsigned l4_match(struct pk_z3 *z, const struct pk_ir_rule *r, Z3_ast *v)
{
	Z3_context c = z->c;
	unsigned n = 0;
	if (r->sport.op != PK_PORT_ANY || r->dport.op != PK_PORT_ANY) {
		v[n++] = or2(c, proto_is(z, 6), proto_is(z, 17));
		v[n++] = port_match(c, &r->sport, z->p.sport);
		v[n++] = port_match(c, &r->dport, z->p.dport);
	}
	if (r->flagmask) {
		const Z3_ast f = Z3_mk_bvand(c, z->p.flags, pk_z3_bv(c, r->flagmask, 8));
		v[n++] = or2(c, Z3_mk_not(c, proto_is(z, 6)), eq(c, f, pk_z3_bv(c, r->flags, 8)));
	}
	if (r->icmp_type >= 0 || r->icmp_code >= 0) {
		const Z3_ast v4 = and2(c, af_is(z, PK_AF_INET), proto_is(z, 1));
		const Z3_ast v6 = and2(c, af_is(z, PK_AF_INET6), proto_is(z, 58));
		v[n++] = r->proto == 58 ? v6 : r->proto == 1 ? v4 : or2(c, v4, v6);
	}
	if (r->icmp_type >= 0)
		v[n++] = eq(c, z->p.itype, pk_z3_bv(c, (uint64_t)r->icmp_type, 8));
	if (r->icmp_code >= 0)
		v[n++] = eq(c, z->p.icode, pk_z3_bv(c, (uint64_t)r->icmp_code, 8));
	return n;
}

/* pf_match_rule on a fragment: a `fragment` rule matches only fragments;
 * one that reads ports, ICMP fields or the owner none, nor one with flags
 * a TCP fragment. */
static unsigned fragment_match(struct pk_z3 *z, const struct pk_ir_rule *r, Z3_ast *v)
{
	Z3_context c = z->c;
	const Z3_ast frag = eq(c, z->p.frag, pk_z3_bv(c, 1, 1));
	unsigned n = 0;
	if (r->fragment)
		v[n++] = frag;
	if (pk_ir_rule_reads_l4(r, 17))
		v[n++] = Z3_mk_not(c, frag);
	else if (r->flagmask)
		v[n++] = Z3_mk_not(c, and2(c, frag, proto_is(z, 6)));
	return n;
}

static unsigned tag_index(const struct pk_z3 *z, const char *name)
{
	for (unsigned k = 0; k < z->ntag; k++)
		if (!strcmp(z->tags[k], name))
			return k + 1;
	return 0;
}

Z3_ast pk_z3_owner(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	Z3_context c = z->c;
	if (r->owner == PK_OWNER_ANY)
		return Z3_mk_true(c);
	const Z3_ast in = eq(c, z->p.dir, pk_z3_bv(c, PK_DIR_IN, 8)), out = eq(c, z->p.dir, pk_z3_bv(c, PK_DIR_OUT, 8));
	const Z3_ast local = or2(c, and2(c, in, is_self(z, rs, z->p.dst)), and2(c, out, is_self(z, rs, z->p.src)));
	const Z3_ast meets = r->owner == PK_OWNER_LOCAL ? local
			     : r->owner == PK_OWNER_FORWARDED ? Z3_mk_not(c, local) : Z3_mk_false(c);
	/* pf ignores the criteria for protocols other than TCP and UDP */
	return or2(c, Z3_mk_not(c, or2(c, proto_is(z, 6), proto_is(z, 17))), meets);
}

Z3_ast pk_z3_match(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	const Z3_ast m = and2(z->c, pk_z3_translated(z, rs, (uint32_t)(r - rs->rules), pk_z3_match_plain(z, rs, r)),
			      pk_z3_owner(z, rs, r));
	/* what an older rule with `pass` took meets no filter rule */
	if (!pk_z3_in_filter(r) || !z->has_older)
		return m;
	return and2(z->c, m, Z3_mk_not(z->c, pk_z3_older_pass(z, rs)));
}

Z3_ast pk_z3_match_plain(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	Z3_context c = z->c;
	Z3_ast v[24];
	unsigned n = 0;
	if (r->af)
		v[n++] = af_is(z, r->af);
	if (r->proto)
		v[n++] = proto_is(z, r->proto);
	if (r->dir != PK_DIR_ANY)
		v[n++] = eq(c, z->p.dir, pk_z3_bv(c, r->dir, 8));
	if (r->ifc.name) {
		const Z3_ast on = eq(c, z->p.iface, pk_z3_bv(c, pk_z3_iface_index(z, r->ifc.name), 16));
		v[n++] = r->ifc.neg ? Z3_mk_not(c, on) : on;
	}
	v[n++] = addr_match(z, rs, &r->src, z->p.src);
	v[n++] = addr_match(z, rs, &r->dst, z->p.dst);
	n += l4_match(z, r, v + n);
	if (r->tos >= 0)
		v[n++] = eq(c, z->p.tos, pk_z3_bv(c, (uint64_t)r->tos, 8));
	if (r->tagged) {
		const Z3_ast t = eq(c, z->p.tag, pk_z3_bv(c, tag_index(z, r->tagged), 16));
		v[n++] = r->tagged_neg ? Z3_mk_not(c, t) : t;
	}
	n += fragment_match(z, r, v + n);
	if (r->rcv.name) {
		/* inbound packets were received where they are seen */
		const Z3_ast in = eq(c, z->p.dir, pk_z3_bv(c, PK_DIR_IN, 8));
		const Z3_ast at = Z3_mk_ite(c, in, z->p.iface, z->p.rcvif);
		const Z3_ast on = eq(c, at, pk_z3_bv(c, pk_z3_iface_index(z, r->rcv.name), 16));
		v[n++] = r->rcv.neg ? Z3_mk_not(c, on) : on;
	}
	return pk_z3_and(c, n, v);
}
