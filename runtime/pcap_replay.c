/*
 * runtime/pcap_replay.c: read a capture in one pass, in large pieces, strip
 * the link headers; on request a thread of its own reads and decodes ahead.
 */
#include "runtime/pcap_replay.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/bytes.h"
#include "runtime/capture_fmt.h"
#include "runtime/infile.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

/* The file's link type numbers (LINKTYPE_*, which libpcap maps to its DLT_*). */
enum {
	LINK_NULL = 0,
	LINK_EN10MB = 1,
	LINK_RAW = 101,
	LINK_LOOP = 108,
	LINK_LINUX_SLL = 113,
	LINK_IPV4 = 228,
	LINK_IPV6 = 229,
	LINK_LINUX_SLL2 = 276,
};

#define SLL_OUTGOING 4 /* Linux packet type: sent by this host */


/* Where the IP header starts in a frame of each link type, and what the
 * link layer says about direction; when the frame carries no IP packet,
 * why not, in the words of the per-frame line. */
struct link_view {
	size_t off;
	bool outgoing;
	char *why;
	size_t why_size;
};

/* Ethertypes a capture holds besides IP, named in the line of their frame. */
static const struct {
	uint16_t type;
	const char *name;
} ethertype_names[] = {
	{PK_ETHERTYPE_ARP, "ARP"},  {0x8035, "RARP"},  {0x888e, "EAPOL"},          {0x88cc, "LLDP"},
	{0x8809, "LACP"},           {0x8847, "MPLS"},  {0x8863, "PPPoE discovery"}, {0x8864, "PPPoE session"},
	{0x88e5, "MACsec"},         {0x88f7, "PTP"},   {0x9000, "loopback test"},
};

static bool is_ip(uint16_t ethertype)
{
	return ethertype == PK_ETHERTYPE_IP || ethertype == PK_ETHERTYPE_IPV6;
}

static bool not_ip(struct link_view *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool not_ip(struct link_view *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->why, v->why_size, fmt, ap);
	va_end(ap);
	return false;
}

/* Why a frame of this ethertype carries no IP packet: values up to 1500
 * are an 802.3 length (LLC follows: spanning tree, NetBIOS). */
static bool other_type(struct link_view *v, uint16_t type)
{
	if (type <= 1500)
		return not_ip(v, "not IP: an 802.3 frame (LLC, %u bytes)", type);
	for (size_t i = 0; i < sizeof ethertype_names / sizeof ethertype_names[0]; i++)
		if (ethertype_names[i].type == type)
			return not_ip(v, "not IP: ethertype 0x%04x, %s", type, ethertype_names[i].name);
	return not_ip(v, "not IP: ethertype 0x%04x", type);
}

/* Inline, the call left to the frames that are no IP. */
static inline bool carries_ip(struct link_view *v, uint16_t type)
{
	return is_ip(type) || other_type(v, type);
}

static bool strip_ether(const uint8_t *f, size_t len, struct link_view *v)
{
	size_t off = PK_ETH_OFF_TYPE;
	for (int tags = 0; tags < 3; tags++) {
		if (off + 2 > len)
			return not_ip(v, "shorter than its Ethernet header (%zu of %zu bytes)", len, off + 2);
		uint16_t type = pk_get16(f + off);
		if (type == PK_ETHERTYPE_VLAN || type == PK_ETHERTYPE_QINQ || type == PK_ETHERTYPE_QINQ_OLD) {
			off += PK_VLAN_TAG_LEN;
			continue;
		}
		v->off = off + 2;
		return carries_ip(v, type);
	}
	return not_ip(v, "more than two VLAN tags");
}

/* A fixed header of hlen bytes; proto_at its ethertype, or -1 for none. */
static bool strip_fixed(const uint8_t *f, size_t len, size_t hlen, int proto_at, const char *name,
			struct link_view *v)
{
	if (len < hlen)
		return not_ip(v, "shorter than its %s header (%zu of %zu bytes)", name, len, hlen);
	v->off = hlen;
	return proto_at < 0 || carries_ip(v, pk_get16(f + proto_at));
}

