/*
 * bench/flows.c: the flow machine (flows.h).
 */
#include "bench/flows.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { PR_TCP, PR_UDP, PR_ICMP };

struct bench_flow {
	uint32_t a, b; /* client, server */
	uint16_t ap, bp;
	uint8_t kind; /* PR_* */
	bool rst;
	uint32_t step, n; /* TCP: data packets; UDP: packets; ICMP: echo pairs */
	uint32_t seq_a, seq_b;
	uint16_t id_a, id_b;
};

/* name, tcp, udp, hit, elephant, mean_data, pool, flood, gap_us */
static const struct bench_profile profiles[] = {
	{"mix", 0.80, 0.17, 0.85, 0.04, 8, 4096, 0.0, 2.0},
	{"shortflows", 0.85, 0.15, 0.85, 0.0, 1, 64, 0.0, 2.0},
	{"synflood", 0.80, 0.17, 0.85, 0.02, 8, 256, 0.95, 1.0},
};

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a}, mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};
/* Server ports for rules that leave the destination port open. */
static const uint16_t services[] = {80, 443, 53, 22, 25, 123, 8080, 3306, 993, 5060};
static const uint8_t proto_num[] = {6, 17, 1};

const struct bench_profile *bench_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

/* A unicast address outside 0/8, 127/8 and 224/3. */
static uint32_t random_host(struct bench_rng *r)
{
	for (;;) {
		const uint32_t x = (uint32_t)bench_rng_next(r);
		const uint8_t top = (uint8_t)(x >> 24);
		if (top != 0 && top != 127 && top < 224)
			return x;
	}
}

static uint32_t draw_addr(struct bench_rng *r, const struct bench_addr *a)
{
	if (a->neg || bench_addr_any(a))
		return random_host(r);
	return a->lo + (uint32_t)bench_rng_below(r, (uint64_t)a->hi - a->lo + 1);
}

static uint16_t draw_port(struct bench_rng *r, const struct bench_port *p, uint16_t dflt)
{
	if (!p->set || (p->hi < p->lo && !p->neg))
		return dflt;
	for (int tries = 0; tries < 16; tries++) {
		const uint16_t x = p->neg ? (uint16_t)bench_rng_next(r)
					  : (uint16_t)(p->lo + bench_rng_below(r, (uint64_t)p->hi - p->lo + 1));
		if ((x >= p->lo && x <= p->hi) != p->neg)
			return x;
	}
	return dflt;
}

static bool rule_fits(const struct bench_rule *ru, uint8_t kind)
{
	if (!ru->supported || ru->af == 6)
		return false;
	if (ru->icmp_type > 0 && ru->icmp_type != 8)
		return false;
	if (ru->proto)
		return ru->proto == proto_num[kind];
	return kind != PR_ICMP || (!ru->sport.set && !ru->dport.set);
}

/* Endpoints inside a random rule that fits the protocol, or anywhere. */
static void aim(struct bench_flowgen *g, struct bench_flow *f)
{
	struct bench_rng *r = &g->rng;
	const uint16_t eph = (uint16_t)(1024 + bench_rng_below(r, 64512));
	const uint16_t svc = services[bench_rng_below(r, sizeof services / sizeof services[0])];
	if (g->rules->n && bench_rng_unit(r) < g->prof->hit) {
		for (int tries = 0; tries < 8; tries++) {
			const struct bench_rule *ru = &g->rules->rules[bench_rng_below(r, g->rules->n)];
			if (!rule_fits(ru, f->kind))
				continue;
			f->a = draw_addr(r, &ru->src);
			f->b = draw_addr(r, &ru->dst);
			f->ap = draw_port(r, &ru->sport, eph);
			f->bp = draw_port(r, &ru->dport, svc);
			g->aimed++;
			return;
		}
	}
	f->a = random_host(r);
	f->b = random_host(r);
	f->ap = eph;
	f->bp = svc;
}

/* Geometric with the given mean, at least 1. */
static uint32_t geometric(struct bench_rng *r, unsigned mean)
{
	uint32_t n = 1;
	const double p = 1.0 / (mean + 1);
	while (bench_rng_unit(r) > p && n < 10000)
		n++;
	return n;
}

static void new_flow(struct bench_flowgen *g, struct bench_flow *f)
{
	struct bench_rng *r = &g->rng;
	const double u = bench_rng_unit(r);
	memset(f, 0, sizeof *f);
	f->kind = u < g->prof->tcp ? PR_TCP : u < g->prof->tcp + g->prof->udp ? PR_UDP : PR_ICMP;
	aim(g, f);
	if (f->kind == PR_TCP) {
		const bool big = bench_rng_unit(r) < g->prof->elephant;
		f->n = big ? 50 + (uint32_t)bench_rng_below(r, 450) : geometric(r, g->prof->mean_data);
		f->rst = bench_rng_unit(r) < 0.1;
	} else if (f->kind == PR_UDP) {
		f->n = bench_rng_unit(r) < 0.1 ? 1 : 2 * geometric(r, 2);
	} else {
		f->ap = (uint16_t)bench_rng_next(r);
		f->n = 1 + (uint32_t)bench_rng_below(r, 4);
	}
	f->seq_a = (uint32_t)bench_rng_next(r);
	f->seq_b = (uint32_t)bench_rng_next(r);
	f->id_a = (uint16_t)bench_rng_next(r);
	f->id_b = (uint16_t)bench_rng_next(r);
	g->flows++;
	g->proto_count[f->kind]++;
}

