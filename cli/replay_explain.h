/*
 * cli/replay_explain.h: `picket replay --explain N`, the whole decision
 * path of one packet: the state lookup, every rule that matched in each
 * ruleset pf evaluates (by plain linear evaluation, pk_rs_classify_trace;
 * the filter by pk_rs_filter_walk, showing a match rule's translation),
 * the deciding rule, the route out and the out-direction decision.
 */
#ifndef PK_CLI_REPLAY_EXPLAIN_H
#define PK_CLI_REPLAY_EXPLAIN_H

#include <stdio.h>

#include "cli/replay_out.h"

/* p->ip is the packet as it arrived; out_ip the packet as the out step
 * saw it (NULL when there was none); last_ip as it left the last step. */
void pk_rp_explain(FILE *out, const struct pk_rs *rs, const struct pk_rp_pkt *p, const uint8_t *out_ip,
		   size_t out_len, const uint8_t *last_ip, size_t last_len);

#endif
