/*
 * runtime/ruleset.c: the in-memory views built from a verified file, and
 * the accessors of runtime/ruleset.h (rules, options, interfaces,
 * topology look-ups, provenance).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/pkb_priv.h"

/* A translation pool address as the engine uses it. `nat-to (wan0)` is a
 * table of the interface's addresses: pf translates to the interface's
 * first address, as a host. */
static struct pkb_prefix pool_prefix(const struct pk_rs *rs, const struct pkb_addr *a)
{
	struct pkb_prefix p = {0};
	if (a->kind != PK_ADDR_TABLE)
		return a->pfx;
	const struct pkb_table *t = &PK_RS_SEC(rs, TABLES, struct pkb_table)[a->table];
	if (t->nentries) {
		const struct pkb_tabentry *e = &PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry)[t->entry_first];
		p.af = e->af;
		p.len = e->af == PK_AF_INET ? 32 : 128;
		memcpy(p.addr, e->addr, 16);
	}
	return p;
}

static uint32_t table_by_name(const struct pk_rs *rs, const char *want)
{
	for (uint32_t t = 0; want && t < PK_RS_N(rs, TABLES); t++)
		if (!strcmp(pk_rs_str(rs, PK_RS_SEC(rs, TABLES, struct pkb_table)[t].name), want))
			return t;
	return PK_RT_NO_TABLE;
}

/* pf embeds at the rule's destination prefix length when its destination
 * is an address with a mask (pf_get_transaddr_af); any other is length 0. */
static void build_afto(const struct pk_rs *rs, const struct pkb_rule *r, struct pk_afto *a)
{
	const struct pkb_addr *dst = &PK_RS_SEC(rs, ADDRS, struct pkb_addr)[r->dst];

	a->af = r->afto_af;
	memcpy(a->from, r->afto_src.addr, 16);
	a->from_len = r->afto_src.len;
	memcpy(a->to, r->afto_dst.addr, 16);
	a->to_len = r->afto_dst.af ? r->afto_dst.len : 0;
	a->rule_dst_len = dst->kind == PK_ADDR_PREFIX ? dst->pfx.len : 0;
}

