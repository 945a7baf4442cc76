/* daemon/cksum.c: Internet checksums and the ICMP packets picketd builds. */
#include "daemon/cksum.h"

#include "runtime/cksum.h"
#include "runtime/ruleset.h"

#include <string.h>

#define IP4_HLEN(ip) ((size_t)((ip)[0] & 0x0f) * 4)
#define ICMP_QUOTE_MAX 548

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void pk_csum_ipv4_header(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, pk_cksum_fold(pk_cksum_add(0, ip, IP4_HLEN(ip))));
}

/* Where the checksum field of protocol proto lies in its header, or -1. */
static int l4_csum_offset(uint8_t proto)
{
	switch (proto) {
	case 6: return 16;  /* TCP */
	case 17: return 6;  /* UDP */
	case 1: return 2;   /* ICMP */
	case 58: return 2;  /* ICMPv6 */
	default: return -1;
	}
}

bool pk_csum_l4(uint8_t *ip, size_t len)
{
	size_t hl;
	uint8_t proto, af;

	if (len < 20)
		return false;
	if ((ip[0] >> 4) == 4) {
		hl = IP4_HLEN(ip);
		proto = ip[9];
		af = PK_AF_INET;
		if (hl < 20 || len < hl || (get16(ip + 6) & 0x3fff))
			return false; /* fragments: the checksum covers the whole datagram */
	} else if ((ip[0] >> 4) == 6 && len >= 40) {
		hl = 40;
		proto = ip[6]; /* extension headers are not walked: those packets are left as they are */
		af = PK_AF_INET6;
	} else {
		return false;
	}
	int off = l4_csum_offset(proto);
	size_t l4len = len - hl;
	if (off < 0 || l4len < (size_t)off + 2)
		return false;
	/* ICMPv4 alone has no pseudo-header. */
	uint32_t sum = proto == 1 ? 0
				  : pk_cksum_pseudo(af, ip + (af == PK_AF_INET ? 12 : 8),
						    ip + (af == PK_AF_INET ? 16 : 24), proto, (uint32_t)l4len);
	put16(ip + hl + off, 0);
	uint16_t c = pk_cksum_fold(pk_cksum_add(sum, ip + hl, l4len));
	if (proto == 17 && c == 0)
		c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	put16(ip + hl + off, c);
	return true;
}

void pk_csum_ttl_dec(uint8_t *ip)
{
	uint16_t old = get16(ip + 8); /* the 16-bit word TTL|protocol */
	ip[8]--;
	put16(ip + 10, pk_cksum_fix16(get16(ip + 10), old, get16(ip + 8)));
}

static bool is_bcast_or_mcast4(const uint8_t a[4])
{
	return a[0] >= 224 || (a[0] == 0);
}

size_t pk_icmp4_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t mtu, const uint8_t src[4],
		      const uint8_t *orig, size_t orig_len)
{
	if (orig_len < 20 || (orig[0] >> 4) != 4 || orig_len < IP4_HLEN(orig))
		return 0;
	size_t ohl = IP4_HLEN(orig);
	if (get16(orig + 6) & 0x1fff)
		return 0;
	if (is_bcast_or_mcast4(orig + 12) || is_bcast_or_mcast4(orig + 16))
		return 0;
	if (orig[9] == 1 && orig_len > ohl) {
		uint8_t t = orig[ohl];
		if (t != 0 && t != 8 && t != 13 && t != 14 && t != 15 && t != 16 && t != 17 && t != 18)
			return 0; /* never answer an ICMP error with one */
	}
	size_t quote = orig_len < ICMP_QUOTE_MAX ? orig_len : ICMP_QUOTE_MAX;
	size_t total = 20 + 8 + quote;
	if (cap < total)
		return 0;
	memset(out, 0, 28);
	out[0] = 0x45;
	put16(out + 2, (uint16_t)total);
	out[8] = 64;
	out[9] = 1;
	memcpy(out + 12, src, 4);
	memcpy(out + 16, orig + 12, 4);
	pk_csum_ipv4_header(out);
	out[20] = type;
	out[21] = code;
	put16(out + 26, mtu);
	memcpy(out + 28, orig, quote);
	put16(out + 22, pk_cksum_fold(pk_cksum_add(0, out + 20, total - 20)));
	return total;
}

bool pk_icmp4_echo_reply(uint8_t *ip, size_t len)
{
	uint8_t tmp[4];

	if (len < 28 || (ip[0] >> 4) != 4 || ip[9] != 1 || len < IP4_HLEN(ip) + 8)
		return false;
	size_t hl = IP4_HLEN(ip);
	if (ip[hl] != 8 || ip[hl + 1] != 0)
		return false;
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[8] = 64;
	pk_csum_ipv4_header(ip);
	ip[hl] = 0;
	put16(ip + hl + 2, 0);
	put16(ip + hl + 2, pk_cksum_fold(pk_cksum_add(0, ip + hl, len - hl)));
	return true;
}
