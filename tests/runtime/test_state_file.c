/*
 * tests/runtime/test_state_file.c: saving the state table and restoring it
 * into a new engine (runtime/state_file.c): connections go on where they
 * were, translations and source nodes included; a file of another ruleset,
 * a damaged one or one with values out of range restores nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/engine.h"
#include "runtime/proto.h"
#include "runtime/sha256.h"
#include "runtime/state_file.h"
#include "tests/support/engtest.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

#define CL "192.168.1.50"
#define NASIP "10.0.10.5"
#define SSH_RULES PK_ET_TOPO "block all\npass in on lan0 proto tcp to port 22 keep state (max-src-states 10)\n"
#define NAT_RULES PK_ET_TOPO "pass out on wan0 from lan0:network nat-to 203.0.113.2\npass in on lan0 all\n"
#define HEADER 64  /* bytes before the first record */
#define RECORD 200 /* bytes of a record */

static const struct pk_tb_ends ssh = {.src = CL, .sport = 40000, .dst = NASIP, .dport = 22};
static const struct pk_tb_ends ssh_back = {.src = NASIP, .sport = 22, .dst = CL, .dport = 40000};
static char path[64];

PK_TEST_FIXTURE(setup, pk_test_tmp_path(path, sizeof(path), "states"))

static int teardown(void **state)
{
	unlink(path);
	return pk_et_teardown(state);
}

/* Save et's engine at t seconds (wall clock wall_s), then replace it with a
 * new engine of rules; returns what restoring into it at t2 seconds (wall
 * clock wall2_s) gave, err filled when refused. */
static int save_and_restart(double t, double wall_s, const char *rules, double t2, double wall2_s,
			    struct pk_state_restore *r, struct pk_err *err)
{
	struct pk_engine_config cfg = {.seed = 7};
	uint32_t n;

	assert_int_equal(pk_engine_save_states(et.eng, path, (uint64_t)(t * PK_ET_SEC), (uint64_t)(wall_s * 1000),
					       &n, err),
			 0);
	assert_int_equal(n, pk_engine_counters(et.eng)->states_current);
	pk_engine_free(et.eng);
	et.eng = pk_engine_new(pk_test_rules(rules), &cfg);
	assert_non_null(et.eng);
	return pk_engine_restore_states(et.eng, path, (uint64_t)(t2 * PK_ET_SEC), (uint64_t)(wall2_s * 1000), r, err);
}

/* An ssh connection through et's engine, saved at t and restored at t2. */
static int ssh_restarted(double t, double wall_s, double t2, double wall2_s, struct pk_state_restore *r,
			 struct pk_err *err)
{
	pk_et_start(SSH_RULES);
	assert_int_equal(pk_et_handshake(1, et.lan, ssh), PK_V_PASS);
	return save_and_restart(t, wall_s, SSH_RULES, t2, wall2_s, r, err);
}

static void test_established_connection_goes_on_after_a_restore(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	(void)state;
	/* the new engine's clock is another process's: only ages carry over */
	assert_int_equal(ssh_restarted(5, 1000, 50000, 1002, &r, &err), 0);
	uint32_t id = et.v.state_id; /* the handshake's, the last packet run */
	assert_int_equal(r.saved, 1);
	assert_int_equal(r.restored, 1);
	assert_int_equal(r.gap_ms, 2000);
	assert_int_equal(pk_et_tcp(50000, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 101, .ack = 901, .payload = 100}),
			 PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(et.v.state_id, id);
	assert_int_equal(et.v.src_after, 4); /* TCPS_ESTABLISHED */
	/* the window tracking came along: a segment far outside it is refused */
	assert_int_equal(pk_et_tcp(50000, et.lan, PK_DIR_OUT, ssh_back,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 901 + 500000, .ack = 201, .payload = 100}),
			 PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_MISMATCH);
	/* a new state gets a new id */
	assert_int_equal(pk_et_handshake(50001, et.lan, (struct pk_tb_ends){CL, 40001, NASIP, 22}), PK_V_PASS);
	assert_true(et.v.state_id > id);
}

static void test_without_the_states_the_connection_is_blocked(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	(void)state;
	assert_int_equal(ssh_restarted(5, 1000, 6, 1001, &r, &err), 0);
	assert_int_equal(pk_engine_kill_states(et.eng, &(struct pk_state_filter){0}), 1);
	assert_int_equal(pk_et_tcp(6, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 101, .ack = 901, .payload = 100}),
			 PK_V_BLOCK);
}

static void collect(void *ctx, const struct pk_state_info *s)
{
	*(struct pk_state_info *)ctx = *s;
}

