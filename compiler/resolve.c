/*
 * compiler/resolve.c: the resolver's driver. Topology and tables are read
 * first (pf takes interfaces from the kernel and tables exist before the
 * rules using them), then the anchors given rules; `set` lines and rules
 * are then taken in file order, as pfctl does (a `set block-policy`
 * applies to the rules after it), an anchor rule's rules in its place.
 */
#include "compiler/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pk_res_table_find(const struct pk_res *r, const char *name)
{
	uint32_t idx;
	return pk_strmap_get(&r->tables, name, &idx) ? (int)idx : -1;
}

uint32_t pk_res_table_add(struct pk_res *r, const char *name, const struct pk_loc *loc)
{
	struct pk_ir_ruleset *rs = r->rs;
	rs->tables = pk_arena_reserve(r->a, rs->tables, rs->ntables, &r->tcap, 8, sizeof(*rs->tables));
	struct pk_ir_table *t = &rs->tables[rs->ntables];
	memset(t, 0, sizeof(*t));
	t->name = pk_arena_strdup(r->a, name);
	if (loc)
		t->loc = *loc;
	uint32_t first;
	if (!pk_strmap_get(&r->tables, t->name, &first)) /* a name made twice (__automatic_N) finds the first */
		pk_strmap_put(&r->tables, t->name, rs->ntables);
	return rs->ntables++;
}

static void res_add_route(struct pk_res *r, const struct pk_ir_route *rt)
{
	struct pk_ir_ruleset *rs = r->rs;
	rs->routes = pk_arena_reserve(r->a, rs->routes, rs->nroutes, &r->routecap, 8, sizeof(*rs->routes));
	rs->routes[rs->nroutes++] = *rt;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return false;
		mac[i] = (uint8_t)v[i];
	}
	return true;
}

/* peer A, ...: the far ends of a point-to-point link, what IF:peer means */
static void res_iface_peers(struct pk_res *r, const struct pk_ast_iface *ai, struct pk_ir_iface *i)
{
	for (const struct pk_ast_item *a = ai->peers; a; a = a->next)
		i->npeers++;
	i->peers = pk_arena_array(r->a, i->npeers ? i->npeers : 1, sizeof(*i->peers));
	uint32_t k = 0;
	for (const struct pk_ast_item *a = ai->peers; a; a = a->next) {
		struct pk_prefix *p = &i->peers[k];
		if (pk_prefix_parse(a->s, p) || p->len != (p->af == PK_AF_INET ? 32 : 128)) {
			pk_error(r->d, &a->loc, "peer '%s' is not a host address (e.g. 10.0.0.2)", a->s);
			continue;
		}
		k++;
	}
	i->npeers = k;
}

static void res_iface(struct pk_res *r, const struct pk_ast_iface *ai)
{
	struct pk_ir_ruleset *rs = r->rs;
	const struct pk_ir_iface *old = pk_ir_iface_find(rs, ai->name);
	if (old) {
		struct pk_diag *g = pk_error(r->d, &ai->loc, "interface %s is declared twice", ai->name);
		pk_diag_note(g, &old->loc, "first declared here; list all its addresses in one declaration");
		return;
	}
	rs->ifaces = pk_arena_reserve(r->a, rs->ifaces, rs->nifaces, &r->icap, 8, sizeof(*rs->ifaces));
	struct pk_ir_iface *i = &rs->ifaces[rs->nifaces++];
	memset(i, 0, sizeof(*i));
	i->name = ai->name;
	i->loc = ai->loc;
	for (const struct pk_ast_item *a = ai->addrs; a; a = a->next)
		i->naddrs++;
	i->addrs = pk_arena_array(r->a, i->naddrs ? i->naddrs : 1, sizeof(*i->addrs));
	uint32_t k = 0;
	for (const struct pk_ast_item *a = ai->addrs; a; a = a->next) {
		if (pk_prefix_parse(a->s, &i->addrs[k])) {
			pk_error(r->d, &a->loc, "'%s' is not an address with prefix length (e.g. 192.168.1.1/24)", a->s);
			continue;
		}
		struct pk_ir_route c = {.loc = a->loc, .dst = i->addrs[k], .ifname = i->name, .connected = true};
		res_add_route(r, &c);
		k++;
	}
	i->naddrs = k;
	res_iface_peers(r, ai, i);
	for (const struct pk_ast_item *g = ai->groups; g; g = g->next)
		i->ngroups++;
	i->groups = pk_arena_array(r->a, i->ngroups ? i->ngroups : 1, sizeof(*i->groups));
	k = 0;
	for (const struct pk_ast_item *g = ai->groups; g; g = g->next)
		i->groups[k++] = g->s;
	if (ai->mac) {
		i->has_mac = parse_mac(ai->mac, i->mac);
		if (!i->has_mac)
			pk_error(r->d, &ai->mac_loc, "'%s' is not a MAC address (write xx:xx:xx:xx:xx:xx)", ai->mac);
	}
}

