/*
 * runtime/timeout.c: timeout selection and adaptive scaling.
 */
#include "runtime/timeout.h"

uint32_t pk_tmo_get(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx)
{
	if (r && r->timeouts[idx] != PK_TMO_UNSET)
		return r->timeouts[idx];
	return o->timeouts[idx];
}

/* The reference's worked example: start 600,000, end 1,200,000, 900,000
 * states -> (1,200,000 - 900,000) / (1,200,000 - 600,000) = 50%. Integer
 * seconds, as pf_state_expires computes it. */
uint32_t pk_tmo_adaptive(uint32_t timeout, uint32_t start, uint32_t end, uint32_t states)
{
	if (start == 0 || end <= start || states <= start)
		return timeout;
	if (states >= end)
		return 0;
	return (uint32_t)((uint64_t)timeout * (end - states) / (end - start));
}

uint32_t pk_tmo_effective(const struct pk_rs_options *o, const struct pk_rs_rule *r, enum pk_timeout idx,
			  uint32_t states, uint32_t rule_states)
{
	uint32_t t = pk_tmo_get(o, r, idx);

	if (r && r->timeouts[PK_TMO_ADAPTIVE_START] != PK_TMO_UNSET && r->timeouts[PK_TMO_ADAPTIVE_START] != 0)
		return pk_tmo_adaptive(t, r->timeouts[PK_TMO_ADAPTIVE_START], pk_tmo_get(o, r, PK_TMO_ADAPTIVE_END),
				       rule_states);
	return pk_tmo_adaptive(t, o->timeouts[PK_TMO_ADAPTIVE_START], o->timeouts[PK_TMO_ADAPTIVE_END], states);
}
