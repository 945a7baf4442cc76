/*
 * runtime/pktgen.c: construction of generated packets.
 */
#include "runtime/pktgen.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"
#include "runtime/wire.h"

#define IP4_MIN_MTU 576 /* the datagram every host accepts (RFC 791) */

static size_t ip_header(uint8_t af, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint8_t ttl,
			size_t l4len, uint8_t *b)
{
	if (af == PK_AF_INET6) {
		memset(b, 0, PK_IP6_HLEN);
		b[0] = 0x60; /* version 6, traffic class and flow label 0 */
		pk_put16(b + PK_IP6_OFF_PLEN, (uint16_t)l4len);
		b[PK_IP6_OFF_NXT] = proto;
		b[PK_IP6_OFF_HLIM] = ttl;
		memcpy(b + PK_IP6_OFF_SRC, src, PK_IP6_ALEN);
		memcpy(b + PK_IP6_OFF_DST, dst, PK_IP6_ALEN);
		return PK_IP6_HLEN;
	}
	memset(b, 0, PK_IP4_HLEN);
	b[PK_IP4_OFF_VHL] = 0x45; /* version 4, a header without options */
	pk_put16(b + PK_IP4_OFF_LEN, (uint16_t)(PK_IP4_HLEN + l4len));
	b[PK_IP4_OFF_TTL] = ttl;
	b[PK_IP4_OFF_PROTO] = proto;
	memcpy(b + PK_IP4_OFF_SRC, src, PK_IP4_ALEN);
	memcpy(b + PK_IP4_OFF_DST, dst, PK_IP4_ALEN);
	pk_cksum_ip4_header(b);
	return PK_IP4_HLEN;
}

size_t pk_gen_tcp(const struct pk_gen_tcp *t, uint8_t *buf, size_t cap)
{
	size_t hl = t->af == PK_AF_INET6 ? PK_IP6_HLEN : PK_IP4_HLEN;
	size_t tl = PK_TCP_HLEN + (t->mss ? 4u : 0u) + (t->wscale ? 4u : 0u);
	uint8_t *opt;
	uint8_t *th = buf + hl;
	uint32_t sum;

	if (cap < hl + tl)
		return 0;
	ip_header(t->af, t->src, t->dst, PK_PROTO_TCP, t->ttl ? t->ttl : PK_DEFAULT_TTL, tl, buf);
	memset(th, 0, tl);
	pk_put16(th + PK_L4_OFF_SPORT, t->sport);
	pk_put16(th + PK_L4_OFF_DPORT, t->dport);
	pk_put32(th + PK_TCP_OFF_SEQ, t->seq);
	pk_put32(th + PK_TCP_OFF_ACK, t->ack);
	th[PK_TCP_OFF_X2] = (uint8_t)((tl / 4) << 4);
	th[PK_TCP_OFF_FLAGS] = t->flags;
	pk_put16(th + PK_TCP_OFF_WIN, t->win);
	opt = th + PK_TCP_HLEN;
	if (t->mss) {
		opt[0] = PK_TCPOPT_MSS, opt[1] = 4;
		pk_put16(opt + 2, t->mss);
		opt += 4;
	}
	if (t->wscale)
		opt[0] = PK_TCPOPT_NOP, opt[1] = PK_TCPOPT_WSCALE, opt[2] = 3, opt[3] = (uint8_t)(t->wscale & 0x0f);
	sum = pk_cksum_pseudo(t->af, t->src, t->dst, PK_PROTO_TCP, (uint32_t)tl);
	pk_put16(th + PK_TCP_OFF_SUM, pk_cksum_fold(pk_cksum_add(sum, th, tl)));
	return hl + tl;
}

/* How much of the packet an error quotes. */
static size_t quote_max(const struct pk_gen_icmp *g, const uint8_t *quoted)
{
	if (g->af == PK_AF_INET6)
		return PK_IP6_MIN_MTU - PK_IP6_HLEN - PK_ICMP_HLEN;
	if (g->router)
		return IP4_MIN_MTU - PK_IP4_HLEN - PK_ICMP_HLEN;
	return pk_ip4_hlen(quoted) + 8;
}

size_t pk_gen_icmp_error(const struct pk_gen_icmp *g, const uint8_t *quoted, size_t qlen, uint8_t *buf, size_t cap)
{
	bool v6 = g->af == PK_AF_INET6;
	size_t hl = v6 ? PK_IP6_HLEN : PK_IP4_HLEN, max = quote_max(g, quoted);
	size_t n = qlen < max ? qlen : max;
	uint8_t dst[16] = {0}, *ih = buf + hl;
	uint8_t proto = v6 ? PK_PROTO_ICMP6 : PK_PROTO_ICMP;
	uint32_t sum;

	memcpy(dst, quoted + pk_ip_src_off(v6), pk_ip_alen(v6));
	if (cap < hl + PK_ICMP_HLEN + n)
		return 0;
	ip_header(g->af, g->src, dst, proto, PK_DEFAULT_TTL, PK_ICMP_HLEN + n, buf);
	memset(ih, 0, PK_ICMP_HLEN);
	ih[PK_ICMP_OFF_TYPE] = g->type;
	ih[PK_ICMP_OFF_CODE] = g->code;
	pk_put32(ih + PK_ICMP_OFF_MTU, g->mtu);
	memcpy(ih + PK_ICMP_HLEN, quoted, n);
	sum = v6 ? pk_cksum_pseudo(g->af, g->src, dst, proto, (uint32_t)(PK_ICMP_HLEN + n)) : 0;
	pk_put16(ih + PK_ICMP_OFF_SUM, pk_cksum_fold(pk_cksum_add(sum, ih, PK_ICMP_HLEN + n)));
	return hl + PK_ICMP_HLEN + n;
}
