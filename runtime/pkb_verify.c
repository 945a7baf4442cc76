/*
 * runtime/pkb_verify.c: every record of every section is checked before
 * use: string offsets inside the string section, indices inside their
 * sections, ranges without overflow, enums known, padding zero. Each
 * failure names the record and the byte offset of the bad field.
 */
#include <stddef.h>
#include <string.h>

#include "runtime/pkb_priv.h"

#define PK_OFF(rs, id, i, type, field) pk_rs_off((rs), PKB_SEC_##id, (i), offsetof(type, field))

static int v_str(const struct pk_rs *rs, struct pk_err *err, uint32_t off, uint64_t at, const char *what,
		 bool required)
{
	if (off == PKB_NONE && !required)
		return 0;
	if (off >= PK_RS_N(rs, STRINGS))
		return pk_err_at(err, at, "%s: string offset %u outside the string section (%u bytes)", what, off,
				 PK_RS_N(rs, STRINGS));
	return 0;
}

static int v_index(struct pk_err *err, uint32_t idx, uint32_t n, uint64_t at, const char *what)
{
	if (idx != PKB_NONE && idx >= n)
		return pk_err_at(err, at, "%s: index %u out of range (%u entries)", what, idx, n);
	return 0;
}

/* An index that must be present. */
static int v_ref(struct pk_err *err, uint32_t idx, uint32_t n, uint64_t at, const char *what)
{
	if (idx >= n)
		return pk_err_at(err, at, "%s: index %u out of range (%u entries)", what, idx, n);
	return 0;
}

static int v_range(struct pk_err *err, uint32_t first, uint32_t n, uint32_t max, uint64_t at,
		   const char *what)
{
	if ((uint64_t)first + n > max)
		return pk_err_at(err, at, "%s: entries %u..%llu outside the %u present", what, first,
				 (unsigned long long)first + n, max);
	return 0;
}

static int v_max(struct pk_err *err, uint32_t v, uint32_t max, uint64_t at, const char *what)
{
	if (v > max)
		return pk_err_at(err, at, "%s: unknown value %u (at most %u)", what, v, max);
	return 0;
}

static int v_loc(const struct pk_rs *rs, struct pk_err *err, const struct pkb_loc *l, uint64_t at)
{
	return v_index(err, l->file, PK_RS_N(rs, SOURCES), at, "source file");
}

static int v_prefix(struct pk_err *err, const struct pkb_prefix *p, uint64_t at, bool need_af)
{
	if (p->af != PK_AF_ANY && p->af != PK_AF_INET && p->af != PK_AF_INET6)
		return pk_err_at(err, at, "unknown address family %u", p->af);
	if (need_af && !p->af)
		return pk_err_at(err, at, "address without a family");
	/* without a family the length is a mask written on a dynamic address: (IF)/24 */
	if (p->len > (p->af == PK_AF_INET ? 32 : 128))
		return pk_err_at(err, at + 1, "prefix length %u too long for the family", p->len);
	if (p->pad[0] || p->pad[1])
		return pk_err_at(err, at + 2, "non-zero padding");
	return 0;
}

/* A prefix that must be absent: every byte zero. */
static int v_zero_prefix(struct pk_err *err, const struct pkb_prefix *p, uint64_t at, const char *what)
{
	static const uint8_t zero[sizeof p->addr];
	if (p->af || p->len)
		return pk_err_at(err, at, "%s set without its option", what);
	if (!memcmp(p->addr, zero, sizeof zero)) /* the usual case, at once: it is checked for every rule */
		return 0;
	for (int k = 0; k < 16; k++)
		if (p->addr[k])
			return pk_err_at(err, at + 4 + (uint64_t)k, "%s byte %d set without its option", what, k);
	return 0;
}

