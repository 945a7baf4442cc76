/* cli/replay_out.c: per-packet lines, stall report and summary of a replay. */
#include "cli/replay_out.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cli/source_lines.h"
#include "runtime/json_write.h"
#include "runtime/pkt_desc.h"
#include "runtime/table_list.h"

static const char *const format_names[] = {[PK_RP_TEXT] = "text", [PK_RP_JSONL] = "jsonl", [PK_RP_CSV] = "csv"};
static const char *const verdict_names[] = {[PK_V_PASS] = "pass", [PK_V_BLOCK] = "block",
					    [PK_V_REJECT] = "reject", [PK_V_HOLD] = "hold"};
static const char *const event_names[] = {[PK_SE_NONE] = "-", [PK_SE_CREATED] = "created",
					  [PK_SE_MATCHED] = "matched", [PK_SE_RELATED] = "related"};
static const char *const stop_names[] = {[PK_STOP_NONE] = NULL, [PK_STOP_SELF] = NULL,
					 [PK_STOP_NO_ROUTE] = "no-route", [PK_STOP_TTL] = "ttl-exceeded",
					 [PK_STOP_DIVERT] = NULL};

const char *pk_rp_divert_addr(const uint8_t *ip, const struct pk_verdict *v, char *buf, size_t size)
{
	const bool v6 = ip && (ip[0] >> 4) == 6;
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, v->divert_addr, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

int pk_rp_format_parse(const char *name, enum pk_rp_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (!strcmp(name, format_names[i])) {
			*out = (enum pk_rp_format)i;
			return 0;
		}
	return -1;
}

const char *pk_rp_verdict_name(uint8_t kind) { return kind <= PK_V_HOLD ? verdict_names[kind] : "?"; }

const char *pk_rp_rule_source(const struct pk_rs *rs, uint32_t rule)
{
	static char line[256];
	size_t n;
	const char *text = pk_source_line(pk_rs_rule_file(rs, rule), pk_rs_rule(rs, rule)->line, &n);
	if (!text)
		return NULL;
	while (n && (*text == ' ' || *text == '\t'))
		text++, n--;
	/* what snprintf's "%.*s" kept, without its cost on a row per rule: up
	 * to a NUL in the line, and at most what line holds */
	n = strnlen(text, n < sizeof line - 1 ? n : sizeof line - 1);
	memcpy(line, text, n);
	line[n] = '\0';
	return line;
}

const struct pk_replay_step *pk_rp_shown_step(const struct pk_replay_result *r)
{
	return r->out.done && r->out.v.kind != PK_V_PASS ? &r->out : &r->in;
}

const char *pk_rp_reason_text(const struct pk_replay_result *r)
{
	if (r->kind == PK_V_PASS || r->kind == PK_V_HOLD)
		return NULL;
	if (stop_names[r->stop])
		return stop_names[r->stop];
	return r->reason != PK_REASON_NONE ? pk_reason_name((enum pk_drop_reason)r->reason) : "match";
}

static void time_text(uint64_t ns, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u / 1000u));
}

void pk_rp_begin(FILE *out, enum pk_rp_format f)
{
	if (f == PK_RP_CSV)
		/* columns are only ever added at the end, so readers by position keep working */
		fputs("n,time,iface,dir,verdict,rule,line,file,state,reason,egress,generated,packet,divert_address,"
		      "divert_port\n",
		      out);
	else if (f == PK_RP_TEXT)
		fprintf(out, "%6s %11s %-7s %-3s %-7s %-9s %-8s %s\n", "n", "time", "iface", "dir", "verdict", "rule",
			"state", "packet");
}

static void rule_text(const struct pk_rs *rs, uint32_t rule, char *buf, size_t size)
{
	if (rule == PK_RT_NO_RULE)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "@%u:%u", pk_rs_rule(rs, rule)->nr, pk_rs_rule(rs, rule)->line);
}

