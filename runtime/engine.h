/*
 * runtime/engine.h: the packet path, shared by replay and picketd.
 *
 * An engine owns a verified ruleset, the state table, the fragment cache and
 * the counters. Front ends hand it one IP packet at a time with the
 * interface and direction it is seen on and the clock; it answers with a
 * verdict, may rewrite the packet in place (NAT, scrub, synproxy sequence
 * translation), and emits any packets the firewall itself generates (RST,
 * ICMP errors, synproxy handshakes) through a callback. Replay and picketd
 * run exactly this code, so an offline prediction is the live verdict.
 *
 * Memory is sized at creation from the ruleset's limits; the hot path does
 * not allocate.
 */
#ifndef PK_RUNTIME_ENGINE_H
#define PK_RUNTIME_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/decision_cache.h"
#include "runtime/ruleset.h"

struct pk_engine;
struct pk_pkt;

enum pk_verdict_kind {
	PK_V_PASS,
	PK_V_BLOCK,  /* dropped silently */
	PK_V_REJECT, /* dropped, and an RST or ICMP error was generated */
	PK_V_HOLD,   /* kept by synproxy until the client's handshake completes, or a
		      * fragment kept until its datagram is whole (the fragment that
		      * completes it carries the verdict of the whole datagram) */
};

/* Why a packet was blocked when no rule did it: pfctl -si's counters. */
#define PK_DROP_REASONS(X)                                       \
	X(MATCH, "match")              /* a block rule decided */  \
	X(SHORT, "short")              /* truncated header */      \
	X(BAD_OFFSET, "bad-offset")                                \
	X(FRAGMENT, "fragment")                                    \
	X(IP_OPTION, "ip-option")                                  \
	X(PROTO_CKSUM, "proto-cksum")                              \
	X(STATE_MISMATCH, "state-mismatch") /* outside the TCP window */ \
	X(STATE_INSERT, "state-insert")                            \
	X(STATE_LIMIT, "state-limit")                              \
	X(SRC_LIMIT, "src-limit")                                  \
	X(SYNPROXY, "synproxy")                                    \
	X(NORMALIZE, "normalize")                                  \
	X(MEMORY, "memory")                                        \
	X(TTL, "ttl-exceeded")                                     \
	X(MAP_FAILED, "map-failed") /* no free address/port for nat-to */

enum pk_drop_reason {
	PK_REASON_NONE,
#define PK_REASON_ENUM(id, name) PK_REASON_##id,
	PK_DROP_REASONS(PK_REASON_ENUM)
#undef PK_REASON_ENUM
	PK_REASON_COUNT
};
const char *pk_reason_name(enum pk_drop_reason r);

/* How the packet related to the state table. */
enum pk_state_event { PK_SE_NONE, PK_SE_CREATED, PK_SE_MATCHED, PK_SE_RELATED };

struct pk_verdict {
	uint8_t kind;    /* enum pk_verdict_kind */
	uint8_t reason;  /* enum pk_drop_reason when not passed */
	uint8_t state_event;
	uint32_t rule;   /* deciding rule index, PK_RT_NO_RULE if a state or no rule decided */
	uint32_t state_id;
	/* TCP states of the two peers before and after (pf's TCPS_* numbering),
	 * for the replay's "state" column; 0xff when not TCP. */
	uint8_t src_before, dst_before, src_after, dst_after;
	bool translated; /* the packet was rewritten (NAT, scrub, synproxy) */
	bool nat_drawn;  /* its translation was drawn (a port from a range, an address from a pool of
			  * several): another firewall would have drawn another */
	uint32_t generated; /* packets emitted while handling this one */
	uint32_t state_rule; /* the rule that created the state the packet matched
			      * or is related to; PK_RT_NO_RULE when none */
	/* route-to / reply-to of the deciding rule or state (pk_rs_rule.route):
	 * a passed packet leaves by route_iface towards route_gw instead of the
	 * routing table's choice. dup-to copies are emitted by the engine. */
	uint8_t route;        /* enum pk_route_kind: PK_ROUTE_NONE, PK_ROUTE_TO or PK_ROUTE_REPLY_TO */
	uint16_t route_iface; /* PK_RT_NO_IFACE when route is 0 */
	uint8_t route_gw[16]; /* next hop, all zero when the rule names none */
	/* divert-to of the deciding rule or state: a passed packet is handed,
	 * unchanged, to the local socket bound to divert_addr (of the packet's
	 * family) and divert_port, not forwarded */
	uint8_t divert; /* PK_DIVERT_NONE or PK_DIVERT_TO */
	uint16_t divert_port;
	uint8_t divert_addr[16];
	/* af-to: the packet was rewritten into the other address family. pf
	 * forwards it marked as generated: it leaves by the route of its new
	 * destination without meeting the outbound rules. */
	bool afto;
	uint16_t tag;         /* the tag the packet carries after evaluation (0 none):
			       * hand it to the evaluation of the same packet on its way out */
};

