/*
 * fuzz/fuzz_capture.c: libFuzzer target for the capture reader.
 *
 * Each input is written to a file and read as a capture (libpcap plus the
 * pcapng block walker), every packet described and checked for stalls, as
 * `picket replay` does before the engine; every frame that is not IP says
 * why. No input may crash, hang or read outside the bytes libpcap handed
 * over.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/pcap_replay.h"
#include "runtime/pkt_desc.h"
#include "runtime/replay_isn.h"
#include "runtime/stall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	struct pk_err err;
	struct pk_pcap *c = pk_pcap_open(path, &err);
	if (!c)
		return 0;
	struct pk_stall st;
	struct pk_isn_map isn;
	struct pk_pcap_pkt p;
	char d[160];
	uint8_t buf[65536];
	pk_stall_init(&st);
	pk_isn_init(&isn);
	while (pk_pcap_next(c, &p, &err) == 1) {
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
	pk_isn_fini(&isn);
	pk_stall_fini(&st);
	pk_pcap_close(c);
	return 0;
}
