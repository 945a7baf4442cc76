/* runtime/stall.c: follow TCP connections through a replay, diagnose stalls. */
#include "runtime/stall.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/grow.h"
#include "runtime/packet.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"
#include "runtime/wire.h"
#define STALL_MAX_FLOWS (1u << 22)

static const char *const cause_text[] = {
	[PK_STALL_NONE] = "completed",
	[PK_STALL_NO_REPLY] = "no reply ever reached the firewall: the server answers by another path "
			      "(asymmetric routing) or not at all; if the return path bypasses this firewall, "
			      "consider `sloppy state` on the rule",
	[PK_STALL_OTHER_IFACE] = "replies arrive on another interface than the connection left by "
				 "(asymmetric routing): an if-bound state does not match them; consider "
				 "`sloppy state` (or a floating state policy)",
	[PK_STALL_WINDOW] = "replies were blocked as outside the TCP window (state-mismatch): the firewall "
			    "misses part of the conversation (asymmetric routing); consider `sloppy state`",
	[PK_STALL_REPLY_BLOCKED] = "the server's replies were blocked",
	[PK_STALL_NO_HANDSHAKE] = "the handshake never completed (the capture may end before it)",
	[PK_STALL_PROXY_NO_SERVER] = "synproxy completed the client's handshake, but the server never answered "
				     "the firewall's: the server is down, or its replies take another path",
	[PK_STALL_PROXY_REPLY_BLOCKED] = "the server's answers to the firewall's synproxy handshake arrive on "
					 "another interface, where no state matches them (the firewall's own SYN "
					 "makes none there) and the rules block them: pass them in there",
};

const char *pk_stall_cause_text(enum pk_stall_cause c) { return cause_text[c]; }

void pk_stall_init(struct pk_stall *s) { memset(s, 0, sizeof *s); }

void pk_stall_fini(struct pk_stall *s)
{
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

/* The same for both directions (the endpoints are xored), over whole words. */
static uint64_t hash_key(uint8_t af, const uint8_t *a, const uint8_t *b, uint16_t pa, uint16_t pb)
{
	uint64_t wa[2], wb[2], h = 0x9e3779b97f4a7c15ull ^ af;
	memcpy(wa, a, 16);
	memcpy(wb, b, 16);
	h = (h ^ wa[0] ^ wb[0]) * 0xff51afd7ed558ccdull;
	h = (h ^ (h >> 31) ^ wa[1] ^ wb[1]) * 0xc4ceb9fe1a85ec53ull;
	h = (h ^ (h >> 29) ^ (uint64_t)(pa ^ pb)) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* A view of TCP whose family and ends are set: its ports and flags, and
 * its connection's hash. */
static void follow(struct pk_stall_view *t, uint16_t sport, uint16_t dport, uint8_t flags)
{
	t->sport = sport;
	t->dport = dport;
	t->flags = flags;
	t->hash = hash_key(t->af, t->src, t->dst, sport, dport);
	t->tcp = true;
}

/* TCP over IPv4, or IPv6 without extension headers; false otherwise. */
static bool parse_tcp(const uint8_t *ip, size_t len, struct pk_stall_view *t)
{
	size_t off;
	memset(t, 0, sizeof *t);
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		off = pk_ip4_hlen(ip);
		bool first_frag = (pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_OFFMASK) == 0;
		if (ip[PK_IP4_OFF_PROTO] != PK_PROTO_TCP || off < PK_IP4_HLEN || !first_frag)
			return false;
		t->af = PK_AF_INET;
	} else if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6) {
		if (ip[PK_IP6_OFF_NXT] != PK_PROTO_TCP)
			return false;
		off = PK_IP6_HLEN;
		t->af = PK_AF_INET6;
	} else
		return false;
	bool v6 = t->af == PK_AF_INET6;
	memcpy(t->src, ip + pk_ip_src_off(v6), pk_ip_alen(v6));
	memcpy(t->dst, ip + pk_ip_dst_off(v6), pk_ip_alen(v6));
	if (off + PK_TCP_OFF_FLAGS + 1 > len)
		return false; /* the flags are the last field read */
	follow(t, pk_get16(ip + off + PK_L4_OFF_SPORT), pk_get16(ip + off + PK_L4_OFF_DPORT),
	       ip[off + PK_TCP_OFF_FLAGS]);
	return true;
}

void pk_stall_view(const uint8_t *ip, size_t len, struct pk_stall_view *v)
{
	parse_tcp(ip, len, v);
}

