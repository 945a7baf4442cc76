/*
 * tests/runtime/test_state.c: the state table (runtime/state.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/ruleset.h"
#include "runtime/state.h"
#include "tests/support/pktbuild.h"
#include "tests/support/testmain.h"

static uint8_t A[16], B[16], N[16], A6[16], B6[16], N6[16];

/* One end of a connection: an address of family af, and a port. */
struct end {
	uint8_t af;
	const uint8_t *addr;
	uint16_t port;
};

/* The ends of the connection most tests keep, a:1234 to b:80, and the NAT
 * address n:50000 it may be translated to; a6, b6 and n6 in IPv6. */
static const struct end a = {4, A, 1234}, b = {4, B, 80}, n = {4, N, 50000};
static const struct end a6 = {6, A6, 1234}, b6 = {6, B6, 80}, n6 = {6, N6, 50000};

static struct pk_state_table t;

/* e with another port. */
static struct end at(struct end e, uint16_t port)
{
	e.port = port;
	return e;
}

/* Inserts the state of a TCP connection from `from` to `to`, in direction
 * dir on iface, translated to *nat on the wire (nat NULL: not translated).
 * Returns its slot, or PK_ST_NONE when the table refused it. */
static uint32_t add(struct end from, struct end to, uint8_t dir, uint16_t iface, const struct end *nat)
{
	uint32_t i = pk_st_alloc(&t);
	struct pk_skey keys[2];
	struct pk_state *s;

	if (i == PK_ST_NONE)
		return i;
	s = &t.st[i];
	memset(keys, 0, sizeof(keys));
	s->af = from.af, s->proto = 6, s->dir = dir, s->iface = iface;
	pk_skey_set(&keys[PK_SK_STACK], dir, from.addr, to.addr, from.port, to.port);
	pk_skey_set(&keys[PK_SK_WIRE], dir, nat ? nat->addr : from.addr, to.addr, nat ? nat->port : from.port, to.port);
	if (!pk_st_set_keys(&t, i, keys) || pk_st_conflict(&t, i) != PK_ST_NONE) {
		pk_st_discard(&t, i);
		return PK_ST_NONE;
	}
	pk_st_insert(&t, i);
	return i;
}

/* The state a TCP packet from `from` to `to`, going dir on iface, belongs to. */
static uint32_t find(struct end from, struct end to, uint8_t dir, uint16_t iface)
{
	struct pk_skey k;

	memset(&k, 0, sizeof(k));
	pk_skey_set(&k, dir, from.addr, to.addr, from.port, to.port);
	return pk_st_find(&t, from.af, 6, &k, dir, iface);
}

static void open_table(uint32_t cap, uint64_t seed)
{
	assert_int_equal(pk_st_init(&t, cap, seed), 0);
}

/* A table of 16 states, as most tests use. */
PK_TEST_FIXTURE(table16, open_table(16, 1))

PK_TEST_FIXTURE(close_table, pk_st_fini(&t))

static int setup(void **state)
{
	(void)state;
	pk_tb_addr(4, "10.0.0.1", A);
	pk_tb_addr(4, "192.0.2.9", B);
	pk_tb_addr(4, "198.51.100.1", N);
	pk_tb_addr(6, "2001:db8::1", A6);
	pk_tb_addr(6, "2001:db8:ffff::9", B6);
	pk_tb_addr(6, "2001:db8:1::1", N6);
	return 0;
}

/* 104 bytes a slot and 4 a bucket: within 128 bytes a state at the limit. */
static void test_state_records_fit_the_budget(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct pk_state), 64);
	assert_int_equal(sizeof(struct pk_state_cold), 40);
	assert_int_equal(sizeof(struct pk_state_ext), PK_SPOOL_REC);
}

static void test_reply_finds_the_state_in_the_other_direction(void **state)
{
	uint32_t i;

	(void)state;
	i = add(a, b, PK_DIR_OUT, 3, NULL);
	assert_int_equal(find(a, b, PK_DIR_OUT, 3), i);
	assert_int_equal(find(b, a, PK_DIR_IN, 3), i);
	assert_int_equal(find(b, a, PK_DIR_IN, 4), PK_ST_NONE); /* if-bound */
	assert_int_equal(find(a, at(b, 81), PK_DIR_OUT, 3), PK_ST_NONE);
}

