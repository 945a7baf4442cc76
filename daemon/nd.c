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

#include "daemon/cksum.h"

#define ETH_HLEN 14
#define ND_NS 135
#define ND_NA 136
#define OPT_SLL 1
#define OPT_TLL 2
#define NA_ROUTER 0x80
#define NA_SOLICITED 0x40
#define NA_OVERRIDE 0x20
#define ND_LEN (40 + 24 + 8) /* header, message, one link-layer address option */

/* The link-layer address option of type want in the message's options. */
static const uint8_t *find_lla(const uint8_t *opt, size_t len, uint8_t want)
{
	while (len >= 8 && opt[1]) {
		size_t olen = (size_t)opt[1] * 8;
		if (olen > len)
			return NULL;
		if (opt[0] == want && olen >= 8)
			return opt + 2;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

static bool is_ours6(const struct pk_rs *rs, uint16_t iface, const uint8_t a[16])
{
	uint32_t n = pk_rs_iface_naddr(rs, iface);

	for (uint32_t k = 0; k < n; k++) {
		uint8_t af, addr[16], len;
		pk_rs_iface_addr(rs, iface, k, &af, addr, &len);
		if (af == PK_AF_INET6 && !memcmp(addr, a, 16))
			return true;
	}
	return false;
}

/* Write an NS or NA with a link-layer option for mac into frame; returns its length. */
static size_t build(uint8_t *f, const uint8_t eth_dst[6], const uint8_t mac[6], const uint8_t src[16],
		    const uint8_t dst[16], uint8_t type, uint8_t flags, const uint8_t target[16])
{
	uint8_t *ip = f + ETH_HLEN;

	pk_eth_header(f, eth_dst, mac, 0x86dd);
	memset(ip, 0, ND_LEN);
	ip[0] = 0x60;
	ip[5] = ND_LEN - 40;
	ip[6] = 58;
	ip[7] = 255;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	ip[40] = type;
	ip[44] = flags;
	memcpy(ip + 48, target, 16);
	ip[64] = type == ND_NS ? OPT_SLL : OPT_TLL;
	ip[65] = 1;
	memcpy(ip + 66, mac, 6);
	pk_csum_l4(ip, ND_LEN);
	return ETH_HLEN + ND_LEN;
}

static void advertise(struct pk_daemon *d, unsigned port, const uint8_t *src_mac, const uint8_t *ns)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	uint8_t f[ETH_HLEN + ND_LEN];
	static const uint8_t zero[16];
	bool dad = !memcmp(ns + 8, zero, 16); /* a duplicate address check: answer everyone */
	size_t n = build(f, dad ? all_nodes_mac : src_mac, d->port[port].mac, ns + 48, dad ? all_nodes : ns + 8,
			 ND_NA, (uint8_t)(NA_ROUTER | NA_OVERRIDE | (dad ? 0 : NA_SOLICITED)), ns + 48);

	if (!pk_afp_send(&d->port[port], f, n))
		d->c.tx_failed++;
}

bool pk_nd_input(struct pk_daemon *d, unsigned port, const uint8_t *src_mac, size_t len)
{
	const uint8_t *ip = d->buf;
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);
	static const uint8_t zero[16];

	if (len < 40 + 24 || ip[6] != 58 || (ip[40] != ND_NS && ip[40] != ND_NA))
		return false;
	if (ip[7] != 255 || ip[41] != 0)
		return true; /* not from this link: dropped, as RFC 4861 7.1.1 asks */
	const uint8_t *target = ip + 48;
	if (ip[40] == ND_NS) {
		if (!is_ours6(rs, d->port_iface[port], target))
			return true;
		const uint8_t *lla = find_lla(ip + 64, len - 64, OPT_SLL);
		if (memcmp(ip + 8, zero, 16))
			pk_arp_learn(&d->arp, d->now_ns, (uint16_t)port, 6, ip + 8, lla ? lla : src_mac, true);
		advertise(d, port, lla ? lla : src_mac, ip);
		return true;
	}
	const uint8_t *lla = find_lla(ip + 64, len - 64, OPT_TLL);
	pk_arp_learn(&d->arp, d->now_ns, (uint16_t)port, 6, target, lla ? lla : src_mac, false);
	return true;
}

void pk_nd_solicit(void *ctx, uint16_t port, const uint8_t target[16])
{
	struct pk_daemon *d = ctx;
	uint8_t src[16], f[ETH_HLEN + ND_LEN];
	/* The solicited-node multicast address ff02::1:ffXX:XXXX and its MAC. */
	uint8_t dst[16] = {0xff, 0x02, [11] = 1, [12] = 0xff, [13] = target[13], [14] = target[14], [15] = target[15]};
	const uint8_t mac[6] = {0x33, 0x33, 0xff, target[13], target[14], target[15]};

	if (!pk_router_iface_v6(pk_engine_ruleset(d->engine), d->port_iface[port], target, src))
		return;
	size_t n = build(f, mac, d->port[port].mac, src, dst, ND_NS, 0, target);
	if (!pk_afp_send(&d->port[port], f, n))
		d->c.tx_failed++;
}
