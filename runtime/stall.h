/*
 * runtime/stall.h: TCP connections that stalled in a replayed capture.
 *
 * Follows every TCP connection of a replay from the packets and their
 * verdicts (not from the state table, whose states may expire before the
 * end) and, at the end, names those that never completed the handshake or
 * carried traffic in one direction only, with the likely cause: replies
 * that never reach the firewall or arrive on another interface (asymmetric
 * routing: the case for `sloppy state`), replies refused by TCP window
 * tracking, a handshake the capture cut short. Connections with the same
 * diagnosis (cause, rule, interface) are grouped, so that a capture of a
 * million packets gives a report one can read. Owns its flow table, which
 * grows with the capture.
 */
#ifndef PK_RUNTIME_STALL_H
#define PK_RUNTIME_STALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pk_pkt;
struct pk_rs;

enum pk_stall_cause {
	PK_STALL_NONE,
	PK_STALL_NO_REPLY,       /* nothing ever came back: replies take another path, or none */
	PK_STALL_OTHER_IFACE,    /* replies arrive on another interface than the one the connection left by */
	PK_STALL_WINDOW,         /* replies blocked as outside the TCP window (state-mismatch) */
	PK_STALL_REPLY_BLOCKED,  /* replies blocked by something else */
	PK_STALL_NO_HANDSHAKE,   /* the handshake never completed though both sides spoke */
	PK_STALL_PROXY_NO_SERVER, /* synproxy answered the client; the server never answered the firewall */
	PK_STALL_PROXY_REPLY_BLOCKED, /* the server's answers to synproxy are blocked where they arrive */
};
const char *pk_stall_cause_text(enum pk_stall_cause c);

struct pk_stall_flow {
	uint8_t af;
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint64_t hash;              /* its key's (pk_stall_view), kept to tell flows apart at once */
	uint64_t first_n;           /* packet that opened it */
	uint32_t rule;              /* the rule that passed its SYN; PK_RT_NO_RULE when none did */
	uint16_t in_iface, out_iface; /* where the client's packets arrive and leave */
	uint16_t reply_iface;        /* where the server's packets arrived (last seen) */
	uint64_t pkts[2], passed[2]; /* [0] client to server, [1] back */
	uint64_t mismatch[2];
	uint8_t flags[2];            /* TCP flags seen, ORed */
	bool syn_passed, established, proxied;
};

/* An index entry: the flow's number + 1 (0: empty) and the upper half of
 * its hash, so that a probe passes other flows without reading them. */
struct pk_stall_slot {
	uint32_t flow, tag;
};

/* The flows in the order they opened, and an index over them: only the
 * small index is rehashed as it grows, the flows' memory is touched as
 * they come. */
struct pk_stall {
	struct pk_stall_flow *v;
	size_t n, vcap;
	struct pk_stall_slot *slot; /* open addressing */
	size_t cap;     /* a power of two */
	bool full;      /* stopped tracking new connections (memory) */
};

/* What the report follows a packet by, from its header alone: a reading
 * thread may work it out ahead (pk_stall_view). */
struct pk_stall_view {
	bool tcp; /* TCP over IPv4, or IPv6 without extension headers: followed; if not, the rest means nothing */
	uint8_t af, flags;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
	uint64_t hash; /* its connection's, the same both ways */
};
void pk_stall_view(const uint8_t *ip, size_t len, struct pk_stall_view *v);
/* The same from pk_pkt_parse's view of the packet, when it accepted it. */
void pk_stall_view_parsed(const struct pk_pkt *p, struct pk_stall_view *v);

/* One replayed packet: its IP bytes as it arrived, the same packet as it
 * left when it passed (after NAT: a reply to a translated connection is
 * found by it; NULL when not forwarded), the interface, the egress when it
 * was forwarded (PK_RT_NO_IFACE otherwise), whether it passed, and the drop
 * reason when not. */
struct pk_stall_pkt {
	const uint8_t *ip;
	size_t len;
	const uint8_t *xlated;
	size_t xlen;
	uint64_t n;
	uint32_t rule; /* the deciding rule (PK_RT_NO_RULE: a state or none) */
	uint16_t iface, egress;
	bool passed;
	bool held;     /* kept by synproxy */
	bool mismatch; /* blocked as outside the window */
	const struct pk_stall_view *view; /* ip's view, worked out ahead; NULL: from ip here */
};

void pk_stall_init(struct pk_stall *s);
void pk_stall_fini(struct pk_stall *s);
void pk_stall_packet(struct pk_stall *s, const struct pk_stall_pkt *p);
/* A hint ahead of pk_stall_packet for the packet of view v: the index
 * slot it will read first is asked for now and a number returned (0 when
 * there is nothing to ask for), then, given that number later, the flow
 * the index holds for it (pk_stall_prefetch_flow): each a cache miss on a
 * long replay, which then overlaps the work in between. Changes nothing: a
 * number the index outgrew in between is a wasted hint, never a wrong read. */
uint64_t pk_stall_prefetch(const struct pk_stall *s, const struct pk_stall_view *v);
void pk_stall_prefetch_flow(const struct pk_stall *s, uint64_t hint);
/* The cause for one connection; PK_STALL_NONE when it went well. */
enum pk_stall_cause pk_stall_diagnose(const struct pk_stall_flow *f);
/* Visit the stalled connections in the order they opened. */
void pk_stall_report(const struct pk_stall *s, void (*visit)(void *ctx, const struct pk_stall_flow *f,
							 enum pk_stall_cause c),
		     void *ctx);

#define PK_STALL_EXAMPLES 3

/* Stalled connections with the same diagnosis: cause, the rule that passed
 * their SYN (its source line: the rules a line expands to count as one) and
 * the interface they arrived on. */
struct pk_stall_group {
	enum pk_stall_cause cause;
	uint32_t rule; /* of the first example */
	uint16_t iface;
	uint64_t count;
	const struct pk_stall_flow *example[PK_STALL_EXAMPLES]; /* the first ones, in capture order */
};

/* The groups, the largest first (ties: the one that opened first); *n is
 * their number. NULL with *n 0 when nothing stalled; NULL with *n set to
 * SIZE_MAX when memory ran out. The caller frees the array; the examples
 * point into s. */
struct pk_stall_group *pk_stall_groups(const struct pk_stall *s, const struct pk_rs *rs, size_t *n);

#endif
