/*
 * runtime/frag.c: the fragment cache (pf_reassemble / pf_reassemble6).
 */
#include "runtime/frag.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/ruleset.h"
#include "runtime/wire.h"

#define DGRAM_MAX 65535

int pk_frag_init(struct pk_frag_cache *c, uint32_t limit)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->limit = limit;
	c->nq = limit < PK_FRAG_QUEUES ? limit : PK_FRAG_QUEUES;
	if (c->nq == 0)
		return 0;
	c->q = calloc(c->nq, sizeof(*c->q));
	c->mem = malloc((size_t)c->nq * DGRAM_MAX);
	if (!c->q || !c->mem) {
		pk_frag_fini(c);
		return -1;
	}
	for (i = 0; i < c->nq; i++)
		c->q[i].data = c->mem + (size_t)i * DGRAM_MAX;
	return 0;
}

void pk_frag_fini(struct pk_frag_cache *c)
{
	free(c->q);
	free(c->mem);
	memset(c, 0, sizeof(*c));
}

static void release(struct pk_frag_cache *c, struct pk_frag_queue *q)
{
	c->held -= q->niv;
	q->used = 0;
}

static struct pk_frag_queue *find(struct pk_frag_cache *c, const struct pk_pkt *p, bool create, uint32_t now_ms)
{
	struct pk_frag_queue *free_q = NULL;
	uint32_t i;

	for (i = 0; i < c->nq; i++) {
		struct pk_frag_queue *q = &c->q[i];

		if (!q->used) {
			free_q = free_q ? free_q : q;
			continue;
		}
		if (q->af == p->af && q->id == p->frag_id && q->proto == p->proto && !memcmp(q->src, p->src, 16) &&
		    !memcmp(q->dst, p->dst, 16))
			return q;
	}
	if (!create || !free_q)
		return NULL;
	memset(free_q, 0, offsetof(struct pk_frag_queue, hdr));
	free_q->used = 1;
	free_q->af = p->af;
	free_q->proto = p->proto;
	free_q->id = p->frag_id;
	memcpy(free_q->src, p->src, 16);
	memcpy(free_q->dst, p->dst, 16);
	free_q->first_ms = now_ms;
	return free_q;
}

static size_t data_start(const struct pk_pkt *p)
{
	return p->af == PK_AF_INET6 ? (size_t)p->frag_hdr_off + PK_IP6_FRAG_LEN : p->l4_off;
}

/* Keep the first fragment's headers: IPv4's header with options, IPv6's
 * unfragmentable part (the fragment header itself is dropped). */
static bool keep_header(struct pk_frag_queue *q, const struct pk_pkt *p, const uint8_t *ip)
{
	size_t hl = p->af == PK_AF_INET6 ? p->frag_hdr_off : p->l4_off;

	if (hl > PK_FRAG_MAXHDR)
		return false;
	memcpy(q->hdr, ip, hl);
	q->hdr_len = (uint16_t)hl;
	if (p->af == PK_AF_INET6) {
		q->nxt_off = p->frag_nxt_off;
		q->nxt = ip[p->frag_hdr_off + PK_IP6_EXT_OFF_NXT];
	}
	return true;
}

static bool overlaps(const struct pk_frag_queue *q, uint32_t off, uint32_t len)
{
	uint16_t k;

	for (k = 0; k < q->niv; k++)
		if (off < (uint32_t)q->iv_off[k] + q->iv_len[k] && q->iv_off[k] < off + len)
			return true;
	return false;
}

static bool complete(const struct pk_frag_queue *q)
{
	uint32_t covered = 0;
	bool grew = true;

	if (!q->last_seen || !q->hdr_len)
		return false;
	while (grew && covered < q->total) {
		uint16_t k;

		grew = false;
		for (k = 0; k < q->niv; k++)
			if (q->iv_off[k] <= covered && (uint32_t)q->iv_off[k] + q->iv_len[k] > covered) {
				covered = (uint32_t)q->iv_off[k] + q->iv_len[k];
				grew = true;
			}
	}
	return covered >= q->total;
}