static void build_rule(struct pk_rs *rs, uint32_t i, struct pk_rs_rule *o)
{
	const struct pkb_rule *r = &PK_RS_SEC(rs, RULES, struct pkb_rule)[i];
	*o = (struct pk_rs_rule){
		.nr = i, .line = r->loc.line, .action = r->action, .block = r->block, .state = r->state,
		.dir = r->dir, .quick = r->flags & PKB_R_QUICK, .log = r->flags & PKB_R_LOG,
		.log_all = r->flags & PKB_R_LOG_ALL, .allow_opts = r->flags & PKB_R_ALLOW_OPTS,
		.natpass = r->flags & PKB_R_NATPASS,
		.return_ttl = r->return_ttl, .return_icmp = r->return_icmp, .return_icmp6 = r->return_icmp6,
		.af = r->af, .proto = r->proto, .tag = (uint16_t)r->tag,
		.scrub = r->flags & PKB_R_SCRUB, .no_df = r->flags & PKB_R_NO_DF,
		.random_id = r->flags & PKB_R_RANDOM_ID, .reassemble_tcp = r->flags & PKB_R_REASSEMBLE_TCP,
		.probability = r->probability != 0, .tests_tos = r->tos != -1, .tcp_mask = r->tcp_mask,
		.tests_owner = r->owner != PK_OWNER_ANY,
		.max_mss = r->max_mss, .min_ttl = r->min_ttl, .set_tos = r->set_tos,
		.route = r->route, .route_iface = PK_RT_NO_IFACE,
		.divert = r->divert, .divert_port = r->divert_port,
		.label = pk_rs_str(rs, r->label), .overload_table = PK_RT_NO_TABLE,
	};
	if (r->route_opt != PKB_NONE) {
		const struct pkb_routeopt *ro = &PK_RS_SEC(rs, ROUTEOPTS, struct pkb_routeopt)[r->route_opt];
		o->route_iface = ro->iface == PKB_NONE ? PK_RT_NO_IFACE : (uint16_t)ro->iface;
		memcpy(o->route_gw, ro->gw.addr, 16);
	}
	memcpy(o->divert_addr, r->divert_addr.addr, 16);
	build_afto(rs, r, &o->afto);
	for (int t = 0; t < PK_TMO_COUNT; t++)
		o->timeouts[t] = PK_TMO_UNSET;
	if (r->sopts != PKB_NONE) {
		const struct pkb_sopts *s = &PK_RS_SEC(rs, SOPTS, struct pkb_sopts)[r->sopts];
		o->max_states = s->max;
		o->max_src_nodes = s->max_src_nodes;
		o->max_src_states = s->max_src_states;
		o->max_src_conn = s->max_src_conn;
		o->max_src_conn_rate = s->max_src_conn_rate;
		o->max_src_conn_secs = s->max_src_conn_secs;
		o->src_track = s->src_track;
		o->policy = s->policy;
		o->sloppy = s->flags & PKB_SO_SLOPPY;
		/* none in a file from a compiler that made no table for an undeclared overload */
		o->overload_table = table_by_name(rs, pk_rs_str(rs, s->overload_table));
		o->overload_flush = s->flags & PKB_SO_OVERLOAD_FLUSH;
		o->overload_flush_global = s->flags & PKB_SO_OVERLOAD_FLUSH_GLOBAL;
		memcpy(o->timeouts, s->timeouts, sizeof(o->timeouts));
	}
	if (r->nat != PKB_NONE) {
		const struct pkb_nat *n = &PK_RS_SEC(rs, NATS, struct pkb_nat)[r->nat];
		o->nat = n->kind;
		o->nat_pool_opts = n->pool_opts;
		o->nat_npool = (uint16_t)n->npool;
		o->nat_pool = rs->pools + 17 * (size_t)n->pool_first;
		o->nat_af = n->npool ? pool_prefix(rs, &PK_RS_SEC(rs, POOLS, struct pkb_addr)[n->pool_first]).af : 0;
		o->nat_port_lo = n->port_lo;
		o->nat_port_hi = n->port_hi;
	}
}

bool pk_rs_binat_in(const struct pk_rs *rs, uint32_t i, struct pk_rs_binat *b)
{
	const struct pkb_rule *r = &PK_RS_SEC(rs, RULES, struct pkb_rule)[i];
	const struct pkb_addr *src = &PK_RS_SEC(rs, ADDRS, struct pkb_addr)[r->src];
	const struct pkb_addr *dst = &PK_RS_SEC(rs, ADDRS, struct pkb_addr)[r->dst];

	memset(b, 0, sizeof(*b));
	if (r->action != PK_ACT_BINAT || (r->flags & PKB_R_IFNEG) || src->kind != PK_ADDR_PREFIX || src->neg ||
	    (dst->kind != PK_ADDR_ANY && (dst->kind != PK_ADDR_PREFIX || dst->neg)))
		return false;
	b->iface = r->iface == PKB_NONE ? PK_RT_NO_IFACE : (uint16_t)r->iface;
	b->af = src->pfx.af;
	b->len = src->pfx.len;
	memcpy(b->addr, src->pfx.addr, 16);
	if (dst->kind == PK_ADDR_PREFIX) {
		b->peer_af = dst->pfx.af;
		b->peer_len = dst->pfx.len;
		memcpy(b->peer, dst->pfx.addr, 16);
	}
	return true;
}

bool pk_rs_binat_takes_in(const struct pk_rs *rs, uint32_t i, uint8_t af, uint8_t proto, uint16_t iface,
			  const uint8_t src[16], const uint8_t dst[16])
{
	const struct pk_rs_rule *r = &rs->rules[i];
	struct pk_rs_binat b;

	if (!pk_rs_binat_in(rs, i, &b) || b.af != af || r->nat_npool == 0 || r->nat_af != af ||
	    (r->proto && r->proto != proto) || (b.iface != PK_RT_NO_IFACE && b.iface != iface))
		return false;
	return pk_net_contains(r->nat_pool, r->nat_pool[16], dst) &&
	       (!b.peer_af || (b.peer_af == af && pk_net_contains(b.peer, b.peer_len, src)));
}

