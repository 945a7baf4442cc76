/*
 * runtime/pkt_memo.h: the way in's parse kept for the way out.
 *
 * A TCP or UDP packet's parse kept with the header bytes it read (all that
 * parse reads of such a packet: the IP header, extension headers and the
 * TCP header with its options, or UDP's 8 bytes), so that the same packet
 * forwarded, its TTL (hop limit) and IPv4 header checksum changed only,
 * is not parsed again: parse reads neither the checksum nor, but into ttl,
 * the TTL, so the same other bytes and length give the same parse.
 * Inline: asked on each pass of a forwarded packet, to save a parse.
 */
#ifndef PK_RUNTIME_PKT_MEMO_H
#define PK_RUNTIME_PKT_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/packet.h"
#include "runtime/wire.h"

#define PK_PKT_MEMO_HDR 128
struct pk_pkt_memo {
	struct pk_pkt p;
	size_t len;
	uint16_t hlen; /* bytes of hdr the parse read; 0: none kept */
	uint8_t hdr[PK_PKT_MEMO_HDR];
};
/* Keep p, parsed from ip[0..len) without error, when it is one of those. */
static inline void pk_pkt_memo_keep(struct pk_pkt_memo *m, const uint8_t *ip, size_t len, const struct pk_pkt *p)
{
	size_t h;

	m->hlen = 0;
	if (p->fragment || (p->proto != PK_PROTO_TCP && p->proto != PK_PROTO_UDP))
		return;
	h = (size_t)p->l4_off + (p->proto == PK_PROTO_TCP ? (size_t)p->th_off * 4 : PK_UDP_HLEN);
	if (h > sizeof(m->hdr))
		return;
	memcpy(m->hdr, ip, h);
	m->p = *p;
	m->len = len;
	m->hlen = (uint16_t)h;
}

/* True, with the kept parse in p, when ip[0..len) differs from the kept
 * packet in its TTL and IPv4 header checksum at most. */
static inline bool pk_pkt_memo_recall(const struct pk_pkt_memo *m, const uint8_t *ip, size_t len, struct pk_pkt *p)
{
	const uint8_t *k = m->hdr;
	size_t h = m->hlen;

	if (h == 0 || len != m->len)
		return false;
	if (m->p.af == PK_AF_INET6) {
		if (memcmp(ip, k, PK_IP6_OFF_HLIM) != 0 ||
		    memcmp(ip + PK_IP6_OFF_HLIM + 1, k + PK_IP6_OFF_HLIM + 1, h - PK_IP6_OFF_HLIM - 1) != 0)
			return false;
	} else if (memcmp(ip, k, PK_IP4_OFF_TTL) != 0 || ip[PK_IP4_OFF_PROTO] != k[PK_IP4_OFF_PROTO] ||
		   memcmp(ip + PK_IP4_OFF_SUM + 2, k + PK_IP4_OFF_SUM + 2, h - PK_IP4_OFF_SUM - 2) != 0) {
		return false;
	}
	*p = m->p;
	p->ttl = ip[m->p.af == PK_AF_INET6 ? PK_IP6_OFF_HLIM : PK_IP4_OFF_TTL];
	return true;
}

#endif
