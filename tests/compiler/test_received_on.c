/* tests/compiler/test_received_on.c: received-on (compiler/resolve_rcv.c):
 * parsed, a group expanded one rule per interface as `on` does, printed
 * back, and evaluated by the reference evaluator as pf does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"
#include "verify/eval.h"

#define TOPO                                          \
	"interface em0 address 192.0.2.1/24\n"        \
	"interface gre0 address 10.9.0.1/30\n"        \
	"interface gre1 address 10.9.1.1/30\n"

static void test_received_on_prints_back(void **state)
{
	(void)state;
	pk_test_expect_print(TOPO "match out on em0 from 10.0.0.0/8 received-on gre0 nat-to 192.0.2.1\n",
			     "match out on em0 inet from 10.0.0.0/8 to any received-on gre0 nat-to 192.0.2.1\n");
	pk_test_expect_print(TOPO "pass in received-on ! em0\n", "pass in all flags S/SA received-on ! em0\n");
	pk_test_expect_print("pass in all flags S/SA received-on ! em0\n", "pass in all flags S/SA received-on ! em0\n");
	pk_test_expect_no_diag(TOPO "pass out received-on gre0\n", "unsupported");
}

static void test_a_group_stands_for_each_of_its_interfaces(void **state)
{
	(void)state;
	pk_test_expect_print(TOPO "block out on em0 received-on gre\n",
			     "block drop out on em0 all received-on gre0\nblock drop out on em0 all received-on gre1\n");
	pk_test_expect_diag(TOPO "block out received-on ! gre\n", "warning: unsupported: received-on ! GROUP");
	pk_test_expect_diag("pass out received-on tun7\n", "received-on matches it by name only");
}

static struct pk_vpkt out_packet(const char *rcvif)
{
	struct pk_vpkt p = {.af = PK_AF_INET, .proto = 6, .dir = PK_DIR_OUT, .flags = 2, .dport = 80,
			    .ifname = "em0", .rcvif = rcvif};
	p.src[0] = 10, p.src[3] = 5;
	p.dst[0] = 198, p.dst[1] = 51, p.dst[2] = 100, p.dst[3] = 7;
	return p;
}

/* pf: an outbound packet matches when the firewall received it on the
 * interface (it forwards it); its own packets were received on none, so
 * only `received-on ! IF` matches them. Inbound: the interface it is on. */
static void test_received_on_matches_where_a_forwarded_packet_came_in(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok(TOPO "pass out received-on gre0\npass out received-on ! gre0\n");
	const struct pk_vpkt fwd = out_packet("gre0"), other = out_packet("gre1"), own = out_packet(NULL);
	assert_true(pk_eval_match(rs, &rs->rules[0], &fwd));
	assert_false(pk_eval_match(rs, &rs->rules[1], &fwd));
	assert_false(pk_eval_match(rs, &rs->rules[0], &other));
	assert_true(pk_eval_match(rs, &rs->rules[1], &other));
	assert_false(pk_eval_match(rs, &rs->rules[0], &own));
	assert_true(pk_eval_match(rs, &rs->rules[1], &own));
	struct pk_vpkt in = fwd;
	in.dir = PK_DIR_IN;
	in.ifname = "gre0";
	in.rcvif = NULL;
	pk_ir_ruleset_free(rs);
	rs = pk_test_load_ok(TOPO "pass in received-on gre0\n");
	assert_true(pk_eval_match(rs, &rs->rules[0], &in));
	in.ifname = "em0";
	assert_false(pk_eval_match(rs, &rs->rules[0], &in));
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(cmocka_unit_test(test_received_on_prints_back),
	     cmocka_unit_test(test_a_group_stands_for_each_of_its_interfaces),
	     cmocka_unit_test(test_received_on_matches_where_a_forwarded_packet_came_in))
