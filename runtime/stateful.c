/*
 * runtime/stateful.c: the state side of the packet path.
 *
 * Follows pf_test_state_{tcp,udp,icmp,other} for packets that match a
 * state, and pf_create_state for the packets that create one.
 */
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/engine_priv.h"
#include "runtime/pktgen.h"
#include "runtime/synproxy.h"
#include "runtime/tcp_track.h"
#include "runtime/wire.h"

uint64_t pk_engine_flow_seed(const struct pk_engine *e) { return e->st.seed; }

/* The look-ups' hashes of a TCP or UDP packet over IPv4 from src to dst,
 * the key's sides as pk_skey_set orders them: the source first inbound. */
static void flow_hashes(uint64_t seed, uint8_t proto, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
			uint16_t dport, uint32_t hash[2])
{
	uint8_t in[8], out[8];

	memcpy(in, src, 4);
	memcpy(in + 4, dst, 4);
	memcpy(out, dst, 4);
	memcpy(out + 4, src, 4);
	hash[0] = pk_st_hash(seed, proto, in, sport, dport);
	hash[1] = pk_st_hash(seed, proto, out, dport, sport);
}

void pk_engine_flow_hash(uint64_t seed, const uint8_t *ip, size_t len, uint32_t hash[2])
{
	uint8_t proto;
	size_t off;

	hash[0] = hash[1] = 0;
	if (len < PK_IP4_HLEN || pk_ip_version(ip) != 4 ||
	    (pk_get16(ip + PK_IP4_OFF_FRAG) & (PK_IP4_MF | PK_IP4_OFFMASK)))
		return;
	off = pk_ip4_hlen(ip);
	proto = ip[PK_IP4_OFF_PROTO];
	if ((proto != PK_PROTO_TCP && proto != PK_PROTO_UDP) || off + PK_L4_OFF_DPORT + 2 > len)
		return;
	flow_hashes(seed, proto, ip + PK_IP4_OFF_SRC, ip + PK_IP4_OFF_DST, pk_get16(ip + off + PK_L4_OFF_SPORT),
		    pk_get16(ip + off + PK_L4_OFF_DPORT), hash);
}

void pk_engine_flow_hash_parsed(uint64_t seed, const struct pk_pkt *p, uint32_t hash[2])
{
	hash[0] = hash[1] = 0;
	/* a packet pk_pkt_parse accepts has its ports when it is TCP or UDP
	   and no fragment */
	if (p->af != PK_AF_INET || p->fragment || (p->proto != PK_PROTO_TCP && p->proto != PK_PROTO_UDP))
		return;
	flow_hashes(seed, p->proto, p->src, p->dst, p->sport, p->dport, hash);
}

void pk_engine_prefetch(const struct pk_engine *e, uint32_t hint[2], const uint32_t hash[2])
{
	/* one call a packet, the table's steps inline: the caller's thread is
	   the one the engine runs in */
	hint[0] = pk_st_prefetch(&e->st, hint[0], hash[0]);
	hint[1] = pk_st_prefetch(&e->st, hint[1], hash[1]);
}

uint32_t pk_eng_state_lookup(struct pk_engine *e, struct pk_ctx *x)
{
	struct pk_skey k;
	uint32_t i;
	struct pk_state *s;

	pk_eng_pkt_key(&x->p, x->dir, &k);
	e->c.searches++;
	i = pk_st_find(&e->st, x->p.af, x->p.proto, &k, x->dir, x->iface);
	if (i == PK_ST_NONE)
		return i;
	s = &e->st.st[i];
	if (pk_eng_state_expired(e, s, x->now_ms)) {
		pk_eng_state_remove(e, i);
		return PK_ST_NONE;
	}
	if (s->proto == PK_PROTO_TCP) {
		bool fwd = pk_eng_from_creator(s, x);

		if (pk_tcp_reopens(fwd ? &s->src : &s->dst, fwd ? &s->dst : &s->src, &x->p)) {
			pk_eng_state_remove(e, i); /* pf purges it and lets the SYN meet the rules */
			return PK_ST_NONE;
		}
	}
	return i;
}

