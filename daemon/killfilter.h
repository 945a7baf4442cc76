/*
 * daemon/killfilter.h: parsing the filter of `picket kill-states`:
 * "SRC[/LEN] [DST[/LEN]]", IPv4 or IPv6, as pfctl -k takes hosts.
 */
#ifndef PK_DAEMON_KILLFILTER_H
#define PK_DAEMON_KILLFILTER_H

#include "runtime/engine.h"
#include "runtime/err.h"

/* Fill f from text. 0, or -1 with err saying what was expected. */
int pk_killfilter_parse(const char *text, struct pk_state_filter *f, struct pk_err *err);

#endif
