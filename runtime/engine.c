/*
 * runtime/engine.c: the engine's life cycle, pf_test's outline, counters,
 * expiry and the state listing for the control socket.
 *
 * A packet goes through: parse (malformed -> blocked by reason), TCP
 * normalisation, the state table (a packet matching a state skips the
 * rules; an ICMP error quoting a tracked connection is related), else the
 * rules: legacy scrub, binat/rdr/nat (first match), then the filter (last
 * match unless quick, no match passes), then state creation.
 */
#include "runtime/engine.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/engine_priv.h"
#include "runtime/syncookie.h"
#include "runtime/synproxy.h"
#include "runtime/wire.h"

static const char *const reason_names[PK_REASON_COUNT] = {
	[PK_REASON_NONE] = "none",
#define PK_REASON_NAME(id, name) [PK_REASON_##id] = name,
	PK_DROP_REASONS(PK_REASON_NAME)
#undef PK_REASON_NAME
};

const char *pk_reason_name(enum pk_drop_reason r)
{
	return (unsigned)r < PK_REASON_COUNT ? reason_names[r] : "unknown";
}

static int rule_arrays(struct pk_engine *e)
{
	uint32_t n = pk_rs_nrules(e->rs), k;

	free(e->rc);
	free(e->rule_src_nodes);
	free(e->binat);
	e->rc = calloc(n ? n : 1, sizeof(*e->rc));
	e->rule_src_nodes = calloc(n ? n : 1, sizeof(*e->rule_src_nodes));
	e->binat = calloc(n ? n : 1, sizeof(*e->binat));
	e->rules = pk_rs_rules(e->rs);
	e->nrules = n;
	e->nbinat = 0;
	e->has_synproxy = e->has_probability = e->tests_tos = e->tests_owner = e->match_translates = false;
	e->sends_elsewhere = false;
	e->tcp_mask = 0;
	if (!e->rc || !e->rule_src_nodes || !e->binat)
		return -1;
	for (k = 0; k < n; k++) {
		const struct pk_rs_rule *r = pk_eng_rule(e, k);

		if (r->state == PK_STATE_SYNPROXY)
			e->has_synproxy = true;
		e->has_probability |= r->probability;
		e->tests_tos |= r->tests_tos;
		e->tests_owner |= r->tests_owner;
		e->match_translates |= r->action == PK_ACT_MATCH && r->nat != PK_NAT_NONE;
		e->sends_elsewhere |= r->route != PK_ROUTE_NONE || r->divert == PK_DIVERT_TO;
		e->tcp_mask |= r->tcp_mask;
		if (r->action == PK_ACT_BINAT && r->nat == PK_NAT_BINAT_TO)
			e->binat[e->nbinat++] = k;
	}
	return 0;
}

struct pk_engine *pk_engine_new(struct pk_rs *rs, const struct pk_engine_config *cfg)
{
	struct pk_engine *e = calloc(1, sizeof(*e));
	const struct pk_rs_options *o;

	if (!e)
		return NULL;
	e->rs = rs;
	e->opt = o = pk_rs_options(rs);
	if (cfg)
		e->cfg = *cfg;
	e->rng = e->cfg.seed ? e->cfg.seed : 0x9e3779b97f4a7c15ull;
	if (!e->cfg.no_decision_cache)
		pk_dc_init(&e->dc, e->rng);
	if (pk_st_init(&e->st, o->limit_states, e->rng) || pk_sn_init(&e->sn, o->limit_src_nodes) ||
	    pk_frag_init(&e->frag, o->limit_frags) || rule_arrays(e)) {
		e->rs = NULL;
		pk_engine_free(e);
		return NULL;
	}
	e->nat_cursor = (uint16_t)pk_eng_random(e);
	pk_syncookie_key(e->cfg.seed, e->cookie_key);
	return e;
}

void pk_engine_free(struct pk_engine *e)
{
	if (!e)
		return;
	pk_st_fini(&e->st);
	pk_sn_fini(&e->sn);
	pk_frag_fini(&e->frag);
	pk_dc_fini(&e->dc);
	free(e->rc);
	free(e->rule_src_nodes);
	free(e->binat);
	if (e->rs)
		pk_rs_free(e->rs);
	free(e);
}

/* States survive a reload, as in pf; they lose the link to their old rule
 * (per-rule timeouts and counters) and their source nodes. */
void pk_engine_reload(struct pk_engine *e, struct pk_rs *rs)
{
	uint32_t i;

	/* only the slots ever used: the others' pages stay untouched */
	for (i = 0; i < e->st.unused; i++) {
		e->st.st[i].rule = PK_RT_NO_RULE;
		e->st.st[i].flags &= (uint8_t)~PK_SF_SRC_CONN;
		if (pk_st_ext(&e->st, i))
			pk_st_ext(&e->st, i)->src_node = PK_SN_NONE;
	}
	pk_rs_table_carry(rs, e->rs);
	pk_rs_free(e->rs);
	e->rs = rs;
	e->opt = pk_rs_options(rs);
	/* decisions of the old rules; a new engine's cache is calloc'd empty and
	 * left untouched, pages a short replay never needs */
	pk_dc_clear(&e->dc);
	pk_sn_fini(&e->sn);
	if (pk_sn_init(&e->sn, e->opt->limit_src_nodes) || rule_arrays(e))
		e->nrules = 0;
}

