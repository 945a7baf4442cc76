/*
 * daemon/report.h: what the control socket prints, in pfctl's layouts.
 *
 * Owns the text of `picket states` (pfctl -ss), `picket stats` (pfctl -si),
 * `picket rules -v` (pfctl -vsr) and `picket tables`, and their JSON. Everything is read from the engine's public API, so the output
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
/* The same as JSON (daemon/report_json.c; docs/schemas/picket.schema.json):
 * states and rules with every detail -v gives, tables with their added hosts. */
void pk_report_states_json(FILE *out, const struct pk_daemon *d);
void pk_report_stats_json(FILE *out, const struct pk_daemon *d);
void pk_report_rules_json(FILE *out, const struct pk_daemon *d);
void pk_report_tables_json(FILE *out, const struct pk_daemon *d);

#endif
