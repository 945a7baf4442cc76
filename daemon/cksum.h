/*
 * daemon/cksum.h: Internet checksums for the packets picketd forwards or builds.
 *
 * Builds on runtime/cksum.h's arithmetic: the IPv4 header checksum, the full
 * TCP/UDP/ICMP checksum (needed when the kernel hands over a packet whose
 * checksum was left to offload), the incremental update used when the TTL is
 * decremented (RFC 1624), and the ICMP errors picketd answers itself
 * (time exceeded, unreachable, fragmentation needed) and echo replies.
 * Every function takes the IP packet from its first byte and its length.
 */
#ifndef PK_DAEMON_CKSUM_H
#define PK_DAEMON_CKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Recompute the IPv4 header checksum in place. */
void pk_csum_ipv4_header(uint8_t *ip);
/* Recompute the TCP, UDP, ICMP or ICMPv6 checksum of an IPv4 or IPv6
 * packet in place. False when the packet is too short or not one of those. */
bool pk_csum_l4(uint8_t *ip, size_t len);
/* Decrement the IPv4 TTL and patch the header checksum incrementally. */
void pk_csum_ttl_dec(uint8_t *ip);

/* Build an ICMPv4 error of type/code from src about the packet orig (its
 * header and the first 8 bytes of payload, as RFC 792 asks; RFC 1812 allows
 * more, we quote up to 548 bytes so the error fits 576). mtu fills the
 * next-hop MTU of a "fragmentation needed". Returns the length, 0 when
 * orig must not be answered (RFC 1122: not an ICMP error, not a fragment
 * other than the first, not from a broadcast or multicast). */
size_t pk_icmp4_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t mtu, const uint8_t src[4],
		      const uint8_t *orig, size_t orig_len);
/* Turn an ICMPv4 echo request addressed to us into its reply in place.
 * False when the packet is not a well-formed echo request. */
bool pk_icmp4_echo_reply(uint8_t *ip, size_t len);

#endif
