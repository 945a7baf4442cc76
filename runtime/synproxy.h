/*
 * runtime/synproxy.h: synproxy state.
 *
 * pf's synproxy: the firewall answers the client's SYN itself, opens the
 * server side only once the client has completed the handshake with a
 * valid ACK, then splices the two connections by translating sequence
 * numbers both ways. Packets it consumes get PK_V_HOLD; the handshake
 * packets it writes go out through the engine's emit callback.
 */
#ifndef PK_RUNTIME_SYNPROXY_H
#define PK_RUNTIME_SYNPROXY_H

#include <stdbool.h>
#include <stdint.h>

struct pk_engine;
struct pk_ctx;

enum pk_sp_stage {
	PK_SP_NONE,
	PK_SP_PROXY_SRC, /* waiting for the client's ACK (pf's PF_TCPS_PROXY_SRC) */
	PK_SP_PROXY_DST, /* waiting for the server's SYN|ACK (PF_TCPS_PROXY_DST) */
};

/* The SYN that created state i: answer it; returns false (held). */
bool pk_eng_synproxy_start(struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* A packet on a state still being proxied. */
uint8_t pk_eng_synproxy_state(struct pk_engine *e, struct pk_ctx *x, uint32_t i);

#endif
