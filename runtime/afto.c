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

/* An ICMP error's type, code and the word after the checksum (the MTU of
 * "too big", the pointer of a parameter problem) in the other family, as
 * pf_translate_icmp_af maps them (RFC 6145); false for what it refuses. */
struct icmp_err {
	uint8_t type, code;
	uint32_t word;
};

static bool error_to6(struct icmp_err *e)
{
	static const int8_t unreach[16] = {0, 0, -2, 4, -3, -1, 0, 0, 0, 1, 1, 0, 0, 1, -1, 1};
	if (e->type == PK_ICMP_TIMXCEED) {
		*e = (struct icmp_err){PK_ICMP6_TIME_EXCEEDED, e->code, 0};
		return true;
	}
	if (e->type != PK_ICMP_UNREACH || e->code >= 16 || unreach[e->code] == -1)
		return false;
	if (unreach[e->code] == -2) /* protocol unreachable: the next header is the problem */
		*e = (struct icmp_err){PK_ICMP6_PARAM_PROB, PK_ICMP6_PARAMPROB_NEXTHEADER, PK_IP6_OFF_NXT};
	else if (unreach[e->code] == -3)
		*e = (struct icmp_err){PK_ICMP6_PACKET_TOO_BIG, 0, (e->word & 0xffff) + 20};
	else
		*e = (struct icmp_err){PK_ICMP6_DST_UNREACH, (uint8_t)unreach[e->code], 0};
	return true;
}

static bool error_to4(struct icmp_err *e)
{
	static const int8_t unreach[5] = {PK_ICMP_UNREACH_HOST, PK_ICMP_UNREACH_HOST_PROHIB, PK_ICMP_UNREACH_HOST,
					  PK_ICMP_UNREACH_HOST, PK_ICMP_UNREACH_PORT};
	if (e->type == PK_ICMP6_TIME_EXCEEDED)
		*e = (struct icmp_err){PK_ICMP_TIMXCEED, e->code, 0};
	else if (e->type == PK_ICMP6_PACKET_TOO_BIG)
		*e = (struct icmp_err){PK_ICMP_UNREACH, PK_ICMP_UNREACH_NEEDFRAG, e->word > 20 ? (e->word - 20) & 0xffff : 0};
	else if (e->type == PK_ICMP6_DST_UNREACH && e->code < 5)
		*e = (struct icmp_err){PK_ICMP_UNREACH, (uint8_t)unreach[e->code], 0};
	else if (e->type == PK_ICMP6_PARAM_PROB && e->code == PK_ICMP6_PARAMPROB_NEXTHEADER)
		*e = (struct icmp_err){PK_ICMP_UNREACH, PK_ICMP_UNREACH_PROTOCOL, 0};
	else
		return false; /* pf maps a header problem's pointer too: not here */
	return true;
}

size_t pk_afto_rewrite_error(uint8_t *ip, size_t len, size_t cap, const struct pk_pkt *p, const struct pk_pkt *q,
			     uint8_t af, const struct pk_afto_error *a)
{
	uint8_t buf[PK_AFTO_ERROR_MAX];
	const uint8_t *ih = ip + p->l4_off, *inner = ip + p->inner_off;
	struct icmp_err e = {ih[0], ih[1], pk_get32(ih + 4)};
	const size_t hlen = af == PK_AF_INET ? PK_IP4_HLEN : PK_IP6_HLEN;
	if (p->af == af || p->tot_len > len || p->inner_off + q->l4_off + 8u > p->tot_len ||
	    (q->proto != PK_PROTO_TCP && q->proto != PK_PROTO_UDP) || !(af == PK_AF_INET6 ? error_to6(&e) : error_to4(&e)))
		return 0;
	const size_t n4 = p->tot_len - p->inner_off - q->l4_off, total = 2 * hlen + 8 + n4;
	if (total > sizeof buf || total > cap)
		return 0;
	/* the quoted packet: a header of the new family, its transport header's
	 * first bytes with the ports of the other side (UDP's checksum left out) */
	uint8_t *nq = buf + hlen + 8;
	memcpy(nq + hlen, inner + q->l4_off, n4);
	pk_put16(nq + hlen + PK_L4_OFF_SPORT, a->sport);
	pk_put16(nq + hlen + PK_L4_OFF_DPORT, a->dport);
	if (q->proto == PK_PROTO_UDP)
		pk_put16(nq + hlen + PK_UDP_OFF_SUM, 0);
	const size_t qplen = q->tot_len > q->l4_off ? q->tot_len - q->l4_off : n4;
	if (af == PK_AF_INET)
		write_ip4(nq, q, q->proto, qplen, a->inner_src, a->inner_dst);
	else
		write_ip6(nq, q, q->proto, qplen, a->inner_src, a->inner_dst);
	uint8_t *nh = buf + hlen;
	memset(nh, 0, 8);
	nh[0] = e.type;
	nh[1] = e.code;
	if (af == PK_AF_INET)
		pk_put16(nh + 6, (uint16_t)e.word);
	else
		pk_put32(nh + 4, e.word);
	const uint8_t proto = af == PK_AF_INET ? PK_PROTO_ICMP : PK_PROTO_ICMP6;
	if (af == PK_AF_INET)
		write_ip4(buf, p, proto, total - hlen, a->src, a->dst);
	else
		write_ip6(buf, p, proto, total - hlen, a->src, a->dst);
	if (!pk_cksum_l4(buf, total))
		return 0;
	memcpy(ip, buf, total);
	return total;
}
