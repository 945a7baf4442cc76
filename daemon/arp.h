/*
 * daemon/arp.h: the neighbour cache of routed mode, and ARP: answering
 * for our own addresses and resolving IPv4 next hops.
 *
 * Owns the neighbour cache of both families (a plain array: a router
 * between a few networks talks to few neighbours; IPv6 entries are filled
 * by neighbour discovery, daemon/nd.c) and the bounded queue of packets
 * waiting for a resolution. Entries are learnt from replies and from requests aimed at
 * us (as Linux does), are reachable for PK_ARP_REACHABLE_NS, and a
 * resolution is retried PK_ARP_PROBES times PK_ARP_RETRY_NS apart before
 * its queued packets are dropped and a host-unreachable is reported.
 * The module sends nothing itself: frames go out through pk_arp_io, so it
 * runs the same under test as on the wire. Addresses are in network order
 * (4 bytes) throughout.
 */
#ifndef PK_DAEMON_ARP_H
#define PK_DAEMON_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PK_ARP_ENTRIES 256
#define PK_ARP_QUEUE 128          /* packets waiting, all entries together */
#define PK_ARP_QUEUE_PER_ENTRY 8
#define PK_ARP_PKT_MAX 1600
#define PK_ARP_REACHABLE_NS (60ull * 1000000000ull)
#define PK_ARP_RETRY_NS (1000000000ull)
#define PK_ARP_PROBES 3

struct pk_arp_io {
	void *ctx;
	/* Our MAC on port and our address there facing ip (for the sender
	 * field of a request); false if the port has no address. */
	bool (*port_addr)(void *ctx, uint16_t port, const uint8_t ip[4], uint8_t mac[6], uint8_t src[4]);
	/* True when ip is one of our addresses on port. */
	bool (*is_ours)(void *ctx, uint16_t port, const uint8_t ip[4]);
	/* Send an IPv6 neighbour solicitation for addr (the ARP request of IPv6). */
	void (*solicit6)(void *ctx, uint16_t port, const uint8_t addr[16]);
	void (*send)(void *ctx, uint16_t port, const uint8_t *frame, size_t len);
	/* A queued packet could not be delivered (resolution failed). */
	void (*unreachable)(void *ctx, uint16_t port, const uint8_t *ip, size_t len);
};

enum pk_arp_state { PK_ARP_FREE, PK_ARP_INCOMPLETE, PK_ARP_REACHABLE };

struct pk_arp_entry {
	uint8_t af;
	uint8_t ip[16], mac[6];
	uint16_t port;
	uint8_t state, probes;
	uint16_t queued;
	uint64_t deadline_ns; /* expiry when reachable, next probe when incomplete */
};

struct pk_arp_qpkt {
	int16_t entry; /* -1 = free slot */
	uint16_t len;
	uint8_t data[PK_ARP_PKT_MAX];
};

struct pk_arp_stats {
	uint64_t requests_sent, replies_sent, learnt, queued, queue_drops, failed;
};

struct pk_arp {
	struct pk_arp_io io;
	struct pk_arp_entry e[PK_ARP_ENTRIES];
	struct pk_arp_qpkt q[PK_ARP_QUEUE];
	struct pk_arp_stats stats;
};

void pk_arp_init(struct pk_arp *a, const struct pk_arp_io *io);

/* An ARP frame (Ethernet header included) received on port. */
void pk_arp_input(struct pk_arp *a, uint64_t now_ns, uint16_t port, const uint8_t *frame, size_t len);

/* Find the MAC of next hop nh (family af) on port. On a hit returns true
 * with mac set. On a miss the IP packet ip (when not NULL) is queued, a
 * request or solicitation is sent if none is outstanding, and false is
 * returned. */
bool pk_arp_resolve(struct pk_arp *a, uint64_t now_ns, uint16_t port, uint8_t af, const uint8_t *nh, uint8_t mac[6],
		    const uint8_t *ip, size_t len);

/* What neighbour discovery learnt: addr (af 6) is at mac on port. create:
 * make an entry (a solicitation aimed at us), else only refresh one. */
void pk_arp_learn(struct pk_arp *a, uint64_t now_ns, uint16_t port, uint8_t af, const uint8_t *addr,
		  const uint8_t mac[6], bool create);

/* Retry outstanding requests, fail those out of probes, age entries. */
void pk_arp_tick(struct pk_arp *a, uint64_t now_ns);

/* Build the Ethernet header of an IPv4 frame into frame[0..13]. */
void pk_eth_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype);

#endif
