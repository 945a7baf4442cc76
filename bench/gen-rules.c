/*
 * bench/gen-rules.c: the benchmark's rule sets, as rule files.
 *
 *   gen-rules -n RULES [-s SEED] [-q QUICK_PERCENT] -o OUT.conf
 *
 * The test suite's seeded ClassBench-style generator (tests/support/rulegen.h)
 * printed by the printer, with its topology. No tables and no legacy
 * nat/rdr/scrub rules, so the baselines (bench/rules.h) can state every
 * rule too. Written to a temporary file and renamed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/print.h"
#include "tests/support/rulegen.h"

int main(int argc, char **argv)
{
	struct pk_rulegen_opts o = {.seed = 1, .quick_pct = 30};
	const char *out = NULL;
	int c;
	while ((c = getopt(argc, argv, "n:s:q:o:")) != -1) {
		switch (c) {
		case 'n': o.nrules = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': o.seed = strtoull(optarg, NULL, 10); break;
		case 'q': o.quick_pct = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	if (!out || !o.nrules) {
		fprintf(stderr, "usage: gen-rules -n RULES [-s SEED] [-q QUICK_PERCENT] -o OUT.conf\n");
		return 2;
	}
	struct pk_ir_ruleset *rs = pk_rulegen(&o);
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", out, (int)getpid());
	FILE *f = rs ? fopen(tmp, "w") : NULL;
	if (!f) {
		fprintf(stderr, "gen-rules: %s: %s\n", rs ? tmp : "rule generation", rs ? strerror(errno) : "out of memory");
		pk_rulegen_free(rs);
		return 1;
	}
	pk_print_ruleset(f, rs, PK_PRINT_OPTIONS);
	const int bad = ferror(f) | fclose(f);
	pk_rulegen_free(rs);
	if (bad || rename(tmp, out) < 0) {
		fprintf(stderr, "gen-rules: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	return 0;
}
