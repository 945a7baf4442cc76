/*
 * runtime/afile.h: output files written whole or not at all.
 *
 * Output goes to a temporary file beside the target (the same file system)
 * and is renamed over it only once complete and synced, so an interrupted
 * or failed write never leaves a partial or stale-looking file. A target
 * that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
 * written in place instead: renaming over it would replace the device with
 * a plain file. The temporary file is removed on every exit: by commit,
 * by abort, and by a signal that ends the program (SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT, SIGPIPE, SIGABRT, while their action is the default).
 * Used by `picket compile`, `picket replay -w`, picketd's pid
 * file and the benchmark generators.
 */
#ifndef PK_RUNTIME_AFILE_H
#define PK_RUNTIME_AFILE_H

#include <stddef.h>
#include <sys/types.h>

struct pk_afile {
	int fd;
	char *tmp;        /* the temporary path; NULL when writing in place */
	const char *path; /* the target */
};

/* Opens the output; 0, or -1 with errno set. */
int pk_afile_open(struct pk_afile *a, const char *path, mode_t mode);
/* Syncs, closes and renames into place; 0, or -1 with errno set (the
 * temporary file is removed and the target left as it was). */
int pk_afile_commit(struct pk_afile *a);
/* Closes and removes the temporary file; the target is left as it was. */
void pk_afile_abort(struct pk_afile *a);
/* Writes all of buf to fd, again after an interrupted write; 0, or -1 with
 * errno set. */
int pk_write_all(int fd, const void *buf, size_t len);

#endif
