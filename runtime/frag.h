/*
 * runtime/frag.h: fragment reassembly.
 *
 * As OpenBSD's pf does by default (set reassemble yes), fragments are held
 * until their datagram is complete; the completed datagram then goes
 * through the packet path as one packet. `set limit frags` bounds the
 * fragments held; the frag timeout drops incomplete datagrams. Overlapping
 * IPv6 fragments drop the whole datagram (RFC 5722); overlapping IPv4 data
 * keeps the bytes that arrived first. Buffers are sized at creation.
 */
#ifndef PK_RUNTIME_FRAG_H
#define PK_RUNTIME_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/packet.h"

#define PK_FRAG_MAXIV 64     /* pieces per datagram */
#define PK_FRAG_MAXHDR 256   /* header bytes kept from the first fragment */
#define PK_FRAG_QUEUES 64    /* datagrams reassembled at once, at most */

struct pk_frag_queue {
	uint8_t used, af, proto, last_seen;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint32_t first_ms;
	uint32_t total;    /* payload length, known once the last fragment arrived */
	uint16_t hdr_len;  /* header bytes kept from the first fragment, 0 until it arrived */
	uint16_t nxt_off;  /* IPv6: where the fragment header's next header goes */
	uint8_t nxt;       /* IPv6: the fragment header's next header */
	uint16_t niv;
	uint16_t iv_off[PK_FRAG_MAXIV], iv_len[PK_FRAG_MAXIV];
	uint8_t hdr[PK_FRAG_MAXHDR];
	uint8_t *data;     /* 65535 bytes */
};

struct pk_frag_cache {
	struct pk_frag_queue *q;
	uint8_t *mem;
	uint32_t nq;
	uint32_t held, limit; /* fragments held, set limit frags */
};

enum pk_frag_result { PK_FRAG_HELD, PK_FRAG_DONE, PK_FRAG_DROP };

int pk_frag_init(struct pk_frag_cache *c, uint32_t limit);
void pk_frag_fini(struct pk_frag_cache *c);
/* Add the fragment p of ip. DONE: ip/len now hold the whole datagram.
 * DROP: *why says why (and the datagram's other fragments are dropped). */
enum pk_frag_result pk_frag_add(struct pk_frag_cache *c, const struct pk_pkt *p, uint8_t *ip, size_t *len,
				size_t cap, uint32_t now_ms, uint32_t timeout_s, enum pk_drop_reason *why);
/* Drop datagrams older than timeout_s; returns how many. */
uint32_t pk_frag_expire(struct pk_frag_cache *c, uint32_t now_ms, uint32_t timeout_s);

#endif
