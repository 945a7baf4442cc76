/* compiler/pkb_decode.c: verified .pkb sections -> IR (the inverse of encode*.c). */
#include "compiler/pkb_decode.h"

#include <string.h>

#include "runtime/pkb_format.h"

struct pk_dec {
	const struct pk_rs *rs;
	struct pkb_view file;
	struct pk_arena *a;
	struct pk_ir_ruleset *ir;
};

static const char *dec_str(struct pk_dec *x, uint32_t off)
{
	const char *s = pk_rs_str(x->rs, off);
	return s ? pk_arena_strdup(x->a, s) : NULL;
}

static const char *dec_ifname(struct pk_dec *x, uint32_t idx)
{
	return idx == PKB_NONE ? NULL : dec_str(x, PK_RS_SEC(&x->file, IFACES, struct pkb_iface)[idx].name);
}

static void dec_loc(struct pk_dec *x, const struct pkb_loc *l, struct pk_loc *out)
{
	*out = (struct pk_loc){
		.file = l->file == PKB_NONE ? NULL : x->ir->sources[l->file].path,
		.line = l->line, .col = l->col, .end_line = l->end_line, .end_col = l->end_col,
	};
}

static void dec_prefix(const struct pkb_prefix *p, struct pk_prefix *out)
{
	out->af = p->af;
	out->len = p->len;
	memcpy(out->addr, p->addr, 16);
}

/* af-to's addresses: written as prefixes, a `to` not written has no family. */
static void dec_afto(const struct pkb_rule *r, struct pk_ir_afto *out)
{
	out->af = r->afto_af;
	out->from.kind = r->afto_src.af ? PK_ADDR_PREFIX : PK_ADDR_ANY;
	dec_prefix(&r->afto_src, &out->from.pfx);
	out->to.kind = r->afto_dst.af ? PK_ADDR_PREFIX : PK_ADDR_ANY;
	dec_prefix(&r->afto_dst, &out->to.pfx);
	out->src = out->from.pfx;
	out->dst = out->to.pfx;
}

static void dec_addr(struct pk_dec *x, const struct pkb_addr *a, struct pk_ir_addr *out)
{
	out->kind = a->kind;
	out->neg = a->neg;
	out->ifmod = a->ifmod;
	out->noalias = a->noalias;
	out->table = a->table == PKB_NONE ? 0 : a->table;
	out->ifname = dec_str(x, a->ifname);
	dec_prefix(&a->pfx, &out->pfx);
	dec_prefix(&a->end, &out->range_end);
}

static void dec_options(struct pk_dec *x)
{
	const struct pkb_options *o = PK_RS_SEC(&x->file, OPTIONS, struct pkb_options);
	struct pk_ir_options *p = &x->ir->opts;
	for (int i = 0; i < PK_TMO_COUNT; i++) {
		p->timeouts[i] = o->timeouts[i];
		p->timeout_set[i] = o->timeout_set >> i & 1;
		dec_loc(x, &o->timeout_loc[i], &p->timeout_loc[i]);
	}
	for (int i = 0; i < PK_LIMIT_COUNT; i++) {
		p->limits[i] = o->limits[i];
		p->limit_set[i] = o->limit_set >> i & 1;
	}
	p->optimization = o->optimization;
	p->block_policy = o->block_policy;
	p->state_policy = o->state_policy;
	p->hostid_set = o->flags & PKB_OPT_HOSTID_SET;
	p->reassemble_no = o->flags & PKB_OPT_REASS_OFF;
	p->reassemble_nodf = o->flags & PKB_OPT_REASS_NODF;
	p->reassemble_set = o->flags & PKB_OPT_REASS_SET;
	p->hostid = o->hostid;
	p->debug = dec_str(x, o->debug);
	p->loginterface = dec_str(x, o->loginterface);
	p->ruleset_optimization = dec_str(x, o->ruleset_optimization);
	p->fingerprints = dec_str(x, o->fingerprints);
	p->nset = o->nset;
	p->set_locs = pk_arena_array(x->a, o->nset, sizeof(*p->set_locs));
	for (uint32_t i = 0; i < o->nset; i++)
		dec_loc(x, &PK_RS_SEC(&x->file, SETLOCS, struct pkb_loc)[o->set_first + i], &p->set_locs[i]);
	p->nskip = PK_RS_N(&x->file, SKIP);
	p->skip = pk_arena_array(x->a, p->nskip, sizeof(*p->skip));
	for (uint32_t i = 0; i < p->nskip; i++)
		p->skip[i] = dec_ifname(x, PK_RS_SEC(&x->file, SKIP, uint32_t)[i]);
}