static void text_gen(FILE *out, const struct pk_rs *rs, const struct pk_replay_result *r)
{
	char d[160];
	for (uint32_t i = 0; i < r->ngen && i < PK_REPLAY_GEN_MAX; i++) {
		const struct pk_replay_gen *g = &r->gen[i];
		fprintf(out, "%6s %11s   + sent %s %s: %s\n", "", "", g->dir == PK_DIR_IN ? "in on" : "out on",
			pk_rs_iface_name(rs, g->iface), pk_pkt_describe(g->ip, g->kept, d, sizeof d));
	}
	if (r->ngen > PK_REPLAY_GEN_MAX)
		fprintf(out, "%6s %11s   + %u more generated\n", "", "", r->ngen - PK_REPLAY_GEN_MAX);
}

static void text_packet(FILE *out, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char t[32], rule[24], desc[160], state[40];
	uint64_t rel = p->ts_ns - p->first_ns;
	snprintf(t, sizeof t, "%llu.%06llu", (unsigned long long)(rel / 1000000000u),
		 (unsigned long long)(rel % 1000000000u / 1000u));
	rule_text(rs, s->v.rule, rule, sizeof rule);
	snprintf(state, sizeof state, "%s", event_names[s->v.state_event]);
	fprintf(out, "%6llu %11s %-7s %-3s %-7s %-9s %-8s %s", (unsigned long long)p->n, t,
		pk_rs_iface_name(rs, s->iface), s->dir == PK_DIR_OUT ? "out" : "in", pk_rp_verdict_name(r->kind),
		rule, state, pk_pkt_describe(p->ip, p->len, desc, sizeof desc));
	if (r->out.done && r->kind == PK_V_PASS)
		fprintf(out, " -> %s", pk_rs_iface_name(rs, r->out.iface));
	if (r->afto_egress != PK_RT_NO_IFACE)
		fprintf(out, " -> %s (af-to, not filtered out)", pk_rs_iface_name(rs, r->afto_egress));
	if (r->stop == PK_STOP_SELF)
		fputs(" (to the firewall)", out);
	char a[INET6_ADDRSTRLEN];
	if (r->stop == PK_STOP_DIVERT)
		fprintf(out, " (diverted to %s port %u, a local socket)",
			pk_rp_divert_addr(p->ip, &r->in.v, a, sizeof a), r->in.v.divert_port);
	if (pk_rp_reason_text(r))
		fprintf(out, " (%s)", pk_rp_reason_text(r));
	if (s->v.src_after != 0xff && s->v.state_event != PK_SE_NONE)
		fprintf(out, " %s:%s", pk_tcp_state_name(s->v.src_after), pk_tcp_state_name(s->v.dst_after));
	fputc('\n', out);
	text_gen(out, rs, r);
}

static void json_rule(FILE *out, const struct pk_rs *rs, uint32_t rule)
{
	if (rule == PK_RT_NO_RULE) {
		fputs("null", out);
		return;
	}
	const struct pk_rs_rule *r = pk_rs_rule(rs, rule);
	fprintf(out, "{\"number\":%u,\"line\":%u,\"file\":", r->nr, r->line);
	pk_json_str(out, pk_rs_rule_file(rs, rule));
	if (r->label) {
		fputs(",\"label\":", out);
		pk_json_str(out, r->label);
	}
	fputc('}', out);
}

static void json_state(FILE *out, const struct pk_verdict *v)
{
	if (v->state_event == PK_SE_NONE) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"event\":\"%s\",\"id\":%u", event_names[v->state_event], v->state_id);
	if (v->src_after != 0xff)
		fprintf(out, ",\"before\":[\"%s\",\"%s\"],\"after\":[\"%s\",\"%s\"]", pk_tcp_state_name(v->src_before),
			pk_tcp_state_name(v->dst_before), pk_tcp_state_name(v->src_after),
			pk_tcp_state_name(v->dst_after));
	fputc('}', out);
}

