/*
 * tests/runtime/test_pkb_load.c: the loader refuses every damaged file
 * with a message naming the check and an offset inside the file, and
 * never crashes, hangs or reads outside the buffer (run under `make asan`).
 * Damage covers every single-byte change at every offset (several values
 * each), every truncation, random multi-byte damage, and the same damage
 * with the checksum recomputed so it reaches the structural checks; files
 * the structural checks accept must still classify packets, decode and
 * print safely.
 * Three files are damaged: the compiled examples/freenas.conf, a
 * generated rule set using every section, and a written one with the
 * topology's peers and groups and what changes no verdict (carried).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "compiler/pkb_decode.h"
#include "compiler/print.h"
#include "runtime/pkb_format.h"
#include "runtime/ruleset.h"
#include "tests/support/pkbtest.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"

static struct pk_ir_ruleset *ir;
static uint8_t *good;
static size_t good_len;

static bool from_front;

/* A generated rule set of nrules rules using every section, encoded. */
static void generate(uint64_t seed, uint32_t nrules)
{
	struct pk_rulegen_opts o = {.seed = seed, .nrules = nrules, .ntables = 2, .legacy = true, .quick_pct = 30};
	ir = pk_rulegen(&o);
	from_front = false;
	pk_test_encode(ir, &good, &good_len);
}

static int setup_generated(void **state)
{
	(void)state;
	generate(77, 16);
	print_message("damaging a %zu-byte file of %u generated rules\n", good_len, ir->nrules);
	return 0;
}

/* Tests run from the top of the tree (make unit). */
static int setup_example(void **state)
{
	(void)state;
	struct pk_diags d;
	pk_diags_init(&d);
	int rc = pk_frontend_load("examples/freenas.conf", NULL, &d, &ir);
	pk_diags_print(&d, stderr, PK_COLOR_NEVER);
	pk_diags_free(&d);
	if (rc)
		return -1;
	from_front = true;
	pk_test_encode(ir, &good, &good_len);
	print_message("damaging a %zu-byte file of %u rules from examples/freenas.conf\n", good_len, ir->nrules);
	return 0;
}

/* Data only the printer reads: interface peers and groups, carried
 * statements and rule options, user and group as written; lo0 is named by
 * a rule, not declared. */
static const char carried_text[] =
	"interface em0 address 203.0.113.2/24 group wan\n"
	"interface em1 address 192.168.1.1/24 group lan, inside\n"
	"interface tun0 address 10.8.0.1/32 peer 10.8.0.2, 2001:db8:8::2\n"
	"route 0.0.0.0/0 via em0 gateway 203.0.113.1\n"
	"set fingerprints \"/etc/pf.os\"\n"
	"queue rootq on em0 bandwidth 10M max 10M\n"
	"queue std parent rootq bandwidth 5M default\n"
	"pass out on wan set prio 3 set queue std ridentifier 5\n"
	"pass in on inside from tun0:peer to any queue std\n"
	"block in quick on em0 proto tcp to port 23\n"
	"pass in on lo0\n"
	"block out proto udp user _pbuild group != wheel\n"
	"pass in on em0 proto tcp to port 25 divert-to 127.0.0.1 port 8025\n"
	"pass out on em0 proto tcp divert-reply\n"
	"block out on em0 received-on ! em1\n";

static int setup_carried(void **state)
{
	(void)state;
	struct pk_diags d;
	pk_diags_init(&d);
	/* its notes (carried text, lo0 outside the topology) are expected: shown only on failure */
	if (pk_frontend_load_string("carried.conf", carried_text, sizeof(carried_text) - 1, NULL, &d, &ir)) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		pk_diags_free(&d);
		return -1;
	}
	pk_diags_free(&d);
	from_front = true;
	/* and the record of the policy tests it passed (picket compile --expect) */
	static const struct pk_ir_tests tests = {.sha256 = {1, 2, 3}, .path = "picket.expect", .count = 3};
	ir->tests = &tests;
	pk_test_encode(ir, &good, &good_len);
	print_message("damaging a %zu-byte file of %u rules with peers, groups and carried text\n", good_len,
		      ir->nrules);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(good);
	if (from_front)
		pk_ir_ruleset_free(ir);
	else
		pk_rulegen_free(ir);
	return 0;
}

