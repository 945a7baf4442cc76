/* cli/replay_report.c: the aggregates of `picket replay --report`, gathered per packet. */
#include "cli/replay_report.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/packet.h"
#include "runtime/xalloc.h"

#define FLOW_SLOTS (2 * PK_REPORT_FLOWS)
#define FIRST_WIDTH_NS 1000000u /* 1 ms: a short capture still spreads over the chart */

void pk_rp_report_init(struct pk_rp_report *rep, const struct pk_rs *rs)
{
	memset(rep, 0, sizeof *rep);
	rep->rs = rs;
	rep->width_ns = FIRST_WIDTH_NS;
	rep->iface = pk_xcalloc(pk_rs_niface(rs) + 1u, sizeof *rep->iface);
	rep->flow = pk_xcalloc(FLOW_SLOTS, sizeof *rep->flow);
}

void pk_rp_report_fini(struct pk_rp_report *rep)
{
	for (uint32_t i = 0; i < FLOW_SLOTS; i++)
		free(rep->flow[i].ip);
	free(rep->flow);
	free(rep->iface);
}

/* Halves the number of bins by merging neighbours: the chart keeps its
 * size, its bins cover twice the time. */
static void merge_bins(struct pk_rp_report *rep)
{
	for (uint32_t i = 0; i < PK_REPORT_BINS / 2; i++) {
		struct pk_report_bin *a = &rep->bin[2 * i], *b = &rep->bin[2 * i + 1], m = *a;
		if (!m.first_n)
			m.first_n = b->first_n;
		for (int k = 0; k < 4; k++)
			m.verdict[k] += b->verdict[k];
		rep->bin[i] = m;
	}
	memset(&rep->bin[PK_REPORT_BINS / 2], 0, sizeof rep->bin / 2);
	rep->nbins = (rep->nbins + 1) / 2;
	rep->width_ns *= 2;
}

static void count_bin(struct pk_rp_report *rep, uint64_t n, uint64_t ts_ns, uint8_t kind)
{
	if (!rep->nbins)
		rep->t0_ns = ts_ns;
	uint64_t at = ts_ns > rep->t0_ns ? ts_ns - rep->t0_ns : 0;
	while (at / rep->width_ns >= PK_REPORT_BINS)
		merge_bins(rep);
	uint32_t i = (uint32_t)(at / rep->width_ns);
	if (!rep->bin[i].first_n)
		rep->bin[i].first_n = n;
	rep->bin[i].verdict[kind]++;
	if (i + 1 > rep->nbins)
		rep->nbins = i + 1;
}

static uint32_t flow_hash(const struct pk_report_flow *k)
{
	uint32_t h = 2166136261u;
	const uint8_t head[6] = {k->af, k->proto, (uint8_t)k->iface, (uint8_t)(k->iface >> 8), (uint8_t)k->dport,
				 (uint8_t)(k->dport >> 8)};
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ head[i]) * 16777619u;
	for (size_t i = 0; i < 16; i++)
		h = ((h ^ k->src[i]) * 16777619u ^ k->dst[i]) * 16777619u;
	return h;
}

static bool same_flow(const struct pk_report_flow *a, const struct pk_report_flow *b)
{
	return a->af == b->af && a->proto == b->proto && a->iface == b->iface && a->dport == b->dport &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

static void count_flow(struct pk_rp_report *rep, const struct pk_rp_pkt *p)
{
	struct pk_pkt pp;
	struct pk_report_flow key = {.iface = p->iface};
	if (pk_pkt_parse(p->ip, p->len, &pp) == PK_REASON_NONE) {
		key.af = pp.af, key.proto = pp.proto;
		key.dport = pp.icmp_type >= 0 ? (uint16_t)pp.icmp_type : pp.dport;
		memcpy(key.src, pp.src, 16);
		memcpy(key.dst, pp.dst, 16);
	} else if (!pk_replay_addrs(p->ip, p->len, &key.af, key.src, key.dst))
		return;
	uint32_t i = flow_hash(&key) & (FLOW_SLOTS - 1);
	while (rep->flow[i].packets && !same_flow(&rep->flow[i], &key))
		i = (i + 1) & (FLOW_SLOTS - 1);
	struct pk_report_flow *f = &rep->flow[i];
	if (!f->packets) {
		if (rep->nflows == PK_REPORT_FLOWS) {
			rep->untracked++;
			return;
		}
		*f = key;
		f->first_n = p->n, f->first_ns = p->ts_ns, f->kind = p->res->kind;
		f->ip = pk_xmalloc(p->len);
		memcpy(f->ip, p->ip, p->len);
		f->len = p->len;
		f->res = *p->res;
		rep->nflows++;
	}
	f->packets++;
	f->bytes += p->len;
}

void pk_rp_report_packet(struct pk_rp_report *rep, const struct pk_rp_pkt *p)
{
	const uint8_t kind = p->res->kind <= PK_V_HOLD ? p->res->kind : PK_V_BLOCK;
	count_bin(rep, p->n, p->ts_ns, kind);
	struct pk_report_iface *in = &rep->iface[p->iface < pk_rs_niface(rep->rs) ? p->iface : pk_rs_niface(rep->rs)];
	in->verdict[kind]++;
	in->bytes += p->len;
	if (kind == PK_V_BLOCK || kind == PK_V_REJECT)
		count_flow(rep, p);
}
