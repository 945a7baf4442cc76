/*
 * bench/gen-trace.c: write a benchmark trace as an Ethernet pcap.
 *
 *   gen-trace -r RULES -n PACKETS [-p mix|shortflows|synflood] [-s SEED] -o OUT.pcap
 *
 * Flows are aimed at the rules of RULES (see flows.h); the same arguments
 * always give the same bytes. Prints key=value facts about the trace.
 */
#include <errno.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/flows.h"
#include "runtime/afile.h"

struct opts {
	const char *rules, *out, *profile;
	uint64_t packets, seed;
};

static int usage(void)
{
	fprintf(stderr, "usage: gen-trace -r RULES -n PACKETS [-p mix|shortflows|synflood] [-s SEED] -o OUT.pcap\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;
	*o = (struct opts){.profile = "mix", .seed = 1};
	while ((c = getopt(argc, argv, "r:n:p:s:o:")) != -1) {
		switch (c) {
		case 'r': o->rules = optarg; break;
		case 'n': o->packets = strtoull(optarg, NULL, 10); break;
		case 'p': o->profile = optarg; break;
		case 's': o->seed = strtoull(optarg, NULL, 10); break;
		case 'o': o->out = optarg; break;
		default: return -1;
		}
	}
	return o->rules && o->out && o->packets ? 0 : -1;
}

/* Capture time: exponential gaps with the profile's mean, from a fixed epoch. */
static void advance(struct bench_rng *r, double gap_us, uint64_t *t_us)
{
	*t_us += 1 + (uint64_t)(-log(1.0 - bench_rng_unit(r)) * gap_us);
}

/* pcap_dump_close closes its FILE, so it gets a copy of the output's
 * descriptor: the output is still synced and put in place afterwards. */
static int write_trace(const struct opts *o, struct bench_flowgen *g, const struct pk_afile *out, uint64_t *bytes)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	int fd = dup(out->fd);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	pcap_dumper_t *d = dead && f ? pcap_dump_fopen(dead, f) : NULL;
	if (!d) {
		fprintf(stderr, "gen-trace: %s: %s\n", o->out, dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		if (dead)
			pcap_close(dead);
		return -1;
	}
	static uint8_t frame[2048];
	struct bench_rng clock;
	bench_rng_seed(&clock, o->seed ^ 0x5eedull);
	uint64_t t_us = 1700000000ull * 1000000ull;
	for (uint64_t i = 0; i < o->packets; i++) {
		struct bench_build b;
		bench_flowgen_next(g, &b);
		const size_t len = bench_build(frame, sizeof frame, &b);
		advance(&clock, g->prof->gap_us, &t_us);
		struct pcap_pkthdr h = {.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len};
		h.ts.tv_sec = (time_t)(t_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(t_us % 1000000);
		pcap_dump((u_char *)d, &h, frame);
		*bytes += len;
	}
	const int rc = pcap_dump_flush(d);
	pcap_dump_close(d);
	pcap_close(dead);
	if (rc)
		fprintf(stderr, "gen-trace: %s: write failed: %s\n", o->out, strerror(errno));
	return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o) < 0)
		return usage();
	const struct bench_profile *prof = bench_profile_find(o.profile);
	if (!prof) {
		fprintf(stderr, "gen-trace: unknown profile '%s': use mix, shortflows or synflood\n", o.profile);
		return 2;
	}
	struct bench_ruleset rs;
	char msg[512];
	if (bench_rules_load(o.rules, &rs, msg, sizeof msg) < 0) {
		fprintf(stderr, "gen-trace: %s\n", msg);
		return 2;
	}
	struct bench_flowgen g;
	struct pk_afile out;
	uint64_t bytes = 0;
	if (pk_afile_open(&out, o.out, 0644) < 0) {
		fprintf(stderr, "gen-trace: %s: %s\n", o.out, strerror(errno));
		return 1;
	}
	int rc = bench_flowgen_init(&g, prof, &rs, o.seed) < 0 || write_trace(&o, &g, &out, &bytes) < 0;
	if (!rc && pk_afile_commit(&out) < 0) {
		fprintf(stderr, "gen-trace: %s: %s\n", o.out, strerror(errno));
		rc = 1;
	}
	if (rc)
		pk_afile_abort(&out);
	else
		printf("packets=%llu bytes=%llu flows=%llu aimed=%llu tcp=%llu udp=%llu icmp=%llu flood_syns=%llu "
		       "rules=%zu unsupported=%zu\n",
		       (unsigned long long)o.packets, (unsigned long long)bytes, (unsigned long long)g.flows,
		       (unsigned long long)g.aimed, (unsigned long long)g.proto_count[0],
		       (unsigned long long)g.proto_count[1], (unsigned long long)g.proto_count[2],
		       (unsigned long long)g.flood_syns, rs.n, rs.unsupported);
	bench_flowgen_free(&g);
	bench_rules_free(&rs);
	return rc;
}
