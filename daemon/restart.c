/*
 * daemon/restart.c: picketd's states across a planned restart
 * (--state-file; the file's format is runtime/state_file.h).
 */
#include "daemon/daemon.h"

#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "runtime/state_file.h"

/* The wall clock dates the file: the time picketd was away counts against
 * the states' timeouts, whatever the monotonic clocks of the two processes. */
static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void pk_daemon_restore_states(struct pk_daemon *d, uint64_t now_ns)
{
	const char *path = d->opts.state_file;
	struct pk_state_restore r;
	struct pk_err err;

	if (!path)
		return;
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		pk_log(LOG_NOTICE, "%s: no states saved: the state table starts empty", path);
		return;
	}
	if (pk_engine_restore_states(d->engine, path, now_ns, wall_ms(), &r, &err) < 0)
		pk_log(LOG_WARNING, "states not restored, the state table starts empty: %s", err.msg);
	else
		pk_log(LOG_NOTICE,
		       "%s: restored %u of %u states saved %.1f s ago (%u expired meanwhile, %u found no room)", path,
		       r.restored, r.saved, (double)r.gap_ms / 1000, r.expired, r.refused);
	/* read once: a later start must not take up states older than the ones it replaces */
	if (unlink(path) < 0)
		pk_log(LOG_WARNING, "%s: cannot remove it once read: %s", path, strerror(errno));
}

void pk_daemon_save_states(struct pk_daemon *d, uint64_t now_ns)
{
	struct pk_err err;
	uint32_t n;

	if (!d->opts.state_file || !d->engine)
		return;
	if (pk_engine_save_states(d->engine, d->opts.state_file, now_ns, wall_ms(), &n, &err) < 0)
		pk_log(LOG_ERR, "states not saved: %s", err.msg);
	else
		pk_log(LOG_NOTICE, "saved %u states to %s", n, d->opts.state_file);
}
