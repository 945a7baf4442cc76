/* tests/support/refmatch.c: pf's rule evaluation, the plain way, over the IR. */
#include "tests/support/refmatch.h"

#include <string.h>

static bool ref_in(const struct pk_prefix *net, uint8_t af, const uint8_t *a)
{
	if (net->af != af)
		return false;
	for (unsigned bit = 0; bit < net->len; bit++) {
		unsigned m = 0x80u >> (bit % 8);
		if ((net->addr[bit / 8] & m) != (a[bit / 8] & m))
			return false;
	}
	return true;
}

/* Longest prefix over connected networks and routes; connected wins ties. */
static const char *ref_route(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t *a)
{
	int best = -1;
	const char *via = NULL;
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t k = 0; k < rs->ifaces[i].naddrs; k++)
			if (ref_in(&rs->ifaces[i].addrs[k], af, a) && rs->ifaces[i].addrs[k].len > best) {
				best = rs->ifaces[i].addrs[k].len;
				via = rs->ifaces[i].name;
			}
	for (uint32_t i = 0; i < rs->nroutes; i++)
		if (ref_in(&rs->routes[i].dst, af, a) && rs->routes[i].dst.len > best) {
			best = rs->routes[i].dst.len;
			via = rs->routes[i].ifname;
		}
	return via;
}

static bool ref_table(const struct pk_ir_table *t, uint8_t af, const uint8_t *a)
{
	int best = -1;
	bool hit = false;
	for (uint32_t i = 0; i < t->nentries; i++)
		if (ref_in(&t->entries[i].pfx, af, a) && (int)t->entries[i].pfx.len > best) {
			best = t->entries[i].pfx.len;
			hit = !t->entries[i].neg;
		}
	return hit;
}

static bool ref_addr(const struct pk_ir_ruleset *rs, const struct pk_rs *ld, const struct pk_ir_addr *x,
		     const struct pk_match_pkt *p, const uint8_t *a)
{
	bool hit = false;
	unsigned n = p->af == 4 ? 4 : 16;
	const char *via, *in = p->iface == PK_RT_NO_IFACE ? NULL : pk_rs_iface_name(ld, p->iface);
	switch (x->kind) {
	case PK_ADDR_ANY: hit = true; break;
	case PK_ADDR_PREFIX: hit = ref_in(&x->pfx, p->af, a); break;
	case PK_ADDR_RANGE:
		hit = x->pfx.af == p->af && memcmp(a, x->pfx.addr, n) >= 0 && memcmp(a, x->range_end.addr, n) <= 0;
		break;
	case PK_ADDR_TABLE: hit = ref_table(&rs->tables[x->table], p->af, a); break;
	case PK_ADDR_NOROUTE: hit = !ref_route(rs, p->af, a); break;
	case PK_ADDR_URPF:
		via = ref_route(rs, p->af, a);
		hit = !via || !in || strcmp(via, in);
		break;
	}
	return hit != x->neg;
}

static bool ref_port(const struct pk_port_match *m, uint16_t v)
{
	switch (m->op) {
	case PK_PORT_EQ: return v == m->lo;
	case PK_PORT_NE: return v != m->lo;
	case PK_PORT_LT: return v < m->lo;
	case PK_PORT_LE: return v <= m->lo;
	case PK_PORT_GT: return v > m->lo;
	case PK_PORT_GE: return v >= m->lo;
	case PK_PORT_RANGE: return m->lo <= v && v <= m->hi;
	case PK_PORT_INSIDE: return m->lo < v && v < m->hi;
	case PK_PORT_OUTSIDE: return v < m->lo || v > m->hi;
	default: return true;
	}
}

static bool ref_name_is(const char *name, const struct pk_rs *ld, uint16_t iface)
{
	return iface != PK_RT_NO_IFACE && !strcmp(name, pk_rs_iface_name(ld, iface));
}

static bool ref_rule(const struct pk_ir_ruleset *rs, const struct pk_rs *ld, const struct pk_ir_rule *r,
		     const struct pk_match_pkt *p)
{
	if (r->af && r->af != p->af)
		return false;
	if (r->dir != PK_DIR_ANY && r->dir != p->dir)
		return false;
	if (r->ifc.name && ref_name_is(r->ifc.name, ld, p->iface) == r->ifc.neg)
		return false;
	if (r->proto && r->proto != p->proto)
		return false;
	if (!ref_addr(rs, ld, &r->src, p, p->src) || !ref_addr(rs, ld, &r->dst, p, p->dst))
		return false;
	bool tcp = p->proto == 6, udp = p->proto == 17, icmp = p->proto == 1 || p->proto == 58;
	if ((tcp || udp) && (!ref_port(&r->sport, p->sport) || !ref_port(&r->dport, p->dport)))
		return false;
	if (tcp && r->flagmask && (p->tcp_flags & r->flagmask) != r->flags)
		return false;
	if (tcp && !r->flagmask && r->flags)
		return false;
	if (icmp && r->icmp_type >= 0 && r->icmp_type != p->icmp_type)
		return false;
	if (icmp && r->icmp_code >= 0 && r->icmp_code != p->icmp_code)
		return false;
	if (r->tos >= 0 && r->tos != p->tos)
		return false;
	/* user and group, on TCP and UDP only: named by value, what each leaves */
	const bool only_local = r->owner == PK_OWNER_LOCAL || r->owner == PK_OWNER_NEVER;
	const bool only_forwarded = r->owner == PK_OWNER_FORWARDED || r->owner == PK_OWNER_NEVER;
	if ((tcp || udp) && (p->local ? only_forwarded : only_local))
		return false;
	if (r->tagged) {
		const char *t = p->tag ? pk_rs_tag_name(ld, p->tag) : NULL;
		if ((t && !strcmp(t, r->tagged)) == r->tagged_neg)
			return false;
	}
	return !r->probability || p->random < r->probability;
}

static enum pk_rt_phase ref_phase(uint8_t action)
{
	switch (action) {
	case PK_ACT_SCRUB: return PK_PHASE_SCRUB;
	case PK_ACT_NAT: return PK_PHASE_NAT;
	case PK_ACT_RDR: return PK_PHASE_RDR;
	case PK_ACT_BINAT: return PK_PHASE_BINAT;
	default: return PK_PHASE_FILTER;
	}
}

void pk_refmatch(const struct pk_ir_ruleset *rs, const struct pk_rs *loaded, enum pk_rt_phase phase,
		 const struct pk_match_pkt *p, struct pk_rs_result *res)
{
	memset(res, 0, sizeof(*res));
	res->rule = PK_RT_NO_RULE;
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		if (ref_phase(r->action) != phase || !ref_rule(rs, loaded, r, p))
			continue;
		if (phase != PK_PHASE_FILTER) {
			res->rule = i;
			return;
		}
		if (r->action == PK_ACT_MATCH) {
			if (res->nmatches < 16)
				res->matches[res->nmatches++] = i;
		} else {
			res->rule = i;
		}
		if (r->quick)
			return;
	}
}
