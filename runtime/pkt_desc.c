/* runtime/pkt_desc.c: describe a packet in one line. */
#include "runtime/pkt_desc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* pf's TCPS_* numbering (netinet/tcp_fsm.h). */
static const char *const tcp_states[] = {"CLOSED",      "LISTEN",     "SYN_SENT",  "SYN_RCVD",
					 "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING",
					 "LAST_ACK",    "FIN_WAIT_2", "TIME_WAIT"};

const char *pk_tcp_state_name(uint8_t s)
{
	return s < sizeof tcp_states / sizeof tcp_states[0] ? tcp_states[s] : "?";
}

/* pf-style TCP flag letters ("SA", "FPA"); "" for none. */
static void tcp_flags_text(uint8_t flags, char out[9])
{
	static const char letters[] = "FSRPAUEW";
	int k = 0;
	for (int i = 0; i < 8; i++)
		if (flags & (1u << i))
			out[k++] = letters[i];
	out[k] = '\0';
}

/* ICMP (v4) type names for the messages a firewall is asked about. */
static const char *icmp4_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case 0: return "echo reply";
	case 8: return "echo request";
	case 11: return "time exceeded";
	case 3: return code == 3 ? "port unreachable" : code == 13 ? "admin prohibited" : "unreachable";
	default: return "icmp";
	}
}

static const char *icmp6_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case 128: return "echo request";
	case 129: return "echo reply";
	case 1: return code == 4 ? "port unreachable" : code == 1 ? "admin prohibited" : "unreachable";
	case 3: return "time exceeded";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	default: return "icmp6";
	}
}

static void transport(char *buf, size_t size, uint8_t proto, const uint8_t *l4, size_t l4len, const char *src,
		      const char *dst, int v6)
{
	char fl[9];
	if ((proto == 6 || proto == 17) && l4len >= 4) {
		unsigned sp = (unsigned)(l4[0] << 8 | l4[1]), dp = (unsigned)(l4[2] << 8 | l4[3]);
		const char *fmt = v6 ? "%s [%s]:%u > [%s]:%u" : "%s %s:%u > %s:%u";
		int k = snprintf(buf, size, fmt, proto == 6 ? "tcp" : "udp", src, sp, dst, dp);
		if (proto == 6 && l4len >= 14 && k > 0 && (size_t)k < size) {
			tcp_flags_text(l4[13], fl);
			snprintf(buf + k, size - (size_t)k, " [%s]", fl);
		}
	} else if ((proto == 1 || proto == 58) && l4len >= 2)
		snprintf(buf, size, "%s %s > %s %s", proto == 1 ? "icmp" : "icmp6", src, dst,
			 proto == 1 ? icmp4_name(l4[0], l4[1]) : icmp6_name(l4[0], l4[1]));
	else
		snprintf(buf, size, "proto %u %s > %s%s", proto, src, dst, l4len ? "" : " (no transport header)");
}

char *pk_pkt_describe(const uint8_t *ip, size_t len, char *buf, size_t size)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	if (len >= 20 && ip[0] >> 4 == 4) {
		size_t hl = (size_t)(ip[0] & 15) * 4;
		int frag = (((ip[6] & 0x1f) << 8) | ip[7]) != 0;
		inet_ntop(AF_INET, ip + 12, src, sizeof src);
		inet_ntop(AF_INET, ip + 16, dst, sizeof dst);
		if (hl < 20 || hl > len || frag)
			snprintf(buf, size, "ip %s > %s proto %u%s", src, dst, ip[9], frag ? " (fragment)" : " (bad header)");
		else
			transport(buf, size, ip[9], ip + hl, len - hl, src, dst, 0);
	} else if (len >= 40 && ip[0] >> 4 == 6) {
		inet_ntop(AF_INET6, ip + 8, src, sizeof src);
		inet_ntop(AF_INET6, ip + 24, dst, sizeof dst);
		transport(buf, size, ip[6], ip + 40, len - 40, src, dst, 1);
	} else
		snprintf(buf, size, "not an IP packet (%zu bytes)", len);
	return buf;
}
