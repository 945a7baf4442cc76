/*
 * compiler/ast.c: the constructors the grammar calls. They record what was
 * written and where; meaning is given later by compiler/resolve*.c.
 */
#include "compiler/ast.h"

#include <string.h>

#include "compiler/ir.h"
#include "compiler/lex.h"

/* The list x appended to list (either may be empty), for the four list
 * types that share next and last: an expression, so each caller says return. */
#define PK_APPEND(list, x) \
	(!(list) ? (x) : !(x) ? (list) : ((list)->last->next = (x), (list)->last = (x)->last, (list)))

void pk_ast_add_stmt(struct pk_parse *p, uint8_t kind, void *node)
{
	struct pk_ast_stmt *s = pk_arena_alloc(p->arena, sizeof(*s));
	s->kind = kind;
	switch (kind) {
	case PK_ST_RULE: s->u.rule = node; break;
	case PK_ST_TABLE: s->u.table = node; break;
	case PK_ST_SET: s->u.set = node; break;
	case PK_ST_IFACE: s->u.iface = node; break;
	case PK_ST_CARRIED: s->u.carried = node; break;
	case PK_ST_HOST: s->u.host = node; break;
	case PK_ST_ANCHOR: s->u.anchor = node; break;
	case PK_ST_LOAD: s->u.load = node; break;
	default: s->u.route = node; break;
	}
	if (p->tail)
		p->tail->next = s;
	else
		p->head = s;
	p->tail = s;
}

void pk_ast_add_rule(struct pk_parse *p, struct pk_ast_rule *r)
{
	pk_ast_add_stmt(p, PK_ST_RULE, r);
}

void pk_ast_add_table(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_table *t)
{
	t->loc = *loc;
	t->name = name;
	pk_ast_add_stmt(p, PK_ST_TABLE, t);
}

void pk_ast_add_set(struct pk_parse *p, struct pk_ast_set *s)
{
	pk_ast_add_stmt(p, PK_ST_SET, s);
}

void pk_ast_add_carried(struct pk_parse *p, const struct pk_loc *loc, const char *text)
{
	struct pk_ast_carried *c = pk_arena_alloc(p->arena, sizeof(*c));
	c->loc = *loc;
	c->text = text;
	pk_ast_add_stmt(p, PK_ST_CARRIED, c);
}

void pk_ast_add_host(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_item *addrs)
{
	struct pk_ast_hostname *h = pk_arena_alloc(p->arena, sizeof(*h));
	h->loc = *loc;
	h->name = name;
	h->addrs = addrs;
	pk_ast_add_stmt(p, PK_ST_HOST, h);
}

char *pk_ast_keyword_text(struct pk_parse *p, const char *keyword)
{
	return pk_arena_strdup(p->arena, keyword);
}

struct pk_ast_iface *pk_ast_iface_new(struct pk_parse *p)
{
	return pk_arena_alloc(p->arena, sizeof(struct pk_ast_iface));
}

struct pk_ast_iface *pk_ast_iface_addrs(struct pk_ast_iface *i, struct pk_ast_item *addrs)
{
	i->addrs = pk_ast_item_append(i->addrs, addrs);
	return i;
}

struct pk_ast_iface *pk_ast_iface_peers(struct pk_ast_iface *i, struct pk_ast_item *peers)
{
	i->peers = pk_ast_item_append(i->peers, peers);
	return i;
}

struct pk_ast_iface *pk_ast_iface_mac(struct pk_ast_iface *i, const char *mac, const struct pk_loc *loc)
{
	i->mac = mac;
	i->mac_loc = *loc;
	return i;
}

struct pk_ast_iface *pk_ast_iface_groups(struct pk_ast_iface *i, struct pk_ast_item *groups)
{
	i->groups = pk_ast_item_append(i->groups, groups);
	return i;
}

void pk_ast_add_iface(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_iface *i)
{
	i->loc = *loc;
	i->name = name;
	pk_ast_add_stmt(p, PK_ST_IFACE, i);
}

void pk_ast_add_route(struct pk_parse *p, const struct pk_loc *loc, const struct pk_ast_item *dst,
		      const char *ifname, const char *gw, const struct pk_loc *gl)
{
	struct pk_ast_route *r = pk_arena_alloc(p->arena, sizeof(*r));
	r->loc = *loc;
	r->dst = dst->s;
	r->dst_loc = dst->loc;
	r->ifname = ifname;
	r->gw = gw;
	if (gl)
		r->gw_loc = *gl;
	pk_ast_add_stmt(p, PK_ST_ROUTE, r);
}

static bool valid_macro_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

void pk_ast_define_macro(struct pk_parse *p, const struct pk_loc *loc, const char *name, const char *value)
{
	if (!valid_macro_name(name)) {
		pk_error(p->diags, loc, "'%s' is not a valid macro name (letters, digits and _)", name);
		return;
	}
	pk_lex_define(p, name, value);
}

