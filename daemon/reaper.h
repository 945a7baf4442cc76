/*
 * daemon/reaper.h: removing picketd's files once it has stopped.
 *
 * picketd creates its lock files, control socket and pid file as root, then
 * becomes an unprivileged user who may not remove them from a directory such
 * as /run. So before anything else picketd forks a small process that stays
 * root, holds nothing of picketd's (no socket, ring or file) and only waits:
 * picketd names each file to remove through a socket pair and seals the list
 * before it drops its privileges (nothing named later counts, so the
 * unprivileged daemon cannot have other files removed). When picketd's end
 * closes, on a clean stop or because it died, the reaper takes the lock
 * files' locks (pk_lock_reclaim), removes the other files only if it got
 * every lock and they are still the ones registered (same device and
 * inode), removes the lock files, and exits: a successor's files are never
 * touched. It ignores the stop signals a service manager sends to the whole
 * group.
 */
#ifndef PK_DAEMON_REAPER_H
#define PK_DAEMON_REAPER_H

#include <sys/types.h>

#include "runtime/err.h"

#define PK_REAP_MAX 16 /* files a reaper removes: locks, socket, pid file */

enum pk_reap_kind {
	PK_REAP_FILE, /* removed while the reaper holds every lock */
	PK_REAP_LOCK, /* a lock file (daemon/lock.h), locked, then removed */
};

struct pk_reaper {
	int fd; /* our end of the socket pair, -1 when none */
	pid_t pid;
};

/* Fork the reaper. 0, or -1 with err. */
int pk_reaper_start(struct pk_reaper *r, struct pk_err *err);
/* Name path, as it is now (device and inode), for removal. */
void pk_reaper_add(struct pk_reaper *r, enum pk_reap_kind kind, const char *path);
/* End the list: what is named after this is ignored. */
void pk_reaper_seal(struct pk_reaper *r);
/* Close our end and wait (a few seconds at most) until the reaper has
 * removed the files, so that they are gone when picketd exits. Close the
 * lock files' descriptors first. */
void pk_reaper_finish(struct pk_reaper *r);

#endif