static void dec_carried(struct pk_dec *x)
{
	struct pk_ir_ruleset *ir = x->ir;
	ir->ncarried = PK_RS_N(&x->file, CARRIED);
	ir->carried = pk_arena_array(x->a, ir->ncarried, sizeof(*ir->carried));
	for (uint32_t i = 0; i < ir->ncarried; i++) {
		const struct pkb_carried *c = &PK_RS_SEC(&x->file, CARRIED, struct pkb_carried)[i];
		ir->carried[i].text = dec_str(x, c->text);
		dec_loc(x, &c->loc, &ir->carried[i].loc);
	}
}

static void dec_topology(struct pk_dec *x)
{
	const struct pkb_iface *f = PK_RS_SEC(&x->file, IFACES, struct pkb_iface);
	struct pk_ir_ruleset *ir = x->ir;
	ir->ifaces = pk_arena_array(x->a, PK_RS_N(&x->file, IFACES), sizeof(*ir->ifaces));
	for (uint32_t i = 0; i < PK_RS_N(&x->file, IFACES); i++) {
		if (!(f[i].flags & PKB_IF_TOPOLOGY))
			continue;
		struct pk_ir_iface *o = &ir->ifaces[ir->nifaces++];
		o->name = dec_str(x, f[i].name);
		dec_loc(x, &f[i].loc, &o->loc);
		o->naddrs = f[i].naddrs;
		o->addrs = pk_arena_array(x->a, f[i].naddrs, sizeof(*o->addrs));
		for (uint32_t k = 0; k < f[i].naddrs; k++)
			dec_prefix(&PK_RS_SEC(&x->file, IFADDRS, struct pkb_prefix)[f[i].addr_first + k], &o->addrs[k]);
		o->npeers = f[i].npeers;
		o->peers = pk_arena_array(x->a, f[i].npeers, sizeof(*o->peers));
		for (uint32_t k = 0; k < f[i].npeers; k++)
			dec_prefix(&PK_RS_SEC(&x->file, IFPEERS, struct pkb_prefix)[f[i].peer_first + k], &o->peers[k]);
		o->ngroups = f[i].ngroups;
		o->groups = pk_arena_array(x->a, f[i].ngroups, sizeof(*o->groups));
		for (uint32_t k = 0; k < f[i].ngroups; k++)
			o->groups[k] = dec_str(x, PK_RS_SEC(&x->file, IFGROUPS, uint32_t)[f[i].group_first + k]);
		memcpy(o->mac, f[i].mac, 6);
		o->has_mac = f[i].flags & PKB_IF_HAS_MAC;
		o->wan = f[i].flags & PKB_IF_WAN;
	}
	ir->nroutes = PK_RS_N(&x->file, ROUTES);
	ir->routes = pk_arena_array(x->a, ir->nroutes, sizeof(*ir->routes));
	for (uint32_t i = 0; i < ir->nroutes; i++) {
		const struct pkb_route *r = &PK_RS_SEC(&x->file, ROUTES, struct pkb_route)[i];
		dec_loc(x, &r->loc, &ir->routes[i].loc);
		dec_prefix(&r->dst, &ir->routes[i].dst);
		dec_prefix(&r->gw, &ir->routes[i].gw);
		ir->routes[i].ifname = dec_ifname(x, r->iface);
		ir->routes[i].connected = r->flags & PKB_ROUTE_CONNECTED;
	}
}

