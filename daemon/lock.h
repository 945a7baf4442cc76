/*
 * daemon/lock.h: one picketd per control socket and per interface.
 *
 * A running picketd holds an exclusive flock(2) on a lock file for its
 * control socket (the socket's path and ".lock") and one for each interface
 * it drives (in PK_LOCK_DIR, named after the network namespace and the
 * interface, since two namespaces may each have an eth0). A second picketd
 * on either is refused with the pid the lock file holds. The kernel drops a
 * lock when its holder exits, however it ends, so a lock file left behind
 * locks nothing. A lock file may be removed by whoever holds its lock (the
 * reaper does, daemon/reaper.h): pk_lock_take checks, once it has the lock,
 * that the file it locked is still the one at the path, and starts again if
 * not.
 */
#ifndef PK_DAEMON_LOCK_H
#define PK_DAEMON_LOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "runtime/err.h"

#define PK_LOCK_DIR "/run" /* root's alone: no other user can take or plant a lock there */
#define PK_LOCK_WAIT_MS 3000 /* how long a lock whose holder has exited may stay taken (its cleanup) */

/* Take the lock at path for what ("control socket /run/picketd.sock",
 * "interface eth1"), writing our pid into it. The fd holding it, or -1 with
 * err naming the picketd that holds it. */
int pk_lock_take(const char *path, const char *what, struct pk_err *err);

/* The lock file of interface ifname in our network namespace, into buf. */
void pk_lock_iface_path(char *buf, size_t len, const char *ifname);

/* Write pid into the lock file held by fd (after a fork changed it). */
void pk_lock_set_pid(int fd, pid_t pid);

/* The lock of path, left by a picketd that has exited, for removing the
 * file: the fd holding it, or -1 when the file is no longer the one with
 * this device and inode or a live process holds its lock (a successor).
 * Waits up to PK_LOCK_WAIT_MS while the holder the file names has exited
 * (its descriptors are being closed). */
int pk_lock_reclaim(const char *path, dev_t dev, ino_t ino);

#endif