/* A packet the firewall generates. */
typedef void (*pk_emit_fn)(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len);

struct pk_engine_config {
	pk_emit_fn emit;
	void *emit_ctx;
	uint64_t seed; /* for ISN modulation, random-id, NAT ports: replay fixes it */
	bool no_decision_cache; /* evaluate every stateless packet in full (runtime/decision_cache.h) */
};

struct pk_decision_ahead; /* below */

struct pk_engine *pk_engine_new(struct pk_rs *rs, const struct pk_engine_config *cfg);
void pk_engine_free(struct pk_engine *e);

/* Swap in a new verified ruleset between packets; states survive, as pf
 * keeps states across a ruleset load. The engine takes ownership of rs and
 * frees the old one. */
void pk_engine_reload(struct pk_engine *e, struct pk_rs *rs);
const struct pk_rs *pk_engine_ruleset(const struct pk_engine *e);

/* One packet, starting at its IP header, seen on iface in direction dir at
 * time now_ns (capture time in replay, CLOCK_MONOTONIC live). The packet may
 * be rewritten in place and may grow up to cap bytes; *len is updated. */
void pk_engine_packet(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint8_t dir, uint8_t *ip,
		      size_t *len, size_t cap, struct pk_verdict *v);
/* The same for a packet already carrying a tag (pf's mbuf tag): the tag an
 * earlier evaluation of this packet gave it (pk_verdict.tag of its inbound
 * pass), visible to `tagged` and kept unless a rule or state sets another. */
void pk_engine_packet_tagged(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint8_t dir, uint16_t tag,
			     uint8_t *ip, size_t *len, size_t cap, struct pk_verdict *v);
/* An outbound packet the firewall forwards, received on rcvif: what
 * `received-on` tests (pf's receiving interface of the mbuf). The two
 * above take an inbound packet as received on iface and an outbound one as
 * the firewall's own (received on none). ahead: a decision for it worked
 * out ahead (struct pk_decision_ahead below), or NULL. */
void pk_engine_packet_forwarded(struct pk_engine *e, uint64_t now_ns, uint16_t iface, uint16_t tag, uint16_t rcvif,
				const struct pk_decision_ahead *ahead, uint8_t *ip, size_t *len, size_t cap,
				struct pk_verdict *v);
/* pk_engine_packet inbound, with the packet's parse when it is given:
 * parsed, pk_pkt_parse(ip, *len) without error, worked out ahead (by
 * another thread) from these very bytes, taken instead of parsing; NULL:
 * parsed here. ahead as above. */
void pk_engine_packet_parsed(struct pk_engine *e, uint64_t now_ns, uint16_t iface, const struct pk_pkt *parsed,
			     const struct pk_decision_ahead *ahead, uint8_t *ip, size_t *len, size_t cap,
			     struct pk_verdict *v);

/* Rule walks made ahead by a reading thread, for packets likely to have no
 * state: what the rules decide for a packet, as the decision cache keeps
 * it, under the cache's key. The engine takes it where its own cache
 * misses and the packet's key, as the engine meets it, is this one: a
 * wrong guess (the packet had a state, a rule or state changed it on the
 * way) costs the engine its own walk, never another outcome. Only
 * decisions the rules alone make are worked out: none when a rule draws a
 * `probability` or adds to a table (overload), none for a packet that a
 * translation meets on the way (its ports are the engine's to draw). */
