/*
 * compiler/resolve_rule.c: one written rule to IR rules. Lists expand into
 * one rule per combination in pfctl's order (interface, protocol, icmp
 * type, source, destination, source port, destination port, user,
 * group); combinations
 * whose address families disagree are dropped, as pfctl drops them.
 */
#include "compiler/resolve.h"

#include <stdio.h>
#include <string.h>

#include "compiler/names.h"
#include "compiler/print.h"
#include "compiler/srcmap.h"

struct pk_icmp_pair {
	int16_t type, code;
};

/* The lists a rule expands over. */
struct pk_expand {
	struct pk_ir_ifmatch *ifs, *rcvs; /* on, received-on */
	uint32_t nifs, nrcvs;
	uint8_t *protos;
	uint32_t nprotos;
	struct pk_icmp_pair *icmp;
	uint32_t nicmp;
	struct pk_addr_vec src, dst;
	struct pk_port_match *sports, *dports;
	uint32_t nsports, ndports;
	struct pk_owner_id *uids, *gids;
	uint32_t nuids, ngids;
};

struct pk_ir_rule *pk_res_new_rule(struct pk_res *r)
{
	struct pk_ir_ruleset *rs = r->rs;
	rs->rules = pk_arena_reserve(r->a, rs->rules, rs->nrules, &r->rcap, 64, sizeof(*rs->rules));
	struct pk_ir_rule *ir = &rs->rules[rs->nrules];
	memset(ir, 0, sizeof(*ir));
	ir->nr = rs->nrules++;
	return ir;
}

/* Whether a note's subject (an undeclared interface, ...) comes up for the
 * first time: one note each. */
static bool res_first_mention(struct pk_res *r, const char *name)
{
	for (uint32_t i = 0; i < r->nnoted; i++)
		if (!strcmp(r->noted[i], name))
			return false;
	r->noted = pk_arena_grow(r->a, r->noted, r->nnoted, r->nnoted + 1, sizeof(*r->noted));
	r->noted[r->nnoted++] = name;
	return true;
}

static void exp_if_add(struct pk_res *r, struct pk_expand *e, uint32_t *cap, const char *name, bool neg)
{
	e->ifs = pk_arena_reserve(r->a, e->ifs, e->nifs, cap, 4, sizeof(*e->ifs));
	e->ifs[e->nifs].name = name;
	e->ifs[e->nifs++].neg = neg;
}

/* `on IF`, `on { ... }` and `on GROUP`: a group stands for the interfaces
 * in it, one rule each as for a list (they match disjoint packets, so the
 * order of evaluation is kept). `on ! GROUP` of several interfaces has no
 * such expansion. */
static void exp_ifs(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_expand *e)
{
	uint32_t cap = 4;
	e->ifs = pk_arena_array(r->a, cap, sizeof(*e->ifs));
	e->nifs = 0;
	for (const struct pk_ast_item *i = ar->ifs; i; i = i->next) {
		uint32_t members = 0;
		for (uint32_t k = 0; !pk_ir_iface_find(r->rs, i->s) && k < r->rs->nifaces; k++)
			members += pk_ir_iface_in_group(r->rs, &r->rs->ifaces[k], i->s);
		if (members && i->neg && members > 1)
			pk_unsupported(r->d, &i->loc, "on ! GROUP (a negated group of several interfaces)");
		if (members && !(i->neg && members > 1)) {
			for (uint32_t k = 0; k < r->rs->nifaces; k++)
				if (pk_ir_iface_in_group(r->rs, &r->rs->ifaces[k], i->s))
					exp_if_add(r, e, &cap, r->rs->ifaces[k].name, i->neg);
			continue;
		}
		exp_if_add(r, e, &cap, i->s, i->neg);
		if (!members && !pk_ir_iface_find(r->rs, i->s) && res_first_mention(r, i->s))
			pk_diag_add(r->d, PK_SEV_NOTE, &i->loc, NULL,
				    "interface %s is not in the topology; rules match it by name only", i->s);
	}
	if (!e->nifs)
		e->nifs = 1;
}