/* An IPv4 prefix keeps its address in the first 4 bytes, the rest zero. */
static int v_prefix_tail(struct pk_err *err, const struct pkb_prefix *p, uint64_t at, const char *what)
{
	for (int k = 4; p->af != PK_AF_INET6 && k < 16; k++)
		if (p->addr[k])
			return pk_err_at(err, at + 4 + (uint64_t)k, "%s byte %d set past an IPv4 address", what, k);
	return 0;
}

static int v_addr(const struct pk_rs *rs, struct pk_err *err, const struct pkb_addr *a, uint64_t at)
{
	if (v_max(err, a->kind, PK_ADDR_URPF, at, "address kind") || v_max(err, a->neg, 1, at + 1, "negation") ||
	    v_max(err, a->ifmod, PK_IFMOD_SELF, at + 2, "interface modifier") ||
	    v_max(err, a->noalias, 1, at + 3, "noalias") ||
	    v_str(rs, err, a->ifname, at + offsetof(struct pkb_addr, ifname), "interface name", false))
		return -1;
	if (a->kind == PK_ADDR_TABLE ? a->table >= PK_RS_N(rs, TABLES) : a->table != PKB_NONE)
		return pk_err_at(err, at + offsetof(struct pkb_addr, table), "table index %u invalid for this address",
				 a->table);
	bool need = a->kind == PK_ADDR_PREFIX || a->kind == PK_ADDR_RANGE;
	return v_prefix(err, &a->pfx, at + offsetof(struct pkb_addr, pfx), need) ||
	       v_prefix(err, &a->end, at + offsetof(struct pkb_addr, end), a->kind == PK_ADDR_RANGE);
}

static int v_options(const struct pk_rs *rs, struct pk_err *err)
{
	const struct pkb_options *o = PK_RS_SEC(rs, OPTIONS, struct pkb_options);
	for (uint32_t i = 0; i < PK_TMO_COUNT; i++)
		if (v_loc(rs, err, &o->timeout_loc[i], PK_OFF(rs, OPTIONS, 0, struct pkb_options, timeout_loc[i])))
			return -1;
	if (o->timeout_set >> PK_TMO_COUNT)
		return pk_err_at(err, PK_OFF(rs, OPTIONS, 0, struct pkb_options, timeout_set), "unknown timeout bits");
	if (o->limit_set >> PK_LIMIT_COUNT)
		return pk_err_at(err, PK_OFF(rs, OPTIONS, 0, struct pkb_options, limit_set), "unknown limit bits");
	uint64_t at = PK_OFF(rs, OPTIONS, 0, struct pkb_options, optimization);
	if (v_max(err, o->optimization, PK_OPT_COUNT - 1, at, "optimization") ||
	    v_max(err, o->block_policy, PK_BLOCKPOL_RETURN, at + 1, "block policy") ||
	    v_max(err, o->state_policy, PK_POLICY_FLOATING, at + 2, "state policy") ||
	    v_max(err, o->flags, PKB_OPT_ALL, at + 3, "option flags"))
		return -1;
	const uint32_t *strs = &o->debug;
	for (int i = 0; i < 4; i++)
		if (v_str(rs, err, strs[i], PK_OFF(rs, OPTIONS, 0, struct pkb_options, debug) + 4u * (unsigned)i,
			  "option", false))
			return -1;
	if (v_range(err, o->set_first, o->nset, PK_RS_N(rs, SETLOCS),
		    PK_OFF(rs, OPTIONS, 0, struct pkb_options, set_first), "set lines"))
		return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, SETLOCS); i++)
		if (v_loc(rs, err, &PK_RS_SEC(rs, SETLOCS, struct pkb_loc)[i], pk_rs_off(rs, PKB_SEC_SETLOCS, i, 0)))
			return -1;
	return 0;
}

static int v_strlist(const struct pk_rs *rs, struct pk_err *err, enum pkb_section_id id, const char *what)
{
	const uint32_t *v = rs->sec[id];
	for (uint32_t i = 0; i < rs->cnt[id]; i++)
		if (v_str(rs, err, v[i], pk_rs_off(rs, id, i, 0), what, true))
			return -1;
	return 0;
}

