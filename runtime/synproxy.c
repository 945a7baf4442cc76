/*
 * runtime/synproxy.c: the synproxy handshakes: the SYN cookie towards the
 * client (pf_syncookie_send / pf_syncookie_validate), then
 * pf_test_state_tcp's PF_TCPS_PROXY_DST stage towards the server, and the
 * window rescaling of spliced connections.
 */
#include "runtime/synproxy.h"

#include <string.h>

#include "runtime/cksum.h"
#include "runtime/engine_priv.h"
#include "runtime/pktgen.h"
#include "runtime/syncookie.h"
#include "runtime/wire.h"

#define TCP_MSSDFLT 512 /* pf_get_mss's default when the SYN has no option */

/* pf_calc_mss on a 1500-byte link: at most the link's payload, at least 64. */
static uint16_t proxy_mss(const struct pk_pkt *p)
{
	uint16_t mss = p->opt.mss ? p->opt.mss : TCP_MSSDFLT;
	uint16_t link = p->af == PK_AF_INET6 ? 1440 : 1460;

	if (mss > link)
		mss = link;
	return mss < 64 ? 64 : mss;
}

static uint64_t cookie_period(const struct pk_engine *e)
{
	return e->now_ms64 / PK_SYNCOOKIE_PERIOD_MS;
}


static void emit(struct pk_engine *e, struct pk_ctx *x, const struct pk_gen_tcp *t)
{
	size_t n = pk_gen_tcp(t, e->gen, sizeof(e->gen));

	if (n)
		pk_eng_emit(e, x, e->gen, n);
}

/* A packet of state i's connection to the server or the client, on that
 * side of any translation: the key of that side, whose index c is the
 * initiator (client). */
static void to_peer(struct pk_engine *e, struct pk_ctx *x, uint32_t i, bool server, struct pk_gen_tcp *t)
{
	const struct pk_state *s = &e->st.st[i];
	int c = s->dir == PK_DIR_IN ? 0 : 1;
	struct pk_skey k;

	pk_st_key(&e->st, i, (s->dir == PK_DIR_IN) == server ? PK_SK_STACK : PK_SK_WIRE, &k);
	t->af = s->af;
	t->src = server ? k.addr[c] : k.addr[1 - c];
	t->dst = server ? k.addr[1 - c] : k.addr[c];
	t->sport = server ? k.port[c] : k.port[1 - c];
	t->dport = server ? k.port[1 - c] : k.port[c];
	emit(e, x, t);
}

/* A packet back to the sender of the packet being handled. */
static void to_sender(struct pk_engine *e, struct pk_ctx *x, struct pk_gen_tcp *t)
{
	t->af = x->p.af;
	t->src = x->p.dst;
	t->dst = x->p.src;
	t->sport = x->p.dport;
	t->dport = x->p.sport;
	emit(e, x, t);
}

static void hold(struct pk_ctx *x)
{
	x->v->kind = PK_V_HOLD;
	x->v->reason = PK_REASON_SYNPROXY;
}

void pk_eng_synproxy_cookie(struct pk_engine *e, struct pk_ctx *x)
{
	uint16_t mss = pk_syncookie_mss(proxy_mss(&x->p));
	/* a client that offers scaling is told ours is 0: its windows reach the server unchanged */
	struct pk_gen_tcp t = {.seq = pk_syncookie_make(e->cookie_key, &x->p, mss, cookie_period(e)),
			       .ack = x->p.seq + 1, .flags = PK_TH_SYN | PK_TH_ACK, .mss = mss,
			       .wscale = x->p.opt.wscale == PK_WSCALE_NONE ? 0 : PK_WSCALE_FLAG};

	to_sender(e, x, &t);
	e->c.syncookies_sent++;
	hold(x);
}

void pk_eng_synproxy_ack(struct pk_engine *e, struct pk_ctx *x, const struct pk_decision *d)
{
	struct pk_syncookie c;
	struct pk_pkt ack = x->p;

	if (!pk_syncookie_check(e->cookie_key, &x->p, cookie_period(e), &c)) {
		e->c.syncookies_failed++;
		x->v->kind = PK_V_BLOCK;
		x->v->reason = PK_REASON_SYNPROXY;
		return;
	}
	e->c.syncookies_valid++;
	ack.seq = c.isn + 1; /* a probe stands for the ACK it follows */
	/* the state starts from the SYN the cookie stands for (pf_syncookie_recreate_syn) */
	x->p.th_flags = PK_TH_SYN;
	x->p.seq = c.isn;
	x->p.ack = 0;
	x->p.opt.mss = c.mss;
	x->p.opt.wscale = c.wscale;
	x->cookie_ack = &ack;
	x->cookie_isn = ack.ack - 1;
	pk_eng_state_create(e, x, d);
	x->p = ack;
	x->cookie_ack = NULL;
}

static uint16_t scaled(uint16_t win, uint8_t shift)
{
	uint32_t w = (uint32_t)win << shift;

	return w > 0xffff ? 0xffff : (uint16_t)w;
}

