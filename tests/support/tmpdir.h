/*
 * tests/support/tmpdir.h: a fresh directory for a test's files, and its
 * removal, so tests that write files do not share names or leave any.
 */
#ifndef PK_TESTS_TMPDIR_H
#define PK_TESTS_TMPDIR_H

#include <stddef.h>

/* Makes /tmp/pk-STEM.XXXXXX and writes its path into dir (n bytes); 0 or -1. */
int pk_test_mkdtemp(char *dir, size_t n, const char *stem);
/* /tmp/pk-STEM-PID into path (n bytes): a file name no other test run uses. */
void pk_test_tmp_path(char *path, size_t n, const char *stem);
/* Removes dir and everything in it; 0 or -1. */
int pk_test_rmtree(const char *dir);

#endif