static void test_floating_state_matches_on_any_interface(void **state)
{
	uint32_t i;

	(void)state;
	i = add(a, b, PK_DIR_OUT, PK_RT_NO_IFACE, NULL);
	assert_int_equal(find(b, a, PK_DIR_IN, 7), i);
}

static void test_translated_state_is_found_by_wire_key_inbound(void **state)
{
	uint32_t i;

	(void)state;
	i = add(a, b, PK_DIR_OUT, 3, &n);
	assert_int_equal(find(a, b, PK_DIR_OUT, 3), i); /* stack side */
	assert_int_equal(find(b, n, PK_DIR_IN, 3), i); /* reply to the NAT address */
	assert_int_equal(find(b, a, PK_DIR_IN, 3), PK_ST_NONE);
	pk_st_remove(&t, i);
	assert_int_equal(find(b, n, PK_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(t.count, 0);
}

static void test_pool_exhaustion_refuses_then_frees(void **state)
{
	uint16_t k;

	(void)state;
	open_table(4, 1);
	for (k = 0; k < 4; k++)
		assert_int_not_equal(add(a, b, PK_DIR_OUT, k, NULL), PK_ST_NONE);
	assert_int_equal(pk_st_alloc(&t), PK_ST_NONE);
	pk_st_remove(&t, find(a, b, PK_DIR_OUT, 2));
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 9, NULL), PK_ST_NONE);
	assert_int_equal(t.count, 4);
}

static void test_duplicate_key_on_same_interface_conflicts(void **state)
{
	(void)state;
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 3, NULL), PK_ST_NONE);
	assert_int_equal(add(a, b, PK_DIR_OUT, 3, NULL), PK_ST_NONE);
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 4, NULL), PK_ST_NONE);
	assert_int_equal(t.count, 2);
}

static void test_many_states_all_found(void **state)
{
	uint16_t k;

	(void)state;
	open_table(5000, 7);
	for (k = 0; k < 5000; k++)
		assert_int_not_equal(add(at(a, k), at(b, 53), PK_DIR_IN, 1, NULL), PK_ST_NONE);
	for (k = 0; k < 5000; k++)
		assert_int_not_equal(find(at(b, 53), at(a, k), PK_DIR_OUT, 1), PK_ST_NONE);
}

/* The index starts small and grows with the states alive: filling the
 * table to its limit with translated states (two keys each) moves no
 * state, every state stays findable by both keys and removed ones are not. */
static void test_fill_to_limit_grows_the_index_with_the_states(void **state)
{
	enum { COUNT = 140000 };
	uint32_t k;
	const struct pk_state *st;

	(void)state;
	open_table(COUNT, 3);
	st = t.st;
	assert_true(t.nbuckets < COUNT / 16);
	for (k = 0; k < COUNT; k++) {
		const struct end nat = at(n, (uint16_t)k);
		uint32_t i = add(at(a, (uint16_t)k), at(b, (uint16_t)(k >> 16)), PK_DIR_OUT, 2, &nat);

		assert_int_not_equal(i, PK_ST_NONE);
		if (k % 3 == 0)
			pk_st_remove(&t, i);
	}
	while (pk_st_alloc(&t) != PK_ST_NONE)
		continue;
	assert_ptr_equal(t.st, st);
	assert_true((uint64_t)t.nbuckets * 2 >= (uint64_t)t.count * 3);
	assert_int_equal(t.count, COUNT - (COUNT + 2) / 3);
	for (k = 0; k < COUNT; k++) {
		uint32_t in = find(at(b, (uint16_t)(k >> 16)), at(n, (uint16_t)k), PK_DIR_IN, 2);
		uint32_t out = find(at(a, (uint16_t)k), at(b, (uint16_t)(k >> 16)), PK_DIR_OUT, 2);

		assert_int_equal(in, out);
		if (k % 3 == 0)
			assert_int_equal(in, PK_ST_NONE);
		else
			assert_int_not_equal(in, PK_ST_NONE);
	}
}