static void assert_refused(const uint8_t *buf, size_t len, const char *what, size_t at)
{
	struct pk_rs *rs = NULL;
	struct pk_err err;
	if (!pk_rs_load(buf, len, &rs, &err)) {
		pk_rs_free(rs);
		fail_msg("%s at %zu was accepted", what, at);
	}
	assert_null(rs);
	assert_true(err.msg[0] != '\0');
	assert_true(err.offset <= len);
}

/* A file the verifier accepted is safe to use: classify a few packets,
 * and decode and print it as `picket dump` does. */
static void exercise(struct pk_rs *rs)
{
	struct pk_ir_ruleset *back;
	struct pk_diags d;
	pk_diags_init(&d);
	assert_int_equal(pk_pkb_decode(rs, &back, &d), 0);
	FILE *null = fopen("/dev/null", "w");
	assert_non_null(null);
	pk_print_ruleset(null, back, PK_PRINT_OPTIONS | PK_PRINT_LINES | PK_PRINT_NUMBERS);
	fclose(null);
	pk_arena_free(back->arena);
	pk_diags_free(&d);
	struct pk_rng rng = {5};
	for (int i = 0; i < 20; i++) {
		struct pk_match_pkt p;
		struct pk_rs_result res;
		pk_rulegen_packet(ir, rs, &rng, &p);
		for (int ph = 0; ph < PK_PHASE_COUNT; ph++) {
			pk_rs_classify(rs, (enum pk_rt_phase)ph, &p, &res);
			assert_true(res.rule == PK_RT_NO_RULE || res.rule < pk_rs_nrules(rs));
			pk_rs_classify_trace(rs, (enum pk_rt_phase)ph, &p, &res, NULL, NULL);
		}
	}
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++)
		assert_non_null(pk_rs_rule(rs, i));
}

static void test_undamaged_file_loads_and_keeps_rules(void **state)
{
	(void)state;
	struct pk_rs *rs;
	struct pk_err err;
	assert_int_equal(pk_rs_load(good, good_len, &rs, &err), 0);
	assert_int_equal(pk_rs_nrules(rs), ir->nrules);
	for (uint32_t i = 0; i < ir->nrules; i++) {
		assert_int_equal(pk_rs_rule(rs, i)->action, ir->rules[i].action);
		assert_int_equal(pk_rs_rule(rs, i)->line, ir->rules[i].loc.line);
		assert_int_equal(pk_rs_rule(rs, i)->quick, ir->rules[i].quick);
	}
	for (uint32_t i = 0; i < ir->nifaces; i++)
		assert_int_equal(pk_rs_iface_find(rs, ir->ifaces[i].name), i);
	assert_int_equal(pk_rs_iface_find(rs, "nope0"), PK_RT_NO_IFACE);
	assert_string_equal(pk_rs_rule_file(rs, 0), ir->rules[0].loc.file);
	exercise(rs);
	pk_rs_free(rs);
}

/* pk_rs_adopt loads what pk_rs_load loads without a copy, and refuses
 * what it refuses with the same words, freeing the bytes (make asan
 * finds a leak or a double free). */
static void test_adopted_bytes_load_and_refused_ones_are_freed(void **state)
{
	(void)state;
	struct pk_rs *rs;
	struct pk_err err, want;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	assert_int_equal(pk_rs_adopt(buf, good_len, &rs, &err), 0);
	assert_int_equal(pk_rs_nrules(rs), ir->nrules);
	exercise(rs);
	pk_rs_free(rs);
	for (size_t at = 0; at < good_len; at += good_len / 7) {
		buf = malloc(good_len);
		memcpy(buf, good, good_len);
		buf[at] ^= 0x10;
		assert_int_equal(pk_rs_load(buf, good_len, &rs, &want), -1);
		assert_int_equal(pk_rs_adopt(buf, good_len, &rs, &err), -1);
		assert_null(rs);
		assert_int_equal(err.offset, want.offset);
		assert_string_equal(err.msg, want.msg);
	}
}

static void test_every_single_byte_change_is_refused(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	for (size_t at = 0; at < good_len; at++) {
		static const uint8_t xors[] = {0x01, 0x02, 0x10, 0x80, 0xff};
		memcpy(buf, good, good_len);
		for (size_t k = 0; k < sizeof(xors); k++) {
			buf[at] = good[at] ^ xors[k];
			assert_refused(buf, good_len, "byte change", at);
		}
	}
	free(buf);
}

