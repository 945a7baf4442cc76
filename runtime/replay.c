/* runtime/replay.c: in on the ingress interface, route, out on the egress one. */
#include "runtime/replay.h"

#include <stddef.h>
#include <string.h>

#include "runtime/cksum.h"
#include "runtime/wire.h"

static void collect(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	struct pk_replay *r = ctx;
	struct pk_replay_result *res = r->cur;
	if (!res)
		return;
	if (res->ngen < PK_REPLAY_GEN_MAX) {
		struct pk_replay_gen *g = &res->gen[res->ngen];
		g->iface = iface;
		g->dir = dir;
		g->len = len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
		g->kept = len < PK_REPLAY_GEN_BYTES ? (uint16_t)len : PK_REPLAY_GEN_BYTES;
		memcpy(g->ip, ip, g->kept);
	}
	res->ngen++;
	pk_isn_generated(&r->isn, ip, len);
}

int pk_replay_init(struct pk_replay *r, struct pk_rs *rs, uint64_t seed)
{
	const struct pk_engine_config cfg = {.emit = collect, .emit_ctx = r, .seed = seed};
	memset(r, 0, sizeof *r);
	r->rs = rs;
	r->engine = pk_engine_new(rs, &cfg);
	pk_isn_init(&r->isn);
	pk_nat_init(&r->nat);
	return r->engine ? 0 : -1;
}

void pk_replay_fini(struct pk_replay *r)
{
	if (r->engine)
		pk_engine_free(r->engine);
	pk_isn_fini(&r->isn);
	r->engine = NULL;
}

/* The family and destination (zero-filled to 16 bytes) of an IP packet;
 * false when it is none. */
static bool dst_of(const uint8_t *ip, size_t len, uint8_t *af, uint8_t dst[16])
{
	bool v4 = len >= PK_IP4_HLEN && pk_ip_version(ip) == 4;
	bool v6 = len >= PK_IP6_HLEN && pk_ip_version(ip) == 6;

	memset(dst, 0, 16);
	if (!v4 && !v6)
		return false;
	*af = v6 ? PK_AF_INET6 : PK_AF_INET;
	memcpy(dst, ip + pk_ip_dst_off(v6), pk_ip_alen(v6));
	return true;
}

bool pk_replay_addrs(const uint8_t *ip, size_t len, uint8_t *af, uint8_t src[16], uint8_t dst[16])
{
	memset(src, 0, 16);
	if (!dst_of(ip, len, af, dst))
		return false;
	memcpy(src, ip + pk_ip_src_off(*af == PK_AF_INET6), pk_ip_alen(*af == PK_AF_INET6));
	return true;
}

uint16_t pk_replay_infer_iface(const struct pk_rs *rs, const uint8_t *ip, size_t len)
{
	uint8_t af, src[16], dst[16];
	uint16_t iface;
	if (!pk_replay_addrs(ip, len, &af, src, dst) || !pk_rs_route_iface(rs, af, src, &iface))
		return PK_RT_NO_IFACE;
	return iface;
}

/* The forwarding path's TTL (hop limit) decrement, with the IPv4 header
 * checksum updated incrementally (RFC 1624). False when it runs out. */
static bool decrement_ttl(uint8_t *ip, size_t len)
{
	if (pk_ip_version(ip) == 6) {
		if (len < PK_IP6_HLEN || ip[PK_IP6_OFF_HLIM] <= 1)
			return false;
		ip[PK_IP6_OFF_HLIM]--;
		return true;
	}
	if (len < PK_IP4_HLEN || ip[PK_IP4_OFF_TTL] <= 1)
		return false;
	pk_cksum_ttl_dec(ip);
	return true;
}

/* States expire in capture time: purge every `interval`, as pf's purge
 * thread does; a gap longer than that purges once before the packet. */
static void purge(struct pk_replay *r, uint64_t now_ns)
{
	if (now_ns < r->next_purge_ns)
		return;
	const struct pk_rs_options *o = pk_rs_options(r->rs);
	uint64_t interval = o->timeouts[PK_TMO_INTERVAL];
	/* One unit of work per slot: the table holds at most limit_states. */
	pk_engine_expire(r->engine, now_ns, o->limit_states ? o->limit_states : PK_DEFAULT_LIMIT_STATES);
	r->next_purge_ns = now_ns + (interval ? interval : 10) * 1000000000ull;
}

/* One evaluation: inbound on iface, or outbound forwarded after arriving on rcvif. */
static inline __attribute__((always_inline)) void step(struct pk_replay *r, uint64_t now_ns, uint16_t iface,
							 uint8_t dir, uint16_t tag, uint16_t rcvif,
							 const struct pk_decision_ahead *ahead, uint8_t *ip,
							 size_t *len, size_t cap, struct pk_replay_step *s)
{
	s->done = true;
	s->iface = iface;
	s->dir = dir;
	if (dir == PK_DIR_IN) /* arriving: no tag yet */
		pk_engine_packet_parsed(r->engine, now_ns, iface, r->parsed, ahead, ip, len, cap, &s->v);
	else
		pk_engine_packet_forwarded(r->engine, now_ns, iface, tag, rcvif, ahead, ip, len, cap, &s->v);
}

