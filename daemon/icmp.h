/*
 * daemon/icmp.h: the ICMP and ICMPv6 messages picketd answers itself in
 * routed mode: errors about packets it cannot forward (time exceeded,
 * unreachable, fragmentation needed or packet too big) and echo replies to
 * its own addresses.
 *
 * The packets are built by runtime/pktgen.h; what this module adds is the
 * router's rule of which packets must never be answered with an error
 * (RFC 1122 3.2.2, RFC 4443 2.4(e)). Every function takes the IP packet
 * from its first byte and its length.
 */
#ifndef PK_DAEMON_ICMP_H
#define PK_DAEMON_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/pktgen.h"

/* The error g (its af that of orig, g->router set) about the packet orig
 * into out. Returns its length, 0 when orig must not be answered: an ICMP
 * error (or, for IPv4, any ICMP message but a query), a fragment other than
 * the first, a packet from an address that is not a host's (unspecified,
 * multicast or broadcast), or sent to a multicast address (IPv6 answers
 * those with "packet too big" alone). */
size_t pk_router_icmp_build(const struct pk_gen_icmp *g, const uint8_t *orig, size_t len, uint8_t *out,
			    size_t cap);

/* Turn an ICMP or ICMPv6 echo request addressed to us into its reply in
 * place. False when the packet is not a well-formed echo request. */
bool pk_router_echo_reply(uint8_t *ip, size_t len);

#endif
