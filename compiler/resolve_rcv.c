/*
 * compiler/resolve_rcv.c: received-on, the interface a packet was received
 * on (pf.conf(5)): for an inbound packet the interface it is on, for an
 * outbound one the interface a forwarded packet came in by; the firewall's
 * own packets were received on none. A group stands for each of its
 * interfaces, one rule each, as `on GROUP` does.
 */
#include <string.h>

#include "compiler/resolve.h"

static void add(struct pk_res *r, struct pk_ir_ifmatch **v, uint32_t *n, const char *name, bool neg)
{
	*v = pk_arena_grow(r->a, *v, *n, *n + 1, sizeof(**v));
	(*v)[*n].name = name;
	(*v)[(*n)++].neg = neg;
}

void pk_res_rcv(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_ifmatch **out, uint32_t *n)
{
	const struct pk_ast_opt *o = NULL;
	*out = NULL;
	*n = 0;
	for (const struct pk_ast_opt *x = ar->opts; x; x = x->next)
		if (x->kind == PK_O_RCVON)
			o = x;
	if (!o) {
		add(r, out, n, NULL, false);
		return;
	}
	uint32_t members = 0;
	for (uint32_t k = 0; !pk_ir_iface_find(r->rs, o->s) && k < r->rs->nifaces; k++)
		members += pk_ir_iface_in_group(r->rs, &r->rs->ifaces[k], o->s);
	if (!members || (o->n && members > 1)) {
		if (members)
			pk_unsupported(r->d, &o->loc, "received-on ! GROUP (a negated group of several interfaces)");
		else if (!pk_ir_iface_find(r->rs, o->s))
			pk_diag_add(r->d, PK_SEV_NOTE, &o->loc, NULL,
				    "interface %s is not in the topology; received-on matches it by name only", o->s);
		add(r, out, n, o->s, o->n != 0);
		return;
	}
	for (uint32_t k = 0; k < r->rs->nifaces; k++)
		if (pk_ir_iface_in_group(r->rs, &r->rs->ifaces[k], o->s))
			add(r, out, n, r->rs->ifaces[k].name, o->n != 0);
}