const struct pk_rs *pk_engine_ruleset(const struct pk_engine *e)
{
	return e->rs;
}

const struct pk_counters *pk_engine_counters(const struct pk_engine *e)
{
	return &e->c;
}

const struct pk_rule_counters *pk_engine_rule_counters(const struct pk_engine *e, uint32_t rule)
{
	return rule < e->nrules ? &e->rc[rule] : NULL;
}

uint64_t pk_eng_state_expires_ms(const struct pk_engine *e, const struct pk_state *s)
{
	/* the state's last activity on the engine's 64-bit clock */
	uint64_t last = e->now_ms64 - (uint32_t)((uint32_t)e->now_ms64 - s->last_ms);

	return last + pk_eng_timeout_ms(e, s);
}

void pk_eng_state_remove(struct pk_engine *e, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	uint32_t sn = pk_st_src_node(&e->st, i);

	if (!(s->flags & PK_SF_USED))
		return;
	if (s->rule < e->nrules && e->rc[s->rule].states_current)
		e->rc[s->rule].states_current--;
	if (sn != PK_SN_NONE && e->sn.n[sn].used) {
		struct pk_src_node *n = &e->sn.n[sn];

		n->states--;
		if ((s->flags & PK_SF_SRC_CONN) && n->conn)
			n->conn--;
		if (n->states == 0) {
			if (n->rule < e->nrules && e->rule_src_nodes[n->rule])
				e->rule_src_nodes[n->rule]--;
			pk_sn_remove(&e->sn, sn);
		}
	}
	pk_st_remove(&e->st, i);
	e->c.removals++;
	e->c.states_current = e->st.count;
}

uint32_t pk_engine_expire(struct pk_engine *e, uint64_t now_ns, uint32_t budget)
{
	uint32_t now_ms, removed = 0;

	if (!e->epoch_set || e->st.cap == 0)
		return 0;
	now_ms = now_ns > e->epoch_ns ? (uint32_t)((now_ns - e->epoch_ns) / 1000000u) : 0;
	if (now_ns > e->epoch_ns && (now_ns - e->epoch_ns) / 1000000u > e->now_ms64)
		e->now_ms64 = (now_ns - e->epoch_ns) / 1000000u;
	pk_frag_expire(&e->frag, now_ms, e->opt->timeouts[PK_TMO_FRAG]);
	pk_st_prepare(&e->st);
	while (budget) {
		uint32_t i = e->st.cursor;

		if (i >= e->st.unused) {
			/* Slots never used hold no state: passed over as examined, not
			 * read, so the sweep's pace stays that of a full table. */
			uint32_t n = budget < e->st.cap - i ? budget : e->st.cap - i;
			budget -= n;
			e->st.cursor = (i + n) % e->st.cap;
			continue;
		}
		budget--;
		e->st.cursor = (i + 1) % e->st.cap;
		if ((e->st.st[i].flags & PK_SF_USED) && pk_eng_state_expired(e, &e->st.st[i], now_ms)) {
			pk_eng_state_remove(e, i);
			removed++;
		}
	}
	return removed;
}

void pk_eng_emit(struct pk_engine *e, struct pk_ctx *x, const uint8_t *pkt, size_t len)
{
	uint16_t iface = x->iface;
	uint8_t dst[16] = {0};
	bool v6 = pk_ip_version(pkt) == 6;
	uint8_t af = v6 ? PK_AF_INET6 : PK_AF_INET;

	/* generated packets leave by the route to their destination */
	memcpy(dst, pkt + pk_ip_dst_off(v6), pk_ip_alen(v6));
	if (!pk_rs_route_iface(e->rs, af, dst, &iface))
		iface = x->iface;
	x->v->generated++;
	if (e->cfg.emit)
		e->cfg.emit(e->cfg.emit_ctx, iface, PK_DIR_OUT, pkt, len);
}

static void block(struct pk_ctx *x, enum pk_drop_reason r)
{
	x->v->kind = PK_V_BLOCK;
	x->v->reason = (uint8_t)r;
}

/* What the rules read of packet p seen in direction dir on iface, but for
 * local and random, which need the engine (match_pkt). */
