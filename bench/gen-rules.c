/*
 * bench/gen-rules.c: the benchmark's rule sets, as rule files.
 *
 *   gen-rules -n RULES [-s SEED] [-q QUICK_PERCENT] [-L STATE_LIMIT] -o OUT.conf
 *
 * The test suite's seeded ClassBench-style generator (tests/support/rulegen.h)
 * printed by the printer, with its topology. No tables and no legacy
 * nat/rdr/scrub rules, so the baselines (bench/rules.h) can state every
 * rule too. Two additions fit it to whole traces: a default route (via
 * em1), so every address has an arrival and an egress interface and replies
 * meet the states their flows made; and a state limit sized for the traces
 * (default 2M), since the generator keeps pf's 100k; no catch-all
 * pass/block or quick match rules (no positive address on either side and no port or
 * ICMP type, whatever the protocol: about one rule in eight), which at
 * 10k rules put a quick `block in proto tcp all` or `from ! A to ! B`
 * among the first few dozen rules, so every packet would be decided there,
 * no state would be made and the sizes would not differ; a last `pass all`
 * (pf's default made explicit, keeping state), so the traffic no quick
 * rule stops flows through the state table as on a real firewall; no `match ... nat-to`
 * rules (translation is not what this benchmark measures); and no rule the
 * front end refuses (the generator builds IR directly and can produce
 * combinations the language rejects, such as a route-to target of another
 * address family): the text is parsed back and refused rules are dropped.
 * More rules are generated than asked for, to make up for those left out.
 * Written to a temporary file and renamed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/arena.h"
#include "compiler/frontend.h"
#include "compiler/print.h"
#include "runtime/afile.h"
#include "tests/support/rulegen.h"

/* Also: a gateway is a host (the generator leaves the interface's prefix
 * length on it, which the grammar rightly refuses), and no rule has a
 * `probability` (random matches have no stateless equivalent, and the
 * printer puts it inside `keep state (...)`, which does not parse back). */
static void fit_for_traces(struct pk_ir_ruleset *rs, uint32_t limit)
{
	struct pk_ir_route *r = pk_arena_array(rs->arena, rs->nroutes + 1, sizeof *r);
	memcpy(r, rs->routes, rs->nroutes * sizeof *r);
	r[rs->nroutes] = (struct pk_ir_route){.dst = {.af = 4, .len = 0}, .ifname = "em1"};
	for (uint32_t i = 0; i <= rs->nroutes; i++)
		if (r[i].gw.af)
			r[i].gw.len = r[i].gw.af == 4 ? 32 : 128;
	rs->routes = r;
	rs->nroutes++;
	rs->opts.limits[PK_LIMIT_STATES] = limit;
	rs->opts.limit_set[PK_LIMIT_STATES] = true;
	for (uint32_t i = 0; i < rs->nrules; i++)
		rs->rules[i].probability = 0;
}

/* A positive prefix or range narrows a rule; any, a negation or a table
 * of the generator's kind does not. */
static bool narrows(const struct pk_ir_addr *a)
{
	return (a->kind == PK_ADDR_PREFIX || a->kind == PK_ADDR_RANGE) && !a->neg;
}

static bool left_out(const struct pk_ir_rule *r)
{
	if (r->action == PK_ACT_MATCH && r->nat.kind != PK_NAT_NONE)
		return true;
	/* a quick match rule stops evaluation as a quick pass or block does */
	const bool decides = r->action == PK_ACT_PASS || r->action == PK_ACT_BLOCK || (r->action == PK_ACT_MATCH && r->quick);
	return decides && !narrows(&r->src) && !narrows(&r->dst) &&
	       r->sport.op == PK_PORT_ANY && r->dport.op == PK_PORT_ANY && r->icmp_type < 0;
}

/* Keeps the first n rules neither left out nor marked bad. */
static void keep_rules(struct pk_ir_ruleset *rs, const bool *bad, uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < rs->nrules && k < n; i++)
		if (!left_out(&rs->rules[i]) && !(bad && bad[i]))
			rs->rules[k++] = rs->rules[i];
	rs->nrules = k;
}