static int v_carried(const struct pk_rs *rs, struct pk_err *err)
{
	for (uint32_t i = 0; i < PK_RS_N(rs, CARRIED); i++) {
		const struct pkb_carried *c = &PK_RS_SEC(rs, CARRIED, struct pkb_carried)[i];
		uint64_t at = pk_rs_off(rs, PKB_SEC_CARRIED, i, 0);
		if (v_str(rs, err, c->text, at + offsetof(struct pkb_carried, text), "carried statement", true) ||
		    v_loc(rs, err, &c->loc, at + offsetof(struct pkb_carried, loc)))
			return -1;
	}
	return 0;
}

static int v_tests(const struct pk_rs *rs, struct pk_err *err)
{
	if (PK_RS_N(rs, TESTS) > 1)
		return pk_err_at(err, rs->h->sections[PKB_SEC_TESTS].offset, "%u test records, at most 1",
				 PK_RS_N(rs, TESTS));
	if (PK_RS_N(rs, TESTS) == 0)
		return 0;
	return v_str(rs, err, PK_RS_SEC(rs, TESTS, struct pkb_tests)->path,
		     PK_OFF(rs, TESTS, 0, struct pkb_tests, path), "tests file", true);
}

static int v_iface(const struct pk_rs *rs, struct pk_err *err, uint32_t i)
{
	const struct pkb_iface *f = &PK_RS_SEC(rs, IFACES, struct pkb_iface)[i];
#define PK_AT(field) PK_OFF(rs, IFACES, i, struct pkb_iface, field)
	if (v_str(rs, err, f->name, PK_AT(name), "interface name", true) || v_loc(rs, err, &f->loc, PK_AT(loc)) ||
	    v_range(err, f->addr_first, f->naddrs, PK_RS_N(rs, IFADDRS), PK_AT(addr_first), "interface addresses") ||
	    v_range(err, f->peer_first, f->npeers, PK_RS_N(rs, IFPEERS), PK_AT(peer_first), "interface peers") ||
	    v_range(err, f->group_first, f->ngroups, PK_RS_N(rs, IFGROUPS), PK_AT(group_first),
		    "interface groups") ||
	    v_max(err, f->flags, PKB_IF_ALL, PK_AT(flags), "interface flags") ||
	    v_max(err, f->pad, 0, PK_AT(pad), "padding"))
		return -1;
	/* only the topology declares peers and groups: the decoder prints them there */
	if (!(f->flags & PKB_IF_TOPOLOGY) && (f->npeers || f->ngroups))
		return pk_err_at(err, PK_AT(npeers), "interface %u: peers or groups on an interface not declared", i);
#undef PK_AT
	return 0;
}

/* The far end of a point-to-point link is one host. */
static int v_peer(const struct pk_rs *rs, struct pk_err *err, uint32_t i)
{
	const struct pkb_prefix *p = &PK_RS_SEC(rs, IFPEERS, struct pkb_prefix)[i];
	uint64_t at = pk_rs_off(rs, PKB_SEC_IFPEERS, i, 0);
	if (v_prefix(err, p, at, true))
		return -1;
	if (p->len != (p->af == PK_AF_INET ? 32 : 128))
		return pk_err_at(err, at + 1, "interface peer: prefix length %u is not one host", p->len);
	return 0;
}