static void match_fields(const struct pk_pkt *p, uint8_t dir, uint16_t iface, bool as_syn, uint16_t tag,
			 uint16_t rcvif, struct pk_match_pkt *m)
{
	bool icmp = p->icmp_type >= 0;

	memset(m, 0, sizeof(*m));
	m->af = p->af;
	m->proto = p->proto;
	m->dir = dir;
	m->tcp_flags = p->proto == PK_PROTO_TCP ? (as_syn ? PK_TH_SYN : p->th_flags) : 0;
	m->iface = iface;
	m->sport = icmp ? 0 : p->sport;
	m->dport = icmp ? 0 : p->dport;
	memcpy(m->src, p->src, 16);
	memcpy(m->dst, p->dst, 16);
	m->icmp_type = p->icmp_type;
	m->icmp_code = p->icmp_code;
	if (p->fragment) {
		/* pf reads no upper-layer header of a fragment, not even the first one's */
		m->fragment = true;
		m->tcp_flags = 0;
		m->sport = m->dport = 0;
		m->icmp_type = m->icmp_code = -1;
	}
	m->tos = p->tos;
	m->ip_options = p->ip_options;
	m->tag = tag;
	m->rcvif = rcvif;
}

/* pf looks the socket up by the addresses as they arrived, before any translation */
static bool local(const struct pk_engine *e, const struct pk_pkt *p, uint8_t dir)
{
	return e->tests_owner && pk_rs_is_self(e->rs, p->af, dir == PK_DIR_IN ? p->dst : p->src);
}

static void match_pkt(struct pk_engine *e, const struct pk_ctx *x, struct pk_match_pkt *m)
{
	match_fields(&x->p, x->dir, x->iface, x->as_syn, x->tag_in, x->rcvif, m);
	m->local = local(e, &x->p, x->dir);
	m->random = x->probe ? 0 : pk_eng_random(e); /* drawn per packet for `probability` */
}

/* A packet's fields made the decision cache's key, in place: only what
 * some rule reads, so that a flow's data, ACK and FIN segments share the
 * decision when no rule tells them apart. */
static void decision_key(uint8_t tcp_mask, bool tests_tos, struct pk_match_pkt *k)
{
	k->tcp_flags &= tcp_mask;
	k->tos = tests_tos ? k->tos : 0;
	k->ip_options = false;
	k->random = 0; /* drawn for every packet, read by no rule here */
}

struct pk_engine_dc_view pk_engine_dc_view(const struct pk_engine *e)
{
	return (struct pk_engine_dc_view){.seed = e->dc.seed,
					  .keeps = e->dc.e && !e->has_probability,
					  .tests_tos = e->tests_tos,
					  .tests_owner = e->tests_owner,
					  .tcp_mask = e->tcp_mask};
}

uint32_t pk_engine_decision_hash(const struct pk_engine_dc_view *v, const struct pk_pkt *p, uint16_t iface,
				 bool to_self)
{
	struct pk_match_pkt k;

	if (!v->keeps)
		return 0;
	match_fields(p, PK_DIR_IN, iface, false, 0, iface, &k); /* as pk_engine_packet_parsed sees it */
	k.local = v->tests_owner && to_self;
	decision_key(v->tcp_mask, v->tests_tos, &k);
	return pk_dc_hash(v->seed, &k);
}

void pk_engine_prefetch_decision(const struct pk_engine *e, uint32_t hash)
{
	if (hash)
		pk_dc_prefetch(&e->dc, hash);
}

/* The first-match translation phases: binat, then rdr inbound or nat outbound. */
static uint32_t translation_rule(const struct pk_engine *e, const struct pk_ctx *x, const struct pk_match_pkt *m)
{
	struct pk_rs_result res;

	/* binat matches inbound packets by its external address (pf_match_translation) */
	res.rule = m->dir == PK_DIR_IN ? pk_eng_binat_in_rule(e, x) : PK_RT_NO_RULE;
	if (m->dir == PK_DIR_OUT)
		pk_rs_classify(e->rs, PK_PHASE_BINAT, m, &res);
	if (res.rule == PK_RT_NO_RULE)
		pk_rs_classify(e->rs, m->dir == PK_DIR_IN ? PK_PHASE_RDR : PK_PHASE_NAT, m, &res);
	if (res.rule != PK_RT_NO_RULE && pk_eng_rule(e, res.rule)->nat == PK_NAT_NONE)
		return PK_RT_NO_RULE; /* "no nat" / "no rdr" */
	return res.rule;
}

/* Compute the translation of d->nat_rule now and show the rules what it
 * makes of the packet: the older nat/rdr/binat rules translate before
 * filtering (pf.conf: "translation occurs before filtering"), and a `match`
 * rule's nat-to or rdr-to before the rules after it. Each translation
 * starts from the packet as it arrived. */
