/*
 * runtime/rulebox.c: a rule's box (rulebox.h), and the compact per-rule
 * records the classifier tests leaf rules with (struct pk_rs_box): one
 * 64-byte line per rule holding the box of its family and the other cheap
 * conditions, so testing a rule reads one cache line instead of the rule
 * record, its two addresses and its runtime view.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/pkb_priv.h"
#include "runtime/rulebox.h"

uint64_t pkb_field_max(uint8_t af, uint32_t f)
{
	switch (f) {
	case PKB_FIELD_PROTO: return 255;
	case PKB_FIELD_SRC:
	case PKB_FIELD_DST: return af == PK_AF_INET ? UINT32_MAX : UINT64_MAX;
	case PKB_FIELD_DIR: return 2;
	default: return 65535;
	}
}

uint64_t pkb_addr_key(const uint8_t *a, uint8_t af)
{
	return af == PK_AF_INET ? pk_get32(a) : (uint64_t)pk_get32(a) << 32 | pk_get32(a + 4);
}

/* Addresses are read as the runtime reads a packet's (pkb_addr_key). */
static bool box_addr(const struct pkb_addr *a, uint8_t af, uint64_t *lo, uint64_t *hi)
{
	unsigned bits = af == PK_AF_INET ? 32 : 64;
	uint64_t fmax = pkb_field_max(af, PKB_FIELD_SRC);
	*lo = 0;
	*hi = fmax;
	if (a->kind == PK_ADDR_ANY)
		return !a->neg;
	if (a->neg || a->pfx.af != af)
		return false;
	if (a->kind == PK_ADDR_PREFIX) {
		unsigned len = a->pfx.len < bits ? a->pfx.len : bits;
		uint64_t host = len >= 64 ? 0 : fmax >> len;
		uint64_t v = pkb_addr_key(a->pfx.addr, af);
		*lo = v & ~host;
		*hi = (v & ~host) | host;
		return a->pfx.len <= bits;
	}
	if (a->kind != PK_ADDR_RANGE || a->end.af != af)
		return false;
	uint64_t s = pkb_addr_key(a->pfx.addr, af), t = pkb_addr_key(a->end.addr, af);
	if (s > t)
		return false;
	*lo = s;
	*hi = t;
	return af == PK_AF_INET;
}

/* pf tests ports only for TCP and UDP, so a rule for another protocol
 * has none; without a protocol the condition is left to the full test. */
static bool box_port(const struct pkb_port *p, uint8_t proto, uint64_t *lo, uint64_t *hi)
{
	uint32_t a = 0, b = 65535;
	*lo = a;
	*hi = b;
	if (p->op == PK_PORT_ANY || (proto && proto != 6 && proto != 17))
		return true;
	if (!proto)
		return false;
	switch (p->op) {
	case PK_PORT_EQ: a = b = p->lo; break;
	case PK_PORT_LT: b = p->lo - 1u; break;
	case PK_PORT_LE: b = p->lo; break;
	case PK_PORT_GT: a = p->lo + 1u; break;
	case PK_PORT_GE: a = p->lo; break;
	case PK_PORT_RANGE: a = p->lo; b = p->hi; break;
	case PK_PORT_INSIDE: a = p->lo + 1u; b = p->hi - 1u; break;
	default: return false;
	}
	/* empty (`< 0`, `> 65535`, `1 >< 2`, `5:3`) matches nothing: not a box */
	if (a > b || b > 65535)
		return false;
	*lo = a;
	*hi = b;
	return true;
}

bool pkb_rule_box(const struct pkb_rule *r, const struct pkb_addr *addrs, uint8_t af,
		  uint64_t lo[PKB_FIELD_COUNT], uint64_t hi[PKB_FIELD_COUNT])
{
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++) {
		lo[f] = 0;
		hi[f] = pkb_field_max(af, f);
	}
	if (r->proto)
		lo[PKB_FIELD_PROTO] = hi[PKB_FIELD_PROTO] = r->proto;
	if (r->iface != PKB_NONE && !(r->flags & PKB_R_IFNEG))
		lo[PKB_FIELD_IFACE] = hi[PKB_FIELD_IFACE] = r->iface;
	if (r->dir)
		lo[PKB_FIELD_DIR] = hi[PKB_FIELD_DIR] = r->dir;
	bool exact = box_addr(&addrs[r->src], af, &lo[PKB_FIELD_SRC], &hi[PKB_FIELD_SRC]);
	exact &= box_addr(&addrs[r->dst], af, &lo[PKB_FIELD_DST], &hi[PKB_FIELD_DST]);
	exact &= box_port(&r->sport, r->proto, &lo[PKB_FIELD_SPORT], &hi[PKB_FIELD_SPORT]);
	exact &= box_port(&r->dport, r->proto, &lo[PKB_FIELD_DPORT], &hi[PKB_FIELD_DPORT]);
	return exact;
}

static void box_of(const struct pk_rs *rs, uint32_t i, struct pk_rs_box *b)
{
	const struct pkb_rule *r = &PK_RS_SEC(rs, RULES, struct pkb_rule)[i];
	uint64_t lo[PKB_FIELD_COUNT], hi[PKB_FIELD_COUNT];
	bool exact = pkb_rule_box(r, PK_RS_SEC(rs, ADDRS, struct pkb_addr), r->af, lo, hi);
	memset(b, 0, sizeof(*b));
	b->src_lo = lo[PKB_FIELD_SRC];
	b->src_hi = hi[PKB_FIELD_SRC];
	b->dst_lo = lo[PKB_FIELD_DST];
	b->dst_hi = hi[PKB_FIELD_DST];
	b->sport_lo = (uint16_t)lo[PKB_FIELD_SPORT];
	b->sport_hi = (uint16_t)hi[PKB_FIELD_SPORT];
	b->dport_lo = (uint16_t)lo[PKB_FIELD_DPORT];
	b->dport_hi = (uint16_t)hi[PKB_FIELD_DPORT];
	b->iface = r->iface == PKB_NONE ? PK_RT_NO_IFACE : (uint16_t)r->iface;
	b->af = r->af;
	b->proto = r->proto;
	b->dir = r->dir;
	b->tcp_flags = r->tcp_flags;
	b->tcp_mask = r->tcp_mask;
	b->icmp_type = r->icmp_type;
	b->icmp_code = r->icmp_code;
	b->phase = (uint8_t)pkb_phase_of(r->action);
	b->bits = (r->flags & PKB_R_IFNEG ? PK_BOX_IFNEG : 0) | (r->flags & PKB_R_QUICK ? PK_BOX_QUICK : 0) |
		  (r->action == PK_ACT_MATCH ? PK_BOX_MATCH : 0);
	if (!exact || r->tos != -1 || r->tagged || r->probability || r->owner != PK_OWNER_ANY ||
	    r->rcv_iface != PKB_NONE || (r->flags & PKB_R_FRAGMENT))
		b->bits |= PK_BOX_FULL;
}

int pk_rs_build_boxes(struct pk_rs *rs)
{
	uint32_t n = PK_RS_N(rs, RULES);
	size_t bytes = ((size_t)n + 1) * sizeof(*rs->boxes);
	rs->boxes = aligned_alloc(alignof(struct pk_rs_box), bytes);
	if (!rs->boxes)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		box_of(rs, i, &rs->boxes[i]);
	return 0;
}
