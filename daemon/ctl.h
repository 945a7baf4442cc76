/*
 * daemon/ctl.h: the control socket.
 *
 * Owns the listening unix stream socket (mode 0600, so only root and the
 * daemon's own user reach it) and the request protocol: the client sends
 * one line (`states [-v]`, `stats`, `rules [-v]`, `kill-states FILTER`,
 * `reload [confirm SECONDS] [FILE]`, `confirm`), picketd answers with a status line (`0` done, `1` refused,
 * `2` bad request) and the text to show, then closes. A request is served
 * between two batches of packets; reads and writes are bounded by short
 * timeouts so a stuck client cannot stall the data path for long.
 */
#ifndef PK_DAEMON_CTL_H
#define PK_DAEMON_CTL_H

#include "daemon/daemon.h"
#include "runtime/err.h"

/* Create and listen on path (replacing a stale socket). fd or -1 with err. */
int pk_ctl_listen(const char *path, struct pk_err *err);
/* Accept and answer one pending request. */
void pk_ctl_serve(struct pk_daemon *d);

#endif
