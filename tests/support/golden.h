/*
 * tests/support/golden.h: the files tests read: a whole file, every file
 * of a folder with a given ending, and golden files, the expected output
 * kept beside a test. PICKET_GOLDEN_UPDATE=1 in the environment rewrites
 * golden files from what the tests got (review the diff before committing).
 * Tests run from the top of the tree.
 */
#ifndef PK_TESTS_GOLDEN_H
#define PK_TESTS_GOLDEN_H

/* The text of the file at path (malloc'd), or NULL when it cannot be read. */
char *pk_test_slurp(const char *path);

/* Calls fn with the path and the name of each file in dir whose name ends
 * in suffix (and is longer); fails the test when dir cannot be read.
 * Returns how many files there were. */
unsigned pk_test_each_file(const char *dir, const char *suffix,
			   void (*fn)(const char *path, const char *name, void *ctx), void *ctx);

/* Fails the test when got is not the text of the golden file at path; with
 * PICKET_GOLDEN_UPDATE set, writes got there instead. */
void pk_test_golden(const char *path, const char *got);

#endif
