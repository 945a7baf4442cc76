/*
 * runtime/pkt_memo.h: the way in's parse kept for the way out.
 *
 * A TCP or UDP packet's parse is kept with the header bytes it read (all
 * that parse reads of such a packet: the IP header, extension headers and
 * the TCP header with its options, or UDP's 8 bytes), so that the same
 * packet forwarded is not parsed again when forwarding and scrub changed
 * only what parse copies into a field of its own without judging it by
 * (IPv4's TOS, id, DF bit and TTL, IPv6's hop limit) or does not read (the
 * IPv4 header and the TCP or UDP checksums): the other bytes the same, and
 * the length, parse gives the same fields, those few read again from the
 * packet. Inline: asked on each pass of a forwarded packet, to save a parse.
 */
#ifndef PK_RUNTIME_PKT_MEMO_H
#define PK_RUNTIME_PKT_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/packet.h"
#include "runtime/wire.h"

#define PK_PKT_MEMO_HDR 128 /* IPv4's and TCP's headers with options at their longest: 120 */
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
 * packet in those bytes at most. They are copied from ip into the kept
 * bytes first (no parse depends on them), for one comparison of the whole. */
static inline bool pk_pkt_memo_recall(struct pk_pkt_memo *m, const uint8_t *ip, size_t len, struct pk_pkt *p)
{
	uint8_t *k = m->hdr;
	size_t h = m->hlen, sum = (size_t)m->p.l4_off + (m->p.proto == PK_PROTO_TCP ? PK_TCP_OFF_SUM : PK_UDP_OFF_SUM);
	bool v6 = m->p.af == PK_AF_INET6;

	if (h == 0 || len != m->len)
		return false;
	memcpy(k + sum, ip + sum, 2);
	if (v6) {
		k[PK_IP6_OFF_HLIM] = ip[PK_IP6_OFF_HLIM];
	} else {
		k[PK_IP4_OFF_TOS] = ip[PK_IP4_OFF_TOS];
		memcpy(k + PK_IP4_OFF_ID, ip + PK_IP4_OFF_ID, 2);
		k[PK_IP4_OFF_FRAG] = (uint8_t)((k[PK_IP4_OFF_FRAG] & ~(PK_IP4_DF >> 8)) | (ip[PK_IP4_OFF_FRAG] & (PK_IP4_DF >> 8)));
		k[PK_IP4_OFF_TTL] = ip[PK_IP4_OFF_TTL];
		memcpy(k + PK_IP4_OFF_SUM, ip + PK_IP4_OFF_SUM, 2);
	}
	if (memcmp(ip, k, h) != 0)
		return false;
	*p = m->p;
	if (v6) {
		p->ttl = ip[PK_IP6_OFF_HLIM];
		return true;
	}
	p->tos = ip[PK_IP4_OFF_TOS];
	p->frag_id = pk_get16(ip + PK_IP4_OFF_ID);
	p->df = (pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_DF) != 0;
	p->ttl = ip[PK_IP4_OFF_TTL];
	return true;
}

#endif
