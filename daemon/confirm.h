/*
 * daemon/confirm.h: commit-confirmed reloads.
 *
 * `picket reload --confirm SECONDS [FILE]` swaps a ruleset in and keeps
 * the bytes of the one it replaced; unless `picket confirm` arrives before
 * the deadline, the previous ruleset is swapped back (states kept, as on
 * every reload) and the log says why. A router reached only through the
 * firewall cannot lock its admin out for longer than the deadline, as the
 * big vendors' "commit confirmed" promises. While one is pending, every
 * other reload (the control socket's, SIGHUP's) is refused.
 */
#ifndef PK_DAEMON_CONFIRM_H
#define PK_DAEMON_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "runtime/infile.h"

struct pk_daemon;

struct pk_confirm {
	bool pending;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC */
	time_t deadline_wall; /* the same, for people */
	unsigned seconds;
	struct pk_infile prev; /* the replaced ruleset's bytes */
	char prev_path[4096];  /* and the file it came from */
};

/* Swap in the ruleset file path (NULL: picketd's own), to be confirmed
 * within seconds (0: no confirmation, the plain reload). Returns 0, or -1
 * with why in msg; the running ruleset stays then. */
int pk_confirm_reload(struct pk_daemon *d, const char *path, unsigned seconds, char *msg, size_t msglen);
/* `picket confirm`: keep the pending ruleset. 0, or -1 when none is pending. */
int pk_confirm_accept(struct pk_daemon *d, char *msg, size_t msglen);
/* Once per turn: swap the previous ruleset back when the deadline passed. */
void pk_confirm_tick(struct pk_daemon *d);
/* The pending confirmation's line for `picket stats` (nothing when none). */
void pk_confirm_report(FILE *out, const struct pk_daemon *d);
/* The same as a JSON value: {file, reverts_to, deadline (seconds since
 * the epoch), in_s}, or null when none is pending. */
void pk_confirm_report_json(FILE *out, const struct pk_daemon *d);

#endif
