/*
 * daemon/pcaplog.h: the log file of `log` rules, in pcap format.
 *
 * Owns the file: a classic pcap file (microsecond timestamps) with link
 * type LINKTYPE_RAW (101): each record is the IP packet as the rule saw it,
 * so `tcpdump -r` reads it directly. Which rule logged it is not in the
 * record (Linux's tcpdump does not decode pf's pflog header everywhere);
 * the daemon's text log names the rule. An existing log file is appended
 * to when its header matches, so a restart does not lose the history; a
 * file of another kind is refused rather than clobbered.
 */
#ifndef PK_DAEMON_PCAPLOG_H
#define PK_DAEMON_PCAPLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/err.h"

#define PK_PCAP_LINKTYPE_RAW 101
#define PK_PCAP_SNAPLEN 65535

struct pk_pcaplog {
	FILE *f;
	uint64_t records;
};

/* Open path for appending (creating it mode 0600 with a header when
 * absent). Returns 0, or -1 with err filled. */
int pk_pcaplog_open(struct pk_pcaplog *l, const char *path, struct pk_err *err);
/* Append one packet stamped with the wall clock time wall_ns. */
int pk_pcaplog_write(struct pk_pcaplog *l, uint64_t wall_ns, const uint8_t *ip, size_t len);
void pk_pcaplog_close(struct pk_pcaplog *l);

#endif
