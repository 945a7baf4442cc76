/*
 * daemon/router.c: routed mode: picketd is the IPv4 and IPv6 router between
 * the interfaces of the ruleset's topology.
 *
 * A packet is filtered `in` on its ingress interface, then, as a router
 * does it, checked for TTL, routed (by the rule's route-to / reply-to when
 * it has one, else by the topology), its TTL decremented, filtered `out`
 * on the egress interface carrying the tag the `in` step gave it, and sent
 * to the next hop resolved by ARP: the order replay follows too. Packets for the
 * firewall itself are answered when they are echo requests and otherwise
 * dropped after the `in` filter. IPv6 takes the same path, with ICMPv6
 * errors (RFC 4443) and neighbour discovery (nd.c) in place of ARP;
 * multicast and link-local IPv6 destinations are not forwarded.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "daemon/icmp.h"
#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

static bool arp_port_addr(void *ctx, uint16_t port, const uint8_t ip[4], uint8_t mac[6], uint8_t src[4])
{
	struct pk_daemon *d = ctx;

	memcpy(mac, d->port[port].mac, PK_ETH_ALEN);
	return pk_router_iface_addr(pk_engine_ruleset(d->engine), d->port_iface[port], PK_AF_INET, ip, src);
}

static bool arp_is_ours(void *ctx, uint16_t port, const uint8_t ip[4])
{
	struct pk_daemon *d = ctx;

	return pk_router_is_ours(pk_engine_ruleset(d->engine), d->port_iface[port], PK_AF_INET, ip);
}

static void arp_send(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct pk_daemon *d = ctx;

	if (!pk_afp_send(&d->port[port], frame, len))
		d->c.tx_failed++;
}

static void arp_unreachable(void *ctx, uint16_t port, const uint8_t *ip, size_t len)
{
	struct pk_daemon *d = ctx;

	if (pk_ip_version(ip) == 6)
		pk_router_icmp_error(d, d->port_iface[port], PK_ICMP6_DST_UNREACH, PK_ICMP6_DST_UNREACH_ADDR, 0, ip,
				     len);
	else
		pk_router_icmp_error(d, d->port_iface[port], PK_ICMP_UNREACH, PK_ICMP_UNREACH_HOST, 0, ip, len);
}

void pk_router_init(struct pk_daemon *d)
{
	const struct pk_arp_io io = {d, arp_port_addr, arp_is_ours, pk_nd_solicit, arp_send, arp_unreachable};

	pk_arp_init(&d->arp, &io);
}

void pk_router_tick(struct pk_daemon *d)
{
	pk_arp_tick(&d->arp, d->now_ns);
}

bool pk_router_send(struct pk_daemon *d, unsigned port, uint8_t af, const uint8_t *nh, const uint8_t *ip, size_t len)
{
	struct pk_port *p = &d->port[port];
	uint8_t mac[PK_ETH_ALEN];

	if (len + PK_ETH_HLEN > PK_AFP_FRAME_MAX || len > p->mtu) {
		d->c.too_big++;
		return false;
	}
	if (!pk_arp_resolve(&d->arp, d->now_ns, (uint16_t)port, af, nh, mac, ip, len))
		return true; /* queued, or counted by the neighbour cache */
	uint8_t *slot = pk_afp_tx_slot(p);
	if (!slot) {
		d->c.tx_failed++;
		return false;
	}
	pk_eth_header(slot, mac, p->mac, af == 6 ? PK_ETHERTYPE_IPV6 : PK_ETHERTYPE_IP);
	memcpy(slot + PK_ETH_HLEN, ip, len);
	pk_afp_tx_commit(p, PK_ETH_HLEN + len);
	return true;
}

int pk_router_route(struct pk_daemon *d, const uint8_t *ip, const struct pk_verdict *v, uint16_t *oif,
		    uint8_t nh[16])
{
	if (!pk_router_egress(pk_engine_ruleset(d->engine), v, ip, oif, nh))
		return -1;
	return pk_dp_port_of(d, *oif);
}

