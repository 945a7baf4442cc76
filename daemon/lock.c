/* daemon/lock.c: lock files naming their holder's pid. */
#include "daemon/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RETRY_MS 20

static long holder_pid(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static bool alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void pk_lock_set_pid(int fd, pid_t pid)
{
	char line[24];
	int n = snprintf(line, sizeof(line), "%ld\n", (long)pid);

	/* the pid only names the holder in a refusal: a failed write costs nothing else */
	if (ftruncate(fd, 0) < 0 || pwrite(fd, line, (size_t)n, 0) != n)
		return;
}

int pk_lock_take(const char *path, const char *what, struct pk_err *err)
{
	for (unsigned waited = 0;;) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return pk_err_set(err, "%s: cannot open the lock file %s: %s", what, path, strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (same_file(fd, path)) {
				pk_lock_set_pid(fd, getpid());
				return fd;
			}
			close(fd); /* removed by its last holder meanwhile: lock the new one */
			continue;
		}
		int why = errno;
		long pid = holder_pid(fd);
		close(fd);
		if (why != EWOULDBLOCK)
			return pk_err_set(err, "%s: cannot lock %s: %s", what, path, strerror(why));
		if (alive(pid))
			return pk_err_set(err, "%s is in use by picketd (pid %ld): stop it first", what, pid);
		/* its holder has exited: the reaper is removing its files, or it is
		 * between its fork and writing its new pid */
		if (waited >= PK_LOCK_WAIT_MS)
			return pk_err_set(err, "%s is locked (%s) though picketd pid %ld has exited", what, path, pid);
		usleep(RETRY_MS * 1000);
		waited += RETRY_MS;
	}
}

int pk_lock_reclaim(const char *path, dev_t dev, ino_t ino)
{
	for (unsigned waited = 0; waited <= PK_LOCK_WAIT_MS; waited += RETRY_MS) {
		struct stat st;
		int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) < 0 || st.st_dev != dev || st.st_ino != ino) {
			close(fd);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		long pid = holder_pid(fd);
		close(fd);
		if (alive(pid))
			return -1;
		usleep(RETRY_MS * 1000);
	}
	return -1;
}

void pk_lock_iface_path(char *buf, size_t len, const char *ifname)
{
	struct stat ns;

	if (stat("/proc/self/ns/net", &ns) == 0)
		snprintf(buf, len, PK_LOCK_DIR "/picketd.net%lu.%s.lock", (unsigned long)ns.st_ino, ifname);
	else
		snprintf(buf, len, PK_LOCK_DIR "/picketd.%s.lock", ifname);
}