static void test_translated_state_keeps_both_keys_and_counters(void **state)
{
	struct pk_state_info before, after;
	struct pk_state_restore r;
	struct pk_err err;
	const struct pk_tb_ends web = {CL, 50000, "198.51.100.7", 443};
	(void)state;
	pk_et_start(NAT_RULES);
	assert_int_equal(pk_et_tcp(1, et.wan, PK_DIR_OUT, web, pk_et_syn), PK_V_PASS);
	assert_true(et.v.translated);
	pk_engine_states(et.eng, collect, &before);
	assert_int_equal(save_and_restart(2, 10, NAT_RULES, 3, 11, &r, &err), 0);
	assert_int_equal(r.restored, 1);
	pk_engine_states(et.eng, collect, &after);
	assert_memory_equal(after.src, before.src, 16);
	assert_memory_equal(after.nat_src, before.nat_src, 16);
	assert_int_equal(after.nat_sport, before.nat_sport);
	assert_int_equal(after.packets[0], before.packets[0]);
	assert_int_equal(after.bytes[0], before.bytes[0]);
	assert_int_equal(after.rule, before.rule);
	/* the answer to the translated address is translated back */
	assert_int_equal(pk_et_tcp(3, et.wan, PK_DIR_IN,
				   (struct pk_tb_ends){"198.51.100.7", 443, "203.0.113.2", before.nat_sport},
				   (struct pk_tb_seg){.flags = PK_TH_SYN | PK_TH_ACK, .seq = 900, .ack = 101}),
			 PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_true(et.v.translated);
}

static void test_source_node_limits_count_restored_states(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	const char *rules = PK_ET_TOPO "block all\npass in on lan0 proto tcp to port 22 keep state (max-src-states 2)\n";
	(void)state;
	pk_et_start(rules);
	assert_int_equal(pk_et_handshake(1, et.lan, ssh), PK_V_PASS);
	assert_int_equal(pk_et_handshake(1, et.lan, (struct pk_tb_ends){CL, 40001, NASIP, 22}), PK_V_PASS);
	assert_int_equal(save_and_restart(2, 10, rules, 3, 11, &r, &err), 0);
	assert_int_equal(r.restored, 2);
	assert_int_equal(pk_et_tcp(3, et.lan, PK_DIR_IN, (struct pk_tb_ends){CL, 40002, NASIP, 22}, pk_et_syn),
			 PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
}

static void test_states_that_expired_meanwhile_are_left_out(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	const char *rules = PK_ET_TOPO "pass in on lan0 proto udp all\n";
	(void)state;
	pk_et_start(rules);
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_IN, (struct pk_tb_ends){CL, 1000, NASIP, 53}), PK_V_PASS);
	/* udp.first is 60 s: two minutes without picketd outlive it */
	assert_int_equal(save_and_restart(2, 10, rules, 3, 130, &r, &err), 0);
	assert_int_equal(r.saved, 1);
	assert_int_equal(r.expired, 1);
	assert_int_equal(r.restored, 0);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

static void test_another_ruleset_restores_nothing(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	(void)state;
	pk_et_start(SSH_RULES);
	assert_int_equal(pk_et_handshake(1, et.lan, ssh), PK_V_PASS);
	assert_int_equal(save_and_restart(2, 10, SSH_RULES "pass in on lan0 proto udp all\n", 3, 11, &r, &err), -1);
	assert_non_null(strstr(err.msg, "another ruleset"));
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

/* Rewrite the byte at off of the saved file to v; with resum, the trailing
 * checksum is made right again, so only the record check can catch it. */
static void patch(long off, uint8_t v, bool resum)
{
	FILE *f = fopen(path, "r+b");
	uint8_t buf[HEADER + 4 * RECORD + 32], sum[32];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	buf[off] = v;
	if (resum) {
		pk_sha256(buf, n - 32, sum);
		memcpy(buf + n - 32, sum, 32);
	}
	rewind(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
}

/* Restoring file into et's engine is refused with a message holding fragment. */
static void expect_restore_refused(const char *file, const char *fragment)
{
	struct pk_state_restore r;
	struct pk_err err;
	assert_int_equal(pk_engine_restore_states(et.eng, file, 3 * PK_ET_SEC, 11000, &r, &err), -1);
	if (!strstr(err.msg, fragment))
		fail_msg("expected '%s' in: %s", fragment, err.msg);
}

static void test_damaged_or_out_of_range_files_restore_nothing(void **state)
{
	struct pk_state_restore r;
	struct pk_err err;
	struct pk_engine_config cfg = {.seed = 7};
	(void)state;
	assert_int_equal(ssh_restarted(2, 10, 3, 11, &r, &err), 0);
	patch(HEADER + 100, 0x5a, false);
	pk_engine_free(et.eng);
	et.eng = pk_engine_new(pk_test_rules(SSH_RULES), &cfg);
	expect_restore_refused(path, "checksum mismatch");
	/* the record's address family (byte 182 of it) set to 9 */
	patch(HEADER + 182, 9, true);
	expect_restore_refused(path, "out of range");
	assert_int_equal(truncate(path, HEADER + 10), 0);
	expect_restore_refused(path, "truncated");
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

static void test_missing_file_says_so(void **state)
{
	(void)state;
	pk_et_start(SSH_RULES);
	expect_restore_refused("/nonexistent/states", "No such file");
}

PK_TEST_MAIN_GROUP(setup, NULL,
	cmocka_unit_test_teardown(test_established_connection_goes_on_after_a_restore, teardown),
	cmocka_unit_test_teardown(test_without_the_states_the_connection_is_blocked, teardown),
	cmocka_unit_test_teardown(test_translated_state_keeps_both_keys_and_counters, teardown),
	cmocka_unit_test_teardown(test_source_node_limits_count_restored_states, teardown),
	cmocka_unit_test_teardown(test_states_that_expired_meanwhile_are_left_out, teardown),
	cmocka_unit_test_teardown(test_another_ruleset_restores_nothing, teardown),
	cmocka_unit_test_teardown(test_damaged_or_out_of_range_files_restore_nothing, teardown),
	cmocka_unit_test_teardown(test_missing_file_says_so, teardown),
)
