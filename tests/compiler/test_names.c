/* tests/compiler/test_names.c: the built-in name tables (services, protocols,
 * ICMP types) resolve what pfctl resolves on OpenBSD, whatever the host has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "compiler/names.h"
#include "tests/support/testmain.h"

static void test_services_pfctl_resolves_on_openbsd_have_their_numbers(void **state)
{
	(void)state;
	static const struct pk_name want[] = {
		{"spamd", 8025}, {"spamd-cfg", 8026}, {"smtps", 465}, {"submission", 587},
		{"imaps", 993}, {"mdns", 5353}, {"dhcpv6-client", 546}, {"dhcpv6-server", 547},
		{"ipsec-nat-t", 4500}, {"l2tp", 1701}, {"pptp", 1723}, {"ipp", 631},
		{"sane-port", 6566}, {"afpovertcp", 548}, {"www", 80}, {"http", 80},
		{"auth", 113}, {"ident", 113}, {"domain", 53}, {"ntp", 123}, {"isakmp", 500},
		{"imap4-ssl", 585}, {"privoxy", 8118}, {"ipsec-msft", 4500}, {"ssdp", 1900}, {"matter", 5540},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(pk_service_lookup(want[i].name), want[i].value);
	assert_int_equal(pk_service_lookup("no-such-service"), -1);
}

static void test_every_service_name_is_listed_once(void **state)
{
	(void)state;
	unsigned n;
	const char *const *names = pk_service_names(&n);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			assert_string_not_equal(names[i], names[j]);
}

static void test_protocol_and_icmp_names_resolve(void **state)
{
	(void)state;
	assert_int_equal(pk_proto_lookup("carp"), 112);
	assert_int_equal(pk_proto_lookup("ipv6-icmp"), 58);
	assert_int_equal(pk_icmp_type_lookup("echoreq", 4), 8);
	assert_int_equal(pk_icmp_type_lookup("neighbradv", 6), 136);
	assert_int_equal(pk_icmp_type_lookup("listenrepv2", 6), 143);
	assert_int_equal(pk_icmp_type_lookup("listenrepv2", 4), -1);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_services_pfctl_resolves_on_openbsd_have_their_numbers),
	cmocka_unit_test(test_every_service_name_is_listed_once),
	cmocka_unit_test(test_protocol_and_icmp_names_resolve),
)