static bool exp_protos(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_expand *e)
{
	uint32_t n = 0;
	bool ok = true;
	for (const struct pk_ast_item *i = ar->protos; i; i = i->next)
		n++;
	e->protos = pk_arena_array(r->a, n ? n : 1, 1);
	e->nprotos = n ? n : 1;
	n = 0;
	for (const struct pk_ast_item *i = ar->protos; i; i = i->next, n++) {
		int p = pk_proto_lookup(i->s);
		uint64_t v;
		if (p < 0 && i->s[0] >= '0' && i->s[0] <= '9' && pk_res_number(r, i->s, &i->loc, 255, &v))
			p = (int)v;
		else if (p < 0) {
			pk_error(r->d, &i->loc, "unknown protocol '%s' (e.g. tcp, udp, icmp, or a number)", i->s);
			ok = false;
		}
		e->protos[n] = (uint8_t)(p < 0 ? 0 : p);
	}
	return ok;
}

static int icmp_value(struct pk_res *r, const char *s, const struct pk_loc *loc, bool code, int af)
{
	int v = code ? pk_icmp_code_lookup(s, af) : pk_icmp_type_lookup(s, af);
	uint64_t n;
	if (v >= 0)
		return v;
	if (s[0] >= '0' && s[0] <= '9' && pk_res_number(r, s, loc, 255, &n))
		return (int)n;
	if (!(s[0] >= '0' && s[0] <= '9'))
		pk_error(r->d, loc, "unknown icmp%s %s '%s'", af == 6 ? "6" : "", code ? "code" : "type", s);
	return -2;
}

static int exp_icmp(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_expand *e)
{
	const struct pk_ast_opt *o = NULL;
	for (const struct pk_ast_opt *x = ar->opts; x; x = x->next)
		if (x->kind == PK_O_ICMP)
			o = x;
	uint32_t n = 0;
	for (const struct pk_ast_item *i = o ? o->items : NULL; i; i = i->next)
		n++;
	e->icmp = pk_arena_array(r->a, n ? n : 1, sizeof(*e->icmp));
	e->nicmp = n ? n : 1;
	e->icmp[0].type = e->icmp[0].code = -1;
	n = 0;
	for (const struct pk_ast_item *i = o ? o->items : NULL; i; i = i->next, n++) {
		e->icmp[n].type = (int16_t)icmp_value(r, i->s, &i->loc, false, (int)o->n);
		e->icmp[n].code = i->s2 ? (int16_t)icmp_value(r, i->s2, &i->loc, true, (int)o->n) : -1;
	}
	if (!o)
		return 0;
	for (uint32_t p = 0; p < e->nprotos; p++)
		if (e->protos[p] != (o->n == 6 ? 58 : 1)) {
			pk_error(r->d, &o->loc, "%s needs proto %s", o->n == 6 ? "icmp6-type" : "icmp-type",
				 o->n == 6 ? "icmp6" : "icmp");
			break;
		}
	return (int)o->n;
}

static struct pk_port_match *exp_ports(struct pk_res *r, const struct pk_ast_port *list, uint32_t *n)
{
	uint32_t k = 0;
	for (const struct pk_ast_port *p = list; p; p = p->next)
		k++;
	struct pk_port_match *v = pk_arena_array(r->a, k ? k : 1, sizeof(*v));
	*n = k ? k : 1;
	k = 0;
	for (const struct pk_ast_port *p = list; p; p = p->next)
		pk_res_port(r, p, &v[k++]);
	return v;
}

static void exp_check_ports(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_expand *e)
{
	const struct pk_ast_port *p = ar->sport ? ar->sport : ar->dport;
	if (!p)
		return;
	if (!ar->protos && (ar->action == PK_ACT_NAT || ar->action == PK_ACT_RDR || ar->action == PK_ACT_BINAT)) {
		/* pfctl lets a translation rule name ports without a protocol (pfSense
		 * writes `nat ... port = isakmp`); pf then compares the ports of tcp and
		 * udp packets, which have ports: one rule each */
		static const uint8_t with_ports[] = {6, 17};
		e->protos = pk_arena_array(r->a, 2, 1);
		memcpy(e->protos, with_ports, sizeof(with_ports));
		e->nprotos = 2;
		/* not worth a note where the product wrote the rule (config.xml) */
		if (!pk_loc_generated(&p->loc) && res_first_mention(r, "port without proto"))
			pk_diag_add(r->d, PK_SEV_NOTE, &p->loc, NULL,
				    "a port on a translation rule without proto matches tcp and udp: one rule each");
		return;
	}
	for (uint32_t i = 0; i < e->nprotos; i++)
		if (e->protos[i] != 6 && e->protos[i] != 17 && e->protos[i] != 132) {
			pk_error(r->d, &p->loc, "port only applies to tcp and udp; add proto tcp (or udp) to the rule");
			return;
		}
}


