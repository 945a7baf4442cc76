/* verify/sample.c: packets drawn from boxes (see sample.h). */
#include <string.h>

#include "verify/sample.h"

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* A point of [lo, hi]: a corner for k < 2, else a pseudo-random one. */
static pk_u128 pick128(pk_u128 lo, pk_u128 hi, unsigned k, uint64_t salt)
{
	if (k == 0 || lo == hi)
		return lo;
	if (k == 1)
		return hi;
	const pk_u128 r = (pk_u128)mix(k * 0x9e3779b97f4a7c15ULL + salt) << 64 | mix(k + salt * 31);
	const pk_u128 span = hi - lo;
	return span == ~(pk_u128)0 ? r : lo + r % (span + 1);
}

static void put(pk_u128 v, uint8_t out[16])
{
	for (int i = 15; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

static void sample_addr(pk_u128 lo, pk_u128 hi, uint8_t af, unsigned k, uint64_t salt, uint8_t out[16])
{
	if (af == PK_AF_INET) /* only the top 32 bits count; the rest stay zero */
		put(pick128(lo >> 96, hi >> 96, k, salt) << 96, out);
	else
		put(pick128(lo, hi, k, salt), out);
}

static uint8_t sample_proto(const struct pk_box *b, const struct pk_ir_rule *r, unsigned k)
{
	if (r->proto)
		return r->proto;
	static const uint8_t common[] = {6, 17, 1, 58, 47};
	const uint8_t p = common[k % 5];
	return p >= b->proto_lo && p <= b->proto_hi ? p : b->proto_lo;
}

/* Where a packet can go: one field and its value. */
struct move {
	enum { M_SRC, M_DST, M_SPORT, M_DPORT, M_DIR } field;
	pk_u128 v;
};

/* The values just below and above [flo, fhi] that [ilo, ihi] holds. */
static unsigned outside(pk_u128 ilo, pk_u128 ihi, pk_u128 flo, pk_u128 fhi, int field, struct move *m)
{
	unsigned n = 0;
	if (flo > ilo && flo - 1 <= ihi)
		m[n++] = (struct move){field, flo - 1};
	if (fhi < ihi && fhi + 1 >= ilo)
		m[n++] = (struct move){field, fhi + 1};
	return n;
}

/* An IPv4 address is the top 32 bits of the box's 128. */
static unsigned addr_outside(uint8_t af, pk_u128 ilo, pk_u128 ihi, pk_u128 flo, pk_u128 fhi, int field,
			     struct move *m)
{
	const unsigned sh = af == PK_AF_INET ? 96 : 0;
	return outside(ilo >> sh, ihi >> sh, flo >> sh, fhi >> sh, field, m);
}

bool pk_box_escape(const struct pk_box *in, const struct pk_box *from, unsigned k, struct pk_vpkt *p)
{
	struct move m[9];
	unsigned n = 0;
	if ((in->dirmask & ~from->dirmask) & 3)
		m[n++] = (struct move){M_DIR, in->dirmask & ~from->dirmask & 1 ? PK_DIR_IN : PK_DIR_OUT};
	n += addr_outside(p->af, in->src_lo, in->src_hi, from->src_lo, from->src_hi, M_SRC, m + n);
	n += addr_outside(p->af, in->dst_lo, in->dst_hi, from->dst_lo, from->dst_hi, M_DST, m + n);
	if (p->proto == 6 || p->proto == 17) {
		n += outside(in->sport_lo, in->sport_hi, from->sport_lo, from->sport_hi, M_SPORT, m + n);
		n += outside(in->dport_lo, in->dport_hi, from->dport_lo, from->dport_hi, M_DPORT, m + n);
	}
	if (n == 0)
		return false;
	const struct move *c = &m[k % n];
	const unsigned sh = p->af == PK_AF_INET ? 96 : 0;
	if (c->field == M_SRC)
		put(c->v << sh, p->src);
	else if (c->field == M_DST)
		put(c->v << sh, p->dst);
	else if (c->field == M_SPORT)
		p->sport = (uint16_t)c->v;
	else if (c->field == M_DIR)
		p->dir = (uint8_t)c->v;
	else
		p->dport = (uint16_t)c->v;
	return true;
}

void pk_box_sample(const struct pk_box *b, const struct pk_ir_rule *r, unsigned k, struct pk_vpkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = (b->afmask & 1) && !((b->afmask & 2) && k % 2) ? PK_AF_INET : PK_AF_INET6;
	p->proto = sample_proto(b, r, k);
	p->dir = (b->dirmask & 1) && !((b->dirmask & 2) && (k / 2) % 2) ? PK_DIR_IN : PK_DIR_OUT;
	sample_addr(b->src_lo, b->src_hi, p->af, k, 1, p->src);
	sample_addr(b->dst_lo, b->dst_hi, p->af, k, 2, p->dst);
	if (p->proto == 6 || p->proto == 17) {
		p->sport = (uint16_t)pick128(b->sport_lo, b->sport_hi, k, 3);
		p->dport = (uint16_t)pick128(b->dport_lo, b->dport_hi, k, 4);
	}
	if (p->proto == 6)
		p->flags = b->flagmask ? b->flags : (uint8_t)(k % 3 ? 0x02 : 0x10);
	if ((p->af == PK_AF_INET && p->proto == 1) || (p->af == PK_AF_INET6 && p->proto == 58)) {
		p->icmp_type = (uint8_t)(b->itype >= 0 ? b->itype : 0);
		p->icmp_code = (uint8_t)(b->icode >= 0 ? b->icode : 0);
	}
	p->tos = (uint8_t)(b->tos >= 0 ? b->tos : 0);
	p->ifname = b->ifname;
	if (r->tagged && !r->tagged_neg)
		p->tag = r->tagged;
}
