/*
 * runtime/packet.h: the parsed view of one IP packet.
 *
 * pk_pkt_parse reads an IPv4 or IPv6 packet starting at its IP header and
 * fills struct pk_pkt with offsets into the caller's buffer and the fields
 * the packet path needs. It never reads past len and answers with the pf
 * drop reason when the packet is malformed or truncated. Front ends that see
 * link-layer frames strip Ethernet and 802.1Q tags with pk_pkt_strip_ether.
 */
#ifndef PK_RUNTIME_PACKET_H
#define PK_RUNTIME_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/proto.h"


#define PK_WSCALE_NONE 0xff

struct pk_tcp_opts {
	uint16_t mss;    /* 0 when absent */
	uint8_t wscale;  /* PK_WSCALE_NONE when absent; clamped to 14 */
	bool sack_perm, ts;
	uint32_t tsval, tsecr;
	uint16_t mss_off; /* offset of the MSS value from the IP header, 0 when absent */
};

struct pk_pkt {
	uint8_t af, proto; /* proto: the upper-layer protocol after IPv6 extension headers */
	uint8_t ttl, tos;
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, rest zero */
	uint16_t l4_off;   /* offset of the upper-layer header */
	uint32_t tot_len;  /* IP total length (trailing link padding excluded) */
	uint32_t p_len;    /* upper-layer payload length (TCP/UDP data) */
	bool ip_options;   /* options pf blocks unless the rule says allow-opts */
	bool fragment;     /* a fragment (first or later) */
	bool frag_first;   /* offset 0: upper-layer header present */
	bool more_frags, df;
	uint16_t frag_off; /* in bytes */
	uint32_t frag_id;
	uint16_t frag_hdr_off; /* IPv6: offset of the fragment header, 0 if none */
	uint16_t frag_nxt_off; /* IPv6: offset of the next-header field naming it */
	uint16_t sport, dport; /* TCP/UDP ports; ICMP query: the id in both */
	/* TCP */
	uint8_t th_flags, th_off;
	uint32_t seq, ack;
	uint16_t win;
	struct pk_tcp_opts opt;
	/* ICMP / ICMPv6; icmp_type -1 when not ICMP */
	int16_t icmp_type, icmp_code;
	uint16_t icmp_id;
	bool icmp_error;   /* unreachable, time exceeded, ...: quotes a packet */
	uint16_t inner_off; /* the quoted IP header of an ICMP error */
};

/* Parse ip[0..len). Returns PK_REASON_NONE or the drop reason. */
enum pk_drop_reason pk_pkt_parse(const uint8_t *ip, size_t len, struct pk_pkt *p);

/* Parse the header of a packet quoted by an ICMP error: IP header plus at
 * least the 8 bytes holding ports or the ICMP id, no length consistency. */
enum pk_drop_reason pk_pkt_parse_quoted(const uint8_t *ip, size_t len, struct pk_pkt *p);

/* Offset of the IP header in an Ethernet frame (802.1Q/802.1ad tags
 * skipped) and its af; -1 when the frame carries no IPv4/IPv6. */
int pk_pkt_strip_ether(const uint8_t *frame, size_t len, uint8_t *af);

/* pf_icmp_mapping: a query and its reply share a virtual type (the
 * request's); *reply tells which one type is. */
uint16_t pk_icmp_virtual(uint8_t af, uint8_t type, bool *reply);

/* True for ICMP/ICMPv6 types that quote the packet they answer. */
bool pk_icmp_is_error(uint8_t af, uint8_t type);
/* True for the ICMP/ICMPv6 queries and replies that carry an identifier
 * (echo, and for IPv4 timestamp, information and address mask): pf keys
 * their states on it. */
bool pk_icmp_is_query(uint8_t af, uint8_t type);

/* Walks the TCP options of a parsed packet: each call yields the next
 * option's offset in ip, kind and length, and returns false at the end.
 * Malformed options end the walk, as pf's option parsers stop there. */
struct pk_tcp_opt_walk {
	size_t at, end;
};
void pk_tcp_opt_begin(const struct pk_pkt *p, struct pk_tcp_opt_walk *w);
bool pk_tcp_opt_next(const uint8_t *ip, struct pk_tcp_opt_walk *w, size_t *at, uint8_t *kind, uint8_t *len);

#endif
