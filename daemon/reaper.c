/* daemon/reaper.c: the process that removes picketd's files after it. */
#include "daemon/reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/lock.h"

#define FINISH_WAIT_MS 5000 /* the reaper waits for no lock of ours: they are closed first */
#define KIND_SEAL 0xff

struct reap_msg {
	uint8_t kind; /* enum pk_reap_kind, or KIND_SEAL */
	dev_t dev;
	ino_t ino;
	char path[PATH_MAX];
};

static bool read_msg(int fd, struct reap_msg *m)
{
	size_t got = 0;

	while (got < sizeof(*m)) {
		ssize_t n = read(fd, (char *)m + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	m->path[PATH_MAX - 1] = '\0';
	return true;
}

static bool unchanged(const struct reap_msg *m)
{
	struct stat st;

	return lstat(m->path, &st) == 0 && st.st_dev == m->dev && st.st_ino == m->ino;
}

static void remove_files(const struct reap_msg *list, unsigned n)
{
	int fd[PK_REAP_MAX];
	bool all = true;
	unsigned i;

	for (i = 0; i < n; i++) {
		fd[i] = list[i].kind == PK_REAP_LOCK ? pk_lock_reclaim(list[i].path, list[i].dev, list[i].ino) : -1;
		all &= list[i].kind != PK_REAP_LOCK || fd[i] >= 0;
	}
	for (i = 0; i < n; i++)
		if (list[i].kind == PK_REAP_FILE && all && unchanged(&list[i]))
			unlink(list[i].path);
	/* lock files last, their locks held until they are gone */
	for (i = 0; i < n; i++) {
		if (fd[i] < 0)
			continue;
		unlink(list[i].path);
		close(fd[i]);
	}
}

static void detach(void)
{
	struct sigaction sa;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	if (chdir("/") < 0)
		return; /* every path it is given is absolute */
}

static void __attribute__((noreturn)) reap(int fd)
{
	struct reap_msg list[PK_REAP_MAX], m;
	unsigned n = 0;
	char drain[256];

	detach();
	while (read_msg(fd, &m) && m.kind != KIND_SEAL)
		if (n < PK_REAP_MAX && (m.kind == PK_REAP_FILE || m.kind == PK_REAP_LOCK))
			list[n++] = m;
	for (;;) {
		ssize_t k = read(fd, drain, sizeof(drain));
		if (k == 0 || (k < 0 && errno != EINTR))
			break;
	}
	remove_files(list, n);
	_exit(0);
}

int pk_reaper_start(struct pk_reaper *r, struct pk_err *err)
{
	int sv[2];

	r->fd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return pk_err_set(err, "socketpair: %s", strerror(errno));
	r->pid = fork();
	if (r->pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return pk_err_set(err, "fork: %s", strerror(errno));
	}
	if (r->pid == 0) {
		close(sv[0]);
		reap(sv[1]);
	}
	close(sv[1]);
	r->fd = sv[0];
	return 0;
}

static void send_msg(struct pk_reaper *r, const struct reap_msg *m)
{
	size_t sent = 0;

	while (r->fd >= 0 && sent < sizeof(*m)) {
		ssize_t n = write(r->fd, (const char *)m + sent, sizeof(*m) - sent);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		sent += (size_t)n;
	}
}

void pk_reaper_add(struct pk_reaper *r, enum pk_reap_kind kind, const char *path)
{
	struct reap_msg m;
	struct stat st;

	if (lstat(path, &st) < 0 || strlen(path) >= sizeof(m.path))
		return;
	memset(&m, 0, sizeof(m));
	m.kind = (uint8_t)kind;
	m.dev = st.st_dev;
	m.ino = st.st_ino;
	strcpy(m.path, path);
	send_msg(r, &m);
}

void pk_reaper_seal(struct pk_reaper *r)
{
	struct reap_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = KIND_SEAL;
	send_msg(r, &m);
}

void pk_reaper_finish(struct pk_reaper *r)
{
	struct pollfd p = {.fd = r->fd, .events = POLLIN};
	char c;

	if (r->fd < 0)
		return;
	shutdown(r->fd, SHUT_WR);
	/* the reaper's end closes when it exits */
	while (poll(&p, 1, FINISH_WAIT_MS) > 0 && read(r->fd, &c, 1) > 0)
		continue;
	close(r->fd);
	r->fd = -1;
	waitpid(r->pid, NULL, WNOHANG); /* when it is our child (not after a daemonizing fork) */
}