static int v_topology(const struct pk_rs *rs, struct pk_err *err)
{
	uint32_t nif = PK_RS_N(rs, IFACES);
	if (nif >= PK_RT_NO_IFACE)
		return pk_err_at(err, rs->h->sections[PKB_SEC_IFACES].offset, "%u interfaces, at most %u", nif,
				 PK_RT_NO_IFACE - 1);
	for (uint32_t i = 0; i < nif; i++)
		if (v_iface(rs, err, i))
			return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, IFADDRS); i++)
		if (v_prefix(err, &PK_RS_SEC(rs, IFADDRS, struct pkb_prefix)[i], pk_rs_off(rs, PKB_SEC_IFADDRS, i, 0),
			     true))
			return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, IFPEERS); i++)
		if (v_peer(rs, err, i))
			return -1;
	if (v_strlist(rs, err, PKB_SEC_IFGROUPS, "interface group"))
		return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, ROUTES); i++) {
		const struct pkb_route *r = &PK_RS_SEC(rs, ROUTES, struct pkb_route)[i];
		if (v_loc(rs, err, &r->loc, PK_OFF(rs, ROUTES, i, struct pkb_route, loc)) ||
		    v_prefix(err, &r->dst, PK_OFF(rs, ROUTES, i, struct pkb_route, dst), true) ||
		    v_prefix(err, &r->gw, PK_OFF(rs, ROUTES, i, struct pkb_route, gw), false) ||
		    v_index(err, r->iface, nif, PK_OFF(rs, ROUTES, i, struct pkb_route, iface), "route interface") ||
		    v_max(err, r->flags, PKB_ROUTE_CONNECTED, PK_OFF(rs, ROUTES, i, struct pkb_route, flags), "route flags"))
			return -1;
		if (r->iface == PKB_NONE)
			return pk_err_at(err, PK_OFF(rs, ROUTES, i, struct pkb_route, iface), "route without interface");
	}
	for (uint32_t i = 0; i < PK_RS_N(rs, SKIP); i++) {
		uint32_t v = PK_RS_SEC(rs, SKIP, uint32_t)[i];
		if (v >= nif)
			return pk_err_at(err, pk_rs_off(rs, PKB_SEC_SKIP, i, 0), "skip interface %u out of range", v);
	}
	return 0;
}

static int v_state(const struct pk_rs *rs, struct pk_err *err)
{
	for (uint32_t i = 0; i < PK_RS_N(rs, SOPTS); i++) {
		const struct pkb_sopts *s = &PK_RS_SEC(rs, SOPTS, struct pkb_sopts)[i];
		uint64_t at = PK_OFF(rs, SOPTS, i, struct pkb_sopts, src_track);
		if (v_max(err, s->src_track, PK_SRCTRACK_GLOBAL, at, "source tracking") ||
		    v_max(err, s->policy, PK_POLICY_FLOATING, at + 1, "state policy") ||
		    v_max(err, s->flags, 63, at + 2, "state option flags") ||
		    v_max(err, s->pad, 0, at + 3, "padding") ||
		    v_str(rs, err, s->overload_table, at + 4, "overload table", false))
			return -1;
	}
	for (uint32_t i = 0; i < PK_RS_N(rs, POOLS); i++)
		if (v_addr(rs, err, &PK_RS_SEC(rs, POOLS, struct pkb_addr)[i], pk_rs_off(rs, PKB_SEC_POOLS, i, 0)))
			return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, ADDRS); i++)
		if (v_addr(rs, err, &PK_RS_SEC(rs, ADDRS, struct pkb_addr)[i], pk_rs_off(rs, PKB_SEC_ADDRS, i, 0)))
			return -1;
	for (uint32_t i = 0; i < PK_RS_N(rs, ROUTEOPTS); i++) {
		const struct pkb_routeopt *ro = &PK_RS_SEC(rs, ROUTEOPTS, struct pkb_routeopt)[i];
		uint64_t at = pk_rs_off(rs, PKB_SEC_ROUTEOPTS, i, 0);
		if (v_index(err, ro->iface, PK_RS_N(rs, IFACES), at, "route interface") ||
		    v_prefix(err, &ro->gw, at + offsetof(struct pkb_routeopt, gw), false) ||
		    v_addr(rs, err, &ro->addr, at + offsetof(struct pkb_routeopt, addr)) ||
		    v_max(err, ro->pool_opts, PK_POOL_ALL, at + offsetof(struct pkb_routeopt, pool_opts), "pool options") ||
		    v_max(err, ro->pad[0] | ro->pad[1] | ro->pad[2], 0, at + offsetof(struct pkb_routeopt, pad), "padding") ||
		    v_str(rs, err, ro->hash_key, at + offsetof(struct pkb_routeopt, hash_key), "source-hash key", false))
			return -1;
	}
	for (uint32_t i = 0; i < PK_RS_N(rs, NATS); i++) {
		const struct pkb_nat *n = &PK_RS_SEC(rs, NATS, struct pkb_nat)[i];
		uint64_t at = pk_rs_off(rs, PKB_SEC_NATS, i, 0);
		if (v_max(err, n->kind, PK_NAT_BINAT_TO, at, "translation kind") ||
		    v_max(err, n->pool_opts, PK_POOL_ALL, at + 1, "pool options") ||
		    v_max(err, n->pad[0] | n->pad[1], 0, at + 2, "padding") ||
		    v_range(err, n->pool_first, n->npool, PK_RS_N(rs, POOLS), at + 8, "translation pool") ||
		    v_str(rs, err, n->hash_key, at + offsetof(struct pkb_nat, hash_key), "source-hash key", false))
			return -1;
		if (n->npool > UINT16_MAX)
			return pk_err_at(err, at + 12, "translation pool of %u addresses", n->npool);
	}
	return 0;
}

