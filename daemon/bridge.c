/*
 * daemon/bridge.c: bridge mode: a transparent filtering bridge between two
 * interfaces.
 *
 * Every frame received on one port leaves by the other unchanged at layer
 * 2; IP packets are filtered first, `in` on the ingress interface and then
 * `out` on the egress one carrying the tag the `in` step gave it (a
 * bridging pf evaluates both). ARP passes
 * unfiltered, so hosts on either side resolve each other; every other
 * frame is dropped and counted: VLAN tags, PPPoE and the like could carry
 * IP past the rules. The packets the engine generates are addressed from the
 * frame that caused them: an answer to its sender goes back with the MAC
 * addresses swapped, anything else (synproxy's handshake with the server)
 * continues to the frame's destination.
 */
#include "daemon/daemon.h"

#include <string.h>

#include "runtime/proto.h"
#include "runtime/wire.h"

static void remember(struct pk_daemon *d, unsigned port, const uint8_t *frame, uint8_t af)
{
	d->cur.valid = true;
	d->cur.port = port;
	memcpy(d->cur.dst_mac, frame + PK_ETH_OFF_DST, PK_ETH_ALEN);
	memcpy(d->cur.src_mac, frame + PK_ETH_OFF_SRC, PK_ETH_ALEN);
	memset(d->cur.src_ip, 0, 16);
	memcpy(d->cur.src_ip, d->buf + pk_ip_src_off(af == 6), pk_ip_alen(af == 6));
}

static bool send_frame(struct pk_daemon *d, unsigned port, const uint8_t dst[6], const uint8_t src[6],
		       uint16_t type, const uint8_t *payload, size_t len)
{
	struct pk_port *p = &d->port[port];

	if (len + PK_ETH_HLEN > PK_AFP_FRAME_MAX || len > p->mtu) {
		d->c.too_big++;
		return false;
	}
	uint8_t *slot = pk_afp_tx_slot(p);
	if (!slot) {
		d->c.tx_failed++;
		return false;
	}
	pk_eth_header(slot, dst, src, type);
	memcpy(slot + PK_ETH_HLEN, payload, len);
	pk_afp_tx_commit(p, PK_ETH_HLEN + len);
	return true;
}

void pk_bridge_frame(void *ctx, struct pk_port *p, uint8_t *frame, size_t len, unsigned flags)
{
	struct pk_daemon *d = ctx;
	unsigned in = (unsigned)(p - d->port), out = 1 - in;
	uint8_t af;

	uint16_t type = pk_dp_ethertype(d, frame, len, flags);
	if (!type)
		return;
	if (type == PK_ETHERTYPE_ARP) {
		d->c.arp_passed++;
		if (!pk_afp_send(&d->port[out], frame, len))
			d->c.tx_failed++;
		return;
	}
	size_t iplen = pk_dp_take(d, frame, len, flags, &af);
	if (!iplen)
		return;
	remember(d, in, frame, af);
	struct pk_verdict vin, vout;
	/* af-to: the packet goes on in the other family without the out rules (pf marks it generated) */
	bool pass = pk_dp_filter(d, d->port_iface[in], PK_DIR_IN, 0, d->port_iface[in], &iplen, &vin) &&
		    (vin.afto || pk_dp_filter(d, d->port_iface[out], PK_DIR_OUT, vin.tag, d->port_iface[in], &iplen, &vout));
	if (vin.afto)
		type = pk_ip_version(d->buf) == 6 ? PK_ETHERTYPE_IPV6 : PK_ETHERTYPE_IP;
	d->cur.valid = false;
	if (pass && send_frame(d, out, frame + PK_ETH_OFF_DST, frame + PK_ETH_OFF_SRC, type, d->buf, iplen))
		d->c.forwarded++;
	pk_dp_log_final(d, d->port_iface[in]);
}

void pk_bridge_emit(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	struct pk_daemon *d = ctx;
	uint8_t dst_ip[16] = {0};

	(void)iface;
	(void)dir;
	d->c.emitted++;
	if (!d->cur.valid || len < PK_IP4_HLEN) {
		d->c.emit_failed++;
		return;
	}
	bool v6 = pk_ip_version(ip) != 4;
	memcpy(dst_ip, ip + pk_ip_dst_off(v6), pk_ip_alen(v6));
	uint16_t type = v6 ? PK_ETHERTYPE_IPV6 : PK_ETHERTYPE_IP;
	bool back = !memcmp(dst_ip, d->cur.src_ip, 16);
	unsigned port = back ? d->cur.port : 1 - d->cur.port;
	const uint8_t *dmac = back ? d->cur.src_mac : d->cur.dst_mac;
	const uint8_t *smac = back ? d->cur.dst_mac : d->cur.src_mac;
	if (!send_frame(d, port, dmac, smac, type, ip, len))
		d->c.emit_failed++;
}
