/*
 * compiler/resolve_combine.c: an anchor's criteria ANDed into one of its
 * rules (see resolve.h). pf evaluates a rule inside an anchor only when the
 * anchor rule matched, so the flattened rule must match where both do: per
 * field, an unset side takes the other's; equal sides stay; two sides that
 * exclude each other drop the rule; anything one rule cannot say is
 * reported as unsupported rather than guessed.
 */
#include "compiler/resolve.h"

#include <string.h>

/* dir, af and proto: 0 is any, other values are exclusive. */
static enum pk_combine field_u8(uint8_t crit, uint8_t *ir)
{
	if (!crit || crit == *ir)
		return PK_COMBINE_KEEP;
	if (*ir)
		return PK_COMBINE_DROP;
	*ir = crit;
	return PK_COMBINE_KEEP;
}

/* icmp-type, code and tos: -1 is unset, values are exclusive. */
static enum pk_combine field_i16(int16_t crit, int16_t *ir)
{
	if (crit < 0 || crit == *ir)
		return PK_COMBINE_KEEP;
	if (*ir >= 0)
		return PK_COMBINE_DROP;
	*ir = crit;
	return PK_COMBINE_KEEP;
}

static enum pk_combine iface(const struct pk_ir_ifmatch *crit, struct pk_ir_ifmatch *ir, const char **why)
{
	if (!crit->name)
		return PK_COMBINE_KEEP;
	if (!ir->name) {
		*ir = *crit;
		return PK_COMBINE_KEEP;
	}
	if (!strcmp(crit->name, ir->name))
		return crit->neg == ir->neg ? PK_COMBINE_KEEP : PK_COMBINE_DROP;
	if (!crit->neg && !ir->neg)
		return PK_COMBINE_DROP;
	/* on B is within on ! A, and on A within on ! B */
	if (!crit->neg)
		*ir = *crit;
	if (crit->neg && ir->neg) {
		*why = "two negated interfaces";
		return PK_COMBINE_UNSUPPORTED;
	}
	return PK_COMBINE_KEEP;
}

static bool addr_any(const struct pk_ir_addr *a)
{
	return !a->neg && (a->kind == PK_ADDR_ANY || (a->kind == PK_ADDR_PREFIX && a->pfx.len == 0));
}

