/*
 * bench/rules.c: reading generated rule files for the baselines (rules.h).
 *
 * A keyword-driven walk over one rule's tokens; lists in `{ }` become
 * alternatives and the rule is expanded into their product, as pfctl does.
 */
#include "bench/rules.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"

#define MAXTOK 512
#define MAXALT 64

struct toks {
	char *v[MAXTOK];
	size_t n, i;
};

/* The alternatives one rule expands into. */
struct alts {
	struct bench_addr src[MAXALT], dst[MAXALT];
	struct bench_port sport[MAXALT], dport[MAXALT];
	uint8_t proto[MAXALT];
	int16_t itype[MAXALT];
	size_t nsrc, ndst, nsport, ndport, nproto, nitype;
};

static const char *const skip_words[] = {"set", "table", "scrub", "nat", "rdr", "binat", "anchor",
					 "antispoof", "load", "altq", "queue", "match", "interface",
					 "route", "include", NULL};

static void tokenize(char *s, struct toks *t)
{
	t->n = t->i = 0;
	while (*s && t->n < MAXTOK) {
		if (isspace((unsigned char)*s) || *s == ',') {
			*s++ = '\0';
			continue;
		}
		if (*s == '#')
			break;
		t->v[t->n++] = s;
		if (*s == '"') {
			char *e = strchr(s + 1, '"');
			s = e ? e + 1 : s + strlen(s);
		} else if (*s == '{' || *s == '}' || *s == '!') {
			if (*s == '!' && s[1] == '=') {
				s += 2;
				continue;
			}
			memmove(s + 1, s, strlen(s) + 1);
			s[1] = '\0';
			s += 2;
			continue;
		} else {
			while (*s && !isspace((unsigned char)*s) && *s != ',' && *s != '{' && *s != '}')
				s++;
		}
		if (*s && !isspace((unsigned char)*s) && *s != ',') {
			memmove(s + 1, s, strlen(s) + 1);
			*s++ = '\0';
		}
	}
	t->v[t->n] = NULL;
}

static const char *peek(const struct toks *t)
{
	return t->i < t->n ? t->v[t->i] : "";
}

static const char *next(struct toks *t)
{
	return t->i < t->n ? t->v[t->i++] : "";
}

static int parse_proto(const char *w)
{
	static const struct { const char *name; int num; } tab[] = {
		{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmp6", 58}, {"ipv6-icmp", 58}, {"gre", 47},
		{"esp", 50}, {"ah", 51}, {"sctp", 132}, {NULL, 0}};
	for (size_t i = 0; tab[i].name; i++)
		if (!strcmp(w, tab[i].name))
			return tab[i].num;
	char *end;
	long v = strtol(w, &end, 10);
	return (*w && !*end && v >= 0 && v < 256) ? (int)v : -1;
}

static int parse_portnum(const char *w)
{
	char *end;
	long v = strtol(w, &end, 10);
	if (*w && !*end && v >= 0 && v <= 65535)
		return (int)v;
	const struct servent *se = getservbyname(w, NULL);
	return se ? ntohs((uint16_t)se->s_port) : -1;
}

/* One port item: [op] N [:M | >< M | <> M]. */
static int parse_port_item(struct toks *t, struct bench_port *p)
{
	static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">=", NULL};
	const char *w = next(t);
	int op = -1;
	for (int i = 0; ops[i]; i++)
		if (!strcmp(w, ops[i]))
			op = i;
	if (op >= 0)
		w = next(t);
	char buf[64];
	snprintf(buf, sizeof buf, "%s", w);
	char *colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	int a = parse_portnum(buf), b;
	if (a < 0)
		return -1;
	*p = (struct bench_port){.lo = (uint16_t)a, .hi = (uint16_t)a, .set = true};
	if (colon) {
		if ((b = parse_portnum(colon + 1)) < 0)
			return -1;
		p->hi = (uint16_t)b;
	} else if (!strcmp(peek(t), "><") || !strcmp(peek(t), "<>")) {
		bool inside = !strcmp(next(t), "><");
		if ((b = parse_portnum(next(t))) < 0)
			return -1;
		p->lo = (uint16_t)(inside ? a + 1 : a);
		p->hi = (uint16_t)(inside ? b - 1 : b);
		p->neg = !inside;
	}
	switch (op) {
	case 1: p->neg = true; break;
	case 2: p->lo = 0; p->hi = (uint16_t)(a - 1); break;
	case 3: p->lo = 0; break;
	case 4: p->lo = (uint16_t)(a + 1); p->hi = 65535; break;
	case 5: p->hi = 65535; break;
	default: break;
	}
	return 0;
}

