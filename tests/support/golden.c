/* tests/support/golden.c: see golden.h. */
#include "tests/support/golden.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

char *pk_test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

unsigned pk_test_each_file(const char *dir, const char *suffix,
			   void (*fn)(const char *path, const char *name, void *ctx), void *ctx)
{
	DIR *d = opendir(dir);
	size_t sl = strlen(suffix);
	unsigned n = 0;
	struct dirent *e;

	if (!d)
		fail_msg("cannot open %s (run from the top of the tree)", dir);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char path[512];

		if (l <= sl || strcmp(e->d_name + l - sl, suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fn(path, e->d_name, ctx);
		n++;
	}
	closedir(d);
	return n;
}

void pk_test_golden(const char *path, const char *got)
{
	char *want;

	if (getenv("PICKET_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = pk_test_slurp(path);
	if (!want)
		fail_msg("missing %s (PICKET_GOLDEN_UPDATE=1 writes it)", path);
	if (strcmp(want, got))
		fail_msg("%s differs:\n--- want\n%s--- got\n%s", path, want, got);
	free(want);
}
