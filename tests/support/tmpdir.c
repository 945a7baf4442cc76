/* tests/support/tmpdir.c: see tmpdir.h. */
#include "tests/support/tmpdir.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int pk_test_mkdtemp(char *dir, size_t n, const char *stem)
{
	if ((size_t)snprintf(dir, n, "/tmp/pk-%s.XXXXXX", stem) >= n)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

void pk_test_tmp_path(char *path, size_t n, const char *stem)
{
	snprintf(path, n, "/tmp/pk-%s-%ld", stem, (long)getpid());
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int pk_test_rmtree(const char *dir)
{
	return nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}
