/* runtime/replay_nat.c: move drawn translations to the capture's choice. */
#include "runtime/replay_nat.h"

#include <stdbool.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/packet.h"
#include "runtime/wire.h"

#define WAIT_NS 1000000000ull /* a copy leaves microseconds after its original */

void pk_nat_init(struct pk_nat_map *m) { memset(m, 0, sizeof *m); }

static struct pk_nat_wait *at(struct pk_nat_map *m, uint32_t k)
{
	return &m->wait[(m->head + k) % PK_NAT_WAIT_MAX];
}

static void drop_oldest(struct pk_nat_map *m)
{
	m->head = (m->head + 1) % PK_NAT_WAIT_MAX;
	m->n--;
}

/* Those waiting longer than a copy takes have none. */
static void expire(struct pk_nat_map *m, uint64_t now_ns)
{
	while (m->n && at(m, 0)->ts_ns + WAIT_NS < now_ns) {
		drop_oldest(m);
		m->unseen++;
	}
}

/* The packet's own length: IPv4 total length, IPv6 payload length. */
static uint32_t ip_length(const uint8_t *ip)
{
	return pk_ip_version(ip) == 6 ? PK_IP6_HLEN + pk_get16(ip + 4) : pk_get16(ip + PK_IP4_OFF_LEN);
}

void pk_nat_drawn(struct pk_nat_map *m, uint64_t now_ns, uint16_t iface, const uint8_t *ip, size_t len)
{
	expire(m, now_ns);
	if (len < PK_IP4_HLEN)
		return;
	m->drawn++;
	if (m->n == PK_NAT_WAIT_MAX) {
		drop_oldest(m);
		m->unseen++;
	}
	struct pk_nat_wait *w = at(m, m->n++);
	w->ts_ns = now_ns;
	w->iface = iface;
	w->len = (uint16_t)(len < PK_NAT_KEEP ? len : PK_NAT_KEEP);
	w->tot = ip_length(ip);
	memcpy(w->ip, ip, w->len);
}

/* Transport bytes translation rewrites: ports (TCP, UDP) or the ICMP id,
 * and the checksum. */
static bool rewritten(uint8_t proto, size_t k)
{
	switch (proto) {
	case PK_PROTO_TCP: return k < 4 || k == 16 || k == 17;
	case PK_PROTO_UDP: return k < 4 || k == 6 || k == 7;
	case PK_PROTO_ICMP:
	case PK_PROTO_ICMP6: return k >= 2 && k < 6;
	default: return false;
	}
}

/* Is seen the copy of w's packet? The same peer it goes to, the same
 * length, the same transport bytes where translation leaves them (TCP's
 * sequence number alone is random). Not the IPv4 id: scrub random-id
 * redraws it on both firewalls. */
static bool is_copy(const struct pk_nat_wait *w, const struct pk_pkt *wp, const uint8_t *ip, size_t len,
		    const struct pk_pkt *sp)
{
	bool ports = wp->proto == PK_PROTO_TCP || wp->proto == PK_PROTO_UDP;
	if (wp->af != sp->af || wp->proto != sp->proto || (ports && wp->dport != sp->dport) ||
	    wp->l4_off != sp->l4_off || memcmp(wp->dst, sp->dst, 16) != 0 || w->tot != ip_length(ip))
		return false;
	size_t end = w->len < len ? w->len : len;
	for (size_t k = wp->l4_off; k < end; k++)
		if (w->ip[k] != ip[k] && !rewritten(wp->proto, k - wp->l4_off))
			return false;
	return true;
}

static void take(struct pk_nat_map *m, uint32_t k)
{
	for (; k + 1 < m->n; k++)
		*at(m, k) = *at(m, k + 1);
	m->n--;
}

void pk_nat_seen(struct pk_nat_map *m, struct pk_engine *e, uint64_t now_ns, uint16_t iface, const uint8_t *ip,
		 size_t len)
{
	struct pk_pkt sp, wp;
	expire(m, now_ns);
	if (!m->n || len < PK_IP4_HLEN || pk_pkt_parse_quoted(ip, len, &sp) != PK_REASON_NONE)
		return;
	for (uint32_t k = 0; k < m->n; k++) {
		const struct pk_nat_wait *w = at(m, k);
		if (w->iface != iface || pk_pkt_parse_quoted(w->ip, w->len, &wp) != PK_REASON_NONE ||
		    !is_copy(w, &wp, ip, len, &sp))
			continue;
		switch (pk_engine_adopt(e, iface, w->ip, w->len, ip, len)) {
		case PK_ADOPT_MOVED: m->adopted++; break;
		case PK_ADOPT_SAME: m->agreed++; break;
		default: m->unseen++; break;
		}
		take(m, k);
		return;
	}
}

void pk_nat_finish(struct pk_nat_map *m)
{
	m->unseen += m->n;
	m->n = 0;
}
