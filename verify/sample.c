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
