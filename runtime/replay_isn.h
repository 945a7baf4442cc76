/*
 * runtime/replay_isn.h: synproxy's sequence numbers, aligned between the
 * capture and the replay.
 *
 * With synproxy state the firewall picks the initial sequence numbers of
 * both handshakes it makes (towards the client, towards the server). The
 * firewall that was captured picked its own; the replayed engine picks
 * others, so the client's handshake ACK in the capture would acknowledge a
 * number the engine never sent. This map learns both ISNs of each
 * synproxied connection (the engine's from the packets it generates, the
 * captured firewall's from the peers' acknowledgements) and shifts the
 * acknowledgement numbers of captured packets into the engine's space,
 * fixing the TCP checksum, before the engine sees them. Other traffic is
 * untouched. Owns a small table of synproxied connections.
 */
#ifndef PK_RUNTIME_REPLAY_ISN_H
#define PK_RUNTIME_REPLAY_ISN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pk_isn_flow;

struct pk_isn_map {
	struct pk_isn_flow *v;
	size_t n, cap;
};

void pk_isn_init(struct pk_isn_map *m);
void pk_isn_fini(struct pk_isn_map *m);
/* A packet the engine generated: a synproxy SYN+ACK to a client or SYN to
 * a server starts or completes the connection's entry. */
void pk_isn_generated(struct pk_isn_map *m, const uint8_t *ip, size_t len);
/* A captured packet, before the engine: its ACK number is moved into the
 * engine's sequence space when it belongs to a synproxied connection.
 * True when that changed the packet. */
bool pk_isn_align(struct pk_isn_map *m, uint8_t *ip, size_t len);

#endif
