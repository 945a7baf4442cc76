/*
 * daemon/router6.c: routed mode for IPv6: the path of router.c (filter in,
 * hop limit, route or route-to, filter out with the tag, next hop) with ICMPv6 errors (RFC 4443)
 * and neighbour discovery in place of ARP. Multicast and link-local
 * destinations are not forwarded (they never leave their link).
 */
#include "daemon/daemon.h"

#include <string.h>

#include "daemon/cksum.h"

#define ICMP6_UNREACH 1
#define ICMP6_TOOBIG 2
#define ICMP6_TIMXCEED 3
#define ICMP6_ECHO 128
#define ICMP6_ECHOREPLY 129
#define IPV6_MIN_MTU 1280

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned bytes = len / 8, bits = len % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

bool pk_router_iface_v6(const struct pk_rs *rs, uint16_t iface, const uint8_t *want, uint8_t out[16])
{
	uint32_t n = pk_rs_iface_naddr(rs, iface);
	bool found = false;

	for (uint32_t k = 0; k < n; k++) {
		uint8_t af, addr[16], len;
		pk_rs_iface_addr(rs, iface, k, &af, addr, &len);
		if (af != PK_AF_INET6)
			continue;
		bool same_net = want && prefix_match(addr, want, len);
		if (!found || same_net) {
			memcpy(out, addr, 16);
			found = true;
			if (same_net)
				return true;
		}
	}
	return found;
}

static bool stays_on_link(const uint8_t a[16])
{
	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

static bool unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return !memcmp(a, zero, 16);
}

void pk_router_icmp6_error(struct pk_daemon *d, uint16_t iface, uint8_t type, uint8_t code, uint32_t mtu,
			   const uint8_t *orig, size_t len)
{
	uint8_t out[IPV6_MIN_MTU], src[16];

	/* RFC 4443 2.4: never about an error, a multicast or an unspecified source. */
	if (len < 40 || (orig[6] == 58 && len > 40 && orig[40] < 128) || unspecified(orig + 8) || orig[8] == 0xff ||
	    (orig[24] == 0xff && type != ICMP6_TOOBIG))
		return;
	if (!pk_router_iface_v6(pk_engine_ruleset(d->engine), iface, orig + 8, src))
		return;
	size_t quote = len < sizeof(out) - 48 ? len : sizeof(out) - 48;
	size_t plen = 8 + quote;
	memset(out, 0, 48);
	out[0] = 0x60;
	out[4] = (uint8_t)(plen >> 8);
	out[5] = (uint8_t)plen;
	out[6] = 58;
	out[7] = 64;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, orig + 8, 16);
	out[40] = type;
	out[41] = code;
	out[44] = (uint8_t)(mtu >> 24);
	out[45] = (uint8_t)(mtu >> 16);
	out[46] = (uint8_t)(mtu >> 8);
	out[47] = (uint8_t)mtu;
	memcpy(out + 48, orig, quote);
	pk_csum_l4(out, 48 + quote);
	pk_router_originate(d, out, 48 + quote);
}

static void to_self6(struct pk_daemon *d, size_t len)
{
	uint8_t *ip = d->buf, tmp[16];

	d->c.to_self++;
	if (len < 48 || ip[6] != 58 || ip[40] != ICMP6_ECHO || ip[41] != 0)
		return;
	memcpy(tmp, ip + 8, 16);
	memcpy(ip + 8, ip + 24, 16);
	memcpy(ip + 24, tmp, 16);
	ip[7] = 64;
	ip[40] = ICMP6_ECHOREPLY;
	pk_csum_l4(ip, len);
	d->c.echo_replies++;
	pk_router_originate(d, ip, len);
}

void pk_router_forward6(struct pk_daemon *d, uint16_t iif, size_t len)
{
	struct pk_verdict in;
	uint16_t oif;
	uint8_t nh[16];

	if (stays_on_link(d->buf + 24))
		return; /* MLD, router solicitations and the like: not ours to forward */
	if (!pk_dp_filter(d, iif, PK_DIR_IN, 0, &len, &in))
		return;
	if (pk_rs_is_self(pk_engine_ruleset(d->engine), PK_AF_INET6, d->buf + 24)) {
		to_self6(d, len);
		return;
	}
	if (d->buf[7] <= 1) {
		d->c.ttl_exceeded++;
		pk_router_icmp6_error(d, iif, ICMP6_TIMXCEED, 0, 0, d->buf, len);
		return;
	}
	int port = pk_router_route(d, d->buf, &in, &oif, nh);
	if (port < 0) {
		d->c.no_route++;
		pk_router_icmp6_error(d, iif, ICMP6_UNREACH, 0, 0, d->buf, len);
		return;
	}
	d->buf[7]--; /* the hop limit: IPv6 has no header checksum to fix */
	port = pk_router_filter_out(d, &oif, in.tag, &len, nh);
	if (port < 0)
		return;
	if (len > d->port[port].mtu) {
		d->c.too_big++;
		pk_router_icmp6_error(d, iif, ICMP6_TOOBIG, 0, d->port[port].mtu, d->buf, len);
		return;
	}
	if (pk_router_send(d, (unsigned)port, 6, nh, d->buf, len))
		d->c.forwarded++;
}
