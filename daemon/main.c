/*
 * daemon/main.c: picketd: the router daemon. Options, start-up order (the
 * reaper, locks, ruleset, states, sockets, files, then daemonize and drop
 * privileges), signals, the one loop that polls every interface and the
 * control socket, and the stop (states saved, files left to the reaper).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/version.h"
#include "daemon/ctl.h"
#include "daemon/daemon.h"
#include "daemon/lock.h"
#include "daemon/sign.h"
#include "daemon/sys.h"

#define POLL_MS 100
#define RX_FRAMES_PER_TURN 256 /* per port per turn: no interface starves the others */
#define EXPIRE_BUDGET 512    /* states examined per turn: purging never stops the world */
#define ARP_TICK_NS 100000000ull

static volatile sig_atomic_t got_hup, got_term;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int daemonize(struct pk_err *err)
{
	pid_t pid = fork();

	if (pid < 0)
		return pk_err_set(err, "fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/") < 0)
		return pk_err_set(err, "chdir /: %s", strerror(errno));
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	pk_log_to_syslog();
	return 0;
}

static struct pk_daemon daemon_state;

static int create_engine(struct pk_daemon *d, struct pk_rs *rs, struct pk_err *err)
{
	struct pk_engine_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.emit = d->bridge ? pk_bridge_emit : pk_router_emit;
	cfg.emit_ctx = d;
	if (getrandom(&cfg.seed, sizeof(cfg.seed), 0) != (ssize_t)sizeof(cfg.seed))
		cfg.seed = mono_ns();
	d->engine = pk_engine_new(rs, &cfg);
	if (!d->engine) {
		pk_rs_free(rs);
		return pk_err_set(err, "cannot size the state table for this ruleset (out of memory)");
	}
	return 0;
}

/* One picketd per control socket: the lock beside it. */
static int lock_ctl(struct pk_daemon *d, struct pk_err *err)
{
	char lock[PATH_MAX], what[PATH_MAX + 32];

	snprintf(lock, sizeof(lock), "%s.lock", d->opts.ctl_path);
	snprintf(what, sizeof(what), "control socket %s", d->opts.ctl_path);
	return pk_daemon_lock(d, lock, what, err);
}

/* Everything that needs root: locks, sockets and files. */
static int start(struct pk_daemon *d, struct pk_err *err)
{
	struct pk_rs *rs;

	if (d->opts.signed_by) {
		if (pk_sign_read_key(d->opts.signed_by, d->signer, err) < 0)
			return -1;
		d->signed_only = true;
	}
	if (lock_ctl(d, err) < 0 || pk_daemon_load(d, d->opts.pkb, &rs, &d->running, err) < 0)
		return -1;
	if (pk_daemon_check_user(d, err) < 0) {
		pk_rs_free(rs);
		return -1;
	}
	d->bridge = d->opts.bridge[0] != NULL;
	if (create_engine(d, rs, err) < 0 || pk_daemon_open_ports(d, err) < 0)
		return -1;
	if (!d->bridge)
		pk_router_init(d);
	if (d->opts.logfile && pk_pcaplog_open(&d->log, d->opts.logfile, err) < 0)
		return -1;
	if (d->opts.verdict_log && !(d->verdicts = fopen(d->opts.verdict_log, "ae")))
		return pk_err_set(err, "%s: %s", d->opts.verdict_log, strerror(errno));
	if ((d->ctl_fd = pk_ctl_listen(d->opts.ctl_path, err)) < 0)
		return -1;
	pk_reaper_add(&d->reaper, PK_REAP_FILE, d->opts.ctl_path);
	/* last, so that a start that fails leaves the state file for the next;
	 * the rings keep what arrives meanwhile until the loop runs */
	pk_daemon_restore_states(d, mono_ns());
	return 0;
}

/* In the process that runs (after daemonize): the pid file, our pid in
 * the locks, and the reaper's list closed before privileges go. */
static int settle(struct pk_daemon *d, struct pk_err *err)
{
	if (d->opts.pidfile) {
		if (pk_sys_write_pidfile(d->opts.pidfile, err) < 0)
			return -1;
		pk_reaper_add(&d->reaper, PK_REAP_FILE, d->opts.pidfile);
	}
	for (unsigned i = 0; i < d->nlocks; i++)
		pk_lock_set_pid(d->lock_fd[i], getpid());
	pk_reaper_seal(&d->reaper);
	return 0;
}

