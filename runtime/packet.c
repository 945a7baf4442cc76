/*
 * runtime/packet.c: IPv4/IPv6 and upper-layer header parsing.
 *
 * The checks and the reasons they give follow pf's pf_setup_pdesc and
 * pf_pull_hdr: a header that does not fit is "short", a TCP data offset
 * under five words or a fragment past 64 KiB is "bad-offset", malformed
 * IPv4 options or an IPv6 type 0 routing header is "ip-option".
 */
#include "runtime/packet.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/ruleset.h"

#define IP6_HDR_LIMIT 16 /* extension headers walked before giving up, as pf's PF_HDR_LIMIT */
#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_RA 148
#define PROTO_IGMP 2

enum { NXT_HOPOPTS = 0, NXT_ROUTING = 43, NXT_FRAGMENT = 44, NXT_AH = 51, NXT_DSTOPTS = 60 };

bool pk_icmp_is_error(uint8_t af, uint8_t type)
{
	if (af == PK_AF_INET6)
		return type < 128;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* pf_icmp_mapping's pairs: {type, virtual type}; the reply is the type
 * that differs from its virtual type. */
static const uint8_t icmp4_pairs[][2] = {
	{8, 8}, {0, 8},     /* echo */
	{13, 13}, {14, 13}, /* timestamp */
	{15, 15}, {16, 15}, /* information */
	{17, 17}, {18, 17}, /* address mask */
	{10, 10}, {9, 10},  /* router solicitation / advertisement */
};
static const uint8_t icmp6_pairs[][2] = {
	{128, 128}, {129, 128}, /* echo */
	{133, 133}, {134, 133}, /* router solicitation / advertisement */
	{135, 135}, {136, 135}, /* neighbour solicitation / advertisement */
	{130, 130}, {131, 130}, {132, 130}, {143, 130}, /* listener query / reports */
};

uint16_t pk_icmp_virtual(uint8_t af, uint8_t type, bool *reply)
{
	const uint8_t(*pairs)[2] = af == PK_AF_INET6 ? icmp6_pairs : icmp4_pairs;
	size_t k, n = af == PK_AF_INET6 ? sizeof(icmp6_pairs) / sizeof(icmp6_pairs[0])
					   : sizeof(icmp4_pairs) / sizeof(icmp4_pairs[0]);

	*reply = false;
	for (k = 0; k < n; k++)
		if (pairs[k][0] == type) {
			*reply = type != pairs[k][1];
			return pairs[k][1];
		}
	return type;
}

/* ICMP queries carry an identifier pf keys the state on. */
static bool icmp_has_id(uint8_t af, uint8_t type)
{
	if (af == PK_AF_INET6)
		return type == 128 || type == 129;
	return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

/* Only options other than EOL/NOP count; router alert is normal on IGMP
 * (pf_walk_option accepts it there). */
static enum pk_drop_reason ipv4_options(const uint8_t *ip, size_t hl, struct pk_pkt *p)
{
	size_t i = 20;

	while (i < hl) {
		uint8_t type = ip[i], olen;

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hl)
			return PK_REASON_IP_OPTION;
		olen = ip[i + 1];
		if (olen < 2 || i + olen > hl)
			return PK_REASON_IP_OPTION;
		if (!(type == IPOPT_RA && p->proto == PROTO_IGMP))
			p->ip_options = true;
		i += olen;
	}
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_ipv4(const uint8_t *ip, size_t len, struct pk_pkt *p, bool quoted)
{
	size_t hl;
	uint16_t off;

	if (len < 20 || (ip[0] >> 4) != 4)
		return PK_REASON_SHORT;
	hl = (size_t)(ip[0] & 0x0f) * 4;
	if (hl < 20 || hl > len)
		return PK_REASON_SHORT;
	p->af = PK_AF_INET;
	p->tos = ip[1];
	p->tot_len = pk_get16(ip + 2);
	if (quoted)
		p->tot_len = (uint32_t)len;
	else if (p->tot_len < hl || p->tot_len > len)
		return PK_REASON_SHORT;
	off = pk_get16(ip + 6);
	p->frag_id = pk_get16(ip + 4);
	p->df = (off & 0x4000) != 0;
	p->more_frags = (off & 0x2000) != 0;
	p->frag_off = (uint16_t)((off & 0x1fff) * 8);
	p->fragment = p->more_frags || p->frag_off != 0;
	p->frag_first = p->frag_off == 0;
	if (p->fragment && (size_t)p->frag_off + (p->tot_len - hl) > 65535)
		return PK_REASON_BAD_OFFSET;
	p->ttl = ip[8];
	p->proto = ip[9];
	memcpy(p->src, ip + 12, 4);
	memcpy(p->dst, ip + 16, 4);
	p->l4_off = (uint16_t)hl;
	return ipv4_options(ip, hl, p);
}

static enum pk_drop_reason ipv6_fragment(const uint8_t *h, struct pk_pkt *p, size_t off, size_t nxt_off)
{
	uint16_t fo = pk_get16(h + 2);

	if (p->frag_hdr_off)
		return PK_REASON_FRAGMENT; /* pf: "IPv6 multiple fragment" */
	p->frag_hdr_off = (uint16_t)off;
	p->frag_nxt_off = (uint16_t)nxt_off;
	p->frag_off = fo & 0xfff8;
	p->more_frags = (fo & 1) != 0;
	p->frag_id = pk_get32(h + 4);
	p->fragment = p->more_frags || p->frag_off != 0;
	p->frag_first = p->frag_off == 0;
	return PK_REASON_NONE;
}

/* Walk the extension headers to the upper-layer protocol. */
static enum pk_drop_reason ipv6_exthdrs(const uint8_t *ip, struct pk_pkt *p, uint8_t nxt)
{
	size_t off = 40, nxt_off = 6;
	int n;

	for (n = 0; n < IP6_HDR_LIMIT; n++) {
		const uint8_t *h = ip + off;
		size_t hlen;
		enum pk_drop_reason r;

		if (nxt != NXT_HOPOPTS && nxt != NXT_ROUTING && nxt != NXT_FRAGMENT && nxt != NXT_AH &&
		    nxt != NXT_DSTOPTS)
			break;
		if (off + 8 > p->tot_len)
			return PK_REASON_SHORT;
		if (nxt == NXT_FRAGMENT) {
			if ((r = ipv6_fragment(h, p, off, nxt_off)) != PK_REASON_NONE)
				return r;
			hlen = 8;
		} else {
			if (nxt == NXT_ROUTING && h[2] == 0)
				return PK_REASON_IP_OPTION; /* pf drops type 0 routing headers */
			hlen = nxt == NXT_AH ? ((size_t)h[1] + 2) * 4 : ((size_t)h[1] + 1) * 8;
		}
		if (off + hlen > p->tot_len)
			return PK_REASON_SHORT;
		nxt = h[0];
		nxt_off = off;
		off += hlen;
		if (p->fragment && !p->frag_first)
			break; /* later fragments: the rest is payload */
	}
	if (n == IP6_HDR_LIMIT)
		return PK_REASON_SHORT;
	p->proto = nxt;
	p->l4_off = (uint16_t)off;
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_ipv6(const uint8_t *ip, size_t len, struct pk_pkt *p, bool quoted)
{
	uint32_t plen;

	if (len < 40 || (ip[0] >> 4) != 6)
		return PK_REASON_SHORT;
	plen = pk_get16(ip + 4);
	p->af = PK_AF_INET6;
	p->tos = (uint8_t)((pk_get16(ip) >> 4) & 0xff);
	if (quoted)
		plen = (uint32_t)len - 40;
	else if (plen == 0 || 40 + plen > len)
		return PK_REASON_SHORT; /* truncated, or a jumbogram pf does not pass */
	p->tot_len = 40 + plen;
	p->ttl = ip[7];
	memcpy(p->src, ip + 8, 16);
	memcpy(p->dst, ip + 24, 16);
	return ipv6_exthdrs(ip, p, ip[6]);
}

static void tcp_option(const uint8_t *o, uint8_t kind, uint8_t olen, struct pk_tcp_opts *t, uint16_t at)
{
	if (kind == 2 && olen == 4) {
		t->mss = pk_get16(o + 2);
		t->mss_off = (uint16_t)(at + 2);
	} else if (kind == 3 && olen == 3) {
		t->wscale = o[2] > 14 ? 14 : o[2]; /* pf clamps to TCP_MAX_WINSHIFT */
	} else if (kind == 4 && olen == 2) {
		t->sack_perm = true;
	} else if (kind == 8 && olen == 10) {
		t->ts = true;
		t->tsval = pk_get32(o + 2);
		t->tsecr = pk_get32(o + 6);
	}
}

void pk_tcp_opt_begin(const struct pk_pkt *p, struct pk_tcp_opt_walk *w)
{
	w->at = (size_t)p->l4_off + 20;
	w->end = (size_t)p->l4_off + (size_t)p->th_off * 4;
}

bool pk_tcp_opt_next(const uint8_t *ip, struct pk_tcp_opt_walk *w, size_t *at, uint8_t *kind, uint8_t *len)
{
	while (w->at < w->end && ip[w->at] == 1) /* NOP */
		w->at++;
	if (w->at >= w->end || ip[w->at] == 0 || w->at + 1 >= w->end)
		return false;
	*at = w->at;
	*kind = ip[w->at];
	*len = ip[w->at + 1];
	if (*len < 2 || w->at + *len > w->end)
		return false;
	w->at += *len;
	return true;
}

static void tcp_options(const uint8_t *ip, struct pk_pkt *p)
{
	struct pk_tcp_opt_walk w;
	size_t at;
	uint8_t kind, olen;

	p->opt.wscale = PK_WSCALE_NONE;
	pk_tcp_opt_begin(p, &w);
	while (pk_tcp_opt_next(ip, &w, &at, &kind, &olen))
		tcp_option(ip + at, kind, olen, &p->opt, (uint16_t)at);
}

static enum pk_drop_reason parse_tcp(const uint8_t *ip, struct pk_pkt *p)
{
	const uint8_t *th = ip + p->l4_off;
	size_t avail = (size_t)p->tot_len - p->l4_off;

	if (avail < 20)
		return PK_REASON_SHORT;
	p->sport = pk_get16(th);
	p->dport = pk_get16(th + 2);
	p->seq = pk_get32(th + 4);
	p->ack = pk_get32(th + 8);
	p->th_off = th[12] >> 4;
	p->th_flags = th[13];
	p->win = pk_get16(th + 14);
	if (p->th_off < 5)
		return PK_REASON_BAD_OFFSET;
	if ((size_t)p->th_off * 4 > avail || p->dport == 0)
		return PK_REASON_SHORT; /* pf_setup_pdesc: port 0 or header past the end */
	p->p_len = (uint16_t)(avail - (size_t)p->th_off * 4);
	tcp_options(ip, p);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_udp(const uint8_t *ip, struct pk_pkt *p, bool quoted)
{
	const uint8_t *uh = ip + p->l4_off;
	size_t avail = (size_t)p->tot_len - p->l4_off;
	uint16_t ulen;

	if (avail < 8)
		return PK_REASON_SHORT;
	p->sport = pk_get16(uh);
	p->dport = pk_get16(uh + 2);
	ulen = pk_get16(uh + 4);
	if (quoted || p->fragment)
		return PK_REASON_NONE; /* the length covers fragments not seen yet */
	if (p->dport == 0 || ulen < 8 || ulen > avail)
		return PK_REASON_SHORT;
	p->p_len = (uint16_t)(ulen - 8);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_icmp(const uint8_t *ip, struct pk_pkt *p)
{
	const uint8_t *ih = ip + p->l4_off;

	if ((size_t)p->tot_len - p->l4_off < 8)
		return PK_REASON_SHORT;
	p->icmp_type = ih[0];
	p->icmp_code = ih[1];
	p->icmp_error = pk_icmp_is_error(p->af, ih[0]);
	if (icmp_has_id(p->af, ih[0])) {
		p->icmp_id = pk_get16(ih + 4);
		p->sport = p->dport = p->icmp_id;
	}
	if (p->icmp_error)
		p->inner_off = (uint16_t)(p->l4_off + 8);
	p->p_len = (uint16_t)(p->tot_len - p->l4_off - 8);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_l4(const uint8_t *ip, struct pk_pkt *p, bool quoted)
{
	bool icmp = (p->proto == PK_PROTO_ICMP && p->af == PK_AF_INET) ||
		    (p->proto == PK_PROTO_ICMP6 && p->af == PK_AF_INET6);

	if (p->fragment && !p->frag_first) {
		p->p_len = (uint16_t)(p->tot_len - p->l4_off);
		return PK_REASON_NONE;
	}
	if (quoted && p->proto == PK_PROTO_TCP) {
		if ((size_t)p->tot_len - p->l4_off < 8)
			return PK_REASON_SHORT;
		p->sport = pk_get16(ip + p->l4_off);
		p->dport = pk_get16(ip + p->l4_off + 2);
		p->seq = pk_get32(ip + p->l4_off + 4);
		return PK_REASON_NONE;
	}
	if (p->proto == PK_PROTO_TCP)
		return parse_tcp(ip, p);
	if (p->proto == PK_PROTO_UDP)
		return parse_udp(ip, p, quoted);
	if (icmp)
		return parse_icmp(ip, p);
	p->p_len = (uint16_t)(p->tot_len - p->l4_off);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse(const uint8_t *ip, size_t len, struct pk_pkt *p, bool quoted)
{
	enum pk_drop_reason r;

	memset(p, 0, sizeof(*p));
	p->icmp_type = p->icmp_code = -1;
	p->opt.wscale = PK_WSCALE_NONE;
	if (len > 65535 + 40)
		len = 65535 + 40;
	if (len < 1)
		return PK_REASON_SHORT;
	if ((ip[0] >> 4) == 6)
		r = parse_ipv6(ip, len, p, quoted);
	else
		r = parse_ipv4(ip, len, p, quoted);
	if (r != PK_REASON_NONE)
		return r;
	return parse_l4(ip, p, quoted);
}

enum pk_drop_reason pk_pkt_parse(const uint8_t *ip, size_t len, struct pk_pkt *p)
{
	return parse(ip, len, p, false);
}

enum pk_drop_reason pk_pkt_parse_quoted(const uint8_t *ip, size_t len, struct pk_pkt *p)
{
	return parse(ip, len, p, true);
}

int pk_pkt_strip_ether(const uint8_t *frame, size_t len, uint8_t *af)
{
	size_t off = 12;
	uint16_t type;

	for (;;) {
		if (off + 2 > len)
			return -1;
		type = pk_get16(frame + off);
		if (type != 0x8100 && type != 0x88a8)
			break;
		off += 4;
	}
	off += 2;
	if (type == 0x0800)
		*af = PK_AF_INET;
	else if (type == 0x86dd)
		*af = PK_AF_INET6;
	else
		return -1;
	return off < len ? (int)off : -1;
}
