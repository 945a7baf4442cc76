/*
 * tests/runtime/test_scrub.c: normalisation (runtime/scrub.c) through the
 * engine: TCP flag sanity, no-df, random-id, min-ttl, max-mss.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/packet.h"
#include "tests/support/engtest.h"
#include "tests/support/testmain.h"

#define CL "192.168.1.50"
#define SRV "10.0.10.5"

/* The client's ssh connection to the server. */
static const struct pk_tb_ends ssh = {.src = CL, .sport = 40000, .dst = SRV, .dport = 22};

/* A segment with these flags (sequence 1) from the client to the server's ssh port. */
static uint8_t segment_with(uint8_t flags)
{
	const struct pk_tb_ends e = {.src = CL, .sport = 1, .dst = SRV, .dport = 22};

	return pk_et_tcp(0, et.lan, PK_DIR_IN, e, (struct pk_tb_seg){.flags = flags, .seq = 1});
}

/* A datagram from the client to the server's port. */
static struct pk_tb_ends to_port(uint16_t port)
{
	return (struct pk_tb_ends){.src = CL, .sport = 5000, .dst = SRV, .dport = port};
}

static void test_syn_fin_loses_its_fin(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	assert_int_equal(segment_with(PK_TH_SYN | PK_TH_FIN), PK_V_PASS);
	assert_true(et.v.translated);
	assert_int_equal(pk_pkt_parse(et.buf, et.blen, &p), PK_REASON_NONE);
	assert_int_equal(p.th_flags, PK_TH_SYN);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

static void test_fin_without_ack_is_normalize(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	assert_int_equal(segment_with(PK_TH_FIN), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_NORMALIZE);
	assert_int_equal(segment_with(0), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_NORMALIZE);
}

static void test_match_scrub_options_apply_to_the_state(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, SRV);
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "match in all scrub (no-df random-id min-ttl 30 max-mss 1400)\npass all\n");
	s.sport = 40000, s.dport = 22, s.flags = PK_TH_SYN, s.seq = 1, s.mss = 1460, s.df = true, s.ttl = 5;
	s.ip_id = 4242;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	assert_true(et.v.translated);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
	assert_int_equal(pk_pkt_parse(et.buf, et.blen, &p), PK_REASON_NONE);
	assert_false(p.df);
	assert_int_equal(p.ttl, 30);
	assert_int_equal(p.opt.mss, 1400);
	assert_int_not_equal(p.frag_id, 4242);
}

static void test_max_mss_leaves_smaller_mss_alone(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, SRV);
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "match in all scrub (max-mss 1400)\npass all\n");
	s.sport = 40000, s.dport = 22, s.flags = PK_TH_SYN, s.seq = 1, s.mss = 1200;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	assert_int_equal(pk_pkt_parse(et.buf, et.blen, &p), PK_REASON_NONE);
	assert_int_equal(p.opt.mss, 1200);
	assert_false(et.v.translated);
}

static void test_sloppy_state_passes_what_full_tracking_blocks(void **state)
{
	/* the client's ACK of a SYN|ACK it saw, then data far beyond the server's window */
	const struct pk_tb_seg ack = {.flags = PK_TH_ACK, .seq = 101, .ack = 5001};
	const struct pk_tb_seg beyond = {.flags = PK_TH_ACK, .seq = 900101, .ack = 5001, .payload = 100};

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all keep state (sloppy)\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, ssh, pk_et_syn), PK_V_PASS);
	/* the SYN|ACK took another path (asymmetric routing): only the client's side is seen */
	assert_int_equal(pk_et_tcp(0.1, et.lan, PK_DIR_IN, ssh, ack), PK_V_PASS);
	assert_int_equal(et.v.src_after, 4);
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_IN, ssh, beyond), PK_V_PASS);
	pk_et_teardown(NULL);
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all keep state\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, ssh, pk_et_syn), PK_V_PASS);
	assert_int_equal(pk_et_tcp(0.1, et.lan, PK_DIR_IN, ssh, ack), PK_V_PASS);
	assert_int_equal(et.v.src_after, 2); /* still SYN_SENT: full tracking waits for the server */
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_IN, ssh, beyond), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_MISMATCH);
}

static void test_modulate_state_rewrites_the_isn(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, SRV);

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all modulate state\n");
	s.sport = 40000, s.dport = 22, s.flags = PK_TH_SYN, s.seq = 100;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	assert_true(et.v.translated);
	assert_int_not_equal(pk_get32(et.buf + 24), 100);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

/* States share their scrub options through a table of 1,024 distinct sets:
 * a state needing another one is refused with `memory`, as pf refuses a
 * state it has no memory for, and the sets come back with their states. */
static void test_state_with_one_scrub_set_too_many_is_refused_for_memory(void **state)
{
	enum { SETS = 1025 };
	size_t cap = sizeof(PK_ET_TOPO) + SETS * 64, n;
	char *rules = malloc(cap);
	struct pk_state_filter all;
	uint16_t port;

	(void)state;
	assert_non_null(rules);
	n = (size_t)snprintf(rules, cap, "%s", PK_ET_TOPO);
	for (port = 1; port <= SETS; port++)
		n += (size_t)snprintf(rules + n, cap - n, "match in proto udp to port %u scrub (max-mss %u)\n", port,
				      600u + port);
	snprintf(rules + n, cap - n, "pass all\n");
	pk_et_start(rules);
	free(rules);
	for (port = 1; port < SETS; port++)
		assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, to_port(port)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, to_port(SETS)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_MEMORY);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, to_port(2000)), PK_V_PASS); /* no options */
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, to_port(1)), PK_V_PASS);    /* a shared set */
	memset(&all, 0, sizeof(all));
	assert_int_equal(pk_engine_kill_states(et.eng, &all), SETS);
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_IN, to_port(SETS)), PK_V_PASS);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_syn_fin_loses_its_fin, pk_et_teardown),
	cmocka_unit_test_teardown(test_fin_without_ack_is_normalize, pk_et_teardown),
	cmocka_unit_test_teardown(test_match_scrub_options_apply_to_the_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_max_mss_leaves_smaller_mss_alone, pk_et_teardown),
	cmocka_unit_test_teardown(test_sloppy_state_passes_what_full_tracking_blocks, pk_et_teardown),
	cmocka_unit_test_teardown(test_modulate_state_rewrites_the_isn, pk_et_teardown),
	cmocka_unit_test_teardown(test_state_with_one_scrub_set_too_many_is_refused_for_memory, pk_et_teardown),
)
