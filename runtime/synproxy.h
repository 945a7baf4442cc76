/*
 * runtime/synproxy.h: synproxy state.
 *
 * pf's synproxy with SYN cookies: the firewall answers the client's SYN
 * itself with a cookie as its ISN and keeps nothing; the client's ACK proves
 * the handshake, and only then is the state created and the server side
 * opened (with the MSS and window scale the cookie carried); once the
 * server answers, the two connections are spliced by translating sequence
 * numbers (and rescaling windows where the two sides' scales differ) both
 * ways. Packets it consumes get PK_V_HOLD; the handshake packets it writes
 * go out through the engine's emit callback.
 */
#ifndef PK_RUNTIME_SYNPROXY_H
#define PK_RUNTIME_SYNPROXY_H

#include <stdbool.h>
#include <stdint.h>

struct pk_engine;
struct pk_ctx;
struct pk_decision;

enum pk_sp_stage {
	PK_SP_NONE,
	PK_SP_PROXY_DST, /* waiting for the server's SYN|ACK (pf's PF_TCPS_PROXY_DST) */
};

/* A SYN that a synproxy rule passes: answer it with a cookie, hold it. */
void pk_eng_synproxy_cookie(struct pk_engine *e, struct pk_ctx *x);
/* A bare ACK that matched (as a SYN) the synproxy rule of d: check its
 * cookie; create the state and open the server side, or block it. */
void pk_eng_synproxy_ack(struct pk_engine *e, struct pk_ctx *x, const struct pk_decision *d);
/* The state created for a proven cookie: start the server handshake;
 * returns false (held). True for states of other packets, tracked as usual. */
bool pk_eng_synproxy_start(struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* A packet on a state still being proxied. */
uint8_t pk_eng_synproxy_state(struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* A packet on a spliced state whose windows need rescaling. */
void pk_eng_synproxy_window(struct pk_ctx *x, uint8_t shift);

#endif
