/*
 * daemon/report.h: what the control socket prints, in pfctl's layouts.
 *
 * Owns the text of `picket states` (pfctl -ss), `picket stats` (pfctl -si)
 * and `picket rules -v` (pfctl -vsr). Everything is read from the engine's public API, so the output
 * is what replay's engine would report too.
 */
#ifndef PK_DAEMON_REPORT_H
#define PK_DAEMON_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "daemon/daemon.h"

void pk_report_states(FILE *out, const struct pk_daemon *d, bool verbose);
void pk_report_stats(FILE *out, const struct pk_daemon *d);
void pk_report_rules(FILE *out, const struct pk_daemon *d, bool verbose);
void pk_report_tables(FILE *out, const struct pk_daemon *d);

#endif
