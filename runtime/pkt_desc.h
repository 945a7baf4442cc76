/*
 * runtime/pkt_desc.h: one line describing an IP packet, for people.
 *
 * "tcp 192.168.1.10:40000 > 10.0.10.5:443 [S]", "udp ...", "icmp ... echo
 * request": what replay prints beside a verdict and what it says about the
 * packets the firewall generates. Reads only the bytes it was given.
 */
#ifndef PK_RUNTIME_PKT_DESC_H
#define PK_RUNTIME_PKT_DESC_H

#include <stddef.h>
#include <stdint.h>

/* Room for any line pk_pkt_describe writes, NUL included: a buffer of
 * this size holds it whole, wherever it is made (replay's reading thread
 * makes them ahead, its engine's thread otherwise). */
#define PK_PKT_DESC_MAX 160

/* Writes at most size bytes (NUL included) into buf; returns buf. */
char *pk_pkt_describe(const uint8_t *ip, size_t len, char *buf, size_t size);
/* pf's TCPS_* state names ("ESTABLISHED"); "?" for an unknown value. */
const char *pk_tcp_state_name(uint8_t s);

#endif