static int v_icmpish(struct pk_err *err, int16_t v, uint64_t at, const char *what)
{
	if (v < -1 || v > 255)
		return pk_err_at(err, at, "%s %d outside -1..255", what, v);
	return 0;
}

static int v_rule_enums(struct pk_err *err, const struct pkb_rule *r, uint64_t at)
{
	uint64_t b = at + offsetof(struct pkb_rule, action);
	if (v_max(err, r->flags, PKB_R_ALL, at + offsetof(struct pkb_rule, flags), "rule flags") ||
	    v_max(err, r->action, PK_ACT_BINAT, b, "action") ||
	    v_max(err, r->block, PK_BLOCK_RETURN_ICMP6, b + 1, "block kind") ||
	    v_max(err, r->dir, PK_DIR_OUT, b + 2, "direction") ||
	    v_max(err, r->state, PK_STATE_SYNPROXY, b + 7, "state type") ||
	    v_max(err, r->route, PK_ROUTE_DUP_TO, b + 10, "route option") ||
	    v_max(err, r->owner, PK_OWNER_NEVER, b + 11, "socket owner match") ||
	    v_max(err, r->pad2, 0, at + offsetof(struct pkb_rule, pad2), "padding") ||
	    v_max(err, r->sport.op, PK_PORT_OUTSIDE, at + offsetof(struct pkb_rule, sport), "source port operator") ||
	    v_max(err, r->dport.op, PK_PORT_OUTSIDE, at + offsetof(struct pkb_rule, dport), "destination port operator") ||
	    v_max(err, r->sport.pad | r->sport.pad2 | r->dport.pad | r->dport.pad2, 0,
		  at + offsetof(struct pkb_rule, sport), "padding"))
		return -1;
	if (r->af != PK_AF_ANY && r->af != PK_AF_INET && r->af != PK_AF_INET6)
		return pk_err_at(err, b + 3, "unknown address family %u", r->af);
	uint64_t ic = at + offsetof(struct pkb_rule, icmp_type);
	return v_icmpish(err, r->icmp_type, ic, "icmp-type") || v_icmpish(err, r->icmp_code, ic + 2, "icmp code") ||
	       v_icmpish(err, r->tos, ic + 4, "tos") || v_icmpish(err, r->set_tos, ic + 6, "set-tos");
}

/* divert-to: a host address and a port on a pass rule that can see inbound
 * packets; divert-reply: nothing more, on one that can see outbound ones;
 * divert-packet: a port. Exactly what the compiler writes. */
