/*
 * verify/lint_witness.c: witnesses a reader recognises. The solver picks
 * any packet that proves a finding (0.0.0.1 port 1, ICMP type 0); each
 * field is then replaced, one at a time, by the first readable value that
 * proves the same: an address from the finding's rules or from the
 * topology (its interfaces' hosts and networks), the rules' own ports, a
 * client's source port, an echo request, an ordinary TCP flag set. A value
 * is kept only when the packet's fate stays the same: the rule deciding
 * it and the verdict (in, and out on the egress), which of the finding's
 * rules match it, whether it opens a connection, where it is routed and
 * whether it is addressed to the firewall.
 */
#include <string.h>

#include "verify/eval.h"
#include "verify/lint_priv.h"

/* Readable values tried per field, at most: each try evaluates the
 * ruleset once or twice, and the first few readable values usually do. */
#define PK_CAND_MAX 16

/* What a witness proves, as far as a field's value can change it. */
struct fate {
	uint32_t rule, out_rule;
	bool pass, out_pass, opening, self, skipped;
	const char *route;
	uint64_t matches; /* bit k: rule k of the finding (the rule, then its related rules) matches */
};

/* The ruleset, and the rules that may match a packet (each candidate is
 * evaluated: most rules are far from it). */
struct rd {
	const struct pk_ir_ruleset *rs;
	const struct pk_lint_point *ix;
};

static void fate_of(const struct rd *d, const struct pk_lint_finding *f, const struct pk_vpkt *p, struct fate *o)
{
	const struct pk_ir_ruleset *rs = d->rs;
	memset(o, 0, sizeof(*o));
	struct pk_eval_result ev;
	pk_lint_point_eval(d->ix, p, &ev);
	o->rule = ev.rule;
	o->pass = ev.pass;
	o->skipped = ev.skipped;
	o->opening = pk_lint_opening_packet(p);
	o->self = p->dir == PK_DIR_IN && pk_eval_is_self(rs, p->af, p->dst);
	/* where an arriving packet is routed decides its way out; a leaving one is already on it */
	o->route = p->dir == PK_DIR_IN ? pk_eval_route(rs, p->af, p->dst) : NULL;
	if (f->rule != PK_LINT_NO_RULE)
		o->matches |= pk_eval_match(rs, &rs->rules[f->rule], p);
	for (unsigned k = 0; k < f->nrelated && k < 63; k++)
		if (f->related[k].rule != PK_LINT_NO_RULE)
			o->matches |= (uint64_t)pk_eval_match(rs, &rs->rules[f->related[k].rule], p) << (k + 1);
	o->out_rule = PK_EVAL_NONE;
	if (p->dir == PK_DIR_IN && o->route) {
		struct pk_vpkt out = *p;
		out.dir = PK_DIR_OUT;
		out.ifname = o->route;
		pk_lint_point_eval(d->ix, &out, &ev);
		o->out_rule = ev.rule;
		o->out_pass = ev.pass;
	}
}

static bool same_fate(const struct fate *a, const struct fate *b)
{
	return a->rule == b->rule && a->pass == b->pass && a->skipped == b->skipped && a->out_rule == b->out_rule &&
	       a->out_pass == b->out_pass && a->opening == b->opening && a->self == b->self && a->route == b->route &&
	       a->matches == b->matches;
}

static bool loopback_addr(const struct pk_prefix *p)
{
	static const uint8_t v6lo[16] = {[15] = 1};
	return (p->af == PK_AF_INET && p->addr[0] == 127) || (p->af == PK_AF_INET6 && !memcmp(p->addr, v6lo, 16));
}

bool pk_lint_iface_loopback(const struct pk_ir_iface *f)
{
	for (uint32_t a = 0; a < f->naddrs; a++)
		if (loopback_addr(&f->addrs[a]))
			return true;
	return false;
}

struct addrs {
	uint8_t v[PK_CAND_MAX][16];
	unsigned n;
};

static void add_addr(struct addrs *c, const uint8_t *a)
{
	if (c->n < PK_CAND_MAX)
		memcpy(c->v[c->n++], a, 16);
}

/* A host inside a network: the address itself when it names a host or
 * is an interface's own (own), else host 10 of the network (::10 in
 * IPv6), or host 1 of a small one. */
