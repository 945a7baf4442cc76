/*
 * bench/state-bench.c: the state table through the packet path (engine.h).
 *
 *   state-bench RULES.pkb N      N UDP flows: memory per state, insert,
 *                                lookup and expire ns
 *   state-bench -l RULES.pkb N   N spoofed SYNs against the ruleset's state
 *                                limit: what adaptive timeouts and the limit do
 *
 * RULES.pkb passes everything with keep state (bench/run writes it). The
 * packets are built before the clock starts; memory is the heap the engine
 * holds (allocated, and resident) divided by the states it holds.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/clock.h"
#include "bench/packet.h"
#include "runtime/engine.h"

#define PKT_CAP 96
#define SEC 1000000000ull

static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};

static size_t heap_bytes(void)
{
	const struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static size_t rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static void no_emit(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	(void)ctx, (void)iface, (void)dir, (void)ip, (void)len;
}

/* Flow i's first packet as IP bytes: distinct source address and port. */
static uint8_t *build_flows(size_t n, uint8_t proto, size_t *stride)
{
	uint8_t *buf = malloc(n * PKT_CAP), frame[PKT_CAP + BENCH_ETH_LEN];
	if (!buf)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct bench_build b = {.src = 0x0a000000u | (uint32_t)(i >> 4), .dst = 0xc0000201u,
					      .sport = (uint16_t)(1024 + (i & 15)), .dport = 53, .proto = proto,
					      .tcp_flags = BENCH_TCP_SYN, .seq = (uint32_t)i * 7919u, .payload = 8,
					      .smac = mac, .dmac = mac};
		const size_t len = bench_build(frame, sizeof frame, &b);
		memcpy(buf + i * PKT_CAP, frame + BENCH_ETH_LEN, len - BENCH_ETH_LEN);
	}
	*stride = PKT_CAP;
	return buf;
}

static uint16_t iface_of(const struct pk_rs *rs)
{
	return pk_rs_niface(rs) ? 0 : PK_RT_NO_IFACE;
}

/* Feed packets [0, n) at 1 us apart from *now; ns per packet. */
static double feed(struct pk_engine *e, uint8_t *pkts, size_t n, uint64_t *now, uint64_t *passed)
{
	const uint16_t ifc = iface_of(pk_engine_ruleset(e));
	uint8_t buf[PKT_CAP + 64];
	const uint64_t t0 = bench_now_ns();
	for (size_t i = 0; i < n; i++) {
		uint8_t *ip = pkts + i * PKT_CAP;
		size_t len = (size_t)(ip[2] << 8 | ip[3]);
		memcpy(buf, ip, len);
		struct pk_verdict v;
		pk_engine_packet(e, *now, ifc, PK_DIR_IN, buf, &len, sizeof buf, &v);
		*passed += v.kind == PK_V_PASS;
		*now += 1000;
	}
	return (double)(bench_now_ns() - t0) / (double)n;
}

static struct pk_engine *open_engine(const char *path)
{
	struct pk_rs *rs;
	struct pk_rs_err err;
	if (pk_rs_load_file(path, &rs, &err) < 0) {
		fprintf(stderr, "state-bench: %s: byte %llu: %s\n", path, (unsigned long long)err.offset, err.msg);
		return NULL;
	}
	const struct pk_engine_config cfg = {.emit = no_emit, .seed = 1};
	struct pk_engine *e = pk_engine_new(rs, &cfg);
	if (!e) {
		fprintf(stderr, "state-bench: %s: the engine could not be created\n", path);
		pk_rs_free(rs);
	}
	return e;
}

/* The expiry budget of one pass over the whole table (sized by the limit). */
static uint32_t sweep(const struct pk_engine *e)
{
	const uint32_t limit = pk_rs_options(pk_engine_ruleset(e))->limit_states;
	return (limit ? limit : PK_DEFAULT_LIMIT_STATES) + 1;
}

static int table(const char *path, size_t n)
{
	size_t stride;
	uint8_t *pkts = build_flows(n, 17, &stride);
	const size_t heap0 = heap_bytes(), rss0 = rss_bytes();
	struct pk_engine *e = pkts ? open_engine(path) : NULL;
	if (!e) {
		free(pkts);
		return 2;
	}
	uint64_t now = 1000 * SEC, passed = 0, removed = 0;
	const double insert = feed(e, pkts, n, &now, &passed);
	const size_t heap1 = heap_bytes(), rss1 = rss_bytes();
	const uint64_t held = pk_engine_counters(e)->states_current;
	const double lookup = feed(e, pkts, n, &now, &passed);
	const uint64_t t0 = bench_now_ns(), later = now + 100000 * SEC;
	for (uint32_t k; (k = pk_engine_expire(e, later, sweep(e))) != 0;)
		removed += k;
	const double expire = removed ? (double)(bench_now_ns() - t0) / (double)removed : 0;
	printf("states=%llu bytes_per_state=%.1f rss_bytes_per_state=%.1f insert_ns=%.1f lookup_ns=%.1f "
	       "expire_ns=%.1f removed=%llu passed=%llu\n",
	       (unsigned long long)held, held ? (double)(heap1 - heap0) / (double)held : 0,
	       held ? (double)(rss1 - rss0) / (double)held : 0, insert, lookup, expire, (unsigned long long)removed,
	       (unsigned long long)passed);
	pk_engine_free(e);
	free(pkts);
	return held ? 0 : 1;
}

/* SYNs past the limit; adaptive timeouts shrink as the table fills, so
 * states made near the limit go well before tcp.first. */
static int at_limit(const char *path, size_t n)
{
	size_t stride;
	uint8_t *pkts = build_flows(n, 6, &stride);
	struct pk_engine *e = pkts ? open_engine(path) : NULL;
	if (!e) {
		free(pkts);
		return 2;
	}
	const struct pk_counters *c = pk_engine_counters(e);
	const uint32_t first = pk_rs_options(pk_engine_ruleset(e))->timeouts[PK_TMO_TCP_FIRST];
	uint64_t now = 1000 * SEC, passed = 0, peak = 0, expired = 0;
	for (size_t i = 0; i < n; i += 1000) {
		feed(e, pkts + i * stride, n - i < 1000 ? n - i : 1000, &now, &passed);
		peak = c->states_current > peak ? c->states_current : peak;
	}
	const uint64_t half = now + (uint64_t)first * SEC / 2;
	for (uint32_t k; (k = pk_engine_expire(e, half, sweep(e))) != 0;)
		expired += k;
	printf("limit=%u offered=%zu admitted=%llu refused=%llu peak_states=%llu expired_early=%llu tcp_first=%u\n",
	       pk_rs_options(pk_engine_ruleset(e))->limit_states, n, (unsigned long long)c->inserts,
	       (unsigned long long)c->reason[PK_REASON_STATE_LIMIT], (unsigned long long)peak,
	       (unsigned long long)expired, first);
	pk_engine_free(e);
	free(pkts);
	return 0;
}

int main(int argc, char **argv)
{
	const int limit = argc == 4 && !strcmp(argv[1], "-l");
	if (argc != 3 + limit || atol(argv[2 + limit]) <= 0) {
		fprintf(stderr, "usage: state-bench [-l] RULES.pkb N\n");
		return 2;
	}
	const size_t n = (size_t)atol(argv[2 + limit]);
	return limit ? at_limit(argv[2], n) : table(argv[1], n);
}
