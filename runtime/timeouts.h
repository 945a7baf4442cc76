/*
 * runtime/timeouts.h: the one table of pf's timeouts.
 *
 * Every state timeout, its pf name, and its value under each `set optimization`
 * profile. The parser reads names from it, the compiler applies profiles from
 * it, the printer and docs print it, the runtime indexes state timeouts by it.
 * TCP values are the reference's "Firewall Optimization Details" table
 * (pfsense-firewall-nat-advanced.txt); the others are pf's defaults, which no
 * profile changes. high-latency and satellite are the same profile in pf.
 */
#ifndef PK_RUNTIME_TIMEOUTS_H
#define PK_RUNTIME_TIMEOUTS_H

#include <stdint.h>

/* X(ID, "pf name", normal, high-latency, conservative, aggressive)  seconds */
#define PK_TIMEOUTS(X)                                                  \
	X(TCP_FIRST,       "tcp.first",          60,   180,   3600,    30) \
	X(TCP_OPENING,     "tcp.opening",        30,    35,    900,     5) \
	X(TCP_ESTABLISHED, "tcp.established", 86400, 86400, 432000, 18000) \
	X(TCP_CLOSING,     "tcp.closing",       900,   905,   3600,    60) \
	X(TCP_FINWAIT,     "tcp.finwait",        45,    50,    600,    30) \
	X(TCP_CLOSED,      "tcp.closed",         90,    95,    180,    30) \
	X(TCP_TSDIFF,      "tcp.tsdiff",         30,    60,     60,    10) \
	X(UDP_FIRST,       "udp.first",          60,    60,     60,    60) \
	X(UDP_SINGLE,      "udp.single",         30,    30,     30,    30) \
	X(UDP_MULTIPLE,    "udp.multiple",       60,    60,     60,    60) \
	X(ICMP_FIRST,      "icmp.first",         20,    20,     20,    20) \
	X(ICMP_ERROR,      "icmp.error",         10,    10,     10,    10) \
	X(OTHER_FIRST,     "other.first",        60,    60,     60,    60) \
	X(OTHER_SINGLE,    "other.single",       30,    30,     30,    30) \
	X(OTHER_MULTIPLE,  "other.multiple",     60,    60,     60,    60) \
	X(FRAG,            "frag",               60,    60,     60,    60) \
	X(INTERVAL,        "interval",           10,    10,     10,    10) \
	X(SRC_TRACK,       "src.track",           0,     0,      0,     0) \
	X(ADAPTIVE_START,  "adaptive.start",      0,     0,      0,     0) \
	X(ADAPTIVE_END,    "adaptive.end",        0,     0,      0,     0)

enum pk_timeout {
#define PK_TMO_ENUM(id, name, n, hl, c, a) PK_TMO_##id,
	PK_TIMEOUTS(PK_TMO_ENUM)
#undef PK_TMO_ENUM
	PK_TMO_COUNT
};

/* `set optimization` profiles; satellite is pf's alias of high-latency. */
enum pk_optimization {
	PK_OPT_NORMAL,
	PK_OPT_HIGH_LATENCY,
	PK_OPT_CONSERVATIVE,
	PK_OPT_AGGRESSIVE,
	PK_OPT_COUNT
};

/* adaptive.start/end are 0 in the table: 0 means "60% / 120% of the states
 * limit", which the compiler computes once the limit is known. */
#define PK_ADAPTIVE_START_PCT 60
#define PK_ADAPTIVE_END_PCT 120
#define PK_DEFAULT_LIMIT_STATES 100000
#define PK_DEFAULT_LIMIT_FRAGS 25000
#define PK_DEFAULT_LIMIT_SRC_NODES 10000
#define PK_DEFAULT_LIMIT_TABLE_ENTRIES 200000

/* Marks a per-rule timeout that the rule does not set. */
#define PK_TMO_UNSET UINT32_MAX

#endif