static int parse_ipv4(const char *w, uint32_t *x)
{
	struct in_addr in;
	if (inet_pton(AF_INET, w, &in) != 1)
		return -1;
	*x = ntohl(in.s_addr);
	return 0;
}

/* 1 ok, 0 unsupported (table, interface, no-route, urpf-failed: never
 * matches here), -1 error. IPv6 sets *af to 6 (never matches IPv4). */
static int parse_addr_item(struct toks *t, struct bench_addr *a, uint8_t *af)
{
	*a = (struct bench_addr){.hi = UINT32_MAX};
	if (!strcmp(peek(t), "!")) {
		next(t);
		a->neg = true;
	}
	const char *w = next(t);
	if (!strcmp(w, "any"))
		return 1;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", w);
	char *slash = strchr(buf, '/');
	int len = 32;
	if (slash) {
		*slash = '\0';
		len = atoi(slash + 1);
	}
	if (strchr(buf, ':')) {
		*af = 6;
		if (!strcmp(peek(t), "-")) {
			next(t);
			next(t);
		}
		return 1;
	}
	if (parse_ipv4(buf, &a->lo) < 0)
		return 0;
	if (len < 0 || len > 32)
		return -1;
	*af = 4;
	if (!strcmp(peek(t), "-")) {
		next(t);
		a->range = true;
		return parse_ipv4(next(t), &a->hi) < 0 || a->hi < a->lo ? -1 : 1;
	}
	const uint32_t mask = len ? ~0u << (32 - len) : 0;
	a->len = (uint8_t)len;
	a->lo &= mask;
	a->hi = a->lo | ~mask;
	return 1;
}

/* The ICMP types by pf's names, and a few codes. */
static int parse_icmp_name(const char *w, bool code)
{
	static const struct { const char *name; int num; } types[] = {
		{"echorep", 0}, {"unreach", 3}, {"squench", 4}, {"redir", 5}, {"althost", 6}, {"echoreq", 8},
		{"routeradv", 9}, {"routersol", 10}, {"timex", 11}, {"paramprob", 12}, {"timereq", 13},
		{"timerep", 14}, {"inforeq", 15}, {"inforep", 16}, {"maskreq", 17}, {"maskrep", 18}, {NULL, 0}},
	  codes[] = {{"net-unr", 0}, {"host-unr", 1}, {"proto-unr", 2}, {"port-unr", 3}, {"needfrag", 4},
		     {"srcfail", 5}, {"transit", 0}, {"reassemb", 1}, {NULL, 0}};
	for (size_t i = 0; (code ? codes : types)[i].name; i++)
		if (!strcmp(w, (code ? codes : types)[i].name))
			return (code ? codes : types)[i].num;
	char *end;
	const long v = strtol(w, &end, 10);
	return (*w && !*end && v >= 0 && v < 256) ? (int)v : -1;
}

/* F/M with pf's letters; "any" is 0/0, a missing /M is every flag. */
static void parse_flags(const char *w, uint8_t *flags, uint8_t *mask)
{
	static const char letters[] = "FSRPAUEW";
	*flags = *mask = 0;
	if (!strcmp(w, "any"))
		return;
	uint8_t *dst = flags;
	for (; *w; w++) {
		const char *l = strchr(letters, *w);
		if (*w == '/')
			dst = mask;
		else if (l)
			*dst |= (uint8_t)(1u << (l - letters));
	}
	if (dst == flags)
		*mask = 0xff;
}

typedef int (*item_fn)(struct toks *t, void *out, size_t i, bool *ok, uint8_t *af);

static int addr_item(struct toks *t, void *out, size_t i, bool *ok, uint8_t *af)
{
	int r = parse_addr_item(t, (struct bench_addr *)out + i, af);
	if (r == 0)
		*ok = false;
	return r < 0 ? -1 : 0;
}

static int port_item(struct toks *t, void *out, size_t i, bool *ok, uint8_t *af)
{
	(void)ok;
	(void)af;
	return parse_port_item(t, (struct bench_port *)out + i);
}

