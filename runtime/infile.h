/*
 * runtime/infile.h: the one way picket and picketd open a file they are
 * given to read.
 *
 * Rule, topology, table and included files, .pkb files and captures all
 * come through here, so every command refuses the same inputs with the
 * same words: the system's reason when the file cannot be opened ("No
 * such file or directory", "Permission denied"), "Is a directory", a
 * device (only /dev/null, an empty file, is read), or a size over the
 * limit ("larger than 64 MiB"), checked against a regular file's size
 * and while reading a pipe, so an endless input is bounded. "-" is
 * standard input, which can be read once.
 *
 * A file read whole is recognised by its content: a compiled ruleset (the
 * .pkb magic; an empty file named *.pkb too, the trace of a compile that
 * never finished), text (a UTF-8 byte order mark before it is dropped), or
 * other binary data; a kind the caller did not ask for is refused in one
 * line ("a compiled ruleset: use picket dump").
 *
 * It remembers the files read so far (device and inode), so an output that
 * would replace one of them is refused (pk_infile_not_input).
 * Messages in err never name the file: the caller puts its name first.
 */
#ifndef PK_RUNTIME_INFILE_H
#define PK_RUNTIME_INFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"

#define PK_INFILE_TEXT_MAX (64u << 20) /* a rule, topology, table or included file */
/* A .pkb: the largest rule file compiles to about twice its size. */
#define PK_INFILE_PKB_MAX (256u << 20)

/* What a file holds; also the kinds a caller accepts, or-ed together. */
enum pk_infile_kind { PK_INFILE_TEXT = 1, PK_INFILE_PKB = 2, PK_INFILE_BINARY = 4 };

struct pk_infile {
	char *data; /* malloc'd, NUL-terminated; a byte order mark removed */
	size_t len;
	enum pk_infile_kind kind;
};

/* The name for messages: "<stdin>" for "-", else path. */
const char *pk_infile_name(const char *path);

/* Opens path ("-": standard input) to read it from the start: a
 * descriptor, with *stream true for a pipe, socket or terminal (a size
 * known only at its end); or -1 with err set. */
int pk_infile_open(const char *path, bool *stream, struct pk_err *err);

/* Reads path whole and recognises it: 0 with f filled (free it with
 * pk_infile_free), or -1 with err set, also when its kind is not one of
 * accept (PK_INFILE_TEXT, PK_INFILE_PKB or both). A pipe whose first bytes
 * show a kind not accepted is not read further. */
int pk_infile_read(const char *path, unsigned accept, struct pk_infile *f, struct pk_err *err);
void pk_infile_free(struct pk_infile *f);

/* 0 when writing path replaces none of the files read so far ("-",
 * standard output, never does); -1 with err set when it would. */
int pk_infile_not_input(const char *path, struct pk_err *err);

#endif