/* pf_test_state_udp / _other: single until the other side answers. */
static enum pk_timeout track_simple(struct pk_peer *src, struct pk_peer *dst, bool udp)
{
	if (src->state < PK_UDPS_SINGLE)
		src->state = PK_UDPS_SINGLE;
	if (dst->state == PK_UDPS_SINGLE)
		dst->state = PK_UDPS_MULTIPLE;
	if (src->state == PK_UDPS_MULTIPLE && dst->state == PK_UDPS_MULTIPLE)
		return udp ? PK_TMO_UDP_MULTIPLE : PK_TMO_OTHER_MULTIPLE;
	return udp ? PK_TMO_UDP_SINGLE : PK_TMO_OTHER_SINGLE;
}

static void kill_state(struct pk_state *s)
{
	s->flags |= PK_SF_PURGE;
	s->src.state = s->dst.state = PK_TCPS_CLOSED;
}

/* pf_src_connlimit's overload: the source goes into the rule's table (the
 * rules reading it see it at once: kept decisions are dropped), and with `flush` the
 * states it created are killed, the rule's or with `global` every rule's.
 * As pf, a state is the source's when its wire key has the source on the
 * side the state came from. */
static void overload(struct pk_engine *e, uint32_t i, const struct pk_rs_rule *r, const struct pk_src_node *sn)
{
	const struct pk_state *s = &e->st.st[i];
	const size_t n = sn->af == PK_AF_INET6 ? 16 : 4;

	if (r->overload_table != PK_RT_NO_TABLE && pk_rs_table_add(e->rs, r->overload_table, sn->af, sn->addr) > 0) {
		e->c.overload_added++;
		if (pk_rs_table_read(e->rs, r->overload_table))
			pk_dc_clear(&e->dc);
	}
	if (!r->overload_flush)
		return;
	for (uint32_t k = 0; k < e->st.cap; k++) {
		struct pk_state *o = &e->st.st[k];
		struct pk_skey wire;

		if (k == i || !(o->flags & PK_SF_USED) || (o->flags & PK_SF_PURGE) || o->af != sn->af ||
		    (!r->overload_flush_global && o->rule != s->rule))
			continue;
		pk_st_key(&e->st, k, PK_SK_WIRE, &wire);
		if (memcmp(wire.addr[o->dir == PK_DIR_IN ? 0 : 1], sn->addr, n) != 0)
			continue;
		kill_state(o);
		e->c.overload_flushed++;
	}
}

/* pf_src_connlimit: a completed handshake counts against max-src-conn and
 * max-src-conn-rate; over the limit, the source is overloaded, the state is
 * killed and the packet dropped. */
static bool conn_limited(struct pk_engine *e, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	uint32_t sn = pk_st_src_node(&e->st, i);
	const struct pk_rs_rule *r;

	if (sn == PK_SN_NONE || s->rule >= e->nrules)
		return false;
	r = pk_eng_rule(e, s->rule);
	s->flags |= PK_SF_SRC_CONN;
	if (!pk_sn_conn_exceeded(&e->sn.n[sn], r->max_src_conn, r->max_src_conn_rate, r->max_src_conn_secs,
				 (uint32_t)(e->now_ms64 / 1000u)))
		return false;
	overload(e, i, r, &e->sn.n[sn]);
	kill_state(s);
	return true;
}

/* pf_tcp_track_full answers a handshake mismatch with a RST to the sender,
 * taking its ack number as the sequence number. */
static void handshake_rst(struct pk_engine *e, struct pk_ctx *x, const struct pk_state *s)
{
	const struct pk_rs_rule *r = pk_eng_state_rule(e, s);
	struct pk_gen_tcp t = {.af = x->p.af, .src = x->p.dst, .dst = x->p.src, .sport = x->p.dport,
			       .dport = x->p.sport, .seq = x->p.ack, .flags = PK_TH_RST,
			       .ttl = r ? r->return_ttl : 0};
	size_t n = pk_gen_tcp(&t, e->gen, sizeof(e->gen));

	if (n)
		pk_eng_emit(e, x, e->gen, n);
}

static enum pk_drop_reason track_tcp(struct pk_engine *e, struct pk_ctx *x, uint32_t i, enum pk_timeout *t)
{
	struct pk_state *s = &e->st.st[i];
	struct pk_state_ext *ext = pk_st_ext(&e->st, i);
	const bool fwd = !x->reply;
	struct pk_tcp_io io = {.sloppy = (s->flags & PK_SF_SLOPPY) != 0,
			       .reassembled = x->reassembled || pk_st_scrub(&e->st, i) != NULL,
			       .rnd = pk_eng_random(e)};
	enum pk_drop_reason r;

