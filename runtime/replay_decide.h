/*
 * runtime/replay_decide.h: which packets of a capture get their rule
 * decisions worked out ahead, by the reading thread (struct
 * pk_decision_ahead, runtime/engine.h), so that the engine's thread does
 * not walk the rules for them.
 *
 * A packet needs the rules where it has no state: a flow's first packets,
 * each way, and every packet of a flow the rules block or pass without a
 * state. The reading thread cannot see the state table, so it guesses
 * from the decisions it made itself: a pass where a decision kept state
 * (way in or out, either end) is left to that state from then on; the
 * other passes get a decision at every packet, from a cache of keys met
 * before where it can. A flow that a translation meets is left to the
 * engine. A wrong guess costs a walk on one side or the other, never
 * another outcome.
 */
#ifndef PK_RUNTIME_REPLAY_DECIDE_H
#define PK_RUNTIME_REPLAY_DECIDE_H

#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/pcap_replay.h"

struct pk_replay_decide;

/* NULL when e's rules cannot be decided ahead (pk_engine_ahead_new) or
 * memory is short. Valid while e keeps its rules. */
struct pk_replay_decide *pk_replay_decide_new(const struct pk_engine *e, uint64_t seed);
void pk_replay_decide_free(struct pk_replay_decide *d);

/* The rule decisions of each packet of a batch the decode hook has been
 * over (ahead ready, parsed, iface and route known), worked out where its
 * flow is expected to need them: ahead.decided points at the pair, way in
 * and out, in scratch (pk_pcap_on_batch, PK_REPLAY_DECIDE_SCRATCH bytes a
 * packet), or is NULL. */
#define PK_REPLAY_DECIDE_SCRATCH (2 * sizeof(struct pk_decision_ahead))
void pk_replay_decide_batch(struct pk_replay_decide *d, struct pk_pcap_pkt *pkts, size_t n, void *scratch);

#endif
