/*
 * bench/packet.h: Ethernet/IPv4/L4 frames for the benchmark programs.
 *
 * The parse is what the bare-read limit does per packet and nothing more;
 * the builder writes the frames the trace generator emits, checksums
 * included, so the measured program sees valid traffic.
 */
#ifndef BENCH_PACKET_H
#define BENCH_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "bench/rules.h"

#define BENCH_ETH_LEN 14
#define BENCH_TCP_SYN 0x02
#define BENCH_TCP_FIN 0x01
#define BENCH_TCP_RST 0x04
#define BENCH_TCP_PSH 0x08
#define BENCH_TCP_ACK 0x10

/* Parsed headers; returns 0 for IPv4, 1 for other frames, -1 when short. */
struct bench_hdrs {
	struct bench_tuple t;
	uint8_t ttl;
	uint16_t ip_len;
};
int bench_parse(const uint8_t *frame, size_t caplen, struct bench_hdrs *h);

/* One packet to build. seq/ack for TCP; icmp_id/seq ride in sport/dport. */
struct bench_build {
	uint32_t src, dst; /* host order */
	uint16_t sport, dport;
	uint8_t proto, tcp_flags, icmp_type;
	uint32_t seq, ack;
	uint16_t payload, ip_id;
	const uint8_t *smac, *dmac;
};
/* Writes the frame into buf (cap bytes); returns its length, 0 if too big. */
size_t bench_build(uint8_t *buf, size_t cap, const struct bench_build *b);

#endif