static void endpoints(struct bench_flow *f, bool fwd, struct bench_build *b)
{
	b->src = fwd ? f->a : f->b;
	b->dst = fwd ? f->b : f->a;
	b->sport = fwd ? f->ap : f->bp;
	b->dport = fwd ? f->bp : f->ap;
	b->smac = fwd ? mac_a : mac_b;
	b->dmac = fwd ? mac_b : mac_a;
	b->ip_id = fwd ? f->id_a++ : f->id_b++;
}

static uint16_t data_len(struct bench_rng *r)
{
	return (uint16_t)(bench_rng_unit(r) < 0.6 ? bench_rng_below(r, 64) : 64 + bench_rng_below(r, 448));
}

/* One TCP segment from a (fwd) or b carrying len bytes; advances seq. */
static void tcp_seg(struct bench_flow *f, bool fwd, uint8_t flags, uint16_t len, struct bench_build *b)
{
	endpoints(f, fwd, b);
	b->tcp_flags = flags;
	b->payload = len;
	uint32_t *mine = fwd ? &f->seq_a : &f->seq_b;
	b->seq = *mine;
	b->ack = (flags & BENCH_TCP_ACK) ? (fwd ? f->seq_b : f->seq_a) : 0;
	*mine += len + ((flags & (BENCH_TCP_SYN | BENCH_TCP_FIN)) ? 1 : 0);
}

/* Handshake, n data segments, then FIN/ACK both ways or a reset. */
static bool tcp_step(struct bench_flowgen *g, struct bench_flow *f, struct bench_build *b)
{
	const uint32_t s = f->step++, n = f->n;
	const uint8_t ack = BENCH_TCP_ACK;
	if (s == 0)
		tcp_seg(f, true, BENCH_TCP_SYN, 0, b);
	else if (s == 1)
		tcp_seg(f, false, BENCH_TCP_SYN | ack, 0, b);
	else if (s == 2)
		tcp_seg(f, true, ack, 0, b);
	else if (s < 3 + n)
		tcp_seg(f, s == 3 || bench_rng_unit(&g->rng) < 0.3, BENCH_TCP_PSH | ack, data_len(&g->rng), b);
	else if (f->rst) {
		tcp_seg(f, bench_rng_unit(&g->rng) < 0.5, BENCH_TCP_RST | ack, 0, b);
		return false;
	} else {
		const uint32_t k = s - 3 - n;
		static const uint8_t fl[] = {BENCH_TCP_FIN | BENCH_TCP_ACK, BENCH_TCP_ACK, BENCH_TCP_FIN | BENCH_TCP_ACK,
					     BENCH_TCP_ACK};
		tcp_seg(f, k == 0 || k == 3, fl[k], 0, b);
		return k < 3;
	}
	return true;
}

static bool udp_step(struct bench_flowgen *g, struct bench_flow *f, struct bench_build *b)
{
	const uint32_t s = f->step++;
	endpoints(f, s % 2 == 0, b);
	b->payload = (uint16_t)(16 + bench_rng_below(&g->rng, 200));
	return s + 1 < f->n;
}

static bool icmp_step(struct bench_flow *f, struct bench_build *b)
{
	const uint32_t s = f->step++;
	const bool req = s % 2 == 0;
	endpoints(f, req, b);
	b->icmp_type = req ? 8 : 0;
	b->sport = f->ap;
	b->dport = (uint16_t)(s / 2);
	b->payload = 56;
	return s + 1 < 2 * f->n;
}

/* A spoofed SYN at one of the rules' servers. */
static void flood_syn(struct bench_flowgen *g, struct bench_build *b)
{
	struct bench_flow f = {.kind = PR_TCP};
	const uint64_t aimed = g->aimed;
	aim(g, &f);
	g->aimed = aimed;
	f.a = random_host(&g->rng);
	f.ap = (uint16_t)(1024 + bench_rng_below(&g->rng, 64512));
	f.seq_a = (uint32_t)bench_rng_next(&g->rng);
	tcp_seg(&f, true, BENCH_TCP_SYN, 0, b);
	g->flood_syns++;
}

int bench_flowgen_init(struct bench_flowgen *g, const struct bench_profile *prof, const struct bench_ruleset *rules,
		       uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->prof = prof;
	g->rules = rules;
	bench_rng_seed(&g->rng, seed);
	g->pool = calloc(prof->pool, sizeof *g->pool);
	if (!g->pool)
		return -1;
	for (unsigned i = 0; i < prof->pool; i++)
		new_flow(g, &g->pool[i]);
	return 0;
}

void bench_flowgen_free(struct bench_flowgen *g)
{
	free(g->pool);
	g->pool = NULL;
}

void bench_flowgen_next(struct bench_flowgen *g, struct bench_build *b)
{
	memset(b, 0, sizeof *b);
	if (g->prof->flood > 0 && bench_rng_unit(&g->rng) < g->prof->flood) {
		b->proto = 6;
		flood_syn(g, b);
		return;
	}
	struct bench_flow *f = &g->pool[bench_rng_below(&g->rng, g->prof->pool)];
	b->proto = proto_num[f->kind];
	const bool more = f->kind == PR_TCP ? tcp_step(g, f, b) : f->kind == PR_UDP ? udp_step(g, f, b) : icmp_step(f, b);
	if (!more)
		new_flow(g, f);
}
