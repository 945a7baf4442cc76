/* runtime/pkt_desc.c: describe a packet in one line. */
#include "runtime/pkt_desc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

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

/* An unreachable's code, in the family's numbering of port and admin codes. */
static const char *unreach_name(uint8_t code, uint8_t port, uint8_t prohibited)
{
	if (code == port)
		return "port unreachable";
	return code == prohibited ? "admin prohibited" : "unreachable";
}

/* ICMP (v4) type names for the messages a firewall is asked about. */
static const char *icmp4_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case PK_ICMP_ECHOREPLY: return "echo reply";
	case PK_ICMP_ECHO: return "echo request";
	case PK_ICMP_TIMXCEED: return "time exceeded";
	case PK_ICMP_UNREACH: return unreach_name(code, PK_ICMP_UNREACH_PORT, PK_ICMP_UNREACH_FILTER_PROHIB);
	default: return "icmp";
	}
}

static const char *icmp6_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case PK_ICMP6_ECHO_REQUEST: return "echo request";
	case PK_ICMP6_ECHO_REPLY: return "echo reply";
	case PK_ICMP6_DST_UNREACH:
		return unreach_name(code, PK_ICMP6_DST_UNREACH_NOPORT, PK_ICMP6_DST_UNREACH_ADMIN);
	case PK_ICMP6_TIME_EXCEEDED: return "time exceeded";
	case PK_ND_NEIGHBOR_SOLICIT: return "neighbor solicitation";
	case PK_ND_NEIGHBOR_ADVERT: return "neighbor advertisement";
	default: return "icmp6";
	}
}

static void transport(char *buf, size_t size, uint8_t proto, const uint8_t *l4, size_t l4len, const char *src,
		      const char *dst, int v6)
{
	char fl[9];
	bool tcp = proto == PK_PROTO_TCP, icmp4 = proto == PK_PROTO_ICMP;
	if ((tcp || proto == PK_PROTO_UDP) && l4len >= 4) {
		unsigned sp = pk_get16(l4 + PK_L4_OFF_SPORT), dp = pk_get16(l4 + PK_L4_OFF_DPORT);
		const char *fmt = v6 ? "%s [%s]:%u > [%s]:%u" : "%s %s:%u > %s:%u";
		int k = snprintf(buf, size, fmt, tcp ? "tcp" : "udp", src, sp, dst, dp);
		if (tcp && l4len > PK_TCP_OFF_FLAGS && k > 0 && (size_t)k < size) {
			tcp_flags_text(l4[PK_TCP_OFF_FLAGS], fl);
			snprintf(buf + k, size - (size_t)k, " [%s]", fl);
		}
	} else if ((icmp4 || proto == PK_PROTO_ICMP6) && l4len > PK_ICMP_OFF_CODE) {
		uint8_t type = l4[PK_ICMP_OFF_TYPE], code = l4[PK_ICMP_OFF_CODE];
		snprintf(buf, size, "%s %s > %s %s", icmp4 ? "icmp" : "icmp6", src, dst,
			 icmp4 ? icmp4_name(type, code) : icmp6_name(type, code));
	}
	else
		snprintf(buf, size, "proto %u %s > %s%s", proto, src, dst, l4len ? "" : " (no transport header)");
}

char *pk_pkt_describe(const uint8_t *ip, size_t len, char *buf, size_t size)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		size_t hl = pk_ip4_hlen(ip);
		uint8_t proto = ip[PK_IP4_OFF_PROTO];
		bool frag = (pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_OFFMASK) != 0;
		inet_ntop(AF_INET, ip + PK_IP4_OFF_SRC, src, sizeof src);
		inet_ntop(AF_INET, ip + PK_IP4_OFF_DST, dst, sizeof dst);
		if (hl < PK_IP4_HLEN || hl > len || frag)
			snprintf(buf, size, "ip %s > %s proto %u%s", src, dst, proto,
				 frag ? " (fragment)" : " (bad header)");
		else
			transport(buf, size, proto, ip + hl, len - hl, src, dst, 0);
	} else if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6) {
		inet_ntop(AF_INET6, ip + PK_IP6_OFF_SRC, src, sizeof src);
		inet_ntop(AF_INET6, ip + PK_IP6_OFF_DST, dst, sizeof dst);
		transport(buf, size, ip[PK_IP6_OFF_NXT], ip + PK_IP6_HLEN, len - PK_IP6_HLEN, src, dst, 1);
	} else
		snprintf(buf, size, "not an IP packet (%zu bytes)", len);
	return buf;
}