/* All 255 alternatives of the bytes checked before the checksum. */
static void test_every_value_of_the_leading_header_bytes_is_refused(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	for (size_t at = 0; at < offsetof(struct pkb_header, checksum) + 32; at++) {
		for (unsigned v = 0; v < 256; v++) {
			if (v == good[at])
				continue;
			buf[at] = (uint8_t)v;
			assert_refused(buf, good_len, "header byte", at);
		}
		buf[at] = good[at];
	}
	free(buf);
}

static void test_every_truncation_is_refused(void **state)
{
	(void)state;
	for (size_t len = 0; len < good_len; len++) {
		uint8_t *buf = malloc(len ? len : 1);
		memcpy(buf, good, len);
		assert_refused(buf, len, "truncation", len);
		free(buf);
	}
}

static void test_random_multibyte_damage_is_refused(void **state)
{
	(void)state;
	struct pk_rng rng = {99};
	uint8_t *buf = malloc(good_len);
	for (int round = 0; round < 3000; round++) {
		memcpy(buf, good, good_len);
		uint32_t n = 2 + pk_rng_below(&rng, 16);
		for (uint32_t i = 0; i < n; i++)
			buf[pk_rng_below(&rng, (uint32_t)good_len)] ^= (uint8_t)(1 + pk_rng_below(&rng, 255));
		if (memcmp(buf, good, good_len))
			assert_refused(buf, good_len, "random damage", (size_t)round);
	}
	free(buf);
}

/* Checksum recomputed: the structural checks alone must keep every use safe. */
static void test_damage_behind_a_valid_checksum_is_refused_or_safe(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	unsigned refused = 0, accepted = 0;
	static const uint8_t vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
	for (size_t at = 0; at < good_len; at++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			memcpy(buf, good, good_len);
			if (good[at] == vals[k])
				continue;
			buf[at] = vals[k];
			pk_test_fix_checksum(buf, good_len);
			struct pk_rs *rs = NULL;
			struct pk_err err;
			if (pk_rs_load(buf, good_len, &rs, &err)) {
				assert_true(err.msg[0] != '\0');
				assert_true(err.offset <= good_len);
				refused++;
				continue;
			}
			accepted++;
			exercise(rs);
			pk_rs_free(rs);
		}
	}
	/* much of a file is free data (addresses, ports, positions): only
	 * some changes break a structural rule */
	print_message("behind a valid checksum: %u refused, %u accepted and used safely\n", refused, accepted);
	assert_true(refused > 0);
	free(buf);
}

static void test_refusal_names_the_check_and_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	struct pk_rs *rs;
	struct pk_err err;
	memcpy(buf, good, good_len);
	buf[0] = 'X';
	assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), -1);
	assert_non_null(strstr(err.msg, "magic"));
	memcpy(buf, good, good_len);
	buf[good_len - 1] ^= 1;
	assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), -1);
	assert_non_null(strstr(err.msg, "checksum"));
	/* a program word pointing backwards */
	memcpy(buf, good, good_len);
	const struct pkb_header *h = (const struct pkb_header *)buf;
	uint64_t prog = h->sections[PKB_SEC_PROGRAM].offset;
	uint32_t bad = 0x7fffffff;
	memcpy(buf + prog, &bad, 4);
	pk_test_fix_checksum(buf, good_len);
	assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), -1);
	assert_non_null(strstr(err.msg, "entry 0"));
	assert_int_equal(err.offset, prog);
	free(buf);
}

/* Damage behind a valid checksum must be refused by the named check at
 * the offset of the bad field. */
static void expect_refusal(uint8_t *buf, const char *what, uint64_t offset)
{
	struct pk_rs *rs;
	struct pk_err err;
	pk_test_fix_checksum(buf, good_len);
	assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), -1);
	if (!strstr(err.msg, what) || err.offset != offset)
		fail_msg("expected '%s' at %llu, got '%s' at %llu", what, (unsigned long long)offset, err.msg,
			 (unsigned long long)err.offset);
	memcpy(buf, good, good_len);
}

static uint64_t sec_off(const uint8_t *buf, enum pkb_section_id id)
{
	return ((const struct pkb_header *)buf)->sections[id].offset;
}

/* Word index of the first instruction with opcode op, or 0. */
static uint32_t find_op(const uint8_t *buf, uint32_t op)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	const uint32_t *prog = (const uint32_t *)(buf + h->sections[PKB_SEC_PROGRAM].offset);
	uint32_t n = h->sections[PKB_SEC_PROGRAM].count;
	for (uint32_t pc = PKB_ENTRIES; pc < n; pc += pkb_insn_len(prog, n, pc))
		if (pkb_op(prog[pc]) == op)
			return pc;
	return 0;
}

