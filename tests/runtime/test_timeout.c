/*
 * tests/runtime/test_timeout.c: timeouts and adaptive scaling (runtime/timeout.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/timeout.h"
#include "tests/support/testmain.h"

/* Options as the compiler fills them for a profile, from the one table. */
static void profile(struct pk_rs_options *o, enum pk_optimization opt)
{
	static const uint32_t table[PK_OPT_COUNT][PK_TMO_COUNT] = {
#define COL(id, name, n, hl, c, a) n,
		{PK_TIMEOUTS(COL)},
#undef COL
#define COL(id, name, n, hl, c, a) hl,
		{PK_TIMEOUTS(COL)},
#undef COL
#define COL(id, name, n, hl, c, a) c,
		{PK_TIMEOUTS(COL)},
#undef COL
#define COL(id, name, n, hl, c, a) a,
		{PK_TIMEOUTS(COL)},
#undef COL
	};

	memset(o, 0, sizeof(*o));
	memcpy(o->timeouts, table[opt], sizeof(o->timeouts));
}

static void no_overrides(struct pk_rs_rule *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < PK_TMO_COUNT; i++)
		r->timeouts[i] = PK_TMO_UNSET;
}

static void test_profiles_give_the_reference_tcp_values(void **state)
{
	struct pk_rs_options o;

	(void)state;
	profile(&o, PK_OPT_NORMAL);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_ESTABLISHED), 86400);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_FINWAIT), 45);
	profile(&o, PK_OPT_AGGRESSIVE);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_ESTABLISHED), 18000);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_FIRST), 30);
	profile(&o, PK_OPT_CONSERVATIVE);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_ESTABLISHED), 432000);
	profile(&o, PK_OPT_HIGH_LATENCY);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_TCP_OPENING), 35);
	assert_int_equal(pk_tmo_get(&o, NULL, PK_TMO_UDP_SINGLE), 30);
}

static void test_rule_timeout_overrides_the_option(void **state)
{
	struct pk_rs_options o;
	struct pk_rs_rule r;

	(void)state;
	profile(&o, PK_OPT_NORMAL);
	no_overrides(&r);
	r.timeouts[PK_TMO_TCP_ESTABLISHED] = 600;
	assert_int_equal(pk_tmo_get(&o, &r, PK_TMO_TCP_ESTABLISHED), 600);
	assert_int_equal(pk_tmo_get(&o, &r, PK_TMO_TCP_CLOSED), 90);
}

static void test_adaptive_worked_example_scales_to_half(void **state)
{
	(void)state;
	/* the reference: start 600,000, end 1,200,000, 900,000 states -> 50% */
	assert_int_equal(pk_tmo_adaptive(86400, 600000, 1200000, 900000), 43200);
}

static void test_adaptive_full_table_scales_to_one_third(void **state)
{
	(void)state;
	assert_int_equal(pk_tmo_adaptive(86400, 600000, 1200000, 1000000), 28800);
	assert_int_equal(pk_tmo_adaptive(90, 600000, 1200000, 1000000), 30);
}

static void test_adaptive_leaves_timeouts_alone_up_to_start(void **state)
{
	(void)state;
	assert_int_equal(pk_tmo_adaptive(86400, 600000, 1200000, 600000), 86400);
	assert_int_equal(pk_tmo_adaptive(86400, 0, 1200000, 1100000), 86400);
}

static void test_adaptive_reaches_zero_at_end(void **state)
{
	(void)state;
	assert_int_equal(pk_tmo_adaptive(86400, 600000, 1200000, 1200000), 0);
}

static void test_effective_uses_rule_adaptive_range_with_rule_states(void **state)
{
	struct pk_rs_options o;
	struct pk_rs_rule r;

	(void)state;
	profile(&o, PK_OPT_NORMAL);
	o.timeouts[PK_TMO_ADAPTIVE_START] = 6000;
	o.timeouts[PK_TMO_ADAPTIVE_END] = 12000;
	no_overrides(&r);
	assert_int_equal(pk_tmo_effective(&o, &r, PK_TMO_UDP_MULTIPLE, 9000, 0), 30);
	r.timeouts[PK_TMO_ADAPTIVE_START] = 10;
	r.timeouts[PK_TMO_ADAPTIVE_END] = 20;
	assert_int_equal(pk_tmo_effective(&o, &r, PK_TMO_UDP_MULTIPLE, 9000, 15), 30);
	assert_int_equal(pk_tmo_effective(&o, &r, PK_TMO_UDP_MULTIPLE, 9000, 5), 60);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_profiles_give_the_reference_tcp_values),
	cmocka_unit_test(test_rule_timeout_overrides_the_option),
	cmocka_unit_test(test_adaptive_worked_example_scales_to_half),
	cmocka_unit_test(test_adaptive_full_table_scales_to_one_third),
	cmocka_unit_test(test_adaptive_leaves_timeouts_alone_up_to_start),
	cmocka_unit_test(test_adaptive_reaches_zero_at_end),
	cmocka_unit_test(test_effective_uses_rule_adaptive_range_with_rule_states),
)