void pk_replay_route_addrs(const struct pk_rs *rs, uint8_t af, const uint8_t src[16], const uint8_t dst[16], bool infer,
			   struct pk_replay_route *out)
{
	memset(out, 0, sizeof *out);
	out->af = af;
	memcpy(out->dst, dst, 16);
	if (!infer || !pk_rs_route_iface(rs, af, src, &out->source_iface))
		out->source_iface = PK_RT_NO_IFACE;
	out->self = pk_rs_is_self(rs, af, dst);
	out->routed = pk_rs_route_iface(rs, af, dst, &out->egress);
}

void pk_replay_route_ahead(const struct pk_rs *rs, const uint8_t *ip, size_t len, bool infer,
			   struct pk_replay_route *out)
{
	uint8_t af, src[16], dst[16];

	if (pk_replay_addrs(ip, len, &af, src, dst)) {
		pk_replay_route_addrs(rs, af, src, dst, infer, out);
		return;
	}
	memset(out, 0, sizeof *out);
	out->source_iface = PK_RT_NO_IFACE;
}

/* The hint for dst, when there is one for it (the in step may have moved it). */
static const struct pk_replay_route *route_hint(const struct pk_replay *r, uint8_t af, const uint8_t dst[16])
{
	const struct pk_replay_route *h = r->route_hint;
	return h && h->af == af && memcmp(h->dst, dst, 16) == 0 ? h : NULL;
}

/* The egress interface: the rule's route-to / reply-to, else the routing table. */
static bool egress_of(const struct pk_replay *r, const struct pk_verdict *v, uint8_t af, const uint8_t dst[16],
		      const struct pk_replay_route *h, uint16_t *egress)
{
	if (v->route != PK_ROUTE_NONE) {
		*egress = v->route_iface;
		return true;
	}
	if (h) {
		*egress = h->egress;
		return h->routed;
	}
	return pk_rs_route_iface(r->rs, af, dst, egress);
}

static void decide(struct pk_replay_result *res, const struct pk_replay_step *s)
{
	res->kind = s->v.kind;
	res->reason = s->v.reason;
}

void pk_replay_packet(struct pk_replay *r, uint64_t now_ns, uint16_t iface, uint8_t *ip, size_t *len, size_t cap,
		      struct pk_replay_result *res)
{
	/* gen[] is read up to ngen only: the kept packets are not cleared */
	memset(res, 0, offsetof(struct pk_replay_result, gen));
	res->afto_egress = PK_RT_NO_IFACE;
	const struct pk_decision_ahead *decided = r->decided;
	r->decided = NULL;
	r->cur = res;
	purge(r, now_ns);
	if (pk_isn_align(&r->isn, ip, *len))
		r->parsed = NULL; /* no longer these bytes' */
	step(r, now_ns, iface, PK_DIR_IN, 0, iface, decided, ip, len, cap, &res->in);
	r->parsed = NULL;
	decide(res, &res->in);
	uint8_t af, dst[16];
	uint16_t egress;
	if (res->kind != PK_V_PASS || !dst_of(ip, *len, &af, dst)) {
		r->cur = NULL;
		return;
	}
	const struct pk_replay_route *h = route_hint(r, af, dst);
	if (res->in.v.divert == PK_DIVERT_TO)
		res->stop = PK_STOP_DIVERT;
	else if (h ? h->self : pk_rs_is_self(r->rs, af, dst))
		res->stop = PK_STOP_SELF;
	else if (!egress_of(r, &res->in.v, af, dst, h, &egress))
		res->stop = PK_STOP_NO_ROUTE;
	else if (!decrement_ttl(ip, *len))
		res->stop = PK_STOP_TTL;
	if (res->stop == PK_STOP_NO_ROUTE || res->stop == PK_STOP_TTL) {
		res->kind = PK_V_BLOCK;
		res->reason = res->stop == PK_STOP_TTL ? PK_REASON_TTL : PK_REASON_NONE;
	}
	if (res->stop == PK_STOP_NONE && res->in.v.afto) {
		res->afto_egress = egress;
		if (res->in.v.nat_drawn && res->in.v.state_event == PK_SE_CREATED)
			pk_nat_drawn(&r->nat, now_ns, egress, ip, *len);
	} else if (res->stop == PK_STOP_NONE) {
		if (r->snap) {
			r->snap_len = *len < r->snap_cap ? *len : r->snap_cap;
			memcpy(r->snap, ip, r->snap_len);
		}
		step(r, now_ns, egress, PK_DIR_OUT, res->in.v.tag, iface, decided ? &decided[1] : NULL, ip, len, cap,
		     &res->out);
		/* a state's route-to / reply-to met on the way out moves the packet to
		 * its interface, where it is filtered out again (pf_route) */
		if (res->out.v.kind == PK_V_PASS && res->out.v.route != PK_ROUTE_NONE &&
		    res->out.v.route_iface != egress)
			step(r, now_ns, res->out.v.route_iface, PK_DIR_OUT, res->out.v.tag, iface, NULL, ip, len, cap,
			     &res->out);
		decide(res, &res->out);
		if (res->kind == PK_V_PASS && res->out.v.nat_drawn && res->out.v.state_event == PK_SE_CREATED)
			pk_nat_drawn(&r->nat, now_ns, res->out.iface, ip, *len);
	}
	r->cur = NULL;
}

void pk_replay_outgoing(struct pk_replay *r, uint64_t now_ns, uint16_t iface, const uint8_t *ip, size_t len)
{
	pk_nat_seen(&r->nat, r->engine, now_ns, iface, ip, len);
}

void pk_replay_finish(struct pk_replay *r) { pk_nat_finish(&r->nat); }
