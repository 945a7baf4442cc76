/*
 * tests/support/engtest.h: driving an engine in tests.
 *
 * One engine at a time over a three-interface topology (lan0, opt1 with
 * the storage server, wan0 with the default route), packets built with
 * pktbuild at a given capture time, and the packets the engine generated
 * kept for inspection.
 */
#ifndef PK_TESTS_ENGTEST_H
#define PK_TESTS_ENGTEST_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/packet.h"
#include "tests/support/pktbuild.h"

#define PK_ET_SEC 1000000000ull
#define PK_ET_TOPO                                    \
	"interface lan0 address 192.168.1.1/24\n"     \
	"interface opt1 address 10.0.10.1/24\n"       \
	"interface wan0 address 203.0.113.2/24\n"     \
	"route default via wan0 gateway 203.0.113.1\n"
#define PK_ET_MAXSENT 4

struct pk_et {
	struct pk_engine *eng;
	uint16_t lan, nas, wan;
	uint8_t buf[65536 + 64];
	size_t blen;
	struct pk_verdict v;
	uint8_t sent[PK_ET_MAXSENT][1600];
	size_t sent_len[PK_ET_MAXSENT];
	uint16_t sent_iface[PK_ET_MAXSENT];
	unsigned nsent;
};
extern struct pk_et et;

void pk_et_start(const char *rules);
int pk_et_teardown(void **state);
/* Build s, hand it to the engine at t seconds; returns the verdict kind. */
uint8_t pk_et_run(const struct pk_tb *s, double t, uint16_t iface, uint8_t dir);

/* The TCP segment g between e's ends, handed to the engine at t seconds
 * on iface going dir; returns the verdict kind. */
uint8_t pk_et_tcp(double t, uint16_t iface, uint8_t dir, struct pk_tb_ends e, struct pk_tb_seg g);
/* The same for a UDP datagram with 20 bytes of data. */
uint8_t pk_et_udp(double t, uint16_t iface, uint8_t dir, struct pk_tb_ends e);
/* The packet now in et.buf (as the engine left it), its checksums
 * verified, parsed. */
struct pk_pkt pk_et_pkt(void);
/* Address a (16 bytes; IPv4 in the first 4) is the text address. */
void pk_et_assert_addr(const uint8_t *a, const char *text);
/* Two engines' verdicts on the same packet, v[0] and v[1], and the bytes
 * each left of it (buf0 and buf1, len[0] and len[1] long), are the same. */
void pk_et_assert_same(const struct pk_verdict v[2], const uint8_t *buf0, const uint8_t *buf1, const size_t len[2]);

/* A handshake at t on iface: pk_et_syn in from e.src passes and creates a
 * state, the SYN|ACK (900, acknowledging 101) out from e.dst passes on it;
 * returns the verdict of pk_et_ack, which completes it. */
uint8_t pk_et_handshake(double t, uint16_t iface, struct pk_tb_ends e);
/* The client's SYN (sequence 100) and its ACK (101, acknowledging 901). */
extern const struct pk_tb_seg pk_et_syn, pk_et_ack;

#endif
