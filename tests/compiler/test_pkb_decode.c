/*
 * tests/compiler/test_pkb_decode.c: the encoder is deterministic, and a
 * loaded file decodes back to IR that encodes to the same bytes (all but
 * the source hash and the checksum: source texts are not in the file), so
 * nothing the printer reads is lost on the way through a .pkb; and the
 * printer gives the same text for the IR and for its decoded .pkb, the
 * topology's peers and groups, what changes no verdict, user and group
 * included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "compiler/pkb_decode.h"
#include "compiler/print.h"
#include "runtime/pkb_format.h"
#include "tests/support/front_support.h"
#include "tests/support/pkbtest.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"

static void blank_provenance(uint8_t *buf)
{
	memset(buf + offsetof(struct pkb_header, checksum), 0, 32);
	memset(buf + offsetof(struct pkb_header, source_sha256), 0, 32);
}

static void test_encoding_twice_gives_identical_bytes(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct pk_rulegen_opts o = {.seed = seed, .nrules = 500, .ntables = 3, .legacy = true, .quick_pct = 30};
		struct pk_ir_ruleset *a = pk_rulegen(&o), *b = pk_rulegen(&o);
		uint8_t *x, *y;
		size_t nx, ny;
		pk_test_encode(a, &x, &nx);
		pk_test_encode(b, &y, &ny);
		assert_int_equal(nx, ny);
		assert_memory_equal(x, y, nx);
		free(x);
		free(y);
		pk_rulegen_free(a);
		pk_rulegen_free(b);
	}
}

/* Encode, load, decode, encode again: the same bytes. */
static void assert_reencodes_to_the_same_bytes(const struct pk_ir_ruleset *ir)
{
	struct pk_ir_ruleset *back;
	uint8_t *x, *y;
	size_t nx, ny;
	struct pk_rs *rs;
	struct pk_err err;
	struct pk_diags d;
	pk_diags_init(&d);
	pk_test_encode(ir, &x, &nx);
	assert_int_equal(pk_rs_load(x, nx, &rs, &err), 0);
	assert_int_equal(pk_pkb_decode(rs, &back, &d), 0);
	assert_int_equal(back->nrules, ir->nrules);
	for (uint32_t i = 0; i < ir->nrules; i++) {
		assert_int_equal(back->rules[i].loc.line, ir->rules[i].loc.line);
		assert_string_equal(back->rules[i].loc.file, ir->rules[i].loc.file);
		if (ir->rules[i].label)
			assert_string_equal(back->rules[i].label, ir->rules[i].label);
	}
	pk_test_encode(back, &y, &ny);
	assert_int_equal(nx, ny);
	blank_provenance(x);
	blank_provenance(y);
	assert_memory_equal(x, y, nx);
	free(x);
	free(y);
	pk_rs_free(rs);
	pk_arena_free(back->arena);
	pk_diags_free(&d);
}

static void test_decoded_ir_encodes_to_the_same_bytes(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct pk_rulegen_opts o = {.seed = seed, .nrules = 10 * (uint32_t)seed, .ntables = (uint32_t)seed % 4,
					    .legacy = true, .quick_pct = 30};
		struct pk_ir_ruleset *ir = pk_rulegen(&o);
		assert_reencodes_to_the_same_bytes(ir);
		pk_rulegen_free(ir);
	}
}

static char *print_to_string(const struct pk_ir_ruleset *ir)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pk_print_ruleset(f, ir, PK_PRINT_OPTIONS | PK_PRINT_LINES | PK_PRINT_NUMBERS);
	fclose(f);
	return text;
}

static void assert_prints_the_same_after_pkb(const struct pk_ir_ruleset *ir)
{
	struct pk_rs *rs = pk_test_load_rs(ir);
	struct pk_ir_ruleset *back;
	struct pk_diags d;
	pk_diags_init(&d);
	assert_int_equal(pk_pkb_decode(rs, &back, &d), 0);
	char *a = print_to_string(ir), *b = print_to_string(back);
	assert_string_equal(a, b);
	free(a);
	free(b);
	pk_rs_free(rs);
	pk_arena_free(back->arena);
	pk_diags_free(&d);
}

static void test_generated_rulesets_print_the_same_after_pkb(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct pk_rulegen_opts o = {.seed = seed, .nrules = 200, .ntables = 3, .legacy = true, .quick_pct = 30,
					    .owner_pct = 5};
		struct pk_ir_ruleset *ir = pk_rulegen(&o);
		assert_prints_the_same_after_pkb(ir);
		pk_rulegen_free(ir);
	}
}