static bool strip_link(int link, const uint8_t *f, size_t len, struct link_view *v)
{
	v->off = 0;
	v->outgoing = false;
	switch (link) {
	case LINK_EN10MB:
		return strip_ether(f, len, v);
	case LINK_NULL:
	case LINK_LOOP:
		return strip_fixed(f, len, PK_NULL_HLEN, -1, "loopback", v);
	case LINK_LINUX_SLL:
		v->outgoing = len >= PK_SLL_HLEN && pk_get16(f + PK_SLL_OFF_PKTTYPE) == SLL_OUTGOING;
		return strip_fixed(f, len, PK_SLL_HLEN, PK_SLL_OFF_PROTO, "Linux cooked", v);
	case LINK_LINUX_SLL2:
		v->outgoing = len >= PK_SLL2_HLEN && f[PK_SLL2_OFF_PKTTYPE] == SLL_OUTGOING;
		return strip_fixed(f, len, PK_SLL2_HLEN, PK_SLL2_OFF_PROTO, "Linux cooked v2", v);
	case LINK_RAW:
	case LINK_IPV4:
	case LINK_IPV6:
		return true;
	default: /* a later pcapng interface's (pk_pcap_open refused the first's) */
		return not_ip(v, "link type %d, which picket does not read", link);
	}
}

static bool link_supported(int link)
{
	static const int known[] = {LINK_EN10MB, LINK_RAW,  LINK_IPV4,      LINK_IPV6,
				    LINK_NULL,   LINK_LOOP, LINK_LINUX_SLL, LINK_LINUX_SLL2};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i] == link)
			return true;
	return false;
}

/* Ethernet pads short frames: keep only the bytes the IP header claims. */
static size_t ip_length(const uint8_t *ip, size_t len)
{
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		size_t tot = pk_get16(ip + PK_IP4_OFF_LEN);
		return tot >= PK_IP4_HLEN && tot < len ? tot : len;
	}
	if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6) {
		size_t plen = pk_get16(ip + PK_IP6_OFF_PLEN), tot = plen + PK_IP6_HLEN;
		return plen != 0 && tot < len ? tot : len;
	}
	return len;
}

/* The capture is read in batches: one read of BATCH_BYTES, the packets in
 * it decoded into an array, a record cut at the end carried to the next
 * batch. A batch's packets point into its bytes, which stay until the
 * reader moves past the batch. Alone, the reader refills its one batch
 * when it is used up; with a thread, RING batches take turns. */
#define BATCH_BYTES (512u * 1024)
#define BATCH_PKTS 8192u
#define RING 4u

struct batch {
	uint8_t *buf;
	size_t cap, len;
	struct pk_pcap_pkt *pkt;
	size_t n;
	int end;      /* 0 more follows, 1 the capture ends after these, -1 err */
	uint64_t off; /* bytes of the file decoded up to this batch's end */
	struct pk_err err;
	void *scratch; /* the batch hook's (pk_pcap_on_batch), made at its first call */
};

struct pk_pcap {
	int fd;
	const char *path;
	struct pk_capfmt fmt;
	/* the decoding side */
	uint64_t n, off; /* packets decoded, bytes of the file decoded */
	bool eof;
	uint8_t *carry; /* a record the last batch ended inside */
	size_t carry_len, carry_cap;
	pk_pcap_decode_fn on_decode; /* the caller's work on each packet decoded */
	void *decode_ctx;
	pk_pcap_batch_fn on_batch; /* and on each batch decoded */
	void *batch_ctx;
	size_t scratch_size;
	struct batch ring[RING];
	/* the consuming side: batch number `at`, its next packet */
	uint64_t at;
	size_t next;
	/* the thread and what it shares */
	bool threaded, stop;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t filled, released; /* batches decoded so far, batches the consumer is done with */
};

static struct batch *batch_of(struct pk_pcap *c, uint64_t i) { return &c->ring[i % RING]; }

