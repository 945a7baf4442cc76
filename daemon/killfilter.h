/*
 * daemon/killfilter.h: parsing the filter of `picket kill-states`:
 * "SRC[/LEN] [DST[/LEN]]", IPv4 or IPv6, as pfctl -k takes hosts.
 */
#ifndef PK_DAEMON_KILLFILTER_H
#define PK_DAEMON_KILLFILTER_H

#include <stddef.h>

#include "runtime/engine.h"

/* Fill f from text. 0, or -1 with err saying what was expected. */
int pk_killfilter_parse(const char *text, struct pk_state_filter *f, char *err, size_t errlen);

#endif