static void dec_tables(struct pk_dec *x)
{
	struct pk_ir_ruleset *ir = x->ir;
	ir->ntables = PK_RS_N(&x->file, TABLES);
	ir->tables = pk_arena_array(x->a, ir->ntables, sizeof(*ir->tables));
	for (uint32_t t = 0; t < ir->ntables; t++) {
		const struct pkb_table *s = &PK_RS_SEC(&x->file, TABLES, struct pkb_table)[t];
		struct pk_ir_table *o = &ir->tables[t];
		o->name = dec_str(x, s->name);
		dec_loc(x, &s->loc, &o->loc);
		o->persist = s->flags & PKB_TAB_PERSIST;
		o->is_const = s->flags & PKB_TAB_CONST;
		o->counters = s->flags & PKB_TAB_COUNTERS;
		o->implicit = s->flags & PKB_TAB_IMPLICIT;
		o->undeclared = s->flags & PKB_TAB_UNDECLARED;
		o->nentries = s->nentries;
		o->entries = pk_arena_array(x->a, s->nentries, sizeof(*o->entries));
		for (uint32_t i = 0; i < s->nentries; i++) {
			const struct pkb_tabentry *e =
				&PK_RS_SEC(&x->file, TABENTRIES, struct pkb_tabentry)[s->entry_first + i];
			o->entries[i].pfx = (struct pk_prefix){.af = e->af, .len = e->len};
			memcpy(o->entries[i].pfx.addr, e->addr, 16);
			o->entries[i].neg = e->neg;
		}
		o->nfiles = s->nfiles;
		o->ninline = s->ninline;
		o->files = pk_arena_array(x->a, s->nfiles, sizeof(*o->files));
		for (uint32_t i = 0; i < s->nfiles; i++)
			o->files[i] = dec_str(x, PK_RS_SEC(&x->file, TABFILES, uint32_t)[s->file_first + i]);
	}
}

static void dec_sopts(struct pk_dec *x, uint32_t idx, struct pk_state_opts *o)
{
	for (int t = 0; t < PK_TMO_COUNT; t++)
		o->timeouts[t] = PK_TMO_UNSET;
	if (idx == PKB_NONE)
		return;
	const struct pkb_sopts *s = &PK_RS_SEC(&x->file, SOPTS, struct pkb_sopts)[idx];
	o->max = s->max;
	o->max_src_nodes = s->max_src_nodes;
	o->max_src_states = s->max_src_states;
	o->max_src_conn = s->max_src_conn;
	o->max_src_conn_rate = s->max_src_conn_rate;
	o->max_src_conn_secs = s->max_src_conn_secs;
	o->src_track = s->src_track;
	o->policy = s->policy;
	o->sloppy = s->flags & PKB_SO_SLOPPY;
	o->no_sync = s->flags & PKB_SO_NO_SYNC;
	o->pflow = s->flags & PKB_SO_PFLOW;
	o->allow_related = s->flags & PKB_SO_ALLOW_RELATED;
	o->overload_flush = s->flags & PKB_SO_OVERLOAD_FLUSH;
	o->overload_flush_global = s->flags & PKB_SO_OVERLOAD_FLUSH_GLOBAL;
	o->overload_table = dec_str(x, s->overload_table);
	memcpy(o->timeouts, s->timeouts, sizeof(o->timeouts));
}

static void dec_nat(struct pk_dec *x, uint32_t idx, struct pk_ir_nat *o)
{
	if (idx == PKB_NONE)
		return;
	const struct pkb_nat *n = &PK_RS_SEC(&x->file, NATS, struct pkb_nat)[idx];
	o->kind = n->kind;
	o->pool_opts = n->pool_opts;
	o->port_lo = n->port_lo;
	o->port_hi = n->port_hi;
	o->hash_key = dec_str(x, n->hash_key);
	o->npool = n->npool;
	o->pool = pk_arena_array(x->a, n->npool, sizeof(*o->pool));
	for (uint32_t i = 0; i < n->npool; i++)
		dec_addr(x, &PK_RS_SEC(&x->file, POOLS, struct pkb_addr)[n->pool_first + i], &o->pool[i]);
}

static const char *dec_tag(struct pk_dec *x, uint32_t id)
{
	return id ? dec_str(x, PK_RS_SEC(&x->file, TAGS, uint32_t)[id - 1]) : NULL;
}

