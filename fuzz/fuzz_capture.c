/*
 * fuzz/fuzz_capture.c: libFuzzer target for the capture reader.
 *
 * Each input is written to a file and read as a capture, every packet
 * described and checked for stalls, as `picket replay` does before the
 * engine; every frame that is not IP says why. The same file is read a
 * second time by a reader thread (pk_pcap_background), which must hand
 * out the same packets and end the same way. No input may crash, hang or
 * read outside the capture's bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/pcap_replay.h"
#include "runtime/pkt_desc.h"
#include "runtime/replay_isn.h"
#include "runtime/stall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_packet(const struct pk_pcap_pkt *a, const struct pk_pcap_pkt *b)
{
	if (a->n != b->n || a->ts_ns != b->ts_ns || a->ip_len != b->ip_len || !a->ip != !b->ip ||
	    a->wire_len != b->wire_len || a->snapped != b->snapped || a->outgoing != b->outgoing || !a->ifname != !b->ifname)
		return false;
	if (a->ifname && strcmp(a->ifname, b->ifname) != 0)
		return false;
	return a->ip ? memcmp(a->ip, b->ip, a->ip_len) == 0 : strcmp(a->why, b->why) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	if (fd < 0) { /* a file in memory: nothing left in /tmp after the run */
		fd = memfd_create("fuzz-capture", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	struct pk_err err, err2;
	struct pk_pcap *c = pk_pcap_open(path, &err), *ahead = c ? pk_pcap_open(path, &err2) : NULL;
	if (!c)
		return 0;
	if (!ahead || !pk_pcap_background(ahead))
		abort();
	struct pk_stall st;
	struct pk_isn_map isn;
	const struct pk_pcap_pkt *pp, *qp;
	char d[PK_PKT_DESC_MAX];
	uint8_t buf[65536];
	pk_stall_init(&st);
	pk_isn_init(&isn);
	int rc;
	while ((rc = pk_pcap_next(c, &pp, &err)) == 1) {
		if (pk_pcap_next(ahead, &qp, &err2) != 1 || !same_packet(pp, qp))
			abort(); /* reading ahead changed a packet */
		const struct pk_pcap_pkt p = *pp;
		if (!p.ip) {
			if (!p.why[0])
				abort(); /* replay's line for the frame says why it is not IP */
			continue;
		}
		size_t len = p.ip_len < sizeof buf ? p.ip_len : sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = p.ip[i];
		pk_pkt_describe(buf, len, d, sizeof d);
		pk_isn_generated(&isn, buf, len);
		pk_isn_align(&isn, buf, len);
		const struct pk_stall_pkt sp = {.ip = buf, .len = len, .n = p.n, .iface = 0, .egress = 1, .passed = true};
		pk_stall_packet(&st, &sp);
	}
	if (pk_pcap_next(ahead, &qp, &err2) != rc || (rc < 0 && strcmp(err.msg, err2.msg) != 0))
		abort(); /* the two readers ended differently */
	pk_isn_fini(&isn);
	pk_stall_fini(&st);
	pk_pcap_close(c);
	pk_pcap_close(ahead);
	return 0;
}
