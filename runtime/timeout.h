/*
 * runtime/timeout.h: how long a state lives.
 *
 * The ruleset's options carry the timeouts after `set optimization` and
 * `set timeout`; a rule's own `(tcp.established 600 ...)` overrides them
 * for its states. Adaptive scaling shrinks every timeout linearly once the
 * number of states passes adaptive.start (pf_state_expires).
 */
#ifndef PK_RUNTIME_TIMEOUT_H
#define PK_RUNTIME_TIMEOUT_H

#include <stdint.h>

#include "runtime/ruleset.h"

/* Seconds of timeout idx for a state of rule r (NULL: the options only). */
uint32_t pk_tmo_get(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx);

/* timeout scaled by (end - states) / (end - start) when start < states,
 * 0 from end on, unchanged when start is 0 or not below end. */
uint32_t pk_tmo_adaptive(uint32_t timeout, uint32_t start, uint32_t end, uint32_t states);

/* The effective seconds of timeout idx: the rule's adaptive range with the
 * rule's state count when the rule sets adaptive.start, else the global
 * range with the table's count. */
uint32_t pk_tmo_effective(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx,
			  uint32_t states, uint32_t rule_states);

#endif