static const char example_text[] =
	"interface lan0 address 192.168.1.1/24\n"
	"interface wan0 address 203.0.113.2/24\n"
	"route 0.0.0.0/0 via wan0 gateway 203.0.113.1\n"
	"set block-policy return\n"
	"set timeout { tcp.established 3600, udp.single 20 }\n"
	"table <bad> persist { 198.51.100.0/24, !198.51.100.7 }\n"
	"match in on wan0 scrub (no-df random-id max-mss 1440)\n"
	"block log all\n"
	"block drop in quick from <bad>\n"
	"pass in on lan0 from lan0:network to ! self tag LAN\n"
	"pass out on wan0 from (wan0) to any keep state (max 100, tcp.closing 10)\n"
	"pass in on wan0 proto tcp to (wan0) port { 22 443 } synproxy state\n"
	"pass out quick on wan0 proto udp to port 1000:2000 tagged LAN\n"
	"pass in on lan0 proto tcp to port 80 route-to (wan0 203.0.113.1)\n"
	"block return-rst in proto tcp to port 23\n"
	"pass in inet proto icmp icmp-type echoreq label \"ping $nr\"\n"
	"nat on wan0 from lan0:network to any -> (wan0)\n"
	"rdr on wan0 proto tcp to port 8080 -> 192.168.1.10 port 80\n";

static void test_a_written_ruleset_prints_the_same_after_pkb(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok(example_text);
	assert_true(ir->nrules > 10);
	assert_prints_the_same_after_pkb(ir);
	pk_ir_ruleset_free(ir);
}

/* Peers, groups, statements and rule options that change no verdict:
 * data only the printer reads, which the file must still hold. */
static const char carried_text[] =
	"interface em0 address 203.0.113.2/24 group wan\n"
	"interface em1 address 192.168.1.1/24, 2001:db8::1/64 group lan, inside\n"
	"interface tun0 address 10.8.0.1/32 peer 10.8.0.2, 2001:db8:8::2\n"
	"route 0.0.0.0/0 via em0 gateway 203.0.113.1\n"
	"set fingerprints \"/etc/pf.os\"\n"
	"set limit { states 1000, tables 20 }\n"
	"set reassemble yes\n"
	"queue rootq on em0 bandwidth 10M max 10M\n"
	"queue std parent rootq bandwidth 5M default\n"
	"altq on em1 priq bandwidth 1Mb queue { a, b }\n"
	"pass out on wan set prio 3 set queue std ridentifier 5\n"
	"pass in on inside from tun0:peer to any queue std label \"in $nr\"\n"
	"match out on em0 set prio (3, 5)\n"
	"pass in on tun0\n";

static void test_peers_groups_and_carried_text_survive_a_pkb(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok(carried_text);
	assert_int_equal(ir->ifaces[1].ngroups, 2);
	assert_int_equal(ir->ifaces[2].npeers, 2);
	assert_int_equal(ir->ncarried, 5);
	assert_non_null(ir->rules[0].carried);
	assert_prints_the_same_after_pkb(ir);
	assert_reencodes_to_the_same_bytes(ir);
	char *text = print_to_string(ir);
	static const char *const kept[] = {
		" group lan, inside\n", " peer 10.8.0.2, 2001:db8:8::2\n", "\nset limit tables 20\n",
		"\nset reassemble yes\n", "\nqueue std parent rootq bandwidth 5M default\n",
		" set prio 3 set queue std ridentifier 5  #", " set prio (3, 5)  #", "\"in 2\" queue std  #",
	};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!strstr(text, kept[i]))
			fail_msg("'%s' is not printed:\n%s", kept[i], text);
	free(text);
	pk_ir_ruleset_free(ir);
}

/* user and group: the ids as written, for the printer, and what they
 * leave of the rule, for the evaluators. */
static void test_user_and_group_survive_a_pkb(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok("interface em0 address 192.0.2.1/24\n"
						   "block return out log proto {tcp udp} user _pbuild\n"
						   "pass out proto tcp user != unknown group != wheel\n"
						   "pass in proto udp to self group unknown\n");
	struct pk_rs *rs = pk_test_load_rs(ir);
	struct pk_ir_ruleset *back;
	struct pk_diags d;
	pk_diags_init(&d);
	assert_int_equal(pk_pkb_decode(rs, &back, &d), 0);
	assert_int_equal(back->nrules, 4);
	for (uint32_t i = 0; i < back->nrules; i++)
		assert_int_equal(back->rules[i].owner, ir->rules[i].owner);
	assert_string_equal(back->rules[2].user, "!= unknown");
	assert_string_equal(back->rules[2].group, "!= wheel");
	assert_null(back->rules[3].user);
	pk_rs_free(rs);
	pk_arena_free(back->arena);
	pk_diags_free(&d);
	assert_prints_the_same_after_pkb(ir);
	assert_reencodes_to_the_same_bytes(ir);
	pk_ir_ruleset_free(ir);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_encoding_twice_gives_identical_bytes),
	cmocka_unit_test(test_decoded_ir_encodes_to_the_same_bytes),
	cmocka_unit_test(test_generated_rulesets_print_the_same_after_pkb),
	cmocka_unit_test(test_a_written_ruleset_prints_the_same_after_pkb),
	cmocka_unit_test(test_peers_groups_and_carried_text_survive_a_pkb),
	cmocka_unit_test(test_user_and_group_survive_a_pkb),
)