static int icmp_item(struct toks *t, void *out, size_t i, bool *ok, uint8_t *af)
{
	(void)af;
	const int v = parse_icmp_name(next(t), false);
	if (v < 0)
		*ok = false;
	((int16_t *)out)[i] = (int16_t)v;
	return 0;
}

static int proto_item(struct toks *t, void *out, size_t i, bool *ok, uint8_t *af)
{
	(void)ok;
	(void)af;
	int p = parse_proto(next(t));
	((uint8_t *)out)[i] = (uint8_t)(p < 0 ? 0 : p);
	return p < 0 ? -1 : 0;
}

/* An item or a `{ }` list of them. */
static int parse_list(struct toks *t, item_fn fn, void *out, size_t *n, bool *ok, uint8_t *af)
{
	*n = 0;
	if (strcmp(peek(t), "{"))
		return fn(t, out, (*n)++, ok, af);
	next(t);
	while (*peek(t) && strcmp(peek(t), "}")) {
		if (*n == MAXALT || fn(t, out, (*n)++, ok, af) < 0)
			return -1;
	}
	next(t);
	return *n ? 0 : -1;
}

/* An interface or a list of them: the baselines see one interface. */
static void skip_item(struct toks *t)
{
	if (strcmp(next(t), "{"))
		return;
	while (*peek(t) && strcmp(next(t), "}"))
		;
}

/* from|to ADDR [port PORT] */
static int parse_side(struct toks *t, struct bench_addr *a, size_t *na, struct bench_port *p, size_t *np,
		      bool *ok, uint8_t *af)
{
	if (parse_list(t, addr_item, a, na, ok, af) < 0)
		return -1;
	if (strcmp(peek(t), "port"))
		return 0;
	next(t);
	return parse_list(t, port_item, p, np, ok, af);
}

static void push(struct bench_ruleset *rs, const struct bench_rule *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->rules = pk_xrealloc(rs->rules, rs->cap * sizeof *rs->rules);
	}
	rs->rules[rs->n++] = *r;
}

static void expand(struct bench_ruleset *rs, const struct bench_rule *base, const struct alts *a)
{
	for (size_t it = 0; it < a->nitype; it++)
	for (size_t p = 0; p < a->nproto; p++)
		for (size_t s = 0; s < a->nsrc; s++)
			for (size_t sp = 0; sp < a->nsport; sp++)
				for (size_t d = 0; d < a->ndst; d++)
					for (size_t dp = 0; dp < a->ndport; dp++) {
						struct bench_rule r = *base;
						r.proto = a->proto[p];
						r.src = a->src[s];
						r.dst = a->dst[d];
						r.sport = a->sport[sp];
						r.dport = a->dport[dp];
						r.icmp_type = a->itype[it];
						push(rs, &r);
					}
}

static int parse_rule(struct toks *t, struct bench_rule *r, struct alts *a)
{
	bool ok = true;
	uint8_t af = 0;
	a->nsrc = a->ndst = a->nsport = a->ndport = a->nproto = a->nitype = 1;
	a->src[0] = a->dst[0] = (struct bench_addr){.hi = UINT32_MAX};
	a->itype[0] = -1;
	r->icmp_code = -1;
	memset(&a->sport[0], 0, sizeof a->sport[0]);
	memset(&a->dport[0], 0, sizeof a->dport[0]);
	a->proto[0] = 0;
	r->action = !strcmp(next(t), "pass") ? BENCH_PASS : BENCH_BLOCK;
	while (t->i < t->n) {
		const char *w = next(t);
		int rc = 0;
		if (!strcmp(w, "in") || !strcmp(w, "out"))
			r->dir = w[0] == 'i' ? BENCH_DIR_IN : BENCH_DIR_OUT;
		else if (!strcmp(w, "quick"))
			r->quick = true;
		else if (!strcmp(w, "inet") || !strcmp(w, "inet6"))
			r->af = w[4] ? 6 : 4;
		else if (!strcmp(w, "on"))
			skip_item(t);
		else if (!strcmp(w, "proto"))
			rc = parse_list(t, proto_item, a->proto, &a->nproto, &ok, &af);
		else if (!strcmp(w, "from"))
			rc = parse_side(t, a->src, &a->nsrc, a->sport, &a->nsport, &ok, &af);
		else if (!strcmp(w, "to"))
			rc = parse_side(t, a->dst, &a->ndst, a->dport, &a->ndport, &ok, &af);
		else if (!strcmp(w, "icmp-type") || !strcmp(w, "icmp6-type"))
			rc = parse_list(t, icmp_item, a->itype, &a->nitype, &ok, &af);
		else if (!strcmp(w, "code"))
			ok = (r->icmp_code = (int16_t)parse_icmp_name(next(t), true)) >= 0 && ok;
		else if (!strcmp(w, "flags"))
			parse_flags(next(t), &r->flags, &r->flagmask);
		else if (w[0] == '$' || !strcmp(w, "tagged") || !strcmp(w, "probability"))
			ok = false;
		if (rc < 0)
			return -1;
	}
	if (af == 6)
		r->af = 6;
	r->supported = ok;
	return 0;
}

