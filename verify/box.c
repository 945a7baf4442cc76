/* verify/box.c: rule boxes (see box.h). */
#include <string.h>

#include "verify/box.h"

static const pk_u128 U128_MAX = ~(pk_u128)0;

static pk_u128 u128_of(const uint8_t a[16])
{
	pk_u128 v = 0;
	for (int i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

static uint8_t af_bit(uint8_t af)
{
	return af == PK_AF_INET ? 1 : af == PK_AF_INET6 ? 2 : 3;
}

/* Table hull: the smallest interval holding every positive entry. */
static void table_hull(const struct pk_ir_table *t, pk_u128 *lo, pk_u128 *hi, uint8_t *afs)
{
	*lo = U128_MAX;
	*hi = 0;
	*afs = 0;
	for (uint32_t i = 0; i < t->nentries; i++) {
		const struct pk_prefix *p = &t->entries[i].pfx;
		if (t->entries[i].neg)
			continue;
		const pk_u128 mask = p->len == 0 ? 0 : U128_MAX << (128 - (p->len > 128 ? 128 : p->len));
		const pk_u128 v = u128_of(p->addr);
		if ((v & mask) < *lo)
			*lo = v & mask;
		if ((v | ~mask) > *hi)
			*hi = v | ~mask;
		*afs |= af_bit(p->af);
	}
}

static void addr_box(const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a, pk_u128 *lo, pk_u128 *hi,
		     struct pk_box *b)
{
	*lo = 0;
	*hi = U128_MAX;
	if (a->kind == PK_ADDR_ANY) {
		if (a->neg)
			b->empty = true;
		return;
	}
	if (a->kind == PK_ADDR_PREFIX || a->kind == PK_ADDR_RANGE)
		b->afmask &= af_bit(a->pfx.af);
	if (a->neg || (a->kind != PK_ADDR_PREFIX && a->kind != PK_ADDR_RANGE)) {
		b->exact = false;
		if (!a->neg && a->kind == PK_ADDR_TABLE && a->table < rs->ntables) {
			uint8_t afs;
			table_hull(&rs->tables[a->table], lo, hi, &afs);
			b->afmask &= afs;
			if (*lo > *hi)
				b->empty = true;
		}
		return;
	}
	if (a->kind == PK_ADDR_RANGE) {
		*lo = u128_of(a->pfx.addr);
		*hi = u128_of(a->range_end.addr);
		return;
	}
	const unsigned len = a->pfx.len > 128 ? 128 : a->pfx.len;
	const pk_u128 mask = len == 0 ? 0 : U128_MAX << (128 - len);
	*lo = u128_of(a->pfx.addr) & mask;
	*hi = u128_of(a->pfx.addr) | ~mask;
}

static void port_box(const struct pk_port_match *m, uint16_t *lo, uint16_t *hi, struct pk_box *b)
{
	int l = 0, h = 65535;
	switch (m->op) {
	case PK_PORT_EQ: l = h = m->lo; break;
	case PK_PORT_LT: h = m->lo - 1; break;
	case PK_PORT_LE: h = m->lo; break;
	case PK_PORT_GT: l = m->lo + 1; break;
	case PK_PORT_GE: l = m->lo; break;
	case PK_PORT_RANGE: l = m->lo; h = m->hi; break;
	case PK_PORT_INSIDE: l = m->lo + 1; h = m->hi - 1; break;
	case PK_PORT_NE:
	case PK_PORT_OUTSIDE: b->exact = false; break;
	default: break;
	}
	if (l > h) {
		b->empty = true;
		l = h = 0;
	}
	*lo = (uint16_t)l;
	*hi = (uint16_t)h;
}

static void l4_box(const struct pk_ir_rule *r, struct pk_box *b)
{
	const bool ports = r->sport.op != PK_PORT_ANY || r->dport.op != PK_PORT_ANY;
	port_box(&r->sport, &b->sport_lo, &b->sport_hi, b);
	port_box(&r->dport, &b->dport_lo, &b->dport_hi, b);
	if (ports && r->proto == 0) {
		b->proto_lo = 6;
		b->proto_hi = 17;
		b->exact = false;
	} else if (ports && r->proto != 6 && r->proto != 17) {
		b->empty = true;
	}
	/* Flags constrain TCP packets only, in the box as in pf. */
	if (r->flagmask && (r->proto == 6 || r->proto == 0)) {
		if ((r->flags & ~r->flagmask) == 0) {
			b->flags = r->flags;
			b->flagmask = r->flagmask;
		} else if (r->proto == 6) {
			b->empty = true;
		} else {
			b->exact = false;
		}
	}
	if (r->icmp_type >= 0 || r->icmp_code >= 0) {
		b->itype = r->icmp_type;
		b->icode = r->icmp_code;
		if (r->proto == 1)
			b->afmask &= 1;
		else if (r->proto == 58)
			b->afmask &= 2;
		else if (r->proto == 0) {
			b->proto_lo = 1;
			b->proto_hi = 58;
			b->exact = false;
		} else
			b->empty = true;
	}
}

/* A rule with an unsupported feature may match any packet: it overlaps
 * every other rule, and is no exact description of what it matches. */
static void box_any(struct pk_box *b)
{
	memset(b, 0, sizeof(*b));
	b->afmask = 3;
	b->dirmask = 3;
	b->proto_hi = 255;
	b->sport_hi = b->dport_hi = 65535;
	b->src_hi = b->dst_hi = U128_MAX;
	b->itype = b->icode = b->tos = -1;
}

void pk_box_of_rule(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, struct pk_box *b)
{
	memset(b, 0, sizeof(*b));
	b->exact = true;
	b->afmask = af_bit(r->af);
	b->dirmask = r->dir == PK_DIR_IN ? 1 : r->dir == PK_DIR_OUT ? 2 : 3;
	b->proto_lo = r->proto;
	b->proto_hi = r->proto ? r->proto : 255;
	b->itype = b->icode = -1;
	b->tos = r->tos;
	if (r->ifc.name && !r->ifc.neg)
		b->ifname = r->ifc.name;
	if (r->ifc.neg || r->tagged || r->probability || r->owner != PK_OWNER_ANY || r->rcv.name)
		b->exact = false;
	/* boxes have no fragment dimension: with fragments filtered, a rule
	 * that matches none, or only them, is not its box */
	if (rs->opts.reassemble_no && (r->fragment || pk_ir_rule_reads_l4(r, 6)))
		b->exact = false;
	addr_box(rs, &r->src, &b->src_lo, &b->src_hi, b);
	addr_box(rs, &r->dst, &b->dst_lo, &b->dst_hi, b);
	l4_box(r, b);
	if (b->afmask == 0 || (r->fragment && !rs->opts.reassemble_no))
		b->empty = true; /* reassembled, no packet is a fragment */
	if (r->unsupported)
		box_any(b);
}

static bool iv_in(pk_u128 olo, pk_u128 ohi, pk_u128 ilo, pk_u128 ihi)
{
	return olo <= ilo && ihi <= ohi;
}

static bool any_in(int16_t out, int16_t in)
{
	return out < 0 || out == in;
}

bool pk_box_contains(const struct pk_box *out, const struct pk_box *in)
{
	if (in->empty)
		return true;
	if (out->empty || (in->afmask & ~out->afmask) || (in->dirmask & ~out->dirmask))
		return false;
	if (!iv_in(out->proto_lo, out->proto_hi, in->proto_lo, in->proto_hi) ||
	    !iv_in(out->dport_lo, out->dport_hi, in->dport_lo, in->dport_hi) ||
	    !iv_in(out->sport_lo, out->sport_hi, in->sport_lo, in->sport_hi) ||
	    !iv_in(out->dst_lo, out->dst_hi, in->dst_lo, in->dst_hi) ||
	    !iv_in(out->src_lo, out->src_hi, in->src_lo, in->src_hi))
		return false;
	if (out->ifname && (!in->ifname || strcmp(out->ifname, in->ifname)))
		return false;
	const bool tcp = in->proto_lo <= 6 && 6 <= in->proto_hi;
	if (tcp && ((out->flagmask & ~in->flagmask) || ((in->flags ^ out->flags) & out->flagmask)))
		return false;
	return any_in(out->itype, in->itype) && any_in(out->icode, in->icode) && any_in(out->tos, in->tos);
}

bool pk_box_is_full(const struct pk_box *b)
{
	return b->exact && !b->empty && b->afmask == 3 && b->dirmask == 3 && b->proto_lo == 0 &&
	       b->proto_hi == 255 && b->sport_lo == 0 && b->sport_hi == 65535 && b->dport_lo == 0 &&
	       b->dport_hi == 65535 && b->src_lo == 0 && b->src_hi == U128_MAX && b->dst_lo == 0 &&
	       b->dst_hi == U128_MAX && !b->ifname && !b->flagmask && b->itype < 0 && b->icode < 0 && b->tos < 0;
}

static pk_u128 max128(pk_u128 a, pk_u128 b) { return a > b ? a : b; }
static pk_u128 min128(pk_u128 a, pk_u128 b) { return a < b ? a : b; }

void pk_box_meet(const struct pk_box *a, const struct pk_box *b, struct pk_box *out)
{
	*out = *a;
	out->empty = !pk_box_overlap(a, b);
	out->exact = false;
	out->afmask &= b->afmask;
	out->dirmask &= b->dirmask;
	out->src_lo = max128(a->src_lo, b->src_lo);
	out->src_hi = min128(a->src_hi, b->src_hi);
	out->dst_lo = max128(a->dst_lo, b->dst_lo);
	out->dst_hi = min128(a->dst_hi, b->dst_hi);
	out->sport_lo = (uint16_t)max128(a->sport_lo, b->sport_lo);
	out->sport_hi = (uint16_t)min128(a->sport_hi, b->sport_hi);
	out->dport_lo = (uint16_t)max128(a->dport_lo, b->dport_lo);
	out->dport_hi = (uint16_t)min128(a->dport_hi, b->dport_hi);
	out->proto_lo = (uint8_t)max128(a->proto_lo, b->proto_lo);
	out->proto_hi = (uint8_t)min128(a->proto_hi, b->proto_hi);
	out->flags = (uint8_t)((a->flags & a->flagmask) | (b->flags & b->flagmask));
	out->flagmask = a->flagmask | b->flagmask;
	out->itype = a->itype < 0 ? b->itype : a->itype;
	out->icode = a->icode < 0 ? b->icode : a->icode;
	out->tos = a->tos < 0 ? b->tos : a->tos;
	out->ifname = a->ifname ? a->ifname : b->ifname;
}