static void exp_check_flags(struct pk_res *r, const struct pk_ast_rule *ar, const struct pk_expand *e)
{
	bool tcp = false;
	for (uint32_t i = 0; i < e->nprotos; i++)
		tcp |= e->protos[i] == 0 || e->protos[i] == 6;
	for (const struct pk_ast_opt *o = ar->opts; o; o = o->next)
		if (!tcp && o->kind == PK_O_FLAGS && o->s)
			pk_error(r->d, &o->loc, "flags only apply to tcp; write proto tcp");
}

static uint8_t addr_af(const struct pk_ir_addr *a)
{
	return (a->kind == PK_ADDR_PREFIX || a->kind == PK_ADDR_RANGE) ? a->pfx.af : 0;
}

/* The template's block kind and return codes. */
static void res_block(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_rule *t)
{
	const struct pk_ast_block *b = &ar->block;
	t->explicit_block = b->set;
	t->block = b->set ? b->kind : r->block_policy == PK_BLOCKPOL_RETURN ? PK_BLOCK_RETURN : PK_BLOCK_DROP;
	t->return_ttl = (uint8_t)(b->ttl > 255 ? 255 : b->ttl);
	t->return_icmp = t->return_icmp6 = -1;
	if (b->icmp)
		t->return_icmp = (int16_t)icmp_value(r, b->icmp, &ar->loc, true, 4);
	if (b->icmp6)
		t->return_icmp6 = (int16_t)icmp_value(r, b->icmp6, &ar->loc, true, 6);
}

static void res_template(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_rule *t, bool *flags_written)
{
	memset(t, 0, sizeof(*t));
	t->loc = ar->loc;
	t->action = ar->action;
	t->unsupported = ar->unsupported;
	t->text = ar->text;
	res_block(r, ar, t);
	t->dir = ar->dir;
	t->quick = ar->quick;
	t->natpass = ar->pass && ar->action >= PK_ACT_NAT;
	t->log = ar->log;
	t->log_all = ar->log_all;
	t->log_opts = ar->log_opts;
	t->af = ar->af;
	t->tos = -1;
	t->scrub.set_tos = -1;
	t->state = ar->action == PK_ACT_PASS ? PK_STATE_KEEP : PK_STATE_NONE;
	for (int i = 0; i < PK_TMO_COUNT; i++)
		t->sopts.timeouts[i] = PK_TMO_UNSET;
	*flags_written = pk_res_rule_opts(r, ar->opts, t);
	pk_res_divert_check(r, ar, t);
	pk_res_state_from_defaults(r, ar, t);
	if (t->action == PK_ACT_NAT && !ar->no && !t->nat.npool)
		pk_error(r->d, &ar->loc, "nat rule needs a translation: -> ADDRESS");
	/* pf keeps tags and labels in fixed 64-byte fields */
	const char *names[] = {t->tag, t->tagged, t->label};
	for (int i = 0; i < 3; i++)
		if (names[i] && strlen(names[i]) > 63)
			pk_error(r->d, &ar->loc, "%s '%.20s...' is longer than 63 characters", i == 2 ? "label" : "tag",
				 names[i]);

}

/* Defaults pf makes explicit: stateful TCP pass rules match the first SYN
 * (not a `fragment` rule: a fragment shows no TCP header). */
static void res_defaults(struct pk_ir_rule *ir, bool flags_written)
{
	if (ir->action == PK_ACT_PASS && ir->state != PK_STATE_NONE && !flags_written && !ir->fragment &&
	    (ir->proto == 0 || ir->proto == 6)) {
		ir->flags = 0x02;
		ir->flagmask = 0x12;
	}
}

static bool res_af(const struct pk_ir_rule *t, const struct pk_ir_addr *s, const struct pk_ir_addr *d,
		   uint8_t *af)
{
	uint8_t sa = addr_af(s), da = addr_af(d);
	*af = t->af;
	if (sa && da && sa != da)
		return false;
	uint8_t x = sa ? sa : da;
	if (x && *af && x != *af)
		return false;
	if (!*af)
		*af = x;
	/* a translation pool of one family restricts the rule to it */
	uint8_t pool = 0;
	for (uint32_t i = 0; i < t->nat.npool; i++) {
		uint8_t pa = addr_af(&t->nat.pool[i]);
		if (pa && pool && pa != pool)
			return true;
		pool = pa ? pa : pool;
	}
	if (pool && *af && pool != *af)
		return false;
	if (!*af)
		*af = pool;
	if (t->route.gw.af && *af && t->route.gw.af != *af)
		return true; /* reported as invalid */
	if (!*af)
		*af = t->route.gw.af;
	return true;
}

