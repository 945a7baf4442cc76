/*
 * runtime/replay.h: the firewall's forwarding, modelled around the engine.
 *
 * A packet that arrives on an interface is evaluated `in` there; if it
 * passes and is not addressed to the firewall itself, the topology's routes
 * (pk_rs_route) choose the egress interface, the TTL is decremented as the
 * forwarding path does, and the packet is evaluated `out` on the egress
 * interface. It counts as passed only when both directions pass. States
 * expire in capture time: the purge runs whenever the capture's clock
 * crosses the `interval` timeout, so a long idle gap in a capture behaves
 * as it would have live. Synproxied connections have their captured
 * acknowledgement numbers moved to the engine's ISNs (replay_isn.h), and
 * drawn translations are moved to the ones the capture shows leaving
 * (replay_nat.h). Owns
 * the engine and collects the packets the
 * firewall generates while handling each packet.
 */
#ifndef PK_RUNTIME_REPLAY_H
#define PK_RUNTIME_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/replay_isn.h"
#include "runtime/replay_nat.h"

/* Why a passed packet was not forwarded: addressed to the firewall, no
 * route, TTL out, or diverted to a local socket (divert-to: in.v.divert_*). */
enum pk_replay_stop { PK_STOP_NONE, PK_STOP_SELF, PK_STOP_NO_ROUTE, PK_STOP_TTL, PK_STOP_DIVERT };

#define PK_REPLAY_GEN_MAX 4
#define PK_REPLAY_GEN_BYTES 128

/* A packet the firewall generated (RST, ICMP error, synproxy handshake);
 * the first bytes are kept, enough to describe it. */
struct pk_replay_gen {
	uint16_t iface;
	uint8_t dir;
	uint16_t len, kept;
	uint8_t ip[PK_REPLAY_GEN_BYTES];
};

struct pk_replay_step {
	bool done;
	uint16_t iface;
	uint8_t dir;
	struct pk_verdict v;
};

struct pk_replay_result {
	struct pk_replay_step in, out;
	uint8_t kind;   /* final verdict: enum pk_verdict_kind */
	uint8_t reason; /* enum pk_drop_reason of the deciding step */
	uint8_t stop;   /* enum pk_replay_stop */
	/* af-to translated the packet into the other family (in.v.afto): pf
	 * forwards it by the route of its new destination without meeting the
	 * out rules, so there is no out step; afto_egress is that interface */
	uint16_t afto_egress;
	uint32_t ngen;  /* all generated; the first PK_REPLAY_GEN_MAX are kept */
	struct pk_replay_gen gen[PK_REPLAY_GEN_MAX];
};

/* The forwarding decision for a destination, worked out ahead of the
 * packet's turn (pk_replay_route_ahead): in another thread, since it reads
 * only the loaded rules' interfaces and routes. */
struct pk_replay_route {
	uint8_t af;
	uint8_t dst[16];
	bool self;      /* the firewall's own address */
	bool routed;    /* the routing table has a route to it, by egress */
	uint16_t egress;
	uint16_t source_iface; /* when asked: pk_replay_infer_iface of the packet */
};

struct pk_replay {
	struct pk_engine *engine;
	const struct pk_rs *rs;
	uint64_t next_purge_ns;
	struct pk_replay_result *cur;
	struct pk_isn_map isn; /* synproxy ISNs of the capture vs the engine */
	struct pk_nat_map nat; /* drawn translations vs the capture's */
	/* When snap is set, the packet as the out step sees it (after the in
	 * step's rewrites and the TTL decrement) is copied there, for
	 * --explain. */
	uint8_t *snap;
	size_t snap_cap, snap_len;
	/* When route_hint is set, the decision for the packet's destination as
	 * it arrived, used when it still has that destination on its way out. */
	const struct pk_replay_route *route_hint;
	/* When parsed is set, pk_pkt_parse of the next packet's bytes as they
	 * are given (without error), worked out ahead: its way in takes it
	 * unless ISN alignment changed them. Cleared once taken. */
	const struct pk_pkt *parsed;
	/* When decided is set, the rule decisions of the next packet's way in
	 * ([0]) and out ([1]), each valid or not, worked out ahead
	 * (runtime/replay_decide.h). Cleared once taken. */
	const struct pk_decision_ahead *decided;
};

/* Takes ownership of rs. Returns -1 when the engine cannot be created. */
int pk_replay_init(struct pk_replay *r, struct pk_rs *rs, uint64_t seed);
void pk_replay_fini(struct pk_replay *r);

/* One packet from the capture, its IP header at ip, arrived on iface. The
 * packet is rewritten in place (NAT, TTL) and may grow up to cap. */
void pk_replay_packet(struct pk_replay *r, uint64_t now_ns, uint16_t iface, uint8_t *ip, size_t *len, size_t cap,
		      struct pk_replay_result *res);

/* A packet the capture shows leaving on iface (sent by the capturing
 * host): it may name the translation the firewall chose (replay_nat.h). */
void pk_replay_outgoing(struct pk_replay *r, uint64_t now_ns, uint16_t iface, const uint8_t *ip, size_t len);
/* At the end of the captures: translations still waiting have no copy. */
void pk_replay_finish(struct pk_replay *r);

/* The interface a packet arrived on when the capture does not say: the one
 * whose connected network holds its source address. PK_RT_NO_IFACE when
 * none does. */
uint16_t pk_replay_infer_iface(const struct pk_rs *rs, const uint8_t *ip, size_t len);

/* The decision for the destination of the packet at ip, and when infer is
 * set the interface its source lies behind; af 0 (and source_iface
 * PK_RT_NO_IFACE) when the packet is too short to have one. */
void pk_replay_route_ahead(const struct pk_rs *rs, const uint8_t *ip, size_t len, bool infer,
			   struct pk_replay_route *out);
/* The same for a packet whose family and addresses are known already
 * (pk_replay_addrs's, or a successful pk_pkt_parse's, which are the same). */
void pk_replay_route_addrs(const struct pk_rs *rs, uint8_t af, const uint8_t src[16], const uint8_t dst[16], bool infer,
			   struct pk_replay_route *out);

/* Address family and addresses of an IP packet; false when too short. */
bool pk_replay_addrs(const uint8_t *ip, size_t len, uint8_t *af, uint8_t src[16], uint8_t dst[16]);

#endif