static void put32(uint8_t *buf, uint64_t at, uint32_t v)
{
	memcpy(buf + at, &v, 4);
}

static void test_each_structural_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	uint64_t prog = sec_off(buf, PKB_SEC_PROGRAM), rules = sec_off(buf, PKB_SEC_RULES);
	put32(buf, prog + 4 * PKB_ENTRIES, 0x7f);
	expect_refusal(buf, "unknown opcode 127", prog + 4 * PKB_ENTRIES);
	uint32_t test = find_op(buf, PKB_OP_TEST);
	assert_true(test > 0);
	put32(buf, prog + 4ull * test, pkb_word(PKB_OP_TEST, 0xffffff));
	expect_refusal(buf, "rule 16777215 out of range", prog + 4ull * test);
	for (uint32_t op = 0; op < PKB_OP_COUNT; op++) {
		uint32_t cut = pkb_cut_width(op) ? find_op(buf, op) : 0, k, width = pkb_cut_width(op);
		if (!cut)
			continue;
		memcpy(&k, buf + prog + 4ull * (cut + 1), 4);
		put32(buf, prog + 4ull * (cut + 2 + width * k), cut);
		expect_refusal(buf, "is not forward", prog + 4ull * (cut + 2 + width * k));
		put32(buf, prog + 4ull * (cut + 1), PKB_MAX_CUT + 1);
		expect_refusal(buf, "bounds, must be 1..256", prog + 4ull * cut + 4);
		if (k > 1) {
			/* bound 1 := bound 0 */
			memmove(buf + prog + 4ull * (cut + 2 + width), buf + prog + 4ull * (cut + 2), 4ull * width);
			expect_refusal(buf, "bounds not increasing", prog + 4ull * (cut + 2 + width));
		}
	}
	assert_true(find_op(buf, PKB_OP_CUT) || find_op(buf, PKB_OP_CUT32) || find_op(buf, PKB_OP_INDEX));
	uint64_t strings = sec_off(buf, PKB_SEC_STRINGS);
	uint32_t nstr = ((const struct pkb_header *)buf)->sections[PKB_SEC_STRINGS].count;
	buf[strings + nstr - 1] = 'x';
	expect_refusal(buf, "does not end with a NUL", strings + nstr - 1);
	put32(buf, rules + offsetof(struct pkb_rule, iface), 999);
	expect_refusal(buf, "rule 0: interface: index 999 out of range", rules + offsetof(struct pkb_rule, iface));
	buf[rules + offsetof(struct pkb_rule, action)] = 7;
	expect_refusal(buf, "rule 0: action: unknown value 7", rules + offsetof(struct pkb_rule, action));
	put32(buf, rules + offsetof(struct pkb_rule, label), nstr);
	expect_refusal(buf, "rule 0: label: string offset", rules + offsetof(struct pkb_rule, label));
	buf[rules + offsetof(struct pkb_rule, owner)] = PK_OWNER_NEVER + 1;
	expect_refusal(buf, "rule 0: socket owner match: unknown value 4", rules + offsetof(struct pkb_rule, owner));
	buf[rules + offsetof(struct pkb_rule, owner)] = PK_OWNER_NEVER;
	expect_refusal(buf, "rule 0: socket owner match 3 without a user or group", rules + offsetof(struct pkb_rule, owner));
	put32(buf, rules + offsetof(struct pkb_rule, group), nstr);
	expect_refusal(buf, "rule 0: group: string offset", rules + offsetof(struct pkb_rule, group));
	free(buf);
}

/* The first interface record with peers (want = 1), groups (2) or
 * neither, not declared (0). */
static uint64_t iface_off(const uint8_t *buf, int want)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	const struct pkb_iface *f = (const struct pkb_iface *)(buf + h->sections[PKB_SEC_IFACES].offset);
	for (uint32_t i = 0; i < h->sections[PKB_SEC_IFACES].count; i++)
		if (want == 1 ? f[i].npeers > 0 : want == 2 ? f[i].ngroups > 0 : !(f[i].flags & PKB_IF_TOPOLOGY))
			return h->sections[PKB_SEC_IFACES].offset + i * sizeof(*f);
	fail_msg("no interface of kind %d", want);
	return 0;
}

