/*
 * cli/replay_report.h: `picket replay --report FILE.html`.
 *
 * Gathers a replay as it runs into aggregates whose size does not grow
 * with the capture: verdicts in at most PK_REPORT_BINS time bins (the bins
 * double in width as the capture goes on), packets per interface, and the
 * blocked flows with their counts (up to PK_REPORT_FLOWS of them, each with
 * the first packet kept so the page can explain it). At the end it writes
 * one self-contained page (cli/replay_report_html.c); the per-rule figures
 * and stalled connections come from the engine and the stall tracker then.
 */
#ifndef PK_CLI_REPLAY_REPORT_H
#define PK_CLI_REPLAY_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/replay_out.h"
#include "runtime/err.h"

#define PK_REPORT_BINS 240
#define PK_REPORT_FLOWS 4096

struct pk_report_bin {
	uint64_t first_n; /* the first packet in it, to place stalled connections */
	uint64_t verdict[4]; /* enum pk_verdict_kind */
	uint64_t stalled;  /* stalled connections opened in it (filled at the end) */
};

/* Blocked packets grouped by what a reader calls a flow: protocol,
 * source, destination and destination port (source ports vary between
 * attempts), and the interface. */
struct pk_report_flow {
	uint8_t af, proto;
	uint16_t iface, dport;
	uint8_t src[16], dst[16];
	uint64_t packets, bytes, first_n, first_ns;
	uint8_t kind;        /* verdict of the first packet: block or reject */
	uint8_t *ip;         /* the first packet as it arrived */
	size_t len;
	struct pk_replay_result res; /* what happened to it */
};

struct pk_report_iface {
	uint64_t verdict[4], bytes;
};

struct pk_rp_report {
	const struct pk_rs *rs;
	struct pk_report_bin bin[PK_REPORT_BINS];
	uint32_t nbins;
	uint64_t t0_ns, width_ns;
	struct pk_report_iface *iface; /* pk_rs_niface() of them */
	struct pk_report_flow *flow;   /* open addressing, 2 * PK_REPORT_FLOWS slots */
	uint32_t nflows;
	uint64_t untracked; /* blocked packets of flows beyond PK_REPORT_FLOWS */
};

/* What the page says the report is of. */
struct pk_rp_report_id {
	const char *rules;
	char *const *captures;
	int ncaptures;
};

void pk_rp_report_init(struct pk_rp_report *rep, const struct pk_rs *rs);
void pk_rp_report_fini(struct pk_rp_report *rep);
void pk_rp_report_packet(struct pk_rp_report *rep, const struct pk_rp_pkt *p);
/* Writes the page to path whole or not at all; 0, or -1 with err set. */
int pk_rp_report_write(struct pk_rp_report *rep, const char *path, const struct pk_engine *e,
		       const struct pk_stall *s, const struct pk_rp_totals *t, const struct pk_rp_report_id *id,
		       struct pk_err *err);

#endif
