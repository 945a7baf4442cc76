/*
 * tests/support/pktbuild.c: packet construction for tests.
 */
#include "tests/support/pktbuild.h"

#include <arpa/inet.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"

struct pk_tb pk_tb_defaults(uint8_t af, const char *src, const char *dst)
{
	struct pk_tb s;

	memset(&s, 0, sizeof(s));
	s.af = af;
	s.src = src;
	s.dst = dst;
	s.proto = 6;
	s.ttl = 64;
	s.win = 65535;
	s.wscale = -1;
	return s;
}

struct pk_tb pk_tb_tcp(struct pk_tb_ends e, struct pk_tb_seg g)
{
	struct pk_tb s = pk_tb_defaults(strchr(e.src, ':') ? 6 : 4, e.src, e.dst);

	s.sport = e.sport, s.dport = e.dport;
	s.flags = g.flags, s.seq = g.seq, s.ack = g.ack, s.payload = g.payload;
	return s;
}

struct pk_tb pk_tb_udp(struct pk_tb_ends e, uint16_t payload)
{
	struct pk_tb s = pk_tb_tcp(e, (struct pk_tb_seg){.payload = payload});

	s.proto = 17;
	return s;
}

void pk_tb_addr(uint8_t af, const char *text, uint8_t out[16])
{
	memset(out, 0, 16);
	inet_pton(af == 4 ? AF_INET : AF_INET6, text, out);
}

static size_t tcp_opts(const struct pk_tb *s, uint8_t *o)
{
	size_t n = 0;

	if (s->mss) {
		o[n++] = 2, o[n++] = 4;
		pk_put16(o + n, s->mss);
		n += 2;
	}
	if (s->wscale >= 0)
		o[n++] = 1, o[n++] = 3, o[n++] = 3, o[n++] = (uint8_t)s->wscale;
	if (s->sack_perm)
		o[n++] = 1, o[n++] = 1, o[n++] = 4, o[n++] = 2;
	if (s->ts) {
		o[n++] = 1, o[n++] = 1, o[n++] = 8, o[n++] = 10;
		pk_put32(o + n, s->tsval);
		pk_put32(o + n + 4, s->tsecr);
		n += 8;
	}
	return n;
}

static size_t l4_build(const struct pk_tb *s, uint8_t *l4)
{
	size_t n;

	if (s->proto == 6) {
		size_t ol = tcp_opts(s, l4 + 20);

		pk_put16(l4, s->sport);
		pk_put16(l4 + 2, s->dport);
		pk_put32(l4 + 4, s->seq);
		pk_put32(l4 + 8, s->ack);
		l4[12] = (uint8_t)(((20 + ol) / 4) << 4);
		l4[13] = s->flags;
		pk_put16(l4 + 14, s->win);
		n = 20 + ol;
	} else if (s->proto == 17) {
		pk_put16(l4, s->sport);
		pk_put16(l4 + 2, s->dport);
		pk_put16(l4 + 4, (uint16_t)(8 + s->payload));
		n = 8;
	} else if (s->proto == 1 || s->proto == 58) {
		l4[0] = s->icmp_type;
		l4[1] = s->icmp_code;
		pk_put16(l4 + 4, s->icmp_id);
		n = 8;
		if (s->quote) {
			memcpy(l4 + 8, s->quote, s->quote_len);
			n += s->quote_len;
		}
	} else {
		n = 0;
	}
	memset(l4 + n, 0xab, s->payload);
	return n + s->payload;
}

static void l4_cksum(const struct pk_tb *s, const uint8_t *src, const uint8_t *dst, uint8_t *l4, size_t n)
{
	uint32_t sum;
	size_t at;

	if (s->proto == 6)
		at = 16;
	else if (s->proto == 17)
		at = 6;
	else if (s->proto == 1 || s->proto == 58)
		at = 2;
	else
		return;
	sum = s->proto == 1 ? 0 : pk_cksum_pseudo(s->af, src, dst, s->proto, (uint32_t)n);
	pk_put16(l4 + at, pk_cksum_fold(pk_cksum_add(sum, l4, n)));
}

