/*
 * runtime/nat.c: address translation stored in states.
 *
 * nat-to rewrites the source of outbound packets (port allocated from the
 * rule's range, 50001:65535 by default, unless static-port), rdr-to the
 * destination of inbound ones (and optionally its port), binat-to maps one
 * address to another both ways. The state's two keys hold the two sides;
 * every later packet is rewritten to the other side, with incremental
 * checksum fixes, and ICMP errors quoting a translated packet have the
 * quoted header translated back (pf_change_icmp).
 */
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/engine_priv.h"
#include "runtime/wire.h"

#define NAT_PORT_LO 50001 /* pf's PF_NAT_PROXY_PORT_LOW..HIGH */
#define NAT_PORT_HI 65535

/* A pool address: entries in turn; with bitmask, the network's bits over
 * the original host bits (binat's 1:1 mapping). */
static void merge_prefix(const uint8_t *net, uint8_t len, const uint8_t *orig, uint8_t *out)
{
	uint8_t k;

	for (k = 0; k < 16; k++) {
		uint8_t bits = len >= (k + 1) * 8 ? 8 : (len > k * 8 ? (uint8_t)(len - k * 8) : 0);
		uint8_t mask = (uint8_t)(0xff00 >> bits);

		out[k] = (uint8_t)((net[k] & mask) | (orig[k] & (uint8_t)~mask));
	}
}

static void pool_addr(struct pk_engine *e, const struct pk_rs_rule *nr, const uint8_t *orig, uint8_t *out)
{
	const uint8_t *ent = nr->nat_pool + 17u * (nr->nat_npool > 1 ? e->nat_cursor++ % nr->nat_npool : 0);

	if ((nr->nat_pool_opts & PK_POOL_BITMASK) || nr->nat == PK_NAT_BINAT_TO)
		merge_prefix(ent, ent[16], orig, out);
	else
		memcpy(out, ent, 16);
}

uint32_t pk_eng_binat_in_rule(const struct pk_engine *e, const struct pk_ctx *x)
{
	for (uint32_t k = 0; k < e->nbinat; k++)
		if (pk_rs_binat_takes_in(e->rs, e->binat[k], x->p.af, x->p.proto, x->iface, x->p.src, x->p.dst))
			return e->binat[k];
	return PK_RT_NO_RULE;
}

/* An older binat rule, inbound: the destination goes back to the internal
 * address, the rule's `from` bits over the packet's host bits. */
static bool binat_in_keys(const struct pk_engine *e, const struct pk_rs_rule *nr, struct pk_skey *key, int idx)
{
	struct pk_rs_binat b;

	if (!pk_rs_binat_in(e->rs, nr->nr, &b))
		return false;
	merge_prefix(b.addr, b.len, key->addr[idx], key->addr[idx]);
	return true;
}

static bool has_ports(uint8_t proto)
{
	return proto == PK_PROTO_TCP || proto == PK_PROTO_UDP;
}

bool pk_eng_draw_port(struct pk_engine *e, const struct pk_port_draw *d, struct pk_skey *key)
{
	uint32_t lo = d->lo ? d->lo : NAT_PORT_LO, hi = d->lo ? d->hi : NAT_PORT_HI;

	if (hi < lo)
		hi = lo;
	const uint32_t span = hi - lo + 1, start = lo + pk_eng_random(e) % span;
	for (uint32_t n = 0; n < span; n++) {
		uint32_t port = n <= hi - start ? start + n : start - (n - (hi - start));

		key->port[d->idx] = (uint16_t)port;
		if (pk_st_find(&e->st, d->af, d->proto, key, d->look, d->iface) == PK_ST_NONE)
			return true;
	}
	return false;
}

/* nat-to's port, in the rule's range (pfctl's 50001:65535 when it names none). */
static bool alloc_port(struct pk_engine *e, const struct pk_ctx *x, const struct pk_rs_rule *nr, struct pk_skey *key,
		       int k, int idx)
{
	const struct pk_port_draw d = {.af = x->p.af, .proto = x->p.proto, .lo = nr->nat_port_lo,
				       .hi = nr->nat_port_hi, .idx = idx, .iface = x->iface,
				       .look = k == PK_SK_WIRE ? PK_DIR_IN : PK_DIR_OUT};
	return pk_eng_draw_port(e, &d, key);
}

