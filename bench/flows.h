/*
 * bench/flows.h: the flow machine behind the benchmark traces.
 *
 * A pool of concurrent flows, each a script of packets: TCP with its
 * three-way handshake, data both ways and a FIN/ACK teardown (or a reset),
 * UDP request/response exchanges, ICMP echo pairs. Endpoints are drawn
 * inside a random rule's addresses and ports (a hit) or at random (a miss),
 * so the first packet of a flow exercises the rules and the rest the state
 * table, as on a real firewall. A profile sets the mix; the SYN flood
 * profile interleaves spoofed SYNs with the pool's legitimate flows.
 */
#ifndef BENCH_FLOWS_H
#define BENCH_FLOWS_H

#include <stdint.h>

#include "bench/packet.h"
#include "bench/rng.h"
#include "bench/rules.h"

struct bench_profile {
	const char *name;
	double tcp, udp;     /* shares of new flows; ICMP takes the rest */
	double hit;          /* share of flows aimed at a rule */
	double elephant;     /* share of TCP flows with hundreds of packets */
	unsigned mean_data;  /* mean data packets of the other TCP flows */
	unsigned pool;       /* concurrent flows */
	double flood;        /* share of packets that are spoofed SYNs */
	double gap_us;       /* mean gap between packets, capture time */
};

/* The profiles by name: mix, shortflows, synflood; NULL when unknown. */
const struct bench_profile *bench_profile_find(const char *name);

struct bench_flow;

struct bench_flowgen {
	const struct bench_profile *prof;
	const struct bench_ruleset *rules;
	struct bench_rng rng;
	struct bench_flow *pool;
	uint64_t flows, aimed, proto_count[3], flood_syns;
};

int bench_flowgen_init(struct bench_flowgen *g, const struct bench_profile *prof, const struct bench_ruleset *rules,
		       uint64_t seed);
void bench_flowgen_free(struct bench_flowgen *g);
/* The next packet of the trace, as a description for bench_build(). */
void bench_flowgen_next(struct bench_flowgen *g, struct bench_build *b);

#endif