	if (ext) {
		io.seqdiff[0] = ext->seqdiff[fwd ? 0 : 1];
		io.seqdiff[1] = ext->seqdiff[fwd ? 1 : 0];
	}
	r = pk_tcp_track(fwd ? &s->src : &s->dst, fwd ? &s->dst : &s->src, &x->p, x->ip, &io);
	if (ext) /* a modulated server's offset is drawn on its first packet */
		ext->seqdiff[fwd ? 0 : 1] = io.seqdiff[0];
	if (io.send_rst)
		handshake_rst(e, x, s);
	if (r != PK_REASON_NONE)
		return r;
	if (io.rewrote)
		x->v->translated = true;
	if (io.established && conn_limited(e, i))
		return PK_REASON_SRC_LIMIT;
	*t = io.timeout;
	return PK_REASON_NONE;
}

/* The tracking of the state's peers: x->reply says which sent the packet. */
static enum pk_drop_reason track(struct pk_engine *e, struct pk_ctx *x, uint32_t i, enum pk_timeout *t)
{
	struct pk_state *s = &e->st.st[i];
	const bool fwd = !x->reply;

	switch (s->proto) {
	case PK_PROTO_TCP:
		return track_tcp(e, x, i, t);
	case PK_PROTO_UDP:
		*t = track_simple(fwd ? &s->src : &s->dst, fwd ? &s->dst : &s->src, true);
		return PK_REASON_NONE;
	case PK_PROTO_ICMP:
	case PK_PROTO_ICMP6:
		*t = PK_TMO_ICMP_ERROR; /* pf: a query state's later packets use icmp.error */
		return PK_REASON_NONE;
	default:
		*t = track_simple(fwd ? &s->src : &s->dst, fwd ? &s->dst : &s->src, false);
		return PK_REASON_NONE;
	}
}

/* The packet's count in its state and rule; x->reply says which way it went. */
static void count_state(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	struct pk_state_cold *c = &e->st.cold[i];
	int d = x->reply ? 1 : 0;

	c->packets[d]++;
	c->bytes[d] += *x->len;
	if (s->rule < e->nrules) {
		e->rc[s->rule].packets++;
		e->rc[s->rule].bytes += *x->len;
	}
}

static void tcp_states(struct pk_verdict *v, const struct pk_state *s, bool after)
{
	if (s->proto != PK_PROTO_TCP)
		return;
	if (after) {
		v->src_after = s->src.state;
		v->dst_after = s->dst.state;
	} else {
		v->src_before = s->src.state;
		v->dst_before = s->dst.state;
	}
}

/* A packet of a translating state takes the state's other key. */
static void translate(const struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	if (e->st.st[i].flags & PK_SF_AFTO)
		pk_eng_afto_apply(e, x, i);
	else if (!(e->st.st[i].flags & PK_SF_ONEKEY))
		pk_eng_nat_apply(e, x, i);
}

void pk_eng_state_apply(struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	enum pk_timeout t = PK_TMO_COUNT;
	enum pk_drop_reason r;

	const struct pk_state_ext *ext = pk_st_ext(&e->st, i);

	x->reply = !pk_eng_from_creator(s, x);
	const uint8_t shift = ext ? (uint8_t)(ext->sp_shift >> (x->reply ? 4 : 0) & 0x0f) : 0;
	x->v->state_id = s->id;
	x->v->state_event = PK_SE_MATCHED;
	x->v->state_rule = s->rule;
	x->v->tag = e->st.cold[i].tag ? e->st.cold[i].tag : x->tag_in;
	tcp_states(x->v, s, false);
	if (!s->synproxy && shift)
		pk_eng_synproxy_window(x, shift);
	if (s->synproxy)
		r = pk_eng_synproxy_state(e, x, i);
	else
		r = track(e, x, i, &t);
	tcp_states(x->v, s, true);
	if (r == PK_REASON_NONE && x->p.ip_options && !(s->flags & PK_SF_ALLOWOPTS))
		r = PK_REASON_IP_OPTION;
	if (r != PK_REASON_NONE) {
		if (x->v->kind == PK_V_PASS)
			x->v->kind = PK_V_BLOCK;
		x->v->reason = (uint8_t)r;
		return;
	}
	if (x->v->kind != PK_V_PASS)
		return; /* held or answered by synproxy */
	if (t != PK_TMO_COUNT) {
		s->last_ms = x->now_ms;
		s->timeout = (uint8_t)t;
	}
	count_state(e, x, i);
	translate(e, x, i);
	pk_eng_scrub(e, x, pk_st_scrub(&e->st, i));
}

