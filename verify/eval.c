/* verify/eval.c: the reference evaluator (see eval.h). */
#include <string.h>

#include "verify/eval.h"

static bool in_prefix(const struct pk_prefix *p, uint8_t af, const uint8_t a[16])
{
	if (p->af != af)
		return false;
	const unsigned len = p->len > 128 ? 128 : p->len;
	for (unsigned bit = 0; bit < len; bit++) {
		const uint8_t m = (uint8_t)(0x80 >> (bit % 8));
		if ((p->addr[bit / 8] & m) != (a[bit / 8] & m))
			return false;
	}
	return true;
}

/* pf's radix lookup: the most specific entry holding a decides. */
static bool in_table(const struct pk_ir_table *t, uint8_t af, const uint8_t a[16])
{
	int best = -1;
	bool neg = false;
	for (uint32_t i = 0; i < t->nentries; i++) {
		const struct pk_ir_table_entry *e = &t->entries[i];
		if (!in_prefix(&e->pfx, af, a))
			continue;
		if (e->pfx.len > best || (e->pfx.len == best && e->neg)) {
			best = e->pfx.len;
			neg = e->neg;
		}
	}
	return best >= 0 && !neg;
}

static int route_find(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t a[16], const char **ifname)
{
	int best = -1;
	*ifname = NULL;
	for (uint32_t i = 0; i < rs->nroutes; i++)
		if (in_prefix(&rs->routes[i].dst, af, a) && rs->routes[i].dst.len > best) {
			best = rs->routes[i].dst.len;
			*ifname = rs->routes[i].ifname;
		}
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t k = 0; k < rs->ifaces[i].naddrs; k++)
			if (in_prefix(&rs->ifaces[i].addrs[k], af, a) && rs->ifaces[i].addrs[k].len > best) {
				best = rs->ifaces[i].addrs[k].len;
				*ifname = rs->ifaces[i].name;
			}
	return best;
}

const char *pk_eval_route(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t addr[16])
{
	const char *ifname;
	route_find(rs, af, addr, &ifname);
	return ifname;
}

bool pk_eval_is_self(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t addr[16])
{
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t k = 0; k < rs->ifaces[i].naddrs; k++)
			if (rs->ifaces[i].addrs[k].af == af && !memcmp(rs->ifaces[i].addrs[k].addr, addr, 16))
				return true;
	return false;
}

static bool cmp_u128(const uint8_t a[16], const uint8_t b[16], int want)
{
	const int c = memcmp(a, b, 16);
	return want < 0 ? c <= 0 : c >= 0;
}

static bool addr_match(const struct pk_ir_ruleset *rs, const struct pk_ir_addr *x, const struct pk_vpkt *p,
		       const uint8_t a[16])
{
	bool m;
	const char *via;
	switch (x->kind) {
	case PK_ADDR_PREFIX:
		if (x->pfx.af != p->af)
			return false;
		m = in_prefix(&x->pfx, p->af, a);
		break;
	case PK_ADDR_RANGE:
		if (x->pfx.af != p->af)
			return false;
		m = cmp_u128(x->pfx.addr, a, -1) && cmp_u128(x->range_end.addr, a, 1);
		break;
	case PK_ADDR_TABLE:
		m = x->table < rs->ntables && in_table(&rs->tables[x->table], p->af, a);
		break;
	case PK_ADDR_NOROUTE:
		m = route_find(rs, p->af, a, &via) < 0;
		break;
	case PK_ADDR_URPF:
		route_find(rs, p->af, a, &via);
		m = !via || !p->ifname || strcmp(via, p->ifname);
		break;
	default:
		m = true;
	}
	return m != x->neg;
}

static bool port_match(const struct pk_port_match *m, uint16_t x)
{
	return pk_port_op_match(m->op, m->lo, m->hi, x);
}

