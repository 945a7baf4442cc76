/* runtime/replay_isn.c: shift captured ACKs into the engine's synproxy ISNs. */
#include "runtime/replay_isn.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TH_SYN 0x02
#define TH_ACK 0x10
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

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static bool parse(uint8_t *ip, size_t len, struct seg *s)
{
	size_t off;
	if (len >= 20 && ip[0] >> 4 == 4 && ip[9] == 6 && ((ip[6] & 0x1f) | ip[7]) == 0) {
		off = (size_t)(ip[0] & 15) * 4;
		s->af = 4;
		s->src = ip + 12;
		s->dst = ip + 16;
		s->alen = 4;
	} else if (len >= 40 && ip[0] >> 4 == 6 && ip[6] == 6) {
		off = 40;
		s->af = 6;
		s->src = ip + 8;
		s->dst = ip + 24;
		s->alen = 16;
	} else
		return false;
	if (off < 20 || off + 20 > len)
		return false;
	s->th = ip + off;
	s->sport = (uint16_t)(s->th[0] << 8 | s->th[1]);
	s->dport = (uint16_t)(s->th[2] << 8 | s->th[3]);
	s->seq = rd32(s->th + 4);
	s->ack = rd32(s->th + 8);
	s->flags = s->th[13];
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
		size_t ncap = m->cap ? m->cap * 2 : 16;
		struct pk_isn_flow *nv = ncap <= ISN_MAX_FLOWS ? realloc(m->v, ncap * sizeof *nv) : NULL;
		if (!nv)
			return NULL;
		m->v = nv;
		m->cap = ncap;
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
	if (!parse((uint8_t *)ip, len, &g) || !(g.flags & TH_SYN))
		return;
	bool to_client = (g.flags & TH_ACK) != 0;
	struct pk_isn_flow *f = find(m, &g, !to_client);
	if (!f && to_client)
		f = add(m, &g);
	if (!f)
		return;
	f->eng[to_client ? 0 : 1] = g.seq;
	f->have_eng[to_client ? 0 : 1] = true;
}

/* RFC 1624 incremental checksum update for a 32-bit field. */
static void set_ack(uint8_t *th, uint32_t old, uint32_t new)
{
	uint32_t sum = (uint16_t) ~(th[16] << 8 | th[17]);
	sum += (uint16_t) ~(old >> 16) + (uint16_t) ~(old & 0xffff);
	sum += (new >> 16) + (new & 0xffff);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = (uint16_t)~sum;
	th[16] = (uint8_t)(sum >> 8);
	th[17] = (uint8_t)sum;
	th[8] = (uint8_t)(new >> 24);
	th[9] = (uint8_t)(new >> 16);
	th[10] = (uint8_t)(new >> 8);
	th[11] = (uint8_t) new;
}

void pk_isn_align(struct pk_isn_map *m, uint8_t *ip, size_t len)
{
	struct seg g;
	if (!m->n || !parse(ip, len, &g) || !(g.flags & TH_ACK))
		return;
	struct pk_isn_flow *f = find(m, &g, true);
	int side = 0;
	if (!f) {
		f = find(m, &g, false);
		side = 1;
	}
	if (!f || !f->have_eng[side])
		return;
	/* The first acknowledgement of the side's handshake names the ISN
	 * the captured firewall chose there. */
	if (!f->have_delta[side]) {
		bool handshake = side == 0 ? !(g.flags & TH_SYN) : (g.flags & TH_SYN) != 0;
		if (!handshake)
			return;
		f->delta[side] = f->eng[side] - (g.ack - 1);
		f->have_delta[side] = true;
	}
	if (f->delta[side])
		set_ack(g.th, g.ack, g.ack + f->delta[side]);
}