/* pf_test_state_icmp for errors: the quoted TCP segment must lie in the
 * window of the peer that sent it. */
static bool quoted_seq_ok(const struct pk_state_table *t, uint32_t i, bool from_creator, const struct pk_pkt *in)
{
	const struct pk_state *s = &t->st[i];
	const struct pk_state_ext *ext = pk_st_ext(t, i);
	/* an error from the creator's side quotes what the other peer sent */
	const struct pk_peer *src = from_creator ? &s->dst : &s->src;
	const struct pk_peer *dst = from_creator ? &s->src : &s->dst;
	uint8_t dws = (src->wscale && dst->wscale) ? (dst->wscale & PK_WSCALE_MASK) : 0;
	uint32_t seq = in->seq - (ext ? ext->seqdiff[from_creator ? 1 : 0] : 0);

	if (s->flags & PK_SF_SLOPPY)
		return true;
	return SEQ_GEQ(src->seqhi, seq) && SEQ_GEQ(seq, src->seqlo - ((uint32_t)dst->max_win << dws));
}

bool pk_eng_icmp_related(struct pk_engine *e, struct pk_ctx *x)
{
	struct pk_pkt in;
	struct pk_skey k;
	uint32_t off = x->p.inner_off, i;
	uint8_t opp = x->dir == PK_DIR_IN ? PK_DIR_OUT : PK_DIR_IN;

	if (pk_pkt_parse_quoted(x->ip + off, x->p.tot_len - off, &in) != PK_REASON_NONE) {
		x->v->kind = PK_V_BLOCK; /* pf: "ICMP error message too short" */
		x->v->reason = PK_REASON_SHORT;
		return true;
	}
	if (in.af != x->p.af || in.icmp_error)
		return false;
	/* the quoted packet travelled the other way */
	pk_eng_pkt_key(&in, opp, &k);
	e->c.searches++;
	i = pk_st_find(&e->st, in.af, in.proto, &k, x->dir, x->iface);
	if (i == PK_ST_NONE || pk_eng_state_expired(e, &e->st.st[i], x->now_ms))
		return false;
	x->v->state_id = e->st.st[i].id;
	x->v->state_event = PK_SE_RELATED;
	x->v->state_rule = e->st.st[i].rule;
	x->v->tag = e->st.cold[i].tag ? e->st.cold[i].tag : x->tag_in;
	x->reply = !pk_eng_from_creator(&e->st.st[i], x);
	if (in.proto == PK_PROTO_TCP && !quoted_seq_ok(&e->st, i, !x->reply, &in)) {
		x->v->kind = PK_V_BLOCK;
		x->v->reason = PK_REASON_STATE_MISMATCH;
		return true;
	}
	count_state(e, x, i);
	if (e->st.st[i].flags & PK_SF_AFTO)
		pk_eng_afto_icmp(e, x, i, &in);
	else if (!(e->st.st[i].flags & PK_SF_ONEKEY))
		pk_eng_nat_icmp(e, x, i, &in);
	return true;
}

static bool wants_src_node(const struct pk_rs_rule *r)
{
	return r->src_track || r->max_src_nodes || r->max_src_states || r->max_src_conn || r->max_src_conn_rate;
}

/* pf_insert_src_node's limits, checked before anything is created. */
static enum pk_drop_reason src_limits(struct pk_engine *e, const struct pk_ctx *x, uint32_t rule,
				      uint32_t *sn)
{
	const struct pk_rs_rule *r = pk_eng_rule(e, rule);
	uint32_t key = r->src_track == PK_SRCTRACK_GLOBAL ? PK_RT_NO_RULE : rule;

	*sn = PK_SN_NONE;
	if (!wants_src_node(r))
		return PK_REASON_NONE;
	*sn = pk_sn_find(&e->sn, x->p.af, x->p.src, key);
	if (*sn == PK_SN_NONE) {
		if ((r->max_src_nodes && e->rule_src_nodes[rule] >= r->max_src_nodes) || e->sn.count >= e->sn.cap)
			return PK_REASON_SRC_LIMIT;
		return PK_REASON_NONE;
	}
	if (r->max_src_states && e->sn.n[*sn].states >= r->max_src_states)
		return PK_REASON_SRC_LIMIT;
	return PK_REASON_NONE;
}

