/*
 * runtime/afto.h: af-to's rewriting of a packet into the other address
 * family (pf's NAT64 and NAT46), and the addresses it takes there.
 *
 * The rule's af-to (struct pk_afto) is in runtime/ruleset.h. The
 * addresses follow pf (pf_get_transaddr_af): the source is af-to's
 * `from`; the destination is `to` when written, else, translating to
 * IPv4, the IPv4 address embedded in the IPv6 destination at the rule's
 * destination prefix length (RFC 6052; 96 when that is shorter than 32),
 * and translating to IPv6, the IPv4 destination embedded in `from`'s
 * prefix (at most 96 bits). A `to` prefix takes the packet's address bits
 * below its length the same way. Ports are the caller's: a translated
 * state may move them as nat-to does.
 *
 * The rewrite is pf_translate_af's: a fresh IP header of the new family
 * (IPv6 extension headers and IPv4 options dropped, traffic class and
 * TOS, hop limit and TTL carried over, IPv4 with don't-fragment), ICMPv6
 * echo request and reply turned into ICMP ones and back, and the TCP, UDP
 * or ICMP checksum computed over the new header. Fragments are not
 * translated; ICMP errors quoting a TCP or UDP packet are
 * (pk_afto_rewrite_error).
 */
#ifndef PK_RUNTIME_AFTO_H
#define PK_RUNTIME_AFTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/packet.h"

/* The translated source and destination of packet p (of the other family
 * than a->af); false when pf would refuse the prefix length. */
bool pk_afto_addrs(const struct pk_afto *a, const struct pk_pkt *p, uint8_t src[16], uint8_t dst[16]);

/* The ICMP echo type of family af for echo type `type` of the other
 * family; -1 for a type not translated. */
int pk_afto_icmp_type(uint8_t af, int16_t type);

/* Rewrite the packet ip[0..len) (parsed as p) into family af with those
 * addresses, in place in a buffer of cap bytes. Returns the new length,
 * 0 when the packet cannot be translated (fragment, ICMP other than echo,
 * protocol without a known checksum, too short a buffer). */
size_t pk_afto_rewrite(uint8_t *ip, size_t len, size_t cap, const struct pk_pkt *p, uint8_t af,
		       const uint8_t src[16], const uint8_t dst[16]);

/* An ICMP error about a translated connection, in the other family: the
 * error's own addresses, the quoted packet's and its ports. */
struct pk_afto_error {
	uint8_t src[16], dst[16];
	uint8_t inner_src[16], inner_dst[16];
	uint16_t sport, dport;
};
#define PK_AFTO_ERROR_MAX 1600 /* the largest error rewritten */

/* Rewrite the ICMP error ip[0..len) (parsed as p, quoting q, a TCP or UDP
 * packet) into family af as pf_translate_icmp_af and pf_change_icmp_af
 * do: unreachable, too big (the MTU moved by the headers' 20 bytes) and
 * time exceeded map to their counterparts; the quote keeps its transport
 * bytes with the new ports. Returns the new length, 0 when pf would drop
 * it (another type, or a parameter problem's pointer to map) or it does
 * not fit. */
size_t pk_afto_rewrite_error(uint8_t *ip, size_t len, size_t cap, const struct pk_pkt *p, const struct pk_pkt *q,
			     uint8_t af, const struct pk_afto_error *a);

#endif