bool pk_eng_nat_keys(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *nr, struct pk_skey keys[2])
{
	int k = x->dir == PK_DIR_IN ? PK_SK_STACK : PK_SK_WIRE; /* the translated side */
	int si = x->dir == PK_DIR_IN ? 0 : 1;                   /* the source's index in the key */
	bool source = nr->nat == PK_NAT_NAT_TO || (nr->nat == PK_NAT_BINAT_TO && x->dir == PK_DIR_OUT);
	int idx = source ? si : 1 - si;
	struct pk_skey *key = &keys[k];

	if (nr->nat_npool == 0 || nr->nat_af != x->p.af)
		return nr->nat_npool == 0;
	if (nr->action == PK_ACT_BINAT && x->dir == PK_DIR_IN)
		return binat_in_keys(e, nr, key, idx);
	pool_addr(e, nr, key->addr[idx], key->addr[idx]);
	x->v->nat_drawn = nr->nat_npool > 1;
	if (!has_ports(x->p.proto))
		return true;
	if (!source) {
		if (nr->nat_port_lo)
			key->port[idx] = nr->nat_port_lo;
		return true;
	}
	if ((nr->nat_pool_opts & PK_POOL_STATIC_PORT) || nr->nat == PK_NAT_BINAT_TO ||
	    (nr->nat_port_lo && nr->nat_port_lo == nr->nat_port_hi && x->p.sport == nr->nat_port_lo))
		return true;
	x->v->nat_drawn = true;
	return alloc_port(e, x, nr, key, k, idx);
}

/* Offsets of the checksum a header change must fix (0: none). */
static size_t l4_cksum_off(const struct pk_pkt *p)
{
	if (p->fragment && !p->frag_first)
		return 0;
	if (p->proto == PK_PROTO_TCP)
		return p->l4_off + PK_TCP_OFF_SUM;
	if (p->proto == PK_PROTO_UDP)
		return p->l4_off + PK_UDP_OFF_SUM;
	if (p->proto == PK_PROTO_ICMP6 && p->af == PK_AF_INET6)
		return p->l4_off + PK_ICMP_OFF_SUM;
	return 0;
}

/* Change an address in the IP header at off, fixing the IPv4 header and
 * the pseudo-header-covered upper-layer checksum. */
static void change_addr(uint8_t *ip, const struct pk_pkt *p, size_t off, const uint8_t *na)
{
	size_t alen = pk_ip_alen(p->af == PK_AF_INET6), co = l4_cksum_off(p);

	if (memcmp(ip + off, na, alen) == 0)
		return;
	if (co && !(p->proto == PK_PROTO_UDP && pk_get16(ip + co) == 0))
		pk_put16(ip + co, pk_cksum_fix_addr(pk_get16(ip + co), ip + off, na, alen));
	if (p->af == PK_AF_INET)
		pk_put16(ip + PK_IP4_OFF_SUM, pk_cksum_fix_addr(pk_get16(ip + PK_IP4_OFF_SUM), ip + off, na, alen));
	memcpy(ip + off, na, alen);
}

static void change_port(uint8_t *ip, const struct pk_pkt *p, size_t off, uint16_t np)
{
	size_t co = l4_cksum_off(p);
	bool udp0 = p->proto == PK_PROTO_UDP && co && pk_get16(ip + co) == 0;

	pk_patch16(ip + off, np, co && !udp0 ? ip + co : NULL);
}

static void rewrite(uint8_t *ip, const struct pk_pkt *p, const struct pk_skey *to, int si)
{
	bool v6 = p->af == PK_AF_INET6;
	size_t so = pk_ip_src_off(v6), dof = pk_ip_dst_off(v6);

	change_addr(ip, p, so, to->addr[si]);
	change_addr(ip, p, dof, to->addr[1 - si]);
	if (p->fragment && !p->frag_first)
		return;
	if (has_ports(p->proto)) {
		change_port(ip, p, p->l4_off + PK_L4_OFF_SPORT, to->port[si]);
		change_port(ip, p, p->l4_off + PK_L4_OFF_DPORT, to->port[1 - si]);
	} else if (p->icmp_type >= 0 && !p->icmp_error) {
		bool reply;
		uint8_t *ih = ip + p->l4_off;

		(void)pk_icmp_virtual(p->af, (uint8_t)p->icmp_type, &reply);
		/* the id sits on the requester's side of the key */
		pk_patch16(ih + PK_ICMP_OFF_ID, reply ? to->port[1 - si] : to->port[si], ih + PK_ICMP_OFF_SUM);
	}
}

void pk_eng_nat_apply(const struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_skey to;

	pk_st_key(&e->st, i, x->dir == PK_DIR_IN ? PK_SK_STACK : PK_SK_WIRE, &to);
	rewrite(x->ip, &x->p, &to, x->dir == PK_DIR_IN ? 0 : 1);
	x->v->translated = true;
}

