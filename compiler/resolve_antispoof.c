/*
 * compiler/resolve_antispoof.c: `antispoof for IF` into the block rules pf
 * makes of it: traffic from IF's networks arriving on another interface,
 * and (unless IF is a loopback) traffic claiming IF's own addresses. For
 * (IF) both rules follow the addresses at match time, as pfctl writes them.
 */
#include "compiler/resolve.h"

#include <string.h>

static bool is_loopback(const struct pk_ir_iface *i)
{
	static const uint8_t v6lo[16] = {[15] = 1};
	for (uint32_t j = 0; j < i->naddrs; j++)
		if ((i->addrs[j].af == PK_AF_INET && i->addrs[j].addr[0] == 127) ||
		    (i->addrs[j].af == PK_AF_INET6 && !memcmp(i->addrs[j].addr, v6lo, 16)))
			return true;
	return false;
}

/* pfctl asks the kernel whether (IF) is a loopback; picket asks the
 * topology, and takes an interface it declares without addresses as not. */
static bool declared_loopback(const struct pk_ir_ruleset *rs, const char *name)
{
	bool found = false, loopback = true;
	for (uint32_t k = 0; k < rs->nifaces; k++)
		if (pk_ir_iface_named(rs, &rs->ifaces[k], name)) {
			found = true;
			loopback &= rs->ifaces[k].naddrs > 0 && is_loopback(&rs->ifaces[k]);
		}
	return found && loopback;
}

/* Whether the interface has an address of the rule's family (network: not
 * link-local, as IF:network leaves those out). */
static bool has_af(const struct pk_ir_iface *i, uint8_t af, bool network)
{
	for (uint32_t j = 0; j < i->naddrs; j++)
		if ((!af || i->addrs[j].af == af) && !(network && pk_prefix_is_link_local(&i->addrs[j])))
			return true;
	return false;
}

/* One generated rule: the antispoof rule with a source and maybe `on ! IF`. */
static void spoof_rule(struct pk_res *r, const struct pk_ast_rule *ar, const struct pk_ast_item *ifc,
		       uint8_t kind, const char *src, bool on_not_if)
{
	struct pk_ast_rule *x = pk_arena_alloc(r->a, sizeof(*x));
	*x = *ar;
	x->antispoof = false;
	x->ifs = NULL;
	if (on_not_if) {
		struct pk_ast_item *n = pk_arena_alloc(r->a, sizeof(*n));
		*n = *ifc;
		n->neg = true;
		n->s2 = NULL;
		n->next = NULL;
		n->last = n;
		x->ifs = n;
	}
	struct pk_ast_host *h = pk_arena_alloc(r->a, sizeof(*h));
	h->loc = ifc->loc;
	h->kind = kind;
	h->a = src;
	h->mask = -1;
	h->last = h;
	x->src = h;
	pk_res_rule(r, x);
}

void pk_res_antispoof(struct pk_res *r, const struct pk_ast_rule *ar)
{
	for (const struct pk_ast_item *it = ar->ifs; it; it = it->next) {
		const char *net = pk_arena_printf(r->a, "%s:network", it->s);
		if (it->s2) { /* (IF): the networks and addresses as they are at match time */
			spoof_rule(r, ar, it, PK_H_DYN, net, true);
			if (!declared_loopback(r->rs, it->s))
				spoof_rule(r, ar, it, PK_H_DYN, it->s, false);
			continue;
		}
		/* IF or a group (antispoof for lo): what its interfaces have */
		bool found = false, loopback = true, net_af = false, addr_af = false;
		for (uint32_t k = 0; k < r->rs->nifaces; k++) {
			const struct pk_ir_iface *i = &r->rs->ifaces[k];
			if (!pk_ir_iface_named(r->rs, i, it->s))
				continue;
			found = true;
			loopback &= is_loopback(i);
			net_af |= has_af(i, ar->af, true);
			addr_af |= has_af(i, ar->af, false);
		}
		if (!found) {
			pk_error(r->d, &it->loc, "antispoof for %s needs it declared; add: interface %s address CIDR",
				 it->s, it->s);
			continue;
		}
		if (net_af)
			spoof_rule(r, ar, it, PK_H_ADDR, net, true);
		if (!loopback && addr_af)
			spoof_rule(r, ar, it, PK_H_ADDR, it->s, false);
	}
}
