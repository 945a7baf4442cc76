/*
 * bench/mem-latency.c: what one dependent load costs on this machine over
 * a buffer of a given size.
 *
 *   mem-latency BYTES...
 *
 * For each size: the buffer's cache lines linked in one random cycle, then
 * followed one load after the other, so that no load can start before the
 * previous one ends (as a lookup's descent through a structure of that
 * size). Prints bytes= and ns_per_load= per size. The classification
 * figures are read against it: once a structure outgrows the caches,
 * each step of a lookup costs this much, whatever the structure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/clock.h"
#include "bench/rng.h"

#define LINE_WORDS 8 /* 64-byte lines */
#define LOADS 20000000u

/* The lines of buf (n of them) in one cycle of a random order: each line's
 * first word holds the next line's index. */
static void link_cycle(uint64_t *buf, size_t n, struct bench_rng *r)
{
	size_t *order = malloc(n * sizeof *order);
	if (!order) {
		fprintf(stderr, "mem-latency: out of memory\n");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
		size_t j = bench_rng_below(r, i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		buf[order[i] * LINE_WORDS] = order[(i + 1) % n] * LINE_WORDS;
	free(order);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mem-latency BYTES...\n");
		return 2;
	}
	struct bench_rng r;
	bench_rng_seed(&r, 7);
	for (int a = 1; a < argc; a++) {
		const size_t lines = strtoull(argv[a], NULL, 10) / (8 * LINE_WORDS);
		if (lines < 2) {
			fprintf(stderr, "mem-latency: %s: at least 128 bytes\n", argv[a]);
			return 2;
		}
		uint64_t *buf = aligned_alloc(8 * LINE_WORDS, lines * 8 * LINE_WORDS);
		if (!buf) {
			fprintf(stderr, "mem-latency: out of memory for %s bytes\n", argv[a]);
			return 2;
		}
		link_cycle(buf, lines, &r);
		uint64_t at = 0;
		const uint64_t t0 = bench_now_ns();
		for (unsigned i = 0; i < LOADS; i++)
			at = buf[at];
		const uint64_t dt = bench_now_ns() - t0;
		printf("bytes=%zu ns_per_load=%.1f end=%llu\n", lines * 8 * LINE_WORDS, (double)dt / LOADS,
		       (unsigned long long)at);
		free(buf);
	}
	return 0;
}
