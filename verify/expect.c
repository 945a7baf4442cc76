/*
 * verify/expect.c: the Z3 side of policy tests (see expect.h): one solver
 * for all expectations of a run, the connection's formulas built once.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/expect.h"
#include "verify/z3_encode.h"

struct expect_ctx {
	struct pk_z3 z;
	const struct pk_ir_ruleset *rs;
	Z3_ast dom;
	Z3_ast through_pkt;  /* the packet passes in, and out where it is routed */
	Z3_ast through_conn; /* so does its connection (expect.h) */
};

static Z3_ast field_is(struct pk_z3 *z, Z3_ast f, uint64_t v, unsigned bits)
{
	return Z3_mk_eq(z->c, f, pk_z3_bv(z->c, v, bits));
}

/* TCP flags for the packet: f for TCP, none for the rest. */
static Z3_ast tcp_flags(struct pk_z3 *z, uint8_t f)
{
	return Z3_mk_ite(z->c, field_is(z, z->p.proto, 6, 8), pk_z3_bv(z->c, f, 8), pk_z3_bv(z->c, 0, 8));
}

/* The client's later packets: the same header with ACK. */
static Z3_ast later(struct pk_z3 *z, Z3_ast f)
{
	Z3_ast from[1] = {z->p.flags}, to[1] = {tcp_flags(z, PK_TH_ACK)};
	return Z3_substitute(z->c, f, 1, from, to);
}

/* The server's answer: addresses and ports swapped, the other direction
 * on the same interface, TCP flags `flags`. */
static Z3_ast reply(struct pk_z3 *z, Z3_ast f, uint8_t flags)
{
	Z3_context c = z->c;
	const Z3_ast is_in = field_is(z, z->p.dir, PK_DIR_IN, 8);
	Z3_ast from[6] = {z->p.src, z->p.dst, z->p.sport, z->p.dport, z->p.dir, z->p.flags};
	Z3_ast to[6] = {z->p.dst, z->p.src, z->p.dport, z->p.sport,
			Z3_mk_ite(c, is_in, pk_z3_bv(c, PK_DIR_OUT, 8), pk_z3_bv(c, PK_DIR_IN, 8)),
			tcp_flags(z, flags)};
	return Z3_substitute(c, f, 6, from, to);
}

/* One side of the connection gets through the filter (expect.h). */
static Z3_ast side_ok(struct pk_z3 *z, Z3_ast pass, Z3_ast keeps)
{
	Z3_context c = z->c;
	const Z3_ast tcp_udp[2] = {field_is(z, z->p.proto, 6, 8), field_is(z, z->p.proto, 17, 8)};
	const Z3_ast stateless[3] = {later(z, pass), reply(z, pass, PK_TH_SYN | PK_TH_ACK), reply(z, pass, PK_TH_ACK)};
	const Z3_ast rest[2] = {Z3_mk_not(c, Z3_mk_or(c, 2, tcp_udp)), Z3_mk_and(c, 3, stateless)};
	const Z3_ast alone[2] = {pass, Z3_mk_or(c, 2, rest)};
	const Z3_ast either[2] = {keeps, Z3_mk_and(c, 2, alone)};
	return Z3_mk_or(c, 2, either);
}

/* A default route of family af: every destination af-to can make has one. */
static bool routes_all(const struct pk_ir_ruleset *rs, uint8_t af)
{
	for (uint32_t k = 0; k < rs->nroutes; k++)
		if (rs->routes[k].dst.af == af && rs->routes[k].dst.len == 0)
			return true;
	return false;
}

/* An inbound packet an af-to pass rule decides: pf forwards what it makes
 * in the other family without the out rules. Its new destination comes
 * from the packet's own address bits, so its route is asked of the
 * topology as a whole: a default route of that family, else not forwarded
 * (the conservative answer: a pass test fails and walks the packet). */
static Z3_ast afto_forwarded(struct expect_ctx *x)
{
	struct pk_z3 *z = &x->z;
	const struct pk_ir_ruleset *rs = x->rs;
	Z3_ast *M = pk_xcalloc(rs->nrules + 1, sizeof(*M)), *v = pk_xcalloc(rs->nrules + 1, sizeof(*v));
	unsigned n = 0;
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].afto.af && rs->rules[i].action == PK_ACT_PASS && routes_all(rs, rs->rules[i].afto.af))
			v[n++] = pk_z3_decided_by(z, rs, i, M);
	const Z3_ast in[2] = {field_is(z, z->p.dir, PK_DIR_IN, 8), pk_z3_or(z->c, n, v)};
	free(M);
	free(v);
	return Z3_mk_and(z->c, 2, in);
}

/* g for the packet as it arrives, and g again on the interface the
 * topology routes it out of (nothing to do for a packet going out, or to
 * the firewall itself, or one af-to translates; without a topology there
 * is no route to follow). */
