/* tests/compiler/test_print.c: the printer is the parser's inverse: a
 * printed ruleset parses back to rules that print the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/golden.h"
#include "tests/support/testmain.h"

#define PK_ALL (PK_PRINT_OPTIONS)

static void assert_round_trip(const char *text, const char *what)
{
	char *once = pk_test_print(text, PK_ALL);
	if (!once)
		fail_msg("%s does not load", what);
	char *twice = pk_test_print(once, PK_ALL);
	if (!twice)
		fail_msg("%s: printed form does not load:\n%s", what, once);
	if (strcmp(once, twice))
		fail_msg("%s: round trip differs:\n--- first\n%s--- second\n%s", what, once, twice);
	free(once);
	free(twice);
}

static void test_every_construct_round_trips(void **state)
{
	(void)state;
	assert_round_trip("interface lan0 address 192.168.1.1/24, fd00::1/64 mac 00:11:22:33:44:55\n"
			  "interface wan0 address 203.0.113.2/24\n"
			  "route default via wan0 gateway 203.0.113.1\n"
			  "route 10.0.0.0/8 via lan0\n"
			  "set optimization high-latency\nset timeout { tcp.first 10, udp.single 5 }\n"
			  "set limit states 2000\nset block-policy return\nset state-policy floating\n"
			  "set skip on lo0\nset debug urgent\nset hostid 9\nset loginterface wan0\n"
			  "table <bad> persist const { 10.0.0.1, !10.0.0.2, 172.16.0.0/12 }\n"
			  "table <f> file \"tests/compiler/golden/blocklist.txt\"\n"
			  "match in all scrub (no-df random-id min-ttl 5 max-mss 1400 reassemble tcp)\n"
			  "block return-rst(ttl 9) in log (all) quick on ! lan0 inet proto tcp from <bad> port 1:9 to "
			  "lan0:network port 2 >< 9\n"
			  "block return-icmp(host-unr, addr-unr) out all\nblock return-icmp6(port-unr) inet6 all\n"
			  "pass in on { lan0 wan0 } proto icmp from 1.1.1.1 - 1.1.1.5 icmp-type { echoreq, unreach code 3 }\n"
			  "pass in inet6 proto icmp6 icmp6-type neighbrsol tos 0x10 allow-opts\n"
			  "pass in proto tcp to (wan0) port 80 modulate state (max 5, no-sync, pflow, floating, sloppy, "
			  "overload <bad> flush global, max-src-nodes 4, max-src-states 3, max-src-conn 2, "
			  "tcp.established 99) probability 25% tag T label \"l $nr\"\n"
			  "pass in to self ! tagged T keep state (if-bound)\n"
			  "match out on wan0 inet from lan0:network nat-to (wan0) port 1024:65535 source-hash\n"
			  "match in on wan0 proto tcp to wan0 port 2222 rdr-to 192.168.1.10 port 22\n"
			  "match on wan0 from 192.168.1.10 binat-to 203.0.113.10\n"
			  "pass out on lan0 route-to 192.168.1.254 random\npass in reply-to (wan0)\n"
			  "pass in dup-to { 192.168.1.7, 192.168.1.8 }\n"
			  "nat on wan0 from 192.168.1.0/24 -> 203.0.113.2\nno nat on wan0 from 192.168.1.9\n"
			  "rdr pass on wan0 proto tcp to port 80 -> 192.168.1.10 port 8080\n"
			  "binat on wan0 from 192.168.1.11 -> 203.0.113.11\nscrub in on wan0 all no-df fragment reassemble\n"
			  "pass from no-route to urpf-failed label \"say \\\"hi\\\" \\\\ bye\"\n",
			  "inline ruleset");
}

/* The rule's probability after loading text, and the text printed. */
static uint32_t load_probability(const char *text, char **printed)
{
	struct pk_ir_ruleset *rs = pk_test_load_ok(text);
	if (rs->nrules != 1)
		fail_msg("'%s' does not load as one rule", text);
	uint32_t p = rs->rules[0].probability;
	*printed = pk_test_print_rs(rs, 0);
	pk_ir_ruleset_free(rs);
	return p;
}

static void test_probability_with_state_options_parses_back_to_the_same_rule(void **state)
{
	(void)state;
	static const char *const rules[] = {
		"pass in proto tcp keep state (max 10, source-track rule) probability 0.0001%\n",
		"pass in proto tcp probability 33.333% modulate state (max 3)\n",
		"pass in proto udp keep state (max-src-states 2) probability 99.99999%\n",
		"match in proto tcp synproxy state (max 5) probability 0.5\n",
		"block in proto tcp keep state (max 5) probability 1e-7\n",
	};
	for (size_t i = 0; i < PK_NELEMS(rules); i++) {
		char *once, *twice;
		uint32_t p = load_probability(rules[i], &once);
		uint32_t q = load_probability(once, &twice);
		if (p != q || strcmp(once, twice))
			fail_msg("'%s' printed as '%s' loads back with probability %u, not %u (printed '%s')", rules[i],
				 once, q, p, twice);
		free(once);
		free(twice);
	}
}

static void test_probability_prints_as_pfctl_writes_it(void **state)
{
	(void)state;
	char *printed;
	load_probability("pass in all probability 50%\n", &printed);
	if (!strstr(printed, " probability 50%"))
		fail_msg("printed as '%s'", printed);
	free(printed);
}

static void round_trip_file(const char *path, const char *name, void *ctx)
{
	char *text = pk_test_slurp(path);

	(void)name, (void)ctx;
	assert_non_null(text);
	assert_round_trip(text, path);
	free(text);
}

static void round_trip_dir(const char *dir, const char *suffix)
{
	assert_true(pk_test_each_file(dir, suffix, round_trip_file, NULL) > 0);
}

static void test_examples_round_trip(void **state)
{
	(void)state;
	round_trip_dir("examples", ".conf");
}

static void test_golden_inputs_that_load_round_trip(void **state)
{
	(void)state;
	round_trip_dir("tests/compiler/golden", "-ok.conf");
}

PK_TEST_MAIN(
	cmocka_unit_test(test_every_construct_round_trips),
	cmocka_unit_test(test_examples_round_trip),
	cmocka_unit_test(test_probability_with_state_options_parses_back_to_the_same_rule),
	cmocka_unit_test(test_probability_prints_as_pfctl_writes_it),
	cmocka_unit_test(test_golden_inputs_that_load_round_trip),
)
