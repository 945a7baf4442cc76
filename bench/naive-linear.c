/*
 * bench/naive-linear.c: the naive baseline. Read the pcap, parse the
 * headers, and decide each packet by scanning the rule array in order
 * (last match wins unless quick), with no state table.
 *
 *   naive-linear [-c MAXPACKETS] RULES TRACE.pcap
 *
 * -c stops after that many packets: the scan costs rules x packets, and the
 * per-packet figure is what is compared. Every packet is taken as inbound on the one interface. Prints packets,
 * passed, blocked, the loop's ns/packet and rules examined per packet.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench/clock.h"
#include "bench/packet.h"

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE], msg[512];
	uint64_t max = UINT64_MAX;
	int c;
	while ((c = getopt(argc, argv, "c:")) != -1) {
		if (c != 'c')
			return 2;
		max = strtoull(optarg, NULL, 10);
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: naive-linear [-c MAXPACKETS] RULES TRACE.pcap\n");
		return 2;
	}
	argv += optind - 1;
	struct bench_ruleset rs;
	if (bench_rules_load(argv[1], &rs, msg, sizeof msg) < 0) {
		fprintf(stderr, "naive-linear: %s\n", msg);
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[2], err);
	if (!p) {
		fprintf(stderr, "naive-linear: %s\n", err);
		bench_rules_free(&rs);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, passed = 0, examined = 0;
	const uint64_t t0 = bench_now_ns();
	while (n < max && pcap_next_ex(p, &h, &data) == 1) {
		struct bench_hdrs hd;
		n++;
		if (bench_parse(data, h->caplen, &hd) != 0)
			continue;
		hd.t.dir = BENCH_DIR_IN;
		const long r = bench_rules_decide(&rs, &hd.t);
		examined += (r >= 0 && rs.rules[r].quick) ? (size_t)r + 1 : rs.n;
		passed += r < 0 || rs.rules[r].action == BENCH_PASS;
	}
	const uint64_t dt = bench_now_ns() - t0;
	pcap_close(p);
	printf("packets=%llu passed=%llu blocked=%llu rules=%zu loop_ns=%llu ns_per_packet=%.1f "
	       "examined_per_packet=%.1f\n",
	       (unsigned long long)n, (unsigned long long)passed, (unsigned long long)(n - passed), rs.n,
	       (unsigned long long)dt, n ? (double)dt / (double)n : 0.0, n ? (double)examined / (double)n : 0.0);
	bench_rules_free(&rs);
	return 0;
}