/* Recompute the ICMP/ICMPv6 checksum of a message whose quote changed. */
static void icmp_cksum(uint8_t *ip, const struct pk_pkt *p)
{
	uint8_t *ih = ip + p->l4_off;
	uint32_t n = p->tot_len - p->l4_off;
	uint32_t sum = p->af == PK_AF_INET6 ? pk_cksum_pseudo(p->af, p->src, p->dst, PK_PROTO_ICMP6, n) : 0;

	pk_put16(ih + PK_ICMP_OFF_SUM, 0);
	pk_put16(ih + PK_ICMP_OFF_SUM, pk_cksum_fold(pk_cksum_add(sum, ih, n)));
}

/* The quoted packet travelled the other way: translate it to the other side
 * of the state, and the error's own address that pointed at it. */
void pk_eng_nat_icmp(const struct pk_engine *e, struct pk_ctx *x, uint32_t i, const struct pk_pkt *in)
{
	struct pk_skey to;
	int si = x->dir == PK_DIR_IN ? 1 : 0; /* the quoted source's index */
	uint8_t *q = x->ip + x->p.inner_off;
	struct pk_pkt inner = *in;
	bool v6 = x->p.af == PK_AF_INET6;
	size_t so = pk_ip_src_off(v6), dof = pk_ip_dst_off(v6), alen = pk_ip_alen(v6);
	uint8_t old_qdst[16] = {0};
	struct pk_pkt outer = x->p;

	pk_st_key(&e->st, i, x->dir == PK_DIR_IN ? PK_SK_STACK : PK_SK_WIRE, &to);
	memcpy(old_qdst, q + dof, alen);
	inner.fragment = true; /* the quote may be cut: leave its L4 checksum alone */
	inner.frag_first = false;
	rewrite(q, &inner, &to, si);
	if (has_ports(in->proto) && x->p.tot_len - x->p.inner_off >= in->l4_off + 4u) {
		pk_put16(q + in->l4_off + PK_L4_OFF_SPORT, to.port[si]);
		pk_put16(q + in->l4_off + PK_L4_OFF_DPORT, to.port[1 - si]);
	}
	outer.proto = 0; /* fix the IPv4 header only: the ICMP checksum is redone below */
	change_addr(x->ip, &outer, dof, q + so);
	if (memcmp(x->ip + so, old_qdst, alen) == 0)
		change_addr(x->ip, &outer, so, q + dof);
	memcpy(x->p.src, x->ip + so, alen);
	memcpy(x->p.dst, x->ip + dof, alen);
	icmp_cksum(x->ip, &x->p);
	x->v->translated = true;
}

/* The outside key of a packet leaving: what replies to it look up. */
static bool outside_key(const uint8_t *ip, size_t len, struct pk_pkt *p, struct pk_skey *k)
{
	if (pk_pkt_parse_quoted(ip, len, p) != PK_REASON_NONE)
		return false;
	pk_eng_pkt_key(p, PK_DIR_OUT, k);
	return true;
}

enum pk_adopt pk_engine_adopt(struct pk_engine *e, uint16_t iface, const uint8_t *drawn, size_t dlen,
			      const uint8_t *seen, size_t slen)
{
	struct pk_pkt d, s;
	struct pk_skey keys[2], now, dk;
	uint32_t i;

	if (!outside_key(drawn, dlen, &d, &dk))
		return PK_ADOPT_NO_STATE;
	/* the outside key, found by a lookup as inbound: the wire key of a
	 * state made on the way out, the stack key of an af-to state */
	i = pk_st_find(&e->st, d.af, d.proto, &dk, PK_DIR_IN, iface);
	if (i == PK_ST_NONE || (e->st.st[i].flags & PK_SF_ONEKEY))
		return PK_ADOPT_NO_STATE;
	const int out = (e->st.st[i].flags & PK_SF_AFTO) ? PK_SK_STACK : PK_SK_WIRE;
	if ((out == PK_SK_WIRE && e->st.st[i].dir != PK_DIR_OUT) || !outside_key(seen, slen, &s, &keys[out]) ||
	    s.af != d.af || s.proto != d.proto)
		return PK_ADOPT_NO_STATE;
	pk_st_key(&e->st, i, 1 - out, &keys[1 - out]);
	pk_st_key(&e->st, i, out, &now);
	if (memcmp(&now, &keys[out], sizeof now) == 0)
		return PK_ADOPT_SAME;
	return pk_st_rekey(&e->st, i, keys) ? PK_ADOPT_MOVED : PK_ADOPT_TAKEN;
}
