/*
 * cli/replay_out.h: what `picket replay` prints.
 *
 * The per-packet line in three formats (aligned text, one JSON object per
 * line, CSV), the stalled-connection report and the pfctl -si style
 * summary with per-rule hits. One table of formats; cmd_replay.c decides
 * what to print and when, this file only how.
 */
#ifndef PK_CLI_REPLAY_OUT_H
#define PK_CLI_REPLAY_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/replay.h"
#include "runtime/stall.h"

enum pk_rp_format { PK_RP_TEXT, PK_RP_JSONL, PK_RP_CSV };

/* One replayed packet. */
struct pk_rp_pkt {
	uint64_t n;        /* 1-based, across the captures in time order */
	uint64_t ts_ns;    /* capture time */
	uint64_t first_ns; /* time of the first packet, for text's relative clock */
	const char *capture; /* file, when more than one was given; else NULL */
	uint16_t iface;
	const uint8_t *ip; /* as it arrived, before any rewrite */
	size_t len;
	const struct pk_replay_result *res;
	const char *desc; /* ip's description worked out ahead (pk_pkt_describe), or NULL */
};

/* A frame not replayed: not IP, or sent by the capturing host. */
struct pk_rp_skip {
	uint64_t n, ts_ns, first_ns;
	const char *capture; /* as in pk_rp_pkt */
	const char *ifname;  /* the capture's name for its interface, or NULL */
	const uint8_t *ip;   /* its IP packet, when it has one; else NULL */
	size_t len;
	const char *why;
};

/* Totals of the run, beside the engine's counters. */
struct pk_rp_totals {
	uint64_t frames, packets, verdict[4], not_ip, outgoing, bytes;
	const struct pk_nat_map *nat; /* drawn translations and the capture's */
};

int pk_rp_format_parse(const char *name, enum pk_rp_format *out);
const char *pk_rp_verdict_name(uint8_t kind);
void pk_rp_begin(FILE *out, enum pk_rp_format f);
void pk_rp_packet(FILE *out, enum pk_rp_format f, const struct pk_rs *rs, const struct pk_rp_pkt *p);
/* The line of a frame not replayed: verdict "skip" and the reason. */
void pk_rp_skipped(FILE *out, enum pk_rp_format f, const struct pk_rp_skip *k);
void pk_rp_stalls(FILE *out, enum pk_rp_format f, const struct pk_rs *rs, const struct pk_stall *s);
void pk_rp_summary(FILE *out, const struct pk_engine *e, const struct pk_rs *rs, const struct pk_rp_totals *t);
/* The same as one JSON line {"summary": {...}}, for --format jsonl
 * (docs/schemas/replay-summary.json). */
void pk_rp_summary_json(FILE *out, const struct pk_engine *e, const struct pk_rs *rs, const struct pk_rp_totals *t);
/* The step that names the packet's rule: the one that stopped it, or, for
 * a packet that went through, the step in (where its state was made). */
const struct pk_replay_step *pk_rp_shown_step(const struct pk_replay_result *r);
/* Why a packet did not pass ("match", a drop reason, no-route), or NULL. */
const char *pk_rp_reason_text(const struct pk_replay_result *r);
/* divert-to's address in v, of the family of packet ip, as text in buf. */
const char *pk_rp_divert_addr(const uint8_t *ip, const struct pk_verdict *v, char *buf, size_t size);
/* The text of a rule's source line (leading blanks removed), or NULL. */
const char *pk_rp_rule_source(const struct pk_rs *rs, uint32_t rule);

#endif
