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

/* Slot i with af/proto/dir/iface and the keys of a connection from src:sport
 * to dst:dport (translated to nat:nport on the wire when nat != NULL). */
static bool fill(struct pk_state_table *t, uint32_t i, uint8_t af, uint8_t dir, uint16_t iface, const uint8_t *src,
		 uint16_t sport, const uint8_t *dst, uint16_t dport, const uint8_t *nat, uint16_t nport)
{
	struct pk_state *s = &t->st[i];
	struct pk_skey keys[2];

	memset(keys, 0, sizeof(keys));
	s->af = af, s->proto = 6, s->dir = dir, s->iface = iface;
	pk_skey_set(&keys[PK_SK_STACK], dir, src, dst, sport, dport);
	pk_skey_set(&keys[PK_SK_WIRE], dir, nat ? nat : src, dst, nat ? nport : sport, dport);
	return pk_st_set_keys(t, i, keys);
}

static uint32_t add_af(struct pk_state_table *t, uint8_t af, uint8_t dir, uint16_t iface, const uint8_t *src,
		       uint16_t sport, const uint8_t *nat)
{
	uint32_t i = pk_st_alloc(t);

	if (i == PK_ST_NONE)
		return i;
	if (!fill(t, i, af, dir, iface, src, sport, af == 6 ? B6 : B, 80, nat, 50000) ||
	    pk_st_conflict(t, i) != PK_ST_NONE) {
		pk_st_discard(t, i);
		return PK_ST_NONE;
	}
	pk_st_insert(t, i);
	return i;
}

static uint32_t add(struct pk_state_table *t, uint8_t dir, uint16_t iface, const uint8_t *nat_src)
{
	return add_af(t, 4, dir, iface, A, 1234, nat_src);
}

static uint32_t find_af(struct pk_state_table *t, uint8_t af, const uint8_t *src, uint16_t sport, const uint8_t *dst,
			uint16_t dport, uint8_t dir, uint16_t iface)
{
	struct pk_skey k;

	memset(&k, 0, sizeof(k));
	pk_skey_set(&k, dir, src, dst, sport, dport);
	return pk_st_find(t, af, 6, &k, dir, iface);
}

static uint32_t find(struct pk_state_table *t, const uint8_t *src, uint16_t sport, const uint8_t *dst,
		     uint16_t dport, uint8_t dir, uint16_t iface)
{
	return find_af(t, 4, src, sport, dst, dport, dir, iface);
}

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
	struct pk_state_table t;
	uint32_t i;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	i = add(&t, PK_RT_DIR_OUT, 3, NULL);
	assert_int_equal(find(&t, A, 1234, B, 80, PK_RT_DIR_OUT, 3), i);
	assert_int_equal(find(&t, B, 80, A, 1234, PK_RT_DIR_IN, 3), i);
	assert_int_equal(find(&t, B, 80, A, 1234, PK_RT_DIR_IN, 4), PK_ST_NONE); /* if-bound */
	assert_int_equal(find(&t, A, 1234, B, 81, PK_RT_DIR_OUT, 3), PK_ST_NONE);
	pk_st_fini(&t);
}

static void test_floating_state_matches_on_any_interface(void **state)
{
	struct pk_state_table t;
	uint32_t i;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	i = add(&t, PK_RT_DIR_OUT, PK_RT_NO_IFACE, NULL);
	assert_int_equal(find(&t, B, 80, A, 1234, PK_RT_DIR_IN, 7), i);
	pk_st_fini(&t);
}

static void test_translated_state_is_found_by_wire_key_inbound(void **state)
{
	struct pk_state_table t;
	uint32_t i;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	i = add(&t, PK_RT_DIR_OUT, 3, N);
	assert_int_equal(find(&t, A, 1234, B, 80, PK_RT_DIR_OUT, 3), i);  /* stack side */
	assert_int_equal(find(&t, B, 80, N, 50000, PK_RT_DIR_IN, 3), i);  /* reply to the NAT address */
	assert_int_equal(find(&t, B, 80, A, 1234, PK_RT_DIR_IN, 3), PK_ST_NONE);
	pk_st_remove(&t, i);
	assert_int_equal(find(&t, B, 80, N, 50000, PK_RT_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(t.count, 0);
	pk_st_fini(&t);
}

static void test_pool_exhaustion_refuses_then_frees(void **state)
{
	struct pk_state_table t;
	uint32_t i;
	uint16_t k;

	(void)state;
	assert_int_equal(pk_st_init(&t, 4, 1), 0);
	for (k = 0; k < 4; k++)
		assert_int_not_equal(add(&t, PK_RT_DIR_OUT, k, NULL), PK_ST_NONE);
	assert_int_equal(pk_st_alloc(&t), PK_ST_NONE);
	i = find(&t, A, 1234, B, 80, PK_RT_DIR_OUT, 2);
	pk_st_remove(&t, i);
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 9, NULL), PK_ST_NONE);
	assert_int_equal(t.count, 4);
	pk_st_fini(&t);
}

