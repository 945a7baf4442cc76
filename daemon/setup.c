/*
 * daemon/setup.c: turning the options and the ruleset into a running
 * daemon: loading and checking the ruleset, opening the ports, reloading,
 * and where log lines go.
 */
#include "daemon/daemon.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon/lock.h"
#include "daemon/offload.h"
#include "daemon/sign.h"
#include "daemon/sys.h"

static bool log_to_stderr = true;

void pk_log_to_syslog(void)
{
	openlog("picketd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_to_stderr = false;
}

void pk_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_to_stderr) {
		fputs("picketd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

int pk_daemon_load(const struct pk_daemon *d, const char *path, struct pk_rs **rs, struct pk_infile *bytes,
		   struct pk_err *err)
{
	struct pk_err e;

	*rs = NULL;
	memset(bytes, 0, sizeof(*bytes));
	if (pk_sys_check_pkb_mode(path, err) < 0)
		return -1;
	if (pk_infile_read(path, PK_INFILE_PKB, bytes, &e) < 0)
		return pk_err_at(err, e.offset, "%s: byte %llu: %s", path, (unsigned long long)e.offset, e.msg);
	/* the signature first: the verifier never sees bytes of an unknown origin */
	if (d->signed_only && pk_sign_check(d->signer, path, bytes->data, bytes->len, &e) < 0) {
		pk_infile_free(bytes);
		return pk_err_set(err, "%s: %s", path, e.msg);
	}
	if (pk_rs_load((const uint8_t *)bytes->data, bytes->len, rs, &e) < 0) {
		pk_infile_free(bytes);
		return pk_err_at(err, e.offset, "%s: byte %llu: %s", path, (unsigned long long)e.offset, e.msg);
	}
	return 0;
}

int pk_daemon_check_user(const struct pk_daemon *d, struct pk_err *err)
{
	char dir[PATH_MAX];
	char *slash;

	if (pk_sys_user_may(d->opts.user, d->opts.pkb, R_OK,
			    "picketd reads the ruleset again as that user on reload: make it readable, "
			    "or name another user with -u",
			    err) < 0)
		return -1;
	if (!d->opts.state_file)
		return 0;
	snprintf(dir, sizeof(dir), "%s", d->opts.state_file);
	slash = strrchr(dir, '/'); /* the path is absolute (pk_opts_absolute) */
	if (slash == dir)
		slash[1] = '\0'; /* a file in / */
	else
		*slash = '\0';
	return pk_sys_user_may(d->opts.user, dir, W_OK | X_OK,
			       "picketd saves its states there as that user when it stops: give that user the "
			       "directory, or another --state-file",
			       err);
}

int pk_daemon_lock(struct pk_daemon *d, const char *path, const char *what, struct pk_err *err)
{
	int fd = pk_lock_take(path, what, err);

	if (fd < 0)
		return -1;
	d->lock_fd[d->nlocks++] = fd;
	pk_reaper_add(&d->reaper, PK_REAP_LOCK, path);
	return 0;
}

void pk_daemon_map_ports(struct pk_daemon *d)
{
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);

	for (unsigned i = 0; i < d->nports; i++) {
		const char *name = d->port[i].name;
		/* The ruleset names the interface; --if says which host interface carries it. */
		for (unsigned k = 0; k < d->opts.nifmap; k++)
			if (!strcmp(d->opts.ifmap[k].host_name, d->port[i].name))
				name = d->opts.ifmap[k].rs_name;
		d->port_iface[i] = pk_rs_iface_find(rs, name);
	}
}

static int open_one(struct pk_daemon *d, const char *host, bool promisc, struct pk_err *err)
{
	char lock[PATH_MAX], what[64];

	if (d->nports == PK_MAX_PORTS)
		return pk_err_set(err, "more than %d interfaces", PK_MAX_PORTS);
	/* two picketd on one interface would each forward every packet */
	pk_lock_iface_path(lock, sizeof(lock), host);
	snprintf(what, sizeof(what), "interface %s", host);
	if (pk_daemon_lock(d, lock, what, err) < 0 || pk_afp_open(&d->port[d->nports], host, promisc, err) < 0)
		return -1;
	d->nports++;
	/* merged segments would be larger than the MTU (daemon/offload.h) */
	const int off = pk_offload_merging_off(host, err);
	if (off < 0)
		pk_log(LOG_WARNING, "%s; frames larger than the MTU will be dropped: turn it off with ethtool -K", err->msg);
	else if (off)
		pk_log(LOG_NOTICE, "%s: turned %s%s%s off: picketd forwards frames as they come", host,
		       off & PK_OFFLOAD_GRO ? "generic-receive-offload" : "", off == 3 ? " and " : "",
		       off & PK_OFFLOAD_LRO ? "large-receive-offload" : "");
	return 0;
}

/* Routed mode drives the interfaces named with --if, or else every
 * interface of the topology that has an address. */
static int open_routed(struct pk_daemon *d, struct pk_err *err)
{
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);

	if (d->opts.nifmap) {
		for (unsigned k = 0; k < d->opts.nifmap; k++) {
			if (pk_rs_iface_find(rs, d->opts.ifmap[k].rs_name) == PK_RT_NO_IFACE)
				return pk_err_set(err, "--if %s=%s: the ruleset has no interface '%s'",
						  d->opts.ifmap[k].rs_name, d->opts.ifmap[k].host_name, d->opts.ifmap[k].rs_name);
			if (open_one(d, d->opts.ifmap[k].host_name, false, err) < 0)
				return -1;
		}
		return 0;
	}
	for (uint16_t i = 0; i < pk_rs_niface(rs); i++)
		if (pk_rs_iface_naddr(rs, i) && open_one(d, pk_rs_iface_name(rs, i), false, err) < 0)
			return -1;
	if (d->nports < 2)
		return pk_err_set(err, "routed mode needs two interfaces with addresses in the ruleset's topology "
				       "(declare them, or use --bridge IF1,IF2)");
	return 0;
}

int pk_daemon_open_ports(struct pk_daemon *d, struct pk_err *err)
{
	if (d->bridge) {
		if (open_one(d, d->opts.bridge[0], true, err) < 0 ||
		    open_one(d, d->opts.bridge[1], true, err) < 0)
			return -1;
	} else if (open_routed(d, err) < 0) {
		return -1;
	}
	pk_daemon_map_ports(d);
	for (unsigned i = 0; i < d->nports; i++) {
		if (d->port_iface[i] == PK_RT_NO_IFACE)
			pk_log(LOG_NOTICE, "%s: not an interface of the ruleset; rules naming an interface do not match "
					   "its packets (map it with --if NAME=%s)",
			       d->port[i].name, d->port[i].name);
		if (!d->bridge && pk_sys_kernel_forwards(d->port[i].name))
			pk_log(LOG_WARNING, "%s: the kernel forwards IPv4 on this interface too "
					    "(net.ipv4.conf.%s.forwarding=1): packets may be routed twice; "
					    "turn it off with sysctl -w net.ipv4.conf.%s.forwarding=0",
			       d->port[i].name, d->port[i].name, d->port[i].name);
	}
	return 0;
}

int pk_daemon_reload(struct pk_daemon *d, char *msg, size_t msglen)
{
	return pk_confirm_reload(d, NULL, 0, msg, msglen);
}
