/* runtime/pkt_desc.c: describe a packet in one line. */
#include "runtime/pkt_desc.h"

#include <stdbool.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/proto.h"
#include "runtime/rule_vocab.h"
#include "runtime/text.h"
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

/* The transport part of the line, after the addresses' family is known. */
static void transport(struct pk_text *t, uint8_t proto, const uint8_t *l4, size_t l4len, uint8_t af,
		      const uint8_t *src, const uint8_t *dst)
{
	const bool tcp = proto == PK_PROTO_TCP, icmp4 = proto == PK_PROTO_ICMP, v6 = af == PK_AF_INET6;

	if ((tcp || proto == PK_PROTO_UDP) && l4len >= 4) {
		pk_text_str(t, tcp ? "tcp " : "udp ");
		pk_text_str(t, v6 ? "[" : "");
		pk_text_addr(t, af, src);
		pk_text_str(t, v6 ? "]:" : ":");
		pk_text_uint(t, pk_get16(l4 + PK_L4_OFF_SPORT), 0, ' ');
		pk_text_str(t, v6 ? " > [" : " > ");
		pk_text_addr(t, af, dst);
		pk_text_str(t, v6 ? "]:" : ":");
		pk_text_uint(t, pk_get16(l4 + PK_L4_OFF_DPORT), 0, ' ');
		if (tcp && l4len > PK_TCP_OFF_FLAGS) {
			char fl[9];
			tcp_flags_text(l4[PK_TCP_OFF_FLAGS], fl);
			pk_text_str(t, " [");
			pk_text_str(t, fl);
			pk_text_char(t, ']');
		}
	} else if ((icmp4 || proto == PK_PROTO_ICMP6) && l4len > PK_ICMP_OFF_CODE) {
		const uint8_t type = l4[PK_ICMP_OFF_TYPE], code = l4[PK_ICMP_OFF_CODE];
		pk_text_str(t, icmp4 ? "icmp " : "icmp6 ");
		pk_text_addr(t, af, src);
		pk_text_str(t, " > ");
		pk_text_addr(t, af, dst);
		pk_text_char(t, ' ');
		pk_text_str(t, icmp4 ? icmp4_name(type, code) : icmp6_name(type, code));
	} else {
		pk_text_str(t, "proto ");
		pk_text_uint(t, proto, 0, ' ');
		pk_text_char(t, ' ');
		pk_text_addr(t, af, src);
		pk_text_str(t, " > ");
		pk_text_addr(t, af, dst);
		pk_text_str(t, l4len ? "" : " (no transport header)");
	}
}

/* Built by appends, not printf: a replay describes every packet it shows. */
char *pk_pkt_describe(const uint8_t *ip, size_t len, char *buf, size_t size)
{
	struct pk_text t;

	pk_text_init(&t, buf, size);
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		const size_t hl = pk_ip4_hlen(ip);
		const uint8_t proto = ip[PK_IP4_OFF_PROTO];
		const bool frag = (pk_get16(ip + PK_IP4_OFF_FRAG) & PK_IP4_OFFMASK) != 0;
		if (hl < PK_IP4_HLEN || hl > len || frag) {
			pk_text_str(&t, "ip ");
			pk_text_addr(&t, PK_AF_INET, ip + PK_IP4_OFF_SRC);
			pk_text_str(&t, " > ");
			pk_text_addr(&t, PK_AF_INET, ip + PK_IP4_OFF_DST);
			pk_text_str(&t, " proto ");
			pk_text_uint(&t, proto, 0, ' ');
			pk_text_str(&t, frag ? " (fragment)" : " (bad header)");
		} else
			transport(&t, proto, ip + hl, len - hl, PK_AF_INET, ip + PK_IP4_OFF_SRC, ip + PK_IP4_OFF_DST);
	} else if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6)
		transport(&t, ip[PK_IP6_OFF_NXT], ip + PK_IP6_HLEN, len - PK_IP6_HLEN, PK_AF_INET6,
			  ip + PK_IP6_OFF_SRC, ip + PK_IP6_OFF_DST);
	else {
		pk_text_str(&t, "not an IP packet (");
		pk_text_uint(&t, len, 0, ' ');
		pk_text_str(&t, " bytes)");
	}
	pk_text_end(&t);
	return buf;
}
