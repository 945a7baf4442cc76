/*
 * fuzz/fuzz_engine.c: libFuzzer target for the packet path.
 *
 * One engine per input, over a rule set that uses every part of the path
 * (translation old and new, synproxy, modulate, scrub, tags, tables,
 * route-to, block return, source tracking, fragments). The input is a
 * sequence of records (fuzz/fuzz_records.h). No input may crash, hang or
 * touch memory outside the packet buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_records.h"
#include "runtime/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
	FUZZ_TOPOLOGY
	"set limit { states 256, frags 64, src-nodes 64 }\n"
	"table <bad> persist { 198.51.100.0/24, !198.51.100.7 }\n"
	"table <abusers> persist\n"
	"scrub in on wan0 all max-mss 1400\n"
	"nat on wan0 from 10.0.10.0/24 to any -> (wan0)\n"
	"rdr on wan0 proto tcp from any to (wan0) port 8080 -> 10.0.10.5 port 80\n"
	"binat on wan0 from 10.0.10.9 to any -> 203.0.113.9\n"
	"block return log all\n"
	"match in all scrub (no-df random-id min-ttl 5 set-tos lowdelay)\n"
	"match out on wan0 from 192.168.1.0/24 to any nat-to (wan0) tag LANOUT\n"
	"match in on wan0 proto tcp to (wan0) port 443 rdr-to 10.0.10.6\n"
	"block in quick from <bad>\n"
	"block in quick from <abusers>\n"
	"pass in on wan0 proto tcp to 10.0.10.6 port 443 keep state (max-src-conn-rate 2/10, overload <abusers> flush global)\n"
	"pass in on lan0 proto tcp to port { 22 80 443 } modulate state (max-src-conn 5, source-track rule)\n"
	"pass in on lan0 proto udp all keep state (udp.first 10)\n"
	"pass in on lan0 inet6 all\n"
	"pass in on wan0 proto tcp to 10.0.10.5 port 80 synproxy state\n"
	"pass in on wan0 proto icmp all icmp-type echoreq\n"
	"pass out all tagged LANOUT\n"
	"pass out on opt1 all route-to (opt1 10.0.10.254)\n"
	"pass out all no state\n";

static void discard(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	(void)ctx;
	(void)iface;
	(void)dir;
	(void)ip;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pk_engine_config cfg = {.emit = discard, .seed = 1};
	struct pk_engine *e = pk_engine_new(fuzz_load_rules(rules), &cfg);
	static uint8_t buf[4096];
	uint64_t now = 1000000000ull;
	struct fuzz_record r;

	if (!e)
		abort();
	while (fuzz_next_record(&data, &size, &r)) {
		struct pk_verdict v;
		size_t len = r.len < sizeof(buf) ? r.len : sizeof(buf);

		now += (uint64_t)r.step * 50000000ull; /* up to 12.75 s a step: timeouts expire */
		memcpy(buf, r.ip, len);
		/* the buffer's spare room may be used (reject, synproxy), never read uninitialised */
		memset(buf + len, 0xa5, sizeof(buf) - len);
		pk_engine_packet_tagged(e, now, (uint16_t)(r.how % 4), r.how & 4 ? PK_DIR_OUT : PK_DIR_IN,
					(uint16_t)(r.how >> 4 & 3), buf, &len, sizeof(buf), &v);
		if (r.how & 0x80)
			pk_engine_expire(e, now, 64);
	}
	pk_engine_free(e);
	return 0;
}
