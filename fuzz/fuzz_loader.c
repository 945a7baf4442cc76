/*
 * fuzz/fuzz_loader.c: libFuzzer target for the .pkb loader and classifier.
 *
 * Each input is loaded twice: as given (the checksum refuses almost all
 * of them) and with its checksum recomputed, so mutations reach the
 * structural verifier. Whatever the verifier accepts is then used: every
 * accessor and a classification in every phase for a few packets. No
 * input may crash, hang or read outside its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/pkb_format.h"
#include "runtime/ruleset.h"
#include "runtime/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(const struct pk_rs *rs)
{
	static const struct pk_match_pkt pkts[] = {
		{.af = 4, .proto = 6, .dir = 1, .tcp_flags = 2, .iface = 0, .sport = 1234, .dport = 80,
		 .src = {10, 0, 0, 1}, .dst = {10, 1, 2, 3}, .icmp_type = -1, .icmp_code = -1},
		{.af = 6, .proto = 17, .dir = 2, .iface = 1, .sport = 53, .dport = 53, .src = {0x20, 0x01},
		 .dst = {0xfe, 0x80}, .icmp_type = -1, .icmp_code = -1, .tag = 1, .local = true},
		{.af = 4, .proto = 1, .dir = 1, .iface = PK_RT_NO_IFACE, .icmp_type = 8, .icmp_code = 0},
	};
	for (size_t i = 0; i < sizeof(pkts) / sizeof(pkts[0]); i++)
		for (int ph = 0; ph < PK_PHASE_COUNT; ph++) {
			struct pk_rs_result res;
			pk_rs_classify(rs, (enum pk_rt_phase)ph, &pkts[i], &res);
			pk_rs_classify_trace(rs, (enum pk_rt_phase)ph, &pkts[i], &res, NULL, NULL);
		}
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++) {
		const struct pk_rs_rule *r = pk_rs_rule(rs, i);
		if (r->label && strlen(r->label) > 1 << 20)
			abort();
		for (uint16_t k = 0; k < r->nat_npool; k++)
			if (r->nat_pool[17 * k + 16] > 128 && r->nat_af == 4)
				abort();
		(void)pk_rs_rule_file(rs, i);
	}
	for (uint16_t i = 0; i < pk_rs_niface(rs); i++) {
		uint8_t af, len, addr[16], mac[6], gw[16];
		uint16_t via;
		(void)pk_rs_iface_name(rs, i);
		(void)pk_rs_iface_mac(rs, i, mac);
		for (uint32_t k = 0; k < pk_rs_iface_naddr(rs, i); k++) {
			pk_rs_iface_addr(rs, i, k, &af, addr, &len);
			(void)pk_rs_is_self(rs, af, addr);
			(void)pk_rs_route(rs, af, addr, &via, &af, gw);
		}
	}
	for (uint16_t t = 0; t <= pk_rs_ntags(rs); t++)
		(void)pk_rs_tag_name(rs, t);
	(void)pk_rs_options(rs)->skip;
}

static void try_load(const uint8_t *buf, size_t len)
{
	struct pk_rs *rs;
	struct pk_err err;
	if (pk_rs_load(buf, len, &rs, &err) == 0) {
		use(rs);
		pk_rs_free(rs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_load(data, size);
	if (size < sizeof(struct pkb_header))
		return 0;
	uint8_t *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	size_t at = offsetof(struct pkb_header, checksum);
	memset(copy + at, 0, 32);
	uint8_t sum[32];
	pk_sha256(copy, size, sum);
	memcpy(copy + at, sum, 32);
	try_load(copy, size);
	free(copy);
	return 0;
}
