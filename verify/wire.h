/*
 * verify/wire.h: a verifier's packet (verify/packet.h) as the bytes of a
 * real one, so the runtime's engine can judge a witness as it would judge
 * traffic: IPv4 or IPv6 with TCP, UDP, ICMP/ICMPv6 or another protocol,
 * correct lengths and checksums.
 */
#ifndef PK_VERIFY_WIRE_H
#define PK_VERIFY_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "verify/packet.h"

/* Room for any packet pk_vpkt_wire writes. */
#define PK_WIRE_MAX 160

/* Writes p into buf; returns the length, 0 when cap is too small. */
size_t pk_vpkt_wire(const struct pk_vpkt *p, uint8_t *buf, size_t cap);

#endif
