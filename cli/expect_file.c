/* cli/expect_file.c: policy test files read, resolved and checked (see expect_file.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/expect_file.h"
#include "runtime/infile.h"
#include "runtime/sha256.h"
#include "runtime/xalloc.h"

static const char *const pk_expect_kinds[] = {"pass", "block", "reach"};

const char *pk_expect_kind_name(enum pk_expect_kind k)
{
	return pk_expect_kinds[k];
}

/* A packet as `picket explain` writes it starts with a bare protocol
 * (after inet or inet6): a rule body never does. */
static bool is_packet_text(const char *s)
{
	char w[32];
	int n;
	if (sscanf(s, "%31s%n", w, &n) == 1 && (!strcmp(w, "inet") || !strcmp(w, "inet6")))
		s += n;
	if (sscanf(s, "%31s", w) != 1)
		return false;
	if (isdigit((unsigned char)w[0]))
		return true;
	for (unsigned p = 0; p < 256; p++)
		if (pk_vpkt_proto_name((uint8_t)p) && !strcmp(pk_vpkt_proto_name((uint8_t)p), w))
			return true;
	return false;
}

static void bad_line(const char *path, unsigned line, const char *msg)
{
	fprintf(stderr, "%s:%u: error: %s\n", pk_infile_name(path), line, msg);
}

/* One line: 1 with *e filled, 0 for a blank or comment line, -1 when bad. */
static int parse_line(char *s, unsigned line, const char *path, struct pk_expect *e)
{
	const char *start = s;
	char *hash = strchr(s, '#');
	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*s))
		s++;
	for (size_t n = strlen(s); n && isspace((unsigned char)s[n - 1]);)
		s[--n] = '\0';
	if (!*s)
		return 0;
	char kind[16];
	int at = 0;
	if (sscanf(s, "expect %15s %n", kind, &at) != 1 || !at) {
		bad_line(path, line, "expected 'expect pass|block|reach SHAPE'");
		return -1;
	}
	memset(e, 0, sizeof(*e));
	unsigned k = 0;
	while (k < 3 && strcmp(kind, pk_expect_kinds[k]))
		k++;
	if (k == 3) {
		bad_line(path, line, "an expectation is 'pass', 'block' or 'reach'");
		return -1;
	}
	if (!s[at]) {
		bad_line(path, line, "an expectation needs a shape, or a packet");
		return -1;
	}
	e->kind = (enum pk_expect_kind)k;
	e->text = s + at;
	const uint32_t col = (uint32_t)(e->text - start) + 1;
	e->loc = (struct pk_loc){.file = path, .line = line, .col = col, .end_line = line,
				 .end_col = col + (uint32_t)strlen(e->text) - 1};
	e->is_packet = is_packet_text(e->text);
	return 1;
}

static int parse_packets(struct pk_cli_expect_run *run, char *store)
{
	for (unsigned k = 0; k < run->n; k++) {
		struct pk_expect *e = &run->v[k];
		struct pk_err err;
		const size_t size = strlen(e->text) + 1;
		if (e->is_packet && pk_vpkt_parse(e->text, &e->pkt, store, size, &err) < 0) {
			fprintf(stderr, "%s:%u: error: packet: %s\n", pk_infile_name(run->path), e->loc.line, err.msg);
			return -1;
		}
		store += size;
	}
	return 0;
}

/* The lines of the file into run->v; the line texts live in work. */
static int parse_lines(struct pk_cli_expect_run *run, char *work)
{
	unsigned line = 0;
	run->v = pk_xcalloc(run->len / 8 + 2, sizeof(*run->v));
	for (char *s = work, *next; s && *s; s = next) {
		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		const int r = parse_line(s, ++line, run->path, &run->v[run->n]);
		if (r < 0)
			return -1;
		run->n += (unsigned)r;
	}
	return parse_packets(run, work + run->len + 1);
}

/* The shape as the last line of a rule file: `match` and the words with
 * `in`, `out` and `on IF` moved first, where the grammar wants them; a
 * port without a protocol is TCP's or UDP's (a rule needs `proto`). */
static void shape_line(const char *shape, char *out, size_t size)
{
	char front[256] = "", rest[4096] = "";
	bool port = false, proto = false;
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", shape);
	char *save = NULL;
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		const bool dir = !strcmp(w, "in") || !strcmp(w, "out"), on = !strcmp(w, "on");
		port |= !strcmp(w, "port");
		proto |= !strcmp(w, "proto");
		char *to = dir || on ? front : rest;
		const size_t cap = dir || on ? sizeof(front) : sizeof(rest);
		snprintf(to + strlen(to), cap - strlen(to), "%s ", w);
		if (on && (w = strtok_r(NULL, " \t", &save)))
			snprintf(front + strlen(front), sizeof(front) - strlen(front), "%s ", w);
	}
	snprintf(out, size, "match %s%s%s", front, port && !proto ? "proto { tcp udp } " : "", rest);
}

