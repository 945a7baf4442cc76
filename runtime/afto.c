/*
 * runtime/afto.c: af-to's address mapping and packet rewrite (afto.h).
 */
#include <string.h>

#include "runtime/afto.h"
#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

/* The bytes of an IPv6 address that hold the embedded IPv4 address at
 * prefix length len (RFC 6052 section 2.2: bits 64 to 71 stay zero, so
 * the address skips byte 8); false for a length the RFC does not define. */
static bool rfc6052_bytes(unsigned len, unsigned pos[4])
{
	if (len != 32 && len != 40 && len != 48 && len != 56 && len != 64 && len != 96)
		return false;
	for (unsigned i = 0; i < 4; i++) {
		pos[i] = len / 8 + i;
		if (len <= 64 && pos[i] >= 8)
			pos[i]++;
	}
	return true;
}

/* The IPv4 address embedded in v6 at prefix length len. */
static bool extract4(const uint8_t v6[16], unsigned len, uint8_t out[16])
{
	unsigned pos[4];
	if (!rfc6052_bytes(len, pos))
		return false;
	memset(out, 0, 16);
	for (unsigned i = 0; i < 4; i++)
		out[i] = v6[pos[i]];
	return true;
}

/* v4 embedded in the first len bits of prefix. */
static bool embed4(const uint8_t v4[4], const uint8_t prefix[16], unsigned len, uint8_t out[16])
{
	unsigned pos[4];
	if (!rfc6052_bytes(len, pos))
		return false;
	memset(out, 0, 16);
	memcpy(out, prefix, len / 8);
	for (unsigned i = 0; i < 4; i++)
		out[pos[i]] = v4[i];
	return true;
}

/* An IPv4 `to` prefix shorter than 32 bits keeps the packet's embedded
 * address below it. */
static void merge4(const uint8_t to[16], unsigned len, uint8_t addr[16])
{
	uint32_t mask = len ? UINT32_MAX << (32 - len) : 0;
	pk_put32(addr, (pk_get32(to) & mask) | (pk_get32(addr) & ~mask));
}

bool pk_afto_addrs(const struct pk_afto *a, const struct pk_pkt *p, uint8_t src[16], uint8_t dst[16])
{
	memcpy(src, a->from, 16);
	if (a->af == PK_AF_INET) {
		unsigned len = a->rule_dst_len < 32 ? 96 : a->rule_dst_len;
		if (a->to_len)
			len = 96; /* the packet's address bits below `to`'s prefix: its last 32 */
		if (!extract4(p->dst, len, dst))
			return false;
		if (a->to_len)
			merge4(a->to, a->to_len, dst);
		return true;
	}
	if (a->to_len)
		return embed4(p->dst, a->to, a->to_len, dst);
	return embed4(p->dst, a->from, a->from_len > 96 ? 96 : a->from_len, dst);
}

int pk_afto_icmp_type(uint8_t af, int16_t type)
{
	if (af == PK_AF_INET)
		return type == PK_ICMP6_ECHO_REQUEST ? PK_ICMP_ECHO : type == PK_ICMP6_ECHO_REPLY ? PK_ICMP_ECHOREPLY : -1;
	return type == PK_ICMP_ECHO ? PK_ICMP6_ECHO_REQUEST : type == PK_ICMP_ECHOREPLY ? PK_ICMP6_ECHO_REPLY : -1;
}

static void write_ip4(uint8_t *ip, const struct pk_pkt *p, uint8_t proto, size_t plen, const uint8_t *src,
		      const uint8_t *dst)
{
	memset(ip, 0, PK_IP4_HLEN);
	ip[PK_IP4_OFF_VHL] = 0x45;
	ip[PK_IP4_OFF_TOS] = p->tos;
	pk_put16(ip + PK_IP4_OFF_LEN, (uint16_t)(PK_IP4_HLEN + plen));
	pk_put16(ip + PK_IP4_OFF_FRAG, PK_IP4_DF);
	ip[PK_IP4_OFF_TTL] = p->ttl;
	ip[PK_IP4_OFF_PROTO] = proto;
	memcpy(ip + PK_IP4_OFF_SRC, src, PK_IP4_ALEN);
	memcpy(ip + PK_IP4_OFF_DST, dst, PK_IP4_ALEN);
	pk_cksum_ip4_header(ip);
}

static void write_ip6(uint8_t *ip, const struct pk_pkt *p, uint8_t proto, size_t plen, const uint8_t *src,
		      const uint8_t *dst)
{
	pk_put32(ip, 6u << 28 | (uint32_t)p->tos << 20);
	pk_put16(ip + PK_IP6_OFF_PLEN, (uint16_t)plen);
	ip[PK_IP6_OFF_NXT] = proto;
	ip[PK_IP6_OFF_HLIM] = p->ttl;
	memcpy(ip + PK_IP6_OFF_SRC, src, 16);
	memcpy(ip + PK_IP6_OFF_DST, dst, 16);
}

size_t pk_afto_rewrite(uint8_t *ip, size_t len, size_t cap, const struct pk_pkt *p, uint8_t af,
		       const uint8_t src[16], const uint8_t dst[16])
{
	uint8_t proto = p->proto;
	int type = -1;
	if (p->fragment || p->af == af || p->tot_len > len || p->l4_off > p->tot_len)
		return 0;
	if (proto == PK_PROTO_ICMP || proto == PK_PROTO_ICMP6) {
		type = pk_afto_icmp_type(af, p->icmp_type);
		if (type < 0 || proto != (p->af == PK_AF_INET ? PK_PROTO_ICMP : PK_PROTO_ICMP6))
			return 0;
		proto = af == PK_AF_INET ? PK_PROTO_ICMP : PK_PROTO_ICMP6;
	} else if (proto != PK_PROTO_TCP && proto != PK_PROTO_UDP) {
		return 0;
	}
	const size_t plen = p->tot_len - p->l4_off, hlen = af == PK_AF_INET ? PK_IP4_HLEN : PK_IP6_HLEN;
	if (hlen + plen > cap || hlen + plen > UINT16_MAX + (af == PK_AF_INET6 ? PK_IP6_HLEN : 0))
		return 0;
	const struct pk_pkt hdr = *p; /* the old header's fields, read before it is overwritten */
	memmove(ip + hlen, ip + p->l4_off, plen);
	if (af == PK_AF_INET)
		write_ip4(ip, &hdr, proto, plen, src, dst);
	else
		write_ip6(ip, &hdr, proto, plen, src, dst);
	if (type >= 0)
		ip[hlen] = (uint8_t)type;
	return pk_cksum_l4(ip, hlen + plen) ? hlen + plen : 0;
}