static bool l4_match(const struct pk_ir_rule *r, const struct pk_vpkt *p)
{
	if (r->sport.op != PK_PORT_ANY || r->dport.op != PK_PORT_ANY) {
		if (p->proto != 6 && p->proto != 17)
			return false;
		if (!port_match(&r->sport, p->sport) || !port_match(&r->dport, p->dport))
			return false;
	}
	if (r->flagmask && p->proto == 6 && (p->flags & r->flagmask) != r->flags)
		return false;
	if (r->icmp_type >= 0 || r->icmp_code >= 0) {
		const bool icmp = (p->af == PK_AF_INET && p->proto == 1) || (p->af == PK_AF_INET6 && p->proto == 58);
		if (!icmp)
			return false;
		if (r->icmp_type >= 0 && p->icmp_type != r->icmp_type)
			return false;
		if (r->icmp_code >= 0 && p->icmp_code != r->icmp_code)
			return false;
	}
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* One of the firewall's own addresses. */
static bool is_self(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t a[16])
{
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t k = 0; k < rs->ifaces[i].naddrs; k++)
			if (rs->ifaces[i].addrs[k].af == af &&
			    !memcmp(rs->ifaces[i].addrs[k].addr, a, af == PK_AF_INET ? 4 : 16))
				return true;
	return false;
}

/* To the firewall or from it: a socket of its own (enum pk_owner). */
static bool is_local(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p)
{
	return p->dir == PK_DIR_IN ? is_self(rs, p->af, p->dst) : is_self(rs, p->af, p->src);
}

/* Rule r on p as translated so far; local is said of p as it arrived,
 * where pf looks its socket up. */
static bool match(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, const struct pk_vpkt *p, bool local)
{
	if ((r->af && r->af != p->af) || (r->proto && r->proto != p->proto))
		return false;
	if (r->dir != PK_DIR_ANY && r->dir != p->dir)
		return false;
	if (r->ifc.name && str_eq(r->ifc.name, p->ifname) == r->ifc.neg)
		return false;
	if (!addr_match(rs, &r->src, p, p->src) || !addr_match(rs, &r->dst, p, p->dst))
		return false;
	if (r->fragment && !p->fragment)
		return false;
	if (p->fragment ? pk_ir_rule_reads_l4(r, p->proto) : !l4_match(r, p))
		return false;
	if (r->tos >= 0 && p->tos != r->tos)
		return false;
	if (r->tagged && str_eq(r->tagged, p->tag) == r->tagged_neg)
		return false;
	const char *rcvif = p->dir == PK_DIR_IN ? p->ifname : p->rcvif;
	if (r->rcv.name && str_eq(r->rcv.name, rcvif) == r->rcv.neg)
		return false;
	return pk_owner_match(r->owner, p->proto, local);
}

bool pk_eval_match(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, const struct pk_vpkt *p)
{
	return match(rs, r, p, is_local(rs, p));
}

static bool skipped(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p)
{
	for (uint32_t i = 0; i < rs->opts.nskip; i++)
		if (str_eq(rs->opts.skip[i], p->ifname))
			return true;
	return false;
}

bool pk_eval_pool_first(const struct pk_ir_ruleset *rs, const struct pk_ir_nat *n, uint8_t af, uint8_t out[16],
			bool *only)
{
	const unsigned full = af == PK_AF_INET ? 32 : 128;

	for (uint32_t k = 0; k < n->npool; k++) {
		const struct pk_ir_addr *a = &n->pool[k];

		if (a->kind == PK_ADDR_PREFIX && a->pfx.af == af) {
			memcpy(out, a->pfx.addr, 16);
			*only = n->npool == 1 && a->pfx.len >= full;
			return true;
		}
		if (a->kind != PK_ADDR_TABLE || a->table >= rs->ntables)
			continue;
		const struct pk_ir_table *t = &rs->tables[a->table];
		for (uint32_t e = 0; e < t->nentries; e++)
			if (!t->entries[e].neg && t->entries[e].pfx.af == af) {
				memcpy(out, t->entries[e].pfx.addr, 16);
				*only = n->npool == 1 && t->nentries == 1 && t->entries[e].pfx.len >= full;
				return true;
			}
	}
	return false;
}

