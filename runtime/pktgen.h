/*
 * runtime/pktgen.h: packets the firewall writes itself.
 *
 * TCP segments (RST for block return, the synproxy handshakes) and ICMP or
 * ICMPv6 errors quoting the packet they answer, with correct lengths and
 * checksums, into a caller's buffer.
 */
#ifndef PK_RUNTIME_PKTGEN_H
#define PK_RUNTIME_PKTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PK_DEFAULT_TTL 64 /* ip_defttl and ip6_defhlim */

struct pk_gen_tcp {
	uint8_t af;
	const uint8_t *src, *dst; /* 16 bytes each */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss; /* 0: no option */
	uint8_t wscale; /* 0: no option, else PK_WSCALE_FLAG | shift (runtime/state.h) */
	uint8_t ttl;  /* 0: PK_DEFAULT_TTL */
};

/* Returns the length written (0 when cap is too small). */
size_t pk_gen_tcp(const struct pk_gen_tcp *t, uint8_t *buf, size_t cap);

struct pk_gen_icmp {
	uint8_t af;
	const uint8_t *src; /* 16 bytes */
	uint8_t type, code;
	uint32_t mtu; /* "fragmentation needed", "packet too big": the next hop's MTU, else 0 */
	/* IPv4: quote as much as fits in 576 bytes, as a router does (RFC 1812
	 * 4.3.2.3), rather than pf's header and 8 bytes (RFC 792) */
	bool router;
};

/* An ICMP (af 4) or ICMPv6 error from g->src to the sender of the quoted
 * packet, which must hold at least its IP header: IPv4 quotes what
 * g->router says, IPv6 as much as fits in 1280 bytes (RFC 4443). Whether the
 * packet may be answered at all is the caller's decision. */
size_t pk_gen_icmp_error(const struct pk_gen_icmp *g, const uint8_t *quoted, size_t qlen, uint8_t *buf, size_t cap);

#endif
