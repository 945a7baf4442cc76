/* runtime/text.c: see text.h. */
#include "runtime/text.h"

#include <string.h>

#include "runtime/rule_vocab.h"

void pk_text_init(struct pk_text *t, char *buf, size_t size)
{
	*t = (struct pk_text){.buf = buf, .size = size};
}

void pk_text_init_file(struct pk_text *t, char *buf, size_t size, FILE *out)
{
	*t = (struct pk_text){.buf = buf, .size = size, .out = out};
}

size_t pk_text_end(struct pk_text *t)
{
	if (t->out) {
		if (t->len)
			fwrite(t->buf, 1, t->len, t->out);
		t->len = 0;
	} else if (t->size)
		t->buf[t->len] = '\0';
	return t->total;
}

void pk_text_spill(struct pk_text *t, const char *s, size_t n)
{
	t->total += n;
	if (t->out) {
		while (n > t->size - t->len) { /* the buffer fills: out with it, the rest after */
			const size_t k = t->size - t->len;
			memcpy(t->buf + t->len, s, k);
			fwrite(t->buf, 1, t->size, t->out);
			t->len = 0;
			s += k;
			n -= k;
		}
	} else if (t->size == 0)
		return;
	else if (n > t->size - 1 - t->len)
		n = t->size - 1 - t->len; /* cut, room kept for the NUL */
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static void pad(struct pk_text *t, char c, size_t n)
{
	char spaces[32];

	if (t->len + n < t->size) {
		memset(t->buf + t->len, c, n);
		t->len += n;
		t->total += n;
		return;
	}
	memset(spaces, c, n < sizeof spaces ? n : sizeof spaces);
	for (; n > sizeof spaces; n -= sizeof spaces)
		pk_text_mem(t, spaces, sizeof spaces);
	pk_text_mem(t, spaces, n);
}

/* n characters of what, padded to |width| as printf pads a field. */
static void padded(struct pk_text *t, const char *what, size_t n, int width, char padc)
{
	const size_t w = width < 0 ? (size_t)-(int64_t)width : (size_t)width;

	if (width > 0 && w > n)
		pad(t, padc, w - n);
	pk_text_mem(t, what, n);
	if (width < 0 && w > n)
		pad(t, ' ', w - n);
}

static const char two_digits[201] = /* "00" to "99" */
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The decimal digits of v, two at a time, ending at end; their start. */
static char *decimal(uint64_t v, char *end)
{
	while (v >= 100) {
		memcpy(end -= 2, two_digits + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(end -= 2, two_digits + 2 * v, 2);
	else
		*--end = (char)('0' + v);
	return end;
}

void pk_text_uint(struct pk_text *t, uint64_t v, int width, char padc)
{
	char d[20];
	const char *at = decimal(v, d + sizeof d);

	padded(t, at, (size_t)(d + sizeof d - at), width, padc);
}

void pk_text_field(struct pk_text *t, const char *s, int width) { padded(t, s, strlen(s), width, ' '); }

/* A byte's decimal digits at at; the end. */
static char *byte_digits(unsigned v, char *at)
{
	if (v >= 100) {
		*at++ = (char)('0' + v / 100);
		v %= 100;
	} else if (v < 10) {
		*at++ = (char)('0' + v);
		return at;
	}
	memcpy(at, two_digits + 2 * v, 2);
	return at + 2;
}

static void quad(struct pk_text *t, const uint8_t *a)
{
	char q[16], *at = q;

	for (int i = 0; i < 4; i++) {
		at = byte_digits(a[i], at);
		*at++ = '.';
	}
	pk_text_mem(t, q, (size_t)(at - q) - 1);
}

static void hex_word(struct pk_text *t, unsigned w)
{
	static const char digits[] = "0123456789abcdef";
	char d[4];
	size_t n = 0;

	do {
		d[sizeof d - ++n] = digits[w & 0xf];
		w >>= 4;
	} while (w);
	pk_text_mem(t, d + sizeof d - n, n);
}

/* The longest run of zero words (the first of equal ones), when it is two
 * words or more: its start (-1: none), its length in *len. */
static int zero_run(const unsigned w[8], int *len)
{
	int base = -1, best = 0;

	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > best) {
			best = j - i;
			base = i;
		}
		i = j == i ? i + 1 : j;
	}
	*len = best;
	return best >= 2 ? base : -1;
}

void pk_text_addr(struct pk_text *t, uint8_t af, const uint8_t *a)
{
	unsigned w[8];
	int len, base;

	if (af != PK_AF_INET6) {
		quad(t, a);
		return;
	}
	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	base = zero_run(w, &len);
	for (int i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + len) {
			if (i == base)
				pk_text_char(t, ':');
			continue;
		}
		if (i)
			pk_text_char(t, ':');
		if (i == 6 && base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff))) {
			quad(t, a + 12); /* ::a.b.c.d and ::ffff:a.b.c.d */
			return;
		}
		hex_word(t, w[i]);
	}
	if (base >= 0 && base + len == 8)
		pk_text_char(t, ':');
}

/* The length of the UTF-8 sequence at s (1 to 4, none of it NUL, within
 * avail bytes), or 0 when it is not one: a stray or missing continuation
 * byte, an overlong form, a surrogate, past U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	const unsigned c = s[0];
	size_t n;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void pk_text_utf8(struct pk_text *t, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	while (s < end) {
		size_t run = 0, k; /* valid UTF-8, up to a NUL or a byte that is not */
		while (s + run < end && s[run] && (k = utf8_len(s + run, (size_t)(end - s - run))) != 0)
			run += k;
		pk_text_mem(t, (const char *)s, run);
		s += run;
		if (s < end) {
			const char c[2] = {(char)(0xc0 | *s >> 6), (char)(0x80 | (*s & 0x3f))};
			if (*s < 0x80) /* a NUL */
				pk_text_mem(t, (const char *)s, 1);
			else
				pk_text_mem(t, c, 2);
			s++;
		}
	}
}

void pk_text_json(struct pk_text *t, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;

	if (!s) {
		pk_text_mem(t, "null", 4);
		return;
	}
	pk_text_char(t, '"');
	for (;;) {
		size_t n = 0, k; /* a run that needs no escape, copied at once */
		for (;;) {
			const unsigned char c = s[n];
			if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
				n++; /* ASCII, the usual case, without a call */
			else if (c >= 0x80 && (k = utf8_len(s + n, SIZE_MAX)) != 0)
				n += k;
			else
				break;
		}
		pk_text_mem(t, (const char *)s, n);
		s += n;
		if (!*s)
			break;
		const unsigned char c = *s++;
		const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
			      : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
		if (e)
			pk_text_mem(t, e, 2);
		else { /* another control character, or a byte that is not UTF-8: read as Latin-1 */
			const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
			pk_text_mem(t, u, 6);
		}
	}
	pk_text_char(t, '"');
}
