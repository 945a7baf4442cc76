/*
 * runtime/proto.h: wire constants every stage names: TCP flag bits (pf's
 * order "FSRPAUEW") and the protocol numbers the packet path treats apart.
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

#define PK_PROTO_ICMP 1
#define PK_PROTO_TCP 6
#define PK_PROTO_UDP 17
#define PK_PROTO_ICMP6 58

#endif
