/* tests/daemon/test_egress.c: routed mode's egress choice and out step: route-to / reply-to, tags carried out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/daemon.h"
#include "runtime/proto.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define SEC 1000000000ull
#define TOPO                                            \
	"interface lan0 address 192.168.1.1/24\n"       \
	"interface opt1 address 10.0.10.1/24\n"         \
	"interface wan0 address 203.0.113.2/24\n"       \
	"interface wan1 address 198.51.100.2/24\n"      \
	"route default via wan0 gateway 203.0.113.1\n"

static struct pk_daemon d; /* no ports opened: the port map alone is what the out step reads */
static size_t blen;
static struct pk_verdict v; /* the in step's verdict on the last packet */
static uint16_t oif;        /* the interface it leaves by */
static uint8_t nh[16];      /* and its next hop */

/* A SYN, and the SYN|ACK answering it. */
static const struct pk_tb_seg syn = {.flags = PK_TH_SYN, .seq = 1};
static const struct pk_tb_seg syn_ack = {.flags = PK_TH_SYN | PK_TH_ACK, .seq = 100, .ack = 2};

static uint16_t ifc(const char *name) { return pk_rs_iface_find(pk_engine_ruleset(d.engine), name); }

static void start(const char *rules)
{
	const struct pk_engine_config cfg = {.seed = 7};
	memset(&d, 0, sizeof(d));
	d.engine = pk_engine_new(pk_test_rules(rules), &cfg);
	assert_non_null(d.engine);
	d.nports = 4;
	d.port_iface[0] = ifc("lan0");
	d.port_iface[1] = ifc("opt1");
	d.port_iface[2] = ifc("wan0");
	d.port_iface[3] = ifc("wan1");
}

PK_TEST_FIXTURE(teardown, pk_engine_free(d.engine))

/* The TCP segment g between e's ends into d.buf, filtered in on iface at
 * t seconds; the verdict in v. */
static uint16_t rcv; /* where the last packet came in: it is forwarded from there */

static bool in(double t, const char *iface, struct pk_tb_ends e, struct pk_tb_seg g)
{
	struct pk_tb s = pk_tb_tcp(e, g);
	blen = pk_tb_build(&s, d.buf, sizeof(d.buf));
	d.now_ns = (uint64_t)(t * SEC);
	rcv = ifc(iface);
	return pk_dp_filter(&d, rcv, PK_DIR_IN, 0, rcv, &blen, &v);
}

/* From the client 192.168.1.10 port sport to dst port dport. */
static struct pk_tb_ends from_client(uint16_t sport, const char *dst, uint16_t dport)
{
	return (struct pk_tb_ends){.src = "192.168.1.10", .sport = sport, .dst = dst, .dport = dport};
}

static void assert_next_hop(const char *text)
{
	uint8_t want[16];
	pk_tb_addr(4, text, want);
	assert_memory_equal(nh, want, 16);
}

static void test_route_to_leaves_by_the_rule_interface_towards_its_gateway(void **st)
{
	(void)st;
	start(TOPO "pass out all\npass in all\npass in on lan0 proto tcp to port 443 route-to (wan1 198.51.100.1)\n");
	assert_true(in(1, "lan0", from_client(4000, "192.0.2.7", 443), syn));
	assert_true(pk_router_egress(pk_engine_ruleset(d.engine), &v, d.buf, &oif, nh));
	assert_int_equal(oif, ifc("wan1"));
	assert_next_hop("198.51.100.1");
	assert_int_equal(pk_router_route(&d, d.buf, &v, &oif, nh), 3);
}

static void test_without_route_to_the_topology_route_decides(void **st)
{
	(void)st;
	start(TOPO "pass out all\npass in all\npass in on lan0 proto tcp to port 443 route-to (wan1 198.51.100.1)\n");
	assert_true(in(1, "lan0", from_client(4000, "192.0.2.7", 80), syn));
	assert_int_equal(v.route, PK_ROUTE_NONE);
	assert_true(pk_router_egress(pk_engine_ruleset(d.engine), &v, d.buf, &oif, nh));
	assert_int_equal(oif, ifc("wan0"));
	assert_next_hop("203.0.113.1");
	/* on a connected network the next hop is the destination itself */
	assert_true(in(2, "lan0", from_client(4001, "10.0.10.5", 443), syn));
	assert_int_equal(pk_router_route(&d, d.buf, NULL, &oif, nh), 1);
	assert_next_hop("10.0.10.5");
}