static Z3_ast forwarded(struct expect_ctx *x, Z3_ast g)
{
	struct pk_z3 *z = &x->z;
	Z3_context c = z->c;
	const struct pk_ir_ruleset *rs = x->rs;
	if (rs->nifaces == 0)
		return g;
	Z3_ast *v = pk_xcalloc(rs->nifaces + 3, sizeof(*v));
	unsigned n = 0;
	v[n++] = field_is(z, z->p.dir, PK_DIR_OUT, 8);
	v[n++] = pk_z3_dst_is_self(z, rs);
	v[n++] = afto_forwarded(x);
	for (uint32_t k = 0; k < rs->nifaces; k++) {
		Z3_ast from[2] = {z->p.dir, z->p.iface};
		Z3_ast to[2] = {pk_z3_bv(c, PK_DIR_OUT, 8), pk_z3_bv(c, pk_z3_iface_index(z, rs->ifaces[k].name), 16)};
		const Z3_ast via[2] = {pk_z3_routes_via(z, rs, rs->ifaces[k].name), Z3_substitute(c, g, 2, from, to)};
		v[n++] = Z3_mk_and(c, 2, via);
	}
	const Z3_ast both[2] = {g, pk_z3_or(c, n, v)};
	free(v);
	return Z3_mk_and(c, 2, both);
}

static int ctx_init(struct expect_ctx *x, const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs)
{
	memset(x, 0, sizeof(*x));
	if (pk_z3_init(&x->z, rs, shape_rs) < 0)
		return -1;
	x->rs = rs;
	x->dom = pk_z3_domain(&x->z);
	const Z3_ast pass = pk_z3_passes(&x->z, rs);
	x->through_pkt = Z3_simplify(x->z.c, forwarded(x, pass));
	x->through_conn = Z3_simplify(x->z.c, forwarded(x, side_ok(&x->z, pass, pk_z3_passes_with_state(&x->z, rs))));
	return 0;
}

/* The packets of the shape; open: only the connection's first one. */
static Z3_ast shape_of(struct expect_ctx *x, const struct pk_ir_ruleset *shape_rs, const struct pk_expect *e,
		       bool open)
{
	struct pk_z3 *z = &x->z;
	if (e->is_packet) {
		const Z3_ast one[2] = {x->dom, pk_z3_is_packet(z, &e->pkt)};
		return Z3_mk_and(z->c, 2, one);
	}
	Z3_ast *v = pk_xcalloc(e->n + 1, sizeof(*v));
	bool flags = false;
	for (uint32_t k = 0; k < e->n; k++) {
		const struct pk_ir_rule *r = &shape_rs->rules[e->first + k];
		v[k] = pk_z3_match_plain(z, shape_rs, r);
		flags |= r->flagmask != 0;
	}
	const Z3_ast opening[2] = {Z3_mk_not(z->c, field_is(z, z->p.proto, 6, 8)), field_is(z, z->p.flags, PK_TH_SYN, 8)};
	const Z3_ast s[3] = {x->dom, pk_z3_or(z->c, e->n, v), Z3_mk_or(z->c, 2, opening)};
	free(v);
	return Z3_mk_and(z->c, open && !flags ? 3 : 2, s);
}

/* sat(f): 1 with *w filled, 0 unsat, -1 when the solver gave up. */
static int solve(struct expect_ctx *x, Z3_ast f, struct pk_vpkt *w)
{
	const unsigned long unknowns = x->z.unknowns;
	if (pk_z3_witness(&x->z, f, w))
		return 1;
	return x->z.unknowns > unknowns ? -1 : 0;
}

static void check_one(struct expect_ctx *x, const struct pk_ir_ruleset *shape_rs, const struct pk_expect *e,
		      struct pk_expect_result *r)
{
	Z3_context c = x->z.c;
	memset(r, 0, sizeof(*r));
	const Z3_ast all = shape_of(x, shape_rs, e, false);
	const Z3_ast open = e->kind == PK_EXPECT_BLOCK ? all : shape_of(x, shape_rs, e, true);
	int s = solve(x, open, &r->w);
	if (s <= 0) {
		r->empty = s == 0;
		r->undecided = s < 0;
		return;
	}
	if (e->kind == PK_EXPECT_REACH) {
		const Z3_ast ok[2] = {open, x->through_conn};
		s = solve(x, Z3_mk_and(c, 2, ok), NULL);
		r->holds = s == 1;
	} else {
		const Z3_ast bad = e->kind == PK_EXPECT_PASS ? Z3_mk_not(c, x->through_conn) : x->through_pkt;
		const Z3_ast fails[2] = {open, bad};
		s = solve(x, Z3_mk_and(c, 2, fails), &r->w);
		r->holds = s == 0;
	}
	r->undecided = s < 0;
	if (!r->holds && !r->undecided)
		pk_expect_walk(x->rs, e->kind, &r->w, r);
}

int pk_expect_check(const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs,
		    const struct pk_expect *v, unsigned n, struct pk_expect_result *res)
{
	struct expect_ctx x;
	if (ctx_init(&x, rs, shape_rs) < 0)
		return -1;
	for (unsigned k = 0; k < n; k++)
		check_one(&x, shape_rs, &v[k], &res[k]);
	pk_z3_fini(&x.z);
	return 0;
}
