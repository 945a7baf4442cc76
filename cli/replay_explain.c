/* cli/replay_explain.c: the decision path of one replayed packet. */
#include "cli/replay_explain.h"

#include <string.h>

#include "runtime/pkt_desc.h"

static const char *const phase_names[PK_PHASE_COUNT] = {
	[PK_PHASE_SCRUB] = "scrub rules (first match)", [PK_PHASE_BINAT] = "binat rules (first match)",
	[PK_PHASE_RDR] = "rdr rules (first match)", [PK_PHASE_NAT] = "nat rules (first match)",
	[PK_PHASE_FILTER] = "filter rules (last match wins unless quick)"};

/* The fields the rules look at, read from the packet's headers. */
static void l4_fields(struct pk_match_pkt *m, const uint8_t *l4, size_t len)
{
	if ((m->proto == 6 || m->proto == 17) && len >= 4) {
		m->sport = (uint16_t)(l4[0] << 8 | l4[1]);
		m->dport = (uint16_t)(l4[2] << 8 | l4[3]);
		if (m->proto == 6 && len >= 14)
			m->tcp_flags = l4[13];
	} else if ((m->proto == 1 || m->proto == 58) && len >= 2) {
		m->icmp_type = l4[0];
		m->icmp_code = l4[1];
	}
}

/* With `set reassemble no` (frags) a fragment meets the rules as it is:
 * no upper-layer header (the engine's match_pkt). */
static bool match_fill(struct pk_match_pkt *m, const uint8_t *ip, size_t len, uint16_t iface, uint8_t dir, bool frags)
{
	memset(m, 0, sizeof *m);
	m->iface = iface;
	m->dir = dir;
	m->rcvif = dir == PK_DIR_IN ? iface : PK_RT_NO_IFACE;
	m->icmp_type = m->icmp_code = -1;
	if (len >= 20 && ip[0] >> 4 == 4) {
		size_t hl = (size_t)(ip[0] & 15) * 4;
		m->af = PK_AF_INET;
		m->proto = ip[9];
		m->tos = ip[1];
		m->ip_options = hl > 20;
		memcpy(m->src, ip + 12, 4);
		memcpy(m->dst, ip + 16, 4);
		m->fragment = frags && ((ip[6] << 8 | ip[7]) & 0x3fff);
		if (hl >= 20 && hl <= len && !m->fragment)
			l4_fields(m, ip + hl, len - hl);
		return true;
	}
	if (len >= 40 && ip[0] >> 4 == 6) {
		m->af = PK_AF_INET6;
		m->proto = ip[6];
		m->tos = (uint8_t)((ip[0] & 15) << 4 | ip[1] >> 4);
		memcpy(m->src, ip + 8, 16);
		memcpy(m->dst, ip + 24, 16);
		m->fragment = frags && m->proto == 44 && len >= 48;
		if (m->fragment)
			m->proto = ip[40]; /* the fragment header's next header */
		else
			l4_fields(m, ip + 40, len - 40);
		return true;
	}
	return false;
}

struct trace_ctx {
	FILE *out;
	const struct pk_rs *rs;
	unsigned n;
	enum pk_rt_phase phase;
};

static void visit(void *ctx, uint32_t rule)
{
	struct trace_ctx *t = ctx;
	const struct pk_rs_rule *r = pk_rs_rule(t->rs, rule);
	const char *src = pk_rp_rule_source(t->rs, rule);
	if (t->n++ == 0)
		fprintf(t->out, "    %s that match:\n", phase_names[t->phase]);
	fprintf(t->out, "      @%-4u line %-5u %s%s\n", r->nr, r->line, src ? src : "",
		r->quick ? "   (quick: evaluation stops)" : "");
}

static void print_state(FILE *out, const struct pk_verdict *v)
{
	static const char *const ev[] = {"", "created", "matched", "related"};
	if (v->state_event == PK_SE_MATCHED || v->state_event == PK_SE_RELATED) {
		fprintf(out, "    state lookup: %s state %u", v->state_event == PK_SE_MATCHED ? "matched" : "related to",
			v->state_id);
		if (v->src_after != 0xff)
			fprintf(out, " (%s:%s -> %s:%s)", pk_tcp_state_name(v->src_before),
				pk_tcp_state_name(v->dst_before), pk_tcp_state_name(v->src_after),
				pk_tcp_state_name(v->dst_after));
		fputs("; the rules are not evaluated\n", out);
		return;
	}
	fputs("    state lookup: no state matches; the rules decide\n", out);
	if (v->state_event == PK_SE_CREATED)
		fprintf(out, "    state %s: id %u\n", ev[v->state_event], v->state_id);
}