/* Rule r's translation of *p, as pf's pf_get_transaddr: nat-to the source,
 * rdr-to the destination (binat-to: the source going out, the destination
 * coming in). */
static void translate(const struct pk_ir_ruleset *rs, uint32_t i, struct pk_vpkt *p, struct pk_eval_result *res)
{
	const struct pk_ir_nat *n = &rs->rules[i].nat;
	const bool src = n->kind == PK_NAT_NAT_TO || (n->kind == PK_NAT_BINAT_TO && p->dir == PK_DIR_OUT);
	bool only = false;
	uint8_t a[16];

	if (!pk_eval_pool_first(rs, n, p->af, a, &only))
		return;
	memcpy(src ? p->src : p->dst, a, 16);
	res->nat_rule = i;
	res->nat_exact = only && (!src || !n->port_lo) && n->port_lo == n->port_hi;
	if (n->port_lo && (p->proto == PK_PROTO_TCP || p->proto == PK_PROTO_UDP)) {
		if (src)
			p->sport = n->port_lo;
		else
			p->dport = n->port_lo;
	}
}

bool pk_eval_binat_in(const struct pk_ir_rule *r, struct pk_ir_rule *mirror)
{
	if (r->action != PK_ACT_BINAT || r->nat.kind == PK_NAT_NONE || r->ifc.neg || r->src.kind != PK_ADDR_PREFIX ||
	    r->src.neg || (r->dst.kind != PK_ADDR_ANY && (r->dst.kind != PK_ADDR_PREFIX || r->dst.neg)) ||
	    !r->nat.npool || r->nat.pool[0].kind != PK_ADDR_PREFIX || r->nat.pool[0].neg)
		return false;
	*mirror = *r;
	mirror->src = r->dst;
	mirror->dst = r->nat.pool[0];
	mirror->dir = PK_DIR_IN;
	mirror->af = r->src.pfx.af;
	return true;
}

/* The range of rules holding the older ones, noted once per rules array
 * (the linter evaluates thousands of packets against one ruleset, most
 * often with none of them): a cache in the ruleset, not part of its value. */
static void older_range(const struct pk_ir_ruleset *rs, uint32_t *lo, uint32_t *hi)
{
	struct pk_ir_ruleset *memo = (struct pk_ir_ruleset *)rs;

	if (rs->older_memo.rules != rs->rules || rs->older_memo.nrules != rs->nrules) {
		uint32_t l = rs->nrules, h = 0;
		for (uint32_t i = 0; i < rs->nrules; i++)
			if (rs->rules[i].action >= PK_ACT_NAT) {
				l = l < i ? l : i;
				h = i + 1;
			}
		memo->older_memo.lo = l < h ? l : 0;
		memo->older_memo.hi = h;
		memo->older_memo.rules = rs->rules;
		memo->older_memo.nrules = rs->nrules;
	}
	*lo = rs->older_memo.lo;
	*hi = rs->older_memo.hi;
}

uint32_t pk_eval_older_rule(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p)
{
	const uint8_t second = p->dir == PK_DIR_IN ? PK_ACT_RDR : PK_ACT_NAT;
	uint32_t lo, hi;

	older_range(rs, &lo, &hi);
	if (lo >= hi || p->fragment)
		return PK_EVAL_NONE;
	const bool local = is_local(rs, p);
	for (int phase = 0; phase < 2; phase++)
		for (uint32_t i = lo; i < hi; i++) {
			const struct pk_ir_rule *r = &rs->rules[i];
			struct pk_ir_rule mirror;

			if (r->action != (phase ? second : PK_ACT_BINAT))
				continue;
			if (phase == 0 && p->dir == PK_DIR_IN ? pk_eval_binat_in(r, &mirror) && match(rs, &mirror, p, local)
							      : match(rs, r, p, local))
				return i;
		}
	return PK_EVAL_NONE;
}

/* The older rule's translation of res->out (a binat's inbound one gives
 * back its internal address); true when the rule has `pass`. */