static unsigned count_lines(const char *s, size_t len)
{
	unsigned n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The front end's messages about the appended lines, told at the
 * expectations' lines. */
static void print_shape_diags(const struct pk_cli_expect_run *run, const struct pk_ir_ruleset *rs,
			      const struct pk_diags *d, unsigned base, enum pk_diag_color color)
{
	const char *rules = rs->sources[0].path;
	struct pk_diags out;
	pk_diags_init(&out);
	if (run->text)
		pk_diags_add_source(&out, run->path, run->text, run->len);
	for (uint32_t s = 0; s < rs->nsources; s++) /* expectations written in the rule files */
		pk_diags_add_source(&out, rs->sources[s].path, rs->sources[s].text, rs->sources[s].len);
	for (unsigned i = 0; i < d->n; i++) {
		const struct pk_diag *g = &d->v[i];
		if (!g->loc.file || strcmp(g->loc.file, rules) || g->loc.line < base || g->loc.line - base >= run->n)
			continue;
		const struct pk_expect *e = &run->v[g->loc.line - base];
		pk_diag_add(&out, g->sev, &e->loc, g->code, "%s (in 'expect %s %s')", g->msg, pk_expect_kind_name(e->kind),
			    e->text);
	}
	pk_diags_print(&out, stderr, color);
	pk_diags_free(&out);
}

/* Which expectation each appended rule belongs to. */
static void assign_rules(struct pk_cli_expect_run *run, const char *rules, uint32_t first, unsigned base)
{
	const struct pk_ir_ruleset *s = run->shape_rs;
	for (uint32_t i = first; i < s->nrules; i++) {
		const struct pk_loc *l = &s->rules[i].loc;
		if (!l->file || strcmp(l->file, rules) || l->line < base || l->line - base >= run->n)
			continue;
		struct pk_expect *e = &run->v[l->line - base];
		if (!e->n)
			e->first = i;
		e->n++;
	}
}

/* The shapes resolved against the rule file (nothing to do when every
 * expectation is a packet). */
static int load_shapes(struct pk_cli_expect_run *run, const struct pk_ir_ruleset *rs,
		       const struct pk_cli_irargs *ia)
{
	bool shapes = false;
	for (unsigned k = 0; k < run->n; k++)
		shapes |= !run->v[k].is_packet;
	if (!shapes)
		return 0;
	const struct pk_ir_source *src = pk_cli_rules_text(rs);
	if (!src)
		return -1;
	const size_t cap = src->len + run->len + 8u * run->n + 16;
	char *text = pk_xmalloc(cap), line[4200];
	size_t len = (size_t)snprintf(text, cap, "%.*s\n", (int)src->len, src->text);
	const unsigned base = count_lines(text, len) + 1;
	for (unsigned k = 0; k < run->n; k++) {
		line[0] = '\0';
		if (!run->v[k].is_packet)
			shape_line(run->v[k].text, line, sizeof(line));
		len += (size_t)snprintf(text + len, cap - len, "%s\n", line);
	}
	struct pk_diags d;
	pk_diags_init(&d);
	const int rc = pk_frontend_load_string(src->path, text, len, &ia->fo, &d, &run->shape_rs);
	print_shape_diags(run, rs, &d, base, ia->color);
	pk_diags_free(&d);
	free(text);
	if (rc == 0)
		assign_rules(run, src->path, rs->nrules, base);
	return rc;
}

int pk_cli_expect_load(const char *path, const struct pk_ir_ruleset *rs, const struct pk_cli_irargs *ia,
		       struct pk_cli_expect_run *run)
{
	memset(run, 0, sizeof(*run));
	run->path = path;
	struct pk_infile f;
	struct pk_err err;
	if (pk_infile_read(path, PK_INFILE_TEXT, &f, &err) < 0) {
		fprintf(stderr, "picket: %s: %s\n", pk_infile_name(path), err.msg);
		return -1;
	}
	run->text = f.data;
	run->len = f.len;
	pk_sha256(run->text, run->len, run->hash);
	/* the lines, then room for every packet's words */
	run->store = pk_xmalloc(2 * (run->len + 1));
	memcpy(run->store, run->text, run->len + 1);
	if (parse_lines(run, run->store) < 0)
		return -1;
	return load_shapes(run, rs, ia);
}

static bool is_expect(const char *text)
{
	return !strncmp(text, "expect ", 7);
}

int pk_cli_expect_from_rules(const struct pk_ir_ruleset *rs, const struct pk_cli_irargs *ia,
			     struct pk_cli_expect_run *run)
{
	memset(run, 0, sizeof(*run));
	run->path = rs->nsources ? rs->sources[0].path : "-";
	unsigned n = 0;
	for (uint32_t i = 0; i < rs->ncarried; i++)
		if (is_expect(rs->carried[i].text)) {
			run->len += strlen(rs->carried[i].text) + 1;
			n++;
		}
	/* the lines, then room for every packet's words */
	run->store = pk_xmalloc(2 * (run->len + 1));
	run->v = pk_xcalloc(n + 1, sizeof(*run->v));
	struct pk_sha256 h;
	pk_sha256_init(&h);
	char *at = run->store;
	for (uint32_t i = 0; i < rs->ncarried; i++) {
		const struct pk_ir_carried *c = &rs->carried[i];
		if (!is_expect(c->text))
			continue;
		const size_t len = strlen(c->text) + 1;
		memcpy(at, c->text, len);
		pk_sha256_update(&h, at, len);
		if (parse_line(at, c->loc.line, c->loc.file, &run->v[run->n]) < 0)
			return -1;
		run->v[run->n].loc.col += c->loc.col - 1;
		run->v[run->n++].loc.end_col += c->loc.col - 1;
		at += len;
	}
	pk_sha256_final(&h, run->hash);
	if (parse_packets(run, run->store + run->len + 1) < 0)
		return -1;
	return load_shapes(run, rs, ia);
}

int pk_cli_expect_check(const struct pk_ir_ruleset *rs, struct pk_cli_expect_run *run)
{
	run->res = pk_xcalloc(run->n + 1, sizeof(*run->res));
	if (pk_expect_check(rs, run->shape_rs, run->v, run->n, run->res) < 0)
		return -1;
	for (unsigned k = 0; k < run->n; k++)
		run->nfailed += !run->res[k].holds;
	return 0;
}

void pk_cli_expect_free(struct pk_cli_expect_run *run)
{
	if (run->shape_rs)
		pk_ir_ruleset_free(run->shape_rs);
	free(run->text);
	free(run->store);
	free(run->v);
	free(run->res);
}