static uint32_t count_lines(const char *s, size_t len)
{
	uint32_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The rule file's text; line[i] is rule i's first line (1-based). */
static char *render(struct pk_ir_ruleset *rs, uint32_t *line, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (!f)
		return NULL;
	const uint32_t n = rs->nrules;
	uint32_t lines = 0;
	size_t seen = 0;
	rs->nrules = 0;
	pk_print_ruleset(f, rs, PK_PRINT_OPTIONS);
	fputs("pass all\n", f);
	rs->nrules = n;
	for (uint32_t i = 0; i < n; i++) {
		fflush(f);
		lines += count_lines(text + seen, *len - seen);
		seen = *len;
		line[i] = lines + 1;
		pk_print_rule(f, rs, &rs->rules[i]);
		fputc('\n', f);
	}
	return fclose(f) == 0 ? text : NULL;
}

/* Parse the text back; mark the rules holding an error. Returns the
 * number of errors, or -1 when the text could not be made. */
static int refused(struct pk_ir_ruleset *rs, bool *bad)
{
	uint32_t *line = malloc((rs->nrules + 1) * sizeof *line);
	size_t len = 0;
	char *text = line ? render(rs, line, &len) : NULL;
	if (!text) {
		free(line);
		return -1;
	}
	struct pk_diags d;
	struct pk_ir_ruleset *back = NULL;
	const struct pk_frontend_opts fo = {0};
	pk_diags_init(&d);
	pk_frontend_load_string("gen.conf", text, len, &fo, &d, &back);
	int errors = 0;
	for (unsigned k = 0; k < d.n; k++) {
		if (d.v[k].sev != PK_SEV_ERROR)
			continue;
		errors++;
		for (uint32_t i = rs->nrules; i-- > 0;)
			if (line[i] <= d.v[k].loc.line) {
				bad[i] = true;
				break;
			}
	}
	if (back)
		pk_ir_ruleset_free(back);
	pk_diags_free(&d);
	free(text);
	free(line);
	return errors;
}

int main(int argc, char **argv)
{
	struct pk_rulegen_opts o = {.seed = 1, .quick_pct = 30};
	const char *out = NULL;
	uint32_t limit = 2000000;
	int c;
	while ((c = getopt(argc, argv, "n:s:q:L:o:")) != -1) {
		switch (c) {
		case 'n': o.nrules = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': o.seed = strtoull(optarg, NULL, 10); break;
		case 'q': o.quick_pct = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'L': limit = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	if (!out || !o.nrules) {
		fprintf(stderr, "usage: gen-rules -n RULES [-s SEED] [-q QUICK_PERCENT] [-L STATE_LIMIT] -o OUT.conf\n");
		return 2;
	}
	const uint32_t want = o.nrules;
	o.nrules += o.nrules / 3 + 16; /* room for the rules left out */
	struct pk_ir_ruleset *rs = pk_rulegen(&o);
	struct pk_afile af;
	FILE *f = NULL;
	if (rs && pk_afile_open(&af, out, 0644) == 0 && !(f = fdopen(dup(af.fd), "w")))
		pk_afile_abort(&af);
	if (!f) {
		fprintf(stderr, "gen-rules: %s: %s\n", rs ? out : "rule generation", rs ? strerror(errno) : "out of memory");
		pk_rulegen_free(rs);
		return 1;
	}
	fit_for_traces(rs, limit);
	keep_rules(rs, NULL, UINT32_MAX);
	bool *bad = calloc(rs->nrules + 1, sizeof *bad);
	int errors = bad ? refused(rs, bad) : -1;
	keep_rules(rs, bad, want);
	free(bad);
	if (errors < 0) {
		fprintf(stderr, "gen-rules: out of memory\n");
		fclose(f);
		pk_afile_abort(&af);
		pk_rulegen_free(rs);
		return 1;
	}
	pk_print_ruleset(f, rs, PK_PRINT_OPTIONS);
	fputs("pass all\n", f);
	const int failed = ferror(f) | fclose(f);
	pk_rulegen_free(rs);
	if (failed) {
		pk_afile_abort(&af);
		fprintf(stderr, "gen-rules: %s: cannot write it\n", out);
		return 1;
	}
	if (pk_afile_commit(&af) < 0) {
		fprintf(stderr, "gen-rules: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}
