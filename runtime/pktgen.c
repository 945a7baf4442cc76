/*
 * runtime/pktgen.c: construction of generated packets.
 */
#include "runtime/pktgen.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/ruleset.h"

#define IP6_MIN_MTU 1280

static size_t ip_header(uint8_t af, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint8_t ttl,
			size_t l4len, uint8_t *b)
{
	if (af == PK_AF_INET6) {
		memset(b, 0, 40);
		b[0] = 0x60;
		pk_put16(b + 4, (uint16_t)l4len);
		b[6] = proto;
		b[7] = ttl;
		memcpy(b + 8, src, 16);
		memcpy(b + 24, dst, 16);
		return 40;
	}
	memset(b, 0, 20);
	b[0] = 0x45;
	pk_put16(b + 2, (uint16_t)(20 + l4len));
	b[8] = ttl;
	b[9] = proto;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	pk_put16(b + 10, pk_cksum_fold(pk_cksum_add(0, b, 20)));
	return 20;
}

size_t pk_gen_tcp(const struct pk_gen_tcp *t, uint8_t *buf, size_t cap)
{
	size_t hl = t->af == PK_AF_INET6 ? 40 : 20, tl = 20 + (t->mss ? 4u : 0u) + (t->wscale ? 4u : 0u);
	uint8_t *opt;
	uint8_t *th = buf + hl;
	uint32_t sum;

	if (cap < hl + tl)
		return 0;
	ip_header(t->af, t->src, t->dst, 6, t->ttl ? t->ttl : PK_DEFAULT_TTL, tl, buf);
	memset(th, 0, tl);
	pk_put16(th, t->sport);
	pk_put16(th + 2, t->dport);
	pk_put32(th + 4, t->seq);
	pk_put32(th + 8, t->ack);
	th[12] = (uint8_t)((tl / 4) << 4);
	th[13] = t->flags;
	pk_put16(th + 14, t->win);
	opt = th + 20;
	if (t->mss) {
		opt[0] = 2, opt[1] = 4;
		pk_put16(opt + 2, t->mss);
		opt += 4;
	}
	if (t->wscale) /* NOP, window scale */
		opt[0] = 1, opt[1] = 3, opt[2] = 3, opt[3] = (uint8_t)(t->wscale & 0x0f);
	sum = pk_cksum_pseudo(t->af, t->src, t->dst, 6, (uint32_t)tl);
	pk_put16(th + 16, pk_cksum_fold(pk_cksum_add(sum, th, tl)));
	return hl + tl;
}

size_t pk_gen_icmp_error(uint8_t af, const uint8_t *src, uint8_t type, uint8_t code, const uint8_t *quoted,
			 size_t qlen, uint8_t *buf, size_t cap)
{
	size_t hl = af == PK_AF_INET6 ? 40 : 20, max, n;
	uint8_t dst[16] = {0}, *ih = buf + hl;
	uint32_t sum;

	if (af == PK_AF_INET6) {
		memcpy(dst, quoted + 8, 16);
		max = IP6_MIN_MTU - 48;
	} else {
		memcpy(dst, quoted + 12, 4);
		max = (size_t)(quoted[0] & 0x0f) * 4 + 8;
	}
	n = qlen < max ? qlen : max;
	if (cap < hl + 8 + n)
		return 0;
	ip_header(af, src, dst, af == PK_AF_INET6 ? 58 : 1, PK_DEFAULT_TTL, 8 + n, buf);
	memset(ih, 0, 8);
	ih[0] = type;
	ih[1] = code;
	memcpy(ih + 8, quoted, n);
	sum = af == PK_AF_INET6 ? pk_cksum_pseudo(af, src, dst, 58, (uint32_t)(8 + n)) : 0;
	pk_put16(ih + 2, pk_cksum_fold(pk_cksum_add(sum, ih, 8 + n)));
	return hl + 8 + n;
}
