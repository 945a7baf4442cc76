/* tests/runtime/test_replay_nat.c: translations taken from the capture (runtime/replay_nat.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/proto.h"
#include "runtime/replay.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define SEC 1000000000ull
/* Outbound NAT without static-port: the engine draws a port from 50001:65535. */
#define RULES                                             \
	"interface lan0 address 192.168.1.1/24\n"         \
	"interface wan0 address 203.0.113.2/24\n"         \
	"route default via wan0 gateway 203.0.113.1\n"    \
	"block all\n"                                     \
	"pass in on lan0\n"                               \
	"pass out on wan0 from 192.168.1.0/24 to any nat-to (wan0)\n"
#define CLIENT_PORT 40000 /* a Linux masquerade keeps it; pf would never draw it */

static struct pk_replay rp;
static uint8_t buf[2048];
static size_t blen;
static struct pk_replay_result r;

static void start(void) { assert_int_equal(pk_replay_init(&rp, pk_test_rules(RULES), 7), 0); }

PK_TEST_FIXTURE(teardown, pk_replay_fini(&rp))

static uint16_t ifc(const char *name) { return pk_rs_iface_find(rp.rs, name); }

static void run(const struct pk_tb *s, double t, const char *iface)
{
	blen = pk_tb_build(s, buf, sizeof buf);
	pk_replay_packet(&rp, (uint64_t)(t * SEC), ifc(iface), buf, &blen, sizeof buf, &r);
}

/* The capture's copy of s leaving wan0 as the firewall translated it. */
static void leaves(struct pk_tb s, double t, const char *src, uint16_t sport)
{
	uint8_t copy[2048];
	s.src = src;
	s.sport = sport;
	s.ttl = 63;
	size_t n = pk_tb_build(&s, copy, sizeof copy);
	pk_replay_outgoing(&rp, (uint64_t)(t * SEC), ifc("wan0"), copy, n);
}

static struct pk_tb syn(void)
{
	return pk_tb_tcp((struct pk_tb_ends){"192.168.1.10", CLIENT_PORT, "198.51.100.7", 80},
			 (struct pk_tb_seg){.flags = PK_TH_SYN, .seq = 1000});
}

static struct pk_tb synack_to(uint16_t port)
{
	return pk_tb_tcp((struct pk_tb_ends){"198.51.100.7", 80, "203.0.113.2", port},
			 (struct pk_tb_seg){.flags = PK_TH_SYN | PK_TH_ACK, .seq = 5000, .ack = 1001});
}

static uint16_t translated_sport(void) { return pk_get16(buf + 20); }

/* The firewall kept the client's port; the engine drew another: the
 * capture's copy moves the state, and the server's reply passes, back to
 * the client's port. */
static void test_reply_passes_when_the_capture_shows_another_port(void **st)
{
	(void)st;
	start();
	struct pk_tb s = syn();
	run(&s, 1, "lan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_not_equal(translated_sport(), CLIENT_PORT);
	leaves(s, 1.00001, "203.0.113.2", CLIENT_PORT);
	assert_int_equal(rp.nat.adopted, 1);
	struct pk_tb back = synack_to(CLIENT_PORT);
	run(&back, 1.001, "wan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(r.out.iface, ifc("lan0"));
	assert_int_equal(pk_get16(buf + 22), CLIENT_PORT);
	pk_replay_finish(&rp);
	assert_int_equal(rp.nat.drawn, 1);
	assert_int_equal(rp.nat.unseen, 0);
}

/* Without the copy the engine's draw stands: the reply to the firewall's
 * port misses, and the translation is counted as not in the capture. */
static void test_without_the_copy_the_translation_is_counted_unpredictable(void **st)
{
	(void)st;
	start();
	struct pk_tb s = syn();
	run(&s, 1, "lan0");
	struct pk_tb back = synack_to(CLIENT_PORT);
	run(&back, 1.001, "wan0");
	assert_int_equal(r.kind, PK_V_BLOCK);
	pk_replay_finish(&rp);
	assert_int_equal(rp.nat.drawn, 1);
	assert_int_equal(rp.nat.adopted, 0);
	assert_int_equal(rp.nat.unseen, 1);
}

/* A copy that shows the engine's own draw changes nothing. */
static void test_a_copy_with_the_engines_draw_agrees(void **st)
{
	(void)st;
	start();
	struct pk_tb s = syn();
	run(&s, 1, "lan0");
	uint16_t drawn = translated_sport();
	leaves(s, 1.00001, "203.0.113.2", drawn);
	struct pk_tb back = synack_to(drawn);
	run(&back, 1.001, "wan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(rp.nat.agreed, 1);
	assert_int_equal(rp.nat.adopted, 0);
}

/* Another connection's packet (another sequence number) is no copy. */
static void test_a_packet_of_another_connection_is_not_taken_for_the_copy(void **st)
{
	(void)st;
	start();
	struct pk_tb s = syn();
	run(&s, 1, "lan0");
	struct pk_tb other = s;
	other.seq = 777;
	leaves(other, 1.00001, "203.0.113.2", CLIENT_PORT);
	assert_int_equal(rp.nat.adopted, 0);
	pk_replay_finish(&rp);
	assert_int_equal(rp.nat.unseen, 1);
}

/* UDP: the datagram's copy names the port, the answer passes. */
static void test_udp_reply_passes_with_the_captured_port(void **st)
{
	(void)st;
	start();
	struct pk_tb q = pk_tb_udp((struct pk_tb_ends){"192.168.1.10", 5353, "198.51.100.7", 53}, 30);
	run(&q, 1, "lan0");
	assert_int_equal(r.kind, PK_V_PASS);
	leaves(q, 1.00001, "203.0.113.2", 5353);
	struct pk_tb a = pk_tb_udp((struct pk_tb_ends){"198.51.100.7", 53, "203.0.113.2", 5353}, 60);
	run(&a, 1.01, "wan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(pk_get16(buf + 22), 5353);
	assert_int_equal(rp.nat.adopted, 1);
}

/* A copy that comes more than a second late is not taken. */
static void test_a_late_copy_is_not_taken(void **st)
{
	(void)st;
	start();
	struct pk_tb s = syn();
	run(&s, 1, "lan0");
	leaves(s, 3, "203.0.113.2", CLIENT_PORT);
	assert_int_equal(rp.nat.adopted, 0);
	assert_int_equal(rp.nat.unseen, 1);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_reply_passes_when_the_capture_shows_another_port, teardown),
	cmocka_unit_test_teardown(test_without_the_copy_the_translation_is_counted_unpredictable, teardown),
	cmocka_unit_test_teardown(test_a_copy_with_the_engines_draw_agrees, teardown),
	cmocka_unit_test_teardown(test_a_packet_of_another_connection_is_not_taken_for_the_copy, teardown),
	cmocka_unit_test_teardown(test_udp_reply_passes_with_the_captured_port, teardown),
	cmocka_unit_test_teardown(test_a_late_copy_is_not_taken, teardown),
)