/* Write the datagram into ip: the kept header with lengths and offsets fixed. */
static bool rebuild(const struct pk_frag_queue *q, uint8_t *ip, size_t *len, size_t cap)
{
	size_t n = (size_t)q->hdr_len + q->total;

	if (n > cap || n > DGRAM_MAX + PK_IP6_HLEN)
		return false;
	memcpy(ip, q->hdr, q->hdr_len);
	memcpy(ip + q->hdr_len, q->data, q->total);
	if (q->af == PK_AF_INET6) {
		ip[q->nxt_off] = q->nxt;
		pk_put16(ip + PK_IP6_OFF_PLEN, (uint16_t)(n - PK_IP6_HLEN));
	} else {
		if (n > DGRAM_MAX)
			return false;
		pk_put16(ip + PK_IP4_OFF_LEN, (uint16_t)n);
		pk_put16(ip + PK_IP4_OFF_FRAG, pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_DF);
		pk_cksum_ip4_header(ip);
	}
	*len = n;
	return true;
}

static enum pk_frag_result drop(struct pk_frag_cache *c, struct pk_frag_queue *q, enum pk_drop_reason r,
				enum pk_drop_reason *why)
{
	if (q)
		release(c, q);
	*why = r;
	return PK_FRAG_DROP;
}

/* Copy the piece in, keeping earlier bytes where IPv4 pieces overlap. */
static void store(struct pk_frag_queue *q, const uint8_t *d, uint32_t off, uint32_t dlen)
{
	uint32_t b;

	for (b = 0; b < dlen; b++)
		if (!overlaps(q, off + b, 1))
			q->data[off + b] = d[b];
	q->iv_off[q->niv] = (uint16_t)off;
	q->iv_len[q->niv] = (uint16_t)dlen;
	q->niv++;
}

enum pk_frag_result pk_frag_add(struct pk_frag_cache *c, const struct pk_pkt *p, uint8_t *ip, size_t *len,
				size_t cap, uint32_t now_ms, uint32_t timeout_s, enum pk_drop_reason *why)
{
	struct pk_frag_queue *q = find(c, p, true, now_ms);
	size_t ds = data_start(p);
	uint32_t dlen = p->tot_len > ds ? (uint32_t)(p->tot_len - ds) : 0, off = p->frag_off;

	if (q && now_ms - q->first_ms >= timeout_s * 1000u) {
		release(c, q);
		q = find(c, p, true, now_ms);
	}
	if (!q || c->held >= c->limit)
		return drop(c, NULL, PK_REASON_MEMORY, why);
	if (q->niv == PK_FRAG_MAXIV || off + dlen > DGRAM_MAX || (p->more_frags && (dlen & 7)) ||
	    (q->last_seen && off + dlen > q->total))
		return drop(c, q, PK_REASON_FRAGMENT, why);
	if (!p->more_frags) {
		if (q->last_seen && off + dlen != q->total)
			return drop(c, q, PK_REASON_FRAGMENT, why);
		q->last_seen = 1;
		q->total = off + dlen;
	}
	if (p->af == PK_AF_INET6 && overlaps(q, off, dlen))
		return drop(c, q, PK_REASON_FRAGMENT, why); /* RFC 5722 */
	if (p->frag_first && !q->hdr_len && !keep_header(q, p, ip))
		return drop(c, q, PK_REASON_FRAGMENT, why);
	store(q, ip + ds, off, dlen);
	c->held++;
	if (!complete(q))
		return PK_FRAG_HELD;
	if (!rebuild(q, ip, len, cap))
		return drop(c, q, PK_REASON_FRAGMENT, why);
	release(c, q);
	return PK_FRAG_DONE;
}

uint32_t pk_frag_expire(struct pk_frag_cache *c, uint32_t now_ms, uint32_t timeout_s)
{
	uint32_t i, n = 0;

	for (i = 0; i < c->nq; i++)
		if (c->q[i].used && now_ms - c->q[i].first_ms >= timeout_s * 1000u) {
			release(c, &c->q[i]);
			n++;
		}
	return n;
}
