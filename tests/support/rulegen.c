/* tests/support/rulegen.c: ClassBench-shaped random rule sets and packets. */
#include "tests/support/rulegen.h"

#include <string.h>

uint64_t pk_rng_next(struct pk_rng *r)
{
	/* splitmix64: small, seedable, good enough for test data */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

uint32_t pk_rng_below(struct pk_rng *r, uint32_t n)
{
	return n ? (uint32_t)(pk_rng_next(r) % n) : 0;
}

static bool pct(struct pk_rng *r, uint32_t p)
{
	return pk_rng_below(r, 100) < p;
}

#define NPOOL 64
#define NIF 4
static const char *const ifnames[NIF] = {"em0", "em1", "em2", "em3"};
static const char *const tagnames[] = {"LAN", "DMZ", "VPN"};
static const uint16_t wellknown[] = {22, 25, 53, 80, 110, 123, 143, 443, 993, 3306, 5432, 8080};

struct gen {
	struct pk_rng rng;
	struct pk_arena *a;
	struct pk_ir_ruleset *rs;
	struct pk_prefix pool4[NPOOL], pool6[NPOOL];
};

static void mask_prefix(struct pk_prefix *p)
{
	for (unsigned bit = p->len; bit < 128; bit++)
		p->addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
}

/* A network of the pool, narrowed or widened a little: the length mix. */
static struct pk_prefix gen_prefix(struct gen *g, uint8_t af)
{
	struct pk_prefix p = af == 4 ? g->pool4[pk_rng_below(&g->rng, NPOOL)] : g->pool6[pk_rng_below(&g->rng, NPOOL)];
	unsigned max = af == 4 ? 32 : 128;
	static const uint8_t lens4[] = {8, 12, 16, 16, 20, 24, 24, 24, 28, 32, 32};
	static const uint8_t lens6[] = {32, 48, 48, 56, 64, 64, 96, 128};
	p.len = af == 4 ? lens4[pk_rng_below(&g->rng, sizeof(lens4))] : lens6[pk_rng_below(&g->rng, sizeof(lens6))];
	for (unsigned i = 0; i < 16 && i * 8 < max; i++)
		p.addr[i] ^= (uint8_t)(pk_rng_next(&g->rng) & (i * 8 >= 16 ? 0xff : 0));
	mask_prefix(&p);
	return p;
}

static void gen_addr(struct gen *g, uint8_t af, struct pk_ir_addr *x)
{
	uint32_t k = pk_rng_below(&g->rng, 100);
	memset(x, 0, sizeof(*x));
	if (k < 35 || !af) {
		if (g->rs->ntables && pct(&g->rng, af ? 0 : 20)) {
			x->kind = PK_ADDR_TABLE;
			x->table = pk_rng_below(&g->rng, g->rs->ntables);
		}
		return;
	}
	if (k < 80) {
		x->kind = PK_ADDR_PREFIX;
		x->pfx = gen_prefix(g, af);
		x->neg = pct(&g->rng, 8);
	} else if (k < 88 && g->rs->ntables) {
		x->kind = PK_ADDR_TABLE;
		x->table = pk_rng_below(&g->rng, g->rs->ntables);
		x->neg = pct(&g->rng, 20);
	} else if (k < 96) {
		x->kind = PK_ADDR_RANGE;
		x->pfx = gen_prefix(g, af);
		x->range_end = x->pfx;
		x->range_end.addr[af == 4 ? 3 : 15] |= (uint8_t)pk_rng_below(&g->rng, 256);
		x->range_end.addr[af == 4 ? 2 : 14] |= (uint8_t)pk_rng_below(&g->rng, 4);
		x->pfx.len = x->range_end.len = af == 4 ? 32 : 128;
	} else {
		x->kind = pct(&g->rng, 50) ? PK_ADDR_NOROUTE : PK_ADDR_URPF;
		x->neg = pct(&g->rng, 30);
	}
}

static void gen_port(struct gen *g, struct pk_port_match *m, uint32_t any_pct)
{
	memset(m, 0, sizeof(*m));
	if (pct(&g->rng, any_pct))
		return;
	uint32_t k = pk_rng_below(&g->rng, 100);
	uint16_t a = wellknown[pk_rng_below(&g->rng, sizeof(wellknown) / sizeof(wellknown[0]))];
	if (k < 55) {
		m->op = PK_PORT_EQ;
		m->lo = a;
	} else if (k < 80) {
		m->op = pct(&g->rng, 50) ? PK_PORT_RANGE : PK_PORT_INSIDE;
		m->lo = (uint16_t)pk_rng_below(&g->rng, 2000);
		m->hi = (uint16_t)(m->lo + 1 + pk_rng_below(&g->rng, 3000));
	} else if (k < 88) {
		m->op = pct(&g->rng, 50) ? PK_PORT_GE : PK_PORT_GT;
		m->lo = 1024;
	} else if (k < 94) {
		m->op = pct(&g->rng, 50) ? PK_PORT_LT : PK_PORT_LE;
		m->lo = 1024;
	} else if (k < 97) {
		m->op = PK_PORT_NE;
		m->lo = a;
	} else {
		m->op = PK_PORT_OUTSIDE;
		m->lo = 1000;
		m->hi = 2000;
	}
}

static uint8_t gen_action(struct gen *g, bool legacy)
{
	uint32_t k = pk_rng_below(&g->rng, 100);
	if (legacy && k >= 90)
		return (uint8_t)(PK_ACT_SCRUB + (k - 90) % 4);
	return k < 48 ? PK_ACT_PASS : k < 85 ? PK_ACT_BLOCK : PK_ACT_MATCH;
}

/* The parts that do not match but must survive encoding: translation,
 * routing, scrub, state options, block kinds. */
static void gen_options(struct gen *g, struct pk_ir_rule *r, const struct pk_rulegen_opts *o)
{
	if (r->action == PK_ACT_BLOCK) {
		r->block = (uint8_t)pk_rng_below(&g->rng, 5);
		r->explicit_block = pct(&g->rng, 50);
	}
	if (r->action == PK_ACT_PASS && !r->probability && pct(&g->rng, 10)) {
		r->sopts.max = 100 + pk_rng_below(&g->rng, 1000);
		r->sopts.sloppy = pct(&g->rng, 50);
		r->sopts.timeouts[PK_TMO_TCP_ESTABLISHED] = 3600;
		r->sopts.overload_table = pct(&g->rng, 50) && !o->fixed_decisions ? "bad" : NULL;
	}
	uint8_t af = r->af ? r->af : 4; /* translation and routing targets share the rule's family */
	if (r->action >= PK_ACT_NAT || (r->action == PK_ACT_MATCH && r->af && pct(&g->rng, 20))) {
		r->nat.kind = r->action == PK_ACT_RDR ? PK_NAT_RDR_TO : r->action == PK_ACT_BINAT ? PK_NAT_BINAT_TO : PK_NAT_NAT_TO;
		r->nat.npool = 1 + pk_rng_below(&g->rng, 2);
		r->nat.pool = pk_arena_array(g->a, r->nat.npool, sizeof(*r->nat.pool));
		for (uint32_t i = 0; i < r->nat.npool; i++) {
			r->nat.pool[i].kind = PK_ADDR_PREFIX;
			r->nat.pool[i].pfx = gen_prefix(g, af);
		}
		r->nat.port_lo = (uint16_t)pk_rng_below(&g->rng, 2) * 8080;
		r->nat.port_hi = r->nat.port_lo;
		r->nat.pool_opts = (uint8_t)pk_rng_below(&g->rng, 64);
	}
	if (r->action == PK_ACT_PASS && r->af && pct(&g->rng, 3)) {
		r->route.kind = PK_ROUTE_TO;
		r->route.ifname = "em1";
		r->route.gw = af == 4 ? g->pool4[1] : g->pool6[1];
		r->route.addr.kind = PK_ADDR_PREFIX;
		r->route.addr.pfx = r->route.gw;
		r->route.pool_opts = PK_POOL_ROUND_ROBIN;
	}
	if (r->action == PK_ACT_SCRUB || pct(&g->rng, 3)) {
		r->scrub.set = true;
		r->scrub.no_df = pct(&g->rng, 50);
		r->scrub.random_id = pct(&g->rng, 50);
		r->scrub.max_mss = 1400;
		r->scrub.min_ttl = 5;
	}
	r->log = pct(&g->rng, 10);
}

/* A user criterion as written, and what it leaves of the rule. */
static void gen_owner(struct gen *g, struct pk_ir_rule *r)
{
	static const char *const users[] = {[PK_OWNER_ANY] = "!= root", [PK_OWNER_LOCAL] = "!= unknown",
					    [PK_OWNER_FORWARDED] = "unknown", [PK_OWNER_NEVER] = "_pbuild"};
	r->owner = (uint8_t)pk_rng_below(&g->rng, 4);
	r->user = users[r->owner];
}

static void gen_rule(struct gen *g, uint32_t nr, struct pk_ir_rule *r, const struct pk_rulegen_opts *o)
{
	static const uint8_t protos[] = {6, 6, 6, 6, 17, 17, 17, 1, 0, 0};
	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->loc = (struct pk_loc){"gen.conf", nr + 1, 1, nr + 1, 40, NULL};
	r->action = gen_action(g, o->legacy);
	r->quick = pct(&g->rng, o->quick_pct);
	r->dir = (uint8_t)pk_rng_below(&g->rng, 3);
	r->af = pct(&g->rng, 75) ? 4 : pct(&g->rng, 70) ? 6 : 0;
	r->proto = protos[pk_rng_below(&g->rng, sizeof(protos))];
	if (r->af == 6 && r->proto == 1)
		r->proto = 58;
	if (pct(&g->rng, 40)) {
		r->ifc.name = ifnames[pk_rng_below(&g->rng, NIF)];
		r->ifc.neg = pct(&g->rng, 10);
	}
	gen_addr(g, r->af, &r->src);
	gen_addr(g, r->af, &r->dst);
	if (r->proto == 6 || r->proto == 17) {
		gen_port(g, &r->sport, 85);
		gen_port(g, &r->dport, 30);
	}
	if (r->proto == 6 && pct(&g->rng, 30)) {
		r->flags = 0x02;
		r->flagmask = 0x12;
	}
	r->icmp_type = r->icmp_code = r->tos = -1;
	r->return_icmp = r->return_icmp6 = -1;
	r->scrub.set_tos = -1;
	if ((r->proto == 1 || r->proto == 58) && pct(&g->rng, 50))
		r->icmp_type = (int16_t)(pct(&g->rng, 50) ? 8 : 0);
	if (pct(&g->rng, 2))
		r->tos = 0x10;
	if (pct(&g->rng, 5)) {
		r->tagged = tagnames[pk_rng_below(&g->rng, 3)];
		r->tagged_neg = pct(&g->rng, 30);
	}
	if (pct(&g->rng, 5))
		r->tag = tagnames[pk_rng_below(&g->rng, 3)];
	if (pct(&g->rng, 2)) {
		uint32_t draw = (uint32_t)pk_rng_next(&g->rng);
		r->probability = o->fixed_decisions ? 0 : draw;
	}
	if (pct(&g->rng, 10))
		r->label = pk_arena_printf(g->a, "rule-%u", nr);
	r->state = r->action == PK_ACT_PASS ? PK_STATE_KEEP : PK_STATE_NONE;
	for (int t = 0; t < PK_TMO_COUNT; t++)
		r->sopts.timeouts[t] = PK_TMO_UNSET;
	gen_options(g, r, o);
	if (o->owner_pct && r->action <= PK_ACT_MATCH && pct(&g->rng, o->owner_pct))
		gen_owner(g, r);
}

static void gen_tables(struct gen *g, uint32_t n)
{
	struct pk_ir_ruleset *rs = g->rs;
	rs->tables = pk_arena_array(g->a, n, sizeof(*rs->tables));
	rs->ntables = n;
	for (uint32_t t = 0; t < n; t++) {
		struct pk_ir_table *tab = &rs->tables[t];
		tab->name = pk_arena_printf(g->a, "t%u", t);
		tab->nentries = 4 + pk_rng_below(&g->rng, 40);
		tab->entries = pk_arena_array(g->a, tab->nentries, sizeof(*tab->entries));
		for (uint32_t i = 0; i < tab->nentries; i++) {
			struct pk_ir_table_entry *e = &tab->entries[i];
			uint8_t af = pct(&g->rng, 80) ? 4 : 6;
			e->pfx = gen_prefix(g, af);
			/* negations mostly inside an entry already there: pf's exclusions */
			if (i && pct(&g->rng, 30) && tab->entries[i - 1].pfx.af == af &&
			    tab->entries[i - 1].pfx.len < (af == 4 ? 32 : 128)) {
				e->pfx = tab->entries[i - 1].pfx;
				e->pfx.len = (uint8_t)(e->pfx.len + 1 + pk_rng_below(&g->rng, 4));
				if (e->pfx.len > (af == 4 ? 32 : 128))
					e->pfx.len = af == 4 ? 32 : 128;
				e->neg = true;
			}
		}
	}
}

static void gen_topology(struct gen *g)
{
	struct pk_ir_ruleset *rs = g->rs;
	rs->ifaces = pk_arena_array(g->a, NIF, sizeof(*rs->ifaces));
	rs->nifaces = NIF;
	for (uint32_t i = 0; i < NIF; i++) {
		struct pk_ir_iface *f = &rs->ifaces[i];
		f->name = ifnames[i];
		f->naddrs = 1;
		f->addrs = pk_arena_array(g->a, 1, sizeof(*f->addrs));
		f->addrs[0] = g->pool4[i];
		f->addrs[0].len = 24;
		f->addrs[0].addr[3] = 1;
	}
	rs->routes = pk_arena_array(g->a, 2, sizeof(*rs->routes));
	rs->nroutes = 2;
	rs->routes[0] = (struct pk_ir_route){.dst = g->pool4[5], .ifname = "em0", .gw = g->rs->ifaces[0].addrs[0]};
	rs->routes[0].gw.len = 32;
	rs->routes[0].dst.len = 8;
	mask_prefix(&rs->routes[0].dst);
	rs->routes[1] = (struct pk_ir_route){.dst = g->pool6[0], .ifname = "em1"};
	rs->routes[1].dst.len = 32;
	mask_prefix(&rs->routes[1].dst);
}

struct pk_ir_ruleset *pk_rulegen(const struct pk_rulegen_opts *o)
{
	struct pk_arena *a = pk_arena_new();
	struct gen g = {.rng = {o->seed}, .a = a};
	g.rs = pk_arena_alloc(a, sizeof(*g.rs));
	g.rs->arena = a;
	for (int i = 0; i < NPOOL; i++) {
		g.pool4[i] = (struct pk_prefix){.af = 4, .len = 32};
		g.pool6[i] = (struct pk_prefix){.af = 6, .len = 128};
		uint64_t v = pk_rng_next(&g.rng);
		memcpy(g.pool4[i].addr, &v, 4);
		g.pool4[i].addr[0] = (uint8_t)(10 + i % 8);
		g.pool6[i].addr[0] = 0x20;
		g.pool6[i].addr[1] = 0x01;
		memcpy(g.pool6[i].addr + 2, &v, 8);
	}
	g.rs->nsources = 1;
	g.rs->sources = pk_arena_array(a, 1, sizeof(*g.rs->sources));
	g.rs->sources[0] = (struct pk_ir_source){.path = "gen.conf", .text = "", .len = 0};
	struct pk_ir_options *op = &g.rs->opts;
	for (int t = 0; t < PK_TMO_COUNT; t++)
		op->timeouts[t] = 30;
	op->limits[PK_LIMIT_STATES] = PK_DEFAULT_LIMIT_STATES;
	op->state_policy = PK_POLICY_IF_BOUND;
	gen_topology(&g);
	gen_tables(&g, o->ntables);
	g.rs->rules = pk_arena_array(a, o->nrules, sizeof(*g.rs->rules));
	g.rs->nrules = o->nrules;
	for (uint32_t i = 0; i < o->nrules; i++)
		gen_rule(&g, i, &g.rs->rules[i], o);
	return g.rs;
}

void pk_rulegen_free(struct pk_ir_ruleset *rs)
{
	if (rs)
		pk_arena_free(rs->arena);
}

/* An address inside x (when it is a prefix or range), else random near the pool. */
static void pkt_addr(const struct pk_ir_addr *x, uint8_t af, struct pk_rng *rng, const struct pk_ir_ruleset *rs,
		     uint8_t *out)
{
	for (int i = 0; i < 16; i++)
		out[i] = (uint8_t)pk_rng_next(rng);
	const struct pk_prefix *base = NULL;
	if ((x->kind == PK_ADDR_PREFIX || x->kind == PK_ADDR_RANGE) && x->pfx.af == af)
		base = &x->pfx;
	else if (x->kind == PK_ADDR_TABLE && rs->tables[x->table].nentries) {
		const struct pk_ir_table *t = &rs->tables[x->table];
		base = &t->entries[pk_rng_below(rng, t->nentries)].pfx;
		if (base->af != af)
			base = NULL;
	}
	if (base) {
		unsigned len = x->kind == PK_ADDR_RANGE ? (af == 4 ? 28 : 124) : base->len;
		for (unsigned bit = 0; bit < len; bit++) {
			unsigned m = 0x80u >> (bit % 8);
			out[bit / 8] = (uint8_t)((out[bit / 8] & ~m) | (base->addr[bit / 8] & m));
		}
	} else if (af == 4) {
		out[0] = (uint8_t)(10 + pk_rng_below(rng, 8));
	} else {
		out[0] = 0x20;
		out[1] = 0x01;
	}
	if (af == 4)
		memset(out + 4, 0, 12);
}

static uint16_t pkt_port(const struct pk_port_match *m, struct pk_rng *rng)
{
	if (m->op == PK_PORT_ANY || pct(rng, 20))
		return (uint16_t)pk_rng_below(rng, 65536);
	uint32_t jitter = pk_rng_below(rng, 3);
	return (uint16_t)(m->lo + jitter - 1 + (m->op == PK_PORT_RANGE || m->op == PK_PORT_INSIDE
							 ? pk_rng_below(rng, (uint32_t)(m->hi - m->lo) + 1u)
							 : 0));
}

void pk_rulegen_packet(const struct pk_ir_ruleset *rs, const struct pk_rs *loaded, struct pk_rng *rng,
		       struct pk_match_pkt *p)
{
	static const struct pk_ir_rule none = {.icmp_type = -1};
	const struct pk_ir_rule *r = rs->nrules && pct(rng, 80) ? &rs->rules[pk_rng_below(rng, rs->nrules)] : &none;
	static const uint8_t protos[] = {6, 17, 1, 58, 47};
	memset(p, 0, sizeof(*p));
	p->af = r->af ? r->af : (pct(rng, 75) ? 4 : 6);
	p->proto = r->proto && pct(rng, 90) ? r->proto : protos[pk_rng_below(rng, 5)];
	p->dir = r->dir && pct(rng, 90) ? r->dir : (uint8_t)(1 + pk_rng_below(rng, 2));
	uint16_t nif = pk_rs_niface(loaded);
	p->iface = pct(rng, 5) ? PK_RT_NO_IFACE : (uint16_t)pk_rng_below(rng, nif);
	if (r->ifc.name && !r->ifc.neg && pct(rng, 90))
		p->iface = pk_rs_iface_find(loaded, r->ifc.name);
	pkt_addr(&r->src, p->af, rng, rs, p->src);
	pkt_addr(&r->dst, p->af, rng, rs, p->dst);
	p->sport = pkt_port(&r->sport, rng);
	p->dport = pkt_port(&r->dport, rng);
	p->tcp_flags = pct(rng, 50) ? 0x02 : (uint8_t)pk_rng_below(rng, 64);
	p->icmp_type = p->icmp_code = -1;
	if (p->proto == 1 || p->proto == 58) {
		p->icmp_type = (int16_t)(pct(rng, 50) ? 8 : pk_rng_below(rng, 20));
		p->icmp_code = (int16_t)pk_rng_below(rng, 3);
	}
	p->tos = pct(rng, 10) ? 0x10 : 0;
	p->tag = (uint16_t)pk_rng_below(rng, (uint32_t)pk_rs_ntags(loaded) + 1);
	p->random = (uint32_t)pk_rng_next(rng);
	uint8_t *self = p->dir == PK_DIR_IN ? p->dst : p->src;
	if (p->af == PK_AF_INET && pct(rng, 10))
		memcpy(self, rs->ifaces[pk_rng_below(rng, rs->nifaces)].addrs[0].addr, 16);
	p->local = pk_rs_is_self(loaded, p->af, self);
}
