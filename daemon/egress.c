/*
 * daemon/egress.c: where routed mode sends a passed packet: the route-to /
 * reply-to of the verdict (its interface, towards its gateway) when it
 * names one, the topology's route otherwise; replay's egress choice, with
 * the next hop the link layer resolves.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "runtime/wire.h"

static bool all_zero(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return !memcmp(a, zero, 16);
}

bool pk_router_egress(const struct pk_rs *rs, const struct pk_verdict *v, const uint8_t *ip, uint16_t *oif,
		      uint8_t nh[16])
{
	uint8_t dst[16] = {0}, gw[16], gw_af = 0;
	bool v6 = pk_ip_version(ip) == 6;

	memcpy(dst, ip + pk_ip_dst_off(v6), pk_ip_alen(v6));
	if (v && v->route != PK_ROUTE_NONE && v->route_iface != PK_RT_NO_IFACE) {
		*oif = v->route_iface;
		memcpy(nh, all_zero(v->route_gw) ? dst : v->route_gw, 16);
		return true;
	}
	if (!pk_rs_route(rs, v6 ? PK_AF_INET6 : PK_AF_INET, dst, oif, &gw_af, gw))
		return false;
	memcpy(nh, gw_af ? gw : dst, 16);
	return true;
}