static void add_host(struct addrs *c, const struct pk_prefix *p, uint8_t af, bool own)
{
	if (p->af != af || p->len == 0)
		return;
	uint8_t a[16];
	memcpy(a, p->addr, 16);
	const unsigned bits = af == PK_AF_INET ? 32 : 128, last = af == PK_AF_INET ? 3 : 15;
	if (own || p->len >= bits) {
		add_addr(c, a);
		return;
	}
	for (unsigned b = p->len; b < bits; b++)
		a[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	a[last] |= bits - p->len > 4 ? (af == PK_AF_INET ? 10 : 0x10) : 1;
	add_addr(c, a);
}

static void add_operand(struct addrs *c, const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a, uint8_t af)
{
	if (a->neg)
		return;
	if (a->kind == PK_ADDR_PREFIX || a->kind == PK_ADDR_RANGE)
		add_host(c, &a->pfx, af, a->kind == PK_ADDR_RANGE);
	if (a->kind == PK_ADDR_TABLE && a->table < rs->ntables)
		for (uint32_t e = 0; e < rs->tables[a->table].nentries && e < 4; e++)
			if (!rs->tables[a->table].entries[e].neg)
				add_host(c, &rs->tables[a->table].entries[e].pfx, af, false);
}

/* Documentation addresses: somewhere on the Internet. */
static void add_elsewhere(struct addrs *c, uint8_t af)
{
	static const uint8_t v4[2][16] = {{198, 51, 100, 10}, {203, 0, 113, 10}};
	static const uint8_t v6[2][16] = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10},
					  {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}};
	for (int k = 0; k < 2; k++)
		add_addr(c, af == PK_AF_INET ? v4[k] : v6[k]);
}

/* Candidates for the source (dst false) or destination: the finding's
 * rules' operands, the hosts of the interface the packet is on (a source
 * arriving, a destination leaving), the Internet, then every interface's
 * own address and hosts. */
static void addr_candidates(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f, const struct pk_vpkt *p,
			    bool dst, struct addrs *c)
{
	c->n = 0;
	if (f->rule != PK_LINT_NO_RULE)
		add_operand(c, rs, dst ? &rs->rules[f->rule].dst : &rs->rules[f->rule].src, p->af);
	for (unsigned k = 0; k < f->nrelated; k++)
		if (f->related[k].rule != PK_LINT_NO_RULE) {
			const struct pk_ir_rule *o = &rs->rules[f->related[k].rule];
			add_operand(c, rs, dst ? &o->dst : &o->src, p->af);
		}
	const struct pk_ir_iface *on = p->ifname ? pk_ir_iface_find(rs, p->ifname) : NULL;
	const bool local_side = dst == (p->dir == PK_DIR_OUT);
	/* a host on the interface's network, or the firewall's own address there */
	for (uint32_t a = 0; on && a < on->naddrs; a++)
		add_host(c, &on->addrs[a], p->af, !local_side);
	add_elsewhere(c, p->af);
	for (int lo = 0; lo < 2; lo++) /* loopback addresses last */
		for (uint32_t k = 0; k < rs->nifaces; k++)
			for (uint32_t a = 0; a < rs->ifaces[k].naddrs; a++) {
				if (loopback_addr(&rs->ifaces[k].addrs[a]) != lo)
					continue;
				add_host(c, &rs->ifaces[k].addrs[a], p->af, true);
				add_host(c, &rs->ifaces[k].addrs[a], p->af, false);
			}
}

/* The witness on a topology's interface instead of a loopback or one
 * no rule names, when that proves the same. */
static void try_ifaces(const struct rd *d, struct pk_lint_finding *f, const struct fate *want)
{
	const struct pk_ir_ruleset *rs = d->rs;
	const struct pk_ir_iface *on = f->witness.ifname ? pk_ir_iface_find(rs, f->witness.ifname) : NULL;
	if (on && !pk_lint_iface_loopback(on))
		return;
	for (uint32_t k = 0; k < rs->nifaces; k++) {
		if (pk_lint_iface_loopback(&rs->ifaces[k]))
			continue;
		struct pk_vpkt p = f->witness;
		p.ifname = rs->ifaces[k].name;
		struct fate got;
		fate_of(d, f, &p, &got);
		if (same_fate(want, &got)) {
			f->witness = p;
			return;
		}
	}
}

struct nums {
	unsigned v[PK_CAND_MAX];
	unsigned n;
};

static void add_num(struct nums *c, int v)
{
	if (v >= 0 && c->n < PK_CAND_MAX)
		c->v[c->n++] = (unsigned)v;
}

static void add_port(struct nums *c, const struct pk_port_match *m)
{
	if (m->op != PK_PORT_ANY && m->lo)
		add_num(c, m->lo);
	if (m->op != PK_PORT_ANY && m->hi)
		add_num(c, m->hi);
}

static void port_candidates(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f, bool dst,
			    struct nums *c)
{
	c->n = 0;
	if (f->rule != PK_LINT_NO_RULE)
		add_port(c, dst ? &rs->rules[f->rule].dport : &rs->rules[f->rule].sport);
	for (unsigned k = 0; k < f->nrelated; k++)
		if (f->related[k].rule != PK_LINT_NO_RULE)
			add_port(c, dst ? &rs->rules[f->related[k].rule].dport : &rs->rules[f->related[k].rule].sport);
	static const int client[] = {49152, 1024}, server[] = {443, 80, 22, 53, 8080};
	for (size_t k = 0; k < (dst ? 5 : 2); k++)
		add_num(c, dst ? server[k] : client[k]);
}