static void json_generated(FILE *out, const struct pk_rs *rs, const struct pk_replay_result *r)
{
	char d[160];
	fputs(",\"generated\":[", out);
	for (uint32_t i = 0; i < r->ngen && i < PK_REPLAY_GEN_MAX; i++) {
		const struct pk_replay_gen *g = &r->gen[i];
		fprintf(out, "%s{\"iface\":", i ? "," : "");
		pk_json_str(out, pk_rs_iface_name(rs, g->iface));
		fprintf(out, ",\"dir\":\"%s\",\"len\":%u,\"packet\":", g->dir == PK_DIR_IN ? "in" : "out", g->len);
		pk_json_str(out, pk_pkt_describe(g->ip, g->kept, d, sizeof d));
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_packet(FILE *out, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char t[32], desc[160];
	time_text(p->ts_ns, t, sizeof t);
	fprintf(out, "{\"n\":%llu,\"time\":%s,\"iface\":", (unsigned long long)p->n, t);
	pk_json_str(out, pk_rs_iface_name(rs, s->iface));
	fprintf(out, ",\"dir\":\"%s\",\"verdict\":\"%s\",\"rule\":", s->dir == PK_DIR_OUT ? "out" : "in",
		pk_rp_verdict_name(r->kind));
	json_rule(out, rs, s->v.rule);
	fputs(",\"state\":", out);
	json_state(out, &s->v);
	if (pk_rp_reason_text(r))
		fprintf(out, ",\"reason\":\"%s\"", pk_rp_reason_text(r));
	if (r->stop == PK_STOP_SELF)
		fputs(",\"to_self\":true", out);
	char a[INET6_ADDRSTRLEN];
	if (r->stop == PK_STOP_DIVERT)
		fprintf(out, ",\"diverted\":{\"address\":\"%s\",\"port\":%u}",
			pk_rp_divert_addr(p->ip, &r->in.v, a, sizeof a), r->in.v.divert_port);
	if (r->afto_egress != PK_RT_NO_IFACE) {
		fputs(",\"afto\":{\"iface\":", out);
		pk_json_str(out, pk_rs_iface_name(rs, r->afto_egress));
		fputc('}', out);
	}
	if (r->out.done) {
		fputs(",\"out\":{\"iface\":", out);
		pk_json_str(out, pk_rs_iface_name(rs, r->out.iface));
		fprintf(out, ",\"verdict\":\"%s\",\"rule\":", pk_rp_verdict_name(r->out.v.kind));
		json_rule(out, rs, r->out.v.rule);
		fputs(",\"state\":", out);
		json_state(out, &r->out.v);
		fputc('}', out);
	}
	if (r->ngen)
		json_generated(out, rs, r);
	if (p->capture) {
		fputs(",\"capture\":", out);
		pk_json_str(out, p->capture);
	}
	fputs(",\"packet\":", out);
	pk_json_str(out, pk_pkt_describe(p->ip, p->len, desc, sizeof desc));
	fputs("}\n", out);
}

static void csv_field(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_packet(FILE *out, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char t[32], desc[160];
	time_text(p->ts_ns, t, sizeof t);
	fprintf(out, "%llu,%s,%s,%s,%s,", (unsigned long long)p->n, t, pk_rs_iface_name(rs, s->iface),
		s->dir == PK_DIR_OUT ? "out" : "in", pk_rp_verdict_name(r->kind));
	if (s->v.rule == PK_RT_NO_RULE)
		fputs(",,", out);
	else {
		fprintf(out, "%u,%u,", pk_rs_rule(rs, s->v.rule)->nr, pk_rs_rule(rs, s->v.rule)->line);
		csv_field(out, pk_rs_rule_file(rs, s->v.rule));
	}
	fprintf(out, ",%s,%s,%s,%u,", event_names[s->v.state_event], pk_rp_reason_text(r) ? pk_rp_reason_text(r) : "",
		r->out.done ? pk_rs_iface_name(rs, r->out.iface)
		: r->afto_egress != PK_RT_NO_IFACE ? pk_rs_iface_name(rs, r->afto_egress) : "", r->ngen);
	csv_field(out, pk_pkt_describe(p->ip, p->len, desc, sizeof desc));
	char a[INET6_ADDRSTRLEN];
	if (r->stop == PK_STOP_DIVERT)
		fprintf(out, ",%s,%u\n", pk_rp_divert_addr(p->ip, &r->in.v, a, sizeof a), r->in.v.divert_port);
	else
		fputs(",,\n", out);
}

void pk_rp_packet(FILE *out, enum pk_rp_format f, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	static void (*const printers[])(FILE *, const struct pk_rs *, const struct pk_rp_pkt *) = {
		[PK_RP_TEXT] = text_packet, [PK_RP_JSONL] = json_packet, [PK_RP_CSV] = csv_packet};
	printers[f](out, rs, p);
}

static void text_skipped(FILE *out, const struct pk_rp_skip *k, const char *packet)
{
	char t[32];
	const uint64_t rel = k->ts_ns > k->first_ns ? k->ts_ns - k->first_ns : 0;
	snprintf(t, sizeof t, "%llu.%06llu", (unsigned long long)(rel / 1000000000u),
		 (unsigned long long)(rel % 1000000000u / 1000u));
	fprintf(out, "%6llu %11s %-7s %-3s %-7s %-9s %-8s %s%s(%s)\n", (unsigned long long)k->n, t,
		k->ifname ? k->ifname : "-", "-", "skip", "-", "-", packet ? packet : "", packet ? " " : "", k->why);
}

static void json_skipped(FILE *out, const struct pk_rp_skip *k, const char *packet)
{
	char t[32];
	time_text(k->ts_ns, t, sizeof t);
	fprintf(out, "{\"n\":%llu,\"time\":%s,\"iface\":", (unsigned long long)k->n, t);
	if (k->ifname)
		pk_json_str(out, k->ifname);
	else
		fputs("null", out);
	fputs(",\"verdict\":\"skip\",\"reason\":", out);
	pk_json_str(out, k->why);
	if (k->capture) {
		fputs(",\"capture\":", out);
		pk_json_str(out, k->capture);
	}
	if (packet) {
		fputs(",\"packet\":", out);
		pk_json_str(out, packet);
	}
	fputs("}\n", out);
}

/* The columns of csv_packet: no direction, rule, state, egress or divert. */
static void csv_skipped(FILE *out, const struct pk_rp_skip *k, const char *packet)
{
	char t[32];
	time_text(k->ts_ns, t, sizeof t);
	fprintf(out, "%llu,%s,%s,,skip,,,,,", (unsigned long long)k->n, t, k->ifname ? k->ifname : "");
	csv_field(out, k->why);
	fputs(",,0,", out);
	csv_field(out, packet);
	fputs(",,\n", out);
}

void pk_rp_skipped(FILE *out, enum pk_rp_format f, const struct pk_rp_skip *k)
{
	static void (*const printers[])(FILE *, const struct pk_rp_skip *, const char *) = {
		[PK_RP_TEXT] = text_skipped, [PK_RP_JSONL] = json_skipped, [PK_RP_CSV] = csv_skipped};
	char desc[160];
	printers[f](out, k, k->ip ? pk_pkt_describe(k->ip, k->len, desc, sizeof desc) : NULL);
}

static void flow_text(const struct pk_stall_flow *fl, char *buf, size_t size)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	int af = fl->af == PK_AF_INET ? AF_INET : AF_INET6;
	inet_ntop(af, fl->client, c, sizeof c);
	inet_ntop(af, fl->server, s, sizeof s);
	snprintf(buf, size, af == AF_INET ? "%s:%u > %s:%u" : "[%s]:%u > [%s]:%u", c, fl->cport, s, fl->sport);
}

struct stall_json {
	FILE *out;
	const struct pk_rs *rs;
};

/* jsonl keeps one record per stalled connection, the complete list for
 * programs (they group as they like); text groups them for people. */
static void json_stall(void *ctx, const struct pk_stall_flow *fl, enum pk_stall_cause cause)
{
	const struct stall_json *c = ctx;
	char flow[128];
	flow_text(fl, flow, sizeof flow);
	fprintf(c->out, "{\"stalled\":{\"first\":%llu,\"connection\":", (unsigned long long)fl->first_n);
	pk_json_str(c->out, flow);
	fputs(",\"iface\":", c->out);
	pk_json_str(c->out, pk_rs_iface_name(c->rs, fl->in_iface));
	fputs(",\"rule\":", c->out);
	json_rule(c->out, c->rs, fl->rule);
	fprintf(c->out, ",\"packets\":[%llu,%llu],\"cause\":", (unsigned long long)fl->pkts[0],
		(unsigned long long)fl->pkts[1]);
	pk_json_str(c->out, pk_stall_cause_text(cause));
	fputs("}}\n", c->out);
}

/* "  2 on lan0, rule @3:71 (pass in ...)", the cause, then the examples. */
static void text_stall_group(FILE *out, const struct pk_rs *rs, const struct pk_stall_group *g)
{
	char rule[24], flow[128];
	const char *src = g->rule == PK_RT_NO_RULE ? NULL : pk_rp_rule_source(rs, g->rule);
	rule_text(rs, g->rule, rule, sizeof rule);
	fprintf(out, "  %llu on %s, rule %s", (unsigned long long)g->count, pk_rs_iface_name(rs, g->iface), rule);
	if (src)
		fprintf(out, " (%s)", src);
	fprintf(out, "\n    %s\n", pk_stall_cause_text(g->cause));
	for (uint64_t i = 0; i < g->count && i < PK_STALL_EXAMPLES; i++) {
		const struct pk_stall_flow *fl = g->example[i];
		flow_text(fl, flow, sizeof flow);
		fprintf(out, "    tcp %s (from packet %llu; %llu packets out, %llu back)\n", flow,
			(unsigned long long)fl->first_n, (unsigned long long)fl->pkts[0],
			(unsigned long long)fl->pkts[1]);
	}
	if (g->count > PK_STALL_EXAMPLES)
		fprintf(out, "    and %llu more\n", (unsigned long long)(g->count - PK_STALL_EXAMPLES));
}

static void text_stalls(FILE *out, const struct pk_rs *rs, const struct pk_stall *s)
{
	size_t n;
	uint64_t total = 0;
	struct pk_stall_group *g = pk_stall_groups(s, rs, &n);
	if (!g) {
		if (n)
			fputs("note: out of memory for the stall report\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		total += g[i].count;
	fprintf(out, "\nstalled TCP connections: %llu, %zu diagnos%s (cause, rule, interface):\n",
		(unsigned long long)total, n, n == 1 ? "is" : "es");
	for (size_t i = 0; i < n; i++)
		text_stall_group(out, rs, &g[i]);
	free(g);
}

void pk_rp_stalls(FILE *out, enum pk_rp_format f, const struct pk_rs *rs, const struct pk_stall *s)
{
	struct stall_json c = {out, rs};
	if (f == PK_RP_JSONL)
		pk_stall_report(s, json_stall, &c);
	else
		text_stalls(out, rs, s);
	if (s->full) /* a note, not a record: never inside the JSON lines */
		fputs("note: too many TCP connections to follow them all; stall report incomplete\n",
		      f == PK_RP_JSONL ? stderr : out);
}

/* Drawn translations: how many the capture's copies confirmed or moved,
 * and how many it showed no copy of. */
static void translations(FILE *out, const struct pk_nat_map *m)
{
	fprintf(out, "Translations drawn%22s\n  %-24s %14llu\n  %-24s %14llu\n  %-24s %14llu\n  %-24s %14llu\n",
		"Total", "drawn", (unsigned long long)m->drawn, "taken from the capture",
		(unsigned long long)m->adopted, "as the capture shows", (unsigned long long)m->agreed,
		"not in the capture", (unsigned long long)m->unseen);
	if (m->unseen)
		fprintf(out, "  note: replies to %llu translated connections cannot be predicted: the capture "
			     "does not show the translation the firewall chose (capture the egress interface too, "
			     "in pcapng with interface names)\n",
			(unsigned long long)m->unseen);
}

/* v in decimal over width columns, aligned right, or left when asked
 * (printf's %*llu and %-*llu), at `at`; returns the end. */
static char *put_u(char *at, unsigned long long v, int width, bool left)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	const size_t pad = width > n ? (size_t)(width - n) : 0;
	if (!left)
		at = (char *)memset(at, ' ', pad) + pad;
	while (n)
		*at++ = d[--n];
	if (left)
		at = (char *)memset(at, ' ', pad) + pad;
	return at;
}

static char *put_s(char *at, const char *s, size_t n)
{
	memcpy(at, s, n);
	return at + n;
}

#define RULE_ROW_MAX (128 + 256) /* the numbers' columns, then a source line of at most 255 characters */
/* Rows are written a block at a time: one fwrite a row was a tenth of a
 * large ruleset's summary. */
#define RULE_ROWS_BLOCK (64 * 1024)

/* One rule's row of the summary, "  @%-4u line %-5u %14llu %10llu %10llu
 * %10llu  %s": made by hand at `at`, since a ruleset has thousands of rows
 * and fprintf costs a few thousand instructions each; returns the end. */
static char *rule_row(char *at, const struct pk_rs *rs, uint32_t i, const struct pk_rule_counters *rc)
{
	const char *src = pk_rp_rule_source(rs, i);
	at = put_u(put_s(at, "  @", 3), pk_rs_rule(rs, i)->nr, 4, true);
	at = put_u(put_s(at, " line ", 6), pk_rs_rule(rs, i)->line, 5, true);
	at = put_u(put_s(at, " ", 1), rc->evaluations, 14, false);
	at = put_u(put_s(at, " ", 1), rc->packets, 10, false);
	at = put_u(put_s(at, " ", 1), rc->bytes, 10, false);
	at = put_u(put_s(at, " ", 1), rc->states_created, 10, false);
	at = put_s(at, "  ", 2);
	if (src)
		at = put_s(at, src, strlen(src));
	*at++ = '\n';
	return at;
}

static void rule_rows(FILE *out, const struct pk_engine *e, const struct pk_rs *rs)
{
	char block[RULE_ROWS_BLOCK];
	size_t used = 0;
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++) {
		used = (size_t)(rule_row(block + used, rs, i, pk_engine_rule_counters(e, i)) - block);
		if (used > sizeof block - RULE_ROW_MAX) {
			fwrite(block, 1, used, out);
			used = 0;
		}
	}
	fwrite(block, 1, used, out);
}

void pk_rp_summary(FILE *out, const struct pk_engine *e, const struct pk_rs *rs, const struct pk_rp_totals *t)
{
	const struct pk_counters *c = pk_engine_counters(e);
	fprintf(out, "\nReplay\n  %-24s %14llu\n  %-24s %14llu\n", "frames", (unsigned long long)t->frames,
		"IP packets", (unsigned long long)t->packets);
	for (int k = PK_V_PASS; k <= PK_V_HOLD; k++)
		fprintf(out, "  %-24s %14llu\n", verdict_names[k], (unsigned long long)t->verdict[k]);
	fprintf(out, "  %-24s %14llu\n  %-24s %14llu\n", "not IP (skipped)", (unsigned long long)t->not_ip,
		"sent by capturing host", (unsigned long long)t->outgoing);
	if (t->nat && t->nat->drawn)
		translations(out, t->nat);
	fprintf(out, "State Table%29s\n  %-24s %14llu\n  %-24s %14llu\n  %-24s %14llu\n  %-24s %14llu\n", "Total",
		"current entries", (unsigned long long)c->states_current, "searches", (unsigned long long)c->searches,
		"inserts", (unsigned long long)c->inserts, "removals", (unsigned long long)c->removals);
	fputs("Counters\n", out);
	for (int r = PK_REASON_NONE + 1; r < PK_REASON_COUNT; r++)
		fprintf(out, "  %-24s %14llu\n", pk_reason_name((enum pk_drop_reason)r), (unsigned long long)c->reason[r]);
	fprintf(out, "Syncookies\n  %-24s %14llu\n  %-24s %14llu\n  %-24s %14llu\n", "sent",
		(unsigned long long)c->syncookies_sent, "validated", (unsigned long long)c->syncookies_valid, "failed",
		(unsigned long long)c->syncookies_failed);
	fprintf(out, "Decisions\n  %-24s %14llu\n  %-24s %14llu\n", "evaluated", (unsigned long long)c->decisions_evaluated,
		"recalled", (unsigned long long)c->decisions_recalled);
	fprintf(out, "Overload\n  %-24s %14llu\n  %-24s %14llu\n", "sources added", (unsigned long long)c->overload_added,
		"states flushed", (unsigned long long)c->overload_flushed);
	if (pk_rs_table_added(rs))
		pk_rs_list_tables(out, rs);
	fputs("Rules                       evaluations    packets      bytes     states\n", out);
	rule_rows(out, e, rs);
}
