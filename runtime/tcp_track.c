/*
 * runtime/tcp_track.c: pf's TCP sequence-window tracking.
 *
 * Behaviour follows OpenBSD pf.c: pf_create_state for the first packet,
 * pf_tcp_track_full and pf_tcp_track_sloppy for the rest. Sequence numbers
 * compare with tcp_track.h's SEQ_* macros.
 */
#include "runtime/tcp_track.h"

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/wire.h"

#define MAXACKWINDOW (0xffff + 1500) /* pf: one window plus a fudge factor */
#define TCP_MAXWIN 65535

static uint8_t get_wscale(const struct pk_pkt *p)
{
	return p->opt.wscale == PK_WSCALE_NONE ? 0 : (uint8_t)(PK_WSCALE_FLAG | p->opt.wscale);
}

static void patch_seq(uint8_t *ip, const struct pk_pkt *p, int field, uint32_t v)
{
	pk_patch32(ip + p->l4_off + field, v, ip + p->l4_off + PK_TCP_OFF_SUM);
}

enum pk_timeout pk_tcp_init(struct pk_state *s, const struct pk_pkt *p, uint8_t *ip, uint32_t seqdiff)
{
	uint32_t win = p->win;

	s->src.seqlo = p->seq;
	s->src.seqhi = p->seq + p->p_len + 1;
	if ((p->th_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN && seqdiff)
		patch_seq(ip, p, PK_TCP_OFF_SEQ, p->seq + seqdiff);
	if (p->th_flags & PK_TH_SYN) {
		s->src.seqhi++;
		s->src.wscale = get_wscale(p);
	}
	if (win == 0)
		win = 1;
	if (s->src.wscale & PK_WSCALE_MASK) /* remove the scale factor from the initial window */
		win = (win + (1u << (s->src.wscale & PK_WSCALE_MASK)) - 1) >> (s->src.wscale & PK_WSCALE_MASK);
	s->src.max_win = (uint16_t)win;
	if (p->th_flags & PK_TH_FIN)
		s->src.seqhi++;
	s->dst.seqhi = 1;
	s->dst.max_win = 1;
	s->src.state = PK_TCPS_SYN_SENT;
	s->dst.state = PK_TCPS_CLOSED;
	return PK_TMO_TCP_FIRST;
}

enum pk_timeout pk_tcp_timeout(const struct pk_peer *src, const struct pk_peer *dst)
{
	if (src->state >= PK_TCPS_FIN_WAIT_2 && dst->state >= PK_TCPS_FIN_WAIT_2)
		return PK_TMO_TCP_CLOSED;
	if (src->state >= PK_TCPS_CLOSING && dst->state >= PK_TCPS_CLOSING)
		return PK_TMO_TCP_FINWAIT;
	if (src->state < PK_TCPS_ESTABLISHED || dst->state < PK_TCPS_ESTABLISHED)
		return PK_TMO_TCP_OPENING;
	if (src->state >= PK_TCPS_CLOSING || dst->state >= PK_TCPS_CLOSING)
		return PK_TMO_TCP_CLOSING;
	return PK_TMO_TCP_ESTABLISHED;
}

/* Where the packet's sequence space ends, and what it acknowledges in the
 * other peer's (unmodulated) space. */
struct seqs {
	uint32_t seq, orig_seq, ack, end, data_end;
	uint32_t win;
	uint8_t sws, dws;
};

/* Modulate state's offsets applied to the packet: its sequence number
 * moves into the modulated space, its ack back out of the peer's. */
static void modulate(uint8_t *ip, const struct pk_pkt *p, struct pk_tcp_io *io, struct seqs *q)
{
	q->ack = p->ack - io->seqdiff[1];
	patch_seq(ip, p, PK_TCP_OFF_SEQ, p->seq + io->seqdiff[0]);
	patch_seq(ip, p, PK_TCP_OFF_ACK, q->ack);
	io->rewrote = true;
}

/* The first packet seen from this peer (the SYN|ACK of the responder, or
 * the creator's SYN retransmitted after a mismatch reset). */
static void first_packet(struct pk_peer *src, struct pk_peer *dst, const struct pk_pkt *p, uint8_t *ip,
			 struct pk_tcp_io *io, struct seqs *q)
{
	if (io->seqdiff[1] && !io->seqdiff[0]) { /* deferred modulator for the server */
		io->seqdiff[0] = io->rnd ? io->rnd : 1;
		modulate(ip, p, io, q);
	} else {
		q->ack = p->ack;
	}
	q->end = q->seq + p->p_len;
	if (p->th_flags & PK_TH_SYN) {
		q->end++;
		if (dst->wscale & PK_WSCALE_FLAG) {
			src->wscale = get_wscale(p);
			if (src->wscale & PK_WSCALE_FLAG) {
				q->sws = src->wscale & PK_WSCALE_MASK;
				q->win = (q->win + (1u << q->sws) - 1) >> q->sws;
				q->dws = dst->wscale & PK_WSCALE_MASK;
			} else {
				uint32_t w = (uint32_t)dst->max_win << (dst->wscale & PK_WSCALE_MASK);

				dst->max_win = (uint16_t)(w < TCP_MAXWIN ? w : TCP_MAXWIN);
				dst->wscale = 0;
			}
		}
	}
	q->data_end = q->end;
	if (p->th_flags & PK_TH_FIN)
		q->end++;
	src->seqlo = q->seq;
	if (src->state < PK_TCPS_SYN_SENT)
		src->state = PK_TCPS_SYN_SENT;
	{
		uint32_t room = (uint32_t)dst->max_win << q->dws;
		uint32_t hi = q->end + (room ? room : 1);

		if (src->seqhi == 1 || SEQ_GEQ(hi, src->seqhi))
			src->seqhi = hi;
	}
	if (q->win > src->max_win)
		src->max_win = (uint16_t)q->win;
}

static void later_packet(const struct pk_pkt *p, uint8_t *ip, struct pk_tcp_io *io, struct seqs *q)
{
	if (io->seqdiff[0])
		modulate(ip, p, io, q);
	else
		q->ack = p->ack;
	q->end = q->seq + p->p_len;
	if (p->th_flags & PK_TH_SYN)
		q->end++;
	q->data_end = q->end;
	if (p->th_flags & PK_TH_FIN)
		q->end++;
}

/* pf_modulate_sack: SACK blocks name the other peer's sequence numbers,
 * which the other peer sees modulated; take its offset back out. */
static bool modulate_sack(uint8_t *ip, const struct pk_pkt *p, uint32_t seqdiff)
{
	struct pk_tcp_opt_walk w;
	uint8_t *ck = ip + p->l4_off + PK_TCP_OFF_SUM;
	bool changed = false;
	size_t i, k;
	uint8_t kind, olen;

	pk_tcp_opt_begin(p, &w);
	while (pk_tcp_opt_next(ip, &w, &i, &kind, &olen))
		for (k = 2; kind == PK_TCPOPT_SACK && k + 8 <= olen; k += 8) { /* left and right edges */
			pk_patch32(ip + i + k, pk_get32(ip + i + k) - seqdiff, ck);
			pk_patch32(ip + i + k + 4, pk_get32(ip + i + k + 4) - seqdiff, ck);
			changed = true;
		}
	return changed;
}

static void slide(struct pk_peer *src, struct pk_peer *dst, const struct seqs *q)
{
	uint32_t w = q->win << q->sws;

	if (src->max_win < q->win)
		src->max_win = (uint16_t)q->win;
	if (SEQ_GT(q->end, src->seqlo))
		src->seqlo = q->end;
	if (SEQ_GEQ(q->ack + w, dst->seqhi))
		dst->seqhi = q->ack + (w ? w : 1);
}

/* What pf_tcp_track_sloppy makes of an ACK when it sees one half of the
 * connection only. */
static void ack_half_seen(struct pk_peer *src, struct pk_peer *dst, struct pk_tcp_io *io)
{
	if (src->state == PK_TCPS_SYN_SENT && dst->state < PK_TCPS_SYN_SENT) {
		/* an ACK after the SYN establishes it */
		dst->state = src->state = PK_TCPS_ESTABLISHED;
		io->established = true;
	} else if (src->state == PK_TCPS_CLOSING && dst->state == PK_TCPS_ESTABLISHED && dst->seqlo == 0) {
		/* half-seen close: the other side's FIN is never seen */
		dst->state = PK_TCPS_CLOSING;
	}
}

/* The TCPS_* progression the packet's flags make, full or sloppy. */
static void advance(struct pk_peer *src, struct pk_peer *dst, uint8_t flags, struct pk_tcp_io *io)
{
	if ((flags & PK_TH_SYN) && src->state < PK_TCPS_SYN_SENT)
		src->state = PK_TCPS_SYN_SENT;
	if ((flags & PK_TH_FIN) && src->state < PK_TCPS_CLOSING)
		src->state = PK_TCPS_CLOSING;
	if (flags & PK_TH_ACK) {
		if (dst->state == PK_TCPS_SYN_SENT) {
			dst->state = PK_TCPS_ESTABLISHED;
			io->established = src->state == PK_TCPS_ESTABLISHED;
		} else if (dst->state == PK_TCPS_CLOSING) {
			dst->state = PK_TCPS_FIN_WAIT_2;
		} else if (io->sloppy) {
			ack_half_seen(src, dst, io);
		}
	}
	if (flags & PK_TH_RST)
		src->state = dst->state = PK_TCPS_TIME_WAIT;
}

static bool in_window(const struct pk_peer *src, const struct pk_peer *dst, const struct pk_pkt *p,
		      const struct pk_tcp_io *io, const struct seqs *q)
{
	int32_t ackskew = (int32_t)(dst->seqlo - q->ack);

	return SEQ_GEQ(src->seqhi, q->data_end) &&
	       SEQ_GEQ(q->seq, src->seqlo - ((uint32_t)dst->max_win << q->dws)) && ackskew >= -MAXACKWINDOW &&
	       ackskew <= (MAXACKWINDOW << q->sws) &&
	       /* an exact or +-1 sequence number on a RST when reassembly lets pf be sure */
	       (!(p->th_flags & PK_TH_RST) || q->orig_seq == src->seqlo || q->orig_seq == src->seqlo + 1 ||
		q->orig_seq + 1 == src->seqlo || !io->reassembled);
}

/* Half-open or closing connections get a window's grace either way: shotgun
 * SYNs, connections picked up mid-stream, stray FIN|ACKs after close. */
static bool loose_window(const struct pk_peer *src, const struct pk_peer *dst, const struct seqs *q)
{
	return (dst->state < PK_TCPS_SYN_SENT || dst->state >= PK_TCPS_FIN_WAIT_2 ||
		src->state >= PK_TCPS_FIN_WAIT_2) &&
	       SEQ_GEQ(src->seqhi + MAXACKWINDOW, q->data_end) && SEQ_GEQ(q->seq, src->seqlo - MAXACKWINDOW);
}

static enum pk_drop_reason track_full(struct pk_peer *src, struct pk_peer *dst, const struct pk_pkt *p,
				      uint8_t *ip, struct pk_tcp_io *io)
{
	struct seqs q = {.seq = p->seq, .orig_seq = p->seq, .win = p->win};

	if (src->wscale && dst->wscale && !(p->th_flags & PK_TH_SYN)) {
		q.sws = src->wscale & PK_WSCALE_MASK;
		q.dws = dst->wscale & PK_WSCALE_MASK;
	}
	if (src->seqlo == 0)
		first_packet(src, dst, p, ip, io, &q);
	else
		later_packet(p, ip, io, &q);
	if (io->seqdiff[1] && p->th_off > PK_TCP_HLEN / 4 && modulate_sack(ip, p, io->seqdiff[1]))
		io->rewrote = true;
	if (!(p->th_flags & PK_TH_ACK))
		q.ack = dst->seqlo; /* let it through the ack skew check */
	else if ((q.ack == 0 && (p->th_flags & (PK_TH_ACK | PK_TH_RST)) == (PK_TH_ACK | PK_TH_RST)) ||
		 dst->state < PK_TCPS_SYN_SENT)
		q.ack = dst->seqlo; /* broken stacks do not set ack */
	if (q.seq == q.end) { /* ease sequencing restrictions on packets without data */
		q.seq = src->seqlo;
		q.data_end = q.end = q.seq;
	}
	if (in_window(src, dst, p, io, &q)) {
		slide(src, dst, &q);
		advance(src, dst, p->th_flags, io);
		io->timeout = pk_tcp_timeout(src, dst);
		return PK_REASON_NONE;
	}
	if (loose_window(src, dst, &q)) {
		/* the expiry is not refreshed here, so a flood cannot keep the state alive */
		slide(src, dst, &q);
		if ((p->th_flags & PK_TH_FIN) && src->state < PK_TCPS_CLOSING)
			src->state = PK_TCPS_CLOSING;
		if (p->th_flags & PK_TH_RST)
			src->state = dst->state = PK_TCPS_TIME_WAIT;
		io->timeout = PK_TMO_COUNT;
		return PK_REASON_NONE;
	}
	if (dst->state == PK_TCPS_SYN_SENT && src->state == PK_TCPS_SYN_SENT) {
		/* a mismatch during the handshake: RST the sender and let it start over */
		io->send_rst = !(p->th_flags & PK_TH_RST);
		src->seqlo = 0;
		src->seqhi = 1;
		src->max_win = 1;
	}
	return PK_REASON_STATE_MISMATCH;
}

enum pk_drop_reason pk_tcp_track(struct pk_peer *src, struct pk_peer *dst, const struct pk_pkt *p, uint8_t *ip,
				 struct pk_tcp_io *io)
{
	io->rewrote = false;
	io->established = false;
	io->send_rst = false;
	io->timeout = PK_TMO_COUNT;
	if (io->sloppy) { /* pf_tcp_track_sloppy: flags only */
		advance(src, dst, p->th_flags, io);
		io->timeout = pk_tcp_timeout(src, dst);
		return PK_REASON_NONE;
	}
	return track_full(src, dst, p, ip, io);
}