static void translate(struct pk_engine *e, struct pk_ctx *x, struct pk_decision *d, struct pk_match_pkt *m)
{
	int k = x->dir == PK_DIR_IN ? PK_SK_STACK : PK_SK_WIRE, si = x->dir == PK_DIR_IN ? 0 : 1;

	pk_eng_pkt_key(&x->p, x->dir, &d->keys[PK_SK_WIRE]);
	d->keys[PK_SK_STACK] = d->keys[PK_SK_WIRE];
	d->keys_ready = true;
	if (!pk_eng_nat_keys(e, x, pk_eng_rule(e, d->nat_rule), d->keys)) {
		d->map_failed = true;
		return;
	}
	memcpy(m->src, d->keys[k].addr[si], 16);
	memcpy(m->dst, d->keys[k].addr[1 - si], 16);
	if (m->sport || m->dport) {
		m->sport = d->keys[k].port[si];
		m->dport = d->keys[k].port[1 - si];
	}
}

/* Did a `match` rule with a translation match the packet as it arrived? */
static bool match_rule_translates(const struct pk_engine *e, const struct pk_rs_result *res)
{
	if (!e->match_translates)
		return false;
	for (uint32_t k = 0; k < res->nmatches && k < PK_RS_MAX_MATCHES; k++)
		if (pk_eng_rule(e, res->matches[k])->nat != PK_NAT_NONE)
			return true;
	return false;
}

/* pf matches each rule against the packet as translated so far (pd->nsaddr,
 * pd->ndaddr): the rules after a matching `match` rule with nat-to or
 * rdr-to see the new addresses and ports. The decision tree walked the
 * packet as it arrived, so the phase is walked again rule by rule,
 * translating at each such rule; a later one replaces an earlier one. */
static void filter_translating(struct pk_engine *e, struct pk_ctx *x, struct pk_decision *d, struct pk_match_pkt *m,
			       struct pk_rs_result *res)
{
	uint32_t t = pk_rs_filter_walk(e->rs, m, 0, res, NULL, NULL);

	while (t != PK_RT_NO_RULE && !d->map_failed) {
		d->nat_rule = t;
		translate(e, x, d, m);
		t = pk_rs_filter_walk(e->rs, m, t + 1, res, NULL, NULL);
	}
}

static void count_rule(struct pk_engine *e, const struct pk_ctx *x, uint32_t r)
{
	if (r >= e->nrules || x->probe)
		return;
	e->rc[r].evaluations++;
	e->rc[r].packets++;
	e->rc[r].bytes += *x->len;
}

/* The options of matching match rules, later ones overriding earlier. */
static void apply_matches(const struct pk_engine *e, const struct pk_rs_result *res, struct pk_decision *d)
{
	uint32_t k;

	for (k = 0; k < res->nmatches && k < PK_RS_MAX_MATCHES; k++) {
		const struct pk_rs_rule *r = pk_eng_rule(e, res->matches[k]);

		if (r->nat != PK_NAT_NONE && !d->keys_ready)
			d->nat_rule = res->matches[k];
		if (r->scrub)
			d->scrub_rule = res->matches[k];
		if (r->tag)
			d->tag = r->tag;
	}
}

/* A cached entry's decision for the packet, its counters bumped as the
 * walk that made it bumped them. */
static void take(struct pk_engine *e, const struct pk_ctx *x, const struct pk_dc_entry *c, struct pk_decision *d)
{
	d->rule = c->rule;
	d->nat_rule = c->nat_rule;
	d->scrub_rule = c->scrub_rule;
	d->tag = c->tag;
	for (uint8_t i = 0; i < c->ncounted; i++)
		count_rule(e, x, c->counted[i]);
}

/* A kept decision for the packet, or one a reading thread worked out
 * ahead for this very key (pk_engine_decide_pass: the walk this miss would
 * make, made there, and kept as the walk's would be); false when there is
 * none, with *slot the entry to fill under key *k (or NULL when this
 * decision must not be kept). */
static bool recall(struct pk_engine *e, const struct pk_ctx *x, const struct pk_match_pkt *m,
		   struct pk_decision *d, struct pk_dc_entry **slot, struct pk_match_pkt *k)
{
	const struct pk_decision_ahead *a = x->ahead;
	struct pk_dc_entry *c;
	bool hit;

	*slot = NULL;
	if (x->probe || e->has_probability)
		return false;
	*k = *m;
	decision_key(e->tcp_mask, e->tests_tos, k);
	c = pk_dc_slot(&e->dc, k, &hit);
	if (hit) {
		e->c.decisions_recalled++;
		take(e, x, c, d);
		return true;
	}
	e->c.decisions_evaluated++;
	if (a && a->valid && memcmp(&a->key, k, sizeof(*k)) == 0) {
		pk_dc_keep(&e->dc, c, k, &a->entry);
		take(e, x, &a->entry, d);
		return true;
	}
	*slot = c;
	return false;
}

/* The entry a cache keeps of what walk() decided, unless a translation was
 * computed on the way (an older nat/rdr/binat rule's or a match rule's:
 * its port allocation must run again) or it counted too many rules. */
static bool entry_of(const struct pk_decision *d, uint32_t scrub_phase, const struct pk_rs_result *res,
		     struct pk_dc_entry *c)
{
	uint32_t k, n = scrub_phase != PK_RT_NO_RULE;

