/*
 * tests/support/pktbuild.h: real packets for the runtime's tests.
 *
 * Builds IPv4/IPv6 packets with TCP (with options), UDP, ICMP/ICMPv6 or
 * another protocol, with correct lengths and checksums, and checks the
 * checksums of packets the firewall generated or rewrote.
 */
#ifndef PK_TESTS_PKTBUILD_H
#define PK_TESTS_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pk_tb {
	uint8_t af;            /* 4 or 6 */
	const char *src, *dst; /* text addresses */
	uint8_t proto;
	uint8_t ttl;           /* 0: 64 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;          /* 0: no option */
	int wscale;            /* -1: no option (0 is a valid scale) */
	bool sack_perm, ts;
	uint32_t tsval, tsecr;
	uint16_t payload;      /* bytes of data after the L4 header */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;
	const uint8_t *quote;  /* ICMP error: the quoted packet */
	size_t quote_len;
	uint16_t ip_id, frag_off; /* frag_off in bytes */
	bool mf, df;
	uint8_t ipopt_len;     /* IPv4: that many bytes of a timestamp-like option */
};

/* A spec with the defaults: TCP, ttl 64, window 65535, no options. */
struct pk_tb pk_tb_defaults(uint8_t af, const char *src, const char *dst);

/* One way of a conversation: text addresses (IPv6 when src has a ':') and ports. */
struct pk_tb_ends {
	const char *src;
	uint16_t sport;
	const char *dst;
	uint16_t dport;
};

/* A TCP segment's header fields, by name: a call says which number is the
 * sequence and which the acknowledgement. */
struct pk_tb_seg {
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t payload; /* bytes of data */
};

/* A TCP segment between e's ends, the defaults otherwise. */
struct pk_tb pk_tb_tcp(struct pk_tb_ends e, struct pk_tb_seg g);
/* A UDP datagram between e's ends with payload bytes of data. */
struct pk_tb pk_tb_udp(struct pk_tb_ends e, uint16_t payload);
/* Build into buf; returns the length (0 if cap is too small). */
size_t pk_tb_build(const struct pk_tb *s, uint8_t *buf, size_t cap);
/* A packet with the fields a rule reads in m (addresses, protocol, ports,
 * ICMP type and code; runtime/ruleset.h) and TCP flags flags, built into
 * buf: its length, 0 when m's protocol is not TCP, UDP or ICMP. */
struct pk_match_pkt;
size_t pk_tb_matching(const struct pk_match_pkt *m, uint8_t flags, uint8_t *buf, size_t cap);
/* IPv4 header checksum and the TCP/UDP/ICMP/ICMPv6 checksum all verify. */
bool pk_tb_cksums_ok(const uint8_t *ip, size_t len);
/* Parse a text address into 16 bytes (IPv4 in the first 4). */
void pk_tb_addr(uint8_t af, const char *text, uint8_t out[16]);

#endif
