/*
 * tests/runtime/test_state_pool.c: the state table's side pool (runtime/state_pool.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/state_pool.h"
#include "tests/support/testmain.h"

static void test_pool_holds_cap_records_then_refuses(void **state)
{
	struct pk_spool p;
	uint32_t n, r = 0;

	(void)state;
	assert_int_equal(pk_spool_init(&p, PK_SPOOL_CHUNK + 3), 0);
	for (n = 0; n < PK_SPOOL_CHUNK + 3; n++) {
		r = pk_spool_alloc(&p);
		assert_int_equal(r, n + 1);
	}
	assert_int_equal(pk_spool_alloc(&p), 0);
	assert_int_equal(p.used, PK_SPOOL_CHUNK + 3);
	memset(pk_spool_get(&p, 7), 0xab, PK_SPOOL_REC);
	pk_spool_free(&p, 7);
	assert_int_equal(pk_spool_alloc(&p), 7);
	for (n = 0; n < PK_SPOOL_REC; n++)
		assert_int_equal(((const uint8_t *)pk_spool_get(&p, 7))[n], 0);
	pk_spool_fini(&p);
}

/* Records never move, and an unused pool holds no chunk. */
static void test_chunks_come_on_first_use_and_stay(void **state)
{
	struct pk_spool p;
	void *first;
	uint32_t n;

	(void)state;
	assert_int_equal(pk_spool_init(&p, 4 * PK_SPOOL_CHUNK), 0);
	pk_spool_reserve(&p);
	assert_null(p.chunk[0]);
	first = pk_spool_get(&p, pk_spool_alloc(&p));
	for (n = 1; n < 3 * PK_SPOOL_CHUNK; n++)
		pk_spool_alloc(&p);
	assert_ptr_equal(pk_spool_get(&p, 1), first);
	assert_null(p.chunk[3]);
	pk_spool_fini(&p);
}

/* Reserving between packets has the next chunk ready before the records
 * of the current one run out. */
static void test_reserve_allocates_the_next_chunk_ahead(void **state)
{
	struct pk_spool p;
	uint32_t n;

	(void)state;
	assert_int_equal(pk_spool_init(&p, 3 * PK_SPOOL_CHUNK), 0);
	pk_spool_alloc(&p);
	assert_null(p.chunk[1]);
	pk_spool_reserve(&p);
	assert_non_null(p.chunk[1]);
	for (n = 1; n < 2 * PK_SPOOL_CHUNK; n++)
		pk_spool_alloc(&p);
	pk_spool_reserve(&p);
	assert_non_null(p.chunk[2]);
	for (n = 0; n < PK_SPOOL_CHUNK; n++)
		assert_int_not_equal(pk_spool_alloc(&p), 0);
	pk_spool_reserve(&p); /* the directory's end */
	assert_int_equal(pk_spool_alloc(&p), 0);
	pk_spool_fini(&p);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_pool_holds_cap_records_then_refuses),
	cmocka_unit_test(test_chunks_come_on_first_use_and_stay),
	cmocka_unit_test(test_reserve_allocates_the_next_chunk_ahead),
)
