/*
 * daemon/nd.c: IPv6 neighbour discovery (RFC 4861) for routed mode: what
 * ARP is to IPv4. Solicitations for our addresses are answered (as a
 * router), solicitations and advertisements feed the neighbour cache of
 * arp.c, and next hops are resolved by soliciting them on their
 * solicited-node multicast address. Like ARP, these messages are the
 * router's own business and are not filtered; messages with a hop limit
 * other than 255 come from off-link and are dropped.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

#define ND_HOP_LIMIT 255 /* what on-link messages carry (RFC 4861 7.1.1) */
/* Header, message and one link-layer address option: what we send. */
#define ND_LEN (PK_IP6_HLEN + PK_ND_HLEN + 8)

/* The link-layer address option of type want in the message's options. */
static const uint8_t *find_lla(const uint8_t *opt, size_t len, uint8_t want)
{
	while (len >= 8 && opt[PK_ND_OPT_OFF_LEN]) {
		size_t olen = (size_t)opt[PK_ND_OPT_OFF_LEN] * 8;
		if (olen > len)
			return NULL;
		if (opt[PK_ND_OPT_OFF_TYPE] == want && olen >= 8)
			return opt + PK_ND_OPT_OFF_DATA;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

/* Write an NS or NA with a link-layer option for mac into frame; returns its length. */
static size_t build(uint8_t *f, const uint8_t eth_dst[6], const uint8_t mac[6], const uint8_t src[16],
		    const uint8_t dst[16], uint8_t type, uint8_t flags, const uint8_t target[16])
{
	uint8_t *ip = f + PK_ETH_HLEN, *nd = ip + PK_IP6_HLEN, *opt = nd + PK_ND_HLEN;

	pk_eth_header(f, eth_dst, mac, PK_ETHERTYPE_IPV6);
	memset(ip, 0, ND_LEN);
	ip[0] = 0x60; /* version 6, traffic class and flow label 0 */
	pk_put16(ip + PK_IP6_OFF_PLEN, ND_LEN - PK_IP6_HLEN);
	ip[PK_IP6_OFF_NXT] = PK_PROTO_ICMP6;
	ip[PK_IP6_OFF_HLIM] = ND_HOP_LIMIT;
	memcpy(ip + PK_IP6_OFF_SRC, src, PK_IP6_ALEN);
	memcpy(ip + PK_IP6_OFF_DST, dst, PK_IP6_ALEN);
	nd[PK_ICMP_OFF_TYPE] = type;
	nd[PK_ND_OFF_FLAGS] = flags;
	memcpy(nd + PK_ND_OFF_TARGET, target, PK_IP6_ALEN);
	bool ns = type == PK_ND_NEIGHBOR_SOLICIT;
	opt[PK_ND_OPT_OFF_TYPE] = ns ? PK_ND_OPT_SOURCE_LINKADDR : PK_ND_OPT_TARGET_LINKADDR;
	opt[PK_ND_OPT_OFF_LEN] = 1;
	memcpy(opt + PK_ND_OPT_OFF_DATA, mac, PK_ETH_ALEN);
	pk_cksum_l4(ip, ND_LEN);
	return PK_ETH_HLEN + ND_LEN;
}

static void advertise(struct pk_daemon *d, unsigned port, const uint8_t *src_mac, const uint8_t *ns)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	uint8_t f[PK_ETH_HLEN + ND_LEN];
	static const uint8_t zero[16];
	const uint8_t *sender = ns + PK_IP6_OFF_SRC, *target = ns + PK_IP6_HLEN + PK_ND_OFF_TARGET;
	bool dad = !memcmp(sender, zero, 16); /* a duplicate address check: answer everyone */
	uint8_t flags = (uint8_t)(PK_ND_NA_ROUTER | PK_ND_NA_OVERRIDE | (dad ? 0 : PK_ND_NA_SOLICITED));
	size_t n = build(f, dad ? all_nodes_mac : src_mac, d->port[port].mac, target, dad ? all_nodes : sender,
			 PK_ND_NEIGHBOR_ADVERT, flags, target);

	if (!pk_afp_send(&d->port[port], f, n))
		d->c.tx_failed++;
}

bool pk_nd_input(struct pk_daemon *d, unsigned port, const uint8_t *src_mac, size_t len)
{
	const uint8_t *ip = d->buf, *nd = ip + PK_IP6_HLEN, *opt = nd + PK_ND_HLEN;
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	static const uint8_t zero[16];

	if (len < PK_IP6_HLEN + PK_ND_HLEN || ip[PK_IP6_OFF_NXT] != PK_PROTO_ICMP6 ||
	    (nd[PK_ICMP_OFF_TYPE] != PK_ND_NEIGHBOR_SOLICIT && nd[PK_ICMP_OFF_TYPE] != PK_ND_NEIGHBOR_ADVERT))
		return false;
	size_t optlen = len - PK_IP6_HLEN - PK_ND_HLEN;
	if (ip[PK_IP6_OFF_HLIM] != ND_HOP_LIMIT || nd[PK_ICMP_OFF_CODE] != 0)
		return true; /* not from this link: dropped, as RFC 4861 7.1.1 asks */
	const uint8_t *target = nd + PK_ND_OFF_TARGET, *sender = ip + PK_IP6_OFF_SRC;
	if (nd[PK_ICMP_OFF_TYPE] == PK_ND_NEIGHBOR_SOLICIT) {
		if (!pk_router_is_ours(rs, d->port_iface[port], PK_AF_INET6, target))
			return true;
		const uint8_t *lla = find_lla(opt, optlen, PK_ND_OPT_SOURCE_LINKADDR);
		if (memcmp(sender, zero, 16))
			pk_arp_learn(&d->arp, d->now_ns, (uint16_t)port, 6, sender, lla ? lla : src_mac, true);
		advertise(d, port, lla ? lla : src_mac, ip);
		return true;
	}
	const uint8_t *lla = find_lla(opt, optlen, PK_ND_OPT_TARGET_LINKADDR);
	pk_arp_learn(&d->arp, d->now_ns, (uint16_t)port, 6, target, lla ? lla : src_mac, false);
	return true;
}

void pk_nd_solicit(void *ctx, uint16_t port, const uint8_t target[16])
{
	struct pk_daemon *d = ctx;
	uint8_t src[16], f[PK_ETH_HLEN + ND_LEN];
	/* The solicited-node multicast address ff02::1:ffXX:XXXX and its MAC. */
	uint8_t dst[16] = {0xff, 0x02, [11] = 1, [12] = 0xff, [13] = target[13], [14] = target[14], [15] = target[15]};
	const uint8_t mac[6] = {0x33, 0x33, 0xff, target[13], target[14], target[15]};

	if (!pk_router_iface_addr(pk_engine_ruleset(d->engine), d->port_iface[port], PK_AF_INET6, target, src))
		return;
	size_t n = build(f, mac, d->port[port].mac, src, dst, PK_ND_NEIGHBOR_SOLICIT, 0, target);
	if (!pk_afp_send(&d->port[port], f, n))
		d->c.tx_failed++;
}
