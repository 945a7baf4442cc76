/*
 * bench/bpf-filter.c: the peer. libpcap's BPF filter engine running the
 * rule set's stateless equivalent (bpf-expr.h) over the trace.
 *
 *   bpf-filter [-u] [-e EXPR_OUT] RULES TRACE.pcap
 *
 * -u compiles without libpcap's optimizer, whose time and memory grow
 * steeply with the expression (10k rules: minutes and gigabytes).
 * Prints whether the expression compiled (and libpcap's error when it did
 * not), the compile time, the program's length, packets, passed and the
 * filter loop's ns/packet. Exit 0 either way: a failed compile is a result.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bpf-expr.h"
#include "bench/clock.h"

static void report_failure(const char *why, size_t len, size_t depth, uint64_t ns)
{
	char clean[512];
	snprintf(clean, sizeof clean, "%s", why);
	for (char *c = clean; *c; c++)
		if (*c == ' ' || *c == '\n' || *c == '\t')
			*c = '_';
	printf("compiled=0 expr_bytes=%zu depth=%zu compile_ns=%llu error=%s\n", len, depth, (unsigned long long)ns,
	       clean);
}

static void run_filter(pcap_t *p, const struct bpf_program *prog, size_t len, size_t depth, uint64_t cns)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, passed = 0;
	const uint64_t t0 = bench_now_ns();
	while (pcap_next_ex(p, &h, &data) == 1) {
		n++;
		passed += pcap_offline_filter(prog, h, data) != 0;
	}
	const uint64_t dt = bench_now_ns() - t0;
	printf("compiled=1 expr_bytes=%zu depth=%zu compile_ns=%llu insns=%u packets=%llu passed=%llu loop_ns=%llu "
	       "ns_per_packet=%.1f\n",
	       len, depth, (unsigned long long)cns, prog->bf_len, (unsigned long long)n, (unsigned long long)passed,
	       (unsigned long long)dt, n ? (double)dt / (double)n : 0.0);
}

static int save(const char *path, const char *expr)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(expr, f) < 0 || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *save_path = NULL;
	int c, optimize = 1;
	while ((c = getopt(argc, argv, "ue:")) != -1) {
		if (c == 'u')
			optimize = 0;
		else if (c == 'e')
			save_path = optarg;
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: bpf-filter [-u] [-e EXPR_OUT] RULES TRACE.pcap\n");
		return 2;
	}
	char err[PCAP_ERRBUF_SIZE], msg[512];
	struct bench_ruleset rs;
	if (bench_rules_load(argv[optind], &rs, msg, sizeof msg) < 0) {
		fprintf(stderr, "bpf-filter: %s\n", msg);
		return 2;
	}
	size_t depth;
	char *expr = bench_bpf_expr(&rs, &depth);
	pcap_t *p = pcap_open_offline(argv[optind + 1], err);
	int rc = 0;
	if (!expr || !p || (save_path && save(save_path, expr) < 0)) {
		fprintf(stderr, "bpf-filter: %s\n", !expr ? "out of memory" : !p ? err : "cannot save");
		rc = 2;
	} else {
		struct bpf_program prog;
		const uint64_t t0 = bench_now_ns();
		const int ok = pcap_compile(p, &prog, expr, optimize, PCAP_NETMASK_UNKNOWN) == 0;
		const uint64_t cns = bench_now_ns() - t0;
		if (ok) {
			run_filter(p, &prog, strlen(expr), depth, cns);
			pcap_freecode(&prog);
		} else {
			report_failure(pcap_geterr(p), strlen(expr), depth, cns);
		}
	}
	if (p)
		pcap_close(p);
	free(expr);
	bench_rules_free(&rs);
	return rc;
}
