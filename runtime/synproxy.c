/*
 * runtime/synproxy.c: the synproxy handshakes (pf_test_state_tcp's
 * PF_TCPS_PROXY_SRC and PF_TCPS_PROXY_DST stages).
 */
#include "runtime/synproxy.h"

#include <string.h>

#include "runtime/engine_priv.h"
#include "runtime/pktgen.h"

#define TCP_MSSDFLT 512 /* pf_get_mss's default when the SYN has no option */

/* pf_calc_mss on a 1500-byte link: at most the link's payload, at least 64. */
static uint16_t proxy_mss(const struct pk_pkt *p)
{
	uint16_t mss = p->opt.mss ? p->opt.mss : TCP_MSSDFLT;
	uint16_t link = p->af == PK_RT_AF_INET6 ? 1440 : 1460;

	if (mss > link)
		mss = link;
	return mss < 64 ? 64 : mss;
}

/* The creator's side of the state (client) and the far side (server), as
 * addresses and ports on each side of the translation. */
static void ends(const struct pk_state *s, bool server_side, const uint8_t **a, const uint8_t **b, uint16_t *pa,
		 uint16_t *pb)
{
	int c = s->dir == PK_RT_DIR_IN ? 0 : 1;
	int k = (s->dir == PK_RT_DIR_IN) == server_side ? PK_SK_STACK : PK_SK_WIRE;

	*a = s->key[k].addr[c];
	*b = s->key[k].addr[1 - c];
	*pa = s->key[k].port[c];
	*pb = s->key[k].port[1 - c];
}

static void send_tcp(struct pk_engine *e, struct pk_ctx *x, const struct pk_state *s, bool to_server, uint32_t seq,
		     uint32_t ack, uint8_t flags, uint16_t win, uint16_t mss)
{
	const uint8_t *client, *server;
	uint16_t cport, sport;
	struct pk_gen_tcp t = {.af = s->af, .seq = seq, .ack = ack, .flags = flags, .win = win, .mss = mss};
	size_t n;

	ends(s, to_server, &client, &server, &cport, &sport);
	t.src = to_server ? client : server;
	t.dst = to_server ? server : client;
	t.sport = to_server ? cport : sport;
	t.dport = to_server ? sport : cport;
	n = pk_gen_tcp(&t, e->gen, sizeof(e->gen));
	if (n)
		pk_eng_emit(e, x, e->gen, n);
}

static void hold(struct pk_ctx *x)
{
	x->v->kind = PK_V_HOLD;
	x->v->reason = PK_REASON_SYNPROXY;
}

bool pk_eng_synproxy_start(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];

	if ((x->p.th_flags & (PK_TH_SYN | PK_TH_ACK)) != PK_TH_SYN)
		return true; /* only a SYN is proxied; anything else is tracked normally */
	s->synproxy = PK_SP_PROXY_SRC;
	s->src.seqhi = pk_eng_random(e); /* the ISN the firewall gives the client */
	e->st.cold[i].sp_mss = proxy_mss(&x->p);
	send_tcp(e, x, s, false, s->src.seqhi, x->p.seq + 1, PK_TH_SYN | PK_TH_ACK, 0, e->st.cold[i].sp_mss);
	hold(x);
	return false;
}

/* PROXY_SRC: the client must complete the handshake exactly. */
static uint8_t proxy_src(struct pk_engine *e, struct pk_ctx *x, struct pk_state *s, uint32_t i)
{
	const struct pk_pkt *p = &x->p;

	if (x->dir != s->dir)
		return PK_REASON_SYNPROXY;
	if (p->th_flags & PK_TH_SYN) {
		if (p->seq != s->src.seqlo)
			return PK_REASON_SYNPROXY;
		send_tcp(e, x, s, false, s->src.seqhi, p->seq + 1, PK_TH_SYN | PK_TH_ACK, 0, e->st.cold[i].sp_mss);
		hold(x);
		return PK_REASON_NONE;
	}
	if ((p->th_flags & (PK_TH_ACK | PK_TH_RST | PK_TH_FIN)) != PK_TH_ACK || p->ack != s->src.seqhi + 1 ||
	    p->seq != s->src.seqlo + 1)
		return PK_REASON_SYNPROXY;
	s->synproxy = PK_SP_PROXY_DST;
	return PK_REASON_NONE;
}

/* PROXY_DST: open the server side, and splice once it answers. */
static uint8_t proxy_dst(struct pk_engine *e, struct pk_ctx *x, struct pk_state *s, uint32_t i)
{
	const struct pk_pkt *p = &x->p;

	if (x->dir == s->dir) {
		if ((p->th_flags & (PK_TH_SYN | PK_TH_ACK)) != PK_TH_ACK || p->ack != s->src.seqhi + 1 ||
		    p->seq != s->src.seqlo + 1)
			return PK_REASON_SYNPROXY;
		s->src.max_win = p->win ? p->win : 1;
		if (s->dst.seqhi == 1)
			s->dst.seqhi = pk_eng_random(e);
		send_tcp(e, x, s, true, s->dst.seqhi, 0, PK_TH_SYN, 0, e->st.cold[i].sp_mss);
		hold(x);
		return PK_REASON_NONE;
	}
	if ((p->th_flags & (PK_TH_SYN | PK_TH_ACK)) != (PK_TH_SYN | PK_TH_ACK) || p->ack != s->dst.seqhi + 1)
		return PK_REASON_SYNPROXY;
	s->dst.max_win = p->win ? p->win : 1;
	s->dst.seqlo = p->seq;
	send_tcp(e, x, s, true, p->ack, p->seq + 1, PK_TH_ACK, s->src.max_win, 0);
	send_tcp(e, x, s, false, s->src.seqhi + 1, s->src.seqlo + 1, PK_TH_ACK, s->dst.max_win, 0);
	s->src.seqdiff = s->dst.seqhi - s->src.seqlo;
	s->dst.seqdiff = s->src.seqhi - s->dst.seqlo;
	s->src.seqhi = s->src.seqlo + s->dst.max_win;
	s->dst.seqhi = s->dst.seqlo + s->src.max_win;
	s->src.wscale = s->dst.wscale = 0; /* pf's proxied handshakes carry no window scale */
	s->src.state = s->dst.state = PK_TCPS_ESTABLISHED;
	s->synproxy = PK_SP_NONE;
	hold(x);
	return PK_REASON_NONE;
}

uint8_t pk_eng_synproxy_state(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	uint8_t r;

	if (s->synproxy == PK_SP_PROXY_SRC) {
		r = proxy_src(e, x, s, i);
		if (r != PK_REASON_NONE || x->v->kind == PK_V_HOLD)
			return r;
	}
	return proxy_dst(e, x, s, i);
}
