/*
 * bench/pkb_size.c: size and speed of compiled rule sets.
 *
 * For generated ClassBench-shaped rule sets (tests/support/rulegen.c) of
 * the sizes given (default 1000 10000 100000): encode time, file bytes
 * and bytes per rule, load (verify) time (with no quick rules, where
 * linear evaluation must look at every rule, and with 30% quick), the mean number of rules the
 * decision tree examines per filter decision against linear evaluation,
 * and the time per classification. With -o DIR, writes each file there.
 *
 *   build/bench/pkb-size [-o DIR] [N...]
 *   build/bench/pkb-size --text N      the rule text of the N-rule set, on stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compiler/encode.h"
#include "compiler/print.h"
#include "tests/support/rulegen.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(uint32_t n, uint32_t quick_pct, const char *dir)
{
	struct pk_rulegen_opts o = {.seed = n, .nrules = n, .ntables = 4, .quick_pct = quick_pct};
	struct pk_ir_ruleset *ir = pk_rulegen(&o);
	struct pk_diags d;
	uint8_t *buf;
	size_t len;
	pk_diags_init(&d);
	double t0 = now();
	if (pk_encode(ir, &buf, &len, &d)) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		return 1;
	}
	double t1 = now();
	struct pk_rs *rs;
	struct pk_err err;
	if (pk_rs_load(buf, len, &rs, &err)) {
		fprintf(stderr, "load: %s at %llu\n", err.msg, (unsigned long long)err.offset);
		return 1;
	}
	double t2 = now();
	if (dir) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/gen-%u.pkb", dir, n);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	enum { NPKT = 20000 };
	struct pk_match_pkt *pk = malloc(NPKT * sizeof(*pk));
	struct pk_rng rng = {42};
	for (int i = 0; i < NPKT; i++)
		pk_rulegen_packet(ir, rs, &rng, &pk[i]);
	uint64_t tree = 0, lin = 0;
	double t3 = now();
	for (int i = 0; i < NPKT; i++) {
		struct pk_rs_result res;
		pk_rs_classify(rs, PK_PHASE_FILTER, &pk[i], &res);
		tree += res.evaluated;
	}
	double t4 = now();
	int nlin = n > 10000 ? 200 : 2000;
	for (int i = 0; i < nlin; i++) {
		struct pk_rs_result res;
		pk_rs_classify_trace(rs, PK_PHASE_FILTER, &pk[i], &res, NULL, NULL);
		lin += res.evaluated;
	}
	double t5 = now();
	printf("%7u rules %3u%% quick  %10zu bytes  %6.1f bytes/rule  encode %6.3f s  load %6.3f s  "
	       "examined %7.1f (linear %8.1f)  %7.0f ns/packet (linear %9.0f)\n",
	       n, quick_pct, len, (double)len / n, t1 - t0, t2 - t1, (double)tree / NPKT, (double)lin / nlin,
	       (t4 - t3) / NPKT * 1e9, (t5 - t4) / nlin * 1e9);
	free(pk);
	free(buf);
	pk_rs_free(rs);
	pk_rulegen_free(ir);
	pk_diags_free(&d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	int i = 1, rc = 0;
	if (argc == 3 && !strcmp(argv[1], "--text")) {
		struct pk_rulegen_opts o = {.seed = 1, .nrules = (uint32_t)strtoul(argv[2], NULL, 10), .ntables = 4};
		struct pk_ir_ruleset *ir = pk_rulegen(&o);
		pk_print_ruleset(stdout, ir, PK_PRINT_OPTIONS);
		pk_rulegen_free(ir);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		dir = argv[2];
		i = 3;
	}
	if (i == argc) {
		static const uint32_t sizes[] = {1000, 10000, 100000};
		for (size_t k = 0; k < 3; k++)
			rc |= run(sizes[k], 0, dir) | run(sizes[k], 30, NULL);
		return rc;
	}
	for (; i < argc; i++)
		rc |= run((uint32_t)strtoul(argv[i], NULL, 10), 0, dir) |
		      run((uint32_t)strtoul(argv[i], NULL, 10), 30, NULL);
	return rc;
}
