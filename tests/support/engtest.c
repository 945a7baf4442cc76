/* tests/support/engtest.c: see engtest.h. */
#include "tests/support/engtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/packet.h"

#include "tests/support/rstest.h"

struct pk_et et;

static void on_emit(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	(void)ctx;
	(void)dir;
	if (et.nsent < PK_ET_MAXSENT && len <= sizeof(et.sent[0])) {
		memcpy(et.sent[et.nsent], ip, len);
		et.sent_len[et.nsent] = len;
		et.sent_iface[et.nsent] = iface;
	}
	et.nsent++;
}

void pk_et_start(const char *rules)
{
	struct pk_engine_config cfg = {.emit = on_emit, .seed = 42};
	struct pk_rs *rs = pk_test_rules(rules);

	memset(&et, 0, sizeof(et));
	et.eng = pk_engine_new(rs, &cfg);
	if (!et.eng)
		abort();
	et.lan = pk_rs_iface_find(rs, "lan0");
	et.nas = pk_rs_iface_find(rs, "opt1");
	et.wan = pk_rs_iface_find(rs, "wan0");
}

int pk_et_teardown(void **state)
{
	(void)state;
	pk_engine_free(et.eng);
	et.eng = NULL;
	return 0;
}

uint8_t pk_et_run(const struct pk_tb *s, double t, uint16_t iface, uint8_t dir)
{
	et.blen = pk_tb_build(s, et.buf, sizeof(et.buf));
	et.nsent = 0;
	pk_engine_packet(et.eng, (uint64_t)(t * PK_ET_SEC), iface, dir, et.buf, &et.blen, sizeof(et.buf), &et.v);
	return et.v.kind;
}

uint8_t pk_et_tcp(double t, uint16_t iface, uint8_t dir, struct pk_tb_ends e, struct pk_tb_seg g)
{
	struct pk_tb s = pk_tb_tcp(e, g);

	return pk_et_run(&s, t, iface, dir);
}

uint8_t pk_et_udp(double t, uint16_t iface, uint8_t dir, struct pk_tb_ends e)
{
	struct pk_tb s = pk_tb_udp(e, 20);

	return pk_et_run(&s, t, iface, dir);
}

const struct pk_tb_seg pk_et_syn = {.flags = PK_TH_SYN, .seq = 100};
const struct pk_tb_seg pk_et_ack = {.flags = PK_TH_ACK, .seq = 101, .ack = 901};

uint8_t pk_et_handshake(double t, uint16_t iface, struct pk_tb_ends e)
{
	const struct pk_tb_ends back = {.src = e.dst, .sport = e.dport, .dst = e.src, .dport = e.sport};

	assert_int_equal(pk_et_tcp(t, iface, PK_DIR_IN, e, pk_et_syn), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_int_equal(pk_et_tcp(t, iface, PK_DIR_OUT, back,
				   (struct pk_tb_seg){.flags = PK_TH_SYN | PK_TH_ACK, .seq = 900, .ack = 101}),
			 PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	return pk_et_tcp(t, iface, PK_DIR_IN, e, pk_et_ack);
}

struct pk_pkt pk_et_pkt(void)
{
	struct pk_pkt p;

	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
	assert_int_equal(pk_pkt_parse(et.buf, et.blen, &p), PK_REASON_NONE);
	return p;
}

void pk_et_assert_addr(const uint8_t *a, const char *text)
{
	uint8_t want[16];

	pk_tb_addr(strchr(text, ':') ? 6 : 4, text, want);
	assert_memory_equal(a, want, strchr(text, ':') ? 16 : 4);
}

void pk_et_assert_same(const struct pk_verdict v[2], const uint8_t *buf0, const uint8_t *buf1, const size_t len[2])
{
	assert_int_equal(v[0].kind, v[1].kind);
	assert_int_equal(v[0].reason, v[1].reason);
	assert_int_equal(v[0].rule, v[1].rule);
	assert_int_equal(v[0].state_event, v[1].state_event);
	assert_int_equal(v[0].tag, v[1].tag);
	assert_int_equal(v[0].translated, v[1].translated);
	assert_int_equal(v[0].generated, v[1].generated);
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(buf0, buf1, len[0]);
}