static int fail(struct pk_pcap *c, struct batch *b, const struct pk_err *why, const char *what)
{
	b->err.packet = c->n + 1;
	b->err.offset = why->offset;
	b->end = -1;
	return pk_err_set(&b->err, "%s: packet %llu: %s: %s", c->path, (unsigned long long)(c->n + 1), what, why->msg);
}

/* More bytes into b after its len; false when reading failed. */
static bool read_more(struct pk_pcap *c, struct batch *b, struct pk_err *why)
{
	for (;;) {
		ssize_t got = read(c->fd, b->buf + b->len, b->cap - b->len);
		if (got >= 0) {
			c->eof = got == 0;
			b->len += (size_t)got;
			return true;
		}
		if (errno != EINTR)
			return pk_err_set(why, "%s", strerror(errno)) == 0;
	}
}

/* Room for a record of need bytes when b holds no packet yet: the unread
 * bytes moved to the front, the buffer grown if the record is larger. */
static bool make_room(struct batch *b, size_t *pos, size_t need, struct pk_err *why)
{
	memmove(b->buf, b->buf + *pos, b->len - *pos);
	b->len -= *pos;
	*pos = 0;
	if (need <= b->cap)
		return true;
	uint8_t *grown = realloc(b->buf, need);
	if (!grown)
		return pk_err_set(why, "out of memory for a record of %zu bytes", need) == 0;
	b->buf = grown;
	b->cap = need;
	return true;
}

static void decode_packet(const struct pk_pcap *c, struct batch *b, uint64_t n, const struct pk_cap_rec *r)
{
	struct pk_pcap_pkt *p = &b->pkt[b->n++];
	/* every field set here, not the whole record cleared: ahead is read
	 * only when ready, why only when ip is NULL */
	p->n = n;
	p->ifname = r->ifname;
	p->ts_ns = r->ts_ns;
	p->ip = NULL;
	p->why[0] = '\0';
	p->ip_len = 0;
	p->wire_len = r->wire_len;
	p->snapped = r->caplen < r->wire_len;
	p->ahead.ready = false;
	struct link_view v = {.why = p->why, .why_size = sizeof p->why};
	if (strip_link(r->link, r->frame, r->caplen, &v)) {
		p->ip = r->frame + v.off;
		p->ip_len = ip_length(p->ip, r->caplen - v.off);
	}
	p->outgoing = v.outgoing;
	if (c->on_decode)
		c->on_decode(c->decode_ctx, p, &p->ahead);
}

/* One record at b->buf + *pos, when it is all there: 1 done, 0 it needs
 * *need bytes from *pos, -1 the capture is corrupt there. */
static int one_record(struct pk_pcap *c, struct batch *b, size_t *pos, size_t *need)
{
	struct pk_err why;
	struct pk_cap_rec r;
	size_t avail = b->len - *pos, size;
	int k = pk_capfmt_size(&c->fmt, b->buf + *pos, avail, c->off, &size, &why);
	if (k == 1 && size <= avail)
		k = pk_capfmt_record(&c->fmt, b->buf + *pos, size, c->off, &r, &why);
	else if (k >= 0) {
		*need = k == 1 ? size : PK_CAP_PEEK;
		return 0;
	}
	if (k < 0)
		return fail(c, b, &why, c->fmt.pcapng ? "corrupt pcapng" : "truncated or corrupt capture");
	if (k == 1)
		decode_packet(c, b, ++c->n, &r);
	*pos += size;
	c->off += size;
	return 1;
}

/* The bytes at the end of the file cannot make the record they start. */
static void truncated(struct pk_pcap *c, struct batch *b, size_t have, size_t need)
{
	struct pk_err why;
	pk_err_at(&why, c->off, "truncated dump file; the record at byte %llu needs %zu bytes, only %zu remain",
		  (unsigned long long)c->off, need, have);
	fail(c, b, &why, "truncated or corrupt capture");
}