/* What the rules do with a table: read it (a rule's source or destination
 * names it), feed it (overload adds hosts to it). Only a table both read
 * and fed changes decisions while the rules stay loaded. */
static void build_table_use(struct pk_rs *rs)
{
	const struct pkb_addr *addr = PK_RS_SEC(rs, ADDRS, struct pkb_addr);
	const struct pkb_rule *r = PK_RS_SEC(rs, RULES, struct pkb_rule);

	for (uint32_t i = 0; i < PK_RS_N(rs, RULES); i++) {
		const struct pkb_addr *side[2] = {&addr[r[i].src], &addr[r[i].dst]};
		for (int k = 0; k < 2; k++)
			if (side[k]->kind == PK_ADDR_TABLE)
				rs->table_use[side[k]->table] |= PK_TABLE_READ;
		if (rs->rules[i].overload_table != PK_RT_NO_TABLE)
			rs->table_use[rs->rules[i].overload_table] |= PK_TABLE_FED;
	}
}

static int build_tables(struct pk_rs *rs)
{
	const struct pkb_table *tab = PK_RS_SEC(rs, TABLES, struct pkb_table);
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	const uint32_t *idx = PK_RS_SEC(rs, TABINDEX, uint32_t);
	uint32_t nt = PK_RS_N(rs, TABLES), ng = 0;
	rs->table_group = calloc((size_t)nt + 1, sizeof(*rs->table_group));
	rs->groups = calloc((size_t)PK_RS_N(rs, TABINDEX) + 1, sizeof(*rs->groups));
	rs->table_use = calloc((size_t)nt + 1, sizeof(*rs->table_use));
	if (!rs->table_group || !rs->groups || !rs->table_use)
		return -1;
	build_table_use(rs);
	for (uint32_t t = 0; t < nt; t++) {
		rs->table_group[t] = ng;
		for (uint32_t k = 0; k < tab[t].nindex; k++) {
			const struct pkb_tabentry *e = &ent[idx[tab[t].index_first + k]];
			struct pk_rs_tgroup *g = ng > rs->table_group[t] ? &rs->groups[ng - 1] : NULL;
			if (g && g->af == e->af && g->len == e->len) {
				g->n++;
				continue;
			}
			rs->groups[ng++] = (struct pk_rs_tgroup){e->af, e->len, tab[t].index_first + k, 1};
		}
	}
	rs->table_group[nt] = ng;
	return 0;
}

static int build_phases(struct pk_rs *rs)
{
	uint32_t n = PK_RS_N(rs, RULES), count[PK_PHASE_COUNT] = {0};
	rs->phase_rules = malloc(((size_t)n + 1) * sizeof(*rs->phase_rules));
	if (!rs->phase_rules)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		count[pkb_phase_of(rs->rules[i].action)]++;
	rs->phase_first[0] = 0;
	for (int p = 0; p < PK_PHASE_COUNT; p++)
		rs->phase_first[p + 1] = rs->phase_first[p] + count[p];
	uint32_t fill[PK_PHASE_COUNT];
	memcpy(fill, rs->phase_first, sizeof(fill));
	for (uint32_t i = 0; i < n; i++)
		rs->phase_rules[fill[pkb_phase_of(rs->rules[i].action)]++] = i;
	return 0;
}

