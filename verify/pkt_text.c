/*
 * verify/pkt_text.c: a packet written like a rule, both ways:
 *   [inet|inet6] PROTO from ADDR [port N] to ADDR [port N] [in|out] [on IF]
 *   [flags FLAGS] [icmp-type N|NAME [code N]] [tos N] [tagged NAME] [received-on IF]
 *   [fragment]
 * (received-on: where an outbound packet the firewall forwards came in;
 * fragment: one the rules see as such, which shows no ports, flags or ICMP
 * header).
 * Protocols are names from the table below or numbers.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/ir.h"
#include "compiler/names.h"
#include "verify/packet.h"

static const struct {
	const char *name;
	uint8_t num;
} pk_protos[] = {
	{"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"udp", 17}, {"gre", 47}, {"esp", 50}, {"ah", 51},
	{"icmp6", 58}, {"ipv6-icmp", 58}, {"ospf", 89}, {"pim", 103}, {"sctp", 132}, {"carp", 112},
};

static const char pk_flag_chars[] = "FSRPAUEW";

const char *pk_vpkt_proto_name(uint8_t proto)
{
	for (size_t k = 0; k < sizeof(pk_protos) / sizeof(pk_protos[0]); k++)
		if (pk_protos[k].num == proto)
			return pk_protos[k].name;
	return NULL;
}

static void fmt_addr(uint8_t af, const uint8_t a[16], char *buf, size_t size)
{
	if (!inet_ntop(af == PK_AF_INET ? AF_INET : AF_INET6, a, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

/* Text written piece by piece into a fixed buffer; once a piece is cut
 * short, nothing more is added. */
struct text {
	char *buf;
	size_t size, len;
};