static void attach_src_node(struct pk_engine *e, const struct pk_ctx *x, uint32_t rule, uint32_t i, uint32_t sn)
{
	const struct pk_rs_rule *r = pk_eng_rule(e, rule);

	if (!wants_src_node(r))
		return;
	if (sn == PK_SN_NONE) {
		sn = pk_sn_add(&e->sn, x->p.af, x->p.src, r->src_track == PK_SRCTRACK_GLOBAL ? PK_RT_NO_RULE : rule);
		e->rule_src_nodes[rule]++;
	}
	e->sn.n[sn].states++;
	pk_st_ext(&e->st, i)->src_node = sn; /* taken by fill_state */
}

static enum pk_timeout init_peers(struct pk_engine *e, struct pk_ctx *x, uint32_t i, const struct pk_rs_rule *r)
{
	struct pk_state *s = &e->st.st[i];
	uint32_t seqdiff = 0;

	switch (s->proto) {
	case PK_PROTO_TCP:
		if (r->state == PK_STATE_MODULATE)
			while ((seqdiff = pk_eng_random(e) - x->p.seq) == 0)
				continue;
		if (seqdiff && (x->p.th_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN) {
			x->v->translated = true;
			pk_st_ext(&e->st, i)->seqdiff[0] = seqdiff; /* taken by fill_state */
		}
		return pk_tcp_init(s, &x->p, x->ip, seqdiff);
	case PK_PROTO_UDP:
		s->src.state = PK_UDPS_SINGLE;
		return PK_TMO_UDP_FIRST;
	case PK_PROTO_ICMP:
	case PK_PROTO_ICMP6:
		return PK_TMO_ICMP_FIRST;
	default:
		s->src.state = PK_UDPS_SINGLE;
		return PK_TMO_OTHER_FIRST;
	}
}

/* What a state created by pf's default rule (no filter rule matched, but
 * a translation did) carries: keep state, no limits, no own timeouts. */
static const struct pk_rs_rule *rule_or_default(const struct pk_engine *e, uint32_t rule)
{
	static struct pk_rs_rule def;
	int t;

	if (rule != PK_RT_NO_RULE)
		return pk_eng_rule(e, rule);
	def.state = PK_STATE_KEEP;
	def.nr = PK_RT_NO_RULE;
	for (t = 0; t < PK_TMO_COUNT; t++)
		def.timeouts[t] = PK_TMO_UNSET;
	return &def;
}

static uint8_t policy_of(const struct pk_engine *e, const struct pk_rs_rule *r)
{
	return r->policy != PK_POLICY_DEFAULT ? r->policy : e->opt->state_policy;
}

/* A state of rule r keeps a side record for its sequence offsets, its
 * synproxy handshake or its source node. */
static bool wants_ext(const struct pk_ctx *x, const struct pk_rs_rule *r)
{
	bool tcp = x->p.proto == PK_PROTO_TCP;

	return (tcp && (r->state == PK_STATE_MODULATE || r->state == PK_STATE_SYNPROXY)) ||
	       wants_src_node(r);
}

/* Fill slot i for the packet; PK_REASON_NONE, or why the state is refused:
 * its translation cannot be mapped, or the side pool or the table of scrub
 * options has no room (pf_create_state's PFRES_MEMORY). */
static enum pk_drop_reason fill_state(struct pk_engine *e, struct pk_ctx *x, const struct pk_decision *d,
				      uint32_t i)
{
	struct pk_state *s = &e->st.st[i];
	const struct pk_rs_rule *r = rule_or_default(e, d->rule);
	struct pk_skey keys[2];
	struct pk_scrub so;

	s->af = x->p.af;
	s->proto = x->p.proto;
	s->dir = x->dir;
	s->iface = policy_of(e, r) == PK_POLICY_FLOATING ? PK_RT_NO_IFACE : x->iface;
	s->rule = d->rule;
	s->last_ms = x->now_ms;
	s->flags = (uint8_t)((r->sloppy ? PK_SF_SLOPPY : 0) | (r->allow_opts ? PK_SF_ALLOWOPTS : 0) |
			     (r->afto.af ? PK_SF_AFTO : 0));
	pk_eng_pkt_key(&x->p, x->dir, &keys[PK_SK_WIRE]);
	keys[PK_SK_STACK] = keys[PK_SK_WIRE];
	if (r->afto.af) {
		/* af-to translates the packet as it arrived (pfctl refuses it with nat-to or rdr-to) */
		if (!pk_eng_afto_keys(e, x, r, keys))
			return PK_REASON_MAP_FAILED;
	} else if (d->keys_ready && !d->map_failed)
		memcpy(keys, d->keys, sizeof(keys));
	else if (d->map_failed ||
		 (d->nat_rule != PK_RT_NO_RULE && !pk_eng_nat_keys(e, x, pk_eng_rule(e, d->nat_rule), keys)))
		return PK_REASON_MAP_FAILED;
	if (!pk_st_set_keys(&e->st, i, keys) || (wants_ext(x, r) && !pk_st_ext_need(&e->st, i)))
		return PK_REASON_MEMORY;
	e->st.cold[i].created_s = (uint32_t)(x->now_ns > e->epoch_ns ? (x->now_ns - e->epoch_ns) / 1000000000u : 0);
	e->st.cold[i].tag = d->tag;
	if (d->scrub_rule != PK_RT_NO_RULE) {
		pk_eng_scrub_from_rule(&so, pk_eng_rule(e, d->scrub_rule));
		if (!pk_st_set_scrub(&e->st, i, &so))
			return PK_REASON_MEMORY;
	}
	return PK_REASON_NONE;
}

static bool refuse(struct pk_ctx *x, enum pk_drop_reason r)
{
	x->v->kind = PK_V_BLOCK;
	x->v->reason = (uint8_t)r;
	return false;
}

/* A conflicting state that both peers closed, or a killed one, gives way
 * (pf_state_key_attach). */
static bool make_room(struct pk_engine *e, uint32_t i)
{
	uint32_t old = pk_st_conflict(&e->st, i);

	if (old == PK_ST_NONE)
		return true;
	if ((e->st.st[old].flags & PK_SF_PURGE) ||
	    (e->st.st[old].proto == PK_PROTO_TCP && e->st.st[old].src.state >= PK_TCPS_FIN_WAIT_2 &&
	     e->st.st[old].dst.state >= PK_TCPS_FIN_WAIT_2)) {
		pk_eng_state_remove(e, old);
		return pk_st_conflict(&e->st, i) == PK_ST_NONE;
	}
	return false;
}

bool pk_eng_state_create(struct pk_engine *e, struct pk_ctx *x, const struct pk_decision *d)
{
	const struct pk_rs_rule *r = rule_or_default(e, d->rule);
	enum pk_drop_reason why;
	uint32_t i, sn = PK_SN_NONE;

	if (r->max_states && d->rule < e->nrules && e->rc[d->rule].states_current >= r->max_states)
		return refuse(x, PK_REASON_STATE_LIMIT);
	if (d->rule < e->nrules && (why = src_limits(e, x, d->rule, &sn)) != PK_REASON_NONE)
		return refuse(x, why);
	if ((i = pk_st_alloc(&e->st)) == PK_ST_NONE)
		return refuse(x, PK_REASON_STATE_LIMIT);
	if ((why = fill_state(e, x, d, i)) != PK_REASON_NONE) {
		pk_st_discard(&e->st, i);
		return refuse(x, why);
	}
	if (!make_room(e, i)) {
		pk_st_discard(&e->st, i);
		return refuse(x, PK_REASON_STATE_INSERT);
	}
	e->st.st[i].timeout = (uint8_t)init_peers(e, x, i, r);
	pk_st_insert(&e->st, i);
	e->c.inserts++;
	if (d->rule < e->nrules) {
		attach_src_node(e, x, d->rule, i, sn);
		e->rc[d->rule].states_current++;
		e->rc[d->rule].states_created++;
	}
	e->st.cold[i].packets[0] = 1;
	e->st.cold[i].bytes[0] = *x->len;
	x->v->state_id = e->st.st[i].id;
	x->v->state_event = PK_SE_CREATED;
	x->v->state_rule = d->rule;
	tcp_states(x->v, &e->st.st[i], true);
	if (r->state == PK_STATE_SYNPROXY && x->p.proto == PK_PROTO_TCP)
		return pk_eng_synproxy_start(e, x, i);
	translate(e, x, i);
	if (x->v->kind != PK_V_PASS)
		return false;
	pk_eng_scrub(e, x, pk_st_scrub(&e->st, i));
	return true;
}
