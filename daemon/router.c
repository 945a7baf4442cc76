/*
 * daemon/router.c: routed mode: picketd is the IPv4 router between the
 * interfaces of the ruleset's topology.
 *
 * A packet is filtered `in` on its ingress interface, then, as a router
 * does it, checked for TTL, routed (by the rule's route-to / reply-to when
 * it has one, else by the topology), its TTL decremented, filtered `out`
 * on the egress interface carrying the tag the `in` step gave it, and sent
 * to the next hop resolved by ARP: the order replay follows too. Packets for the
 * firewall itself are answered when they are echo requests and otherwise
 * dropped after the `in` filter. IPv6 takes the same path (router6.c),
 * with neighbour discovery (nd.c) in place of ARP.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "daemon/cksum.h"

#define ETH_HLEN 14
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ICMP_UNREACH 3
#define ICMP_TIMXCEED 11

/* Our IPv4 address on iface; with want set, the one whose network holds it. */
static bool iface_v4(const struct pk_rs *rs, uint16_t iface, const uint8_t *want, uint8_t out[4])
{
	uint32_t n = pk_rs_iface_naddr(rs, iface);
	bool found = false;

	for (uint32_t k = 0; k < n; k++) {
		uint8_t af, addr[16], len;
		pk_rs_iface_addr(rs, iface, k, &af, addr, &len);
		if (af != PK_AF_INET)
			continue;
		uint32_t a = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 | (uint32_t)addr[2] << 8 | addr[3];
		uint32_t mask = len ? ~0u << (32 - len) : 0;
		bool same_net = want && ((a ^ ((uint32_t)want[0] << 24 | (uint32_t)want[1] << 16 |
					       (uint32_t)want[2] << 8 | want[3])) & mask) == 0;
		if (!found || same_net) {
			memcpy(out, addr, 4);
			found = true;
			if (same_net)
				return true;
		}
	}
	return found;
}

static bool arp_port_addr(void *ctx, uint16_t port, const uint8_t ip[4], uint8_t mac[6], uint8_t src[4])
{
	struct pk_daemon *d = ctx;

	memcpy(mac, d->port[port].mac, 6);
	return iface_v4(pk_engine_ruleset(d->engine), d->port_iface[port], ip, src);
}

static bool arp_is_ours(void *ctx, uint16_t port, const uint8_t ip[4])
{
	struct pk_daemon *d = ctx;
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	uint32_t n = pk_rs_iface_naddr(rs, d->port_iface[port]);

	for (uint32_t k = 0; k < n; k++) {
		uint8_t af, addr[16], len;
		pk_rs_iface_addr(rs, d->port_iface[port], k, &af, addr, &len);
		if (af == PK_AF_INET && !memcmp(addr, ip, 4))
			return true;
	}
	return false;
}

static void arp_send(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct pk_daemon *d = ctx;

	if (!pk_afp_send(&d->port[port], frame, len))
		d->c.tx_failed++;
}

static void send_icmp_error(struct pk_daemon *d, uint16_t iface, uint8_t type, uint8_t code, uint16_t mtu,
			    const uint8_t *orig, size_t len);