static void test_translated_ipv6_state_is_found_by_both_keys(void **state)
{
	/* an IPv4 key with the same leading bytes as a6 to b6 */
	const struct end a4 = {4, A6, 1234}, b4 = {4, B6, 80};
	struct pk_skey k;
	uint32_t i;

	(void)state;
	i = add(a6, b6, PK_DIR_OUT, 3, &n6);
	assert_int_not_equal(i, PK_ST_NONE);
	assert_int_equal(find(a6, b6, PK_DIR_OUT, 3), i);
	assert_int_equal(find(b6, n6, PK_DIR_IN, 3), i);
	assert_int_equal(find(b6, a6, PK_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(find(a4, b4, PK_DIR_OUT, 3), PK_ST_NONE); /* is another key */
	pk_st_key(&t, i, PK_SK_WIRE, &k);
	assert_memory_equal(k.addr[1], N6, 16);
	assert_int_equal(k.port[1], 50000);
	pk_st_key(&t, i, PK_SK_STACK, &k);
	assert_memory_equal(k.addr[1], A6, 16);
	assert_memory_equal(k.addr[0], B6, 16);
	assert_int_equal(k.port[1], 1234);
	pk_st_remove(&t, i);
	assert_int_equal(find(a6, b6, PK_DIR_OUT, 3), PK_ST_NONE);
	assert_int_equal(t.side.used, 0);
}

/* The new keys of a translated state: the reply to the new NAT address
 * finds it, the one to the old does not; with IPv6 the side records of the
 * old keys are given back. */
static void rekey_moves_the_outside_key(struct end from, struct end to, struct end nat, struct end moved)
{
	struct pk_skey keys[2];
	uint32_t i = add(from, to, PK_DIR_OUT, 3, &nat);

	assert_int_not_equal(i, PK_ST_NONE);
	uint32_t used = t.side.used;
	pk_st_key(&t, i, PK_SK_STACK, &keys[PK_SK_STACK]);
	pk_skey_set(&keys[PK_SK_WIRE], PK_DIR_OUT, moved.addr, to.addr, moved.port, to.port);
	assert_true(pk_st_rekey(&t, i, keys));
	assert_int_equal(find(to, moved, PK_DIR_IN, 3), i);
	assert_int_equal(find(to, nat, PK_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(find(from, to, PK_DIR_OUT, 3), i);
	assert_int_equal(t.side.used, used);
	assert_int_equal(t.count, 1);
}

static void test_rekey_moves_the_outside_key(void **state)
{
	(void)state;
	rekey_moves_the_outside_key(a, b, n, at(n, 40000));
}

static void test_rekey_moves_the_outside_key_ipv6(void **state)
{
	(void)state;
	rekey_moves_the_outside_key(a6, b6, n6, at(n6, 40000));
}

/* A key another state holds is refused, and the state keeps its own. */
static void test_rekey_onto_a_held_key_keeps_the_old_one(void **state)
{
	struct pk_skey keys[2];
	uint32_t i, j;

	(void)state;
	i = add(a, b, PK_DIR_OUT, 3, &n);
	j = add(at(a, 1235), b, PK_DIR_OUT, 3, &(struct end){4, N, 40000});
	assert_int_not_equal(j, PK_ST_NONE);
	pk_st_key(&t, i, PK_SK_STACK, &keys[PK_SK_STACK]);
	pk_st_key(&t, j, PK_SK_WIRE, &keys[PK_SK_WIRE]);
	assert_false(pk_st_rekey(&t, i, keys));
	assert_int_equal(find(b, n, PK_DIR_IN, 3), i);
	assert_int_equal(find(b, at(n, 40000), PK_DIR_IN, 3), j);
	assert_int_equal(find(a, b, PK_DIR_OUT, 3), i);
}

/* A full side pool refuses the states that need a record, as a full state
 * pool does, and leaves the table as it was. */
static void test_side_pool_exhaustion_refuses_the_state_cleanly(void **state)
{
	uint32_t i;

	(void)state;
	i = add(a6, b6, PK_DIR_OUT, 3, &n6); /* three records: side record, two address pairs */
	assert_int_not_equal(i, PK_ST_NONE);
	t.side.cap = t.side.used + 2;
	assert_int_equal(add(at(a6, 1235), b6, PK_DIR_OUT, 3, &n6), PK_ST_NONE);
	assert_int_equal(t.side.used, 3);
	assert_int_equal(t.count, 1);
	assert_int_not_equal(add(at(a6, 1236), b6, PK_DIR_OUT, 3, NULL), PK_ST_NONE); /* one pair */
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 3, NULL), PK_ST_NONE);             /* none */
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 4, &n), PK_ST_NONE);               /* the last record */
	assert_int_equal(add(a, b, PK_DIR_OUT, 5, &n), PK_ST_NONE);                   /* none left */
	assert_int_equal(find(b6, n6, PK_DIR_IN, 3), i);
	pk_st_remove(&t, i);
	assert_int_not_equal(add(a, b, PK_DIR_OUT, 5, &n), PK_ST_NONE);
	assert_int_equal(t.count, 4);
}

