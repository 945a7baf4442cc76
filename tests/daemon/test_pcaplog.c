/* tests/daemon/test_pcaplog.c: the pcap log of `log` rules, read back by libpcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "daemon/pcaplog.h"
#include "tests/support/testmain.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/pk-pcaplog-%ld.pcap", (long)getpid());
	unlink(path);
	return 0;
}

PK_TEST_FIXTURE(teardown, unlink(path))

static void write_n(int n, uint64_t t0)
{
	struct pk_pcaplog l;
	struct pk_err err;
	uint8_t ip[40] = {0x45, 0, 0, 40};
	assert_int_equal(pk_pcaplog_open(&l, path, &err), 0);
	for (int i = 0; i < n; i++) {
		ip[4] = (uint8_t)i;
		assert_int_equal(pk_pcaplog_write(&l, t0 + (uint64_t)i * 1000000000u, ip, sizeof(ip)), 0);
	}
	pk_pcaplog_close(&l);
}

static void test_libpcap_reads_raw_ip_records_back(void **state)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct stat st;
	(void)state;
	write_n(2, 1700000000ull * 1000000000u + 5000);
	write_n(1, 1700000100ull * 1000000000u); /* appended, not truncated */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	pcap_t *p = pcap_open_offline(path, errbuf);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_RAW);
	int n = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		assert_int_equal(h->caplen, 40);
		assert_int_equal(data[0], 0x45);
		if (n == 0) {
			assert_int_equal(h->ts.tv_sec, 1700000000);
			assert_int_equal(h->ts.tv_usec, 5);
		}
		n++;
	}
	pcap_close(p);
	assert_int_equal(n, 3);
}

static void test_foreign_file_is_refused_not_clobbered(void **state)
{
	struct pk_pcaplog l;
	struct pk_err err;
	(void)state;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("precious data that is not a pcap file\n", f);
	fclose(f);
	assert_int_equal(pk_pcaplog_open(&l, path, &err), -1);
	assert_non_null(strstr(err.msg, "not a raw-IP pcap"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 38);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_libpcap_reads_raw_ip_records_back, setup, teardown),
	cmocka_unit_test_setup_teardown(test_foreign_file_is_refused_not_clobbered, setup, teardown),
)