/* host NAME address ...: pfctl resolves host names when it loads the rules;
 * picket, which must give the same answer everywhere, is told. */
static void res_host_decl(struct pk_res *r, const struct pk_ast_hostname *h)
{
	const struct pk_ast_hostname *old = pk_res_hostname(r, h->name);
	if (old) {
		struct pk_diag *g = pk_error(r->d, &h->loc, "host %s is declared twice", h->name);
		pk_diag_note(g, &old->loc, "first declared here; list all its addresses in one declaration");
		return;
	}
	for (const struct pk_ast_item *a = h->addrs; a; a = a->next) {
		struct pk_prefix p;
		if (pk_prefix_parse(a->s, &p))
			pk_error(r->d, &a->loc, "'%s' is not an address", a->s);
	}
	r->hosts = pk_arena_grow(r->a, r->hosts, r->nhosts, r->nhosts + 1, sizeof(*r->hosts));
	r->hosts[r->nhosts++] = h;
	/* kept as written, so the printed ruleset (print -v) still names it */
	const char *text = pk_arena_printf(r->a, "host %s address", h->name);
	for (const struct pk_ast_item *a = h->addrs; a; a = a->next)
		text = pk_arena_printf(r->a, "%s %s%s", text, a->s, a->next ? "," : "");
	struct pk_ir_ruleset *rs = r->rs;
	rs->carried = pk_arena_grow(r->a, rs->carried, rs->ncarried, rs->ncarried + 1, sizeof(*rs->carried));
	rs->carried[rs->ncarried].loc = h->loc;
	rs->carried[rs->ncarried++].text = text;
}

const struct pk_ast_hostname *pk_res_hostname(const struct pk_res *r, const char *name)
{
	for (uint32_t i = 0; i < r->nhosts; i++)
		if (!strcmp(r->hosts[i]->name, name))
			return r->hosts[i];
	return NULL;
}

static void res_route(struct pk_res *r, const struct pk_ast_route *ar)
{
	struct pk_ir_route rt = {.loc = ar->loc, .ifname = ar->ifname};
	const char *dst = strcmp(ar->dst, "default") ? ar->dst : "0.0.0.0/0";
	if (pk_prefix_parse(dst, &rt.dst)) {
		pk_error(r->d, &ar->dst_loc, "'%s' is not a network (e.g. 10.0.0.0/8 or default)", ar->dst);
		return;
	}
	struct pk_ir_iface *i = (struct pk_ir_iface *)pk_ir_iface_find(r->rs, ar->ifname);
	if (!i) {
		pk_error(r->d, &ar->loc, "route via undeclared interface %s; declare it with: interface %s address CIDR",
			 ar->ifname, ar->ifname);
		return;
	}
	if (ar->gw) {
		if (pk_prefix_parse(ar->gw, &rt.gw) || rt.gw.len != (rt.gw.af == PK_AF_INET ? 32 : 128)) {
			pk_error(r->d, &ar->gw_loc, "gateway '%s' is not a host address", ar->gw);
			return;
		}
		i->wan = true;
	}
	res_add_route(r, &rt);
}

