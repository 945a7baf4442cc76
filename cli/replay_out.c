/* cli/replay_out.c: per-packet lines, stall report and summary of a replay. */
#include "cli/replay_out.h"

#include <stdlib.h>
#include <string.h>

#include "cli/source_lines.h"
#include "runtime/json_write.h"
#include "runtime/pkt_desc.h"
#include "runtime/table_list.h"
#include "runtime/text.h"

static const char *const format_names[] = {[PK_RP_TEXT] = "text", [PK_RP_JSONL] = "jsonl", [PK_RP_CSV] = "csv"};
static const char *const verdict_names[] = {[PK_V_PASS] = "pass", [PK_V_BLOCK] = "block",
					    [PK_V_REJECT] = "reject", [PK_V_HOLD] = "hold"};
static const char *const event_names[] = {[PK_SE_NONE] = "-", [PK_SE_CREATED] = "created",
					  [PK_SE_MATCHED] = "matched", [PK_SE_RELATED] = "related"};
static const char *const stop_names[] = {[PK_STOP_NONE] = NULL, [PK_STOP_SELF] = NULL,
					 [PK_STOP_NO_ROUTE] = "no-route", [PK_STOP_TTL] = "ttl-exceeded",
					 [PK_STOP_DIVERT] = NULL};

/* The divert-to address of the packet's family. */
static void divert_addr(struct pk_text *t, const uint8_t *ip, const struct pk_verdict *v)
{
	pk_text_addr(t, ip && (ip[0] >> 4) == 6 ? PK_AF_INET6 : PK_AF_INET, v->divert_addr);
}