/* The batch hook on b's packets from the from-th, with the batch's scratch. */
static void batch_hook(const struct pk_pcap *c, struct batch *b, size_t from)
{
	if (!c->on_batch || from >= b->n)
		return;
	if (!b->scratch)
		b->scratch = calloc(BATCH_PKTS, c->scratch_size);
	if (b->scratch)
		c->on_batch(c->batch_ctx, b->pkt + from, b->n - from, b->scratch);
}

/* Decodes the next batch into b: the carried record, then one read. */
static void fill(struct pk_pcap *c, struct batch *b)
{
	memcpy(b->buf, c->carry, c->carry_len);
	b->len = c->carry_len;
	b->n = 0;
	b->end = 0;
	size_t pos = 0, need = 0;
	while (b->n < BATCH_PKTS) {
		int k = one_record(c, b, &pos, &need);
		if (k < 0)
			break;
		if (k > 0)
			continue;
		size_t have = b->len - pos;
		if (c->eof) {
			if (have)
				truncated(c, b, have, need);
			else
				b->end = 1;
			break;
		}
		if (b->n > 0 && pos + need > b->cap)
			break; /* the rest starts the next batch */
		struct pk_err why;
		if ((pos + need > b->cap && !make_room(b, &pos, need, &why)) || !read_more(c, b, &why)) {
			fail(c, b, &why, "cannot read the capture");
			break;
		}
	}
	batch_hook(c, b, 0);
	b->off = c->off;
	c->carry_len = 0;
	if (b->end == 0 && b->len > pos) {
		size_t rest = b->len - pos;
		if (rest > c->carry_cap) {
			uint8_t *grown = realloc(c->carry, rest);
			if (!grown) {
				struct pk_err why = {.msg = "out of memory"};
				fail(c, b, &why, "cannot read the capture");
				return;
			}
			c->carry = grown;
			c->carry_cap = rest;
		}
		memcpy(c->carry, b->buf + pos, rest);
		c->carry_len = rest;
	}
}

static bool batch_init(struct batch *b)
{
	b->cap = BATCH_BYTES;
	b->buf = malloc(b->cap);
	b->pkt = malloc(BATCH_PKTS * sizeof *b->pkt);
	return b->buf && b->pkt;
}

/* The file header, read into the carry, which keeps what follows it. */
static int read_header(struct pk_pcap *c, struct pk_err *err)
{
	struct batch *b = &c->ring[0];
	while (!c->eof && b->len < PK_CAP_PEEK) {
		if (!read_more(c, b, err))
			return -1;
	}
	long used = pk_capfmt_open(&c->fmt, b->buf, b->len, err);
	if (used < 0)
		return -1;
	c->off = (uint64_t)used;
	c->carry = malloc(b->len - (size_t)used + 1);
	if (!c->carry)
		return pk_err_set(err, "out of memory");
	c->carry_len = c->carry_cap = b->len - (size_t)used;
	memcpy(c->carry, b->buf + used, c->carry_len);
	return 0;
}

/* The first batch, read now: a capture whose first link type picket does
 * not read is refused before any packet. */
static int first_batch(struct pk_pcap *c, struct pk_err *err)
{
	uint16_t link;
	fill(c, &c->ring[0]);
	c->filled = 1;
	if (!pk_capfmt_first_link(&c->fmt, &link)) {
		const char *why = c->ring[0].end < 0 ? c->ring[0].err.msg : "it describes no interface";
		return pk_err_set(err, "%s: not a readable pcap or pcapng capture: %s", c->path, why);
	}
	if (!link_supported(link)) {
		const char *name = pcap_datalink_val_to_name(link);
		return pk_err_set(err, "%s: link type %s is not one picket reads (Ethernet, raw IP, loopback, Linux cooked)",
				  c->path, name ? name : "unknown");
	}
	return 0;
}