/* TCP-only options (flags, modulate, synproxy) fall back for other protocols. */
void pk_res_tcp_only(struct pk_ir_rule *ir)
{
	if (ir->proto && ir->proto != 6) {
		ir->flags = ir->flagmask = 0;
		if (ir->state == PK_STATE_MODULATE || ir->state == PK_STATE_SYNPROXY)
			ir->state = PK_STATE_KEEP;
	}
}

/* What pf does to one expanded rule: TCP-only options fall back for other
 * protocols, the pool keeps the rule's family, rdr-to port N:* spans as
 * many ports as the rule matches. */
static void res_fixup(struct pk_res *r, struct pk_ir_rule *ir, bool flags_written)
{
	pk_res_tcp_only(ir);
	if (ir->nat.port_hi == 0xffff && ir->nat.kind == PK_NAT_RDR_TO && ir->dport.op == PK_PORT_RANGE)
		ir->nat.port_hi = (uint16_t)(ir->nat.port_lo + (ir->dport.hi - ir->dport.lo));
	if (ir->af && ir->nat.npool > 1) {
		struct pk_ir_addr *v = pk_arena_array(r->a, ir->nat.npool, sizeof(*v));
		uint32_t n = 0;
		for (uint32_t i = 0; i < ir->nat.npool; i++)
			if (!addr_af(&ir->nat.pool[i]) || addr_af(&ir->nat.pool[i]) == ir->af)
				v[n++] = ir->nat.pool[i];
		ir->nat.pool = v;
		ir->nat.npool = n;
	}
	if (ir->nat.npool > 1) {
		struct pk_ir_addr *t = pk_arena_alloc(r->a, sizeof(*t));
		*t = pk_res_auto_table(r, ir->nat.pool, ir->nat.npool);
		ir->nat.pool = t;
		ir->nat.npool = 1;
		pk_res_pool_default(&ir->nat);
	}
	/* a dynamic address's mask longer than the family's is dropped: (self)/40 in inet */
	struct pk_ir_addr *ends[] = {&ir->src, &ir->dst};
	for (int i = 0; i < 2; i++)
		if (ends[i]->ifmod == PK_IFMOD_DYNAMIC && ir->af == PK_AF_INET && ends[i]->pfx.len > 32)
			ends[i]->pfx.len = 0;
	res_defaults(ir, flags_written);
}

/* Why an expanded rule is invalid (pf's checks), or NULL. */
static const char *res_invalid(const struct pk_ir_rule *ir)
{
	if (ir->proto == 1 && ir->af == PK_AF_INET6)
		return "proto icmp does not match address family inet6; use proto icmp6";
	if (ir->proto == 58 && ir->af == PK_AF_INET)
		return "proto icmp6 does not match address family inet; use proto icmp";
	if (ir->fragment && (ir->sport.op != PK_PORT_ANY || ir->dport.op != PK_PORT_ANY || ir->flagmask ||
			     ir->icmp_type >= 0 || ir->icmp_code >= 0))
		return "fragments can be filtered only on IP header fields";
	if (ir->route.kind != PK_ROUTE_NONE) {
		if (ir->action == PK_ACT_BLOCK)
			return "route-to, reply-to and dup-to do not apply to block rules";
		if (ir->action == PK_ACT_PASS && ir->state == PK_STATE_NONE)
			return "route-to, reply-to and dup-to need keep state";
		if (ir->route.gw.af && ir->af && ir->route.gw.af != ir->af)
			return "the routing target's address family differs from the rule's";
	}
	if (ir->nat.kind == PK_NAT_BINAT_TO) {
		const struct pk_ir_addr *to = ir->nat.npool ? &ir->nat.pool[0] : NULL;
		bool dyn_src = ir->src.kind == PK_ADDR_TABLE && ir->src.ifmod == PK_IFMOD_DYNAMIC;
		bool dyn_to = to && to->kind == PK_ADDR_TABLE && to->ifmod == PK_IFMOD_DYNAMIC;
		if (ir->src.kind == PK_ADDR_TABLE && !dyn_src)
			return "binat-to needs an address or network as source, not a table";
		if (!to || (to->kind != PK_ADDR_PREFIX && !dyn_to) || (ir->src.kind != PK_ADDR_PREFIX && !dyn_src))
			return "binat-to needs a source address and a translation address (not a table)";
		if (!dyn_src && !dyn_to && to->pfx.len != ir->src.pfx.len)
			return "binat-to's source and translation must have the same prefix length";
	}
	return NULL;
}

