/*
 * runtime/cksum.c: Internet checksum arithmetic (RFC 1071, RFC 1624).
 */
#include "runtime/cksum.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"
#include "runtime/wire.h"

/* The sum of n8 blocks of 8 bytes, loaded in the host's byte order, folded
 * and turned to network order: a one's complement sum is the same
 * byte-swapped whichever order its words are added in (RFC 1071, 2.B), and
 * a host-order load is one instruction where a big-endian one is four. */
static uint32_t sum_blocks(const uint8_t *p, size_t n8)
{
	uint64_t acc = 0;

	for (size_t i = 0; i < n8; i++) {
		uint64_t w;

		memcpy(&w, p + 8 * i, 8);
		acc += (w & 0xffffffffu) + (w >> 32);
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	acc = (acc >> 8 | acc << 8) & 0xffff;
#endif
	return (uint32_t)acc;
}

/* Added as 32-bit words into 64 bits: a one's complement sum folds to the
 * same 16 bits however its 16-bit words are grouped (RFC 1071, 2.B), and
 * to 0 only when every word is 0, as word by word. */
uint32_t pk_cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;
	size_t i = len & ~(size_t)7;

	if (i)
		acc += sum_blocks(p, i / 8);
	for (; i + 4 <= len; i += 4)
		acc += pk_get32(p + i);
	if (i + 2 <= len) {
		acc += pk_get16(p + i);
		i += 2;
	}
	if (i < len)
		acc += (uint32_t)p[i] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t pk_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t pk_cksum_pseudo(uint8_t af, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len)
{
	size_t alen = pk_ip_alen(af == PK_AF_INET6);
	uint32_t sum = 0;

	sum = pk_cksum_add(sum, src, alen);
	sum = pk_cksum_add(sum, dst, alen);
	sum += proto;
	sum += len >> 16;
	sum += len & 0xffff;
	return sum;
}

uint16_t pk_cksum_fix32(uint16_t cksum, uint32_t old, uint32_t new_)
{
	cksum = pk_cksum_fix16(cksum, (uint16_t)(old >> 16), (uint16_t)(new_ >> 16));
	return pk_cksum_fix16(cksum, (uint16_t)old, (uint16_t)new_);
}

uint16_t pk_cksum_fix_addr(uint16_t cksum, const uint8_t *old, const uint8_t *new_, size_t alen)
{
	size_t i;

	for (i = 0; i < alen; i += 2)
		cksum = pk_cksum_fix16(cksum, pk_get16(old + i), pk_get16(new_ + i));
	return cksum;
}

void pk_patch32(uint8_t *p, uint32_t v, uint8_t *c)
{
	if (c)
		pk_put16(c, pk_cksum_fix32(pk_get16(c), pk_get32(p), v));
	pk_put32(p, v);
}

void pk_cksum_ip4_header(uint8_t *ip)
{
	pk_put16(ip + PK_IP4_OFF_SUM, 0);
	pk_put16(ip + PK_IP4_OFF_SUM, pk_cksum_fold(pk_cksum_add(0, ip, pk_ip4_hlen(ip))));
}

/* Where the checksum field of protocol proto lies in its header, or -1. */
static int l4_sum_offset(uint8_t proto)
{
	switch (proto) {
	case PK_PROTO_TCP: return PK_TCP_OFF_SUM;
	case PK_PROTO_UDP: return PK_UDP_OFF_SUM;
	case PK_PROTO_ICMP:
	case PK_PROTO_ICMP6: return PK_ICMP_OFF_SUM;
	default: return -1;
	}
}

bool pk_cksum_l4(uint8_t *ip, size_t len)
{
	size_t hl;
	uint8_t proto, af;

	if (len < PK_IP4_HLEN)
		return false;
	if (pk_ip_version(ip) == 4) {
		hl = pk_ip4_hlen(ip);
		proto = ip[PK_IP4_OFF_PROTO];
		af = PK_AF_INET;
		if (hl < PK_IP4_HLEN || len < hl || (pk_get16(ip + PK_IP4_OFF_FRAG) & (PK_IP4_MF | PK_IP4_OFFMASK)))
			return false; /* fragments: the checksum covers the whole datagram */
	} else if (pk_ip_version(ip) == 6 && len >= PK_IP6_HLEN) {
		hl = PK_IP6_HLEN;
		proto = ip[PK_IP6_OFF_NXT]; /* extension headers are not walked: those packets are left as they are */
		af = PK_AF_INET6;
	} else {
		return false;
	}
	int off = l4_sum_offset(proto);
	size_t l4len = len - hl;
	if (off < 0 || l4len < (size_t)off + 2)
		return false;
	bool v6 = af == PK_AF_INET6;
	const uint8_t *src = ip + pk_ip_src_off(v6), *dst = ip + pk_ip_dst_off(v6);
	/* ICMPv4 alone has no pseudo-header. */
	uint32_t sum = proto == PK_PROTO_ICMP ? 0 : pk_cksum_pseudo(af, src, dst, proto, (uint32_t)l4len);
	pk_put16(ip + hl + off, 0);
	uint16_t c = pk_cksum_fold(pk_cksum_add(sum, ip + hl, l4len));
	if (proto == PK_PROTO_UDP && c == 0)
		c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	pk_put16(ip + hl + off, c);
	return true;
}

void pk_cksum_ttl_dec(uint8_t *ip)
{
	uint32_t sum;

	/* the 16-bit word TTL|protocol is what the checksum covers */
	if (ip[PK_IP4_OFF_TTL] == 0) {
		pk_patch16(ip + PK_IP4_OFF_TTL, (uint16_t)(pk_get16(ip + PK_IP4_OFF_TTL) - 0x100), ip + PK_IP4_OFF_SUM);
		return;
	}
	/* RFC 1624 eqn. 3 with m' = m - 0x100 and no borrow: ~m + m' is 0xfeff
	 * whatever m is, and the sum folds once (every forwarded packet) */
	sum = (uint16_t)~pk_get16(ip + PK_IP4_OFF_SUM) + 0xfeffu;
	sum = (sum & 0xffff) + (sum >> 16);
	pk_put16(ip + PK_IP4_OFF_SUM, (uint16_t)~sum);
	ip[PK_IP4_OFF_TTL]--;
}