/* The filter rules as pf walks them: after a matching `match` rule with
 * nat-to or rdr-to, the rules see the translated packet, read here from
 * the packet as the step let it go (exact for one translation; with
 * several, the last one's addresses). */
static void explain_filter(FILE *out, const struct pk_rs *rs, struct pk_match_pkt *m, const uint8_t *after,
			   size_t after_len)
{
	struct trace_ctx t = {out, rs, 0, PK_PHASE_FILTER};
	struct pk_rs_result res;
	struct pk_match_pkt a;
	char d[PK_PKT_DESC_MAX];
	uint32_t k = pk_rs_filter_walk(rs, m, 0, &res, visit, &t);

	/* a fragment is translated by no rule */
	while (k != PK_RT_NO_RULE && !m->fragment && after &&
	       match_fill(&a, after, after_len, m->iface, m->dir, false)) {
		memcpy(m->src, a.src, sizeof(m->src));
		memcpy(m->dst, a.dst, sizeof(m->dst));
		m->sport = a.sport;
		m->dport = a.dport;
		fprintf(out, "      the rules after @%u see the packet translated: %s\n", pk_rs_rule(rs, k)->nr,
			pk_pkt_describe(after, after_len, d, sizeof d));
		k = pk_rs_filter_walk(rs, m, k + 1, &res, visit, &t);
	}
	if (t.n == 0)
		fputs("    no filter rule matches: pf passes by default\n", out);
}

/* The older translation phases as the engine takes them, the rules that
 * match listed: binat first (inbound, by its external address), then rdr
 * inbound or nat outbound, the first match deciding; none for a fragment.
 * The rule that decides, or PK_RT_NO_RULE. */
static uint32_t explain_older(FILE *out, const struct pk_rs *rs, struct pk_match_pkt *m)
{
	struct trace_ctx t = {out, rs, 0, PK_PHASE_BINAT};
	struct pk_rs_result res = {.rule = PK_RT_NO_RULE};

	if (m->fragment)
		return PK_RT_NO_RULE;
	if (m->dir == PK_DIR_OUT)
		pk_rs_classify_trace(rs, PK_PHASE_BINAT, m, &res, visit, &t);
	for (uint32_t i = 0; m->dir == PK_DIR_IN && res.rule == PK_RT_NO_RULE && i < pk_rs_nrules(rs); i++)
		if (pk_rs_binat_takes_in(rs, i, m->af, m->proto, m->iface, m->src, m->dst)) {
			visit(&t, i);
			res.rule = i;
		}
	if (res.rule != PK_RT_NO_RULE)
		return res.rule;
	t = (struct trace_ctx){out, rs, 0, m->dir == PK_DIR_IN ? PK_PHASE_RDR : PK_PHASE_NAT};
	pk_rs_classify_trace(rs, t.phase, m, &res, visit, &t);
	return res.rule;
}

