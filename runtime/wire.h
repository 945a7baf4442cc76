/*
 * runtime/wire.h: where each field lies in the headers the firewall reads
 * and writes: Ethernet, ARP, IPv4, IPv6, TCP, UDP, ICMP and ICMPv6 (and
 * neighbour discovery's messages), as byte offsets from the header's first
 * byte and header lengths.
 *
 * Fields are read and written with runtime/bytes.h at these offsets, after
 * a length check: packet bytes are never cast to structs. The values a
 * field holds (protocol numbers, flags, ICMP types) are in runtime/proto.h.
 */
#ifndef PK_RUNTIME_WIRE_H
#define PK_RUNTIME_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethernet II */
#define PK_ETH_ALEN 6
#define PK_ETH_OFF_DST 0
#define PK_ETH_OFF_SRC 6
#define PK_ETH_OFF_TYPE 12
#define PK_ETH_HLEN 14
#define PK_VLAN_TAG_LEN 4 /* an 802.1Q or 802.1ad tag before the ethertype */

/* The link headers captures carry in place of Ethernet: BSD loopback's
 * address family word, Linux cooked v1 and v2 (packet type, protocol). */
#define PK_NULL_HLEN 4
#define PK_SLL_OFF_PKTTYPE 0
#define PK_SLL_OFF_PROTO 14
#define PK_SLL_HLEN 16
#define PK_SLL2_OFF_PROTO 0
#define PK_SLL2_OFF_PKTTYPE 10
#define PK_SLL2_HLEN 20

/* ARP for IPv4 over Ethernet (RFC 826) */
#define PK_ARP_OFF_HTYPE 0 /* hardware type, protocol type, their lengths: 6 bytes */
#define PK_ARP_OFF_OP 6
#define PK_ARP_OFF_SHA 8
#define PK_ARP_OFF_SPA 14
#define PK_ARP_OFF_THA 18
#define PK_ARP_OFF_TPA 24
#define PK_ARP_LEN 28

/* IPv4 (RFC 791) */
#define PK_IP4_OFF_VHL 0 /* version and header length in words */
#define PK_IP4_OFF_TOS 1
#define PK_IP4_OFF_LEN 2
#define PK_IP4_OFF_ID 4
#define PK_IP4_OFF_FRAG 6 /* flags and fragment offset */
#define PK_IP4_OFF_TTL 8
#define PK_IP4_OFF_PROTO 9
#define PK_IP4_OFF_SUM 10
#define PK_IP4_OFF_SRC 12
#define PK_IP4_OFF_DST 16
#define PK_IP4_HLEN 20 /* without options */
#define PK_IP4_ALEN 4
#define PK_IP4_DF 0x4000     /* in the 16-bit word at PK_IP4_OFF_FRAG */
#define PK_IP4_MF 0x2000
#define PK_IP4_OFFMASK 0x1fff /* the fragment offset, in 8-byte units */

/* IPv6 (RFC 8200) */
#define PK_IP6_OFF_PLEN 4
#define PK_IP6_OFF_NXT 6
#define PK_IP6_OFF_HLIM 7
#define PK_IP6_OFF_SRC 8
#define PK_IP6_OFF_DST 24
#define PK_IP6_HLEN 40
#define PK_IP6_ALEN 16
#define PK_IP6_MIN_MTU 1280

/* IPv6 extension headers: the next header, then the length; a fragment
 * header's offset field (8-byte units, M flag in the low bit) and id. */
#define PK_IP6_EXT_OFF_NXT 0
#define PK_IP6_EXT_OFF_LEN 1
#define PK_IP6_RT_OFF_TYPE 2 /* the routing header's type */
#define PK_IP6_FRAG_OFF_OFFSET 2
#define PK_IP6_FRAG_OFF_ID 4
#define PK_IP6_FRAG_LEN 8

/* TCP and UDP both start with the two ports. */
#define PK_L4_OFF_SPORT 0
#define PK_L4_OFF_DPORT 2

/* TCP (RFC 9293) */
#define PK_TCP_OFF_SEQ 4
#define PK_TCP_OFF_ACK 8
#define PK_TCP_OFF_X2 12 /* data offset in words (high nibble), reserved bits */
#define PK_TCP_OFF_FLAGS 13
#define PK_TCP_OFF_WIN 14
#define PK_TCP_OFF_SUM 16
#define PK_TCP_OFF_URP 18
#define PK_TCP_HLEN 20 /* without options */

/* UDP (RFC 768) */
#define PK_UDP_OFF_LEN 4
#define PK_UDP_OFF_SUM 6
#define PK_UDP_HLEN 8

/* ICMP (RFC 792) and ICMPv6 (RFC 4443) share the first 8 bytes' layout:
 * a query's id, or the MTU of "fragmentation needed" (RFC 1191: its low
 * 16 bits) and "packet too big", sits in the word after the checksum. An
 * error quotes the packet it answers from PK_ICMP_HLEN on. */
#define PK_ICMP_OFF_TYPE 0
#define PK_ICMP_OFF_CODE 1
#define PK_ICMP_OFF_SUM 2
#define PK_ICMP_OFF_ID 4
#define PK_ICMP_OFF_MTU 4
#define PK_ICMP_HLEN 8

/* Neighbour discovery (RFC 4861), offsets from the ICMPv6 header: the
 * advertisement's flags, the target address, then the options, each a
 * type, a length in 8-byte units and its data. */
#define PK_ND_OFF_FLAGS 4
#define PK_ND_OFF_TARGET 8
#define PK_ND_HLEN 24
#define PK_ND_OPT_OFF_TYPE 0
#define PK_ND_OPT_OFF_LEN 1
#define PK_ND_OPT_OFF_DATA 2

/* The IP version of the packet at ip (4 or 6 for the ones we handle). */
static inline uint8_t pk_ip_version(const uint8_t *ip)
{
	return ip[PK_IP4_OFF_VHL] >> 4;
}

/* An IPv4 header's length in bytes, options included. */
static inline size_t pk_ip4_hlen(const uint8_t *ip)
{
	return (size_t)(ip[PK_IP4_OFF_VHL] & 0x0f) * 4;
}

/* Where an IPv4 or IPv6 header holds its addresses, and their length. */
static inline size_t pk_ip_src_off(bool v6)
{
	return v6 ? PK_IP6_OFF_SRC : PK_IP4_OFF_SRC;
}

static inline size_t pk_ip_dst_off(bool v6)
{
	return v6 ? PK_IP6_OFF_DST : PK_IP4_OFF_DST;
}

static inline size_t pk_ip_alen(bool v6)
{
	return v6 ? PK_IP6_ALEN : PK_IP4_ALEN;
}

#endif
