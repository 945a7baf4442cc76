/*
 * runtime/capture_fmt.h: the records of a pcap or pcapng capture, decoded
 * from bytes already in memory.
 *
 * The reader (runtime/pcap_replay.c) reads the file in large pieces and
 * hands this decoder a window of bytes; the decoder says how many bytes
 * the next record takes, so a record cut by the window's end is completed
 * by the next read, and decodes it in place: a packet (capture time,
 * lengths, the frame's bytes, its link type and, in pcapng, its
 * interface's name) or a block that is no packet (interface descriptions,
 * statistics, a new section). pcapng interfaces each keep their link type,
 * time resolution (if_tsresol) and offset (if_tsoffset); their names stay
 * valid until pk_capfmt_fini, through later sections. Every length is
 * checked against the record before it is used.
 */
#ifndef PK_RUNTIME_CAPTURE_FMT_H
#define PK_RUNTIME_CAPTURE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"

/* Bounds no sane capture reaches (libpcap's own): a corrupt length must not
 * make the reader allocate without limit. */
#define PK_CAP_MAX_FRAME (256u * 1024)
#define PK_CAP_MAX_BLOCK (16u * 1024 * 1024)
#define PK_CAP_PEEK 24 /* bytes of a record enough to tell its length */

struct pk_cap_iface {
	const char *name; /* if_name, NULL when the description has none */
	uint64_t units;   /* timestamp units per second */
	uint64_t ns_per_unit; /* 10^9 / units when that is whole, else 0 */
	int64_t offset_s; /* if_tsoffset */
	uint32_t snaplen;
	uint16_t link; /* LINKTYPE_ value */
};

struct pk_capfmt {
	bool pcapng, swap;
	bool in_section;
	uint32_t rec_hlen;            /* pcap: 16, or 24 for the modified format */
	struct pk_cap_iface pcap;     /* a plain pcap's one link */
	struct pk_cap_iface *ifaces; /* pcapng: the current section's */
	uint32_t nifaces, ifaces_cap;
	char **names; /* every distinct if_name seen, kept to the end */
	uint32_t nnames;
};

struct pk_cap_rec {
	const uint8_t *frame;
	uint32_t caplen, wire_len;
	uint64_t ts_ns;
	uint16_t link;
	const char *ifname;
};

/* Reads the file header of b (n bytes, at least PK_CAP_PEEK unless the
 * file is shorter). Returns the bytes it takes (pcapng: none, its section
 * header is a record), or -1 with err ("unknown file format" when the
 * magic is neither's). */
long pk_capfmt_open(struct pk_capfmt *f, const uint8_t *b, size_t n, struct pk_err *err);
void pk_capfmt_fini(struct pk_capfmt *f);

/* The length of the record starting at b, of which n bytes are at hand:
 * 1 with *size, 0 when n is too short to tell, -1 with err when its length
 * field is impossible. */
int pk_capfmt_size(const struct pk_capfmt *f, const uint8_t *b, size_t n, uint64_t off, size_t *size,
		   struct pk_err *err);
/* Decodes the whole record at b (size bytes, from pk_capfmt_size): 1 a
 * packet in *r, 0 a block that is no packet, -1 with err (offset: off, the
 * record's byte in the file). */
int pk_capfmt_record(struct pk_capfmt *f, const uint8_t *b, size_t size, uint64_t off, struct pk_cap_rec *r,
		     struct pk_err *err);
/* The link type of a plain pcap, or of the first interface of a pcapng
 * section; false when no interface is described yet. */
bool pk_capfmt_first_link(const struct pk_capfmt *f, uint16_t *link);

#endif
