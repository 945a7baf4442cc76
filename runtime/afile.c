/* runtime/afile.c: temporary file, fsync, rename; devices written in place. */
#include "runtime/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files being written, removed by a signal that would end the
 * program: an interrupted compile leaves no OUT.tmp.* behind. Only a
 * signal whose action is the default is caught, and only while a
 * temporary file exists; one the program handles or ignores itself
 * (picketd's SIGTERM and SIGHUP) is left to it: the program goes on and
 * commits or aborts. SIGKILL cannot be caught. */
#define MAX_TEMPS 8
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGABRT};
#define NSIG_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static const char *volatile temps[MAX_TEMPS];
static unsigned ntemps;
static struct sigaction saved[NSIG_FATAL];
static bool caught[NSIG_FATAL];

/* Async-signal-safe: unlink, then the default action of the signal. */
static void remove_temps(int sig)
{
	for (unsigned i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			unlink(temps[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void block_fatal(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSIG_FATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void catch_fatal(void)
{
	const struct sigaction sa = {.sa_handler = remove_temps};
	for (size_t i = 0; i < NSIG_FATAL; i++) {
		caught[i] = sigaction(fatal_signals[i], NULL, &saved[i]) == 0 && saved[i].sa_handler == SIG_DFL;
		if (caught[i])
			sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void track(const char *tmp)
{
	sigset_t old;
	block_fatal(&old);
	for (unsigned i = 0; i < MAX_TEMPS; i++)
		if (!temps[i]) {
			if (ntemps++ == 0)
				catch_fatal();
			temps[i] = tmp;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void untrack(const char *tmp)
{
	sigset_t old;
	block_fatal(&old);
	for (unsigned i = 0; i < MAX_TEMPS; i++)
		if (temps[i] == tmp) {
			temps[i] = NULL;
			if (--ntemps == 0)
				for (size_t k = 0; k < NSIG_FATAL; k++)
					if (caught[k])
						sigaction(fatal_signals[k], &saved[k], NULL);
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int pk_afile_open(struct pk_afile *a, const char *path, mode_t mode)
{
	struct stat st;
	a->path = path;
	a->tmp = NULL;
	a->fd = -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		a->fd = open(path, O_WRONLY | O_CLOEXEC);
		return a->fd < 0 ? -1 : 0;
	}
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	a->tmp = malloc(n);
	if (!a->tmp)
		return -1;
	snprintf(a->tmp, n, "%s.tmp.XXXXXX", path);
	a->fd = mkstemp(a->tmp);
	if (a->fd >= 0)
		track(a->tmp);
	if (a->fd < 0 || fchmod(a->fd, mode) < 0) {
		int e = errno;
		pk_afile_abort(a);
		errno = e;
		return -1;
	}
	return 0;
}

/* A rename is durable once the directory holding it is synced. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
}

int pk_afile_commit(struct pk_afile *a)
{
	if (!a->tmp) {
		int rc = close(a->fd);
		a->fd = -1;
		return rc;
	}
	if (fsync(a->fd) < 0 || close(a->fd) < 0) {
		int e = errno;
		a->fd = -1;
		pk_afile_abort(a);
		errno = e;
		return -1;
	}
	a->fd = -1;
	if (rename(a->tmp, a->path) < 0) {
		int e = errno;
		pk_afile_abort(a);
		errno = e;
		return -1;
	}
	untrack(a->tmp);
	sync_dir(a->path);
	free(a->tmp);
	a->tmp = NULL;
	return 0;
}

void pk_afile_abort(struct pk_afile *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmp) {
		unlink(a->tmp); /* before untrack: a signal between finds nothing left */
		untrack(a->tmp);
		free(a->tmp);
		a->tmp = NULL;
	}
}

int pk_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