struct pk_decision_ahead {
	bool valid;
	struct pk_match_pkt key;
	struct pk_dc_entry entry;
};
struct pk_engine_ahead;
/* A copy of what the walks read of e (its rules, interfaces, tables),
 * taken now: the reading thread then shares no cache line with the
 * engine's. NULL when e's rules cannot be decided ahead, or memory is
 * short. Valid while e keeps these rules (no pk_engine_reload). */
struct pk_engine_ahead *pk_engine_ahead_new(const struct pk_engine *e);
void pk_engine_ahead_free(struct pk_engine_ahead *a);
/* A pass of packet p to decide ahead: seen in direction dir on iface,
 * with the tag it carries and received on rcvif, as pk_engine_packet_parsed
 * (in) or pk_engine_packet_forwarded (out) would evaluate it. Worked out
 * once by pk_engine_ahead_pass, which asks for the slot of its key in a's
 * own decision cache (runtime/decision_cache.h: it spares walks for keys
 * met before); decided by pk_engine_decide_pass a few packets later. hash
 * is the key's: for a way in, the one pk_engine_decision_hash gives. */
struct pk_pass_ahead {
	struct pk_match_pkt m, key; /* what the rules read; the cache's key */
	uint32_t hash;
	uint8_t dir;
	uint16_t iface, tag, rcvif;
};
void pk_engine_ahead_pass(struct pk_engine_ahead *a, const struct pk_pkt *p, uint8_t dir, uint16_t iface,
			  uint16_t tag, uint16_t rcvif, struct pk_pass_ahead *w);
void pk_engine_decide_pass(struct pk_engine_ahead *a, const struct pk_pkt *p, const struct pk_pass_ahead *w,
			   struct pk_decision_ahead *out);
/* Does the (valid) decision pass the packet with a state (keep,
 * modulate, synproxy)? */
bool pk_engine_ahead_keeps_state(const struct pk_engine_ahead *a, const struct pk_decision_ahead *d);
/* Does it pass the packet (no rule at all passes too)? */
bool pk_engine_ahead_passes(const struct pk_engine_ahead *a, const struct pk_decision_ahead *d);

/* A hint ahead of pk_engine_packet for the packet at ip, seen in direction
 * dir: the state table's memory its look-up reads (TCP and UDP over IPv4,
 * unfragmented) is asked for ahead, so that the cache misses overlap the
 * caller's work. pk_engine_flow_hash works out the look-ups' hashes, in
 * [0] and out [1] (0 when there is nothing to ask for), from the seed
 * pk_engine_flow_seed returns (fixed for the engine's life): a reading
 * thread keeps its own copy and hashes while the engine runs, without
 * reading a cache line the engine's thread writes (a line both threads
 * touch moves between the cores at every packet). pk_engine_prefetch,
 * called once a packet, asks for the states that the buckets in hint
 * (left there by the call before) lead to, then for the buckets of the two
 * hashes, whose numbers it leaves in hint (bucket 0's state is then a
 * wasted hint). Changes nothing else. */
uint64_t pk_engine_flow_seed(const struct pk_engine *e);
void pk_engine_flow_hash(uint64_t seed, const uint8_t *ip, size_t len, uint32_t hash[2]);
/* The same from pk_pkt_parse's view of the packet, when it accepted it. */
void pk_engine_flow_hash_parsed(uint64_t seed, const struct pk_pkt *p, uint32_t hash[2]);
void pk_engine_prefetch(const struct pk_engine *e, uint32_t hint[2], const uint32_t hash[2]);

/* The same for the decision cache (runtime/decision_cache.h), whose look-up
 * a packet without a state makes: a copy of what its key takes from the
 * engine, made once (pk_engine_dc_view), lets a reading thread work out
 * the hash of a packet's key on its way in, as pk_engine_packet_parsed
 * sees it (pk_engine_decision_hash: 0 when no decision is kept), and
 * pk_engine_prefetch_decision asks for that slot. A hash that misses what
 * the engine then looks up (the rules changed the packet on the way) is a
 * wasted hint, never a wrong read. */