/* rcvif: where the packet was received (replay's outbound packets are forwarded ones) */
static void explain_step(FILE *out, const struct pk_rs *rs, const struct pk_replay_step *s, uint16_t rcvif,
			 const uint8_t *ip, size_t len, const uint8_t *after, size_t after_len)
{
	fprintf(out, "  %s on %s:\n", s->dir == PK_DIR_IN ? "in" : "out", pk_rs_iface_name(rs, s->iface));
	print_state(out, &s->v);
	struct pk_match_pkt m;
	if (s->v.state_event != PK_SE_MATCHED && s->v.state_event != PK_SE_RELATED &&
	    match_fill(&m, ip, len, s->iface, s->dir, !(pk_rs_options(rs)->reassemble & PK_REASS_ON))) {
		m.local = pk_rs_is_self(rs, m.af, m.dir == PK_DIR_IN ? m.dst : m.src);
		m.rcvif = rcvif;
		struct trace_ctx t = {out, rs, 0, PK_PHASE_SCRUB};
		struct pk_rs_result res;
		pk_rs_classify_trace(rs, PK_PHASE_SCRUB, &m, &res, visit, &t);
		const uint32_t older = explain_older(out, rs, &m);
		const struct pk_rs_rule *nr = older == PK_RT_NO_RULE ? NULL : pk_rs_rule(rs, older);
		struct pk_match_pkt a;
		char d[PK_PKT_DESC_MAX];
		if (nr && nr->nat != PK_NAT_NONE && nr->natpass) {
			fprintf(out, "    @%u has pass: the filter rules are not walked, pf's default rule passes\n", nr->nr);
		} else {
			/* the filter rules see what the older rule made of the packet */
			if (nr && nr->nat != PK_NAT_NONE && after && match_fill(&a, after, after_len, m.iface, m.dir, false)) {
				memcpy(m.src, a.src, sizeof(m.src));
				memcpy(m.dst, a.dst, sizeof(m.dst));
				m.sport = a.sport;
				m.dport = a.dport;
				fprintf(out, "      the filter rules see the packet translated: %s\n",
					pk_pkt_describe(after, after_len, d, sizeof d));
			}
			/* once an older rule translated, no match rule translates again */
			explain_filter(out, rs, &m, nr && nr->nat != PK_NAT_NONE ? NULL : after, after_len);
		}
	}
	if (s->v.rule != PK_RT_NO_RULE)
		fprintf(out, "    decided by @%u (line %u): %s\n", pk_rs_rule(rs, s->v.rule)->nr,
			pk_rs_rule(rs, s->v.rule)->line, pk_rp_verdict_name(s->v.kind));
	else
		fprintf(out, "    decided by %s: %s\n",
			s->v.state_event == PK_SE_MATCHED || s->v.state_event == PK_SE_RELATED ? "the state"
												   : "no rule",
			pk_rp_verdict_name(s->v.kind));
	if (s->v.kind != PK_V_PASS && s->v.reason != PK_REASON_NONE)
		fprintf(out, "    reason: %s\n", pk_reason_name((enum pk_drop_reason)s->v.reason));
}

void pk_rp_explain(FILE *out, const struct pk_rs *rs, const struct pk_rp_pkt *p, const uint8_t *out_ip,
		   size_t out_len, const uint8_t *last_ip, size_t last_len)
{
	const struct pk_replay_result *r = p->res;
	char d[PK_PKT_DESC_MAX];
	fprintf(out, "packet %llu on %s: %s\n", (unsigned long long)p->n, pk_rs_iface_name(rs, p->iface),
		pk_pkt_describe(p->ip, p->len, d, sizeof d));
	explain_step(out, rs, &r->in, p->iface, p->ip, p->len, out_ip ? out_ip : last_ip, out_ip ? out_len : last_len);
	char a[64];
	if (r->stop == PK_STOP_SELF)
		fputs("  addressed to the firewall itself: not forwarded\n", out);
	else if (r->stop == PK_STOP_DIVERT)
		fprintf(out, "  diverted to %s port %u: delivered, unchanged, to a local socket; not forwarded\n",
			pk_rp_divert_addr(p->ip, &r->in.v, a, sizeof a), r->in.v.divert_port);
	else if (r->stop == PK_STOP_NO_ROUTE)
		fputs("  route: none in the topology for the destination: dropped\n", out);
	else if (r->stop == PK_STOP_TTL)
		fputs("  route: the TTL runs out: dropped\n", out);
	if (r->afto_egress != PK_RT_NO_IFACE)
		fprintf(out, "  af-to: translated to %s\n  route: leaves by %s without meeting the out rules "
			"(pf forwards it as generated)\n",
			pk_pkt_describe(last_ip, last_len, d, sizeof d), pk_rs_iface_name(rs, r->afto_egress));
	if (r->out.done) {
		fprintf(out, "  route: leaves by %s\n", pk_rs_iface_name(rs, r->out.iface));
		explain_step(out, rs, &r->out, p->iface, out_ip, out_len, last_ip, last_len);
	}
	for (uint32_t i = 0; i < r->ngen && i < PK_REPLAY_GEN_MAX; i++)
		fprintf(out, "  generated, out on %s: %s\n", pk_rs_iface_name(rs, r->gen[i].iface),
			pk_pkt_describe(r->gen[i].ip, r->gen[i].kept, d, sizeof d));
	fprintf(out, "  verdict: %s\n", pk_rp_verdict_name(r->kind));
}