static void turn(struct pk_daemon *d, const struct pollfd *pfd, uint64_t *last_tick)
{
	pk_afp_rx_fn fn = d->bridge ? pk_bridge_frame : pk_router_frame;

	d->now_ns = mono_ns();
	for (unsigned i = 0; i < d->nports; i++)
		pk_afp_rx(&d->port[i], RX_FRAMES_PER_TURN, fn, d);
	if (pfd[d->nports].revents & POLLIN)
		pk_ctl_serve(d);
	if (!d->bridge && d->now_ns - *last_tick >= ARP_TICK_NS) {
		pk_router_tick(d);
		*last_tick = d->now_ns;
	}
	for (unsigned i = 0; i < d->nports; i++)
		pk_afp_tx_flush(&d->port[i]);
	if (d->verdicts)
		fflush(d->verdicts); /* once per batch, not per packet */
	pk_engine_expire(d->engine, d->now_ns, EXPIRE_BUDGET);
	pk_confirm_tick(d);
}

static void run(struct pk_daemon *d)
{
	struct pollfd pfd[PK_MAX_PORTS + 1];
	uint64_t last_tick = 0;
	char msg[400];

	for (unsigned i = 0; i < d->nports; i++)
		pfd[i] = (struct pollfd){.fd = d->port[i].rx_fd, .events = POLLIN};
	pfd[d->nports] = (struct pollfd){.fd = d->ctl_fd, .events = POLLIN};
	while (!got_term) {
		if (poll(pfd, d->nports + 1, POLL_MS) < 0 && errno != EINTR) {
			pk_log(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		turn(d, pfd, &last_tick);
		if (got_hup) {
			got_hup = 0;
			pk_daemon_reload(d, msg, sizeof(msg));
		}
	}
}

/* The reaper removes the socket, pid file and lock files once our locks
 * are closed (daemon/reaper.h): the unprivileged user may not. */
static void stop(struct pk_daemon *d)
{
	for (unsigned i = 0; i < d->nports; i++)
		pk_afp_close(&d->port[i]);
	if (d->ctl_fd >= 0)
		close(d->ctl_fd);
	pk_pcaplog_close(&d->log);
	if (d->verdicts)
		fclose(d->verdicts);
	if (d->engine)
		pk_engine_free(d->engine);
	pk_infile_free(&d->running);
	pk_infile_free(&d->confirm.prev);
	for (unsigned i = 0; i < d->nlocks; i++)
		close(d->lock_fd[i]);
	pk_reaper_finish(&d->reaper);
}

/* The command line: -1 to run, else the exit status (help, version, usage error). */
static int options(struct pk_daemon *d, int argc, char **argv)
{
	struct pk_err err;
	int rc = pk_opts_parse(argc, argv, &d->opts, &err);

	if (rc == PK_OPTS_HELP) {
		fputs(pk_opts_usage, stdout);
		return 0;
	}
	if (rc == PK_OPTS_VERSION) {
		printf("picketd %s\n", PK_VERSION);
		return 0;
	}
	if (rc < 0 || pk_opts_absolute(&d->opts, &err) < 0) {
		fprintf(stderr, "picketd: %s\n", err.msg);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct pk_daemon *d = &daemon_state;
	struct pk_err err;
	int rc;

	d->ctl_fd = d->reaper.fd = -1;
	if ((rc = options(d, argc, argv)) >= 0)
		return rc;
	install_signals();
	if (pk_reaper_start(&d->reaper, &err) < 0 || start(d, &err) < 0 ||
	    (!d->opts.foreground && daemonize(&err) < 0) || settle(d, &err) < 0 ||
	    pk_sys_drop_privileges(d->opts.user, &err) < 0) {
		pk_log(LOG_ERR, "%s", err.msg);
		stop(d);
		return 1;
	}
	d->started_ns = d->now_ns = mono_ns();
	pk_log(LOG_NOTICE, "running %s in %s mode on %u interfaces as %s; control socket %s", d->opts.pkb,
	       d->bridge ? "bridge" : "routed", d->nports, d->opts.user, d->opts.ctl_path);
	run(d);
	pk_log(LOG_NOTICE, "stopping");
	pk_daemon_save_states(d, mono_ns());
	stop(d);
	return 0;
}
