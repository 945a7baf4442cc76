/* runtime/infile.c: open, bound, read and recognise an input file. */
#include "runtime/infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/pkb_format.h"

#define SNIFF 4096 /* bytes looked at to tell text from binary data */
/* Files remembered for the output check: no rule set includes more, and
 * past it only the first ones are compared. */
#define MAX_INPUTS 256

static struct {
	dev_t dev;
	ino_t ino;
} inputs[MAX_INPUTS];
static unsigned ninputs;
static bool stdin_taken;

static void remember(const struct stat *st)
{
	for (unsigned i = 0; i < ninputs; i++)
		if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino)
			return;
	if (ninputs < MAX_INPUTS) {
		inputs[ninputs].dev = st->st_dev;
		inputs[ninputs].ino = st->st_ino;
		ninputs++;
	}
}

const char *pk_infile_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

/* The one device worth reading: pf rule sets name it as an empty table file. */
static bool is_null_device(const struct stat *st)
{
	struct stat null;
	return S_ISCHR(st->st_mode) && !stat("/dev/null", &null) && null.st_rdev == st->st_rdev;
}

/* A regular file (or /dev/null), or a stream read to its end; a directory
 * or another device (/dev/zero, a disk) is refused. */
static int check_type(int fd, const struct stat *st, bool *stream, struct pk_err *err)
{
	*stream = S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode) || (S_ISCHR(st->st_mode) && isatty(fd));
	if (S_ISREG(st->st_mode) || is_null_device(st) || *stream)
		return 0;
	if (S_ISDIR(st->st_mode))
		return pk_err_set(err, "%s", strerror(EISDIR));
	return pk_err_set(err, "a device, not a file");
}

int pk_infile_open(const char *path, bool *stream, struct pk_err *err)
{
	memset(err, 0, sizeof(*err));
	int fd;
	if (!strcmp(path, "-")) {
		if (stdin_taken)
			return pk_err_set(err, "standard input was read already ('-' can be given once)");
		stdin_taken = true;
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return pk_err_set(err, "%s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0)
		pk_err_set(err, "%s", strerror(errno));
	else if (check_type(fd, &st, stream, err) == 0) {
		if (S_ISREG(st.st_mode))
			remember(&st);
		return fd;
	}
	close(fd);
	return -1;
}

static bool named_pkb(const char *path)
{
	const size_t n = strlen(path);
	return n >= 4 && !strcmp(path + n - 4, ".pkb");
}

/* By content: the magic, or text with few control characters and no NUL
 * (a rule file may hold a stray form feed or escape, random bytes hold one
 * control character in eight). An empty file is text, an empty rule set,
 * unless its name promises bytecode. */
static enum pk_infile_kind recognise(const char *path, const char *d, size_t len)
{
	if (len >= PKB_MAGIC_LEN && !memcmp(d, PKB_MAGIC, PKB_MAGIC_LEN))
		return PK_INFILE_PKB;
	if (len == 0)
		return named_pkb(path) ? PK_INFILE_PKB : PK_INFILE_TEXT;
	const size_t n = len < SNIFF ? len : SNIFF;
	size_t controls = 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char c = (unsigned char)d[i];
		if (c == 0)
			return PK_INFILE_BINARY;
		controls += (c < 0x20 && !strchr("\t\n\v\f\r", c)) || c == 0x7f;
	}
	return controls * 16 > n ? PK_INFILE_BINARY : PK_INFILE_TEXT;
}

static int refuse(enum pk_infile_kind kind, size_t len, unsigned accept, struct pk_err *err)
{
	if (kind == PK_INFILE_PKB && len == 0)
		return pk_err_set(err, "empty, and named as a compiled ruleset (.pkb)");
	if (kind == PK_INFILE_PKB)
		return pk_err_set(err, "a compiled ruleset: use picket dump");
	if (kind == PK_INFILE_TEXT)
		return pk_err_set(err, "a rule file, not a compiled ruleset: compile it with picket compile");
	if (!(accept & PK_INFILE_PKB))
		return pk_err_set(err, "binary data, not a rule file");
	return pk_err_set(err,
			  "binary data without the .pkb magic at byte offset 0: not a %scompiled ruleset "
			  "(one damaged in its first bytes?)",
			  accept & PK_INFILE_TEXT ? "rule file nor a " : "");
}

static int too_large(size_t limit, struct pk_err *err)
{
	return pk_err_set(err, "larger than %zu MiB", limit >> 20);
}

/* Editors on some systems start UTF-8 text with one; the lexer would see
 * three stray bytes before the first word. */
static void drop_bom(struct pk_infile *f)
{
	if (f->len >= 3 && !memcmp(f->data, "\xef\xbb\xbf", 3)) {
		memmove(f->data, f->data + 3, f->len - 3);
		f->len -= 3;
	}
}

static int grow(struct pk_infile *f, size_t *cap, size_t want, struct pk_err *err)
{
	char *p = realloc(f->data, want);
	if (!p)
		return pk_err_set(err, "out of memory reading %zu bytes", want);
	f->data = p;
	*cap = want;
	return 0;
}

/* The kind is told from the first SNIFF bytes, so a pipe of binary data is
 * refused without reading it all; the limit is then the kind's. */
static int read_all(int fd, const char *path, unsigned accept, struct pk_infile *f, struct pk_err *err)
{
	size_t limit = accept & PK_INFILE_PKB ? PK_INFILE_PKB_MAX : PK_INFILE_TEXT_MAX, cap = 0;
	struct stat st;
	const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (regular && (uint64_t)st.st_size > limit)
		return too_large(limit, err);
	bool known = false;
	for (;;) {
		if (f->len + 1 >= cap &&
		    grow(f, &cap, cap ? 2 * cap : regular && st.st_size > SNIFF ? (size_t)st.st_size + 2 : 2 * SNIFF,
			 err) < 0)
			return -1;
		const ssize_t n = read(fd, f->data + f->len, cap - f->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pk_err_set(err, "%s", strerror(errno));
		f->len += (size_t)n;
		if (!known && (n == 0 || f->len >= SNIFF)) {
			drop_bom(f);
			f->kind = recognise(path, f->data, f->len);
			if (!(f->kind & accept))
				return refuse(f->kind, f->len, accept, err);
			limit = f->kind == PK_INFILE_PKB ? PK_INFILE_PKB_MAX : PK_INFILE_TEXT_MAX;
			known = true;
		}
		if (f->len > limit)
			return too_large(limit, err);
		if (n == 0)
			break;
	}
	/* text in its first bytes, binary data further on */
	if (f->kind == PK_INFILE_TEXT && memchr(f->data, '\0', f->len))
		return refuse(PK_INFILE_BINARY, f->len, accept, err);
	f->data[f->len] = '\0';
	return 0;
}

int pk_infile_read(const char *path, unsigned accept, struct pk_infile *f, struct pk_err *err)
{
	memset(f, 0, sizeof(*f));
	bool stream;
	const int fd = pk_infile_open(path, &stream, err);
	if (fd < 0)
		return -1;
	const int rc = read_all(fd, path, accept, f, err);
	close(fd);
	if (rc < 0)
		pk_infile_free(f);
	return rc;
}

void pk_infile_free(struct pk_infile *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}

int pk_infile_not_input(const char *path, struct pk_err *err)
{
	memset(err, 0, sizeof(*err));
	struct stat st;
	if (!strcmp(path, "-") || stat(path, &st) < 0)
		return 0;
	for (unsigned i = 0; i < ninputs; i++)
		if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino)
			return pk_err_set(err, "the output is one of the inputs: writing it would destroy what was read");
	return 0;
}