static int timeout_index(const char *name)
{
	static const char *const names[] = {
#define PK_TMO_NAME(id, nm, n, hl, c, a) nm,
		PK_TIMEOUTS(PK_TMO_NAME)
#undef PK_TMO_NAME
	};
	for (int i = 0; i < PK_TMO_COUNT; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void res_set_timeouts(struct pk_res *r, const struct pk_ast_item *items)
{
	struct pk_ir_options *o = &r->rs->opts;
	for (const struct pk_ast_item *it = items; it; it = it->next) {
		int t = timeout_index(it->s);
		uint64_t v;
		if (t < 0) {
			pk_error(r->d, &it->loc, "unknown timeout '%s' (e.g. tcp.established, udp.first, interval)", it->s);
			continue;
		}
		if (!pk_res_number(r, it->s2, &it->loc, UINT32_MAX - 1, &v))
			continue;
		o->timeouts[t] = (uint32_t)v;
		o->timeout_set[t] = true;
		o->timeout_loc[t] = it->loc;
	}
}

static void res_carried(struct pk_res *r, const struct pk_ast_carried *c)
{
	struct pk_ir_ruleset *rs = r->rs;
	rs->carried = pk_arena_grow(r->a, rs->carried, rs->ncarried, rs->ncarried + 1, sizeof(*rs->carried));
	rs->carried[rs->ncarried].loc = c->loc;
	rs->carried[rs->ncarried++].text = c->text;
}

static void res_set_limits(struct pk_res *r, const struct pk_ast_item *items)
{
	static const char *const names[PK_LIMIT_COUNT] = {"states", "frags", "src-nodes", "table-entries"};
	struct pk_ir_options *o = &r->rs->opts;
	for (const struct pk_ast_item *it = items; it; it = it->next) {
		int k = -1;
		for (int i = 0; i < PK_LIMIT_COUNT; i++)
			if (!strcmp(names[i], it->s))
				k = i;
		uint64_t v;
		if (k < 0 && (!strcmp(it->s, "tables") || !strcmp(it->s, "anchors")) &&
		    pk_res_number(r, it->s2, &it->loc, UINT32_MAX, &v)) {
			/* how many tables or anchors pf may hold: no verdict depends on it */
			pk_diag_add(r->d, PK_SEV_NOTE, &it->loc, NULL,
				    "set limit %s changes no verdict: it is kept and printed back, not evaluated", it->s);
			struct pk_ast_carried c = {.loc = it->loc,
						   .text = pk_arena_printf(r->a, "set limit %s %s", it->s, it->s2)};
			res_carried(r, &c);
			continue;
		}
		if (k < 0) {
			const char *best = pk_did_you_mean(it->s, names, PK_LIMIT_COUNT);
			pk_error(r->d, &it->loc, "unknown limit '%s'%s%s%s", it->s, best ? " (did you mean '" : "",
				 best ? best : "", best ? "'?)" : "; use states, frags, src-nodes or table-entries");
			continue;
		}
		if (pk_res_number(r, it->s2, &it->loc, UINT32_MAX, &v)) {
			o->limits[k] = (uint32_t)v;
			o->limit_set[k] = true;
		}
	}
}

static void res_set_optimization(struct pk_res *r, const struct pk_ast_set *s)
{
	static const struct { const char *name; uint8_t v; } profiles[] = {
		{"normal", PK_OPT_NORMAL}, {"default", PK_OPT_NORMAL}, {"high-latency", PK_OPT_HIGH_LATENCY},
		{"satellite", PK_OPT_HIGH_LATENCY}, {"conservative", PK_OPT_CONSERVATIVE},
		{"aggressive", PK_OPT_AGGRESSIVE},
	};
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, s->s)) {
			r->rs->opts.optimization = profiles[i].v;
			return;
		}
	pk_error(r->d, &s->loc, "unknown optimization '%s'; use normal, high-latency, satellite, aggressive or conservative",
		 s->s);
}

static void res_skip_add(struct pk_res *r, const char *name)
{
	struct pk_ir_options *o = &r->rs->opts;
	o->skip = pk_arena_grow(r->a, o->skip, o->nskip, o->nskip + 1, sizeof(*o->skip));
	o->skip[o->nskip++] = name;
}

/* set skip on NAME: a group (set skip on lo) skips each interface in it. */
static void res_skip(struct pk_res *r, const char *name)
{
	const struct pk_ir_ruleset *rs = r->rs;
	bool member = false;
	for (uint32_t i = 0; !pk_ir_iface_find(rs, name) && i < rs->nifaces; i++)
		if (pk_ir_iface_in_group(rs, &rs->ifaces[i], name)) {
			res_skip_add(r, rs->ifaces[i].name);
			member = true;
		}
	if (!member)
		res_skip_add(r, name);
}

/* pfctl's yesno: the last `set reassemble` holds. */
static void res_set_reassemble(struct pk_res *r, const struct pk_ast_set *s)
{
	struct pk_ir_options *o = &r->rs->opts;
	if (strcmp(s->s, "yes") && strcmp(s->s, "no")) {
		pk_error(r->d, &s->loc, "invalid value '%s', expected 'yes' or 'no'", s->s);
		return;
	}
	o->reassemble_no = !strcmp(s->s, "no");
	o->reassemble_nodf = s->n;
	o->reassemble_set = true;
}