/* binat-to is pf's pair of nat-to out (static-port) and rdr-to back in. */
static void res_binat(struct pk_res *r, struct pk_ir_rule *out)
{
	struct pk_ir_rule *in = pk_res_new_rule(r);
	uint32_t nr = in->nr;
	out = &r->rs->rules[nr - 1];
	*in = *out;
	in->nr = nr;
	out->dir = PK_DIR_OUT;
	out->nat.kind = PK_NAT_NAT_TO;
	out->nat.pool_opts |= PK_POOL_STATIC_PORT;
	in->dir = PK_DIR_IN;
	in->nat.kind = PK_NAT_RDR_TO;
	in->src = out->dst;
	in->dst = out->nat.npool ? out->nat.pool[0] : out->dst;
	in->nat.pool = pk_arena_alloc(r->a, sizeof(*in->nat.pool));
	in->nat.pool[0] = out->src;
	in->nat.npool = 1;
	in->nat.pool_opts = 0;
	in->nat.port_lo = in->nat.port_hi = 0;
	pk_res_pool_default(&in->nat);
	pk_res_label(r, in);
}

static void res_emit(struct pk_res *r, const struct pk_ir_rule *t, const struct pk_expand *e, bool flags_written,
		     uint32_t *made)
{
	for (uint32_t i = 0; i < e->nifs; i++)
	for (uint32_t v = 0; v < e->nrcvs; v++)
	for (uint32_t p = 0; p < e->nprotos; p++)
	for (uint32_t c = 0; c < e->nicmp; c++)
	for (uint32_t s = 0; s < e->src.n; s++)
	for (uint32_t d = 0; d < e->dst.n; d++)
	for (uint32_t sp = 0; sp < e->nsports; sp++)
	for (uint32_t dp = 0; dp < e->ndports; dp++)
	for (uint32_t u = 0; u < e->nuids; u++)
	for (uint32_t g = 0; g < e->ngids; g++) {
		uint8_t af;
		if (!res_af(t, &e->src.v[s], &e->dst.v[d], &af)) {
			/* pfctl numbers a pool's table before dropping the combination */
			r->nauto += t->nat.npool > 1;
			continue;
		}
		struct pk_ir_rule *ir = pk_res_new_rule(r);
		uint32_t nr = ir->nr;
		*ir = *t;
		ir->nr = nr;
		ir->af = af;
		ir->ifc = e->ifs[i];
		ir->rcv = e->rcvs[v];
		ir->proto = e->protos[p];
		ir->icmp_type = e->icmp[c].type;
		ir->icmp_code = e->icmp[c].code;
		ir->src = e->src.v[s];
		ir->dst = e->dst.v[d];
		ir->sport = e->sports[sp];
		ir->dport = e->dports[dp];
		ir->user = e->uids[u].text;
		ir->group = e->gids[g].text;
		ir->owner = e->uids[u].owner | e->gids[g].owner;
		/* a scoped address (fe80::1%lo0) names the interface of the rule */
		if (!ir->ifc.name && (ir->src.ifmod == PK_IFMOD_NONE || ir->dst.ifmod == PK_IFMOD_NONE))
			ir->ifc.name = ir->src.ifmod == PK_IFMOD_NONE && ir->src.ifname ? ir->src.ifname
				     : ir->dst.ifmod == PK_IFMOD_NONE ? ir->dst.ifname : NULL;
		res_fixup(r, ir, flags_written);
		const char *bad = res_invalid(ir);
		if (bad) {
			if (!*made)
				pk_error(r->d, &t->loc, "%s", bad);
			*made = 1;
			r->rs->nrules--;
			continue;
		}
		pk_res_label(r, ir);
		if (ir->nat.kind == PK_NAT_BINAT_TO && ir->action < PK_ACT_NAT)
			res_binat(r, ir);
		(*made)++;
	}
}