static void test_route_to_without_gateway_sends_to_the_destination(void **st)
{
	(void)st;
	start(TOPO "pass all\n");
	assert_true(in(1, "lan0", from_client(4000, "192.0.2.7", 443), syn));
	v.route = PK_ROUTE_TO;
	v.route_iface = ifc("wan1");
	memset(v.route_gw, 0, 16);
	assert_true(pk_router_egress(pk_engine_ruleset(d.engine), &v, d.buf, &oif, nh));
	assert_int_equal(oif, ifc("wan1"));
	assert_next_hop("192.0.2.7");
}

static void test_reply_to_sends_the_reply_back_by_the_request_interface(void **st)
{
	const struct pk_tb_ends request = {.src = "192.0.2.7", .sport = 5000, .dst = "10.0.10.5", .dport = 22};
	const struct pk_tb_ends reply = {.src = "10.0.10.5", .sport = 22, .dst = "192.0.2.7", .dport = 5000};
	(void)st;
	start(TOPO "set state-policy floating\npass out all\n"
		   "pass in on wan1 proto tcp to 10.0.10.5 port 22 reply-to (wan1 198.51.100.1)\npass in on opt1 all\n");
	assert_true(in(1, "wan1", request, syn));
	assert_int_equal(pk_router_route(&d, d.buf, &v, &oif, nh), 1); /* the request: the table */
	oif = ifc("opt1");
	assert_int_equal(pk_router_filter_out(&d, &oif, v.tag, rcv, &blen, nh), 1);
	assert_true(in(2, "opt1", reply, syn_ack));
	/* forward4's steps: route by the in verdict, then the out step, where
	 * the floating state's reply-to is met leaving by the default route */
	assert_true(pk_router_route(&d, d.buf, &v, &oif, nh) >= 0);
	assert_int_equal(pk_router_filter_out(&d, &oif, v.tag, rcv, &blen, nh), 3);
	assert_int_equal(oif, ifc("wan1"));
	assert_next_hop("198.51.100.1");
}

static void test_out_step_carries_the_tag_of_the_in_step(void **st)
{
	const struct pk_tb_ends untagged = {.src = "10.0.10.5", .sport = 4000, .dst = "192.0.2.7", .dport = 443};
	(void)st;
	start(TOPO "block out all\npass out on wan0 tagged LAN\npass in on lan0 tag LAN\npass in on opt1\n");
	assert_true(in(1, "lan0", from_client(4000, "192.0.2.7", 443), syn));
	assert_int_not_equal(v.tag, 0);
	assert_int_equal(pk_router_route(&d, d.buf, &v, &oif, nh), 2);
	assert_int_equal(pk_router_filter_out(&d, &oif, v.tag, rcv, &blen, nh), 2);
	/* untagged traffic from opt1 meets the block */
	assert_true(in(2, "opt1", untagged, syn));
	assert_int_equal(v.tag, 0);
	assert_int_equal(pk_router_route(&d, d.buf, &v, &oif, nh), 2);
	assert_int_equal(pk_router_filter_out(&d, &oif, v.tag, rcv, &blen, nh), -1);
}

static void test_route_to_met_on_the_way_out_moves_the_packet(void **st)
{
	(void)st;
	start(TOPO "pass in all\npass out on wan0 proto tcp route-to (wan1 198.51.100.1)\npass out on wan1\n");
	assert_true(in(1, "lan0", from_client(4000, "192.0.2.7", 443), syn));
	assert_int_equal(pk_router_route(&d, d.buf, &v, &oif, nh), 2);
	assert_int_equal(pk_router_filter_out(&d, &oif, v.tag, rcv, &blen, nh), 3);
	assert_int_equal(oif, ifc("wan1"));
	assert_next_hop("198.51.100.1");
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_route_to_leaves_by_the_rule_interface_towards_its_gateway, teardown),
	cmocka_unit_test_teardown(test_without_route_to_the_topology_route_decides, teardown),
	cmocka_unit_test_teardown(test_route_to_without_gateway_sends_to_the_destination, teardown),
	cmocka_unit_test_teardown(test_reply_to_sends_the_reply_back_by_the_request_interface, teardown),
	cmocka_unit_test_teardown(test_out_step_carries_the_tag_of_the_in_step, teardown),
	cmocka_unit_test_teardown(test_route_to_met_on_the_way_out_moves_the_packet, teardown),
)