static void test_each_topology_and_carried_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	const struct pkb_header *h = (const struct pkb_header *)buf;
	uint32_t nstr = h->sections[PKB_SEC_STRINGS].count, npeers = h->sections[PKB_SEC_IFPEERS].count;
	uint32_t ngroups = h->sections[PKB_SEC_IFGROUPS].count;
	uint64_t peered = iface_off(buf, 1), grouped = iface_off(buf, 2), undeclared = iface_off(buf, 0);
	put32(buf, peered + offsetof(struct pkb_iface, peer_first), npeers);
	expect_refusal(buf, "interface peers: entries", peered + offsetof(struct pkb_iface, peer_first));
	put32(buf, peered + offsetof(struct pkb_iface, npeers), UINT32_MAX);
	expect_refusal(buf, "interface peers: entries", peered + offsetof(struct pkb_iface, peer_first));
	put32(buf, grouped + offsetof(struct pkb_iface, group_first), ngroups);
	expect_refusal(buf, "interface groups: entries", grouped + offsetof(struct pkb_iface, group_first));
	put32(buf, grouped + offsetof(struct pkb_iface, ngroups), ngroups + 1);
	expect_refusal(buf, "interface groups: entries", grouped + offsetof(struct pkb_iface, group_first));
	put32(buf, undeclared + offsetof(struct pkb_iface, group_first), 0);
	put32(buf, undeclared + offsetof(struct pkb_iface, ngroups), 1);
	expect_refusal(buf, "peers or groups on an interface not declared", undeclared + offsetof(struct pkb_iface, npeers));
	buf[grouped + offsetof(struct pkb_iface, flags)] = PKB_IF_ALL + 1;
	expect_refusal(buf, "interface flags: unknown value 8", grouped + offsetof(struct pkb_iface, flags));
	buf[grouped + offsetof(struct pkb_iface, pad)] = 1;
	expect_refusal(buf, "padding", grouped + offsetof(struct pkb_iface, pad));
	uint64_t peers = sec_off(buf, PKB_SEC_IFPEERS);
	buf[peers + offsetof(struct pkb_prefix, len)] = 24;
	expect_refusal(buf, "interface peer: prefix length 24 is not one host", peers + offsetof(struct pkb_prefix, len));
	put32(buf, sec_off(buf, PKB_SEC_IFGROUPS), nstr);
	expect_refusal(buf, "interface group: string offset", sec_off(buf, PKB_SEC_IFGROUPS));
	uint64_t carried = sec_off(buf, PKB_SEC_CARRIED) + offsetof(struct pkb_carried, text);
	put32(buf, carried, nstr);
	expect_refusal(buf, "carried statement: string offset", carried);
	assert_int_equal(h->sections[PKB_SEC_TESTS].count, 1);
	const uint64_t tests = sec_off(buf, PKB_SEC_TESTS) + offsetof(struct pkb_tests, path);
	put32(buf, tests, nstr);
	expect_refusal(buf, "tests file: string offset", tests);
	uint64_t rule_carried = sec_off(buf, PKB_SEC_RULES) + offsetof(struct pkb_rule, carried);
	put32(buf, rule_carried, nstr);
	expect_refusal(buf, "rule 0: carried options: string offset", rule_carried);
	free(buf);
}

/* A rule the list of opcode op may not hold, or PKB_NONE: LAST takes
 * non-quick pass/block rules, COLLECT non-quick match rules. */
static uint32_t rule_not_for(const uint8_t *buf, uint32_t op)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	const struct pkb_rule *r = (const struct pkb_rule *)(buf + h->sections[PKB_SEC_RULES].offset);
	for (uint32_t i = 0; i < h->sections[PKB_SEC_RULES].count; i++)
		if ((r[i].flags & PKB_R_QUICK) || (op == PKB_OP_LAST ? r[i].action > PK_ACT_BLOCK : r[i].action != PK_ACT_MATCH))
			return i;
	return PKB_NONE;
}