static void res_set(struct pk_res *r, const struct pk_ast_set *s)
{
	struct pk_ir_options *o = &r->rs->opts;
	uint64_t v;
	switch (s->kind) {
	case PK_SET_TIMEOUT: res_set_timeouts(r, s->items); break;
	case PK_SET_LIMIT: res_set_limits(r, s->items); break;
	case PK_SET_OPTIMIZATION: res_set_optimization(r, s); break;
	case PK_SET_BLOCK_POLICY: o->block_policy = r->block_policy = (uint8_t)s->n; break;
	case PK_SET_STATE_POLICY: o->state_policy = r->state_policy = (uint8_t)s->n; break;
	case PK_SET_DEBUG: o->debug = s->s; break;
	case PK_SET_LOGINTERFACE: o->loginterface = s->s; break;
	case PK_SET_RULESET_OPT: o->ruleset_optimization = s->s; break;
	case PK_SET_STATE_DEFAULTS: r->state_defaults = s->opts; break;
	case PK_SET_REASSEMBLE: res_set_reassemble(r, s); break;
	case PK_SET_HOSTID:
		if (pk_res_number(r, s->s, &s->loc, UINT32_MAX, &v) && v == 0)
			pk_error(r->d, &s->loc, "hostid must not be 0");
		else if (v) {
			o->hostid = (uint32_t)v;
			o->hostid_set = true;
		}
		break;
	default:
		for (const struct pk_ast_item *it = s->items; it; it = it->next)
			res_skip(r, it->s);
		break;
	}
	o->set_locs = pk_arena_grow(r->a, o->set_locs, o->nset, o->nset + 1, sizeof(*o->set_locs));
	o->set_locs[o->nset++] = s->loc;
}

/* Profile values, then `set timeout` overrides; adaptive thresholds follow
 * the states limit unless written (pf's 60% / 120%). */
static void res_finish_options(struct pk_res *r)
{
	static const uint32_t profile[PK_TMO_COUNT][PK_OPT_COUNT] = {
#define PK_TMO_ROW(id, nm, n, hl, c, a) {n, hl, c, a},
		PK_TIMEOUTS(PK_TMO_ROW)
#undef PK_TMO_ROW
	};
	static const uint32_t limit_default[PK_LIMIT_COUNT] = {
		PK_DEFAULT_LIMIT_STATES, PK_DEFAULT_LIMIT_FRAGS, PK_DEFAULT_LIMIT_SRC_NODES,
		PK_DEFAULT_LIMIT_TABLE_ENTRIES};
	struct pk_ir_options *o = &r->rs->opts;
	for (int i = 0; i < PK_LIMIT_COUNT; i++)
		if (!o->limit_set[i])
			o->limits[i] = limit_default[i];
	for (int t = 0; t < PK_TMO_COUNT; t++)
		if (!o->timeout_set[t])
			o->timeouts[t] = profile[t][o->optimization];
	uint64_t states = o->limits[PK_LIMIT_STATES];
	if (!o->timeout_set[PK_TMO_ADAPTIVE_START])
		o->timeouts[PK_TMO_ADAPTIVE_START] = (uint32_t)(states * PK_ADAPTIVE_START_PCT / 100);
	if (!o->timeout_set[PK_TMO_ADAPTIVE_END])
		o->timeouts[PK_TMO_ADAPTIVE_END] = (uint32_t)(states * PK_ADAPTIVE_END_PCT / 100);
}

int pk_resolve(struct pk_res *r, const struct pk_ast_stmt *stmts)
{
	unsigned before = r->d->nerrors;
	r->rs->opts.state_policy = r->state_policy = PK_POLICY_IF_BOUND;
	for (const struct pk_ast_stmt *s = stmts; s; s = s->next)
		if (s->kind == PK_ST_IFACE)
			res_iface(r, s->u.iface);
	for (const struct pk_ast_stmt *s = stmts; s; s = s->next)
		if (s->kind == PK_ST_ROUTE)
			res_route(r, s->u.route);
		else if (s->kind == PK_ST_HOST)
			res_host_decl(r, s->u.host);
	for (const struct pk_ast_stmt *s = stmts; s; s = s->next)
		if (s->kind == PK_ST_TABLE)
			pk_res_table(r, s->u.table);
	pk_res_anchors_collect(r, stmts);
	for (const struct pk_ast_stmt *s = stmts; s; s = s->next) {
		if (s->kind == PK_ST_SET)
			res_set(r, s->u.set);
		else if (s->kind == PK_ST_RULE && s->u.rule->antispoof)
			pk_res_antispoof(r, s->u.rule);
		else if (s->kind == PK_ST_RULE)
			pk_res_rule(r, s->u.rule);
		else if (s->kind == PK_ST_CARRIED)
			res_carried(r, s->u.carried);
		else if (s->kind == PK_ST_ANCHOR)
			pk_res_anchor(r, s->u.anchor, "");
	}
	pk_res_anchors_finish(r);
	res_finish_options(r);
	pk_res_check_queues(r);
	pk_strmap_free(&r->tables); /* names are looked up while resolving only */
	return (int)(r->d->nerrors - before);
}
