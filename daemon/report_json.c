/* daemon/report_json.c: the control socket's listings as JSON, for scripts. */
#include <arpa/inet.h>

#include "daemon/report.h"
#include "daemon/report_priv.h"
#include "runtime/json_write.h"
#include "runtime/proto.h"

#define NS_PER_S 1000000000u

static void addr(FILE *out, uint8_t af, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];
	inet_ntop(af == PK_AF_INET ? AF_INET : AF_INET6, a, buf, sizeof buf);
	pk_json_str(out, buf);
}

static void endpoint(FILE *out, const char *key, uint8_t af, const uint8_t *a, uint16_t port)
{
	fprintf(out, "\"%s\":{\"address\":", key);
	addr(out, af, a);
	fprintf(out, ",\"port\":%u}", port);
}

struct states_ctx {
	FILE *out;
	const struct pk_daemon *d;
	unsigned n;
};

/* src and dst as the packet that made the state had them; nat_* the
 * translated side when the state translates. */
static void state_json(void *ctx, const struct pk_state_info *s)
{
	struct states_ctx *c = ctx;
	const struct pk_rs *rs = pk_engine_ruleset(c->d->engine);
	char pbuf[8];
	fputs(c->n++ ? ",\n {" : "\n {", c->out);
	fprintf(c->out, "\"id\":\"%08x\",\"iface\":", s->id);
	pk_json_str(c->out, s->iface == PK_RT_NO_IFACE || s->iface >= pk_rs_niface(rs) ? NULL
									      : pk_rs_iface_name(rs, s->iface));
	fprintf(c->out, ",\"proto\":\"%s\",\"af\":%u,\"dir\":\"%s\",", pk_report_proto_name(s->proto, pbuf), s->af,
		s->dir == PK_DIR_OUT ? "out" : "in");
	endpoint(c->out, "src", s->af, s->src, s->sport);
	fputc(',', c->out);
	endpoint(c->out, "dst", s->af, s->dst, s->dport);
	fputc(',', c->out);
	endpoint(c->out, "nat_src", s->af, s->nat_src, s->nat_sport);
	fputc(',', c->out);
	endpoint(c->out, "nat_dst", s->af, s->nat_dst, s->nat_dport);
	fprintf(c->out, ",\"src_state\":\"%s\",\"dst_state\":\"%s\"", pk_report_state_name(s->proto, s->src_state),
		pk_report_state_name(s->proto, s->dst_state));
	const uint64_t now = c->d->now_ns;
	fprintf(c->out, ",\"age_s\":%llu,\"expires_in_s\":%llu,\"packets\":[%llu,%llu],\"bytes\":[%llu,%llu],\"rule\":",
		(unsigned long long)((now > s->created_ns ? now - s->created_ns : 0) / NS_PER_S),
		(unsigned long long)((s->expires_ns > now ? s->expires_ns - now : 0) / NS_PER_S),
		(unsigned long long)s->packets[0], (unsigned long long)s->packets[1], (unsigned long long)s->bytes[0],
		(unsigned long long)s->bytes[1]);
	if (s->rule != PK_RT_NO_RULE && s->rule < pk_rs_nrules(rs))
		fprintf(c->out, "%u}", pk_rs_rule(rs, s->rule)->nr);
	else
		fputs("null}", c->out);
}

void pk_report_states_json(FILE *out, const struct pk_daemon *d)
{
	struct states_ctx c = {out, d, 0};
	fputc('[', out);
	pk_engine_states(d->engine, state_json, &c);
	fputs(c.n ? "\n]\n" : "]\n", out);
}

static void object_of(FILE *out, const char *key, const char *const *names, const uint64_t *v, size_t n)
{
	fprintf(out, "\"%s\":{", key);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s", i ? "," : "");
		pk_json_str(out, names[i]);
		fprintf(out, ":%llu", (unsigned long long)v[i]);
	}
	fputc('}', out);
}

static void interfaces_json(FILE *out, const struct pk_daemon *d)
{
	fputs("\"interfaces\":[", out);
	for (unsigned i = 0; i < d->nports; i++) {
		const struct pk_afp_stats *s = &d->port[i].stats;
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		pk_json_str(out, d->port[i].name);
		fprintf(out, ",\"rx_packets\":%llu,\"tx_packets\":%llu,\"ring_drops\":%llu,\"tx_ring_full\":%llu}",
			(unsigned long long)s->rx_packets, (unsigned long long)s->tx_packets,
			(unsigned long long)s->rx_ring_drops, (unsigned long long)s->tx_ring_full);
	}
	fputc(']', out);
}

