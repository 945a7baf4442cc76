/*
 * runtime/replay_nat.h: translations taken from the capture.
 *
 * Where a translation is drawn (nat-to without static-port takes a port
 * from its range, a pool of several addresses takes one of them), the
 * replayed engine draws its own and the captured firewall drew another:
 * the replies in the capture answer the firewall's choice and would miss
 * the engine's state. When the capture also holds the packet leaving on
 * the egress interface (a capture on both sides, marked as sent by the
 * capturing host), that copy names the firewall's choice, and the state is
 * moved to it (pk_engine_adopt), as replay_isn.h moves synproxy's sequence
 * numbers. A copy is known by the interface, the untranslated peer, the
 * length and the bytes that translation leaves alone (the transport header
 * without ports, ICMP id and checksums, the start of the payload). A drawn
 * translation whose copy does not come within a second is counted: replies
 * to it cannot be predicted. Owns a small list of translations waiting for
 * their copy.
 */
#ifndef PK_RUNTIME_REPLAY_NAT_H
#define PK_RUNTIME_REPLAY_NAT_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/engine.h"

#define PK_NAT_WAIT_MAX 256
#define PK_NAT_KEEP 96 /* bytes kept of a translated packet: IP and transport headers */

struct pk_nat_wait {
	uint64_t ts_ns;
	uint16_t iface;
	uint16_t len;  /* bytes kept */
	uint32_t tot;  /* the packet's length */
	uint8_t ip[PK_NAT_KEEP];
};

struct pk_nat_map {
	struct pk_nat_wait wait[PK_NAT_WAIT_MAX]; /* a ring, oldest first */
	uint32_t head, n;
	uint64_t drawn;   /* translations the engine drew */
	uint64_t adopted; /* of those, moved to the capture's choice */
	uint64_t agreed;  /* of those, the capture's copy shows the engine's choice */
	uint64_t unseen;  /* of those, no copy in the capture: replies cannot be predicted */
};

void pk_nat_init(struct pk_nat_map *m);
/* The engine drew the translation of the packet ip (as translated) that
 * leaves on iface at now_ns. */
void pk_nat_drawn(struct pk_nat_map *m, uint64_t now_ns, uint16_t iface, const uint8_t *ip, size_t len);
/* A packet the capture shows leaving on iface: when it is the copy of a
 * drawn translation, the engine's state takes the capture's translation. */
void pk_nat_seen(struct pk_nat_map *m, struct pk_engine *e, uint64_t now_ns, uint16_t iface, const uint8_t *ip,
		 size_t len);
/* At the end: what still waits has no copy. */
void pk_nat_finish(struct pk_nat_map *m);

#endif