static int v_divert(struct pk_err *err, const struct pkb_rule *r, uint64_t at)
{
	const uint64_t d = at + offsetof(struct pkb_rule, divert);
	const struct pkb_prefix *a = &r->divert_addr;
	const uint64_t aa = at + offsetof(struct pkb_rule, divert_addr);
	if (v_max(err, r->divert, PK_DIVERT_PACKET, d, "divert kind") || v_max(err, r->pad3, 0, d + 1, "padding") ||
	    v_prefix(err, a, aa, r->divert == PK_DIVERT_TO))
		return -1;
	if (r->divert && r->action != PK_ACT_PASS)
		return pk_err_at(err, d, "divert on a rule that does not pass");
	if ((r->divert == PK_DIVERT_TO && r->dir == PK_DIR_OUT) ||
	    (r->divert == PK_DIVERT_REPLY && r->dir == PK_DIR_IN))
		return pk_err_at(err, d, "divert kind %u on a rule of the wrong direction", r->divert);
	if ((r->divert == PK_DIVERT_TO || r->divert == PK_DIVERT_PACKET) != (r->divert_port != 0))
		return pk_err_at(err, d + 2, "divert port %u does not fit divert kind %u", r->divert_port, r->divert);
	if (r->divert == PK_DIVERT_TO && (a->af != r->af || a->len != (a->af == PK_AF_INET ? 32 : 128)))
		return pk_err_at(err, aa, "divert-to address is no host of the rule's family");
	if (r->divert != PK_DIVERT_TO && (a->af || a->len))
		return pk_err_at(err, aa, "divert address without divert-to");
	for (int k = 0; k < 16; k++)
		if (a->addr[k] && (r->divert != PK_DIVERT_TO || (a->af == PK_AF_INET && k >= 4)))
			return pk_err_at(err, aa + 4 + (uint64_t)k, "divert address byte %d set", k);
	return 0;
}

/* af-to: a pass rule of one family on inbound packets, without route-to,
 * reply-to or dup-to, translating to the other family, from an address of
 * that family (and to one when written); nothing set without it. */
static int v_afto(struct pk_err *err, const struct pkb_rule *r, uint64_t at)
{
	const uint64_t f = at + offsetof(struct pkb_rule, afto_af);
	const uint64_t sa = at + offsetof(struct pkb_rule, afto_src), da = at + offsetof(struct pkb_rule, afto_dst);
	if (v_max(err, r->afto_af, PK_AF_INET6, f, "af-to family") ||
	    v_max(err, r->pad4[0] | r->pad4[1] | r->pad4[2], 0, f + 1, "padding") ||
	    v_prefix(err, &r->afto_src, sa, r->afto_af != 0) || v_prefix(err, &r->afto_dst, da, false))
		return -1;
	if (!r->afto_af)
		return v_zero_prefix(err, &r->afto_src, sa, "af-to source") ||
		       v_zero_prefix(err, &r->afto_dst, da, "af-to destination");
	if (r->afto_af != PK_AF_INET && r->afto_af != PK_AF_INET6)
		return pk_err_at(err, f, "unknown af-to family %u", r->afto_af);
	if (r->action != PK_ACT_PASS || r->dir != PK_DIR_IN || r->route)
		return pk_err_at(err, f, "af-to on a rule that is not a pass in without route options");
	if (!r->af || r->af == r->afto_af)
		return pk_err_at(err, f, "af-to family %u is not the other one than the rule's (%u)", r->afto_af, r->af);
	if (r->afto_src.af != r->afto_af)
		return pk_err_at(err, sa, "af-to source is not of family %u", r->afto_af);
	if (!r->afto_dst.af && v_zero_prefix(err, &r->afto_dst, da, "af-to destination"))
		return -1;
	if (r->afto_dst.af && r->afto_dst.af != r->afto_af)
		return pk_err_at(err, da, "af-to destination is not of family %u", r->afto_af);
	return v_prefix_tail(err, &r->afto_src, sa, "af-to source") ||
	       v_prefix_tail(err, &r->afto_dst, da, "af-to destination");
}

