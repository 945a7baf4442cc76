/*
 * daemon/report_priv.h: the names both listings of the control socket use,
 * the pfctl-style text (report.c) and JSON (report_json.c).
 */
#ifndef PK_DAEMON_REPORT_PRIV_H
#define PK_DAEMON_REPORT_PRIV_H

#include <stdint.h>

/* icmp, tcp, udp, ipv6-icmp, or the number written into buf[8]. */
const char *pk_report_proto_name(uint8_t p, char *buf);
/* A peer's state: pf's TCPS_* names for TCP, NO_TRAFFIC/SINGLE/MULTIPLE else. */
const char *pk_report_state_name(uint8_t proto, uint8_t s);
/* pass, block, match, scrub, nat, rdr, binat. */
const char *pk_report_action_name(uint8_t action);

#endif
