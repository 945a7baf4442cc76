/* daemon/icmp.c: the errors and echo replies picketd answers as a router. */
#include "daemon/icmp.h"

#include <string.h>

#include "daemon/daemon.h"
#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/packet.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

/* Class D and E, and "this network": no host sends from or to those. */
static bool not_unicast4(const uint8_t a[4])
{
	return a[0] >= 224 || a[0] == 0;
}

static bool answerable4(const uint8_t *orig, size_t len)
{
	if (len < PK_IP4_HLEN || pk_ip_version(orig) != 4 || len < pk_ip4_hlen(orig))
		return false;
	size_t hl = pk_ip4_hlen(orig);
	if (pk_get16(orig + PK_IP4_OFF_FRAG) & PK_IP4_OFFMASK)
		return false;
	if (not_unicast4(orig + PK_IP4_OFF_SRC) || not_unicast4(orig + PK_IP4_OFF_DST))
		return false;
	/* never answer an ICMP error with one: of ICMP messages, queries alone are answered */
	return orig[PK_IP4_OFF_PROTO] != PK_PROTO_ICMP || len <= hl ||
	       pk_icmp_is_query(PK_AF_INET, orig[hl + PK_ICMP_OFF_TYPE]);
}

static bool answerable6(uint8_t type, const uint8_t *orig, size_t len)
{
	static const uint8_t unspecified[PK_IP6_ALEN];

	if (len < PK_IP6_HLEN)
		return false;
	if (orig[PK_IP6_OFF_NXT] == PK_PROTO_ICMP6 && len > PK_IP6_HLEN &&
	    pk_icmp_is_error(PK_AF_INET6, orig[PK_IP6_HLEN + PK_ICMP_OFF_TYPE]))
		return false;
	if (!memcmp(orig + PK_IP6_OFF_SRC, unspecified, PK_IP6_ALEN) || orig[PK_IP6_OFF_SRC] == 0xff)
		return false;
	/* a multicast destination is told of its MTU only (path MTU discovery for multicast) */
	return orig[PK_IP6_OFF_DST] != 0xff || type == PK_ICMP6_PACKET_TOO_BIG;
}

size_t pk_router_icmp_build(const struct pk_gen_icmp *g, const uint8_t *orig, size_t len, uint8_t *out,
			    size_t cap)
{
	bool ok = g->af == PK_AF_INET6 ? answerable6(g->type, orig, len) : answerable4(orig, len);

	return ok ? pk_gen_icmp_error(g, orig, len, out, cap) : 0;
}

void pk_router_icmp_error(struct pk_daemon *d, uint16_t iface, uint8_t type, uint8_t code, uint32_t mtu,
			  const uint8_t *orig, size_t len)
{
	uint8_t out[PK_IP6_MIN_MTU], src[16] = {0};
	bool v6 = len >= PK_IP6_HLEN && pk_ip_version(orig) == 6;
	struct pk_gen_icmp g = {.af = v6 ? PK_AF_INET6 : PK_AF_INET, .src = src, .type = type, .code = code,
				.mtu = mtu, .router = true};

	if (len < PK_IP4_HLEN)
		return;
	/* from our address on the interface the packet came in by, in its sender's network if we have one */
	if (!pk_router_iface_addr(pk_engine_ruleset(d->engine), iface, g.af, orig + pk_ip_src_off(v6), src))
		return;
	size_t n = pk_router_icmp_build(&g, orig, len, out, sizeof(out));
	if (n)
		pk_router_originate(d, out, n);
}

bool pk_router_echo_reply(uint8_t *ip, size_t len)
{
	uint8_t tmp[PK_IP6_ALEN];

	if (len < PK_IP4_HLEN + PK_ICMP_HLEN || (pk_ip_version(ip) != 4 && pk_ip_version(ip) != 6))
		return false;
	bool v6 = pk_ip_version(ip) == 6;
	size_t hl = v6 ? PK_IP6_HLEN : pk_ip4_hlen(ip);
	uint8_t proto = v6 ? PK_PROTO_ICMP6 : PK_PROTO_ICMP, *ih = ip + hl;
	if (len < hl + PK_ICMP_HLEN || ip[v6 ? PK_IP6_OFF_NXT : PK_IP4_OFF_PROTO] != proto)
		return false;
	if (ih[PK_ICMP_OFF_TYPE] != (v6 ? PK_ICMP6_ECHO_REQUEST : PK_ICMP_ECHO) || ih[PK_ICMP_OFF_CODE] != 0)
		return false;
	size_t so = pk_ip_src_off(v6), dof = pk_ip_dst_off(v6), alen = pk_ip_alen(v6);
	memcpy(tmp, ip + so, alen);
	memcpy(ip + so, ip + dof, alen);
	memcpy(ip + dof, tmp, alen);
	ip[v6 ? PK_IP6_OFF_HLIM : PK_IP4_OFF_TTL] = PK_DEFAULT_TTL;
	ih[PK_ICMP_OFF_TYPE] = v6 ? PK_ICMP6_ECHO_REPLY : PK_ICMP_ECHOREPLY;
	if (v6)
		return pk_cksum_l4(ip, len);
	pk_cksum_ip4_header(ip);
	/* computed here rather than by pk_cksum_l4, which leaves fragments alone */
	pk_put16(ih + PK_ICMP_OFF_SUM, 0);
	pk_put16(ih + PK_ICMP_OFF_SUM, pk_cksum_fold(pk_cksum_add(0, ih, len - hl)));
	return true;
}
