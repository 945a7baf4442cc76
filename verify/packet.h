/*
 * verify/packet.h: one concrete packet header, as the verifier speaks of it.
 *
 * It is what a witness is (read back from a Z3 model), what `picket explain`
 * parses from text, and what the reference evaluator (verify/eval.h) runs
 * through the rules. Addresses are 16 bytes in network order with IPv4 in
 * the first 4 bytes, exactly as in the IR. Interface and tag are names (NULL:
 * an interface no rule names / no tag).
 */
#ifndef PK_VERIFY_PACKET_H
#define PK_VERIFY_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"
#include "runtime/proto.h"

struct pk_vpkt {
	uint8_t af;    /* PK_AF_INET or PK_AF_INET6 */
	uint8_t proto;
	uint8_t dir;   /* PK_DIR_IN or PK_DIR_OUT */
	uint8_t flags; /* TCP flags, 0 when not TCP */
	uint8_t tos;
	uint16_t sport, dport; /* 0 when not TCP or UDP */
	uint8_t src[16], dst[16];
	uint8_t icmp_type, icmp_code; /* 0 when not ICMP */
	const char *ifname; /* NULL: an interface the rules do not name */
	const char *rcvif;  /* outbound: the interface a forwarded packet came in by (received-on);
			     * NULL for the firewall's own. Inbound packets came in by ifname. */
	const char *tag;    /* NULL: untagged */
	bool fragment;      /* a fragment the rules see as one (set reassemble no): no ports,
			     * flags or ICMP fields, which are 0 */
};


/* Writes the packet in the rule-like syntax `picket explain` reads:
 * "tcp from 10.0.0.1 port 1024 to 10.0.0.5 port 443 in on lan0 flags S". */
void pk_vpkt_format(const struct pk_vpkt *p, char *buf, size_t size);

/* Parses that syntax. Unset fields get defaults (tcp, in, flags S for TCP,
 * ports 0). Names in p point into store, which must outlive p. Returns 0,
 * or -1 with a message naming the offending word. */
int pk_vpkt_parse(const char *text, struct pk_vpkt *p, char *store, size_t storesize, struct pk_err *err);

/* A protocol name ("tcp") or NULL for a number without one. */
const char *pk_vpkt_proto_name(uint8_t proto);

#endif
