/*
 * daemon/ifaddr.c: the firewall's own addresses on its interfaces, as the
 * ruleset's topology declares them: which one routed mode speaks from
 * (ARP, neighbour discovery, ICMP errors) and whether an address is ours.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/wire.h"

bool pk_router_iface_addr(const struct pk_rs *rs, uint16_t iface, uint8_t af, const uint8_t *want, uint8_t *out)
{
	uint32_t n = pk_rs_iface_naddr(rs, iface);
	size_t alen = pk_ip_alen(af == PK_AF_INET6);
	bool found = false;

	for (uint32_t k = 0; k < n; k++) {
		uint8_t a_af, addr[16], len;
		pk_rs_iface_addr(rs, iface, k, &a_af, addr, &len);
		if (a_af != af)
			continue;
		bool same_net = want && pk_net_contains(addr, len, want);
		if (!found || same_net) {
			memcpy(out, addr, alen);
			found = true;
			if (same_net)
				return true;
		}
	}
	return found;
}

bool pk_router_is_ours(const struct pk_rs *rs, uint16_t iface, uint8_t af, const uint8_t *a)
{
	uint32_t n = pk_rs_iface_naddr(rs, iface);
	size_t alen = pk_ip_alen(af == PK_AF_INET6);

	for (uint32_t k = 0; k < n; k++) {
		uint8_t a_af, addr[16], len;
		pk_rs_iface_addr(rs, iface, k, &a_af, addr, &len);
		if (a_af == af && !memcmp(addr, a, alen))
			return true;
	}
	return false;
}
