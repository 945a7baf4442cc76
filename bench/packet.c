/*
 * bench/packet.c: parse and build benchmark frames (packet.h).
 */
#include "bench/packet.h"

#include <string.h>

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

int bench_parse(const uint8_t *f, size_t caplen, struct bench_hdrs *h)
{
	memset(h, 0, sizeof *h);
	h->t.icmp_type = h->t.icmp_code = -1;
	if (caplen < BENCH_ETH_LEN + 20)
		return -1;
	if (rd16(f + 12) != 0x0800)
		return 1;
	const uint8_t *ip = f + BENCH_ETH_LEN;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4, left = caplen - BENCH_ETH_LEN;
	if ((ip[0] >> 4) != 4 || ihl < 20 || ihl > left)
		return -1;
	h->t.proto = ip[9];
	h->t.src = rd32(ip + 12);
	h->t.dst = rd32(ip + 16);
	h->ttl = ip[8];
	h->ip_len = rd16(ip + 2);
	const uint8_t *l4 = ip + ihl;
	left -= ihl;
	if (rd16(ip + 6) & 0x1fff)
		return 0;
	if (h->t.proto == 6 || h->t.proto == 17) {
		if (left < (h->t.proto == 6 ? 20u : 8u))
			return -1;
		h->t.sport = rd16(l4);
		h->t.dport = rd16(l4 + 2);
		if (h->t.proto == 6)
			h->t.tcp_flags = l4[13];
	} else if (h->t.proto == 1) {
		if (left < 8)
			return -1;
		h->t.icmp_type = l4[0];
		h->t.icmp_code = l4[1];
	}
	return 0;
}

static uint32_t sum(const uint8_t *p, size_t n, uint32_t acc)
{
	for (; n > 1; n -= 2, p += 2)
		acc += rd16(p);
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static size_t l4_header(uint8_t *l4, const struct bench_build *b)
{
	switch (b->proto) {
	case 6:
		wr16(l4, b->sport);
		wr16(l4 + 2, b->dport);
		wr32(l4 + 4, b->seq);
		wr32(l4 + 8, b->ack);
		l4[12] = 5 << 4;
		l4[13] = b->tcp_flags;
		wr16(l4 + 14, 64240);
		return 20;
	case 17:
		wr16(l4, b->sport);
		wr16(l4 + 2, b->dport);
		wr16(l4 + 4, (uint16_t)(8 + b->payload));
		return 8;
	default:
		l4[0] = b->icmp_type;
		wr16(l4 + 4, b->sport);
		wr16(l4 + 6, b->dport);
		return 8;
	}
}

size_t bench_build(uint8_t *buf, size_t cap, const struct bench_build *b)
{
	size_t hl = b->proto == 6 ? 20 : 8, total = BENCH_ETH_LEN + 20 + hl + b->payload;
	if (total > cap)
		return 0;
	memset(buf, 0, total);
	memcpy(buf, b->dmac, 6);
	memcpy(buf + 6, b->smac, 6);
	wr16(buf + 12, 0x0800);
	uint8_t *ip = buf + BENCH_ETH_LEN, *l4 = ip + 20;
	const uint16_t iplen = (uint16_t)(20 + hl + b->payload);
	ip[0] = 0x45;
	wr16(ip + 2, iplen);
	wr16(ip + 4, b->ip_id);
	wr16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = b->proto;
	wr32(ip + 12, b->src);
	wr32(ip + 16, b->dst);
	wr16(ip + 10, fold(sum(ip, 20, 0)));
	l4_header(l4, b);
	for (size_t i = 0; i < b->payload; i++)
		l4[hl + i] = (uint8_t)('a' + i % 26);
	const size_t l4len = hl + b->payload;
	uint32_t acc = 0;
	if (b->proto != 1)
		acc = sum(ip + 12, 8, 0) + b->proto + (uint32_t)l4len;
	uint16_t ck = fold(sum(l4, l4len, acc));
	if (b->proto == 17 && ck == 0)
		ck = 0xffff;
	wr16(l4 + (b->proto == 6 ? 16 : b->proto == 17 ? 6 : 2), ck);
	return total;
}