struct pk_engine_dc_view {
	uint64_t seed;
	bool keeps; /* the engine keeps decisions (it has the memory, no rule draws) */
	bool tests_tos, tests_owner;
	uint8_t tcp_mask;
};
struct pk_engine_dc_view pk_engine_dc_view(const struct pk_engine *e);
uint32_t pk_engine_decision_hash(const struct pk_engine_dc_view *v, const struct pk_pkt *p, uint16_t iface,
				 bool to_self);
void pk_engine_prefetch_decision(const struct pk_engine *e, uint32_t hash);

/* Expire states whose timeout has passed, doing at most budget units of
 * work (incremental purge); returns states removed. */
uint32_t pk_engine_expire(struct pk_engine *e, uint64_t now_ns, uint32_t budget);

/* A translation the engine drew, replaced by the one a captured firewall
 * chose. drawn is the header of a packet as the engine translated it
 * leaving on iface, seen the same packet as the capture holds it there.
 * The state that a reply to drawn would match takes seen's addresses and
 * ports (ICMP id) as its outside key, so that replies to seen match it. */
enum pk_adopt {
	PK_ADOPT_NO_STATE, /* no translating state made on the way out has drawn's key */
	PK_ADOPT_SAME,     /* seen is translated as drawn is */
	PK_ADOPT_MOVED,    /* the state now has seen's translation */
	PK_ADOPT_TAKEN,    /* another state holds seen's translation: the state keeps drawn's */
};
enum pk_adopt pk_engine_adopt(struct pk_engine *e, uint16_t iface, const uint8_t *drawn, size_t dlen,
			      const uint8_t *seen, size_t slen);

/* Counters: global (pfctl -si) and per rule (pfctl -vsr). */
struct pk_counters {
	uint64_t states_current, searches, inserts, removals;
	uint64_t packets_in, packets_out, bytes_in, bytes_out;
	uint64_t reason[PK_REASON_COUNT];
	uint64_t syncookies_sent, syncookies_valid, syncookies_failed; /* synproxy's SYN cookies */
	uint64_t decisions_evaluated, decisions_recalled; /* rule walks, and decisions the cache kept */
	uint64_t overload_added, overload_flushed; /* sources put in overload tables, states they lost */
};
struct pk_rule_counters {
	uint64_t evaluations, packets, bytes, states_created;
	uint32_t states_current;
};
const struct pk_counters *pk_engine_counters(const struct pk_engine *e);
const struct pk_rule_counters *pk_engine_rule_counters(const struct pk_engine *e, uint32_t rule);

/* The state table, for `picket states` (pfctl -ss) and kill-states. Keys
 * are as the packet was seen on the wire side (before translation); nat_*
 * hold the translated side when the state translates. */
struct pk_state_info {
	uint32_t id, rule;
	uint8_t af, proto, dir;
	uint16_t iface; /* PK_RT_NO_IFACE for a floating state */
	uint8_t src[16], dst[16], nat_src[16], nat_dst[16];
	uint16_t sport, dport, nat_sport, nat_dport;
	uint8_t src_state, dst_state; /* pf's TCPS_* or the UDP/other PFUDPS_* numbering */
	uint64_t created_ns, expires_ns;
	uint64_t packets[2], bytes[2]; /* [0] initiator to responder, [1] back */
};
void pk_engine_states(const struct pk_engine *e, void (*visit)(void *ctx, const struct pk_state_info *s),
		      void *ctx);

/* Kill the states whose source (and, when dst.af != 0, destination) lies in
 * the given prefixes; af 0 matches every state. Returns how many. */
struct pk_state_filter {
	uint8_t src_af, src_len, dst_af, dst_len;
	uint8_t src[16], dst[16];
};
uint32_t pk_engine_kill_states(struct pk_engine *e, const struct pk_state_filter *f);

#endif
