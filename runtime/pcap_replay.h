/*
 * runtime/pcap_replay.h: packets out of a capture file, as the firewall saw
 * them.
 *
 * Reads pcap and pcapng (runtime/capture_fmt.h) in one pass, in large
 * reads, and hands out, one at a time, each frame's capture time, the
 * interface it arrived on when the capture says (pcapng if_name) and its IP
 * packet with the link header of its interface's link type removed:
 * Ethernet (with 802.1Q/802.1ad tags), raw IP, BSD loopback, Linux cooked
 * v1 and v2. Frames that carry no IP packet (ARP, LLDP, a frame shorter
 * than its link header) come out with ip == NULL and the reason, since pf
 * never sees them. The packet bytes are valid until the next call.
 * pk_pcap_background moves the reading and decoding to a thread of its
 * own, a few batches of packets ahead; the packets, their order and the
 * errors are the same either way. The caller may add work of its own to
 * the decoding (pk_pcap_on_decode), which then runs in that thread too.
 */
#ifndef PK_RUNTIME_PCAP_REPLAY_H
#define PK_RUNTIME_PCAP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"
#include "runtime/packet.h"
#include "runtime/replay.h"
#include "runtime/stall.h"

struct pk_pcap;

/* What the decode hook (pk_pcap_on_decode) worked out for a packet before
 * its turn; ready is false without a hook, and the rest then means nothing. */
struct pk_pcap_ahead {
	bool ready;         /* the hook ran on this packet */
	uint16_t iface;     /* the interface it arrived on, as the caller names them */
	uint32_t state[2];  /* its state look-ups' hashes, in and out (pk_engine_flow_hash) */
	uint32_t decision;  /* its decision cache key's on the way in (pk_engine_decision_hash), 0: none */
	struct pk_stall_view stall; /* what the stall report follows it by (pk_stall_view) */
	struct pk_replay_route route; /* where it is forwarded (pk_replay_route_ahead) */
	bool parsed_ok;               /* parsed holds its pk_pkt_parse (no error) */
	struct pk_pkt parsed;
	/* its rule decisions worked out ahead, way in [0] and out [1], each
	 * valid or not (runtime/replay_decide.h); NULL: none */
	const struct pk_decision_ahead *decided;
	const char *desc; /* its line's description (pk_pkt_describe), or NULL */
};

struct pk_pcap_pkt {
	uint64_t n;         /* 1-based position in the capture */
	uint64_t ts_ns;     /* capture time */
	const char *ifname; /* pcapng if_name; NULL when the capture does not say */
	const uint8_t *ip;  /* IPv4 or IPv6 header; NULL when the frame is not IP */
	size_t ip_len;      /* trimmed to the IP length when the link padded it */
	uint32_t wire_len;  /* the frame's original length */
	bool snapped;       /* captured shorter than it was on the wire */
	bool outgoing;      /* the capture marks it as sent by the capturing host */
	struct pk_pcap_ahead ahead;
	/* last, apart from what every IP packet's turn reads: the engine's
	 * thread pulls fewer cache lines written by the reading one */
	char why[64];       /* when ip is NULL, why: "not IP: ethertype 0x0806, ARP" */
};

/* NULL on failure with err filled (unreadable file, not a capture, a link
 * type picket does not read). */
struct pk_pcap *pk_pcap_open(const char *path, struct pk_err *err);
/* 1 with *p pointing at the packet (valid, as its bytes, until the next
 * call: no copy of it is made), 0 at the end, -1 with err naming the
 * packet (msg and err->packet) when the capture is truncated or corrupt
 * there. */
int pk_pcap_next(struct pk_pcap *c, const struct pk_pcap_pkt **p, struct pk_err *err);
/* Read ahead in a thread from now on; false (and reading stays in the
 * caller's thread) when no thread can be made. */
bool pk_pcap_background(struct pk_pcap *c);
/* fn(ctx, p) fills p->ahead for every packet as it is decoded, in the
 * reading thread when there is one: work that needs the packet and data
 * that does not change while the capture is read, moved off the caller's
 * thread. Set it before pk_pcap_background; it runs on the packets decoded
 * already, at once. */
typedef void (*pk_pcap_decode_fn)(void *ctx, const struct pk_pcap_pkt *p, struct pk_pcap_ahead *a);
void pk_pcap_on_decode(struct pk_pcap *c, pk_pcap_decode_fn fn, void *ctx);
/* fn(ctx, pkts, n, scratch) then runs over each batch of packets decoded
 * (the decode hook done on all of them), before the batch is handed over:
 * work that asks for memory a few packets ahead of using it. scratch is
 * the batch's own: scratch_size bytes for each packet a batch can hold,
 * zeroed when first given, its pages touched only as used; what fn leaves
 * there stays as long as the batch's packets do (a batch is not read again
 * before the caller has moved past its packets). A batch whose scratch
 * cannot be had is handed over without fn. Set it after pk_pcap_on_decode,
 * before pk_pcap_background; it runs on the rest of the batch decoded
 * already, at once. */
typedef void (*pk_pcap_batch_fn)(void *ctx, struct pk_pcap_pkt *pkts, size_t n, void *scratch);
void pk_pcap_on_batch(struct pk_pcap *c, pk_pcap_batch_fn fn, void *ctx, size_t scratch_size);
/* The packet pk_pcap_next returns after skipping `ahead` packets (0: the
 * next one), when it is decoded already in the batch at hand (NULL
 * otherwise, as near the end of a batch): for a caller asking the memory
 * its tables will read for it ahead. */
const struct pk_pcap_pkt *pk_pcap_peek(const struct pk_pcap *c, size_t ahead);
void pk_pcap_close(struct pk_pcap *c);
const char *pk_pcap_path(const struct pk_pcap *c);
/* Bytes of the file read so far, for progress. */
uint64_t pk_pcap_offset(const struct pk_pcap *c);

#endif