void pk_stall_view_parsed(const struct pk_pkt *p, struct pk_stall_view *v)
{
	memset(v, 0, sizeof *v);
	/* of what pk_pkt_parse accepts, parse_tcp follows TCP but a later
	   fragment's, over IPv4 or over IPv6 with no extension header: the
	   TCP header, all there, then starts right after the IPv6 one */
	if (p->proto != PK_PROTO_TCP || (p->fragment && !p->frag_first) ||
	    (p->af == PK_AF_INET6 && p->l4_off != PK_IP6_HLEN))
		return;
	v->af = p->af;
	memcpy(v->src, p->src, 16);
	memcpy(v->dst, p->dst, 16);
	follow(v, p->sport, p->dport, p->th_flags);
}

/* What an index entry holds of its flow's hash (struct pk_stall_slot). */
static uint32_t tag_of(uint64_t hash) { return (uint32_t)(hash >> 32); }

/* The index slot of a connection in either direction: *dir says which
 * way the packet goes (0 client to server). Returns an empty slot when
 * absent. */
static size_t find(const struct pk_stall *s, const struct pk_stall_view *t, int *dir)
{
	size_t mask = s->cap - 1, i = t->hash & mask;
	for (;; i = (i + 1) & mask) {
		if (!s->slot[i].flow)
			return i;
		if (s->slot[i].tag != tag_of(t->hash))
			continue;
		const struct pk_stall_flow *f = &s->v[s->slot[i].flow - 1];
		if (f->hash != t->hash || f->af != t->af)
			continue;
		if (f->cport == t->sport && f->sport == t->dport && !memcmp(f->client, t->src, 16) &&
		    !memcmp(f->server, t->dst, 16)) {
			*dir = 0;
			return i;
		}
		if (f->cport == t->dport && f->sport == t->sport && !memcmp(f->client, t->dst, 16) &&
		    !memcmp(f->server, t->src, 16)) {
			*dir = 1;
			return i;
		}
	}
}

static struct pk_stall_view flow_view(const struct pk_stall_flow *f)
{
	struct pk_stall_view t = {.af = f->af, .sport = f->cport, .dport = f->sport, .tcp = true, .hash = f->hash};
	memcpy(t.src, f->client, 16);
	memcpy(t.dst, f->server, 16);
	return t;
}

/* Room for one more flow: the flows' array doubles (realloc moves no
 * pages it need not), the index doubles past half full. */
static bool grow(struct pk_stall *s)
{
	if (s->n == s->vcap) {
		struct pk_stall_flow *v = pk_grow(s->v, &s->vcap, sizeof *v, 1024, STALL_MAX_FLOWS);
		if (!v)
			return false;
		s->v = v;
	}
	if ((s->n + 1) * 2 <= s->cap)
		return true;
	size_t ncap = s->cap ? s->cap * 2 : 2048;
	struct pk_stall_slot *slot = calloc(ncap, sizeof *slot), *old = s->slot;
	if (!slot)
		return false;
	s->slot = slot;
	s->cap = ncap;
	for (size_t i = 0; i < s->n; i++) {
		struct pk_stall_view t = flow_view(&s->v[i]);
		int dir;
		s->slot[find(s, &t, &dir)] = (struct pk_stall_slot){(uint32_t)i + 1, tag_of(t.hash)};
	}
	free(old);
	return true;
}

