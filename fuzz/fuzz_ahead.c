/*
 * fuzz/fuzz_ahead.c: libFuzzer target for the rule walks made ahead
 * (runtime/engine_ahead.c), differential.
 *
 * Two engines over the same rules see the same packets (records as in
 * fuzz/fuzz_records.h). One is handed, for each packet that parses, a
 * decision worked out ahead as replay's reading thread would: for this
 * packet, or (bit 0x08 of the record's first byte) the one worked out for
 * the packet before, which the engine must pass over unless the keys
 * agree. The other walks its rules itself. Every verdict, every byte of
 * the packets and of what they generated, and every counter must be the
 * same: a decision made ahead may spare a walk, never change an outcome.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_records.h"
#include "runtime/engine.h"
#include "runtime/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What walks decide (tables, tags, match rules, quick, block return,
 * flags, ICMP types, ranges), beside what they leave to the engine
 * (translations, states); no probability and no overload, which turn the
 * walks made ahead off. */
static const char rules[] =
	FUZZ_TOPOLOGY
	"set limit { states 128, frags 32, src-nodes 32 }\n"
	"table <bad> persist { 198.51.100.0/24, !198.51.100.7, 2001:db8:bad::/48 }\n"
	"table <nas> persist { 10.0.10.0/28 }\n"
	"scrub in on wan0 all max-mss 1400\n"
	"nat on wan0 from 10.0.10.0/24 to any -> (wan0)\n"
	"rdr on wan0 proto tcp from any to (wan0) port 8080 -> 10.0.10.5 port 80\n"
	"block return log all\n"
	"match in on lan0 proto tcp to port 1000:2000 tag RANGE\n"
	"match out on wan0 from 192.168.1.128/25 to any nat-to (wan0)\n"
	"match in all scrub (no-df random-id)\n"
	"block in quick from <bad>\n"
	"block return-rst in quick on lan0 proto tcp to port 23\n"
	"block return-icmp(port-unr) in on lan0 proto udp to port 137:139\n"
	"pass in on lan0 proto tcp to <nas> port { 22 80 443 } flags S/SA modulate state\n"
	"pass in on lan0 proto tcp tagged RANGE keep state (max-src-conn 4, source-track rule)\n"
	"pass in on lan0 proto udp to ! <bad> keep state (udp.first 10)\n"
	"pass in on lan0 inet6 proto ipv6-icmp icmp6-type { echoreq neighbrsol }\n"
	"pass in quick on wan0 proto icmp icmp-type echoreq code 0 no state\n"
	"pass in on wan0 proto tcp to 10.0.10.5 port 80 synproxy state\n"
	"block in on opt1 proto tcp from port < 1024\n"
	"pass out all tagged RANGE\n"
	"pass out on opt1 all route-to (opt1 10.0.10.254)\n"
	"pass out quick on wan0 proto udp all no state\n"
	"pass out all\n";

/* A running digest of the packets an engine generated. */
static void digest(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	uint64_t *h = ctx;

	*h = (*h ^ ((uint64_t)iface << 32 | (uint64_t)dir << 24 | len)) * 0x100000001b3ull;
	for (size_t i = 0; i < len; i++)
		*h = (*h ^ ip[i]) * 0x100000001b3ull;
}

static void same(const void *a, const void *b, size_t n)
{
	if (memcmp(a, b, n) != 0)
		abort();
}

/* The engines' counters, and each rule's, are the same. */
static void same_counters(const struct pk_engine *e0, const struct pk_engine *e1)
{
	same(pk_engine_counters(e0), pk_engine_counters(e1), sizeof(struct pk_counters));
	for (uint32_t k = 0; k < pk_rs_nrules(pk_engine_ruleset(e0)); k++)
		same(pk_engine_rule_counters(e0, k), pk_engine_rule_counters(e1, k), sizeof(struct pk_rule_counters));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t gen[2] = {0xcbf29ce484222325ull, 0xcbf29ce484222325ull};
	const struct pk_engine_config cfg[2] = {{.emit = digest, .emit_ctx = &gen[0], .seed = 1},
						{.emit = digest, .emit_ctx = &gen[1], .seed = 1}};
	struct pk_engine *e[2] = {pk_engine_new(fuzz_load_rules(rules), &cfg[0]),
				  pk_engine_new(fuzz_load_rules(rules), &cfg[1])};
	struct pk_engine_ahead *a = e[0] ? pk_engine_ahead_new(e[0]) : NULL;
	static uint8_t buf[2][4096];
	struct pk_decision_ahead d[2] = {{.valid = false}, {.valid = false}}; /* this packet's, the one before's */
	uint64_t now = 1000000000ull;
	struct fuzz_record r;

	if (!e[0] || !e[1] || !a) /* the rules above are decided ahead */
		abort();
	while (fuzz_next_record(&data, &size, &r)) {
		const uint8_t dir = r.how & 4 ? PK_DIR_OUT : PK_DIR_IN;
		const uint16_t iface = r.how % 4, tag = dir == PK_DIR_OUT ? r.how >> 4 & 3 : 0, rcvif = r.how >> 6;
		size_t len[2];
		struct pk_verdict v[2];
		struct pk_pkt p;
		const bool parsed = pk_pkt_parse(r.ip, r.len, &p) == PK_REASON_NONE;

		now += (uint64_t)r.step * 50000000ull;
		for (int k = 0; k < 2; k++) {
			len[k] = r.len < sizeof(buf[k]) ? r.len : sizeof(buf[k]);
			memcpy(buf[k], r.ip, len[k]);
			memset(buf[k] + len[k], 0xa5, sizeof(buf[k]) - len[k]);
		}
		d[1] = d[0];
		d[0].valid = false;
		if (parsed && r.len <= sizeof(buf[0])) {
			struct pk_pass_ahead w;

			pk_engine_ahead_pass(a, &p, dir, iface, tag, rcvif, &w);
			pk_engine_decide_pass(a, &p, &w, &d[0]);
		}
		const struct pk_decision_ahead *given = &d[r.how & 0x08 ? 1 : 0];
		for (int k = 0; k < 2; k++) {
			const struct pk_decision_ahead *ahead = k == 0 ? given : NULL;
			if (dir == PK_DIR_OUT)
				pk_engine_packet_forwarded(e[k], now, iface, tag, rcvif, ahead, buf[k], &len[k],
							   sizeof(buf[k]), &v[k]);
			else if (parsed && r.len <= sizeof(buf[k]))
				pk_engine_packet_parsed(e[k], now, iface, &p, ahead, buf[k], &len[k], sizeof(buf[k]),
							&v[k]);
			else
				pk_engine_packet_tagged(e[k], now, iface, dir, 0, buf[k], &len[k], sizeof(buf[k]),
							&v[k]);
			if (r.how & 0x80)
				pk_engine_expire(e[k], now, 64);
		}
		same(&v[0], &v[1], sizeof(v[0]));
		same(len, len + 1, sizeof(len[0]));
		same(buf[0], buf[1], len[0]);
		same(&gen[0], &gen[1], sizeof(gen[0]));
	}
	same_counters(e[0], e[1]);
	pk_engine_ahead_free(a);
	pk_engine_free(e[0]);
	pk_engine_free(e[1]);
	return 0;
}
