/* daemon/arp.c: the neighbour cache, ARP replies and next-hop resolution. */
#include "daemon/arp.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
/* Hardware Ethernet, protocol IPv4, their address lengths. */
static const uint8_t arp_ether_ip[6] = {0, 1, 8, 0, PK_ETH_ALEN, PK_IP4_ALEN};

void pk_eth_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype)
{
	memcpy(frame + PK_ETH_OFF_DST, dst, PK_ETH_ALEN);
	memcpy(frame + PK_ETH_OFF_SRC, src, PK_ETH_ALEN);
	pk_put16(frame + PK_ETH_OFF_TYPE, ethertype);
}

void pk_arp_init(struct pk_arp *a, const struct pk_arp_io *io)
{
	memset(a, 0, sizeof(*a));
	a->io = *io;
	for (size_t i = 0; i < PK_ARP_QUEUE; i++)
		a->q[i].entry = -1;
}

#define ALEN(af) pk_ip_alen((af) == 6)

static struct pk_arp_entry *find(struct pk_arp *a, uint16_t port, uint8_t af, const uint8_t *ip)
{
	for (size_t i = 0; i < PK_ARP_ENTRIES; i++)
		if (a->e[i].state != PK_ARP_FREE && a->e[i].port == port && a->e[i].af == af &&
		    !memcmp(a->e[i].ip, ip, ALEN(af)))
			return &a->e[i];
	return NULL;
}

static void drop_queue(struct pk_arp *a, struct pk_arp_entry *en, bool report)
{
	int16_t idx = (int16_t)(en - a->e);

	for (size_t i = 0; i < PK_ARP_QUEUE; i++) {
		if (a->q[i].entry != idx)
			continue;
		if (report && a->io.unreachable)
			a->io.unreachable(a->io.ctx, en->port, a->q[i].data, a->q[i].len);
		a->q[i].entry = -1;
	}
	en->queued = 0;
}

/* A free entry, else the reachable one closest to expiry (never an
 * incomplete one: its queue is waiting). */
static struct pk_arp_entry *alloc_entry(struct pk_arp *a)
{
	struct pk_arp_entry *victim = NULL;

	for (size_t i = 0; i < PK_ARP_ENTRIES; i++) {
		struct pk_arp_entry *en = &a->e[i];
		if (en->state == PK_ARP_FREE)
			return en;
		if (en->state == PK_ARP_REACHABLE && (!victim || en->deadline_ns < victim->deadline_ns))
			victim = en;
	}
	return victim;
}

static void send_arp(struct pk_arp *a, uint16_t port, uint16_t op, const uint8_t smac[6], const uint8_t sip[4],
		     const uint8_t tmac[6], const uint8_t tip[4], const uint8_t eth_dst[6])
{
	uint8_t f[PK_ETH_HLEN + PK_ARP_LEN], *arp = f + PK_ETH_HLEN;

	pk_eth_header(f, eth_dst, smac, PK_ETHERTYPE_ARP);
	memcpy(arp + PK_ARP_OFF_HTYPE, arp_ether_ip, sizeof(arp_ether_ip));
	pk_put16(arp + PK_ARP_OFF_OP, op);
	memcpy(arp + PK_ARP_OFF_SHA, smac, PK_ETH_ALEN);
	memcpy(arp + PK_ARP_OFF_SPA, sip, PK_IP4_ALEN);
	memcpy(arp + PK_ARP_OFF_THA, tmac, PK_ETH_ALEN);
	memcpy(arp + PK_ARP_OFF_TPA, tip, PK_IP4_ALEN);
	a->io.send(a->io.ctx, port, f, sizeof(f));
}

static void flush_queue(struct pk_arp *a, struct pk_arp_entry *en)
{
	uint8_t f[PK_ETH_HLEN + PK_ARP_PKT_MAX], smac[6], sip[4];
	int16_t idx = (int16_t)(en - a->e);

	if (en->af == 4 && !a->io.port_addr(a->io.ctx, en->port, en->ip, smac, sip))
		return;
	if (en->af == 6 && !a->io.port_addr(a->io.ctx, en->port, NULL, smac, sip))
		return;
	for (size_t i = 0; i < PK_ARP_QUEUE; i++) {
		if (a->q[i].entry != idx)
			continue;
		pk_eth_header(f, en->mac, smac, en->af == 6 ? PK_ETHERTYPE_IPV6 : PK_ETHERTYPE_IP);
		memcpy(f + PK_ETH_HLEN, a->q[i].data, a->q[i].len);
		a->io.send(a->io.ctx, en->port, f, PK_ETH_HLEN + a->q[i].len);
		a->q[i].entry = -1;
	}
	en->queued = 0;
}

/* Make en the entry of ip (family af) on port, dropping what an entry it
 * was before still had queued. */
static void reset(struct pk_arp *a, struct pk_arp_entry *en, uint16_t port, uint8_t af, const uint8_t *ip)
{
	if (en->state != PK_ARP_FREE)
		drop_queue(a, en, false);
	memset(en, 0, sizeof(*en));
	en->af = af;
	memcpy(en->ip, ip, ALEN(af));
	en->port = port;
}

