/*
 * bench/bpf-expr.h: a rule set as one libpcap filter expression.
 *
 * The stateless equivalent of the rule set for inbound IPv4 packets: true
 * when pf's decision (last match unless quick, pass by default) is pass.
 * pf's order is first-match over the quick rules in order followed by the
 * other rules in reverse; runs of same-action rules are OR'ed flat and each
 * change of action nests once, so the expression stays shallow when actions
 * come in runs. Rules the expression cannot state (tables, IPv6, outbound
 * only) match nothing, as in the naive baseline.
 */
#ifndef BENCH_BPF_EXPR_H
#define BENCH_BPF_EXPR_H

#include <stddef.h>

#include "bench/rules.h"

/* A malloc'd NUL-terminated expression; NULL when out of memory. */
char *bench_bpf_expr(const struct bench_ruleset *rs, size_t *depth);

#endif