	if (d->keys_ready || n + res->nmatches > PK_DC_COUNTED)
		return false;
	if (n)
		c->counted[0] = scrub_phase;
	for (k = 0; k < res->nmatches; k++)
		c->counted[n + k] = res->matches[k];
	c->ncounted = (uint8_t)(n + res->nmatches);
	c->rule = d->rule;
	c->nat_rule = d->nat_rule;
	c->scrub_rule = d->scrub_rule;
	c->tag = d->tag;
	return true;
}

/* The rules' walk for the packet as m shows it: d, and the entry a cache
 * keeps of it in *c (false when it is not one to keep). With x->plain it
 * stops, false, where a translation would be computed: that needs the
 * engine's ports and states. Inlined into decide(), as it was before the
 * walks ahead (pk_eng_walk_ahead) called it too. */
static inline __attribute__((always_inline)) bool walk(struct pk_engine *e, struct pk_ctx *x, struct pk_match_pkt *m,
							 struct pk_decision *d, struct pk_dc_entry *c)
{
	struct pk_rs_result res;
	uint32_t k, scrub_phase;

	pk_rs_classify(e->rs, PK_PHASE_SCRUB, m, &res);
	d->scrub_rule = scrub_phase = res.rule;
	count_rule(e, x, d->scrub_rule);
	/* a fragment is translated by no rule: pf keeps no state for it */
	d->nat_rule = x->p.fragment ? PK_RT_NO_RULE : translation_rule(e, x, m);
	if (d->nat_rule != PK_RT_NO_RULE) {
		if (x->plain)
			return false;
		count_rule(e, x, d->nat_rule);
		translate(e, x, d, m);
		/* pf_test_rule: with `pass` the filter rules are not walked, pf's
		 * default rule passes and the translation keeps a state */
		if (pk_eng_rule(e, d->nat_rule)->natpass) {
			d->rule = PK_RT_NO_RULE;
			return false;
		}
	}
	pk_rs_classify(e->rs, PK_PHASE_FILTER, m, &res);
	if (!d->keys_ready && !x->p.fragment && match_rule_translates(e, &res)) {
		if (x->plain)
			return false;
		filter_translating(e, x, d, m, &res);
	}
	d->rule = res.rule;
	apply_matches(e, &res, d);
	for (k = 0; k < res.nmatches && k < PK_RS_MAX_MATCHES; k++)
		count_rule(e, x, res.matches[k]);
	if (d->rule != PK_RT_NO_RULE) {
		const struct pk_rs_rule *r = pk_eng_rule(e, d->rule);

		/* the deciding rule's own translation replaces a match rule's */
		if (r->nat != PK_NAT_NONE && d->keys_ready && !d->map_failed &&
		    pk_eng_rule(e, d->nat_rule)->action == PK_ACT_MATCH) {
			d->nat_rule = d->rule;
			translate(e, x, d, m);
		} else if (r->nat != PK_NAT_NONE && !d->keys_ready) {
			d->nat_rule = d->rule;
		}
		if (r->scrub)
			d->scrub_rule = d->rule;
		if (r->tag)
			d->tag = r->tag;
	}
	return entry_of(d, scrub_phase, &res, c);
}

void pk_eng_ahead_key(const struct pk_engine *e, const struct pk_pkt *p, uint8_t dir, uint16_t iface, uint16_t tag,
		      uint16_t rcvif, struct pk_match_pkt *m, struct pk_match_pkt *k)
{
	match_fields(p, dir, iface, false, tag, rcvif, m); /* as match_pkt, nothing drawn */
	m->local = local(e, p, dir);
	*k = *m;
	decision_key(e->tcp_mask, e->tests_tos, k);
}

bool pk_eng_walk_ahead(struct pk_engine *e, struct pk_ctx *x, struct pk_match_pkt *m, struct pk_dc_entry *c)
{
	struct pk_decision d = {.rule = PK_RT_NO_RULE, .nat_rule = PK_RT_NO_RULE, .scrub_rule = PK_RT_NO_RULE};

	return walk(e, x, m, &d, c);
}

static void decide(struct pk_engine *e, struct pk_ctx *x, struct pk_decision *d)
{
	struct pk_match_pkt m, key;
	struct pk_dc_entry *slot, kept;

	match_pkt(e, x, &m);
	if (recall(e, x, &m, d, &slot, &key))
		return;
	if (walk(e, x, &m, d, &kept))
		pk_dc_keep(&e->dc, slot, &key, &kept);
}

static bool synproxy_rule(const struct pk_engine *e, uint32_t rule)
{
	const struct pk_rs_rule *r = rule == PK_RT_NO_RULE ? NULL : pk_eng_rule(e, rule);

	return r && r->action == PK_ACT_PASS && r->state == PK_STATE_SYNPROXY;
}

/* A bare ACK without a state may complete a SYN cookie handshake: it must
 * match, evaluated as a SYN, the synproxy rule that sent the cookie. */