struct pk_ast_act pk_ast_act_make(uint8_t action, uint8_t block, const char *ttl, const char *icmp,
				  const char *icmp6)
{
	struct pk_ast_act a;
	memset(&a, 0, sizeof(a));
	a.action = action;
	a.block.set = block != PK_AST_BLOCK_POLICY;
	a.block.kind = block == PK_AST_BLOCK_POLICY ? PK_BLOCK_DROP : block;
	a.block.ttl = 0;
	if (ttl) {
		for (const char *c = ttl; *c && a.block.ttl < 1000; c++)
			a.block.ttl = a.block.ttl * 10 + (*c - '0');
	}
	a.block.icmp = icmp;
	a.block.icmp6 = icmp6;
	return a;
}

struct pk_ast_act pk_ast_act_with(struct pk_ast_act a, int flag)
{
	a.no |= flag == PK_AST_ACT_NO;
	a.pass |= flag == PK_AST_ACT_PASS;
	a.log |= flag == PK_AST_ACT_LOG;
	return a;
}

struct pk_ast_ipp pk_ast_ipp_make(struct pk_ast_host *hosts, struct pk_ast_port *ports)
{
	struct pk_ast_ipp i = {hosts, ports};
	return i;
}

struct pk_ast_fromto pk_ast_fromto_make(struct pk_ast_ipp src, struct pk_ast_ipp dst, bool all)
{
	struct pk_ast_fromto f = {src, dst, all};
	return f;
}

struct pk_ast_logquick pk_ast_logopt(struct pk_parse *p, const struct pk_loc *loc, const char *word)
{
	if (strcmp(word, "matches"))
		pk_error(p->diags, loc, "'%s' is no log option; use all, matches, user or to IF", word);
	return (struct pk_ast_logquick){.log_opts = word};
}

struct pk_ast_logquick pk_ast_logopts_join(struct pk_parse *p, struct pk_ast_logquick a, struct pk_ast_logquick b)
{
	a.log_all |= b.log_all;
	if (a.log_opts && b.log_opts)
		a.log_opts = pk_ast_concat(p, a.log_opts, ", ", b.log_opts);
	else if (b.log_opts)
		a.log_opts = b.log_opts;
	return a;
}

void pk_ast_filter(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_act act, int dir,
		   struct pk_ast_logquick lq, struct pk_ast_item *ifs, int af, struct pk_ast_item *protos,
		   struct pk_ast_fromto ft, struct pk_ast_opt *opts)
{
	struct pk_ast_rule *r = pk_arena_alloc(p->arena, sizeof(*r));
	r->loc = *loc;
	r->action = act.action;
	r->block = act.block;
	r->no = act.no;
	r->pass = act.pass;
	r->dir = (uint8_t)dir;
	r->log = lq.log;
	r->log_all = lq.log_all;
	r->log_opts = lq.log_opts;
	r->quick = lq.quick;
	r->ifs = ifs;
	r->af = (uint8_t)af;
	r->protos = protos;
	r->src = ft.src.hosts;
	r->sport = ft.src.ports;
	r->dst = ft.dst.hosts;
	r->dport = ft.dst.ports;
	r->all = ft.all;
	r->opts = opts;
	if (p->stmt_unsupported) {
		r->unsupported = p->stmt_unsupported;
		r->text = pk_lex_statement(p);
	}
	pk_ast_add_rule(p, r);
}

void pk_ast_antispoof(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_logquick lq,
		      struct pk_ast_item *ifs, int af, struct pk_ast_opt *opts)
{
	struct pk_ast_fromto ft = {{NULL, NULL}, {NULL, NULL}, false};
	pk_ast_filter(p, loc, pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_DROP, NULL, NULL, NULL), PK_DIR_IN, lq, ifs, af,
		      NULL, ft, opts);
	p->tail->u.rule->antispoof = true;
}

struct pk_ast_table *pk_ast_table_new(struct pk_parse *p)
{
	return pk_arena_alloc(p->arena, sizeof(struct pk_ast_table));
}

void pk_ast_table_opt(struct pk_parse *p, struct pk_ast_table *t, const struct pk_ast_tableopt *o)
{
	t->persist |= o->persist;
	t->is_const |= o->is_const;
	t->counters |= o->counters;
	if (o->file)
		t->files = pk_ast_item_append(t->files, pk_ast_item_new(p, &o->file_loc, false, o->file, NULL));
	t->hosts = pk_ast_host_append(t->hosts, o->hosts);
}

struct pk_ast_set *pk_ast_set_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t kind,
				  const char *s, long long n, struct pk_ast_item *items)
{
	struct pk_ast_set *x = pk_arena_alloc(p->arena, sizeof(*x));
	x->loc = *loc;
	x->kind = kind;
	x->s = s;
	x->n = n;
	x->items = items;
	return x;
}