static size_t ip4_header(const struct pk_tb *s, uint8_t *b, size_t l4len)
{
	size_t hl = 20 + ((s->ipopt_len + 3u) & ~3u);

	memset(b, 0, hl);
	b[0] = (uint8_t)(0x40 | (hl / 4));
	pk_put16(b + 2, (uint16_t)(hl + l4len));
	pk_put16(b + 4, s->ip_id);
	pk_put16(b + 6, (uint16_t)((s->df ? 0x4000 : 0) | (s->mf ? 0x2000 : 0) | (s->frag_off / 8)));
	b[8] = s->ttl ? s->ttl : 64;
	b[9] = s->proto;
	pk_tb_addr(4, s->src, b + 12);
	pk_tb_addr(4, s->dst, b + 16);
	if (s->ipopt_len) {
		b[20] = 68; /* timestamp option */
		b[21] = s->ipopt_len;
		b[22] = 5;
	}
	return hl;
}

size_t pk_tb_build(const struct pk_tb *s, uint8_t *buf, size_t cap)
{
	uint8_t tmp[70000], src[16], dst[16];
	size_t hl, l4len;

	memset(tmp, 0, sizeof(tmp));
	l4len = l4_build(s, tmp);
	pk_tb_addr(s->af, s->src, src);
	pk_tb_addr(s->af, s->dst, dst);
	l4_cksum(s, src, dst, tmp, l4len);
	if (s->af == 4) {
		if (cap < 60 + l4len)
			return 0;
		hl = ip4_header(s, buf, l4len);
		pk_put16(buf + 10, pk_cksum_fold(pk_cksum_add(0, buf, hl)));
	} else {
		if (cap < 40 + l4len)
			return 0;
		hl = 40;
		memset(buf, 0, 40);
		buf[0] = 0x60;
		pk_put16(buf + 4, (uint16_t)l4len);
		buf[6] = s->proto;
		buf[7] = s->ttl ? s->ttl : 64;
		memcpy(buf + 8, src, 16);
		memcpy(buf + 24, dst, 16);
	}
	memcpy(buf + hl, tmp, l4len);
	return hl + l4len;
}

bool pk_tb_cksums_ok(const uint8_t *ip, size_t len)
{
	uint8_t af = ip[0] >> 4, proto;
	size_t hl, tot;
	uint32_t sum;
	const uint8_t *src, *dst;

	if (af == 4) {
		hl = (size_t)(ip[0] & 15) * 4;
		tot = pk_get16(ip + 2);
		if (pk_cksum_fold(pk_cksum_add(0, ip, hl)) != 0)
			return false;
		proto = ip[9], src = ip + 12, dst = ip + 16;
	} else {
		hl = 40;
		tot = 40 + (size_t)pk_get16(ip + 4);
		proto = ip[6], src = ip + 8, dst = ip + 24;
	}
	if (tot > len)
		return false;
	if (proto == 17 && af == 4 && pk_get16(ip + hl + 6) == 0)
		return true;
	if (proto != 6 && proto != 17 && proto != 1 && proto != 58)
		return true;
	sum = proto == 1 ? 0 : pk_cksum_pseudo(af, src, dst, proto, (uint32_t)(tot - hl));
	return pk_cksum_fold(pk_cksum_add(sum, ip + hl, tot - hl)) == 0;
}

size_t pk_tb_matching(const struct pk_match_pkt *m, uint8_t flags, uint8_t *buf, size_t cap)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const int af = m->af == PK_AF_INET6 ? AF_INET6 : AF_INET;

	inet_ntop(af, m->src, src, sizeof(src));
	inet_ntop(af, m->dst, dst, sizeof(dst));
	struct pk_tb s = pk_tb_defaults(af == AF_INET6 ? 6 : 4, src, dst);
	s.proto = m->proto;
	s.sport = m->sport;
	s.dport = m->dport;
	s.flags = flags;
	s.seq = 1000;
	if (m->proto == PK_PROTO_ICMP || m->proto == PK_PROTO_ICMP6) {
		s.icmp_type = (uint8_t)(m->icmp_type < 0 ? 8 : m->icmp_type);
		s.icmp_code = (uint8_t)(m->icmp_code < 0 ? 0 : m->icmp_code);
	} else if (m->proto != PK_PROTO_TCP && m->proto != PK_PROTO_UDP) {
		return 0;
	}
	return pk_tb_build(&s, buf, cap);
}