/* The feature of the last unsupported warning, in the ruleset's arena. */
static const char *last_unsupported(struct pk_res *r)
{
	for (unsigned i = r->d->n; i-- > 0;) {
		const struct pk_diag *g = &r->d->v[i];
		if (g->code && !strcmp(g->code, PK_DIAG_UNSUPPORTED))
			return pk_arena_strdup(r->a, g->msg + strlen("unsupported: "));
	}
	return "unsupported";
}

void pk_res_rule(struct pk_res *r, const struct pk_ast_rule *ar)
{
	struct pk_expand e;
	struct pk_ir_rule t;
	bool flags_written;
	unsigned errors = r->d->nerrors, unsupported = r->d->nunsupported;
	memset(&e, 0, sizeof(e));
	res_template(r, ar, &t, &flags_written);
	exp_ifs(r, ar, &e);
	pk_res_rcv(r, ar, &e.rcvs, &e.nrcvs);
	exp_protos(r, ar, &e);
	exp_icmp(r, ar, &e);
	exp_check_ports(r, ar, &e);
	exp_check_flags(r, ar, &e);
	struct pk_ast_host any = {.kind = PK_H_ANY};
	pk_res_hosts(r, ar->src ? ar->src : &any, &e.src);
	pk_res_hosts(r, ar->dst ? ar->dst : &any, &e.dst);
	e.sports = exp_ports(r, ar->sport, &e.nsports);
	e.dports = exp_ports(r, ar->dport, &e.ndports);
	pk_res_owner_ids(r, ar, false, &e.uids, &e.nuids);
	pk_res_owner_ids(r, ar, true, &e.gids, &e.ngids);
	if (r->d->nerrors != errors)
		return;
	/* a feature the resolver cannot express (on ! GROUP) flags the rule */
	if (r->d->nunsupported != unsupported && !t.unsupported)
		t.unsupported = last_unsupported(r);
	uint32_t made = 0;
	res_emit(r, &t, &e, flags_written, &made);
	if (!made)
		pk_error(r->d, &ar->loc, "rule matches nothing: its addresses and address family (inet/inet6) disagree");
}

/* pf's label macros ($if, $srcaddr ...), expanded per rule in labels and tags. */
static const char *res_expand(struct pk_res *r, const struct pk_ir_rule *ir, const char *text)
{
	if (!text || !strchr(text, '$'))
		return text;
	static const char *const keys[] = {"$if", "$srcaddr", "$dstaddr", "$srcport", "$dstport", "$proto", "$nr"};
	char vals[7][128];
	snprintf(vals[0], sizeof(vals[0]), "%s", ir->ifc.name ? ir->ifc.name : "any");
	pk_print_addr_str(r->rs, &ir->src, vals[1], sizeof(vals[1]));
	pk_print_addr_str(r->rs, &ir->dst, vals[2], sizeof(vals[2]));
	pk_print_port_str(&ir->sport, vals[3], sizeof(vals[3]));
	pk_print_port_str(&ir->dport, vals[4], sizeof(vals[4]));
	/* protocol 0 is "ip" in the protocols database pf reads */
	const char *pn = ir->proto ? pk_proto_name(ir->proto) : "ip";
	if (pn)
		snprintf(vals[5], sizeof(vals[5]), "%s", pn);
	else
		snprintf(vals[5], sizeof(vals[5]), "%u", ir->proto);
	snprintf(vals[6], sizeof(vals[6]), "%u", ir->nr);
	char out[1024];
	size_t n = 0;
	for (const char *s = text; *s && n < sizeof(out) - 1;) {
		size_t k = 0;
		while (k < 7 && strncmp(s, keys[k], strlen(keys[k])))
			k++;
		const char *add = k < 7 ? vals[k] : NULL;
		size_t len = add ? strlen(add) : 1;
		if (n + len >= sizeof(out))
			break;
		memcpy(out + n, add ? add : s, len);
		n += len;
		s += add ? strlen(keys[k]) : 1;
	}
	out[n] = '\0';
	return pk_arena_strdup(r->a, out);
}

void pk_res_label(struct pk_res *r, struct pk_ir_rule *ir)
{
	ir->label = res_expand(r, ir, ir->label);
	ir->tag = res_expand(r, ir, ir->tag);
	ir->tagged = res_expand(r, ir, ir->tagged);
}