static void test_duplicate_key_on_same_interface_conflicts(void **state)
{
	struct pk_state_table t;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 3, NULL), PK_ST_NONE);
	assert_int_equal(add(&t, PK_RT_DIR_OUT, 3, NULL), PK_ST_NONE);
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 4, NULL), PK_ST_NONE);
	assert_int_equal(t.count, 2);
	pk_st_fini(&t);
}

static void test_many_states_all_found(void **state)
{
	struct pk_state_table t;
	uint32_t n;

	(void)state;
	assert_int_equal(pk_st_init(&t, 5000, 7), 0);
	for (n = 0; n < 5000; n++) {
		uint32_t i = pk_st_alloc(&t);

		assert_true(fill(&t, i, 4, PK_RT_DIR_IN, 1, A, (uint16_t)n, B, 53, NULL, 0));
		pk_st_insert(&t, i);
	}
	for (n = 0; n < 5000; n++)
		assert_int_not_equal(find(&t, B, 53, A, (uint16_t)n, PK_RT_DIR_OUT, 1), PK_ST_NONE);
	pk_st_fini(&t);
}

/* The index is sized for the limit at init: filling the table to its limit
 * with translated states (two keys each) moves nothing, every state stays
 * findable by both keys and removed ones are not. */
static void test_fill_to_limit_never_moves_the_index(void **state)
{
	enum { COUNT = 140000 };
	struct pk_state_table t;
	uint32_t n, *bucket, nbuckets;
	const struct pk_state *st;

	(void)state;
	assert_int_equal(pk_st_init(&t, COUNT, 3), 0);
	bucket = t.bucket, nbuckets = t.nbuckets, st = t.st;
	assert_true(nbuckets >= COUNT);
	for (n = 0; n < COUNT; n++) {
		uint32_t i = pk_st_alloc(&t);

		assert_true(fill(&t, i, 4, PK_RT_DIR_OUT, 2, A, (uint16_t)n, B, (uint16_t)(n >> 16), N, (uint16_t)n));
		pk_st_insert(&t, i);
		if (n % 3 == 0)
			pk_st_remove(&t, i);
	}
	while (pk_st_alloc(&t) != PK_ST_NONE)
		continue;
	assert_ptr_equal(t.bucket, bucket);
	assert_ptr_equal(t.st, st);
	assert_int_equal(t.nbuckets, nbuckets);
	assert_int_equal(t.count, COUNT - (COUNT + 2) / 3);
	for (n = 0; n < COUNT; n++) {
		uint32_t in = find(&t, B, (uint16_t)(n >> 16), N, (uint16_t)n, PK_RT_DIR_IN, 2);
		uint32_t out = find(&t, A, (uint16_t)n, B, (uint16_t)(n >> 16), PK_RT_DIR_OUT, 2);

		assert_int_equal(in, out);
		if (n % 3 == 0)
			assert_int_equal(in, PK_ST_NONE);
		else
			assert_int_not_equal(in, PK_ST_NONE);
	}
	pk_st_fini(&t);
}

static void test_translated_ipv6_state_is_found_by_both_keys(void **state)
{
	struct pk_state_table t;
	struct pk_skey k;
	uint32_t i;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	i = add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 1234, N6);
	assert_int_not_equal(i, PK_ST_NONE);
	assert_int_equal(find_af(&t, 6, A6, 1234, B6, 80, PK_RT_DIR_OUT, 3), i);
	assert_int_equal(find_af(&t, 6, B6, 80, N6, 50000, PK_RT_DIR_IN, 3), i);
	assert_int_equal(find_af(&t, 6, B6, 80, A6, 1234, PK_RT_DIR_IN, 3), PK_ST_NONE);
	/* an IPv4 key with the same leading bytes is another key */
	assert_int_equal(find_af(&t, 4, A6, 1234, B6, 80, PK_RT_DIR_OUT, 3), PK_ST_NONE);
	pk_st_key(&t, i, PK_SK_WIRE, &k);
	assert_memory_equal(k.addr[1], N6, 16);
	assert_int_equal(k.port[1], 50000);
	pk_st_key(&t, i, PK_SK_STACK, &k);
	assert_memory_equal(k.addr[1], A6, 16);
	assert_memory_equal(k.addr[0], B6, 16);
	assert_int_equal(k.port[1], 1234);
	pk_st_remove(&t, i);
	assert_int_equal(find_af(&t, 6, A6, 1234, B6, 80, PK_RT_DIR_OUT, 3), PK_ST_NONE);
	assert_int_equal(t.side.used, 0);
	pk_st_fini(&t);
}

/* A full side pool refuses the states that need a record, as a full state
 * pool does, and leaves the table as it was. */
