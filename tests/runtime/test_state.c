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

static uint8_t A[16], B[16], N[16];

static uint32_t add(struct pk_state_table *t, uint8_t dir, uint16_t iface, const uint8_t *nat_src)
{
	uint32_t i = pk_st_alloc(t);
	struct pk_state *s;

	if (i == PK_ST_NONE)
		return i;
	s = &t->st[i];
	s->af = 4, s->proto = 6, s->dir = dir, s->iface = iface;
	pk_skey_set(&s->key[PK_SK_STACK], dir, A, B, 1234, 80);
	pk_skey_set(&s->key[PK_SK_WIRE], dir, nat_src ? nat_src : A, B, nat_src ? 50000 : 1234, 80);
	if (pk_st_conflict(t, i) != PK_ST_NONE) {
		pk_st_discard(t, i);
		return PK_ST_NONE;
	}
	pk_st_insert(t, i);
	return i;
}

static uint32_t find(struct pk_state_table *t, const uint8_t *src, uint16_t sport, const uint8_t *dst,
		     uint16_t dport, uint8_t dir, uint16_t iface)
{
	struct pk_skey k;

	memset(&k, 0, sizeof(k));
	pk_skey_set(&k, dir, src, dst, sport, dport);
	return pk_st_find(t, 4, 6, &k, dir, iface);
}

static int setup(void **state)
{
	(void)state;
	pk_tb_addr(4, "10.0.0.1", A);
	pk_tb_addr(4, "192.0.2.9", B);
	pk_tb_addr(4, "198.51.100.1", N);
	return 0;
}

static void test_state_is_128_bytes(void **state)
{
	(void)state;
	assert_true(sizeof(struct pk_state) <= 128);
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
		struct pk_state *s = &t.st[i];

		s->af = 4, s->proto = 17, s->dir = PK_RT_DIR_IN, s->iface = 1;
		pk_skey_set(&s->key[0], PK_RT_DIR_IN, A, B, (uint16_t)n, 53);
		s->key[1] = s->key[0];
		pk_st_insert(&t, i);
	}
	for (n = 0; n < 5000; n++) {
		struct pk_skey k;

		memset(&k, 0, sizeof(k));
		pk_skey_set(&k, PK_RT_DIR_OUT, B, A, 53, (uint16_t)n);
		assert_int_not_equal(pk_st_find(&t, 4, 17, &k, PK_RT_DIR_OUT, 1), PK_ST_NONE);
	}
	pk_st_fini(&t);
}

/* The index starts small and doubles as states come: states inserted
 * before, during and after each doubling stay findable, removed ones not. */
static void test_index_growth_keeps_every_state_findable(void **state)
{
	enum { COUNT = 140000 };
	struct pk_state_table t;
	struct pk_skey k;
	uint32_t n;

	(void)state;
	assert_int_equal(pk_st_init(&t, COUNT, 3), 0);
	for (n = 0; n < COUNT; n++) {
		uint32_t i = pk_st_alloc(&t);
		struct pk_state *s = &t.st[i];

		s->af = 4, s->proto = 6, s->dir = PK_RT_DIR_OUT, s->iface = 2;
		pk_skey_set(&s->key[PK_SK_STACK], PK_RT_DIR_OUT, A, B, (uint16_t)n, (uint16_t)(n >> 16));
		pk_skey_set(&s->key[PK_SK_WIRE], PK_RT_DIR_OUT, N, B, (uint16_t)n, (uint16_t)(n >> 16));
		pk_st_insert(&t, i);
		if (n % 3 == 0)
			pk_st_remove(&t, i);
	}
	assert_int_equal(t.count, COUNT - (COUNT + 2) / 3);
	for (n = 0; n < COUNT; n++) {
		memset(&k, 0, sizeof(k));
		pk_skey_set(&k, PK_RT_DIR_IN, B, N, (uint16_t)(n >> 16), (uint16_t)n);
		uint32_t in = pk_st_find(&t, 4, 6, &k, PK_RT_DIR_IN, 2);
		pk_skey_set(&k, PK_RT_DIR_OUT, A, B, (uint16_t)n, (uint16_t)(n >> 16));
		uint32_t out = pk_st_find(&t, 4, 6, &k, PK_RT_DIR_OUT, 2);
		assert_int_equal(in, out);
		if (n % 3 == 0)
			assert_int_equal(in, PK_ST_NONE);
		else
			assert_int_not_equal(in, PK_ST_NONE);
	}
	pk_st_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_is_128_bytes),
		cmocka_unit_test(test_reply_finds_the_state_in_the_other_direction),
		cmocka_unit_test(test_floating_state_matches_on_any_interface),
		cmocka_unit_test(test_translated_state_is_found_by_wire_key_inbound),
		cmocka_unit_test(test_pool_exhaustion_refuses_then_frees),
		cmocka_unit_test(test_duplicate_key_on_same_interface_conflicts),
		cmocka_unit_test(test_many_states_all_found),
		cmocka_unit_test(test_index_growth_keeps_every_state_findable),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
