/*
 * compiler/resolve_divert.c: where a rule sends what it passes instead of
 * forwarding it (divert-to, divert-reply, divert-packet), and af-to.
 *
 * The checks are pfctl's (parse.y): one divert option per rule, divert-to
 * on rules that can see inbound packets and divert-reply on rules that can
 * see outbound ones, divert-to's address of the rule's family (it decides
 * the family when the rule names none); af-to only on inbound rules of one
 * family, to the other, and without route-to, reply-to, dup-to, nat-to,
 * rdr-to or binat-to.
 */
#include <string.h>

#include "compiler/resolve.h"

/* The first address of the rule's family (any, when it names none) of the
 * interfaces a name gives, an interface or a group, in topology order. */
static bool iface_addr(const struct pk_ir_ruleset *rs, const char *name, uint8_t af, struct pk_prefix *out)
{
	for (uint32_t i = 0; i < rs->nifaces; i++) {
		const struct pk_ir_iface *f = &rs->ifaces[i];
		for (uint32_t k = 0; pk_ir_iface_named(rs, f, name) && k < f->naddrs; k++)
			if (!af || f->addrs[k].af == af) {
				*out = f->addrs[k];
				out->len = out->af == PK_AF_INET ? 32 : 128;
				return true;
			}
	}
	return false;
}

/* divert-to's address: a literal host address; localhost, which pfctl
 * resolves to 127.0.0.1 and ::1 and takes the one of the rule's family
 * (the first, IPv4, when the rule names none); or, as pfctl's host()
 * reads a name, an interface or group's first address of that family. */
static bool divert_addr(struct pk_res *r, const struct pk_ast_opt *o, uint8_t af, struct pk_prefix *out)
{
	if (!strcmp(o->s, "localhost"))
		return pk_prefix_parse(af == PK_AF_INET6 ? "::1" : "127.0.0.1", out) == 0;
	if (pk_prefix_parse(o->s, out) == 0 && out->len == (out->af == PK_AF_INET ? 32 : 128))
		return true;
	if (iface_addr(r->rs, o->s, af, out))
		return true;
	pk_error(r->d, &o->loc,
		 "divert-to needs the address of a local socket: '%s' is no host address, nor an interface with "
		 "an address of the rule's family in the topology",
		 o->s);
	return false;
}

void pk_res_divert(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	if (ir->divert.kind) {
		pk_error(r->d, &o->loc, "a rule takes one divert option: divert-to, divert-reply or divert-packet");
		return;
	}
	ir->divert.kind = (uint8_t)o->n;
	if (o->s2 && !pk_res_port_value(r, o->s2, &o->loc, &ir->divert.port))
		return;
	if (o->s2 && !ir->divert.port) {
		pk_error(r->d, &o->loc, "divert port 0 is no port: use 1 to 65535");
		return;
	}
	if (o->n == PK_DIVERT_PACKET)
		pk_unsupported(r->d, &o->loc, "divert-packet (to a divert(4) socket, whose program decides)");
	if (o->n != PK_DIVERT_TO || !divert_addr(r, o, ir->af, &ir->divert.addr))
		return;
	if (ir->af && ir->af != ir->divert.addr.af)
		pk_error(r->d, &o->loc, "divert-to %s is not of the rule's address family (%s)", o->s,
			 ir->af == PK_AF_INET ? "inet" : "inet6");
	ir->af = ir->divert.addr.af;
}

/* The address of family af an af-to host gives: a literal address or
 * prefix, or the first of the interface's addresses in the topology for
 * `(IF)` (pf takes the interface's address as the packet passes; the
 * topology is what picket knows of it). */
static bool afto_pick(const struct pk_res *r, const struct pk_ir_addr *a, uint8_t af, struct pk_prefix *out)
{
	if (a->kind == PK_ADDR_PREFIX && !a->neg && a->pfx.af == af) {
		*out = a->pfx;
		return true;
	}
	if (a->kind != PK_ADDR_TABLE || a->neg || !r->rs->tables[a->table].implicit)
		return false;
	const struct pk_ir_table *t = &r->rs->tables[a->table];
	for (uint32_t k = 0; k < t->nentries; k++)
		if (t->entries[k].pfx.af == af && !t->entries[k].neg) {
			*out = t->entries[k].pfx;
			out->len = af == PK_AF_INET ? 32 : 128;
			return true;
		}
	return false;
}

/* An af-to host: out as written (printed back), addr the address it gives. */
static bool afto_addr(struct pk_res *r, const struct pk_ast_host *h, uint8_t af, struct pk_ir_addr *out,
		      struct pk_prefix *addr)
{
	struct pk_addr_vec v = {0};
	if (!pk_res_hosts(r, h, &v) || !v.n)
		return false;
	for (uint32_t k = 0; k < v.n; k++) {
		*out = v.v[k];
		if (afto_pick(r, &v.v[k], af, addr))
			return true;
	}
	if (v.v[0].kind == PK_ADDR_PREFIX || (v.v[0].kind == PK_ADDR_TABLE && r->rs->tables[v.v[0].table].implicit))
		pk_error(r->d, &h->loc, "af-to %s needs an address of that family", af == PK_AF_INET ? "inet" : "inet6");
	else
		pk_unsupported(r->d, &h->loc, "af-to (to or from a table)");
	return false;
}

void pk_res_afto(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	if (!o->n) {
		pk_error(r->d, &o->loc, "af-to needs the family translated to: af-to inet or af-to inet6");
		return;
	}
	ir->afto.af = (uint8_t)o->n;
	if (afto_addr(r, o->hosts, ir->afto.af, &ir->afto.from, &ir->afto.src) && o->hosts2)
		(void)afto_addr(r, o->hosts2, ir->afto.af, &ir->afto.to, &ir->afto.dst);
}

void pk_res_divert_check(struct pk_res *r, const struct pk_ast_rule *ar, const struct pk_ir_rule *ir)
{
	if (ir->divert.kind == PK_DIVERT_TO && ir->dir == PK_DIR_OUT)
		pk_error(r->d, &ar->loc, "divert-to takes inbound packets: it cannot be used on an 'out' rule");
	if (ir->divert.kind == PK_DIVERT_REPLY && ir->dir == PK_DIR_IN)
		pk_error(r->d, &ar->loc, "divert-reply takes outbound packets: it cannot be used on an 'in' rule");
	if (!ir->afto.af)
		return;
	if (ir->dir != PK_DIR_IN)
		pk_error(r->d, &ar->loc, "af-to translates inbound packets: the rule needs 'in'");
	else if (!ir->af)
		pk_error(r->d, &ar->loc, "af-to needs the family of the rule: inet or inet6");
	else if (ir->af == ir->afto.af)
		pk_error(r->d, &ar->loc, "af-to translates to the other address family, not to the rule's");
	else if (ir->route.kind)
		pk_error(r->d, &ar->loc, "af-to cannot be used with route-to, reply-to or dup-to");
	else if (ir->nat.kind) /* pfctl keeps af-to's addresses where nat-to's and rdr-to's go */
		pk_error(r->d, &ar->loc, "af-to cannot be used with nat-to, rdr-to or binat-to");
	else if (ir->action == PK_ACT_MATCH)
		pk_unsupported(r->d, &ar->loc, "af-to on a match rule (translating what a later rule passes)");
}
