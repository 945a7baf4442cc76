/* daemon/report.c: pfctl-style listings of states, counters and rules. */
#include "daemon/report.h"
#include "daemon/report_priv.h"

#include <arpa/inet.h>
#include <string.h>

#include "runtime/proto.h"
#include "runtime/table_list.h"

/* pf's TCPS_* numbering, then its synproxy pseudo-states. */
static const char *const tcp_states[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1",
	"CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT", "?", "PROXY:SRC", "PROXY:DST",
};
/* PFUDPS_* / PFOTHERS_*: the same three for UDP and other protocols. */
static const char *const other_states[] = {"NO_TRAFFIC", "SINGLE", "MULTIPLE"};

const char *pk_report_proto_name(uint8_t p, char *buf)
{
	switch (p) {
	case PK_PROTO_ICMP: return "icmp";
	case PK_PROTO_TCP: return "tcp";
	case PK_PROTO_UDP: return "udp";
	case PK_PROTO_ICMP6: return "ipv6-icmp";
	default: sprintf(buf, "%u", p); return buf;
	}
}

const char *pk_report_state_name(uint8_t proto, uint8_t s)
{
	if (proto == PK_PROTO_TCP)
		return s < sizeof(tcp_states) / sizeof(tcp_states[0]) ? tcp_states[s] : "?";
	return s < 3 ? other_states[s] : "?";
}

static void print_host(FILE *out, uint8_t af, const uint8_t *a, uint16_t port, bool has_port)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(af == PK_AF_INET ? AF_INET : AF_INET6, a, buf, sizeof(buf));
	if (!has_port)
		fputs(buf, out);
	else if (af == PK_AF_INET)
		fprintf(out, "%s:%u", buf, port);
	else
		fprintf(out, "%s[%u]", buf, port);
}

static void print_hms(FILE *out, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;
	fprintf(out, "%02llu:%02llu:%02llu", (unsigned long long)(s / 3600), (unsigned long long)(s / 60 % 60),
		(unsigned long long)(s % 60));
}

struct states_ctx {
	FILE *out;
	const struct pk_daemon *d;
	bool verbose;
};

static void print_state(void *ctx, const struct pk_state_info *s)
{
	const struct states_ctx *c = ctx;
	const struct pk_rs *rs = pk_engine_ruleset(c->d->engine);
	char pbuf[8];
	bool ports = s->proto == PK_PROTO_TCP || s->proto == PK_PROTO_UDP || s->proto == PK_PROTO_ICMP ||
		     s->proto == PK_PROTO_ICMP6;

	fprintf(c->out, "%s %s ", s->iface == PK_RT_NO_IFACE || s->iface >= pk_rs_niface(rs) ? "all"
								: pk_rs_iface_name(rs, s->iface),
		pk_report_proto_name(s->proto, pbuf));
	/* pfctl prints an inbound state from the firewall's side, dst <- src,
	 * and its peers' TCP states in that same order. */
	bool out = s->dir == PK_DIR_OUT;
	if (out) {
		print_host(c->out, s->af, s->src, s->sport, ports);
		fputs(" -> ", c->out);
		print_host(c->out, s->af, s->dst, s->dport, ports);
	} else {
		print_host(c->out, s->af, s->dst, s->dport, ports);
		fputs(" <- ", c->out);
		print_host(c->out, s->af, s->src, s->sport, ports);
	}
	fprintf(c->out, "       %s:%s\n", pk_report_state_name(s->proto, out ? s->src_state : s->dst_state),
		pk_report_state_name(s->proto, out ? s->dst_state : s->src_state));
	if (!c->verbose)
		return;
	fputs("   age ", c->out);
	print_hms(c->out, c->d->now_ns > s->created_ns ? c->d->now_ns - s->created_ns : 0);
	fputs(", expires in ", c->out);
	print_hms(c->out, s->expires_ns > c->d->now_ns ? s->expires_ns - c->d->now_ns : 0);
	fprintf(c->out, ", %llu:%llu pkts, %llu:%llu bytes", (unsigned long long)s->packets[0],
		(unsigned long long)s->packets[1], (unsigned long long)s->bytes[0], (unsigned long long)s->bytes[1]);
	/* The same numbers pfctl -vss gives: initiator's direction first. */
	if (s->rule != PK_RT_NO_RULE && s->rule < pk_rs_nrules(rs))
		fprintf(c->out, ", rule %u", pk_rs_rule(rs, s->rule)->nr);
	fprintf(c->out, "\n   id: %08x\n", s->id);
}

void pk_report_states(FILE *out, const struct pk_daemon *d, bool verbose)
{
	struct states_ctx c = {out, d, verbose};

	pk_engine_states(d->engine, print_state, &c);
}

static void counter_line(FILE *out, const char *name, uint64_t v, double secs)
{
	fprintf(out, "  %-25s %14llu %14.1f/s\n", name, (unsigned long long)v, secs > 0 ? (double)v / secs : 0.0);
}