struct pk_ast_host *pk_ast_host_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t kind,
				    const char *a, const char *b, int mask)
{
	struct pk_ast_host *h = pk_arena_alloc(p->arena, sizeof(*h));
	h->loc = *loc;
	h->kind = kind;
	h->a = a;
	h->mask = -1;
	if ((kind == PK_H_ADDR || kind == PK_H_DYN) && b && mask == 0) {
		/* word '/' NUMBER: b holds the length as text */
		h->mask = 0;
		for (const char *c = b; *c && h->mask < 1000; c++)
			h->mask = h->mask * 10 + (*c - '0');
	} else {
		h->b = b;
	}
	h->last = h;
	return h;
}

struct pk_ast_host *pk_ast_host_neg(struct pk_ast_host *h, const struct pk_loc *loc)
{
	h->neg = true;
	h->loc = *loc;
	return h;
}

struct pk_ast_host *pk_ast_host_via(const struct pk_loc *loc, const char *ifname, struct pk_ast_host *h)
{
	h->b = ifname;
	h->loc = *loc;
	return h;
}

struct pk_ast_host *pk_ast_host_append(struct pk_ast_host *list, struct pk_ast_host *x)
{
	return PK_APPEND(list, x);
}

struct pk_ast_port *pk_ast_port_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t op,
				    const char *lo, const char *hi)
{
	struct pk_ast_port *x = pk_arena_alloc(p->arena, sizeof(*x));
	x->loc = *loc;
	x->op = op;
	x->lo = lo;
	x->hi = hi;
	x->last = x;
	return x;
}

struct pk_ast_port *pk_ast_port_word(struct pk_parse *p, const struct pk_loc *loc, const char *w)
{
	const char *colon = strchr(w, ':');
	if (!colon)
		return pk_ast_port_new(p, loc, PK_PORT_EQ, w, NULL);
	return pk_ast_port_new(p, loc, PK_PORT_RANGE, pk_arena_strndup(p->arena, w, (size_t)(colon - w)),
			       colon + 1);
}

struct pk_ast_port *pk_ast_port_append(struct pk_ast_port *list, struct pk_ast_port *x)
{
	return PK_APPEND(list, x);
}

struct pk_ast_item *pk_ast_item_new(struct pk_parse *p, const struct pk_loc *loc, bool neg,
				    const char *s, const char *s2)
{
	struct pk_ast_item *x = pk_arena_alloc(p->arena, sizeof(*x));
	x->loc = *loc;
	x->neg = neg;
	x->s = s;
	x->s2 = s2;
	x->last = x;
	return x;
}

struct pk_ast_item *pk_ast_item_append(struct pk_ast_item *list, struct pk_ast_item *x)
{
	return PK_APPEND(list, x);
}

struct pk_ast_opt *pk_ast_opt_new(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind,
				  const char *s, long long n)
{
	struct pk_ast_opt *o = pk_arena_alloc(p->arena, sizeof(*o));
	o->loc = *loc;
	o->kind = kind;
	o->s = s;
	o->n = n;
	o->last = o;
	return o;
}

struct pk_ast_opt *pk_ast_opt_list(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind, long long n,
				   struct pk_ast_host *hosts, const char *port, struct pk_ast_item *items,
				   struct pk_ast_opt *sub)
{
	struct pk_ast_opt *o = pk_ast_opt_new(p, loc, kind, port, n);
	o->hosts = hosts;
	o->items = items;
	o->sub = sub;
	return o;
}

struct pk_ast_opt *pk_ast_arrow(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_host *pool,
				const char *port, struct pk_ast_opt *poolopts)
{
	/* the kind follows the rule's action (nat, rdr, binat) */
	return pk_ast_opt_list(p, loc, PK_O_NAT, PK_NAT_NONE, pool, port, NULL, poolopts);
}

struct pk_ast_opt *pk_ast_opt_pair(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind, const char *s,
				   const char *s2)
{
	struct pk_ast_opt *o = pk_ast_opt_new(p, loc, kind, s, 0);
	o->s2 = s2;
	return o;
}

struct pk_ast_opt *pk_ast_opt_append(struct pk_ast_opt *list, struct pk_ast_opt *x)
{
	return PK_APPEND(list, x);
}

struct pk_ast_opt *pk_ast_owner(struct pk_parse *p, const struct pk_loc *loc, bool group, struct pk_ast_port *ids)
{
	struct pk_ast_opt *o = pk_ast_opt_new(p, loc, PK_O_OWNER, NULL, group);
	o->ports = ids;
	return o;
}

char *pk_ast_concat(struct pk_parse *p, const char *a, const char *sep, const char *b)
{
	return pk_arena_printf(p->arena, "%s%s%s", a, sep, b);
}

void pk_ast_unsupported(struct pk_parse *p, const struct pk_loc *loc, const char *what)
{
	pk_unsupported(p->diags, loc, what);
	p->stmt_unsupported = what;
}