static bool cookie_ack(struct pk_engine *e, struct pk_ctx *x)
{
	struct pk_decision d = {.rule = PK_RT_NO_RULE, .nat_rule = PK_RT_NO_RULE, .scrub_rule = PK_RT_NO_RULE};

	if (!e->has_synproxy || x->p.proto != PK_PROTO_TCP || x->p.fragment ||
	    (x->p.th_flags & (PK_TH_SYN | PK_TH_ACK | PK_TH_RST | PK_TH_FIN)) != PK_TH_ACK)
		return false;
	x->as_syn = x->probe = true;
	decide(e, x, &d);
	x->as_syn = x->probe = false;
	if (!synproxy_rule(e, d.rule))
		return false;
	x->v->rule = d.rule;
	count_rule(e, x, d.rule);
	pk_eng_synproxy_ack(e, x, &d);
	return true;
}

/* A fragment the rules see as one (set reassemble no): no state, no
 * translation, and a block answers with no RST or ICMP error; pf counts
 * any drop of it as reason fragment (pf_test, pf_test_rule). */
static void fragment_verdict(struct pk_engine *e, struct pk_ctx *x, uint32_t rule)
{
	const struct pk_rs_rule *r;

	if (rule == PK_RT_NO_RULE)
		return;
	r = pk_eng_rule(e, rule);
	count_rule(e, x, rule);
	if (r->action == PK_ACT_BLOCK || (x->p.ip_options && !r->allow_opts))
		block(x, PK_REASON_FRAGMENT);
}