int pk_router_filter_out(struct pk_daemon *d, uint16_t *oif, uint16_t tag, uint16_t rcvif, size_t *len,
			 uint8_t nh[16])
{
	struct pk_verdict v;

	if (!pk_dp_filter(d, *oif, PK_DIR_OUT, tag, rcvif, len, &v))
		return -1;
	if (v.route != PK_ROUTE_NONE) {
		uint16_t was = *oif;
		pk_router_egress(pk_engine_ruleset(d->engine), &v, d->buf, oif, nh);
		if (*oif != was && !pk_dp_filter(d, *oif, PK_DIR_OUT, v.tag, rcvif, len, &v))
			return -1;
	}
	int port = pk_dp_port_of(d, *oif);
	if (port < 0)
		d->c.no_route++;
	return port;
}

void pk_router_originate(struct pk_daemon *d, const uint8_t *ip, size_t len)
{
	uint16_t oif;
	uint8_t nh[16];

	if (len > sizeof(d->buf) || len < PK_IP4_HLEN)
		return;
	uint8_t kind = d->last_kind; /* the verdict of the packet that caused this one */
	memmove(d->buf, ip, len);
	int port = pk_router_route(d, d->buf, NULL, &oif, nh);
	if (port >= 0)
		port = pk_router_filter_out(d, &oif, 0, PK_RT_NO_IFACE, &len, nh);
	uint8_t af = pk_ip_version(d->buf) == 6 ? PK_AF_INET6 : PK_AF_INET;
	if (port >= 0)
		pk_router_send(d, (unsigned)port, af, nh, d->buf, len);
	d->last_kind = kind;
}

static void to_self(struct pk_daemon *d, size_t len)
{
	d->c.to_self++;
	if (pk_router_echo_reply(d->buf, len)) {
		d->c.echo_replies++;
		pk_router_originate(d, d->buf, len);
	}
}

/* The ICMP (IPv4) and ICMPv6 (IPv6) errors of the forwarding path. */
struct icmp_kind {
	uint8_t type, code;
};
struct forward_errors {
	struct icmp_kind ttl, no_route, too_big;
};
static const struct forward_errors errors4 = {
	.ttl = {PK_ICMP_TIMXCEED, PK_ICMP_TIMXCEED_INTRANS},
	.no_route = {PK_ICMP_UNREACH, PK_ICMP_UNREACH_NET},
	.too_big = {PK_ICMP_UNREACH, PK_ICMP_UNREACH_NEEDFRAG},
};
static const struct forward_errors errors6 = {
	.ttl = {PK_ICMP6_TIME_EXCEEDED, PK_ICMP6_TIME_EXCEED_TRANSIT},
	.no_route = {PK_ICMP6_DST_UNREACH, PK_ICMP6_DST_UNREACH_NOROUTE},
	.too_big = {PK_ICMP6_PACKET_TOO_BIG, 0},
};

