/*
 * runtime/timeout.h: how long a state lives.
 *
 * The ruleset's options carry the timeouts after `set optimization` and
 * `set timeout`; a rule's own `(tcp.established 600 ...)` overrides them
 * for its states. Adaptive scaling shrinks every timeout linearly once the
 * number of states passes adaptive.start (pf_state_expires). Inline: a
 * state's timeout is asked for on each of its packets.
 */
#ifndef PK_RUNTIME_TIMEOUT_H
#define PK_RUNTIME_TIMEOUT_H

#include <stdint.h>

#include "runtime/ruleset.h"

/* Seconds of timeout idx for a state of rule r (NULL: the options only). */
static inline uint32_t pk_tmo_get(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx)
{
	if (r && r->timeouts[idx] != PK_TMO_UNSET)
		return r->timeouts[idx];
	return o->timeouts[idx];
}

/* timeout scaled by (end - states) / (end - start) when start < states,
 * 0 from end on, unchanged when start is 0 or not below end. The
 * reference's worked example: start 600,000, end 1,200,000, 900,000
 * states -> (1,200,000 - 900,000) / (1,200,000 - 600,000) = 50%. Integer
 * seconds, as pf_state_expires computes it. */
static inline uint32_t pk_tmo_adaptive(uint32_t timeout, uint32_t start, uint32_t end, uint32_t states)
{
	if (start == 0 || end <= start || states <= start)
		return timeout;
	if (states >= end)
		return 0;
	return (uint32_t)((uint64_t)timeout * (end - states) / (end - start));
}

/* The effective seconds of timeout idx: the rule's adaptive range with the
 * rule's state count when the rule sets adaptive.start, else the global
 * range with the table's count. */
static inline uint32_t pk_tmo_effective(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx,
						uint32_t states, uint32_t rule_states)
{
	uint32_t t = pk_tmo_get(o, r, idx);

	if (r && r->timeouts[PK_TMO_ADAPTIVE_START] != PK_TMO_UNSET && r->timeouts[PK_TMO_ADAPTIVE_START] != 0)
		return pk_tmo_adaptive(t, r->timeouts[PK_TMO_ADAPTIVE_START], pk_tmo_get(o, r, PK_TMO_ADAPTIVE_END),
				       rule_states);
	return pk_tmo_adaptive(t, o->timeouts[PK_TMO_ADAPTIVE_START], o->timeouts[PK_TMO_ADAPTIVE_END], states);
}

#endif
