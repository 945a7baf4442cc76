/*
 * bench/rules.h: the generated rule files, as the baselines see them.
 *
 * The benchmark's own reading of the subset of the rule language the rule
 * generator prints (pass/block, in/out, quick, on IF, inet/inet6, proto,
 * from/to prefixes, ranges and ports, `all`, icmp-type/code, flags, `{ }`
 * lists expanded as pfctl expands them). It feeds the trace generator
 * (what to aim at), the naive linear baseline and the BPF expression. It
 * is not picket's parser: the benchmark must not depend on the code it
 * measures. Lines that are not pass/block rules (set, table, interface,
 * route, match, nat, macros) are counted and skipped. Rules that need what
 * a stateless baseline lacks (tables, tags, no-route, urpf-failed,
 * probability, macros) are kept but never match (counted as unsupported);
 * interfaces are ignored and every packet is taken as inbound.
 */
#ifndef BENCH_RULES_H
#define BENCH_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bench_action { BENCH_PASS, BENCH_BLOCK };
enum bench_dir { BENCH_DIR_ANY, BENCH_DIR_IN, BENCH_DIR_OUT };

/* An IPv4 prefix or range as an inclusive interval, optionally negated.
 * `any` is the whole space with len 0 and range false. */
struct bench_addr {
	uint32_t lo, hi; /* host order */
	uint8_t len;
	bool neg, range;
};

/* Every pf port operator reduces to an inclusive range, optionally negated. */
struct bench_port {
	uint16_t lo, hi;
	bool neg, set;
};

struct bench_rule {
	uint32_t line;
	uint8_t action, dir, af, proto; /* af 0/4/6, proto 0 = any */
	bool quick, supported;
	uint8_t flags, flagmask;       /* TCP flags F/M: (flags & M) == F; 0/0 = any */
	int16_t icmp_type, icmp_code;  /* -1 = any */
	struct bench_addr src, dst;
	struct bench_port sport, dport;
};

struct bench_ruleset {
	struct bench_rule *rules;
	size_t n, cap;
	size_t skipped_lines; /* options, tables, macros: not rules */
	size_t unsupported;   /* rules the baselines treat as never matching */
};

/* Read path; 0 on success, -1 with msg filled (file:line: what). */
int bench_rules_load(const char *path, struct bench_ruleset *rs, char *msg, size_t msglen);
void bench_rules_free(struct bench_ruleset *rs);

/* The parsed IPv4 header fields a rule looks at. */
struct bench_tuple {
	uint32_t src, dst; /* host order */
	uint16_t sport, dport;
	uint8_t proto, dir, tcp_flags;
	int16_t icmp_type, icmp_code;
};

bool bench_addr_any(const struct bench_addr *a);
bool bench_rule_matches(const struct bench_rule *r, const struct bench_tuple *t);

/* pf's decision by the plain scan: the last matching rule, unless a matching
 * rule is quick. Returns the rule index or -1 (no match: pf passes). */
long bench_rules_decide(const struct bench_ruleset *rs, const struct bench_tuple *t);

#endif
