/*
 * verify/wire.c: a witness as the bytes of a real packet. TCP carries a
 * plain header (window 65535, no options); an ICMP error quotes a UDP
 * datagram back from the destination, as errors do, so the engine finds
 * the quote it expects; other protocols carry 8 bytes of zeros.
 */
#include <stdbool.h>
#include <string.h>

#include "runtime/cksum.h"
#include "runtime/packet.h"
#include "runtime/rule_vocab.h"
#include "verify/wire.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The IP header for len bytes of payload; returns its length. */
static size_t ip_header(uint8_t af, uint8_t proto, uint8_t tos, const uint8_t *src, const uint8_t *dst, size_t len,
			uint8_t *b)
{
	if (af == PK_AF_INET) {
		memset(b, 0, 20);
		b[0] = 0x45;
		b[1] = tos;
		put16(b + 2, (uint16_t)(20 + len));
		b[8] = 64;
		b[9] = proto;
		memcpy(b + 12, src, 4);
		memcpy(b + 16, dst, 4);
		pk_cksum_ip4_header(b);
		return 20;
	}
	memset(b, 0, 40);
	b[0] = (uint8_t)(0x60 | tos >> 4);
	b[1] = (uint8_t)(tos << 4);
	put16(b + 4, (uint16_t)len);
	b[6] = proto;
	b[7] = 64;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
	return 40;
}

/* The transport header and data; returns their length. */
static size_t transport(const struct pk_vpkt *p, uint8_t *b)
{
	if (p->proto == PK_PROTO_TCP) {
		memset(b, 0, 20);
		put16(b, p->sport);
		put16(b + 2, p->dport);
		b[7] = 1; /* sequence number 1 */
		b[12] = 5 << 4;
		b[13] = p->flags;
		put16(b + 14, 65535);
		return 20;
	}
	memset(b, 0, 8);
	if (p->proto == PK_PROTO_UDP) {
		put16(b, p->sport);
		put16(b + 2, p->dport);
		put16(b + 4, 8);
		return 8;
	}
	if (p->proto != PK_PROTO_ICMP && p->proto != PK_PROTO_ICMP6)
		return 8;
	b[0] = p->icmp_type;
	b[1] = p->icmp_code;
	if (!pk_icmp_is_error(p->af, p->icmp_type)) /* the engine's reading of the type */
		return 8;
	/* the quote: a UDP datagram the destination sent to the source */
	const size_t n = ip_header(p->af, PK_PROTO_UDP, 0, p->dst, p->src, 8, b + 8);
	put16(b + 8 + n, 40000);
	put16(b + 8 + n + 2, 53);
	put16(b + 8 + n + 4, 8);
	return 8 + n + 8;
}

size_t pk_vpkt_wire(const struct pk_vpkt *p, uint8_t *buf, size_t cap)
{
	uint8_t l4[PK_WIRE_MAX];
	const size_t n = transport(p, l4), h = p->af == PK_AF_INET ? 20 : 40;
	if (h + n > cap)
		return 0;
	ip_header(p->af, p->proto, p->tos, p->src, p->dst, n, buf);
	memcpy(buf + h, l4, n);
	pk_cksum_l4(buf, h + n);
	return h + n;
}