static void expect_list_refusals(uint32_t op, const char *order, const char *kind)
{
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	uint64_t prog = sec_off(buf, PKB_SEC_PROGRAM);
	uint32_t at = find_op(buf, op), n, r0;
	if (!at) {
		free(buf);
		return;
	}
	memcpy(&n, buf + prog + 4ull * at, 4);
	n = pkb_operand_a(n);
	memcpy(&r0, buf + prog + 4ull * (at + 1), 4);
	put32(buf, prog + 4ull * (at + 1), 0xfffffff);
	expect_refusal(buf, "rule 268435455 out of range", prog + 4ull * (at + 1));
	put32(buf, prog + 4ull * at, pkb_word(op, 0));
	expect_refusal(buf, "0 rules listed", prog + 4ull * at);
	put32(buf, prog + 4ull * (at + 1), 0xfffffffu | PKB_SURE);
	expect_refusal(buf, "rule 268435455 out of range", prog + 4ull * (at + 1));
	if (n > 1) {
		put32(buf, prog + 4ull * (at + 2), r0);
		expect_refusal(buf, order, prog + 4ull * (at + 2));
		put32(buf, prog + 4ull * (at + 2), r0 | PKB_SURE);
		expect_refusal(buf, order, prog + 4ull * (at + 2));
		put32(buf, prog + 4ull * (at + 2), r0 | PKB_SYN);
		expect_refusal(buf, order, prog + 4ull * (at + 2));
	}
	uint32_t bad = rule_not_for(buf, op);
	if (bad != PKB_NONE) {
		put32(buf, prog + 4ull * (at + 1), bad);
		expect_refusal(buf, kind, prog + 4ull * (at + 1));
	}
	free(buf);
}

static void test_each_rule_list_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	assert_true(find_op(good, PKB_OP_LAST) > 0);
	expect_list_refusals(PKB_OP_LAST, "rules not strictly decreasing", "is not a non-quick pass or block rule");
	expect_list_refusals(PKB_OP_COLLECT, "rules not strictly increasing", "is not a non-quick match rule");
}

/* Enough rules for the tree to need a FORK. */
PK_TEST_FIXTURE(setup_forked, generate(78, 200))

/* The walk keeps what each tree of a FORK found in a fixed array. */
static void test_a_fork_of_more_than_16_trees_is_refused(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	uint64_t prog = sec_off(buf, PKB_SEC_PROGRAM);
	uint32_t fork = find_op(buf, PKB_OP_FORK);
	assert_true(fork > 0);
	put32(buf, prog + 4ull * fork + 4, PKB_MAX_FORK + 1);
	expect_refusal(buf, "17 trees, must be 1..16", prog + 4ull * fork + 4);
	free(buf);
}
/* An INDEX's slots and shift, and its targets; any first slot is safe:
 * a value outside the slots takes the last one. */
static void test_each_index_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	uint64_t prog = sec_off(buf, PKB_SEC_PROGRAM);
	uint32_t index = find_op(buf, PKB_OP_INDEX), b;
	assert_true(index > 0);
	memcpy(&b, buf + prog + 4ull * (index + 1), 4);
	put32(buf, prog + 4ull * (index + 4 + pkb_slots_n(b) - 1), index);
	expect_refusal(buf, "is not forward", prog + 4ull * (index + 4 + pkb_slots_n(b) - 1));
	put32(buf, prog + 4ull * (index + 1), pkb_slots_word(pkb_slots_n(b), 64));
	expect_refusal(buf, "shift 64 or unused bits set", prog + 4ull * index + 4);
	put32(buf, prog + 4ull * (index + 1), b | 1u << 31);
	expect_refusal(buf, "unused bits set", prog + 4ull * index + 4);
	put32(buf, prog + 4ull * (index + 1), pkb_slots_word(0, pkb_slots_shift(b)));
	expect_refusal(buf, "0 slots, must be 1..4096", prog + 4ull * index + 4);
	put32(buf, prog + 4ull * (index + 1), pkb_slots_word(PKB_MAX_SLOTS + 1, pkb_slots_shift(b)));
	expect_refusal(buf, "4097 slots, must be 1..4096", prog + 4ull * index + 4);
	struct pk_rs *rs;
	struct pk_err err;
	for (uint32_t first = 0; first < 2; first++) {
		put32(buf, prog + 4ull * (index + 2), first ? UINT32_MAX : 0);
		put32(buf, prog + 4ull * (index + 3), first ? UINT32_MAX : 0);
		pk_test_fix_checksum(buf, good_len);
		assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), 0);
		exercise(rs);
		pk_rs_free(rs);
	}
	free(buf);
}

/* The offset of the first rule record with divert kind kind. */
static uint64_t divert_rule(const uint8_t *buf, uint8_t kind)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	const struct pkb_rule *r = (const struct pkb_rule *)(buf + h->sections[PKB_SEC_RULES].offset);
	for (uint32_t i = 0; i < h->sections[PKB_SEC_RULES].count; i++)
		if (r[i].divert == kind)
			return h->sections[PKB_SEC_RULES].offset + i * sizeof(*r);
	fail_msg("no rule with divert kind %u", kind);
	return 0;
}