static void print_dp_counters(FILE *out, const struct pk_daemon *d)
{
	static const char *const names[] = {
#define PK_DP_NAME(id, text) text,
		PK_DP_COUNTERS(PK_DP_NAME)
#undef PK_DP_NAME
	};
	const uint64_t *v = &d->c.forwarded;

	fputs("Forwarding (picketd)\n", out);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		fprintf(out, "  %-56s %14llu\n", names[i], (unsigned long long)v[i]);
	fputs("Interfaces               rx-packets      tx-packets  ring-drops  tx-ring-full\n", out);
	for (unsigned i = 0; i < d->nports; i++) {
		const struct pk_afp_stats *s = &d->port[i].stats;
		fprintf(out, "  %-16s %14llu  %14llu  %10llu  %12llu\n", d->port[i].name,
			(unsigned long long)s->rx_packets, (unsigned long long)s->tx_packets,
			(unsigned long long)s->rx_ring_drops, (unsigned long long)s->tx_ring_full);
	}
	fprintf(out, "Ruleset reloads            %14llu (refused %llu)\n", (unsigned long long)d->reloads,
		(unsigned long long)d->reloads_refused);
	pk_confirm_report(out, d);
}

void pk_report_stats(FILE *out, const struct pk_daemon *d)
{
	const struct pk_counters *c = pk_engine_counters(d->engine);
	uint64_t up = d->now_ns - d->started_ns;
	double secs = (double)up / 1e9;

	fprintf(out, "Status: Enabled for %llu days ", (unsigned long long)(up / 1000000000u / 86400));
	print_hms(out, up % (86400ull * 1000000000u));
	fprintf(out, "\n\nState Table                          Total             Rate\n");
	fprintf(out, "  %-25s %14llu\n", "current entries", (unsigned long long)c->states_current);
	counter_line(out, "searches", c->searches, secs);
	counter_line(out, "inserts", c->inserts, secs);
	counter_line(out, "removals", c->removals, secs);
	fputs("Counters\n", out);
	for (unsigned r = 1; r < PK_REASON_COUNT; r++)
		counter_line(out, pk_reason_name((enum pk_drop_reason)r), c->reason[r], secs);
	fputs("Syncookies\n", out);
	counter_line(out, "sent", c->syncookies_sent, secs);
	counter_line(out, "validated", c->syncookies_valid, secs);
	counter_line(out, "failed", c->syncookies_failed, secs);
	fputs("Decisions (rule walks, and repeats answered by the decision cache)\n", out);
	counter_line(out, "evaluated", c->decisions_evaluated, secs);
	counter_line(out, "recalled", c->decisions_recalled, secs);
	fputs("Overload\n", out);
	counter_line(out, "sources added", c->overload_added, secs);
	counter_line(out, "states flushed", c->overload_flushed, secs);
	fprintf(out, "Packets                          In            Out\n");
	fprintf(out, "  %-16s %14llu %14llu\n", "packets", (unsigned long long)c->packets_in,
		(unsigned long long)c->packets_out);
	fprintf(out, "  %-16s %14llu %14llu\n", "bytes", (unsigned long long)c->bytes_in,
		(unsigned long long)c->bytes_out);
	print_dp_counters(out, d);
}

const char *pk_report_action_name(uint8_t action)
{
	static const char *const names[] = {"pass", "block", "match", "scrub", "nat", "rdr", "binat"};
	return action < sizeof names / sizeof names[0] ? names[action] : "?";
}

static const char *const state_kinds[] = {"no state", "keep state", "modulate state", "synproxy state"};

void pk_report_rules(FILE *out, const struct pk_daemon *d, bool verbose)
{
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	char pbuf[8];

	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++) {
		const struct pk_rs_rule *r = pk_rs_rule(rs, i);
		fprintf(out, "@%u %s", r->nr, pk_report_action_name(r->action));
		if (r->action == PK_ACT_BLOCK && r->block != PK_BLOCK_DROP)
			fputs(" return", out);
		if (r->dir == PK_DIR_IN || r->dir == PK_DIR_OUT)
			fputs(r->dir == PK_DIR_IN ? " in" : " out", out);
		if (r->log)
			fputs(r->log_all ? " log (all)" : " log", out);
		if (r->quick)
			fputs(" quick", out);
		if (r->af)
			fputs(r->af == PK_AF_INET ? " inet" : " inet6", out);
		if (r->proto)
			fprintf(out, " proto %s", pk_report_proto_name(r->proto, pbuf));
		if (r->action == PK_ACT_PASS && r->state < 4 && r->state != PK_STATE_KEEP)
			fprintf(out, " %s", state_kinds[r->state]);
		if (r->label)
			fprintf(out, " label \"%s\"", r->label);
		fprintf(out, "  # %s:%u\n", pk_rs_rule_file(rs, i), r->line);
		if (!verbose)
			continue;
		const struct pk_rule_counters *c = pk_engine_rule_counters(d->engine, i);
		fprintf(out, "  [ Evaluations: %-8llu  Packets: %-8llu  Bytes: %-10llu  States: %-6u]\n",
			(unsigned long long)c->evaluations, (unsigned long long)c->packets,
			(unsigned long long)c->bytes, c->states_current);
		fprintf(out, "  [ State Creations: %llu ]\n", (unsigned long long)c->states_created);
	}
}

void pk_report_tables(FILE *out, const struct pk_daemon *d)
{
	pk_rs_list_tables(out, pk_engine_ruleset(d->engine));
}