/* Only a connection whose opening SYN the capture holds is followed. */
static struct pk_stall_flow *open_flow(struct pk_stall *s, size_t slot, const struct pk_stall_view *t,
				       const struct pk_stall_pkt *p)
{
	if ((t->flags & (PK_TH_SYN | PK_TH_ACK)) != PK_TH_SYN || s->full)
		return NULL;
	if (s->n == s->vcap || (s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap;
		if (!grow(s)) {
			s->full = true;
			return NULL;
		}
		int dir;
		if (cap != s->cap)
			slot = find(s, t, &dir);
	}
	struct pk_stall_flow *f = &s->v[s->n];
	memset(f, 0, sizeof *f);
	s->slot[slot] = (struct pk_stall_slot){(uint32_t)++s->n, tag_of(t->hash)};
	f->af = t->af;
	f->hash = t->hash;
	memcpy(f->client, t->src, 16);
	memcpy(f->server, t->dst, 16);
	f->cport = t->sport;
	f->sport = t->dport;
	f->first_n = p->n;
	f->rule = p->rule;
	f->in_iface = p->iface;
	f->out_iface = PK_RT_NO_IFACE;
	f->reply_iface = PK_RT_NO_IFACE;
	return f;
}

uint64_t pk_stall_prefetch(const struct pk_stall *s, const struct pk_stall_view *v)
{
	if (!s->cap || !v->tcp)
		return 0;
	size_t slot = v->hash & (s->cap - 1);
	__builtin_prefetch(&s->slot[slot]);
	return (uint64_t)tag_of(v->hash) << 32 | slot; /* the slot, and what its flow's entry holds */
}

/* Probes past this many entries are rare at most half full: not asked for. */
#define PREFETCH_PROBES 4

void pk_stall_prefetch_flow(const struct pk_stall *s, uint64_t hint)
{
	const size_t slot = (uint32_t)hint;
	const uint32_t tag = (uint32_t)(hint >> 32);
	uint32_t f = 0;
	if (slot >= s->cap) /* the index was rebuilt since: no hint */
		return;
	for (size_t i = 0; i < PREFETCH_PROBES && !f; i++) {
		const struct pk_stall_slot *e = &s->slot[(slot + i) & (s->cap - 1)];
		if (!e->flow)
			return;
		f = e->tag == tag ? e->flow : 0;
	}
	if (!f)
		return;
	/* every line of the record: the packet reads its key, then its counters */
	const char *at = (const char *)&s->v[f - 1];
	for (size_t i = 0; i < sizeof s->v[0]; i += 64)
		__builtin_prefetch(at + i);
	__builtin_prefetch(at + sizeof s->v[0] - 1);
}

void pk_stall_packet(struct pk_stall *s, const struct pk_stall_pkt *p)
{
	struct pk_stall_view own;
	const struct pk_stall_view *v = p->view;
	if (!v) {
		pk_stall_view(p->ip, p->len, &own);
		v = &own;
	}
	if (!v->tcp)
		return;
	int dir = 0;
	struct pk_stall_flow *f = NULL;
	if (s->cap) {
		size_t slot = find(s, v, &dir);
		struct pk_stall_view x;
		if (!s->slot[slot].flow && p->xlated && parse_tcp(p->xlated, p->xlen, &x)) {
			size_t xslot = find(s, &x, &dir);
			if (s->slot[xslot].flow)
				slot = xslot;
		}
		f = s->slot[slot].flow ? &s->v[s->slot[slot].flow - 1] : open_flow(s, slot, v, p);
	} else
		f = open_flow(s, 0, v, p);
	if (!f)
		return;
	f->pkts[dir]++;
	f->flags[dir] |= v->flags;
	f->passed[dir] += p->passed;
	f->mismatch[dir] += p->mismatch;
	if (dir == 0 && p->passed && p->egress != PK_RT_NO_IFACE)
		f->out_iface = p->egress;
	if (dir == 0 && (v->flags & PK_TH_SYN) && (p->passed || p->held)) {
		f->syn_passed = true;
		if (f->rule == PK_RT_NO_RULE)
			f->rule = p->rule;
	}
	f->proxied |= p->held;
	if (dir == 1)
		f->reply_iface = p->iface;
	/* Established once the client's ACK follows the server's SYN+ACK. */
	if (dir == 0 && (v->flags & PK_TH_ACK) && (f->flags[1] & (PK_TH_SYN | PK_TH_ACK)) == (PK_TH_SYN | PK_TH_ACK) &&
	    f->passed[1])
		f->established = true;
}

enum pk_stall_cause pk_stall_diagnose(const struct pk_stall_flow *f)
{
	if (!f->syn_passed || ((f->flags[0] | f->flags[1]) & PK_TH_RST))
		return PK_STALL_NONE; /* blocked outright or reset: the verdicts say why */
	if (f->proxied && f->pkts[1] == 0)
		return f->pkts[0] > 1 ? PK_STALL_PROXY_NO_SERVER : PK_STALL_NO_HANDSHAKE;
	if (f->proxied && f->passed[1] == 0 && f->reply_iface != f->in_iface)
		return PK_STALL_PROXY_REPLY_BLOCKED;
	if (f->pkts[1] == 0)
		return PK_STALL_NO_REPLY;
	if (f->out_iface != PK_RT_NO_IFACE && f->reply_iface != f->out_iface && f->passed[1] < f->pkts[1])
		return PK_STALL_OTHER_IFACE;
	if (f->mismatch[1] || f->mismatch[0])
		return PK_STALL_WINDOW;
	if (f->passed[1] < f->pkts[1])
		return PK_STALL_REPLY_BLOCKED;
	if (!f->established)
		return PK_STALL_NO_HANDSHAKE;
	return PK_STALL_NONE;
}

static int by_first_packet(const void *a, const void *b)
{
	const struct pk_stall_flow *const *x = a, *const *y = b;
	return (*x)->first_n < (*y)->first_n ? -1 : (*x)->first_n > (*y)->first_n;
}

/* The stalled connections in the order they opened, *n of them; NULL when
 * none or out of memory (told apart by *n: 0 or SIZE_MAX). */
static const struct pk_stall_flow **stalled(const struct pk_stall *s, size_t *n)
{
	const struct pk_stall_flow **list = s->n ? malloc(s->n * sizeof *list) : NULL;
	*n = s->n ? SIZE_MAX : 0;
	if (!list)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (pk_stall_diagnose(&s->v[i]) != PK_STALL_NONE)
			list[(*n)++] = &s->v[i];
	qsort(list, *n, sizeof *list, by_first_packet);
	return list;
}

void pk_stall_report(const struct pk_stall *s, void (*visit)(void *ctx, const struct pk_stall_flow *f,
							 enum pk_stall_cause c),
		     void *ctx)
{
	size_t n;
	const struct pk_stall_flow **list = stalled(s, &n);
	for (size_t i = 0; list && i < n; i++)
		visit(ctx, list[i], pk_stall_diagnose(list[i]));
	free(list);
}

/* A stalled connection with its diagnosis; the rule is known by its
 * source line, so that the rules one line expands to are one rule. */
struct diagnosed {
	const struct pk_stall_flow *f;
	enum pk_stall_cause cause;
	const char *file; /* NULL with line 0 when no rule passed it */
	uint32_t line;
};

static int by_diagnosis(const void *a, const void *b)
{
	const struct diagnosed *x = a, *y = b;
	int files = x->file && y->file ? strcmp(x->file, y->file) : (x->file != NULL) - (y->file != NULL);
	if (x->cause != y->cause)
		return x->cause < y->cause ? -1 : 1;
	if (files)
		return files;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->f->in_iface != y->f->in_iface)
		return x->f->in_iface < y->f->in_iface ? -1 : 1;
	return by_first_packet(&x->f, &y->f);
}