static void test_each_divert_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	const uint64_t to = divert_rule(buf, PK_DIVERT_TO), reply = divert_rule(buf, PK_DIVERT_REPLY);
	const uint64_t kind = offsetof(struct pkb_rule, divert), port = offsetof(struct pkb_rule, divert_port);
	const uint64_t addr = offsetof(struct pkb_rule, divert_addr);
	buf[to + kind] = PK_DIVERT_PACKET + 1;
	expect_refusal(buf, "divert kind: unknown value 4", to + kind);
	buf[to + kind + 1] = 1;
	expect_refusal(buf, "padding", to + kind + 1);
	buf[to + offsetof(struct pkb_rule, dir)] = PK_DIR_OUT;
	expect_refusal(buf, "divert kind 1 on a rule of the wrong direction", to + kind);
	buf[reply + offsetof(struct pkb_rule, dir)] = PK_DIR_IN;
	expect_refusal(buf, "divert kind 2 on a rule of the wrong direction", reply + kind);
	buf[to + offsetof(struct pkb_rule, action)] = PK_ACT_BLOCK;
	expect_refusal(buf, "divert on a rule that does not pass", to + kind);
	buf[to + port] = buf[to + port + 1] = 0;
	expect_refusal(buf, "divert port 0 does not fit divert kind 1", to + port);
	buf[reply + port] = 1;
	expect_refusal(buf, "divert port 1 does not fit divert kind 2", reply + port);
	buf[to + addr] = PK_AF_INET6;
	expect_refusal(buf, "divert-to address is no host of the rule's family", to + addr);
	buf[to + addr + 1] = 24;
	expect_refusal(buf, "divert-to address is no host of the rule's family", to + addr);
	buf[to + addr + 4 + 5] = 1;
	expect_refusal(buf, "divert address byte 5 set", to + addr + 4 + 5);
	buf[reply + addr] = PK_AF_INET;
	expect_refusal(buf, "divert address without divert-to", reply + addr);
	put32(buf, to + offsetof(struct pkb_rule, rcv_iface), 99);
	expect_refusal(buf, "received-on interface: index 99 out of range", to + offsetof(struct pkb_rule, rcv_iface));
	put32(buf, to + offsetof(struct pkb_rule, flags), PKB_R_RCVNEG);
	expect_refusal(buf, "received-on negated without an interface", to + offsetof(struct pkb_rule, flags));
	free(buf);
}

/* Turn the divert-to rule record at (an inet pass in) into one with
 * af-to inet6 from 2001:db8::1/96 instead. */