/* Slots and side records are reused: a reused slot answers to its new keys
 * only, for both address families. */
static void test_removal_and_reuse_keep_lookups_exact(void **state)
{
	uint32_t i, j;

	(void)state;
	open_table(2, 1);
	i = add(at(a6, 1000), b6, PK_DIR_OUT, 3, &n6);
	j = add(a, b, PK_DIR_OUT, 3, &n);
	pk_st_remove(&t, i);
	pk_st_remove(&t, j);
	assert_int_equal(add(at(a, 2000), b, PK_DIR_OUT, 3, NULL), j);
	assert_int_equal(add(at(a6, 3000), b6, PK_DIR_OUT, 3, &n6), i);
	assert_int_equal(find(b6, n6, PK_DIR_IN, 3), i);
	assert_int_equal(find(at(a6, 1000), b6, PK_DIR_OUT, 3), PK_ST_NONE);
	assert_int_equal(find(at(a6, 3000), b6, PK_DIR_OUT, 3), i);
	assert_int_equal(find(b, n, PK_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(find(b, at(a, 2000), PK_DIR_IN, 3), j);
	assert_true(t.st[j].flags & PK_SF_ONEKEY);
	assert_int_equal(t.side.used, 3);
}

static void test_scrub_options_are_shared_and_released(void **state)
{
	const struct pk_scrub s1 = {.max_mss = 1400, .flags = 0x10}, s2 = {.min_ttl = 9, .flags = 0x10};
	uint32_t i, j, k;

	(void)state;
	open_table(4, 1);
	i = add(a, b, PK_DIR_OUT, 1, NULL);
	j = add(a, b, PK_DIR_OUT, 2, NULL);
	k = add(a, b, PK_DIR_OUT, 3, NULL);
	assert_true(pk_st_set_scrub(&t, i, &s1));
	assert_true(pk_st_set_scrub(&t, j, &s1));
	assert_true(pk_st_set_scrub(&t, k, &s2));
	assert_ptr_equal(pk_st_scrub(&t, i), pk_st_scrub(&t, j));
	assert_int_equal(pk_st_scrub(&t, k)->min_ttl, 9);
	assert_null(pk_st_scrub(&t, add(a, b, PK_DIR_OUT, 4, NULL)));
	pk_st_remove(&t, i);
	pk_st_remove(&t, j);
	assert_int_equal(t.scrub_refs[0], 0);
}

PK_TEST_MAIN_GROUP(setup, NULL,
	cmocka_unit_test(test_state_records_fit_the_budget),
	cmocka_unit_test_setup_teardown(test_reply_finds_the_state_in_the_other_direction, table16, close_table),
	cmocka_unit_test_setup_teardown(test_floating_state_matches_on_any_interface, table16, close_table),
	cmocka_unit_test_setup_teardown(test_rekey_moves_the_outside_key, table16, close_table),
	cmocka_unit_test_setup_teardown(test_rekey_moves_the_outside_key_ipv6, table16, close_table),
	cmocka_unit_test_setup_teardown(test_rekey_onto_a_held_key_keeps_the_old_one, table16, close_table),
	cmocka_unit_test_setup_teardown(test_translated_state_is_found_by_wire_key_inbound, table16, close_table),
	cmocka_unit_test_teardown(test_pool_exhaustion_refuses_then_frees, close_table),
	cmocka_unit_test_setup_teardown(test_duplicate_key_on_same_interface_conflicts, table16, close_table),
	cmocka_unit_test_teardown(test_many_states_all_found, close_table),
	cmocka_unit_test_teardown(test_fill_to_limit_grows_the_index_with_the_states, close_table),
	cmocka_unit_test_setup_teardown(test_translated_ipv6_state_is_found_by_both_keys, table16, close_table),
	cmocka_unit_test_setup_teardown(test_side_pool_exhaustion_refuses_the_state_cleanly, table16, close_table),
	cmocka_unit_test_teardown(test_removal_and_reuse_keep_lookups_exact, close_table),
	cmocka_unit_test_teardown(test_scrub_options_are_shared_and_released, close_table),
)