void pk_arp_learn(struct pk_arp *a, uint64_t now, uint16_t port, uint8_t af, const uint8_t *ip,
		  const uint8_t mac[6], bool create)
{
	struct pk_arp_entry *en = find(a, port, af, ip);

	if (!en) {
		if (!create || !(en = alloc_entry(a)))
			return;
		reset(a, en, port, af, ip);
	}
	memcpy(en->mac, mac, 6);
	en->state = PK_ARP_REACHABLE;
	en->deadline_ns = now + PK_ARP_REACHABLE_NS;
	a->stats.learnt++;
	if (en->queued)
		flush_queue(a, en);
}

void pk_arp_input(struct pk_arp *a, uint64_t now_ns, uint16_t port, const uint8_t *frame, size_t len)
{
	uint8_t mymac[6], myip[4];

	if (len < PK_ETH_HLEN + PK_ARP_LEN)
		return;
	const uint8_t *p = frame + PK_ETH_HLEN;
	if (memcmp(p + PK_ARP_OFF_HTYPE, arp_ether_ip, sizeof(arp_ether_ip)))
		return;
	uint16_t op = pk_get16(p + PK_ARP_OFF_OP);
	const uint8_t *sha = p + PK_ARP_OFF_SHA, *spa = p + PK_ARP_OFF_SPA, *tpa = p + PK_ARP_OFF_TPA;
	bool for_us = a->io.is_ours(a->io.ctx, port, tpa);
	bool zero_spa = !spa[0] && !spa[1] && !spa[2] && !spa[3];

	/* As Linux without arp_accept: a request aimed at us creates an entry,
	 * anything else only refreshes one we already have or are resolving. */
	if (!zero_spa)
		pk_arp_learn(a, now_ns, port, 4, spa, sha, op == PK_ARPOP_REQUEST && for_us);
	if (op == PK_ARPOP_REQUEST && for_us && a->io.port_addr(a->io.ctx, port, spa, mymac, myip)) {
		send_arp(a, port, PK_ARPOP_REPLY, mymac, tpa, sha, spa, sha);
		a->stats.replies_sent++;
	}
}

static void request(struct pk_arp *a, struct pk_arp_entry *en)
{
	uint8_t mac[6], sip[4];
	static const uint8_t zero_mac[6];

	if (en->af == 6) {
		a->io.solicit6(a->io.ctx, en->port, en->ip);
		a->stats.requests_sent++;
		return;
	}
	if (!a->io.port_addr(a->io.ctx, en->port, en->ip, mac, sip))
		return;
	send_arp(a, en->port, PK_ARPOP_REQUEST, mac, sip, zero_mac, en->ip, bcast_mac);
	a->stats.requests_sent++;
}

static void enqueue(struct pk_arp *a, struct pk_arp_entry *en, const uint8_t *ip, size_t len)
{
	if (!ip)
		return;
	if (len > PK_ARP_PKT_MAX || en->queued >= PK_ARP_QUEUE_PER_ENTRY) {
		a->stats.queue_drops++;
		return;
	}
	for (size_t i = 0; i < PK_ARP_QUEUE; i++) {
		if (a->q[i].entry >= 0)
			continue;
		a->q[i].entry = (int16_t)(en - a->e);
		a->q[i].len = (uint16_t)len;
		memcpy(a->q[i].data, ip, len);
		en->queued++;
		a->stats.queued++;
		return;
	}
	a->stats.queue_drops++;
}

bool pk_arp_resolve(struct pk_arp *a, uint64_t now_ns, uint16_t port, uint8_t af, const uint8_t *nh, uint8_t mac[6],
		    const uint8_t *ip, size_t len)
{
	struct pk_arp_entry *en = find(a, port, af, nh);

	if (en && en->state == PK_ARP_REACHABLE && now_ns < en->deadline_ns) {
		memcpy(mac, en->mac, 6);
		return true;
	}
	if (!en || en->state == PK_ARP_REACHABLE) {
		if (!en && !(en = alloc_entry(a))) {
			a->stats.queue_drops++;
			return false;
		}
		reset(a, en, port, af, nh);
		en->state = PK_ARP_INCOMPLETE;
		en->probes = 1;
		en->deadline_ns = now_ns + PK_ARP_RETRY_NS;
		request(a, en);
	}
	enqueue(a, en, ip, len);
	return false;
}

void pk_arp_tick(struct pk_arp *a, uint64_t now_ns)
{
	for (size_t i = 0; i < PK_ARP_ENTRIES; i++) {
		struct pk_arp_entry *en = &a->e[i];
		if (en->state == PK_ARP_FREE || now_ns < en->deadline_ns)
			continue;
		if (en->state == PK_ARP_REACHABLE) {
			en->state = PK_ARP_FREE;
		} else if (en->probes >= PK_ARP_PROBES) {
			a->stats.failed++;
			drop_queue(a, en, true);
			en->state = PK_ARP_FREE;
		} else {
			en->probes++;
			en->deadline_ns = now_ns + PK_ARP_RETRY_NS;
			request(a, en);
		}
	}
}
