/*
 * daemon/opts.h: picketd's command line.
 *
 * Owns the parsed options; parsing only, nothing is opened here, so the
 * unit tests can pin every usage error.
 */
#ifndef PK_DAEMON_OPTS_H
#define PK_DAEMON_OPTS_H

#include <limits.h>
#include <stdbool.h>

#include "runtime/err.h"

#define PK_MAX_PORTS 8
#define PK_DEFAULT_CTL "/run/picketd.sock"
#define PK_DEFAULT_USER "nobody"

struct pk_ifmap {
	const char *rs_name;   /* the interface name in the ruleset */
	const char *host_name; /* the host interface that carries it */
};

#define PK_OPTS_NPATHS 6 /* the options naming files: pkb, pidfile ... state_file */

struct pk_opts {
	const char *pkb;
	const char *bridge[2]; /* host interfaces in bridge mode, else NULL */
	struct pk_ifmap ifmap[PK_MAX_PORTS];
	unsigned nifmap;
	bool foreground;
	const char *pidfile, *ctl_path, *user, *logfile, *verdict_log;
	const char *state_file; /* --state-file: states saved at stop, restored at start; NULL when none */
	const char *signed_by;  /* --signed-by KEY.pub: load only rulesets it signed (sign.h); NULL: any */
	char abs[PK_OPTS_NPATHS][PATH_MAX]; /* the relative paths made absolute */
};

/* What the command line asks for. */
enum { PK_OPTS_RUN, PK_OPTS_HELP, PK_OPTS_VERSION };

/* Returns PK_OPTS_RUN when the daemon should run, PK_OPTS_HELP or
 * PK_OPTS_VERSION (printed by the caller), -1 on a usage error described
 * in err. argv strings are kept, and modified in place for `--bridge A,B`
 * and `--if a=b`. */
int pk_opts_parse(int argc, char **argv, struct pk_opts *o, struct pk_err *err);
extern const char pk_opts_usage[];

/* Make every path of o absolute against the current directory, as it is
 * given (symbolic links are followed at each use, so that a link moved to a
 * new ruleset is what the next reload reads): picketd changes to / once it
 * runs in the background. 0, or -1 with err. */
int pk_opts_absolute(struct pk_opts *o, struct pk_err *err);

/* The host interface that carries ruleset interface rs_name. */
const char *pk_opts_host_name(const struct pk_opts *o, const char *rs_name);

#endif
