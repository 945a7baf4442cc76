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
#include "runtime/wire.h"

#define IP6_HDR_LIMIT 16 /* extension headers walked before giving up, as pf's PF_HDR_LIMIT */
#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_RA 148
#define PROTO_IGMP 2

enum { NXT_HOPOPTS = 0, NXT_ROUTING = 43, NXT_FRAGMENT = 44, NXT_AH = 51, NXT_DSTOPTS = 60 };

bool pk_icmp_is_error(uint8_t af, uint8_t type)
{
	if (af == PK_AF_INET6)
		return type < PK_ICMP6_INFOMSG_MIN;
	return type == PK_ICMP_UNREACH || type == PK_ICMP_SOURCEQUENCH || type == PK_ICMP_REDIRECT ||
	       type == PK_ICMP_TIMXCEED || type == PK_ICMP_PARAMPROB;
}

/* pf_icmp_mapping's pairs: {type, virtual type}; the reply is the type
 * that differs from its virtual type. */
static const uint8_t icmp4_pairs[][2] = {
	{PK_ICMP_ECHO, PK_ICMP_ECHO},
	{PK_ICMP_ECHOREPLY, PK_ICMP_ECHO},
	{PK_ICMP_TSTAMP, PK_ICMP_TSTAMP},
	{PK_ICMP_TSTAMPREPLY, PK_ICMP_TSTAMP},
	{PK_ICMP_IREQ, PK_ICMP_IREQ},
	{PK_ICMP_IREQREPLY, PK_ICMP_IREQ},
	{PK_ICMP_MASKREQ, PK_ICMP_MASKREQ},
	{PK_ICMP_MASKREPLY, PK_ICMP_MASKREQ},
	{PK_ICMP_ROUTERSOLICIT, PK_ICMP_ROUTERSOLICIT},
	{PK_ICMP_ROUTERADVERT, PK_ICMP_ROUTERSOLICIT},
};
static const uint8_t icmp6_pairs[][2] = {
	{PK_ICMP6_ECHO_REQUEST, PK_ICMP6_ECHO_REQUEST},
	{PK_ICMP6_ECHO_REPLY, PK_ICMP6_ECHO_REQUEST},
	{PK_ND_ROUTER_SOLICIT, PK_ND_ROUTER_SOLICIT},
	{PK_ND_ROUTER_ADVERT, PK_ND_ROUTER_SOLICIT},
	{PK_ND_NEIGHBOR_SOLICIT, PK_ND_NEIGHBOR_SOLICIT},
	{PK_ND_NEIGHBOR_ADVERT, PK_ND_NEIGHBOR_SOLICIT},
	{PK_ICMP6_MLD_QUERY, PK_ICMP6_MLD_QUERY}, /* listener query and its reports */
	{PK_ICMP6_MLD_REPORT, PK_ICMP6_MLD_QUERY},
	{PK_ICMP6_MLD_DONE, PK_ICMP6_MLD_QUERY},
	{PK_ICMP6_MLDV2_REPORT, PK_ICMP6_MLD_QUERY},
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

bool pk_icmp_is_query(uint8_t af, uint8_t type)
{
	if (af == PK_AF_INET6)
		return type == PK_ICMP6_ECHO_REQUEST || type == PK_ICMP6_ECHO_REPLY;
	return type == PK_ICMP_ECHOREPLY || type == PK_ICMP_ECHO ||
	       (type >= PK_ICMP_TSTAMP && type <= PK_ICMP_MASKREPLY);
}

/* Only options other than EOL/NOP count; router alert is normal on IGMP
 * (pf_walk_option accepts it there). */
static enum pk_drop_reason ipv4_options(const uint8_t *ip, size_t hl, struct pk_pkt *p)
{
	size_t i = PK_IP4_HLEN;

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

	if (len < PK_IP4_HLEN || pk_ip_version(ip) != 4)
		return PK_REASON_SHORT;
	hl = pk_ip4_hlen(ip);
	if (hl < PK_IP4_HLEN || hl > len)
		return PK_REASON_SHORT;
	p->af = PK_AF_INET;
	p->tos = ip[PK_IP4_OFF_TOS];
	p->tot_len = pk_get16(ip + PK_IP4_OFF_LEN);
	if (quoted)
		p->tot_len = (uint32_t)len;
	else if (p->tot_len < hl || p->tot_len > len)
		return PK_REASON_SHORT;
	off = pk_get16(ip + PK_IP4_OFF_FRAG);
	p->frag_id = pk_get16(ip + PK_IP4_OFF_ID);
	p->df = (off & PK_IP4_DF) != 0;
	p->more_frags = (off & PK_IP4_MF) != 0;
	p->frag_off = (uint16_t)((off & PK_IP4_OFFMASK) * 8);
	p->fragment = p->more_frags || p->frag_off != 0;
	p->frag_first = p->frag_off == 0;
	if (p->fragment && (size_t)p->frag_off + (p->tot_len - hl) > 65535)
		return PK_REASON_BAD_OFFSET;
	p->ttl = ip[PK_IP4_OFF_TTL];
	p->proto = ip[PK_IP4_OFF_PROTO];
	memcpy(p->src, ip + PK_IP4_OFF_SRC, PK_IP4_ALEN);
	memcpy(p->dst, ip + PK_IP4_OFF_DST, PK_IP4_ALEN);
	p->l4_off = (uint16_t)hl;
	return ipv4_options(ip, hl, p);
}

static enum pk_drop_reason ipv6_fragment(const uint8_t *h, struct pk_pkt *p, size_t off, size_t nxt_off)
{
	uint16_t fo = pk_get16(h + PK_IP6_FRAG_OFF_OFFSET);

	if (p->frag_hdr_off)
		return PK_REASON_FRAGMENT; /* pf: "IPv6 multiple fragment" */
	p->frag_hdr_off = (uint16_t)off;
	p->frag_nxt_off = (uint16_t)nxt_off;
	p->frag_off = fo & 0xfff8;
	p->more_frags = (fo & 1) != 0;
	p->frag_id = pk_get32(h + PK_IP6_FRAG_OFF_ID);
	p->fragment = p->more_frags || p->frag_off != 0;
	p->frag_first = p->frag_off == 0;
	return PK_REASON_NONE;
}

/* Walk the extension headers to the upper-layer protocol. */
static enum pk_drop_reason ipv6_exthdrs(const uint8_t *ip, struct pk_pkt *p, uint8_t nxt)
{
	size_t off = PK_IP6_HLEN, nxt_off = PK_IP6_OFF_NXT;
	int n;

	for (n = 0; n < IP6_HDR_LIMIT; n++) {
		const uint8_t *h = ip + off;
		size_t hlen;
		enum pk_drop_reason r;

		if (nxt != NXT_HOPOPTS && nxt != NXT_ROUTING && nxt != NXT_FRAGMENT && nxt != NXT_AH &&
		    nxt != NXT_DSTOPTS)
			break;
		if (off + 8 > p->tot_len)
			return PK_REASON_SHORT; /* every extension header is 8 bytes at least */
		if (nxt == NXT_FRAGMENT) {
			if ((r = ipv6_fragment(h, p, off, nxt_off)) != PK_REASON_NONE)
				return r;
			hlen = PK_IP6_FRAG_LEN;
		} else {
			if (nxt == NXT_ROUTING && h[PK_IP6_RT_OFF_TYPE] == 0)
				return PK_REASON_IP_OPTION; /* pf drops type 0 routing headers */
			hlen = nxt == NXT_AH ? ((size_t)h[PK_IP6_EXT_OFF_LEN] + 2) * 4
					     : ((size_t)h[PK_IP6_EXT_OFF_LEN] + 1) * 8;
		}
		if (off + hlen > p->tot_len)
			return PK_REASON_SHORT;
		nxt = h[PK_IP6_EXT_OFF_NXT];
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

	if (len < PK_IP6_HLEN || pk_ip_version(ip) != 6)
		return PK_REASON_SHORT;
	plen = pk_get16(ip + PK_IP6_OFF_PLEN);
	p->af = PK_AF_INET6;
	p->tos = (uint8_t)((pk_get16(ip) >> 4) & 0xff); /* the traffic class, between version and flow label */
	if (quoted)
		plen = (uint32_t)len - PK_IP6_HLEN;
	else if (plen == 0 || PK_IP6_HLEN + plen > len)
		return PK_REASON_SHORT; /* truncated, or a jumbogram pf does not pass */
	p->tot_len = PK_IP6_HLEN + plen;
	p->ttl = ip[PK_IP6_OFF_HLIM];
	memcpy(p->src, ip + PK_IP6_OFF_SRC, PK_IP6_ALEN);
	memcpy(p->dst, ip + PK_IP6_OFF_DST, PK_IP6_ALEN);
	return ipv6_exthdrs(ip, p, ip[PK_IP6_OFF_NXT]);
}

static void tcp_option(const uint8_t *o, uint8_t kind, uint8_t olen, struct pk_tcp_opts *t, uint16_t at)
{
	if (kind == PK_TCPOPT_MSS && olen == 4) {
		t->mss = pk_get16(o + 2);
		t->mss_off = (uint16_t)(at + 2);
	} else if (kind == PK_TCPOPT_WSCALE && olen == 3) {
		t->wscale = o[2] > 14 ? 14 : o[2]; /* pf clamps to TCP_MAX_WINSHIFT */
	} else if (kind == PK_TCPOPT_SACK_PERM && olen == 2) {
		t->sack_perm = true;
	} else if (kind == PK_TCPOPT_TIMESTAMP && olen == 10) {
		t->ts = true;
		t->tsval = pk_get32(o + 2);
		t->tsecr = pk_get32(o + 6);
	}
}

void pk_tcp_opt_begin(const struct pk_pkt *p, struct pk_tcp_opt_walk *w)
{
	w->at = (size_t)p->l4_off + PK_TCP_HLEN;
	w->end = (size_t)p->l4_off + (size_t)p->th_off * 4;
}

bool pk_tcp_opt_next(const uint8_t *ip, struct pk_tcp_opt_walk *w, size_t *at, uint8_t *kind, uint8_t *len)
{
	while (w->at < w->end && ip[w->at] == PK_TCPOPT_NOP)
		w->at++;
	if (w->at >= w->end || ip[w->at] == PK_TCPOPT_EOL || w->at + 1 >= w->end)
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

	if (avail < PK_TCP_HLEN)
		return PK_REASON_SHORT;
	p->sport = pk_get16(th + PK_L4_OFF_SPORT);
	p->dport = pk_get16(th + PK_L4_OFF_DPORT);
	p->seq = pk_get32(th + PK_TCP_OFF_SEQ);
	p->ack = pk_get32(th + PK_TCP_OFF_ACK);
	p->th_off = th[PK_TCP_OFF_X2] >> 4;
	p->th_flags = th[PK_TCP_OFF_FLAGS];
	p->win = pk_get16(th + PK_TCP_OFF_WIN);
	if (p->th_off < PK_TCP_HLEN / 4)
		return PK_REASON_BAD_OFFSET;
	if ((size_t)p->th_off * 4 > avail || p->dport == 0)
		return PK_REASON_SHORT; /* pf_setup_pdesc: port 0 or header past the end */
	p->p_len = (uint16_t)(avail - (size_t)p->th_off * 4);
	if (p->th_off > PK_TCP_HLEN / 4) /* most segments have no options: nothing to walk */
		tcp_options(ip, p);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_udp(const uint8_t *ip, struct pk_pkt *p, bool quoted)
{
	const uint8_t *uh = ip + p->l4_off;
	size_t avail = (size_t)p->tot_len - p->l4_off;
	uint16_t ulen;

	if (avail < PK_UDP_HLEN)
		return PK_REASON_SHORT;
	p->sport = pk_get16(uh + PK_L4_OFF_SPORT);
	p->dport = pk_get16(uh + PK_L4_OFF_DPORT);
	ulen = pk_get16(uh + PK_UDP_OFF_LEN);
	if (quoted || p->fragment)
		return PK_REASON_NONE; /* the length covers fragments not seen yet */
	if (p->dport == 0 || ulen < PK_UDP_HLEN || ulen > avail)
		return PK_REASON_SHORT;
	p->p_len = (uint16_t)(ulen - PK_UDP_HLEN);
	return PK_REASON_NONE;
}

static enum pk_drop_reason parse_icmp(const uint8_t *ip, struct pk_pkt *p)
{
	const uint8_t *ih = ip + p->l4_off;

	if ((size_t)p->tot_len - p->l4_off < PK_ICMP_HLEN)
		return PK_REASON_SHORT;
	p->icmp_type = ih[PK_ICMP_OFF_TYPE];
	p->icmp_code = ih[PK_ICMP_OFF_CODE];
	p->icmp_error = pk_icmp_is_error(p->af, ih[PK_ICMP_OFF_TYPE]);
	if (pk_icmp_is_query(p->af, ih[PK_ICMP_OFF_TYPE])) {
		p->icmp_id = pk_get16(ih + PK_ICMP_OFF_ID);
		p->sport = p->dport = p->icmp_id;
	}
	if (p->icmp_error)
		p->inner_off = (uint16_t)(p->l4_off + PK_ICMP_HLEN);
	p->p_len = (uint16_t)(p->tot_len - p->l4_off - PK_ICMP_HLEN);
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
		const uint8_t *th = ip + p->l4_off;

		if ((size_t)p->tot_len - p->l4_off < 8)
			return PK_REASON_SHORT; /* an error quotes 8 bytes at least: ports and sequence number */
		p->sport = pk_get16(th + PK_L4_OFF_SPORT);
		p->dport = pk_get16(th + PK_L4_OFF_DPORT);
		p->seq = pk_get32(th + PK_TCP_OFF_SEQ);
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
	if (len > 65535 + PK_IP6_HLEN)
		len = 65535 + PK_IP6_HLEN;
	if (len < 1)
		return PK_REASON_SHORT;
	if (pk_ip_version(ip) == 6)
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
	size_t off = PK_ETH_OFF_TYPE;
	uint16_t type;

	for (;;) {
		if (off + 2 > len)
			return -1;
		type = pk_get16(frame + off);
		if (type != PK_ETHERTYPE_VLAN && type != PK_ETHERTYPE_QINQ)
			break;
		off += PK_VLAN_TAG_LEN;
	}
	off += 2;
	if (type == PK_ETHERTYPE_IP)
		*af = PK_AF_INET;
	else if (type == PK_ETHERTYPE_IPV6)
		*af = PK_AF_INET6;
	else
		return -1;
	return off < len ? (int)off : -1;
}
