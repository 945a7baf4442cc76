/* tests/runtime/test_ruleset.c: the topology look-ups of runtime/ruleset.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/rule_vocab.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

/* pk_rs_is_self's search says what a scan of every interface address says. */
static bool scan_self(const struct pk_rs *rs, uint8_t af, const uint8_t a[16])
{
	for (uint16_t i = 0; i < pk_rs_niface(rs); i++)
		for (uint32_t k = 0; k < pk_rs_iface_naddr(rs, i); k++) {
			uint8_t f, x[16], len;
			pk_rs_iface_addr(rs, i, k, &f, x, &len);
			if (f == af && memcmp(x, a, af == PK_AF_INET ? 4 : 16) == 0)
				return true;
		}
	return false;
}

static void test_is_self_finds_exactly_the_interfaces_addresses(void **st)
{
	(void)st;
	struct pk_rs *rs = pk_test_rules("interface em0 address 10.0.0.1/16\n"
					 "interface em1 address 192.168.1.1/24\n"
					 "interface em2 address 2001:db8::1/64\n"
					 "interface em3 address 10.0.0.2/16\n"
					 "interface em4 address 2001:db8::2/64\n"
					 "pass all\n");
	static const uint8_t last[] = {0, 1, 2, 3, 255};
	for (int v6 = 0; v6 < 2; v6++)
		for (size_t i = 0; i < PK_NELEMS(last); i++) {
			uint8_t af = v6 ? PK_AF_INET6 : PK_AF_INET, a[16] = {0};
			if (v6)
				memcpy(a, (const uint8_t[]){0x20, 0x01, 0x0d, 0xb8}, 4);
			else
				memcpy(a, (const uint8_t[]){10, 0, 0, 0}, 4);
			a[v6 ? 15 : 3] = last[i];
			assert_int_equal(pk_rs_is_self(rs, af, a), scan_self(rs, af, a));
			assert_int_equal(pk_rs_is_self(rs, af, a), last[i] == 1 || last[i] == 2);
		}
	pk_rs_free(rs);
}

PK_TEST_MAIN(cmocka_unit_test(test_is_self_finds_exactly_the_interfaces_addresses))
