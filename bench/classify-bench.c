/*
 * bench/classify-bench.c: classification alone, no state table.
 *
 *   classify-bench RULES.pkb TRACE.pcap
 *
 * Loads the .pkb (the heap it takes is the compiled structure's memory),
 * parses the trace's IPv4 packets once into the runtime's packet fields
 * (inbound, on the interface routing the source, as replay infers it), then
 * times pk_rs_classify over them, and the plain linear reference
 * pk_rs_classify_trace on a share of them for comparison.
 */
#include <malloc.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/clock.h"
#include "bench/packet.h"
#include "runtime/ruleset.h"

static size_t heap_bytes(void)
{
	const struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static void to_match(const struct pk_rs *rs, const struct bench_hdrs *h, uint64_t i, struct pk_match_pkt *m)
{
	memset(m, 0, sizeof *m);
	m->af = PK_AF_INET;
	m->proto = h->t.proto;
	m->dir = PK_DIR_IN;
	m->tcp_flags = h->t.tcp_flags;
	m->sport = h->t.sport;
	m->dport = h->t.dport;
	for (int k = 0; k < 4; k++) {
		m->src[k] = (uint8_t)(h->t.src >> (24 - 8 * k));
		m->dst[k] = (uint8_t)(h->t.dst >> (24 - 8 * k));
	}
	m->icmp_type = h->t.icmp_type;
	m->icmp_code = h->t.icmp_code;
	m->random = (uint32_t)(i * 2654435761u);
	uint8_t gw_af, gw[16];
	uint16_t iface;
	m->iface = pk_rs_route(rs, PK_AF_INET, m->src, &iface, &gw_af, gw) ? iface
		   : pk_rs_niface(rs)						    ? 0
										    : PK_RT_NO_IFACE;
}

static struct pk_match_pkt *load_packets(const struct pk_rs *rs, const char *path, size_t *n)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p) {
		fprintf(stderr, "classify-bench: %s\n", err);
		return NULL;
	}
	size_t cap = 1 << 16;
	struct pk_match_pkt *v = malloc(cap * sizeof *v);
	struct pcap_pkthdr *h;
	const u_char *data;
	*n = 0;
	while (v && pcap_next_ex(p, &h, &data) == 1) {
		struct bench_hdrs hd;
		if (bench_parse(data, h->caplen, &hd) != 0)
			continue;
		if (*n == cap) {
			struct pk_match_pkt *nv = realloc(v, (cap *= 2) * sizeof *v);
			if (!nv)
				free(v);
			v = nv;
			if (!v)
				break;
		}
		to_match(rs, &hd, *n, &v[*n]);
		(*n)++;
	}
	pcap_close(p);
	return v;
}

/* Repeat the whole array until at least min_lookups and 0.3 s. */
static double time_fast(const struct pk_rs *rs, const struct pk_match_pkt *v, size_t n, double *evaluated)
{
	uint64_t lookups = 0, eval = 0, dt;
	const uint64_t t0 = bench_now_ns();
	do {
		for (size_t i = 0; i < n; i++) {
			struct pk_rs_result res;
			pk_rs_classify(rs, PK_PHASE_FILTER, &v[i], &res);
			eval += res.evaluated;
		}
		lookups += n;
		dt = bench_now_ns() - t0;
	} while (lookups < 2000000 || dt < 300000000ull);
	*evaluated = (double)eval / (double)lookups;
	return (double)dt / (double)lookups;
}

static double time_linear(const struct pk_rs *rs, const struct pk_match_pkt *v, size_t n, size_t *timed)
{
	const uint32_t nr = pk_rs_nrules(rs) ? pk_rs_nrules(rs) : 1;
	*timed = n < 200000000u / nr ? n : 200000000u / nr;
	if (*timed == 0)
		*timed = 1;
	const uint64_t t0 = bench_now_ns();
	for (size_t i = 0; i < *timed; i++) {
		struct pk_rs_result res;
		pk_rs_classify_trace(rs, PK_PHASE_FILTER, &v[i], &res, NULL, NULL);
	}
	return (double)(bench_now_ns() - t0) / (double)*timed;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: classify-bench RULES.pkb TRACE.pcap\n");
		return 2;
	}
	struct pk_rs *rs;
	struct pk_rs_err err;
	const size_t before = heap_bytes();
	if (pk_rs_load_file(argv[1], &rs, &err) < 0) {
		fprintf(stderr, "classify-bench: %s: byte %llu: %s\n", argv[1], (unsigned long long)err.offset, err.msg);
		return 2;
	}
	const size_t structure = heap_bytes() - before;
	size_t n, linear_timed;
	struct pk_match_pkt *v = load_packets(rs, argv[2], &n);
	if (!v || !n) {
		fprintf(stderr, "classify-bench: %s: no IPv4 packets\n", argv[2]);
		pk_rs_free(rs);
		free(v);
		return 2;
	}
	double evaluated;
	const double fast = time_fast(rs, v, n, &evaluated);
	const double linear = time_linear(rs, v, n, &linear_timed);
	printf("rules=%u packets=%zu ns_per_lookup=%.1f evaluated_per_lookup=%.1f linear_ns_per_lookup=%.1f "
	       "linear_timed=%zu structure_bytes=%zu\n",
	       pk_rs_nrules(rs), n, fast, evaluated, linear, linear_timed, structure);
	free(v);
	pk_rs_free(rs);
	return 0;
}