static void append(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(struct text *t, const char *fmt, ...)
{
	if (t->len >= t->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	const int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	t->len = n < 0 ? t->size : t->len + (size_t)n;
}

void pk_vpkt_format(const struct pk_vpkt *p, char *buf, size_t size)
{
	char src[64], dst[64], proto[16];
	struct text t = {buf, size, 0};
	fmt_addr(p->af, p->src, src, sizeof(src));
	fmt_addr(p->af, p->dst, dst, sizeof(dst));
	const char *pn = pk_vpkt_proto_name(p->proto);
	if (pn)
		snprintf(proto, sizeof(proto), "%s", pn);
	else
		snprintf(proto, sizeof(proto), "%u", p->proto);
	const bool ports = (p->proto == 6 || p->proto == 17) && !p->fragment;
	append(&t, "%s %s from %s", p->af == PK_AF_INET ? "inet" : "inet6", proto, src);
	if (ports)
		append(&t, " port %u", p->sport);
	append(&t, " to %s", dst);
	if (ports)
		append(&t, " port %u", p->dport);
	append(&t, " %s on %s", p->dir == PK_DIR_OUT ? "out" : "in", p->ifname ? p->ifname : "(other)");
	if (p->proto == 6 && !p->fragment) {
		char f[9] = {0};
		unsigned k = 0;
		for (unsigned b = 0; b < 8; b++)
			if (p->flags & (1u << b))
				f[k++] = pk_flag_chars[b];
		append(&t, " flags %s", k ? f : "none");
	}
	if (((p->af == PK_AF_INET && p->proto == 1) || (p->af == PK_AF_INET6 && p->proto == 58)) && !p->fragment) {
		const char *kw = p->af == PK_AF_INET ? "icmp-type" : "icmp6-type";
		const char *name = pk_icmp_type_name(p->icmp_type, p->af);
		if (name)
			append(&t, " %s %s", kw, name);
		else
			append(&t, " %s %u", kw, p->icmp_type);
		if (p->icmp_code)
			append(&t, " code %u", p->icmp_code);
	}
	if (p->tos)
		append(&t, " tos 0x%02x", p->tos);
	if (p->tag)
		append(&t, " tagged %s", p->tag);
	if (p->dir == PK_DIR_OUT && p->rcvif)
		append(&t, " received-on %s", p->rcvif);
	if (p->fragment)
		append(&t, " fragment");
}

static int parse_num(const char *w, unsigned max, unsigned *out)
{
	char *end;
	const unsigned long v = strtoul(w, &end, 0);
	if (!*w || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_proto(const char *w, uint8_t *out)
{
	for (size_t k = 0; k < sizeof(pk_protos) / sizeof(pk_protos[0]); k++)
		if (!strcmp(pk_protos[k].name, w)) {
			*out = pk_protos[k].num;
			return 0;
		}
	unsigned v;
	if (parse_num(w, 255, &v))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static int parse_addr(const char *w, uint8_t *af, uint8_t out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, w, out) == 1) {
		*af = PK_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, w, out) == 1) {
		*af = PK_AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_flags(const char *w, uint8_t *out)
{
	*out = 0;
	for (; *w && *w != '/'; w++) {
		const char *c = strchr(pk_flag_chars, toupper((unsigned char)*w));
		if (!c || !*c)
			return -1;
		*out |= (uint8_t)(1u << (c - pk_flag_chars));
	}
	return 0;
}

struct pk_words {
	char *v[64];
	unsigned n, at;
};

static const char *next_word(struct pk_words *w)
{
	return w->at < w->n ? w->v[w->at++] : NULL;
}

/* One keyword and its argument; returns 0, 1 for an unknown keyword, -1 bad argument. */
static int parse_kw(struct pk_words *w, const char *kw, struct pk_vpkt *p, bool *to_seen, bool *flags_seen)
{
	unsigned v;
	const char *a;
	uint8_t af;
	if (!strcmp(kw, "in") || !strcmp(kw, "out")) {
		p->dir = kw[0] == 'i' ? PK_DIR_IN : PK_DIR_OUT;
		return 0;
	}
	if (!strcmp(kw, "inet") || !strcmp(kw, "inet6")) {
		p->af = kw[4] ? PK_AF_INET6 : PK_AF_INET;
		return 0;
	}
	if (!strcmp(kw, "fragment")) {
		p->fragment = true;
		return 0;
	}
	if (!(a = next_word(w)))
		return -1;
	if (!strcmp(kw, "proto"))
		return parse_proto(a, &p->proto);
	if (!strcmp(kw, "from") || !strcmp(kw, "to")) {
		*to_seen = kw[0] == 't';
		if (parse_addr(a, &af, *to_seen ? p->dst : p->src))
			return -1;
		p->af = af;
		return 0;
	}
	if (!strcmp(kw, "port")) {
		if (parse_num(a, 65535, &v))
			return -1;
		*(*to_seen ? &p->dport : &p->sport) = (uint16_t)v;
		return 0;
	}
	if (!strcmp(kw, "on")) {
		p->ifname = a;
		return 0;
	}
	if (!strcmp(kw, "flags")) {
		*flags_seen = true;
		return parse_flags(a, &p->flags);
	}
	if (!strcmp(kw, "tagged")) {
		p->tag = a;
		return 0;
	}
	if (!strcmp(kw, "received-on")) {
		p->rcvif = a;
		return 0;
	}
	if (!strcmp(kw, "icmp-type") || !strcmp(kw, "icmp6-type")) {
		const int named = pk_icmp_type_lookup(a, kw[4] == '6' ? PK_AF_INET6 : PK_AF_INET);
		if (named < 0 && parse_num(a, 255, &v))
			return -1;
		p->icmp_type = (uint8_t)(named < 0 ? (int)v : named);
		return 0;
	}
	if (parse_num(a, 255, &v))
		return -1;
	if (!strcmp(kw, "code"))
		p->icmp_code = (uint8_t)v;
	else if (!strcmp(kw, "tos"))
		p->tos = (uint8_t)v;
	else
		return 1;
	return 0;
}

int pk_vpkt_parse(const char *text, struct pk_vpkt *p, char *store, size_t storesize, struct pk_err *err)
{
	if (strlen(text) >= storesize)
		return pk_err_set(err, "the packet text is too long");
	snprintf(store, storesize, "%s", text);
	struct pk_words w = {.n = 0, .at = 0};
	char *save = NULL;
	for (char *s = strtok_r(store, " \t\n", &save); s && w.n < 64; s = strtok_r(NULL, " \t\n", &save))
		w.v[w.n++] = s;
	memset(p, 0, sizeof(*p));
	p->dir = PK_DIR_IN;
	p->proto = 6;
	bool to_seen = false, flags_seen = false;
	for (const char *kw; (kw = next_word(&w));) {
		uint8_t proto;
		if (!parse_proto(kw, &proto) && !isdigit((unsigned char)kw[0])) {
			p->proto = proto;
			continue;
		}
		const int r = parse_kw(&w, kw, p, &to_seen, &flags_seen);
		if (r)
			return pk_err_set(err, r > 0 ? "unknown word '%s'" : "bad or missing value after '%s'", kw);
	}
	if (!p->af)
		return pk_err_set(err, "the packet needs addresses: 'from ADDR to ADDR'");
	if (p->proto == 6 && !flags_seen)
		p->flags = PK_TH_SYN;
	if (p->proto != 6 || p->fragment)
		p->flags = 0;
	if ((p->proto != 6 && p->proto != 17) || p->fragment)
		p->sport = p->dport = 0;
	if (p->fragment)
		p->icmp_type = p->icmp_code = 0;
	return 0;
}
