/*
 * bench/bare-read.c: the limit. Read a pcap with libpcap and parse each
 * frame's Ethernet, IP and L4 headers, doing nothing else.
 *
 *   bare-read TRACE.pcap
 *
 * Whatever picket replay does per packet costs on top of this loop.
 * Prints packets, the loop's ns/packet and a checksum of the parsed fields
 * (so the compiler cannot drop the parse).
 */
#include <pcap/pcap.h>
#include <stdio.h>

#include "bench/clock.h"
#include "bench/packet.h"

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 2) {
		fprintf(stderr, "usage: bare-read TRACE.pcap\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "bare-read: %s\n", err);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, sum = 0, ipv4 = 0;
	const uint64_t t0 = bench_now_ns();
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct bench_hdrs hd;
		if (bench_parse(data, h->caplen, &hd) == 0) {
			ipv4++;
			sum += hd.t.src ^ hd.t.dst ^ hd.t.sport ^ hd.t.dport ^ hd.t.tcp_flags;
		}
		n++;
	}
	const uint64_t dt = bench_now_ns() - t0;
	pcap_close(p);
	printf("packets=%llu ipv4=%llu loop_ns=%llu ns_per_packet=%.1f checksum=%llx\n", (unsigned long long)n,
	       (unsigned long long)ipv4, (unsigned long long)dt, n ? (double)dt / (double)n : 0.0,
	       (unsigned long long)sum);
	return 0;
}