static void test_side_pool_exhaustion_refuses_the_state_cleanly(void **state)
{
	struct pk_state_table t;
	uint32_t i;

	(void)state;
	assert_int_equal(pk_st_init(&t, 16, 1), 0);
	i = add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 1234, N6); /* three records: side record, two address pairs */
	assert_int_not_equal(i, PK_ST_NONE);
	t.side.cap = t.side.used + 2;
	assert_int_equal(add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 1235, N6), PK_ST_NONE);
	assert_int_equal(t.side.used, 3);
	assert_int_equal(t.count, 1);
	assert_int_not_equal(add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 1236, NULL), PK_ST_NONE); /* one pair */
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 3, NULL), PK_ST_NONE);                 /* none */
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 4, N), PK_ST_NONE);                     /* the last record */
	assert_int_equal(add(&t, PK_RT_DIR_OUT, 5, N), PK_ST_NONE);                         /* none left */
	assert_int_equal(find_af(&t, 6, B6, 80, N6, 50000, PK_RT_DIR_IN, 3), i);
	pk_st_remove(&t, i);
	assert_int_not_equal(add(&t, PK_RT_DIR_OUT, 5, N), PK_ST_NONE);
	assert_int_equal(t.count, 4);
	pk_st_fini(&t);
}

/* Slots and side records are reused: a reused slot answers to its new keys
 * only, for both address families. */
static void test_removal_and_reuse_keep_lookups_exact(void **state)
{
	struct pk_state_table t;
	uint32_t i, j;

	(void)state;
	assert_int_equal(pk_st_init(&t, 2, 1), 0);
	i = add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 1000, N6);
	j = add(&t, PK_RT_DIR_OUT, 3, N);
	pk_st_remove(&t, i);
	pk_st_remove(&t, j);
	assert_int_equal(add_af(&t, 4, PK_RT_DIR_OUT, 3, A, 2000, NULL), j);
	assert_int_equal(add_af(&t, 6, PK_RT_DIR_OUT, 3, A6, 3000, N6), i);
	assert_int_equal(find_af(&t, 6, B6, 80, N6, 50000, PK_RT_DIR_IN, 3), i);
	assert_int_equal(find_af(&t, 6, A6, 1000, B6, 80, PK_RT_DIR_OUT, 3), PK_ST_NONE);
	assert_int_equal(find_af(&t, 6, A6, 3000, B6, 80, PK_RT_DIR_OUT, 3), i);
	assert_int_equal(find(&t, B, 80, N, 50000, PK_RT_DIR_IN, 3), PK_ST_NONE);
	assert_int_equal(find(&t, B, 80, A, 2000, PK_RT_DIR_IN, 3), j);
	assert_true(t.st[j].flags & PK_SF_ONEKEY);
	assert_int_equal(t.side.used, 3);
	pk_st_fini(&t);
}

static void test_scrub_options_are_shared_and_released(void **state)
{
	struct pk_state_table t;
	const struct pk_scrub a = {.max_mss = 1400, .flags = 0x10}, b = {.min_ttl = 9, .flags = 0x10};
	uint32_t i, j, k;

	(void)state;
	assert_int_equal(pk_st_init(&t, 4, 1), 0);
	i = add(&t, PK_RT_DIR_OUT, 1, NULL);
	j = add(&t, PK_RT_DIR_OUT, 2, NULL);
	k = add(&t, PK_RT_DIR_OUT, 3, NULL);
	assert_true(pk_st_set_scrub(&t, i, &a));
	assert_true(pk_st_set_scrub(&t, j, &a));
	assert_true(pk_st_set_scrub(&t, k, &b));
	assert_ptr_equal(pk_st_scrub(&t, i), pk_st_scrub(&t, j));
	assert_int_equal(pk_st_scrub(&t, k)->min_ttl, 9);
	assert_null(pk_st_scrub(&t, add(&t, PK_RT_DIR_OUT, 4, NULL)));
	pk_st_remove(&t, i);
	pk_st_remove(&t, j);
	assert_int_equal(t.scrub_refs[0], 0);
	pk_st_fini(&t);
}

PK_TEST_MAIN_GROUP(setup, NULL,
	cmocka_unit_test(test_state_records_fit_the_budget),
	cmocka_unit_test(test_reply_finds_the_state_in_the_other_direction),
	cmocka_unit_test(test_floating_state_matches_on_any_interface),
	cmocka_unit_test(test_translated_state_is_found_by_wire_key_inbound),
	cmocka_unit_test(test_pool_exhaustion_refuses_then_frees),
	cmocka_unit_test(test_duplicate_key_on_same_interface_conflicts),
	cmocka_unit_test(test_many_states_all_found),
	cmocka_unit_test(test_fill_to_limit_never_moves_the_index),
	cmocka_unit_test(test_translated_ipv6_state_is_found_by_both_keys),
	cmocka_unit_test(test_side_pool_exhaustion_refuses_the_state_cleanly),
	cmocka_unit_test(test_removal_and_reuse_keep_lookups_exact),
	cmocka_unit_test(test_scrub_options_are_shared_and_released),
)
