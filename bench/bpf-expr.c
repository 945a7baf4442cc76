/*
 * bench/bpf-expr.c: the rule set as a libpcap filter expression (bpf-expr.h).
 */
#include "bench/bpf-expr.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		const int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0 || b->oom)
			return;
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		char *s = realloc(b->s, b->cap * 2 + (size_t)n);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = b->cap * 2 + (size_t)n;
	}
}

/* A prefix is `net`; a range compares the address word (ip[12:4] source,
 * ip[16:4] destination), which BPF compares unsigned. */
static void addr(struct sbuf *b, const char *side, const struct bench_addr *a)
{
	const uint32_t x = a->lo;
	if (a->range)
		put(b, " and %s(ip[%d:4] >= %u and ip[%d:4] <= %u)", a->neg ? "not " : "", side[0] == 's' ? 12 : 16,
		    a->lo, side[0] == 's' ? 12 : 16, a->hi);
	else if (a->len)
		put(b, " and %s%s net %u.%u.%u.%u/%u", a->neg ? "not " : "", side, x >> 24, (x >> 16) & 255,
		    (x >> 8) & 255, x & 255, a->len);
	else if (a->neg)
		put(b, " and not ip");
}

/* flags F/M applies to TCP only; icmp-type [code] to ICMP only. */
static void extras(struct sbuf *b, const struct bench_rule *r)
{
	if (r->flagmask)
		put(b, " and (not tcp or tcp[13] & %u = %u)", r->flagmask, r->flags);
	if (r->icmp_type >= 0)
		put(b, " and icmp and icmp[0] = %d", r->icmp_type);
	if (r->icmp_code >= 0)
		put(b, " and icmp[1] = %d", r->icmp_code);
}

static void port(struct sbuf *b, const char *side, const struct bench_port *p)
{
	if (!p->set)
		return;
	if (p->lo == p->hi)
		put(b, " and %s%s port %u", p->neg ? "not " : "", side, p->lo);
	else
		put(b, " and %s%s portrange %u-%u", p->neg ? "not " : "", side, p->lo, p->hi);
}

static bool expressible(const struct bench_rule *r)
{
	return r->supported && r->af != 6 && r->dir != BENCH_DIR_OUT;
}

/* One rule's match condition, parenthesised. */
static void rule(struct sbuf *b, const struct bench_rule *r)
{
	const bool ports = r->sport.set || r->dport.set;
	if (r->proto == 6 || r->proto == 17 || r->proto == 1)
		put(b, "(%s", r->proto == 6 ? "tcp" : r->proto == 17 ? "udp" : "icmp");
	else if (r->proto)
		put(b, "(ip proto %u", r->proto);
	else
		put(b, "(%s", ports ? "(tcp or udp)" : "ip");
	addr(b, "src", &r->src);
	addr(b, "dst", &r->dst);
	port(b, "src", &r->sport);
	port(b, "dst", &r->dport);
	extras(b, r);
	put(b, ")");
}

/* pf's order as a first-match list: quick rules in order, then the rest reversed. */
static size_t first_match_order(const struct bench_ruleset *rs, const struct bench_rule **out)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].quick && expressible(&rs->rules[i]))
			out[n++] = &rs->rules[i];
	for (size_t i = rs->n; i-- > 0;)
		if (!rs->rules[i].quick && expressible(&rs->rules[i]))
			out[n++] = &rs->rules[i];
	return n;
}

/* Runs of one action: pass runs are "(A or B ...) or (REST)", block runs
 * "not (A or B ...) and (REST)"; the rest after the last run is pf's default
 * pass, which absorbs a trailing pass run. */
char *bench_bpf_expr(const struct bench_ruleset *rs, size_t *depth)
{
	const struct bench_rule **order = malloc((rs->n + 1) * sizeof *order);
	struct sbuf b = {.s = malloc(4096), .cap = 4096};
	if (!order || !b.s) {
		free(order);
		free(b.s);
		return NULL;
	}
	b.s[0] = '\0';
	size_t n = first_match_order(rs, order), open = 0, i = 0;
	while (n && order[n - 1]->action == BENCH_PASS)
		n--;
	*depth = 0;
	while (i < n) {
		const unsigned act = order[i]->action;
		put(&b, act == BENCH_PASS ? "(" : "not (");
		for (size_t k = 0; i < n && order[i]->action == act; i++, k++) {
			put(&b, k ? " or " : "");
			rule(&b, order[i]);
		}
		put(&b, i < n ? (act == BENCH_PASS ? ") or (" : ") and (") : ")");
		open += i < n;
		(*depth)++;
	}
	if (!n)
		put(&b, "ip or not ip");
	while (open--)
		put(&b, ")");
	free(order);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