struct pk_pcap *pk_pcap_open(const char *path, struct pk_err *err)
{
	memset(err, 0, sizeof *err);
	struct pk_pcap *c = calloc(1, sizeof *c);
	if (!c) {
		pk_err_set(err, "out of memory");
		return NULL;
	}
	c->path = pk_infile_name(path);
	bool stream;
	struct pk_err why;
	if ((c->fd = pk_infile_open(path, &stream, &why)) < 0) {
		pk_err_set(err, "%s: %s", c->path, why.msg);
		free(c);
		return NULL;
	}
	bool ok = true;
	for (unsigned i = 0; i < RING; i++)
		ok = batch_init(&c->ring[i]) && ok;
	if (!ok)
		pk_err_set(err, "out of memory");
	else if (read_header(c, &why) < 0)
		pk_err_set(err, "%s: not a readable pcap or pcapng capture: %s", c->path, why.msg);
	if (!ok || err->msg[0] || first_batch(c, err) < 0) {
		pk_pcap_close(c);
		return NULL;
	}
	return c;
}

/* The thread: decodes batch after batch while a slot of the ring is free. */
static void *read_ahead(void *arg)
{
	struct pk_pcap *c = arg;
	pthread_mutex_lock(&c->mu);
	for (uint64_t i = c->filled; !batch_of(c, i - 1)->end; i++) {
		while (!c->stop && i >= c->released + RING)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		pthread_mutex_unlock(&c->mu);
		fill(c, batch_of(c, i));
		pthread_mutex_lock(&c->mu);
		c->filled = i + 1;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

void pk_pcap_on_decode(struct pk_pcap *c, pk_pcap_decode_fn fn, void *ctx)
{
	struct batch *b = batch_of(c, c->at);
	c->on_decode = fn;
	c->decode_ctx = ctx;
	for (size_t i = c->next; i < b->n; i++)
		fn(ctx, &b->pkt[i], &b->pkt[i].ahead);
}

void pk_pcap_on_batch(struct pk_pcap *c, pk_pcap_batch_fn fn, void *ctx, size_t scratch_size)
{
	c->on_batch = fn;
	c->batch_ctx = ctx;
	c->scratch_size = scratch_size;
	batch_hook(c, batch_of(c, c->at), c->next);
}

bool pk_pcap_background(struct pk_pcap *c)
{
	if (pthread_mutex_init(&c->mu, NULL) != 0)
		return false;
	if (pthread_cond_init(&c->cv, NULL) != 0 || pthread_create(&c->thread, NULL, read_ahead, c) != 0) {
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		return false;
	}
	c->threaded = true;
	return true;
}

/* Done with batch `at`: the next one, decoded here or waited for. */
static void advance(struct pk_pcap *c)
{
	c->next = 0;
	if (!c->threaded) {
		fill(c, &c->ring[0]);
		return;
	}
	pthread_mutex_lock(&c->mu);
	c->released = ++c->at;
	pthread_cond_broadcast(&c->cv);
	while (c->filled <= c->at)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

int pk_pcap_next(struct pk_pcap *c, const struct pk_pcap_pkt **p, struct pk_err *err)
{
	for (;;) {
		const struct batch *b = batch_of(c, c->at);
		if (c->next < b->n) {
			*p = &b->pkt[c->next++];
			return 1;
		}
		if (b->end < 0) {
			*err = b->err;
			return -1;
		}
		if (b->end > 0)
			return 0;
		advance(c);
	}
}

const struct pk_pcap_pkt *pk_pcap_peek(const struct pk_pcap *c, size_t ahead)
{
	const struct batch *b = &c->ring[c->at % RING];
	return c->next + ahead < b->n ? &b->pkt[c->next + ahead] : NULL;
}

void pk_pcap_close(struct pk_pcap *c)
{
	if (!c)
		return;
	if (c->threaded) {
		pthread_mutex_lock(&c->mu);
		c->stop = true;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->thread, NULL);
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
	}
	for (unsigned i = 0; i < RING; i++) {
		free(c->ring[i].buf);
		free(c->ring[i].pkt);
		free(c->ring[i].scratch);
	}
	if (c->fd >= 0)
		close(c->fd);
	pk_capfmt_fini(&c->fmt);
	free(c->carry);
	free(c);
}

const char *pk_pcap_path(const struct pk_pcap *c) { return c->path; }

uint64_t pk_pcap_offset(const struct pk_pcap *c) { return c->ring[c->at % RING].off; }