void pk_report_stats_json(FILE *out, const struct pk_daemon *d)
{
	static const char *const dp_names[] = {
#define PK_DP_KEY(id, text) #id,
		PK_DP_COUNTERS(PK_DP_KEY)
#undef PK_DP_KEY
	};
	const char *reasons[PK_REASON_COUNT];
	for (unsigned r = 1; r < PK_REASON_COUNT; r++)
		reasons[r] = pk_reason_name((enum pk_drop_reason)r);
	const struct pk_counters *c = pk_engine_counters(d->engine);
	fprintf(out, "{\"uptime_s\":%llu,\"states\":{\"current\":%llu,\"searches\":%llu,\"inserts\":%llu,"
		     "\"removals\":%llu},",
		(unsigned long long)((d->now_ns - d->started_ns) / NS_PER_S), (unsigned long long)c->states_current,
		(unsigned long long)c->searches, (unsigned long long)c->inserts, (unsigned long long)c->removals);
	object_of(out, "reasons", reasons + 1, c->reason + 1, PK_REASON_COUNT - 1);
	fprintf(out, ",\"syncookies\":{\"sent\":%llu,\"validated\":%llu,\"failed\":%llu},"
		     "\"decisions\":{\"evaluated\":%llu,\"recalled\":%llu},\"overload\":{\"added\":%llu,\"flushed\":%llu},"
		     "\"packets\":{\"in\":%llu,\"out\":%llu},\"bytes\":{\"in\":%llu,\"out\":%llu},",
		(unsigned long long)c->syncookies_sent, (unsigned long long)c->syncookies_valid,
		(unsigned long long)c->syncookies_failed, (unsigned long long)c->decisions_evaluated,
		(unsigned long long)c->decisions_recalled, (unsigned long long)c->overload_added,
		(unsigned long long)c->overload_flushed, (unsigned long long)c->packets_in,
		(unsigned long long)c->packets_out, (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out);
	object_of(out, "forwarding", dp_names, &d->c.forwarded, sizeof dp_names / sizeof dp_names[0]);
	fputc(',', out);
	interfaces_json(out, d);
	fprintf(out, ",\"reloads\":%llu,\"reloads_refused\":%llu,\"pending_confirmation\":", (unsigned long long)d->reloads,
		(unsigned long long)d->reloads_refused);
	pk_confirm_report_json(out, d);
	fputs("}\n", out);
}

void pk_report_rules_json(FILE *out, const struct pk_daemon *d)
{
	static const char *const state_kinds[] = {"none", "keep", "modulate", "synproxy"};
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	char pbuf[8];
	fputc('[', out);
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++) {
		const struct pk_rs_rule *r = pk_rs_rule(rs, i);
		const struct pk_rule_counters *c = pk_engine_rule_counters(d->engine, i);
		fprintf(out, "%s\n {\"nr\":%u,\"action\":\"%s\",\"return\":%s,\"dir\":%s,\"quick\":%s,\"log\":%s,\"af\":%u,",
			i ? "," : "", r->nr, pk_report_action_name(r->action),
			r->action == PK_ACT_BLOCK && r->block != PK_BLOCK_DROP ? "true" : "false",
			r->dir == PK_DIR_IN ? "\"in\"" : r->dir == PK_DIR_OUT ? "\"out\"" : "null", r->quick ? "true" : "false",
			r->log ? "true" : "false", r->af);
		fputs("\"proto\":", out);
		pk_json_str(out, r->proto ? pk_report_proto_name(r->proto, pbuf) : NULL);
		fprintf(out, ",\"state\":\"%s\",\"label\":", r->state < 4 ? state_kinds[r->state] : "?");
		pk_json_str(out, r->label);
		fputs(",\"file\":", out);
		pk_json_str(out, pk_rs_rule_file(rs, i));
		fprintf(out, ",\"line\":%u,\"evaluations\":%llu,\"packets\":%llu,\"bytes\":%llu,\"states_current\":%u,"
			     "\"states_created\":%llu}",
			r->line, (unsigned long long)c->evaluations, (unsigned long long)c->packets,
			(unsigned long long)c->bytes, c->states_current, (unsigned long long)c->states_created);
	}
	fputs(pk_rs_nrules(rs) ? "\n]\n" : "]\n", out);
}

void pk_report_tables_json(FILE *out, const struct pk_daemon *d)
{
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	fputc('[', out);
	for (uint32_t t = 0; t < pk_rs_ntables(rs); t++) {
		fputs(t ? ",\n {\"name\":" : "\n {\"name\":", out);
		pk_json_str(out, pk_rs_table_name(rs, t));
		fprintf(out, ",\"written\":%u,\"added\":[", pk_rs_table_written(rs, t));
		uint32_t cursor = 0, table, n = 0;
		uint8_t af, a[16];
		while (pk_rs_table_next_added(rs, &cursor, &table, &af, a))
			if (table == t) {
				fputs(n++ ? "," : "", out);
				addr(out, af, a);
			}
		fputs("]}", out);
	}
	fputs(pk_rs_ntables(rs) ? "\n]\n" : "]\n", out);
}