static bool skipped(const struct toks *t)
{
	if (t->n >= 2 && !strcmp(t->v[1], "="))
		return true;
	for (size_t i = 0; skip_words[i]; i++)
		if (!strcmp(t->v[0], skip_words[i]))
			return true;
	return false;
}

/* Read one logical line (backslash continuations joined). */
static int read_line(FILE *f, char *buf, size_t cap, uint32_t *lineno)
{
	size_t len = 0;
	buf[0] = '\0';
	while (fgets(buf + len, (int)(cap - len), f)) {
		(*lineno)++;
		len = strlen(buf);
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (!len || buf[len - 1] != '\\')
			return 1;
		buf[--len] = '\0';
	}
	return len ? 1 : 0;
}

int bench_rules_load(const char *path, struct bench_ruleset *rs, char *msg, size_t msglen)
{
	static char line[65536];
	static struct alts a;
	memset(rs, 0, sizeof *rs);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(msg, msglen, "%s: cannot open: %m", path);
		return -1;
	}
	uint32_t lineno = 0, start;
	struct toks t;
	for (start = lineno + 1; read_line(f, line, sizeof line, &lineno); start = lineno + 1) {
		tokenize(line, &t);
		if (!t.n)
			continue;
		if (skipped(&t) || (strcmp(t.v[0], "pass") && strcmp(t.v[0], "block"))) {
			rs->skipped_lines++;
			continue;
		}
		struct bench_rule r = {.line = start};
		if (parse_rule(&t, &r, &a) < 0) {
			snprintf(msg, msglen, "%s:%u: rule not understood by the benchmark's reader", path, start);
			fclose(f);
			bench_rules_free(rs);
			return -1;
		}
		if (!r.supported)
			rs->unsupported++;
		expand(rs, &r, &a);
	}
	fclose(f);
	return 0;
}

void bench_rules_free(struct bench_ruleset *rs)
{
	free(rs->rules);
	memset(rs, 0, sizeof *rs);
}

bool bench_addr_any(const struct bench_addr *a)
{
	return !a->range && a->len == 0 && !a->neg;
}

static bool addr_in(const struct bench_addr *a, uint32_t x)
{
	return (x >= a->lo && x <= a->hi) != a->neg;
}

static bool port_in(const struct bench_port *p, uint16_t x)
{
	return !p->set || ((x >= p->lo && x <= p->hi) != p->neg);
}

bool bench_rule_matches(const struct bench_rule *r, const struct bench_tuple *t)
{
	if (!r->supported || r->af == 6 || (r->dir && r->dir != t->dir) || (r->proto && r->proto != t->proto))
		return false;
	if (!addr_in(&r->src, t->src) || !addr_in(&r->dst, t->dst))
		return false;
	if (r->flagmask && t->proto == 6 && (t->tcp_flags & r->flagmask) != r->flags)
		return false;
	if (r->icmp_type >= 0 && (t->proto != 1 || t->icmp_type != r->icmp_type ||
				  (r->icmp_code >= 0 && t->icmp_code != r->icmp_code)))
		return false;
	if (!r->sport.set && !r->dport.set)
		return true;
	if (t->proto != 6 && t->proto != 17)
		return false;
	return port_in(&r->sport, t->sport) && port_in(&r->dport, t->dport);
}

long bench_rules_decide(const struct bench_ruleset *rs, const struct bench_tuple *t)
{
	long last = -1;
	for (size_t i = 0; i < rs->n; i++) {
		if (!bench_rule_matches(&rs->rules[i], t))
			continue;
		last = (long)i;
		if (rs->rules[i].quick)
			break;
	}
	return last;
}