static void filter(struct pk_engine *e, struct pk_ctx *x)
{
	struct pk_decision d = {.rule = PK_RT_NO_RULE, .nat_rule = PK_RT_NO_RULE, .scrub_rule = PK_RT_NO_RULE};
	const struct pk_rs_rule *r;

	if (cookie_ack(e, x))
		return;
	decide(e, x, &d);
	x->v->rule = d.rule;
	x->v->tag = d.tag ? d.tag : x->tag_in;
	if (x->p.fragment) {
		fragment_verdict(e, x, d.rule);
		return;
	}
	if (d.rule == PK_RT_NO_RULE) {
		/* pf's default rule passes without state, unless a translation needs one */
		if (d.nat_rule != PK_RT_NO_RULE && !x->p.icmp_error)
			pk_eng_state_create(e, x, &d);
		return;
	}
	r = pk_eng_rule(e, d.rule);
	count_rule(e, x, d.rule);
	if (r->action == PK_ACT_BLOCK) {
		block(x, PK_REASON_MATCH);
		if (pk_eng_reject(e, x, r))
			x->v->kind = PK_V_REJECT;
		return;
	}
	if (x->p.ip_options && !r->allow_opts) {
		block(x, PK_REASON_IP_OPTION); /* pf drops IP options unless allow-opts */
		return;
	}
	if (synproxy_rule(e, d.rule) && x->p.proto == PK_PROTO_TCP &&
	    (x->p.th_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN) {
		pk_eng_synproxy_cookie(e, x); /* no state until the client's ACK proves the cookie */
		return;
	}
	/* translated packets always get a state (pf_test_rule: keep_state || nr), af-to's too */
	if ((r->state != PK_STATE_NONE || d.nat_rule != PK_RT_NO_RULE || r->afto.af) && !x->p.icmp_error)
		pk_eng_state_create(e, x, &d);
}

static bool skipped(const struct pk_engine *e, uint16_t iface)
{
	uint16_t k;

	for (k = 0; k < e->opt->nskip; k++)
		if (e->opt->skip[k] == iface)
			return true;
	return false;
}

static void clock_in(struct pk_engine *e, struct pk_ctx *x, uint64_t now_ns)
{
	if (!e->epoch_set) {
		e->epoch_ns = now_ns;
		e->epoch_set = true;
	}
	x->now_ns = now_ns;
	x->now_ms = now_ns > e->epoch_ns ? (uint32_t)((now_ns - e->epoch_ns) / 1000000u) : 0;
	if (now_ns > e->epoch_ns && (now_ns - e->epoch_ns) / 1000000u > e->now_ms64)
		e->now_ms64 = (now_ns - e->epoch_ns) / 1000000u;
}

static void verdict_init(struct pk_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = PK_V_PASS;
	v->rule = PK_RT_NO_RULE;
	v->state_rule = PK_RT_NO_RULE;
	v->route_iface = PK_RT_NO_IFACE;
	v->src_before = v->dst_before = v->src_after = v->dst_after = 0xff;
}

static void count_packet(struct pk_engine *e, uint8_t dir, size_t len)
{
	if (dir == PK_DIR_IN) {
		e->c.packets_in++;
		e->c.bytes_in += len;
	} else {
		e->c.packets_out++;
		e->c.bytes_out += len;
	}
}

/* A forwarded packet's way out takes its way in's parse when forwarding
 * and scrub changed only bytes the parse does not judge by (the TTL, ...:
 * runtime/pkt_memo.h), and skips TCP normalization when the way in's found
 * nothing to change in the bytes compared (*normal). */
static enum pk_drop_reason parse(struct pk_engine *e, struct pk_ctx *x, bool *normal)
{
	enum pk_drop_reason r;

	*normal = false;
	if (x->dir == PK_DIR_OUT && pk_pkt_memo_recall(&e->parsed_in, x->ip, *x->len, &x->p)) {
		*normal = e->parsed_in_normal;
		return PK_REASON_NONE;
	}
	if (x->parsed) { /* taken once: a reassembled packet is parsed here */
		x->p = *x->parsed;
		x->parsed = NULL;
		r = PK_REASON_NONE;
	} else
		r = pk_pkt_parse(x->ip, *x->len, &x->p);
	if (x->dir == PK_DIR_IN && r == PK_REASON_NONE) {
		pk_pkt_memo_keep(&e->parsed_in, x->ip, *x->len, &x->p);
		e->parsed_in_normal = false;
	}
	return r;
}

static void handle(struct pk_engine *e, struct pk_ctx *x)
{
	bool normal, held = false;
	enum pk_drop_reason r = parse(e, x, &normal);
	uint32_t i;

	if (r == PK_REASON_NONE && x->p.fragment)
		r = pk_eng_normalize_fragment(e, x, &held);
	if (held)
		return;
	if (r == PK_REASON_NONE && x->p.proto == PK_PROTO_TCP && !x->p.fragment && !normal) {
		r = pk_eng_normalize_tcp(x);
		/* nothing changed: the verdict is fresh, only normalization has marked it yet */
		if (x->dir == PK_DIR_IN)
			e->parsed_in_normal = r == PK_REASON_NONE && !x->v->translated;
	}
	if (r != PK_REASON_NONE) {
		block(x, r);
		return;
	}
	/* a fragment the rules see as one matches no state (pf_test's PF_VPROTO_FRAGMENT) */
	if (!x->p.fragment) {
		if (x->p.icmp_error && pk_eng_icmp_related(e, x))
			return;
		i = pk_eng_state_lookup(e, x);
		if (i != PK_ST_NONE) {
			pk_eng_state_apply(e, x, i);
			return;
		}
	}
	filter(e, x);
}

/* route-to and dup-to follow the packets of the state's creator's direction,
 * reply-to the others (pf_test's s->rt handling). */
static void route(struct pk_engine *e, struct pk_ctx *x)
{
	uint32_t rule = x->v->state_rule != PK_RT_NO_RULE ? x->v->state_rule : x->v->rule;
	const struct pk_rs_rule *r = rule < e->nrules ? pk_eng_rule(e, rule) : NULL;
	uint16_t iface;

	if (x->v->kind != PK_V_PASS || !r || r->route == PK_ROUTE_NONE ||
	    x->reply != (r->route == PK_ROUTE_REPLY_TO))
		return;
	iface = r->route_iface;
	if (iface == PK_RT_NO_IFACE && !pk_rs_route_iface(e->rs, x->p.af, r->route_gw, &iface))
		return; /* a gateway with no route to it: the routing table decides */
	if (r->route == PK_ROUTE_DUP_TO) {
		x->v->generated++;
		if (e->cfg.emit)
			e->cfg.emit(e->cfg.emit_ctx, iface, PK_DIR_OUT, x->ip, *x->len);
		return;
	}
	x->v->route = r->route;
	x->v->route_iface = iface;
	memcpy(x->v->route_gw, r->route_gw, 16);
}

/* divert-to follows the packets of the state's creator's direction, as
 * route-to does (pf_test diverts by the rule of the state it matched);
 * the replies come from the local socket. */
static void divert(struct pk_engine *e, struct pk_ctx *x)
{
	uint32_t rule = x->v->state_rule != PK_RT_NO_RULE ? x->v->state_rule : x->v->rule;
	const struct pk_rs_rule *r = rule < e->nrules ? pk_eng_rule(e, rule) : NULL;

	if (x->v->kind != PK_V_PASS || !r || r->divert != PK_DIVERT_TO || x->reply)
		return;
	x->v->divert = PK_DIVERT_TO;
	x->v->divert_port = r->divert_port;
	memcpy(x->v->divert_addr, r->divert_addr, 16);
}

void pk_engine_packet(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint8_t dir, uint8_t *ip,
		      size_t *len, size_t cap, struct pk_verdict *v)
{
	pk_engine_packet_tagged(e, now_ns, iface, dir, 0, ip, len, cap, v);
}

static void packet(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint8_t dir, uint16_t tag, uint16_t rcvif,
		   const struct pk_pkt *parsed, const struct pk_decision_ahead *ahead, uint8_t *ip, size_t *len,
		   size_t cap, struct pk_verdict *v)
{
	struct pk_ctx x;

	verdict_init(v);
	memset(&x, 0, offsetof(struct pk_ctx, p));
	clock_in(e, &x, now_ns);
	x.iface = iface;
	x.dir = dir;
	x.ip = ip;
	x.len = len;
	x.cap = cap;
	x.v = v;
	x.tag_in = v->tag = tag;
	x.rcvif = rcvif;
	x.parsed = parsed;
	x.ahead = ahead;
	count_packet(e, dir, *len);
	if (!skipped(e, iface)) {
		handle(e, &x);
		if (e->sends_elsewhere) {
			route(e, &x);
			divert(e, &x);
		}
	}
	if (v->kind != PK_V_PASS && v->reason != PK_REASON_NONE)
		e->c.reason[v->reason]++;
	e->c.states_current = e->st.count;
}

void pk_engine_packet_tagged(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint8_t dir, uint16_t tag,
			     uint8_t *ip, size_t *len, size_t cap, struct pk_verdict *v)
{
	packet(e, now_ns, iface, dir, tag, dir == PK_DIR_IN ? iface : PK_RT_NO_IFACE, NULL, NULL, ip, len, cap, v);
}

void pk_engine_packet_forwarded(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint16_t tag, uint16_t rcvif,
				const struct pk_decision_ahead *ahead, uint8_t *ip, size_t *len, size_t cap,
				struct pk_verdict *v)
{
	packet(e, now_ns, iface, PK_DIR_OUT, tag, rcvif, NULL, ahead, ip, len, cap, v);
}

void pk_engine_packet_parsed(struct pk_engine *e, uint64_t now_ns, uint16_t iface, const struct pk_pkt *parsed,
			     const struct pk_decision_ahead *ahead, uint8_t *ip, size_t *len, size_t cap,
			     struct pk_verdict *v)
{
	packet(e, now_ns, iface, PK_DIR_IN, 0, iface, parsed, ahead, ip, len, cap, v);
}

static void state_info(const struct pk_engine *e, uint32_t i, struct pk_state_info *o)
{
	const struct pk_state *s = &e->st.st[i];
	const struct pk_state_cold *c = &e->st.cold[i];
	int w = s->dir == PK_DIR_IN ? 0 : 1; /* index of the initiator in the keys */
	int wk = s->dir == PK_DIR_IN ? PK_SK_WIRE : PK_SK_STACK;
	struct pk_skey key[2];

	pk_st_key(&e->st, i, PK_SK_WIRE, &key[PK_SK_WIRE]);
	pk_st_key(&e->st, i, PK_SK_STACK, &key[PK_SK_STACK]);
	memset(o, 0, sizeof(*o));
	o->id = s->id;
	o->rule = s->rule;
	o->af = s->af;
	o->proto = s->proto;
	o->dir = s->dir;
	o->iface = s->iface;
	memcpy(o->src, key[wk].addr[w], 16);
	memcpy(o->dst, key[wk].addr[1 - w], 16);
	o->sport = key[wk].port[w];
	o->dport = key[wk].port[1 - w];
	memcpy(o->nat_src, key[1 - wk].addr[w], 16);
	memcpy(o->nat_dst, key[1 - wk].addr[1 - w], 16);
	o->nat_sport = key[1 - wk].port[w];
	o->nat_dport = key[1 - wk].port[1 - w];
	o->src_state = s->src.state;
	o->dst_state = s->dst.state;
	o->created_ns = e->epoch_ns + (uint64_t)c->created_s * 1000000000u;
	o->expires_ns = e->epoch_ns + pk_eng_state_expires_ms(e, s) * 1000000u;
	memcpy(o->packets, c->packets, sizeof(o->packets));
	memcpy(o->bytes, c->bytes, sizeof(o->bytes));
}

void pk_engine_states(const struct pk_engine *e, void (*visit)(void *ctx, const struct pk_state_info *s),
		      void *ctx)
{
	struct pk_state_info info;
	uint32_t i;

	for (i = 0; i < e->st.cap; i++) {
		if (!(e->st.st[i].flags & PK_SF_USED) || (e->st.st[i].flags & PK_SF_PURGE))
			continue;
		state_info(e, i, &info);
		visit(ctx, &info);
	}
}

static bool in_prefix(uint8_t af, const uint8_t *a, uint8_t paf, const uint8_t *p, uint8_t len)
{
	return paf == 0 || (paf == af && pk_net_contains(p, len, a));
}

uint32_t pk_engine_kill_states(struct pk_engine *e, const struct pk_state_filter *f)
{
	struct pk_state_info info;
	uint32_t i, n = 0;

	for (i = 0; i < e->st.cap; i++) {
		if (!(e->st.st[i].flags & PK_SF_USED))
			continue;
		state_info(e, i, &info);
		if (in_prefix(info.af, info.src, f->src_af, f->src, f->src_len) &&
		    in_prefix(info.af, info.dst, f->dst_af, f->dst, f->dst_len)) {
			pk_eng_state_remove(e, i);
			n++;
		}
	}
	return n;
}