static bool prefix_same(const struct pk_prefix *a, const struct pk_prefix *b)
{
	return a->af == b->af && a->len == b->len && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static bool addr_same(const struct pk_ir_addr *a, const struct pk_ir_addr *b)
{
	if (a->kind != b->kind || a->neg != b->neg)
		return false;
	switch (a->kind) {
	case PK_ADDR_PREFIX: return prefix_same(&a->pfx, &b->pfx);
	case PK_ADDR_RANGE:
		return prefix_same(&a->pfx, &b->pfx) && !memcmp(a->range_end.addr, b->range_end.addr, 16);
	case PK_ADDR_TABLE: return a->table == b->table && a->pfx.len == b->pfx.len;
	default: return true;
	}
}

/* Of two networks the narrower, when one holds the other; none else. */
static enum pk_combine address(const struct pk_ir_addr *crit, struct pk_ir_addr *ir, const char **why)
{
	if (addr_any(crit) || addr_same(crit, ir))
		return PK_COMBINE_KEEP;
	if (addr_any(ir)) {
		*ir = *crit;
		return PK_COMBINE_KEEP;
	}
	if (crit->kind != PK_ADDR_PREFIX || ir->kind != PK_ADDR_PREFIX || crit->neg || ir->neg) {
		*why = "two addresses other than networks";
		return PK_COMBINE_UNSUPPORTED;
	}
	if (crit->pfx.len <= ir->pfx.len && pk_prefix_contains(&crit->pfx, ir->pfx.addr, ir->pfx.af))
		return PK_COMBINE_KEEP;
	if (ir->pfx.len <= crit->pfx.len && pk_prefix_contains(&ir->pfx, crit->pfx.addr, crit->pfx.af)) {
		*ir = *crit;
		return PK_COMBINE_KEEP;
	}
	return PK_COMBINE_DROP;
}

static enum pk_combine port(const struct pk_port_match *crit, struct pk_port_match *ir, const char **why)
{
	if (crit->op == PK_PORT_ANY || (crit->op == ir->op && crit->lo == ir->lo && crit->hi == ir->hi))
		return PK_COMBINE_KEEP;
	if (ir->op == PK_PORT_ANY) {
		*ir = *crit;
		return PK_COMBINE_KEEP;
	}
	if (crit->op == PK_PORT_EQ && ir->op == PK_PORT_EQ)
		return PK_COMBINE_DROP;
	*why = "two port conditions";
	return PK_COMBINE_UNSUPPORTED;
}

/* (f & M1) == F1 and (f & M2) == F2 is (f & (M1|M2)) == F1|F2 when the two
 * agree on M1&M2. When they do not, no TCP packet matches, yet pf ignores
 * flags for other protocols: a rule for any protocol then matches only
 * those, which one rule cannot say. */
static enum pk_combine flags(const struct pk_ir_rule *crit, struct pk_ir_rule *ir, const char **why)
{
	if (!crit->flagmask)
		return PK_COMBINE_KEEP;
	if (!ir->flagmask) {
		ir->flags = crit->flags;
		ir->flagmask = crit->flagmask;
		return PK_COMBINE_KEEP;
	}
	if ((crit->flags & ir->flagmask) == (ir->flags & crit->flagmask)) {
		ir->flags |= crit->flags;
		ir->flagmask |= crit->flagmask;
		return PK_COMBINE_KEEP;
	}
	if (ir->proto == 6)
		return PK_COMBINE_DROP;
	if (ir->proto)
		return PK_COMBINE_KEEP;
	*why = "TCP flags that exclude each other";
	return PK_COMBINE_UNSUPPORTED;
}

static enum pk_combine tagged(const struct pk_ir_rule *crit, struct pk_ir_rule *ir, const char **why)
{
	if (!crit->tagged || (ir->tagged && !strcmp(crit->tagged, ir->tagged) && crit->tagged_neg == ir->tagged_neg))
		return PK_COMBINE_KEEP;
	if (!ir->tagged) {
		ir->tagged = crit->tagged;
		ir->tagged_neg = crit->tagged_neg;
		return PK_COMBINE_KEEP;
	}
	*why = "two tagged conditions";
	return PK_COMBINE_UNSUPPORTED;
}

/* user and group: one id each per rule; the criteria ANDed leave what
 * both leave (enum pk_owner). */
static enum pk_combine owner_id(const char *crit, const char **ir, const char **why)
{
	if (!crit || (*ir && !strcmp(crit, *ir)))
		return PK_COMBINE_KEEP;
	if (!*ir) {
		*ir = crit;
		return PK_COMBINE_KEEP;
	}
	*why = "two user or two group conditions";
	return PK_COMBINE_UNSUPPORTED;
}

static enum pk_combine owner(const struct pk_ir_rule *crit, struct pk_ir_rule *ir, const char **why)
{
	enum pk_combine u = owner_id(crit->user, &ir->user, why), g = owner_id(crit->group, &ir->group, why);
	ir->owner |= crit->owner;
	return u > g ? u : g;
}

/* A combination pf's checks would refuse can never match: dropped. */
static bool consistent(const struct pk_ir_rule *ir)
{
	if ((ir->proto == 1 && ir->af == PK_AF_INET6) || (ir->proto == 58 && ir->af == PK_AF_INET))
		return false;
	/* a fragment has no ports or ICMP header to match */
	if (ir->fragment && (ir->sport.op != PK_PORT_ANY || ir->dport.op != PK_PORT_ANY || ir->icmp_type >= 0 ||
			     ir->icmp_code >= 0))
		return false;
	return !ir->route.gw.af || !ir->af || ir->route.gw.af == ir->af;
}

enum pk_combine pk_res_combine(const struct pk_ir_rule *crit, struct pk_ir_rule *ir, const char **why)
{
	enum pk_combine c[] = {
		field_u8(crit->dir, &ir->dir),
		iface(&crit->ifc, &ir->ifc, why),
		field_u8(crit->af, &ir->af),
		field_u8(crit->proto, &ir->proto),
		address(&crit->src, &ir->src, why),
		address(&crit->dst, &ir->dst, why),
		port(&crit->sport, &ir->sport, why),
		port(&crit->dport, &ir->dport, why),
		field_i16(crit->icmp_type, &ir->icmp_type),
		field_i16(crit->icmp_code, &ir->icmp_code),
		field_i16(crit->tos, &ir->tos),
		tagged(crit, ir, why),
		owner(crit, ir, why),
	};
	ir->fragment |= crit->fragment;
	/* flags last: whether they matter depends on the protocol settled above */
	enum pk_combine res = flags(crit, ir, why);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i] > res)
			res = c[i];
	if (res != PK_COMBINE_DROP && !consistent(ir))
		res = PK_COMBINE_DROP;
	if (res == PK_COMBINE_KEEP)
		pk_res_tcp_only(ir);
	return res;
}
