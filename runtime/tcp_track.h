/*
 * runtime/tcp_track.h: TCP connection tracking of a state.
 *
 * pf's full tracking (pf_tcp_track_full): each peer's acceptable sequence
 * space [seqlo - max_win, seqhi], window scaling once both SYNs carried the
 * option, the loose path for half-open and closing connections, the
 * TCPS_* progression and the timeout each stage uses; sloppy tracking
 * (pf_tcp_track_sloppy) that follows flags only; and modulate state's ISN
 * translation.
 */
#ifndef PK_RUNTIME_TCP_TRACK_H
#define PK_RUNTIME_TCP_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/packet.h"
#include "runtime/state.h"

/* Sequence numbers compare modulo 2^32 (netinet/tcp_seq.h's SEQ_*). */
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)

/* Fill the peers of a new state from the packet that created it
 * (pf_create_state): the creator's window, its scale when a SYN, SYN_SENT
 * against CLOSED. With seqdiff != 0 (modulate) a SYN's sequence number is
 * rewritten in ip (the caller keeps seqdiff as the creator's offset).
 * Returns the timeout to start with (tcp.first). */
enum pk_timeout pk_tcp_init(struct pk_state *s, const struct pk_pkt *p, uint8_t *ip, uint32_t seqdiff);

struct pk_tcp_io {
	bool sloppy;
	bool reassembled;  /* the packet was reassembled from fragments */
	uint32_t rnd;      /* a random ISN offset, used when a modulated server's first packet is seen */
	uint32_t seqdiff[2]; /* in/out: what modulation adds to the seq of src [0] and dst [1], 0 = none */
	/* out */
	enum pk_timeout timeout;
	bool rewrote;      /* sequence numbers were modulated */
	bool established;  /* this packet completed the handshake */
	bool send_rst;     /* a mismatch during the handshake: pf answers with a RST */
};

/* Track p sent by peer src to peer dst. PK_REASON_NONE to pass, or
 * PK_REASON_STATE_MISMATCH when it falls outside the windows. */
enum pk_drop_reason pk_tcp_track(struct pk_peer *src, struct pk_peer *dst, const struct pk_pkt *p, uint8_t *ip,
				 struct pk_tcp_io *io);

/* A new SYN on a state both peers have closed: pf purges the state and
 * evaluates the rules again (port reuse). Inline: asked on each TCP look-up. */
static inline bool pk_tcp_reopens(const struct pk_peer *src, const struct pk_peer *dst, const struct pk_pkt *p)
{
	return src->state >= PK_TCPS_FIN_WAIT_2 && dst->state >= PK_TCPS_FIN_WAIT_2 &&
	       (p->th_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN;
}

/* The timeout pf gives a state whose peers are in these states. */
enum pk_timeout pk_tcp_timeout(const struct pk_peer *src, const struct pk_peer *dst);

#endif
