/* runtime/afile.c: temporary file, fsync, rename; devices written in place. */
#include "runtime/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		unlink(a->tmp);
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