static void dec_rule(struct pk_dec *x, uint32_t i, struct pk_ir_rule *o)
{
	const struct pkb_rule *r = &PK_RS_SEC(&x->file, RULES, struct pkb_rule)[i];
	o->nr = i;
	dec_loc(x, &r->loc, &o->loc);
	o->action = r->action;
	o->block = r->block;
	o->explicit_block = r->flags & PKB_R_EXPLICIT_BLOCK;
	o->return_ttl = r->return_ttl;
	o->return_icmp = r->return_icmp;
	o->return_icmp6 = r->return_icmp6;
	o->dir = r->dir;
	o->quick = r->flags & PKB_R_QUICK;
	o->log = r->flags & PKB_R_LOG;
	o->log_all = r->flags & PKB_R_LOG_ALL;
	o->ifc.name = dec_ifname(x, r->iface);
	o->ifc.neg = r->flags & PKB_R_IFNEG;
	o->rcv.name = dec_ifname(x, r->rcv_iface);
	o->rcv.neg = r->flags & PKB_R_RCVNEG;
	o->af = r->af;
	o->proto = r->proto;
	dec_addr(x, &PK_RS_SEC(&x->file, ADDRS, struct pkb_addr)[r->src], &o->src);
	dec_addr(x, &PK_RS_SEC(&x->file, ADDRS, struct pkb_addr)[r->dst], &o->dst);
	o->sport = (struct pk_port_match){r->sport.op, r->sport.lo, r->sport.hi};
	o->dport = (struct pk_port_match){r->dport.op, r->dport.lo, r->dport.hi};
	o->flags = r->tcp_flags;
	o->flagmask = r->tcp_mask;
	o->icmp_type = r->icmp_type;
	o->icmp_code = r->icmp_code;
	o->tos = r->tos;
	o->allow_opts = r->flags & PKB_R_ALLOW_OPTS;
	o->fragment = r->flags & PKB_R_FRAGMENT;
	o->natpass = r->flags & PKB_R_NATPASS;
	o->probability = r->probability;
	o->label = dec_str(x, r->label);
	o->carried = dec_str(x, r->carried);
	o->user = dec_str(x, r->user);
	o->log_opts = dec_str(x, r->log_opts);
	o->divert.kind = r->divert;
	o->divert.port = r->divert_port;
	dec_prefix(&r->divert_addr, &o->divert.addr);
	dec_afto(r, &o->afto);
	o->group = dec_str(x, r->group);
	o->owner = r->owner;
	o->tag = dec_tag(x, r->tag);
	o->tagged = dec_tag(x, r->tagged);
	o->tagged_neg = r->flags & PKB_R_TAGGED_NEG;
	o->state = r->state;
	dec_sopts(x, r->sopts, &o->sopts);
	dec_nat(x, r->nat, &o->nat);
	o->route.kind = r->route;
	if (r->route_opt != PKB_NONE) {
		const struct pkb_routeopt *ro = &PK_RS_SEC(&x->file, ROUTEOPTS, struct pkb_routeopt)[r->route_opt];
		o->route.ifname = dec_ifname(x, ro->iface);
		dec_prefix(&ro->gw, &o->route.gw);
		dec_addr(x, &ro->addr, &o->route.addr);
		o->route.pool_opts = ro->pool_opts;
		o->route.hash_key = dec_str(x, ro->hash_key);
	}
	o->scrub = (struct pk_ir_scrub){
		.set = r->flags & PKB_R_SCRUB, .no_df = r->flags & PKB_R_NO_DF, .random_id = r->flags & PKB_R_RANDOM_ID,
		.reassemble_tcp = r->flags & PKB_R_REASSEMBLE_TCP, .fragment_reassemble = r->flags & PKB_R_FRAG_REASSEMBLE,
		.max_mss = r->max_mss, .min_ttl = r->min_ttl, .set_tos = r->set_tos,
	};
}

int pk_pkb_decode(const struct pk_rs *rs, struct pk_ir_ruleset **out, struct pk_diags *d)
{
	(void)d; /* a verified file always decodes */
	struct pk_arena *a = pk_arena_new();
	struct pk_dec x = {.rs = rs, .a = a, .ir = pk_arena_alloc(a, sizeof(struct pk_ir_ruleset))};
	pk_rs_view(rs, &x.file);
	x.ir->arena = a;
	x.ir->nsources = PK_RS_N(&x.file, SOURCES);
	x.ir->sources = pk_arena_array(a, x.ir->nsources, sizeof(*x.ir->sources));
	for (uint32_t i = 0; i < x.ir->nsources; i++)
		x.ir->sources[i].path = dec_str(&x, PK_RS_SEC(&x.file, SOURCES, uint32_t)[i]);
	dec_options(&x);
	dec_carried(&x);
	dec_topology(&x);
	dec_tables(&x);
	x.ir->nrules = PK_RS_N(&x.file, RULES);
	x.ir->rules = pk_arena_array(a, x.ir->nrules, sizeof(*x.ir->rules));
	for (uint32_t i = 0; i < x.ir->nrules; i++)
		dec_rule(&x, i, &x.ir->rules[i]);
	*out = x.ir;
	return 0;
}