static bool older_translate(const struct pk_ir_ruleset *rs, uint32_t i, struct pk_eval_result *res)
{
	const struct pk_ir_rule *r = &rs->rules[i];

	if (r->nat.kind == PK_NAT_NONE)
		return false;
	if (r->action == PK_ACT_BINAT && res->out.dir == PK_DIR_IN) {
		memcpy(res->out.dst, r->src.pfx.addr, 16);
		res->nat_rule = i;
		res->nat_exact = r->src.pfx.len >= (r->src.pfx.af == PK_AF_INET ? 32 : 128);
	} else {
		translate(rs, i, &res->out, res);
	}
	return r->natpass;
}

/* An older rule translated the packet: the filter rules' own translations
 * are not computed (the runtime's keys are made). */
static bool older_translated(const struct pk_ir_ruleset *rs, const struct pk_eval_result *res)
{
	return res->nat_rule != PK_EVAL_NONE && rs->rules[res->nat_rule].action >= PK_ACT_NAT;
}

/* The result before any filter rule, with the older rules' translation;
 * true when no filter rule is walked: the interface is under set skip, or
 * a nat/rdr/binat rule with `pass` took the packet. */
static bool start(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, struct pk_eval_result *res)
{
	res->rule = res->nat_rule = PK_EVAL_NONE;
	res->pass = true;
	res->nat_exact = true;
	res->out = *p;
	res->skipped = skipped(rs, p);
	if (res->skipped)
		return true;
	const uint32_t older = pk_eval_older_rule(rs, p);
	return older != PK_EVAL_NONE && older_translate(rs, older, res);
}

/* Rule i's part in the evaluation of p; false when it stops there. */
static bool step(const struct pk_ir_ruleset *rs, uint32_t i, const struct pk_vpkt *p, bool local,
		 struct pk_eval_result *res, void (*visit)(void *ctx, uint32_t rule), void *ctx)
{
	const struct pk_ir_rule *r = &rs->rules[i];
	const bool filter = r->action == PK_ACT_PASS || r->action == PK_ACT_BLOCK || r->action == PK_ACT_MATCH;
	if (!filter || !match(rs, r, &res->out, local))
		return true;
	if (visit)
		visit(ctx, i);
	if (r->action != PK_ACT_MATCH) {
		res->rule = i;
		res->pass = r->action == PK_ACT_PASS;
	} else if (r->nat.kind != PK_NAT_NONE && !p->fragment && !older_translated(rs, res)) {
		translate(rs, i, &res->out, res); /* pf translates no fragment: it keeps no state for it */
	}
	/* quick stops evaluation, on a match rule too (pf's PF_TEST_QUICK) */
	return !r->quick;
}

static void finish(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, struct pk_eval_result *res)
{
	if (res->rule != PK_EVAL_NONE && res->pass && rs->rules[res->rule].nat.kind != PK_NAT_NONE && !p->fragment &&
	    !older_translated(rs, res))
		translate(rs, res->rule, &res->out, res);
}

void pk_eval_filter(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, struct pk_eval_result *res,
		    void (*visit)(void *ctx, uint32_t rule), void *ctx)
{
	if (start(rs, p, res))
		return;
	const bool local = is_local(rs, p);
	for (uint32_t i = 0; i < rs->nrules && step(rs, i, p, local, res, visit, ctx); i++)
		;
	finish(rs, p, res);
}

void pk_eval_filter_among(const struct pk_ir_ruleset *rs, uint32_t (*next)(void *it), void *it,
			  const struct pk_vpkt *p, struct pk_eval_result *res)
{
	if (start(rs, p, res))
		return;
	const bool local = is_local(rs, p);
	uint32_t from = 0;
	bool go = true;
	for (uint32_t k; go && res->nat_rule == PK_EVAL_NONE && (k = next(it)) != PK_EVAL_NONE; from = k + 1)
		go = step(rs, k, p, local, res, NULL, NULL);
	/* a translated packet may meet rules the list left out */
	for (uint32_t i = from; go && res->nat_rule != PK_EVAL_NONE && i < rs->nrules; i++)
		go = step(rs, i, p, local, res, NULL, NULL);
	finish(rs, p, res);
}