static int v_rule(const struct pk_rs *rs, struct pk_err *err, uint32_t i)
{
	const struct pkb_rule *r = &PK_RS_SEC(rs, RULES, struct pkb_rule)[i];
	uint64_t at = pk_rs_off(rs, PKB_SEC_RULES, i, 0);
#define PK_AT(field) (at + offsetof(struct pkb_rule, field))
	if (v_loc(rs, err, &r->loc, at) || v_rule_enums(err, r, at) || v_divert(err, r, at) || v_afto(err, r, at) ||
	    v_index(err, r->iface, PK_RS_N(rs, IFACES), PK_AT(iface), "interface") ||
	    v_index(err, r->route_opt, PK_RS_N(rs, ROUTEOPTS), PK_AT(route_opt), "route option") ||
	    v_index(err, r->rcv_iface, PK_RS_N(rs, IFACES), PK_AT(rcv_iface), "received-on interface") ||
	    v_max(err, r->tag, PK_RS_N(rs, TAGS), PK_AT(tag), "tag") ||
	    v_max(err, r->tagged, PK_RS_N(rs, TAGS), PK_AT(tagged), "tagged") ||
	    v_str(rs, err, r->label, PK_AT(label), "label", false) ||
	    v_str(rs, err, r->carried, PK_AT(carried), "carried options", false) ||
	    v_str(rs, err, r->user, PK_AT(user), "user", false) ||
	    v_str(rs, err, r->group, PK_AT(group), "group", false) ||
	    v_str(rs, err, r->log_opts, PK_AT(log_opts), "log options", false) ||
	    v_index(err, r->sopts, PK_RS_N(rs, SOPTS), PK_AT(sopts), "state options") ||
	    v_index(err, r->nat, PK_RS_N(rs, NATS), PK_AT(nat), "translation") ||
	    v_ref(err, r->src, PK_RS_N(rs, ADDRS), PK_AT(src), "source address") ||
	    v_ref(err, r->dst, PK_RS_N(rs, ADDRS), PK_AT(dst), "destination address")) {
		char why[sizeof(err->msg)];
		memcpy(why, err->msg, sizeof(why));
		return pk_err_set(err, "rule %u: %s", i, why);
	}
	if ((r->flags & PKB_R_RCVNEG) && r->rcv_iface == PKB_NONE)
		return pk_err_at(err, PK_AT(flags), "rule %u: received-on negated without an interface", i);
	/* the criteria are printed back from their text: a match without one would read back otherwise */
	if (r->owner != PK_OWNER_ANY && r->user == PKB_NONE && r->group == PKB_NONE)
		return pk_err_at(err, PK_AT(owner), "rule %u: socket owner match %u without a user or group", i,
				  r->owner);
#undef PK_AT
	return 0;
}

int pk_rs_verify_records(const struct pk_rs *rs, struct pk_err *err)
{
	if (v_strlist(rs, err, PKB_SEC_SOURCES, "source path") || v_options(rs, err) || v_carried(rs, err) || v_tests(rs, err) ||
	    v_topology(rs, err) ||
	    v_strlist(rs, err, PKB_SEC_TAGS, "tag name") || v_strlist(rs, err, PKB_SEC_TABFILES, "table file") ||
	    v_state(rs, err))
		return -1;
	if (PK_RS_N(rs, TAGS) > UINT16_MAX)
		return pk_err_at(err, rs->h->sections[PKB_SEC_TAGS].offset, "%u tags, at most %u", PK_RS_N(rs, TAGS),
				 UINT16_MAX);
	if (PK_RS_N(rs, RULES) >= PK_RT_NO_RULE)
		return pk_err_at(err, rs->h->sections[PKB_SEC_RULES].offset, "too many rules");
	for (uint32_t i = 0; i < PK_RS_N(rs, RULES); i++)
		if (v_rule(rs, err, i))
			return -1;
	return 0;
}