static void build_options(struct pk_rs *rs)
{
	const struct pkb_options *o = PK_RS_SEC(rs, OPTIONS, struct pkb_options);
	memcpy(rs->opts.timeouts, o->timeouts, sizeof(rs->opts.timeouts));
	rs->opts.limit_states = o->limits[PK_LIMIT_STATES];
	rs->opts.limit_frags = o->limits[PK_LIMIT_FRAGS];
	rs->opts.limit_src_nodes = o->limits[PK_LIMIT_SRC_NODES];
	rs->opts.limit_table_entries = o->limits[PK_LIMIT_TABLE_ENTRIES];
	rs->opts.block_policy = o->block_policy;
	rs->opts.state_policy = o->state_policy;
	rs->opts.optimization = o->optimization;
	rs->opts.reassemble = (o->flags & PKB_OPT_REASS_OFF ? 0 : PK_REASS_ON) |
			      (o->flags & PKB_OPT_REASS_NODF ? PK_REASS_NODF : 0);
	rs->opts.hostid = o->hostid;
	rs->opts.nskip = (uint16_t)PK_RS_N(rs, SKIP);
	for (uint32_t i = 0; i < PK_RS_N(rs, SKIP); i++)
		rs->skip[i] = (uint16_t)PK_RS_SEC(rs, SKIP, uint32_t)[i];
	rs->opts.skip = rs->skip;
}

#define PK_TADD_MAX 65536 /* hosts overload may add, whatever the table-entries limit */

/* An address as two words, an IPv4 one's bytes past its 4 zero. */
static void addr_words(uint8_t af, const uint8_t a[16], uint64_t w[2])
{
	w[0] = w[1] = 0;
	if (af == PK_AF_INET)
		memcpy(w, a, 4);
	else
		memcpy(w, a, 16);
}

static int cmp_self(const struct pk_rs_self *x, uint8_t af, const uint64_t w[2])
{
	if (x->af != af)
		return x->af < af ? -1 : 1;
	if (x->w[0] != w[0])
		return x->w[0] < w[0] ? -1 : 1;
	return x->w[1] < w[1] ? -1 : x->w[1] > w[1];
}

static int by_self(const void *a, const void *b)
{
	const struct pk_rs_self *y = b;
	return cmp_self(a, y->af, y->w);
}

/* An address's bit in the filter before the search: a hash of its words. */
static uint64_t self_bit(uint8_t af, const uint64_t w[2])
{
	return 1ull << (((w[0] ^ w[1] ^ af) * 0x9e3779b97f4a7c15ull) >> 58);
}

/* The interfaces' addresses sorted, for a binary search per packet instead
 * of a scan of them all, and their bits, which most addresses are told
 * apart by before it. */
static int build_self(struct pk_rs *rs)
{
	const struct pkb_prefix *a = PK_RS_SEC(rs, IFADDRS, struct pkb_prefix);
	rs->nself = PK_RS_N(rs, IFADDRS);
	rs->self = calloc((size_t)rs->nself + 1, sizeof *rs->self);
	if (!rs->self)
		return -1;
	for (uint32_t i = 0; i < rs->nself; i++) {
		rs->self[i].af = a[i].af;
		addr_words(a[i].af, a[i].addr, rs->self[i].w);
		rs->self_bits |= self_bit(a[i].af, rs->self[i].w);
	}
	qsort(rs->self, rs->nself, sizeof *rs->self, by_self);
	return 0;
}

/* Room for overload's hosts: what the table-entries limit leaves after
 * the written entries. */
static uint32_t adds_room(const struct pk_rs *rs)
{
	uint32_t limit = rs->opts.limit_table_entries, written = PK_RS_N(rs, TABENTRIES);
	uint32_t room = limit > written ? limit - written : 0;

	return room < PK_TADD_MAX ? room : PK_TADD_MAX;
}

/* The room is made only when some rule overloads. */
static int build_adds(struct pk_rs *rs)
{
	for (uint32_t i = 0; i < PK_RS_N(rs, RULES); i++)
		if (rs->rules[i].overload_table != PK_RT_NO_TABLE)
			return pk_tadd_init(&rs->adds, adds_room(rs));
	return pk_tadd_init(&rs->adds, 0);
}