static bool same_group(const struct diagnosed *x, const struct diagnosed *y)
{
	return x->cause == y->cause && x->line == y->line && x->f->in_iface == y->f->in_iface &&
	       (x->file && y->file ? !strcmp(x->file, y->file) : x->file == y->file);
}

static int by_size(const void *a, const void *b)
{
	const struct pk_stall_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return by_first_packet(&x->example[0], &y->example[0]);
}

/* One group per run of d sorted by diagnosis; returns their number. */
static size_t gather(struct diagnosed *d, size_t n, struct pk_stall_group *g)
{
	size_t ng = 0;
	qsort(d, n, sizeof *d, by_diagnosis);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || !same_group(&d[i - 1], &d[i]))
			g[ng++] = (struct pk_stall_group){.cause = d[i].cause, .rule = d[i].f->rule,
							  .iface = d[i].f->in_iface};
		struct pk_stall_group *last = &g[ng - 1];
		if (last->count < PK_STALL_EXAMPLES)
			last->example[last->count] = d[i].f;
		last->count++;
	}
	return ng;
}

struct pk_stall_group *pk_stall_groups(const struct pk_stall *s, const struct pk_rs *rs, size_t *n)
{
	size_t nflows;
	const struct pk_stall_flow **list = stalled(s, &nflows);
	struct diagnosed *d = list && nflows ? malloc(nflows * sizeof *d) : NULL;
	struct pk_stall_group *g = d ? calloc(nflows, sizeof *g) : NULL;
	*n = nflows ? SIZE_MAX : 0;
	if (g) {
		for (size_t i = 0; i < nflows; i++) {
			uint32_t r = list[i]->rule;
			bool known = r != PK_RT_NO_RULE && r < pk_rs_nrules(rs);
			d[i] = (struct diagnosed){list[i], pk_stall_diagnose(list[i]),
						  known ? pk_rs_rule_file(rs, r) : NULL, known ? pk_rs_rule(rs, r)->line : 0};
		}
		*n = gather(d, nflows, g);
		qsort(g, *n, sizeof *g, by_size);
	}
	free(d);
	free(list);
	return g;
}