/* Multicast and link-local IPv6 destinations never leave their link. */
static bool stays_on_link(const uint8_t a[16])
{
	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

static void forward(struct pk_daemon *d, uint16_t iif, size_t len, bool v6)
{
	struct pk_verdict in;
	uint16_t oif;
	uint8_t nh[16];

	if (v6 && stays_on_link(d->buf + PK_IP6_OFF_DST))
		return; /* MLD, router solicitations and the like: not ours to forward */
	if (!pk_dp_filter(d, iif, PK_DIR_IN, 0, iif, &len, &in))
		return;
	v6 = pk_ip_version(d->buf) == 6; /* af-to: the packet goes on in the other family */
	const struct forward_errors *err = v6 ? &errors6 : &errors4;
	size_t ttl = v6 ? PK_IP6_OFF_HLIM : PK_IP4_OFF_TTL;
	if (in.divert == PK_DIVERT_TO) {
		d->c.to_self++; /* for a local socket of the firewall's, as pf delivers it: not forwarded */
		return;
	}
	if (pk_rs_is_self(pk_engine_ruleset(d->engine), v6 ? PK_AF_INET6 : PK_AF_INET,
			  d->buf + pk_ip_dst_off(v6))) {
		to_self(d, len);
		return;
	}
	if (d->buf[ttl] <= 1) {
		d->c.ttl_exceeded++;
		pk_router_icmp_error(d, iif, err->ttl.type, err->ttl.code, 0, d->buf, len);
		return;
	}
	int port = pk_router_route(d, d->buf, &in, &oif, nh);
	if (port < 0) {
		d->c.no_route++;
		pk_router_icmp_error(d, iif, err->no_route.type, err->no_route.code, 0, d->buf, len);
		return;
	}
	if (v6)
		d->buf[ttl]--; /* the hop limit: IPv6 has no header checksum to fix */
	else
		pk_cksum_ttl_dec(d->buf);
	/* pf forwards an af-to packet as generated: the out rules never see it */
	if (!in.afto)
		port = pk_router_filter_out(d, &oif, in.tag, iif, &len, nh);
	if (port < 0)
		return;
	uint32_t mtu = d->port[port].mtu;
	if (len > mtu) {
		d->c.too_big++;
		/* tell the sender the MTU (path MTU discovery): IPv4 only when it set DF */
		if (v6 || (pk_get16(d->buf + PK_IP4_OFF_FRAG) & PK_IP4_DF))
			pk_router_icmp_error(d, iif, err->too_big.type, err->too_big.code, mtu, d->buf, len);
		return;
	}
	if (pk_router_send(d, (unsigned)port, v6 ? PK_AF_INET6 : PK_AF_INET, nh, d->buf, len))
		d->c.forwarded++;
}

void pk_router_frame(void *ctx, struct pk_port *p, uint8_t *frame, size_t len, unsigned flags)
{
	struct pk_daemon *d = ctx;
	unsigned port = (unsigned)(p - d->port);
	uint8_t af;

	uint16_t type = pk_dp_ethertype(d, frame, len, flags);
	if (!type)
		return;
	if (type == PK_ETHERTYPE_ARP) {
		pk_arp_input(&d->arp, d->now_ns, (uint16_t)port, frame, len);
		return;
	}
	/* Only frames sent to us (or broadcast) are ours to route. */
	if (!(frame[PK_ETH_OFF_DST] & 1) && memcmp(frame + PK_ETH_OFF_DST, p->mac, PK_ETH_ALEN))
		return;
	size_t iplen = pk_dp_take(d, frame, len, flags, &af);
	if (!iplen)
		return;
	if (af == 6 && pk_nd_input(d, port, frame + PK_ETH_OFF_SRC, iplen))
		return; /* neighbour discovery is the router's, like ARP */
	forward(d, d->port_iface[port], iplen, af == 6);
	pk_dp_log_final(d, d->port_iface[port]);
}

/* A dup-to copy is the packet under evaluation itself (the engine emits
 * d->buf, its rule already decided): it leaves by the interface the engine
 * names, towards the rule's gateway, not by the route to its destination. */
static bool dup_to_next_hop(const struct pk_daemon *d, uint16_t iface, const uint8_t *ip, uint8_t nh[16])
{
	const struct pk_verdict *v = d->eval;
	if (!v || ip != d->buf)
		return false;
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	const struct pk_rs_rule *r = pk_rs_rule(rs, v->state_rule != PK_RT_NO_RULE ? v->state_rule : v->rule);
	if (!r || r->route != PK_ROUTE_DUP_TO)
		return false;
	struct pk_verdict dup = {.route = PK_ROUTE_TO, .route_iface = iface};
	uint16_t oif;
	memcpy(dup.route_gw, r->route_gw, 16);
	return pk_router_egress(rs, &dup, ip, &oif, nh);
}

void pk_router_emit(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	struct pk_daemon *d = ctx;
	uint16_t oif;
	uint8_t nh[16];

	(void)dir;
	d->c.emitted++;
	bool v6 = len >= PK_IP6_HLEN && pk_ip_version(ip) == 6;
	if (len < PK_IP4_HLEN || (pk_ip_version(ip) != 4 && !v6)) {
		d->c.emit_failed++;
		return;
	}
	/* The engine's own packets are not filtered again (pf marks them as
	 * generated); dup-to copies leave by their interface, the others follow
	 * the route to their destination, or the interface the engine named
	 * when there is none. */
	int port = -1;
	if (dup_to_next_hop(d, iface, ip, nh))
		port = pk_dp_port_of(d, iface);
	else
		port = pk_router_route(d, ip, NULL, &oif, nh);
	if (port < 0) {
		port = pk_dp_port_of(d, iface);
		memcpy(nh, ip + pk_ip_dst_off(v6), pk_ip_alen(v6));
	}
	if (port < 0 || !pk_router_send(d, (unsigned)port, v6 ? PK_AF_INET6 : PK_AF_INET, nh, ip, len))
		d->c.emit_failed++;
}
