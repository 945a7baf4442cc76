/* runtime/replay_isn.c: shift captured ACKs into the engine's synproxy ISNs. */
#include "runtime/replay_isn.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/grow.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

#define ISN_MAX_FLOWS 65536u

struct pk_isn_flow {
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t af;
	bool have_eng[2], have_delta[2]; /* [0] the client's side, [1] the server's */
	uint32_t eng[2], delta[2];
};

struct seg {
	uint8_t af, flags;
	const uint8_t *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t *th; /* TCP header */
	size_t alen; /* address length */
};

static bool parse(uint8_t *ip, size_t len, struct seg *s)
{
	size_t off;
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4 && ip[PK_IP4_OFF_PROTO] == PK_PROTO_TCP &&
	    (pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_OFFMASK) == 0) {
		off = pk_ip4_hlen(ip);
		s->af = 4;
	} else if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6 && ip[PK_IP6_OFF_NXT] == PK_PROTO_TCP) {
		off = PK_IP6_HLEN;
		s->af = 6;
	} else
		return false;
	if (off < PK_IP4_HLEN || off + PK_TCP_HLEN > len)
		return false;
	s->src = ip + pk_ip_src_off(s->af == 6);
	s->dst = ip + pk_ip_dst_off(s->af == 6);
	s->alen = pk_ip_alen(s->af == 6);
	s->th = ip + off;
	s->sport = pk_get16(s->th + PK_L4_OFF_SPORT);
	s->dport = pk_get16(s->th + PK_L4_OFF_DPORT);
	s->seq = pk_get32(s->th + PK_TCP_OFF_SEQ);
	s->ack = pk_get32(s->th + PK_TCP_OFF_ACK);
	s->flags = s->th[PK_TCP_OFF_FLAGS];
	return true;
}

void pk_isn_init(struct pk_isn_map *m) { memset(m, 0, sizeof *m); }

void pk_isn_fini(struct pk_isn_map *m)
{
	free(m->v);
	memset(m, 0, sizeof *m);
}

/* The entry of the connection between client c and server s, or NULL. */
static struct pk_isn_flow *find(struct pk_isn_map *m, const struct seg *g, bool from_client)
{
	const uint8_t *c = from_client ? g->src : g->dst, *s = from_client ? g->dst : g->src;
	uint16_t cp = from_client ? g->sport : g->dport, sp = from_client ? g->dport : g->sport;
	for (size_t i = 0; i < m->n; i++) {
		struct pk_isn_flow *f = &m->v[i];
		if (f->af == g->af && f->cport == cp && f->sport == sp && !memcmp(f->client, c, g->alen) &&
		    !memcmp(f->server, s, g->alen))
			return f;
	}
	return NULL;
}

static struct pk_isn_flow *add(struct pk_isn_map *m, const struct seg *g)
{
	if (m->n == m->cap) {
		struct pk_isn_flow *nv = pk_grow(m->v, &m->cap, sizeof *nv, 16, ISN_MAX_FLOWS);
		if (!nv)
			return NULL;
		m->v = nv;
	}
	struct pk_isn_flow *f = &m->v[m->n++];
	memset(f, 0, sizeof *f);
	f->af = g->af;
	memcpy(f->client, g->dst, g->alen); /* the SYN+ACK goes to the client */
	memcpy(f->server, g->src, g->alen);
	f->cport = g->dport;
	f->sport = g->sport;
	return f;
}

void pk_isn_generated(struct pk_isn_map *m, const uint8_t *ip, size_t len)
{
	struct seg g;
	if (!parse((uint8_t *)ip, len, &g) || !(g.flags & PK_TH_SYN))
		return;
	bool to_client = (g.flags & PK_TH_ACK) != 0;
	struct pk_isn_flow *f = find(m, &g, !to_client);
	if (!f && to_client)
		f = add(m, &g);
	if (!f)
		return;
	f->eng[to_client ? 0 : 1] = g.seq;
	f->have_eng[to_client ? 0 : 1] = true;
}

bool pk_isn_align(struct pk_isn_map *m, uint8_t *ip, size_t len)
{
	struct seg g;
	if (!m->n || !parse(ip, len, &g) || !(g.flags & PK_TH_ACK))
		return false;
	struct pk_isn_flow *f = find(m, &g, true);
	int side = 0;
	if (!f) {
		f = find(m, &g, false);
		side = 1;
	}
	if (!f || !f->have_eng[side])
		return false;
	/* The first acknowledgement of the side's handshake names the ISN
	 * the captured firewall chose there. */
	if (!f->have_delta[side]) {
		bool handshake = side == 0 ? !(g.flags & PK_TH_SYN) : (g.flags & PK_TH_SYN) != 0;
		if (!handshake)
			return false;
		f->delta[side] = f->eng[side] - (g.ack - 1);
		f->have_delta[side] = true;
	}
	if (!f->delta[side])
		return false;
	pk_patch32(g.th + PK_TCP_OFF_ACK, g.ack + f->delta[side], g.th + PK_TCP_OFF_SUM);
	return true;
}
