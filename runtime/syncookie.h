/*
 * runtime/syncookie.h: SYN cookies for synproxy state.
 *
 * The initial sequence number the firewall gives a client is a keyed hash
 * of the connection's addresses and ports, the client's ISN and a time
 * period, with the client's MSS (as an index into a table) and window scale
 * in its low byte. The client's ACK proves the handshake by acknowledging
 * cookie + 1; nothing is stored until then. A cookie is good for the period
 * it was made in and the next one.
 *
 * The SYN|ACK announces a zero window, as pf's does, so that the client
 * sends nothing before the server has answered. When the client's ACK is
 * lost (a flood overruns the firewall), a client with data to send probes
 * that window with a bare segment one below its next sequence number (its
 * ISN): such a probe proves the cookie too, or the connection would hang.
 */
#ifndef PK_RUNTIME_SYNCOOKIE_H
#define PK_RUNTIME_SYNCOOKIE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/packet.h"

#define PK_SYNCOOKIE_PERIOD_MS 16000u /* a cookie lives between 16 and 32 seconds */
#define PK_SYNCOOKIE_KEY 16

struct pk_syncookie {
	uint32_t isn;   /* the client's initial sequence number */
	uint16_t mss;   /* from the table, never above the client's */
	uint8_t wscale; /* the client's shift, PK_WSCALE_NONE when it sent none */
};

/* The secret, derived from the engine's seed. */
void pk_syncookie_key(uint64_t seed, uint8_t key[PK_SYNCOOKIE_KEY]);
/* The MSS the cookie will carry for a client offering mss (rounded down). */
uint16_t pk_syncookie_mss(uint16_t mss);
/* The cookie answering syn, announcing mss (from pk_syncookie_mss), at
 * period (time in ms / PK_SYNCOOKIE_PERIOD_MS). */
uint32_t pk_syncookie_make(const uint8_t key[PK_SYNCOOKIE_KEY], const struct pk_pkt *syn, uint16_t mss,
			   uint64_t period);
/* Does ack (or a zero-window probe) acknowledge a cookie of this period
 * or the previous one? */
bool pk_syncookie_check(const uint8_t key[PK_SYNCOOKIE_KEY], const struct pk_pkt *ack, uint64_t period,
			struct pk_syncookie *out);

#endif
