/*
 * runtime/err.h: the error value of the runtime and of picketd.
 *
 * A function here that can fail returns -1 (or NULL) and fills a
 * struct pk_err: a message a user can read and, when the input is a file
 * checked piece by piece, where in it the failure is. The caller prints
 * msg; only main decides the exit code. Located errors in rule source are
 * the front end's (compiler/diag.h), not this.
 */
#ifndef PK_RUNTIME_ERR_H
#define PK_RUNTIME_ERR_H

#include <stdint.h>

struct pk_err {
	char msg[512];   /* "rule 3: jump target 0x1c4 is backwards" */
	uint64_t offset; /* byte of the file where a check failed (.pkb, pcapng blocks) */
	uint64_t packet; /* 1-based packet of a capture the error is about; 0 for the file itself */
};

/* Fill msg printf-style and return -1, so that a failing function ends
 * with `return pk_err_set(err, ...)`. offset and packet stay as they are. */
int pk_err_set(struct pk_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, and the byte offset where the check failed. */
int pk_err_at(struct pk_err *err, uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