int pk_rs_build(struct pk_rs *rs)
{
	uint32_t n = PK_RS_N(rs, RULES), np = PK_RS_N(rs, POOLS);
	rs->rules = calloc((size_t)n + 1, sizeof(*rs->rules));
	rs->pools = calloc((size_t)np + 1, 17);
	rs->skip = calloc((size_t)PK_RS_N(rs, SKIP) + 1, sizeof(*rs->skip));
	if (!rs->rules || !rs->pools || !rs->skip)
		return -1;
	for (uint32_t i = 0; i < np; i++) {
		struct pkb_prefix p = pool_prefix(rs, &PK_RS_SEC(rs, POOLS, struct pkb_addr)[i]);
		memcpy(rs->pools + 17 * (size_t)i, p.addr, 16);
		rs->pools[17 * (size_t)i + 16] = p.len;
	}
	for (uint32_t i = 0; i < n; i++)
		build_rule(rs, i, &rs->rules[i]);
	build_options(rs);
	if (build_phases(rs) || build_tables(rs) || pk_rs_build_routes(rs) || build_self(rs) || build_adds(rs))
		return -1;
	return pk_rs_build_boxes(rs);
}

const char *pk_rs_table_name(const struct pk_rs *rs, uint32_t t)
{
	return t < PK_RS_N(rs, TABLES) ? pk_rs_str(rs, PK_RS_SEC(rs, TABLES, struct pkb_table)[t].name) : NULL;
}

int pk_rs_table_add(struct pk_rs *rs, uint32_t t, uint8_t af, const uint8_t addr[16])
{
	if (t >= PK_RS_N(rs, TABLES))
		return -1;
	if (pk_rs_table_entry(rs, t, af, addr, true))
		return 0; /* the file lists that very host: pf refuses to insert it, the written entry decides */
	return pk_tadd_put(&rs->adds, t, af, addr);
}

static bool undeclared(const struct pk_rs *rs, uint32_t t)
{
	return PK_RS_SEC(rs, TABLES, struct pkb_table)[t].flags & PKB_TAB_UNDECLARED;
}

uint32_t pk_rs_table_carry(struct pk_rs *to, const struct pk_rs *from)
{
	uint32_t cursor = 0, t, moved = 0;
	uint8_t af, addr[16];

	while (pk_tadd_next(&from->adds, &cursor, &t, &af, addr)) {
		const uint32_t nt = table_by_name(to, pk_rs_table_name(from, t));

		if (nt == PK_RT_NO_TABLE || !undeclared(to, nt))
			continue;
		/* rules that only read the table made no room for hosts */
		if (!to->adds.cap && (pk_tadd_init(&to->adds, adds_room(to)) || !to->adds.cap))
			break;
		to->table_use[nt] |= PK_TABLE_FED;
		moved += pk_rs_table_add(to, nt, af, addr) > 0;
	}
	return moved;
}

bool pk_rs_table_read(const struct pk_rs *rs, uint32_t t)
{
	return t < PK_RS_N(rs, TABLES) && (rs->table_use[t] & PK_TABLE_READ);
}

uint32_t pk_rs_table_added(const struct pk_rs *rs)
{
	return rs->adds.count;
}

uint32_t pk_rs_ntables(const struct pk_rs *rs)
{
	return PK_RS_N(rs, TABLES);
}

uint32_t pk_rs_table_written(const struct pk_rs *rs, uint32_t t)
{
	return t < PK_RS_N(rs, TABLES) ? PK_RS_SEC(rs, TABLES, struct pkb_table)[t].nentries : 0;
}

bool pk_rs_table_next_added(const struct pk_rs *rs, uint32_t *cursor, uint32_t *t, uint8_t *af, uint8_t addr[16])
{
	return pk_tadd_next(&rs->adds, cursor, t, af, addr);
}

uint32_t pk_rs_nrules(const struct pk_rs *rs)
{
	return PK_RS_N(rs, RULES);
}

const struct pk_rs_rule *pk_rs_rule(const struct pk_rs *rs, uint32_t i)
{
	return i < PK_RS_N(rs, RULES) ? &rs->rules[i] : NULL;
}

