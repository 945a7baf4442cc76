/*
 * runtime/proto.h: wire constants every stage names: TCP flag bits (pf's
 * order "FSRPAUEW") and option kinds, the protocol numbers the packet path
 * treats apart, the ethertypes the front ends take, and the ICMP and ICMPv6
 * types and codes the firewall reads or sends (where they sit in a header:
 * runtime/wire.h).
 */
#ifndef PK_RUNTIME_PROTO_H
#define PK_RUNTIME_PROTO_H

#define PK_TH_FIN 0x01
#define PK_TH_SYN 0x02
#define PK_TH_RST 0x04
#define PK_TH_PUSH 0x08
#define PK_TH_ACK 0x10
#define PK_TH_URG 0x20
#define PK_TH_ECE 0x40
#define PK_TH_CWR 0x80

#define PK_TCPOPT_EOL 0
#define PK_TCPOPT_NOP 1
#define PK_TCPOPT_MSS 2
#define PK_TCPOPT_WSCALE 3
#define PK_TCPOPT_SACK_PERM 4
#define PK_TCPOPT_SACK 5
#define PK_TCPOPT_TIMESTAMP 8

#define PK_PROTO_ICMP 1
#define PK_PROTO_TCP 6
#define PK_PROTO_UDP 17
#define PK_PROTO_ICMP6 58

#define PK_ETHERTYPE_IP 0x0800
#define PK_ETHERTYPE_ARP 0x0806
#define PK_ETHERTYPE_IPV6 0x86dd
#define PK_ETHERTYPE_VLAN 0x8100
#define PK_ETHERTYPE_QINQ 0x88a8     /* 802.1ad */
#define PK_ETHERTYPE_QINQ_OLD 0x9100 /* the pre-802.1ad outer tag some switches still send */

#define PK_ARPOP_REQUEST 1
#define PK_ARPOP_REPLY 2

/* ICMP types (RFC 792, 950, 1256) and the codes the firewall sends. */
#define PK_ICMP_ECHOREPLY 0
#define PK_ICMP_UNREACH 3
#define PK_ICMP_SOURCEQUENCH 4
#define PK_ICMP_REDIRECT 5
#define PK_ICMP_ECHO 8
#define PK_ICMP_ROUTERADVERT 9
#define PK_ICMP_ROUTERSOLICIT 10
#define PK_ICMP_TIMXCEED 11
#define PK_ICMP_PARAMPROB 12
#define PK_ICMP_TSTAMP 13
#define PK_ICMP_TSTAMPREPLY 14
#define PK_ICMP_IREQ 15
#define PK_ICMP_IREQREPLY 16
#define PK_ICMP_MASKREQ 17
#define PK_ICMP_MASKREPLY 18

#define PK_ICMP_UNREACH_NET 0
#define PK_ICMP_UNREACH_HOST 1
#define PK_ICMP_UNREACH_PORT 3
#define PK_ICMP_UNREACH_NEEDFRAG 4
#define PK_ICMP_UNREACH_PROTOCOL 2
#define PK_ICMP_UNREACH_HOST_PROHIB 10
#define PK_ICMP_UNREACH_FILTER_PROHIB 13
#define PK_ICMP_TIMXCEED_INTRANS 0

/* ICMPv6 types (RFC 4443, 4861, 2710, 3810): below 128 they are errors. */
#define PK_ICMP6_DST_UNREACH 1
#define PK_ICMP6_PACKET_TOO_BIG 2
#define PK_ICMP6_TIME_EXCEEDED 3
#define PK_ICMP6_PARAM_PROB 4
#define PK_ICMP6_INFOMSG_MIN 128
#define PK_ICMP6_ECHO_REQUEST 128
#define PK_ICMP6_ECHO_REPLY 129
#define PK_ICMP6_MLD_QUERY 130
#define PK_ICMP6_MLD_REPORT 131
#define PK_ICMP6_MLD_DONE 132
#define PK_ND_ROUTER_SOLICIT 133
#define PK_ND_ROUTER_ADVERT 134
#define PK_ND_NEIGHBOR_SOLICIT 135
#define PK_ND_NEIGHBOR_ADVERT 136
#define PK_ICMP6_MLDV2_REPORT 143

#define PK_ICMP6_DST_UNREACH_NOROUTE 0
#define PK_ICMP6_DST_UNREACH_ADMIN 1
#define PK_ICMP6_DST_UNREACH_ADDR 3
#define PK_ICMP6_DST_UNREACH_NOPORT 4
#define PK_ICMP6_TIME_EXCEED_TRANSIT 0
#define PK_ICMP6_PARAMPROB_NEXTHEADER 1

/* Neighbour discovery: option types and advertisement flags (RFC 4861). */
#define PK_ND_OPT_SOURCE_LINKADDR 1
#define PK_ND_OPT_TARGET_LINKADDR 2
#define PK_ND_NA_ROUTER 0x80
#define PK_ND_NA_SOLICITED 0x40
#define PK_ND_NA_OVERRIDE 0x20

#endif