/* The server's SYN|ACK: splice. Windows are rescaled where the two sides
 * disagree: the client was told our scale is 0. */
static void splice(struct pk_engine *e, struct pk_ctx *x, struct pk_state *s, uint32_t i)
{
	const struct pk_pkt *p = &x->p;
	struct pk_state_ext *c = pk_st_ext(&e->st, i); /* taken when the state was made */
	bool client_ws = c->sp_wscale != PK_WSCALE_NONE, server_ws = p->opt.wscale != PK_WSCALE_NONE;
	uint8_t cws = client_ws ? c->sp_wscale : 0;
	uint8_t shift0 = client_ws && !server_ws ? cws : 0, shift1 = client_ws && server_ws ? p->opt.wscale : 0;
	struct pk_gen_tcp t = {.seq = p->ack, .ack = p->seq + 1, .flags = PK_TH_ACK};

	s->dst.max_win = p->win ? p->win : 1;
	s->dst.seqlo = p->seq;
	c->sp_shift = (uint8_t)((shift0 & 0x0f) | (shift1 & 0x0f) << 4);
	t.win = scaled(s->src.max_win, shift0);
	to_peer(e, x, i, true, &t);
	t = (struct pk_gen_tcp){.seq = s->src.seqhi + 1, .ack = s->src.seqlo + 1, .flags = PK_TH_ACK,
				.win = s->dst.max_win};
	to_peer(e, x, i, false, &t);
	c->seqdiff[0] = s->dst.seqhi - s->src.seqlo;
	c->seqdiff[1] = s->src.seqhi - s->dst.seqlo;
	s->src.seqhi = s->src.seqlo + s->dst.max_win;
	s->dst.seqhi = s->dst.seqlo + s->src.max_win;
	/* tracking sees the windows after rescaling: the client's in its own scale
	 * when the server scales too, the server's always in the client's view (0) */
	s->src.wscale = client_ws && server_ws ? (uint8_t)(PK_WSCALE_FLAG | cws) : 0;
	s->dst.wscale = client_ws && server_ws ? PK_WSCALE_FLAG : 0;
	s->src.state = s->dst.state = PK_TCPS_ESTABLISHED;
	s->synproxy = PK_SP_NONE;
}

/* The client's packet in PROXY_DST: its ACK of the handshake (or data
 * after it), or a probe of the zero window (syncookie.h). */
static bool client_ack(const struct pk_pkt *p, const struct pk_state *s)
{
	return (p->th_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_ACK && p->ack == s->src.seqhi + 1 &&
	       (p->seq == s->src.seqlo + 1 || (p->seq == s->src.seqlo && !p->p_len));
}

/* PROXY_DST: open the server side, and splice once it answers. */
static uint8_t proxy_dst(struct pk_engine *e, struct pk_ctx *x, struct pk_state *s, uint32_t i)
{
	const struct pk_pkt *p = &x->p;
	const struct pk_state_ext *c = pk_st_ext(&e->st, i);
	uint8_t ws = c->sp_wscale;
	struct pk_gen_tcp t = {.seq = s->dst.seqhi, .flags = PK_TH_SYN, .mss = c->sp_mss,
			       .wscale = ws == PK_WSCALE_NONE ? 0 : (uint8_t)(PK_WSCALE_FLAG | ws)};

	if (x->dir == s->dir) {
		if (!client_ack(p, s))
			return PK_REASON_SYNPROXY;
		s->src.max_win = p->win ? p->win : 1;
		to_peer(e, x, i, true, &t);
		hold(x);
		return PK_REASON_NONE;
	}
	if ((p->th_flags & (PK_TH_SYN | PK_TH_ACK)) != (PK_TH_SYN | PK_TH_ACK) || p->ack != s->dst.seqhi + 1)
		return PK_REASON_SYNPROXY;
	splice(e, x, s, i);
	hold(x);
	return PK_REASON_NONE;
}

bool pk_eng_synproxy_start(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];

	if (!x->cookie_ack)
		return true; /* only a cookie's handshake is proxied; anything else is tracked normally */
	s->synproxy = PK_SP_PROXY_DST;
	s->src.seqhi = x->cookie_isn;
	s->dst.seqhi = pk_eng_random(e); /* the ISN the firewall gives the server */
	pk_st_ext(&e->st, i)->sp_mss = x->p.opt.mss;
	pk_st_ext(&e->st, i)->sp_wscale = x->p.opt.wscale;
	x->p = *x->cookie_ack;
	proxy_dst(e, x, s, i);
	return false;
}

uint8_t pk_eng_synproxy_state(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	return proxy_dst(e, x, &e->st.st[i], i);
}

void pk_eng_synproxy_window(struct pk_ctx *x, uint8_t shift)
{
	uint8_t *th = x->ip + x->p.l4_off;
	uint16_t win = scaled(x->p.win, shift);

	if (win == x->p.win)
		return;
	pk_patch16(th + PK_TCP_OFF_WIN, win, th + PK_TCP_OFF_SUM);
	x->p.win = win;
	x->v->translated = true;
}