static void icmp_candidates(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f, uint8_t af,
			    struct nums *c)
{
	c->n = 0;
	if (f->rule != PK_LINT_NO_RULE)
		add_num(c, rs->rules[f->rule].icmp_type);
	for (unsigned k = 0; k < f->nrelated; k++)
		if (f->related[k].rule != PK_LINT_NO_RULE)
			add_num(c, rs->rules[f->related[k].rule].icmp_type);
	const int v4[] = {8, 0, 3, 11}, v6[] = {128, 129, 1, 3};
	for (int k = 0; k < 4; k++)
		add_num(c, af == PK_AF_INET ? v4[k] : v6[k]);
}

/* Tries each value for one field (set writes it); keeps the first that
 * leaves the fate alone. */
static void try_values(const struct rd *d, struct pk_lint_finding *f, const struct fate *want,
		       const struct nums *c, void (*set)(struct pk_vpkt *, unsigned))
{
	for (unsigned k = 0; k < c->n; k++) {
		struct pk_vpkt p = f->witness;
		set(&p, c->v[k]);
		struct fate got;
		fate_of(d, f, &p, &got);
		if (same_fate(want, &got)) {
			f->witness = p;
			return;
		}
	}
}

static void set_sport(struct pk_vpkt *p, unsigned v) { p->sport = (uint16_t)v; }
static void set_dport(struct pk_vpkt *p, unsigned v) { p->dport = (uint16_t)v; }
static void set_icmp(struct pk_vpkt *p, unsigned v)
{
	p->icmp_type = (uint8_t)v;
	p->icmp_code = 0;
}
static void set_flags(struct pk_vpkt *p, unsigned v) { p->flags = (uint8_t)v; }
static void set_tos(struct pk_vpkt *p, unsigned v) { p->tos = (uint8_t)v; }

static void try_addrs(const struct rd *d, struct pk_lint_finding *f, const struct fate *want, bool dst)
{
	struct addrs c;
	addr_candidates(d->rs, f, &f->witness, dst, &c);
	for (unsigned k = 0; k < c.n; k++) {
		struct pk_vpkt p = f->witness;
		memcpy(dst ? p.dst : p.src, c.v[k], 16);
		if (!memcmp(p.src, p.dst, 16))
			continue;
		struct fate got;
		fate_of(d, f, &p, &got);
		if (same_fate(want, &got)) {
			f->witness = p;
			return;
		}
	}
}

static void readable(const struct rd *d, struct pk_lint_finding *f)
{
	const struct pk_ir_ruleset *rs = d->rs;
	struct fate want;
	fate_of(d, f, &f->witness, &want);
	struct pk_vpkt *w = &f->witness;
	try_ifaces(d, f, &want);
	try_addrs(d, f, &want, false);
	try_addrs(d, f, &want, true);
	struct nums c;
	if (w->proto == PK_PROTO_TCP || w->proto == PK_PROTO_UDP) {
		/* an exposure's witness shows the service it names */
		port_candidates(rs, f, true, &c);
		if (f->id != PK_LINT_EXPOSURE || rs->rules[f->rule].dport.op == PK_PORT_ANY)
			try_values(d, f, &want, &c, set_dport);
		port_candidates(rs, f, false, &c);
		try_values(d, f, &want, &c, set_sport);
	}
	if (w->proto == PK_PROTO_ICMP || w->proto == PK_PROTO_ICMP6) {
		icmp_candidates(rs, f, w->af, &c);
		try_values(d, f, &want, &c, set_icmp);
	}
	if (w->proto == PK_PROTO_TCP) {
		/* a SYN, an ACK, data, a SYN-ACK, a FIN, a reset: flag sets pf's
		 * normalisation lets through */
		const struct nums fl = {{PK_TH_SYN, PK_TH_ACK, PK_TH_PUSH | PK_TH_ACK, PK_TH_SYN | PK_TH_ACK,
					 PK_TH_FIN | PK_TH_ACK, PK_TH_RST},
					6};
		try_values(d, f, &want, &fl, set_flags);
	}
	const struct nums zero = {{0}, 1};
	try_values(d, f, &want, &zero, set_tos);
}

void pk_lint_readable(const struct pk_lint_ctx *x)
{
	struct pk_lint_point *ix = pk_lint_point_new(x->rs, x->box);
	const struct rd d = {x->rs, ix};
	for (unsigned i = 0; i < x->rep->n; i++)
		if (x->rep->v[i].has_witness)
			readable(&d, &x->rep->v[i]);
	pk_lint_point_free(ix);
}
