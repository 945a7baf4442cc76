/* daemon/confirm.c: commit-confirmed reloads (confirm.h). */
#include "daemon/confirm.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/daemon.h"
#include "runtime/json_write.h"

static unsigned long long remaining_s(const struct pk_daemon *d)
{
	const struct pk_confirm *c = &d->confirm;
	return d->now_ns < c->deadline_ns ? (c->deadline_ns - d->now_ns) / 1000000000u : 0;
}

/* The new ruleset runs; the old one's bytes go to keep (NULL: freed). */
static void swap_in(struct pk_daemon *d, struct pk_rs *rs, struct pk_infile *bytes, const char *path,
		    struct pk_infile *keep)
{
	if (keep)
		*keep = d->running;
	else
		pk_infile_free(&d->running);
	d->running = *bytes;
	if (path != d->opts.pkb) {
		snprintf(d->pkb_path, sizeof(d->pkb_path), "%s", path);
		d->opts.pkb = d->pkb_path;
	}
	pk_engine_reload(d->engine, rs);
	pk_daemon_map_ports(d);
	d->reloads++;
}

int pk_confirm_reload(struct pk_daemon *d, const char *path, unsigned seconds, char *msg, size_t msglen)
{
	struct pk_confirm *c = &d->confirm;
	if (c->pending) {
		d->reloads_refused++;
		snprintf(msg, msglen, "reload refused: the reload of %s awaits confirmation ('picket confirm') for %llu more s",
			 d->opts.pkb, remaining_s(d));
		pk_log(LOG_ERR, "%s", msg);
		return -1;
	}
	struct pk_rs *rs;
	struct pk_infile bytes;
	struct pk_err why;
	path = path ? path : d->opts.pkb;
	if (pk_daemon_load(d, path, &rs, &bytes, &why) < 0) {
		d->reloads_refused++;
		snprintf(msg, msglen, "reload refused, the running ruleset stays: %s", why.msg);
		pk_log(LOG_ERR, "%s", msg);
		return -1;
	}
	const uint32_t n = pk_rs_nrules(rs);
	if (seconds) {
		snprintf(c->prev_path, sizeof(c->prev_path), "%s", d->opts.pkb);
		c->pending = true;
		c->seconds = seconds;
		c->deadline_ns = d->now_ns + seconds * 1000000000ull;
		c->deadline_wall = time(NULL) + (time_t)seconds;
	}
	swap_in(d, rs, &bytes, path, seconds ? &c->prev : NULL);
	if (seconds)
		snprintf(msg, msglen, "reloaded %s: %u rules; states kept; reverts to %s in %u s unless 'picket confirm'",
			 d->opts.pkb, n, c->prev_path, seconds);
	else
		snprintf(msg, msglen, "reloaded %s: %u rules; states kept", d->opts.pkb, n);
	pk_log(LOG_NOTICE, "%s", msg);
	return 0;
}

int pk_confirm_accept(struct pk_daemon *d, char *msg, size_t msglen)
{
	struct pk_confirm *c = &d->confirm;
	if (!c->pending) {
		snprintf(msg, msglen, "nothing to confirm: no reload with --confirm is pending");
		return -1;
	}
	c->pending = false;
	pk_infile_free(&c->prev);
	snprintf(msg, msglen, "confirmed: %s stays", d->opts.pkb);
	pk_log(LOG_NOTICE, "%s", msg);
	return 0;
}

void pk_confirm_tick(struct pk_daemon *d)
{
	struct pk_confirm *c = &d->confirm;
	if (!c->pending || d->now_ns < c->deadline_ns)
		return;
	c->pending = false;
	struct pk_rs *rs;
	struct pk_err why;
	char unconfirmed[sizeof(c->prev_path)];
	snprintf(unconfirmed, sizeof(unconfirmed), "%s", d->opts.pkb);
	/* the bytes ran before, verified: loading them again can only fail for memory */
	if (pk_rs_load((const uint8_t *)c->prev.data, c->prev.len, &rs, &why) < 0) {
		pk_log(LOG_ERR, "the reload of %s was not confirmed within %u s, but %s cannot be swapped back: %s",
		       unconfirmed, c->seconds, c->prev_path, why.msg);
		pk_infile_free(&c->prev);
		return;
	}
	struct pk_infile prev = c->prev;
	memset(&c->prev, 0, sizeof(c->prev));
	swap_in(d, rs, &prev, c->prev_path, NULL);
	pk_log(LOG_WARNING, "the reload of %s was not confirmed within %u s: reverted to %s (%u rules); states kept%s",
	       unconfirmed, c->seconds, d->opts.pkb, pk_rs_nrules(rs),
	       strcmp(unconfirmed, d->opts.pkb) ? "" : "; the file on disk still holds the unconfirmed ruleset");
}

void pk_confirm_report(FILE *out, const struct pk_daemon *d)
{
	const struct pk_confirm *c = &d->confirm;
	if (!c->pending)
		return;
	struct tm tm;
	char when[32];
	gmtime_r(&c->deadline_wall, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, "Pending confirmation: %s reverts to %s at %s (in %llu s) unless 'picket confirm'\n", d->opts.pkb,
		c->prev_path, when, remaining_s(d));
}

void pk_confirm_report_json(FILE *out, const struct pk_daemon *d)
{
	const struct pk_confirm *c = &d->confirm;
	if (!c->pending) {
		fputs("null", out);
		return;
	}
	fputs("{\"file\":", out);
	pk_json_str(out, d->opts.pkb);
	fputs(",\"reverts_to\":", out);
	pk_json_str(out, c->prev_path);
	fprintf(out, ",\"deadline\":%lld,\"in_s\":%llu}", (long long)c->deadline_wall, remaining_s(d));
}