static void put_afto(uint8_t *buf, uint64_t at)
{
	struct pkb_rule *r = (struct pkb_rule *)(buf + at);
	r->divert = 0;
	r->divert_port = 0;
	r->divert_addr = (struct pkb_prefix){0};
	r->afto_af = PK_AF_INET6;
	r->afto_src = (struct pkb_prefix){.af = PK_AF_INET6, .len = 96, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
}

/* A well-formed af-to rule loads with its addresses; each damage is refused. */
static void test_each_afto_check_names_itself_and_the_offset(void **state)
{
	(void)state;
	uint8_t *buf = malloc(good_len);
	memcpy(buf, good, good_len);
	const uint64_t r = divert_rule(buf, PK_DIVERT_TO), reply = divert_rule(buf, PK_DIVERT_REPLY);
	const uint64_t af = offsetof(struct pkb_rule, afto_af), src = offsetof(struct pkb_rule, afto_src);
	const uint64_t dst = offsetof(struct pkb_rule, afto_dst);
	put_afto(buf, r);
	pk_test_fix_checksum(buf, good_len);
	struct pk_rs *rs;
	struct pk_err err;
	assert_int_equal(pk_rs_load(buf, good_len, &rs, &err), 0);
	const struct pk_afto *a = &pk_rs_rule(rs, (uint32_t)((r - sec_off(buf, PKB_SEC_RULES)) / sizeof(struct pkb_rule)))->afto;
	assert_int_equal(a->af, PK_AF_INET6);
	assert_int_equal(a->from_len, 96);
	assert_int_equal(a->from[15], 1);
	assert_int_equal(a->to_len, 0);
	pk_rs_free(rs);
	memcpy(buf, good, good_len);
	put_afto(buf, r);
	buf[r + af] = 7;
	expect_refusal(buf, "af-to family: unknown value 7", r + af);
	put_afto(buf, r);
	buf[r + af] = 5;
	expect_refusal(buf, "unknown af-to family 5", r + af);
	put_afto(buf, r);
	buf[r + af + 2] = 1;
	expect_refusal(buf, "padding", r + af + 1);
	put_afto(buf, r);
	buf[r + af] = PK_AF_INET;
	expect_refusal(buf, "af-to family 4 is not the other one than the rule's (4)", r + af);
	put_afto(buf, r);
	buf[r + offsetof(struct pkb_rule, dir)] = PK_DIR_OUT;
	expect_refusal(buf, "af-to on a rule that is not a pass in", r + af);
	put_afto(buf, r);
	buf[r + offsetof(struct pkb_rule, action)] = PK_ACT_MATCH;
	expect_refusal(buf, "af-to on a rule that is not a pass in", r + af);
	put_afto(buf, r);
	buf[r + src] = PK_AF_INET;
	buf[r + src + 1] = 32;
	expect_refusal(buf, "af-to source is not of family 6", r + src);
	put_afto(buf, r);
	buf[r + src] = 0;
	expect_refusal(buf, "address without a family", r + src);
	put_afto(buf, r);
	buf[r + dst] = PK_AF_INET;
	buf[r + dst + 1] = 32;
	expect_refusal(buf, "af-to destination is not of family 6", r + dst);
	put_afto(buf, r);
	buf[r + dst + 4] = 1;
	expect_refusal(buf, "af-to destination byte 0 set without its option", r + dst + 4);
	put_afto(buf, r);
	buf[r + offsetof(struct pkb_rule, af)] = PK_AF_INET6;
	buf[r + af] = PK_AF_INET;
	buf[r + src] = PK_AF_INET;
	buf[r + src + 1] = 32;
	buf[r + src + 4 + 15] = 0;
	buf[r + src + 4 + 5] = 1;
	expect_refusal(buf, "af-to source byte 5 set past an IPv4 address", r + src + 4 + 5);
	buf[reply + src + 1] = 96;
	expect_refusal(buf, "af-to source set without its option", reply + src);
	buf[reply + dst + 4 + 3] = 1;
	expect_refusal(buf, "af-to destination byte 3 set without its option", reply + dst + 4 + 3);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undamaged_file_loads_and_keeps_rules),
		cmocka_unit_test(test_adopted_bytes_load_and_refused_ones_are_freed),
		cmocka_unit_test(test_every_single_byte_change_is_refused),
		cmocka_unit_test(test_every_value_of_the_leading_header_bytes_is_refused),
		cmocka_unit_test(test_every_truncation_is_refused),
		cmocka_unit_test(test_random_multibyte_damage_is_refused),
		cmocka_unit_test(test_damage_behind_a_valid_checksum_is_refused_or_safe),
		cmocka_unit_test(test_refusal_names_the_check_and_offset),
		cmocka_unit_test(test_each_structural_check_names_itself_and_the_offset),
		cmocka_unit_test(test_each_rule_list_check_names_itself_and_the_offset),
	};
	const struct CMUnitTest carried[] = {
		cmocka_unit_test(test_undamaged_file_loads_and_keeps_rules),
		cmocka_unit_test(test_every_single_byte_change_is_refused),
		cmocka_unit_test(test_every_truncation_is_refused),
		cmocka_unit_test(test_random_multibyte_damage_is_refused),
		cmocka_unit_test(test_damage_behind_a_valid_checksum_is_refused_or_safe),
		cmocka_unit_test(test_each_topology_and_carried_check_names_itself_and_the_offset),
		cmocka_unit_test(test_each_divert_check_names_itself_and_the_offset),
		cmocka_unit_test(test_each_afto_check_names_itself_and_the_offset),
	};
	const struct CMUnitTest forked[] = {
		cmocka_unit_test(test_a_fork_of_more_than_16_trees_is_refused),
		cmocka_unit_test(test_each_index_check_names_itself_and_the_offset),
	};
	return cmocka_run_group_tests_name("examples/freenas.conf", tests, setup_example, teardown) |
	       cmocka_run_group_tests_name("generated", tests, setup_generated, teardown) |
	       cmocka_run_group_tests_name("peers, groups, carried text", carried, setup_carried, teardown) |
	       cmocka_run_group_tests_name("generated, with a FORK", forked, setup_forked, teardown);
}
