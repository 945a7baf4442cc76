/*
 * runtime/text.h: a line of text built by appends (strings, numbers,
 * padded fields, addresses), for the per-packet lines of a replay, where
 * printf's parsing of a format, stdio's lock at every call and
 * inet_ntop's cost were most of the work a packet: a line is put together
 * here and written once.
 *
 * Two ways to end: into a caller's buffer, cut as snprintf cuts (the
 * buffer always ends with a NUL; pk_text_end says how long the whole text
 * would have been), or into a FILE, where nothing is cut (a full buffer is
 * written out and the line goes on in it).
 */
#ifndef PK_RUNTIME_TEXT_H
#define PK_RUNTIME_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct pk_text {
	char *buf;
	size_t size;  /* room in buf */
	size_t len;   /* in buf now */
	size_t total; /* all appended, cut or not */
	FILE *out;    /* where a full buffer goes; NULL: the text is cut */
};

/* Room for an address as text, NUL included (INET6_ADDRSTRLEN). */
#define PK_ADDR_TEXT_MAX 46

/* Text into buf (size bytes, 0 allowed: nothing is written), cut to fit. */
void pk_text_init(struct pk_text *t, char *buf, size_t size);
/* Text for out, buf (size > 0) its staging room. */
void pk_text_init_file(struct pk_text *t, char *buf, size_t size, FILE *out);
/* The NUL after what buf holds (cut mode), or what is left written out
 * (file mode). The whole text's length, cut or not. */
size_t pk_text_end(struct pk_text *t);

/* What does not fit in the buffer: written out, or cut. */
void pk_text_spill(struct pk_text *t, const char *s, size_t n);

/* Inline: a line is dozens of appends, most of them a few bytes into room. */
static inline void pk_text_mem(struct pk_text *t, const char *s, size_t n)
{
	if (t->len + n < t->size) { /* the cut mode's NUL still fits after it */
		memcpy(t->buf + t->len, s, n);
		t->len += n;
		t->total += n;
	} else
		pk_text_spill(t, s, n);
}

static inline void pk_text_str(struct pk_text *t, const char *s) { pk_text_mem(t, s, strlen(s)); }

static inline void pk_text_char(struct pk_text *t, char c) { pk_text_mem(t, &c, 1); }

/* v in decimal, in at least |width| characters as printf's "%*llu": padded
 * on the left with pad (' ', or '0' as "%0*llu"), or on the right with
 * spaces when width is negative ("%-*llu"). */
void pk_text_uint(struct pk_text *t, uint64_t v, int width, char pad);
/* s in at least |width| characters, as printf's "%*s" ("%-*s" when width
 * is negative). */
void pk_text_field(struct pk_text *t, const char *s, int width);
/* An address of the runtime's family (PK_AF_INET, PK_AF_INET6) as
 * inet_ntop writes it: dotted quad; RFC 5952 text for IPv6, the longest
 * run of two or more zero words (the first of equals) as "::", and the
 * last 32 bits as a dotted quad for an IPv4-compatible or -mapped address. */
void pk_text_addr(struct pk_text *t, uint8_t af, const uint8_t *addr);
/* n bytes of s as UTF-8: valid sequences as they are, any other byte as
 * the Latin-1 character of its value (two bytes), as pk_text_json reads
 * it: for a JSON library that refuses what is not UTF-8. */
void pk_text_utf8(struct pk_text *t, const char *s, size_t n);
/* s as a JSON string, quotes included, NULL as null: escaped as jansson
 * escapes (\" \\ \b \f \n \r \t, other control characters \u00XX), so
 * that lines and documents read alike; a byte that does not start valid
 * UTF-8 (a Latin-1 comment in a rule file, an interface name) is taken as
 * Latin-1, \u00XX, so that the line stays JSON and the byte is kept. */
void pk_text_json(struct pk_text *t, const char *s);

#endif