static void arp_unreachable(void *ctx, uint16_t port, const uint8_t *ip, size_t len)
{
	struct pk_daemon *d = ctx;

	if ((ip[0] >> 4) == 6)
		pk_router_icmp6_error(d, d->port_iface[port], 1, 3, 0, ip, len); /* address unreachable */
	else
		send_icmp_error(d, d->port_iface[port], ICMP_UNREACH, 1, 0, ip, len);
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
	uint8_t mac[6];

	if (len + ETH_HLEN > PK_AFP_FRAME_MAX || len > p->mtu) {
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
	pk_eth_header(slot, mac, p->mac, af == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP);
	memcpy(slot + ETH_HLEN, ip, len);
	pk_afp_tx_commit(p, ETH_HLEN + len);
	return true;
}

int pk_router_route(struct pk_daemon *d, const uint8_t *ip, const struct pk_verdict *v, uint16_t *oif,
		    uint8_t nh[16])
{
	if (!pk_router_egress(pk_engine_ruleset(d->engine), v, ip, oif, nh))
		return -1;
	return pk_dp_port_of(d, *oif);
}

int pk_router_filter_out(struct pk_daemon *d, uint16_t *oif, uint16_t tag, size_t *len, uint8_t nh[16])
{
	struct pk_verdict v;

	if (!pk_dp_filter(d, *oif, PK_DIR_OUT, tag, len, &v))
		return -1;
	if (v.route != PK_ROUTE_NONE) {
		uint16_t was = *oif;
		pk_router_egress(pk_engine_ruleset(d->engine), &v, d->buf, oif, nh);
		if (*oif != was && !pk_dp_filter(d, *oif, PK_DIR_OUT, v.tag, len, &v))
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

	if (len > sizeof(d->buf) || len < 20)
		return;
	uint8_t kind = d->last_kind; /* the verdict of the packet that caused this one */
	memmove(d->buf, ip, len);
	int port = pk_router_route(d, d->buf, NULL, &oif, nh);
	if (port >= 0)
		port = pk_router_filter_out(d, &oif, 0, &len, nh);
	if (port >= 0)
		pk_router_send(d, (unsigned)port, (d->buf[0] >> 4) == 6 ? 6 : 4, nh, d->buf, len);
	d->last_kind = kind;
}

static void send_icmp_error(struct pk_daemon *d, uint16_t iface, uint8_t type, uint8_t code, uint16_t mtu,
			    const uint8_t *orig, size_t len)
{
	uint8_t out[600], src[4];

	if (!iface_v4(pk_engine_ruleset(d->engine), iface, orig + 12, src))
		return;
	size_t n = pk_icmp4_error(out, sizeof(out), type, code, mtu, src, orig, len);
	if (n)
		pk_router_originate(d, out, n);
}

static void to_self(struct pk_daemon *d, size_t len)
{
	d->c.to_self++;
	if (pk_icmp4_echo_reply(d->buf, len)) {
		d->c.echo_replies++;
		pk_router_originate(d, d->buf, len);
	}
}

static void forward4(struct pk_daemon *d, uint16_t iif, size_t len)
{
	struct pk_verdict in;
	uint16_t oif;
	uint8_t nh[16], dst[16] = {0};

	if (!pk_dp_filter(d, iif, PK_DIR_IN, 0, &len, &in))
		return;
	memcpy(dst, d->buf + 16, 4);
	if (pk_rs_is_self(pk_engine_ruleset(d->engine), PK_AF_INET, dst)) {
		to_self(d, len);
		return;
	}
	if (d->buf[8] <= 1) {
		d->c.ttl_exceeded++;
		send_icmp_error(d, iif, ICMP_TIMXCEED, 0, 0, d->buf, len);
		return;
	}
	int port = pk_router_route(d, d->buf, &in, &oif, nh);
	if (port < 0) {
		d->c.no_route++;
		send_icmp_error(d, iif, ICMP_UNREACH, 0, 0, d->buf, len);
		return;
	}
	pk_csum_ttl_dec(d->buf);
	port = pk_router_filter_out(d, &oif, in.tag, &len, nh);
	if (port < 0)
		return;
	if (len > d->port[port].mtu) {
		d->c.too_big++;
		if (d->buf[6] & 0x40) /* DF: tell the sender the MTU (path MTU discovery) */
			send_icmp_error(d, iif, ICMP_UNREACH, 4, (uint16_t)d->port[port].mtu, d->buf, len);
		return;
	}
	if (pk_router_send(d, (unsigned)port, 4, nh, d->buf, len))
		d->c.forwarded++;
}

void pk_router_frame(void *ctx, struct pk_port *p, uint8_t *frame, size_t len, unsigned flags)
{
	struct pk_daemon *d = ctx;
	unsigned port = (unsigned)(p - d->port);
	uint8_t af;

	if (len < ETH_HLEN)
		return;
	uint16_t type = (uint16_t)(frame[12] << 8 | frame[13]);
	if ((flags & PK_AFP_VLAN) || (type != ETHERTYPE_IP && type != ETHERTYPE_IPV6 && type != ETHERTYPE_ARP)) {
		d->c.other_l2++;
		return;
	}
	if (type == ETHERTYPE_ARP) {
		pk_arp_input(&d->arp, d->now_ns, (uint16_t)port, frame, len);
		return;
	}
	/* Only frames sent to us (or broadcast) are ours to route. */
	if (!(frame[0] & 1) && memcmp(frame, p->mac, 6))
		return;
	size_t iplen = pk_dp_take(d, frame, len, flags, &af);
	if (!iplen)
		return;
	if (af == 6 && pk_nd_input(d, port, frame + 6, iplen))
		return; /* neighbour discovery is the router's, like ARP */
	if (af == 6)
		pk_router_forward6(d, d->port_iface[port], iplen);
	else
		forward4(d, d->port_iface[port], iplen);
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
	if (len < 20 || ((ip[0] >> 4) != 4 && (len < 40 || (ip[0] >> 4) != 6))) {
		d->c.emit_failed++;
		return;
	}
	uint8_t af = (ip[0] >> 4) == 6 ? 6 : 4;
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
		memcpy(nh, ip + (af == 6 ? 24 : 16), af == 6 ? 16 : 4);
	}
	if (port < 0 || !pk_router_send(d, (unsigned)port, af, nh, ip, len))
		d->c.emit_failed++;
}