const struct pk_rs_rule *pk_rs_rules(const struct pk_rs *rs)
{
	return rs->rules;
}

const char *pk_rs_rule_file(const struct pk_rs *rs, uint32_t i)
{
	if (i >= PK_RS_N(rs, RULES))
		return NULL;
	uint32_t f = PK_RS_SEC(rs, RULES, struct pkb_rule)[i].loc.file;
	return f == PKB_NONE ? NULL : pk_rs_str(rs, PK_RS_SEC(rs, SOURCES, uint32_t)[f]);
}

const struct pk_rs_options *pk_rs_options(const struct pk_rs *rs)
{
	return &rs->opts;
}

uint16_t pk_rs_niface(const struct pk_rs *rs)
{
	return (uint16_t)PK_RS_N(rs, IFACES);
}

static const struct pkb_iface *iface_rec(const struct pk_rs *rs, uint16_t i)
{
	return i < PK_RS_N(rs, IFACES) ? &PK_RS_SEC(rs, IFACES, struct pkb_iface)[i] : NULL;
}

const char *pk_rs_iface_name(const struct pk_rs *rs, uint16_t i)
{
	const struct pkb_iface *f = iface_rec(rs, i);
	return f ? pk_rs_str(rs, f->name) : NULL;
}

uint16_t pk_rs_iface_find(const struct pk_rs *rs, const char *name)
{
	for (uint16_t i = 0; i < PK_RS_N(rs, IFACES); i++)
		if (!strcmp(pk_rs_iface_name(rs, i), name))
			return i;
	return PK_RT_NO_IFACE;
}

bool pk_rs_iface_is_wan(const struct pk_rs *rs, uint16_t i)
{
	const struct pkb_iface *f = iface_rec(rs, i);
	return f && (f->flags & PKB_IF_WAN);
}

bool pk_rs_iface_mac(const struct pk_rs *rs, uint16_t i, uint8_t mac[6])
{
	const struct pkb_iface *f = iface_rec(rs, i);
	if (!f || !(f->flags & PKB_IF_HAS_MAC))
		return false;
	memcpy(mac, f->mac, 6);
	return true;
}

uint32_t pk_rs_iface_naddr(const struct pk_rs *rs, uint16_t i)
{
	const struct pkb_iface *f = iface_rec(rs, i);
	return f ? f->naddrs : 0;
}

void pk_rs_iface_addr(const struct pk_rs *rs, uint16_t i, uint32_t k, uint8_t *af, uint8_t addr[16], uint8_t *len)
{
	const struct pkb_iface *f = iface_rec(rs, i);
	*af = 0;
	*len = 0;
	memset(addr, 0, 16);
	if (!f || k >= f->naddrs)
		return;
	const struct pkb_prefix *p = &PK_RS_SEC(rs, IFADDRS, struct pkb_prefix)[f->addr_first + k];
	*af = p->af;
	*len = p->len;
	memcpy(addr, p->addr, 16);
}

bool pk_rs_is_self(const struct pk_rs *rs, uint8_t af, const uint8_t addr[16])
{
	uint64_t w[2];
	uint32_t lo = 0, hi = rs->nself;

	addr_words(af, addr, w);
	if (!(rs->self_bits & self_bit(af, w)))
		return false;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp_self(&rs->self[mid], af, w);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

uint16_t pk_rs_ntags(const struct pk_rs *rs)
{
	return (uint16_t)PK_RS_N(rs, TAGS);
}

const char *pk_rs_tag_name(const struct pk_rs *rs, uint16_t tag)
{
	if (tag == 0 || tag > PK_RS_N(rs, TAGS))
		return NULL;
	return pk_rs_str(rs, PK_RS_SEC(rs, TAGS, uint32_t)[tag - 1]);
}

const uint8_t *pk_rs_source_hash(const struct pk_rs *rs)
{
	return rs->h->source_sha256;
}

const uint8_t *pk_rs_checksum(const struct pk_rs *rs)
{
	return rs->h->checksum;
}
