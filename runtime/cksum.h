/*
 * runtime/cksum.h: the Internet checksum, full and incremental (RFC 1624).
 *
 * NAT, scrub and synproxy rewrite fields in place and patch the checksums
 * incrementally; generated packets are summed in full, and so are the
 * packets whose checksum the kernel left to offload (picketd).
 */
#ifndef PK_RUNTIME_CKSUM_H
#define PK_RUNTIME_CKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/bytes.h"

/* One's complement sum of len bytes added to sum (not folded). */
uint32_t pk_cksum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold and complement: the value to store in a checksum field. */
uint16_t pk_cksum_fold(uint32_t sum);
/* Sum of the IPv4 or IPv6 pseudo-header for an upper-layer checksum. */
uint32_t pk_cksum_pseudo(uint8_t af, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len);
/* The stored checksum after a 16-bit field changes from old to new:
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'). Inline, as pk_patch16: scrub
 * and the forwarding path patch most packets. */
static inline uint16_t pk_cksum_fix16(uint16_t cksum, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~cksum + (uint32_t)(uint16_t)~old + new_;

	/* two folds, no loop: at most 0x2fffd, then 0x10001, then 0xffff */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
uint16_t pk_cksum_fix32(uint16_t cksum, uint32_t old, uint32_t new_);
/* The same for an address of alen bytes (4 or 16). */
uint16_t pk_cksum_fix_addr(uint16_t cksum, const uint8_t *old, const uint8_t *new_, size_t alen);
/* Patch the 16-bit field at p (big-endian) to v and fix the checksum at c. */
static inline void pk_patch16(uint8_t *p, uint16_t v, uint8_t *c)
{
	if (c)
		pk_put16(c, pk_cksum_fix16(pk_get16(c), pk_get16(p), v));
	pk_put16(p, v);
}
void pk_patch32(uint8_t *p, uint32_t v, uint8_t *c);

/* The checksums of a whole packet, from its IP header's first byte. */
/* Recompute the IPv4 header checksum in place. */
void pk_cksum_ip4_header(uint8_t *ip);
/* Recompute the TCP, UDP, ICMP or ICMPv6 checksum of an IPv4 or IPv6
 * packet of len bytes in place. False when the packet is too short, a
 * fragment, or none of those (IPv6 extension headers are not walked). */
bool pk_cksum_l4(uint8_t *ip, size_t len);
/* Decrement the IPv4 TTL and patch the header checksum (RFC 1624). */
void pk_cksum_ttl_dec(uint8_t *ip);

#endif