const char *pk_rp_divert_addr(const uint8_t *ip, const struct pk_verdict *v, char *buf, size_t size)
{
	struct pk_text t;

	pk_text_init(&t, buf, size);
	divert_addr(&t, ip, v);
	pk_text_end(&t);
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

/* The packet's description: the one worked out ahead, or made in buf. */
static const char *described(const struct pk_rp_pkt *p, char *buf, size_t size)
{
	return p->desc ? p->desc : pk_pkt_describe(p->ip, p->len, buf, size);
}

/* A capture time as seconds and microseconds, "%llu.%06llu". */
static void clock_text(struct pk_text *t, uint64_t ns)
{
	pk_text_uint(t, ns / 1000000000u, 0, ' ');
	pk_text_char(t, '.');
	pk_text_uint(t, ns % 1000000000u / 1000u, 6, '0');
}

/* The same as a field of width columns (text's time column). */
static void clock_field(struct pk_text *t, uint64_t ns, int width)
{
	char buf[32];
	struct pk_text c;

	pk_text_init(&c, buf, sizeof buf);
	clock_text(&c, ns);
	pk_text_end(&c);
	pk_text_field(t, buf, width);
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

/* "@nr:line", or "-" when no rule decided. */
static void rule_text(const struct pk_rs *rs, uint32_t rule, char *buf, size_t size)
{
	struct pk_text t;

	pk_text_init(&t, buf, size);
	if (rule == PK_RT_NO_RULE)
		pk_text_char(&t, '-');
	else {
		pk_text_char(&t, '@');
		pk_text_uint(&t, pk_rs_rule(rs, rule)->nr, 0, ' ');
		pk_text_char(&t, ':');
		pk_text_uint(&t, pk_rs_rule(rs, rule)->line, 0, ' ');
	}
	pk_text_end(&t);
}

static void text_gen(struct pk_text *t, const struct pk_rs *rs, const struct pk_replay_result *r)
{
	char d[PK_PKT_DESC_MAX];
	for (uint32_t i = 0; i < r->ngen && i < PK_REPLAY_GEN_MAX; i++) {
		const struct pk_replay_gen *g = &r->gen[i];
		pk_text_str(t, "                     + sent ");
		pk_text_str(t, g->dir == PK_DIR_IN ? "in on " : "out on ");
		pk_text_str(t, pk_rs_iface_name(rs, g->iface));
		pk_text_str(t, ": ");
		pk_text_str(t, pk_pkt_describe(g->ip, g->kept, d, sizeof d));
		pk_text_char(t, '\n');
	}
	if (r->ngen > PK_REPLAY_GEN_MAX) {
		pk_text_str(t, "                     + ");
		pk_text_uint(t, r->ngen - PK_REPLAY_GEN_MAX, 0, ' ');
		pk_text_str(t, " more generated\n");
	}
}

/* The columns of the text header (pk_rp_begin), then the packet and what
 * became of it. */
static void text_packet(struct pk_text *t, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char rule[24], desc[PK_PKT_DESC_MAX];
	const char *reason = pk_rp_reason_text(r);

	pk_text_uint(t, p->n, 6, ' ');
	pk_text_char(t, ' ');
	clock_field(t, p->ts_ns - p->first_ns, 11);
	pk_text_char(t, ' ');
	pk_text_field(t, pk_rs_iface_name(rs, s->iface), -7);
	pk_text_str(t, s->dir == PK_DIR_OUT ? " out " : " in  ");
	pk_text_field(t, pk_rp_verdict_name(r->kind), -7);
	pk_text_char(t, ' ');
	rule_text(rs, s->v.rule, rule, sizeof rule);
	pk_text_field(t, rule, -9);
	pk_text_char(t, ' ');
	pk_text_field(t, event_names[s->v.state_event], -8);
	pk_text_char(t, ' ');
	pk_text_str(t, described(p, desc, sizeof desc));
	if (r->out.done && r->kind == PK_V_PASS) {
		pk_text_str(t, " -> ");
		pk_text_str(t, pk_rs_iface_name(rs, r->out.iface));
	}
	if (r->afto_egress != PK_RT_NO_IFACE) {
		pk_text_str(t, " -> ");
		pk_text_str(t, pk_rs_iface_name(rs, r->afto_egress));
		pk_text_str(t, " (af-to, not filtered out)");
	}
	if (r->stop == PK_STOP_SELF)
		pk_text_str(t, " (to the firewall)");
	if (r->stop == PK_STOP_DIVERT) {
		pk_text_str(t, " (diverted to ");
		divert_addr(t, p->ip, &r->in.v);
		pk_text_str(t, " port ");
		pk_text_uint(t, r->in.v.divert_port, 0, ' ');
		pk_text_str(t, ", a local socket)");
	}
	if (reason) {
		pk_text_str(t, " (");
		pk_text_str(t, reason);
		pk_text_char(t, ')');
	}
	if (s->v.src_after != 0xff && s->v.state_event != PK_SE_NONE) {
		pk_text_char(t, ' ');
		pk_text_str(t, pk_tcp_state_name(s->v.src_after));
		pk_text_char(t, ':');
		pk_text_str(t, pk_tcp_state_name(s->v.dst_after));
	}
	pk_text_char(t, '\n');
	text_gen(t, rs, r);
}

static void json_rule(struct pk_text *t, const struct pk_rs *rs, uint32_t rule)
{
	if (rule == PK_RT_NO_RULE) {
		pk_text_str(t, "null");
		return;
	}
	const struct pk_rs_rule *r = pk_rs_rule(rs, rule);
	pk_text_str(t, "{\"number\":");
	pk_text_uint(t, r->nr, 0, ' ');
	pk_text_str(t, ",\"line\":");
	pk_text_uint(t, r->line, 0, ' ');
	pk_text_str(t, ",\"file\":");
	pk_text_json(t, pk_rs_rule_file(rs, rule));
	if (r->label) {
		pk_text_str(t, ",\"label\":");
		pk_text_json(t, r->label);
	}
	pk_text_char(t, '}');
}

/* A JSON string known to need no escape (the program's own names). */
static void json_name(struct pk_text *t, const char *s)
{
	pk_text_char(t, '"');
	pk_text_str(t, s);
	pk_text_char(t, '"');
}

static void json_state(struct pk_text *t, const struct pk_verdict *v)
{
	if (v->state_event == PK_SE_NONE) {
		pk_text_str(t, "null");
		return;
	}
	pk_text_str(t, "{\"event\":");
	json_name(t, event_names[v->state_event]);
	pk_text_str(t, ",\"id\":");
	pk_text_uint(t, v->state_id, 0, ' ');
	if (v->src_after != 0xff) {
		const uint8_t st[4] = {v->src_before, v->dst_before, v->src_after, v->dst_after};
		for (int k = 0; k < 4; k++) {
			pk_text_str(t, k == 0 ? ",\"before\":[" : k == 2 ? "],\"after\":[" : ",");
			json_name(t, pk_tcp_state_name(st[k]));
		}
		pk_text_char(t, ']');
	}
	pk_text_char(t, '}');
}

static void json_generated(struct pk_text *t, const struct pk_rs *rs, const struct pk_replay_result *r)
{
	char d[PK_PKT_DESC_MAX];
	pk_text_str(t, ",\"generated\":[");
	for (uint32_t i = 0; i < r->ngen && i < PK_REPLAY_GEN_MAX; i++) {
		const struct pk_replay_gen *g = &r->gen[i];
		pk_text_str(t, i ? ",{\"iface\":" : "{\"iface\":");
		pk_text_json(t, pk_rs_iface_name(rs, g->iface));
		pk_text_str(t, g->dir == PK_DIR_IN ? ",\"dir\":\"in\",\"len\":" : ",\"dir\":\"out\",\"len\":");
		pk_text_uint(t, g->len, 0, ' ');
		pk_text_str(t, ",\"packet\":");
		pk_text_json(t, pk_pkt_describe(g->ip, g->kept, d, sizeof d));
		pk_text_char(t, '}');
	}
	pk_text_char(t, ']');
}

/* The verdict of a step and the rule and state behind it. */
static void json_verdict(struct pk_text *t, const struct pk_rs *rs, uint8_t kind, const struct pk_verdict *v)
{
	pk_text_str(t, ",\"verdict\":");
	json_name(t, pk_rp_verdict_name(kind));
	pk_text_str(t, ",\"rule\":");
	json_rule(t, rs, v->rule);
	pk_text_str(t, ",\"state\":");
	json_state(t, v);
}

static void json_packet(struct pk_text *t, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char desc[PK_PKT_DESC_MAX];
	const char *reason = pk_rp_reason_text(r);

	pk_text_str(t, "{\"n\":");
	pk_text_uint(t, p->n, 0, ' ');
	pk_text_str(t, ",\"time\":");
	clock_text(t, p->ts_ns);
	pk_text_str(t, ",\"iface\":");
	pk_text_json(t, pk_rs_iface_name(rs, s->iface));
	pk_text_str(t, s->dir == PK_DIR_OUT ? ",\"dir\":\"out\"" : ",\"dir\":\"in\"");
	json_verdict(t, rs, r->kind, &s->v);
	if (reason) {
		pk_text_str(t, ",\"reason\":");
		json_name(t, reason);
	}
	if (r->stop == PK_STOP_SELF)
		pk_text_str(t, ",\"to_self\":true");
	if (r->stop == PK_STOP_DIVERT) {
		pk_text_str(t, ",\"diverted\":{\"address\":\"");
		divert_addr(t, p->ip, &r->in.v);
		pk_text_str(t, "\",\"port\":");
		pk_text_uint(t, r->in.v.divert_port, 0, ' ');
		pk_text_char(t, '}');
	}
	if (r->afto_egress != PK_RT_NO_IFACE) {
		pk_text_str(t, ",\"afto\":{\"iface\":");
		pk_text_json(t, pk_rs_iface_name(rs, r->afto_egress));
		pk_text_char(t, '}');
	}
	if (r->out.done) {
		pk_text_str(t, ",\"out\":{\"iface\":");
		pk_text_json(t, pk_rs_iface_name(rs, r->out.iface));
		json_verdict(t, rs, r->out.v.kind, &r->out.v);
		pk_text_char(t, '}');
	}
	if (r->ngen)
		json_generated(t, rs, r);
	if (p->capture) {
		pk_text_str(t, ",\"capture\":");
		pk_text_json(t, p->capture);
	}
	pk_text_str(t, ",\"packet\":");
	pk_text_json(t, described(p, desc, sizeof desc));
	pk_text_str(t, "}\n");
}

/* A quoted CSV field, its quotes doubled; NULL as an empty one. */
static void csv_field(struct pk_text *t, const char *s)
{
	pk_text_char(t, '"');
	while (s && *s) {
		const char *q = strchr(s, '"');
		const size_t n = q ? (size_t)(q - s) + 1 : strlen(s);
		pk_text_mem(t, s, n);
		if (q)
			pk_text_char(t, '"');
		s += n;
	}
	pk_text_char(t, '"');
}

static void csv_packet(struct pk_text *t, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	const struct pk_replay_result *r = p->res;
	const struct pk_replay_step *s = pk_rp_shown_step(r);
	char desc[PK_PKT_DESC_MAX];
	const char *reason = pk_rp_reason_text(r);

	pk_text_uint(t, p->n, 0, ' ');
	pk_text_char(t, ',');
	clock_text(t, p->ts_ns);
	pk_text_char(t, ',');
	pk_text_str(t, pk_rs_iface_name(rs, s->iface));
	pk_text_str(t, s->dir == PK_DIR_OUT ? ",out," : ",in,");
	pk_text_str(t, pk_rp_verdict_name(r->kind));
	pk_text_char(t, ',');
	if (s->v.rule == PK_RT_NO_RULE)
		pk_text_str(t, ",,");
	else {
		pk_text_uint(t, pk_rs_rule(rs, s->v.rule)->nr, 0, ' ');
		pk_text_char(t, ',');
		pk_text_uint(t, pk_rs_rule(rs, s->v.rule)->line, 0, ' ');
		pk_text_char(t, ',');
		csv_field(t, pk_rs_rule_file(rs, s->v.rule));
	}
	pk_text_char(t, ',');
	pk_text_str(t, event_names[s->v.state_event]);
	pk_text_char(t, ',');
	pk_text_str(t, reason ? reason : "");
	pk_text_char(t, ',');
	pk_text_str(t, r->out.done ? pk_rs_iface_name(rs, r->out.iface)
		       : r->afto_egress != PK_RT_NO_IFACE ? pk_rs_iface_name(rs, r->afto_egress) : "");
	pk_text_char(t, ',');
	pk_text_uint(t, r->ngen, 0, ' ');
	pk_text_char(t, ',');
	csv_field(t, described(p, desc, sizeof desc));
	if (r->stop == PK_STOP_DIVERT) {
		pk_text_char(t, ',');
		divert_addr(t, p->ip, &r->in.v);
		pk_text_char(t, ',');
		pk_text_uint(t, r->in.v.divert_port, 0, ' ');
		pk_text_char(t, '\n');
	} else
		pk_text_str(t, ",,\n");
}

/* Lines are put together in STAGE bytes and written once (longer ones in
 * pieces, never cut): printf and stdio's lock at each call were most of
 * a packet's cost. */
#define STAGE 1024

void pk_rp_packet(FILE *out, enum pk_rp_format f, const struct pk_rs *rs, const struct pk_rp_pkt *p)
{
	static void (*const printers[])(struct pk_text *, const struct pk_rs *, const struct pk_rp_pkt *) = {
		[PK_RP_TEXT] = text_packet, [PK_RP_JSONL] = json_packet, [PK_RP_CSV] = csv_packet};
	char stage[STAGE];
	struct pk_text t;

	pk_text_init_file(&t, stage, sizeof stage, out);
	printers[f](&t, rs, p);
	pk_text_end(&t);
}

static void text_skipped(struct pk_text *t, const struct pk_rp_skip *k, const char *packet)
{
	pk_text_uint(t, k->n, 6, ' ');
	pk_text_char(t, ' ');
	clock_field(t, k->ts_ns > k->first_ns ? k->ts_ns - k->first_ns : 0, 11);
	pk_text_char(t, ' ');
	pk_text_field(t, k->ifname ? k->ifname : "-", -7);
	pk_text_str(t, " -   skip    -         -        ");
	if (packet) {
		pk_text_str(t, packet);
		pk_text_char(t, ' ');
	}
	pk_text_char(t, '(');
	pk_text_str(t, k->why);
	pk_text_str(t, ")\n");
}

static void json_skipped(struct pk_text *t, const struct pk_rp_skip *k, const char *packet)
{
	pk_text_str(t, "{\"n\":");
	pk_text_uint(t, k->n, 0, ' ');
	pk_text_str(t, ",\"time\":");
	clock_text(t, k->ts_ns);
	pk_text_str(t, ",\"iface\":");
	pk_text_json(t, k->ifname);
	pk_text_str(t, ",\"verdict\":\"skip\",\"reason\":");
	pk_text_json(t, k->why);
	if (k->capture) {
		pk_text_str(t, ",\"capture\":");
		pk_text_json(t, k->capture);
	}
	if (packet) {
		pk_text_str(t, ",\"packet\":");
		pk_text_json(t, packet);
	}
	pk_text_str(t, "}\n");
}

/* The columns of csv_packet: no direction, rule, state, egress or divert. */
static void csv_skipped(struct pk_text *t, const struct pk_rp_skip *k, const char *packet)
{
	pk_text_uint(t, k->n, 0, ' ');
	pk_text_char(t, ',');
	clock_text(t, k->ts_ns);
	pk_text_char(t, ',');
	pk_text_str(t, k->ifname ? k->ifname : "");
	pk_text_str(t, ",,skip,,,,,");
	csv_field(t, k->why);
	pk_text_str(t, ",,0,");
	csv_field(t, packet);
	pk_text_str(t, ",,\n");
}

void pk_rp_skipped(FILE *out, enum pk_rp_format f, const struct pk_rp_skip *k)
{
	static void (*const printers[])(struct pk_text *, const struct pk_rp_skip *, const char *) = {
		[PK_RP_TEXT] = text_skipped, [PK_RP_JSONL] = json_skipped, [PK_RP_CSV] = csv_skipped};
	char desc[PK_PKT_DESC_MAX], stage[STAGE];
	struct pk_text t;

	pk_text_init_file(&t, stage, sizeof stage, out);
	printers[f](&t, k, k->ip ? pk_pkt_describe(k->ip, k->len, desc, sizeof desc) : NULL);
	pk_text_end(&t);
}

/* "client:port > server:port", the addresses of IPv6 in brackets. */
static void flow_text(const struct pk_stall_flow *fl, char *buf, size_t size)
{
	const bool v6 = fl->af != PK_AF_INET;
	struct pk_text t;

	pk_text_init(&t, buf, size);
	pk_text_str(&t, v6 ? "[" : "");
	pk_text_addr(&t, v6 ? PK_AF_INET6 : PK_AF_INET, fl->client);
	pk_text_str(&t, v6 ? "]:" : ":");
	pk_text_uint(&t, fl->cport, 0, ' ');
	pk_text_str(&t, v6 ? " > [" : " > ");
	pk_text_addr(&t, v6 ? PK_AF_INET6 : PK_AF_INET, fl->server);
	pk_text_str(&t, v6 ? "]:" : ":");
	pk_text_uint(&t, fl->sport, 0, ' ');
	pk_text_end(&t);
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
	char flow[128], stage[STAGE];
	struct pk_text t;

	flow_text(fl, flow, sizeof flow);
	pk_text_init_file(&t, stage, sizeof stage, c->out);
	pk_text_str(&t, "{\"stalled\":{\"first\":");
	pk_text_uint(&t, fl->first_n, 0, ' ');
	pk_text_str(&t, ",\"connection\":");
	pk_text_json(&t, flow);
	pk_text_str(&t, ",\"iface\":");
	pk_text_json(&t, pk_rs_iface_name(c->rs, fl->in_iface));
	pk_text_str(&t, ",\"rule\":");
	json_rule(&t, c->rs, fl->rule);
	pk_text_str(&t, ",\"packets\":[");
	pk_text_uint(&t, fl->pkts[0], 0, ' ');
	pk_text_char(&t, ',');
	pk_text_uint(&t, fl->pkts[1], 0, ' ');
	pk_text_str(&t, "],\"cause\":");
	pk_text_json(&t, pk_stall_cause_text(cause));
	pk_text_str(&t, "}}\n");
	pk_text_end(&t);
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

/* Rows are staged a block at a time: one fwrite a row was a tenth of a
 * large ruleset's summary. */
#define RULE_ROWS_BLOCK (64 * 1024)

/* One rule's row of the summary, "  @%-4u line %-5u %14llu %10llu %10llu
 * %10llu  %s": a ruleset has thousands of rows, and fprintf costs a few
 * thousand instructions each. */
static void rule_row(struct pk_text *t, const struct pk_rs *rs, uint32_t i, const struct pk_rule_counters *rc)
{
	const char *src = pk_rp_rule_source(rs, i);
	pk_text_str(t, "  @");
	pk_text_uint(t, pk_rs_rule(rs, i)->nr, -4, ' ');
	pk_text_str(t, " line ");
	pk_text_uint(t, pk_rs_rule(rs, i)->line, -5, ' ');
	pk_text_char(t, ' ');
	pk_text_uint(t, rc->evaluations, 14, ' ');
	pk_text_char(t, ' ');
	pk_text_uint(t, rc->packets, 10, ' ');
	pk_text_char(t, ' ');
	pk_text_uint(t, rc->bytes, 10, ' ');
	pk_text_char(t, ' ');
	pk_text_uint(t, rc->states_created, 10, ' ');
	pk_text_str(t, "  ");
	if (src)
		pk_text_str(t, src);
	pk_text_char(t, '\n');
}

static void rule_rows(FILE *out, const struct pk_engine *e, const struct pk_rs *rs)
{
	char block[RULE_ROWS_BLOCK];
	struct pk_text t;

	pk_text_init_file(&t, block, sizeof block, out);
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++)
		rule_row(&t, rs, i, pk_engine_rule_counters(e, i));
	pk_text_end(&t);
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
