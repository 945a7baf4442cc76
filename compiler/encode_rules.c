/*
 * compiler/encode_rules.c: IR rules -> rule records, with their state
 * options, translation pools and tag names in side sections.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/encode_priv.h"
#include "runtime/xalloc.h"

static uint32_t enc_tag(struct pk_enc *e, const char *name)
{
	uint32_t id;
	if (!name)
		return 0;
	if (pk_strmap_get(&e->tags, name, &id))
		return id;
	*(uint32_t *)PK_ENC_ADD(e, TAGS) = pk_enc_string(e, name);
	id = PK_ENC_COUNT(e, TAGS);
	pk_strmap_put(&e->tags, name, id);
	return id;
}

static bool enc_sopts_unset(const struct pk_state_opts *s)
{
	if (s->max || s->max_src_nodes || s->max_src_states || s->max_src_conn || s->max_src_conn_rate ||
	    s->max_src_conn_secs || s->src_track || s->policy || s->sloppy || s->no_sync || s->pflow ||
	    s->allow_related || s->overload_table || s->overload_flush || s->overload_flush_global)
		return false;
	for (int i = 0; i < PK_TMO_COUNT; i++)
		if (s->timeouts[i] != PK_TMO_UNSET)
			return false;
	return true;
}

/* State options are stored once per run of rules that share them (a list
 * expanded into many rules repeats the same options). */
static uint32_t enc_sopts(struct pk_enc *e, const struct pk_state_opts *s)
{
	if (enc_sopts_unset(s))
		return PKB_NONE;
	struct pkb_sopts rec = {
		.max = s->max,
		.max_src_nodes = s->max_src_nodes,
		.max_src_states = s->max_src_states,
		.max_src_conn = s->max_src_conn,
		.max_src_conn_rate = s->max_src_conn_rate,
		.max_src_conn_secs = s->max_src_conn_secs,
		.src_track = s->src_track,
		.policy = s->policy,
		.flags = (uint8_t)((s->sloppy ? PKB_SO_SLOPPY : 0) | (s->no_sync ? PKB_SO_NO_SYNC : 0) |
				   (s->pflow ? PKB_SO_PFLOW : 0) | (s->allow_related ? PKB_SO_ALLOW_RELATED : 0) |
				   (s->overload_flush ? PKB_SO_OVERLOAD_FLUSH : 0) |
				   (s->overload_flush_global ? PKB_SO_OVERLOAD_FLUSH_GLOBAL : 0)),
		.overload_table = pk_enc_string(e, s->overload_table),
	};
	memcpy(rec.timeouts, s->timeouts, sizeof(rec.timeouts));
	uint32_t n = PK_ENC_COUNT(e, SOPTS);
	const struct pkb_sopts *all = (const struct pkb_sopts *)e->sec[PKB_SEC_SOPTS].p;
	if (n && !memcmp(&all[n - 1], &rec, sizeof(rec)))
		return n - 1;
	memcpy(PK_ENC_ADD(e, SOPTS), &rec, sizeof(rec));
	return n;
}

static uint32_t enc_nat(struct pk_enc *e, const struct pk_ir_nat *n)
{
	if (n->kind == PK_NAT_NONE && !n->npool && !n->port_lo && !n->port_hi && !n->pool_opts)
		return PKB_NONE;
	uint32_t idx = PK_ENC_COUNT(e, NATS);
	struct pkb_nat rec = {
		.kind = n->kind,
		.pool_opts = n->pool_opts,
		.port_lo = n->port_lo,
		.port_hi = n->port_hi,
		.pool_first = PK_ENC_COUNT(e, POOLS),
		.npool = n->npool,
		.hash_key = pk_enc_string(e, n->hash_key),
	};
	for (uint32_t i = 0; i < n->npool; i++) {
		struct pkb_addr a;
		memset(&a, 0, sizeof(a));
		pk_enc_addr(e, &n->pool[i], &a);
		memcpy(PK_ENC_ADD(e, POOLS), &a, sizeof(a));
	}
	memcpy(PK_ENC_ADD(e, NATS), &rec, sizeof(rec));
	return idx;
}

static uint32_t enc_routeopt(struct pk_enc *e, const struct pk_ir_route_opt *ro)
{
	if (ro->kind == PK_ROUTE_NONE && !ro->ifname && !ro->gw.af && ro->addr.kind == PK_ADDR_ANY && !ro->pool_opts)
		return PKB_NONE;
	struct pkb_routeopt rec;
	memset(&rec, 0, sizeof(rec));
	rec.iface = pk_enc_iface(e, ro->ifname);
	pk_enc_prefix(&ro->gw, &rec.gw);
	pk_enc_addr(e, &ro->addr, &rec.addr);
	rec.pool_opts = ro->pool_opts;
	rec.hash_key = pk_enc_string(e, ro->hash_key);
	uint32_t idx = PK_ENC_COUNT(e, ROUTEOPTS);
	memcpy(PK_ENC_ADD(e, ROUTEOPTS), &rec, sizeof(rec));
	return idx;
}

static size_t addr_hash(const struct pkb_addr *a)
{
	const uint8_t *p = (const uint8_t *)a;
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < sizeof(*a); i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return (size_t)h;
}

static void addrmap_grow(struct pk_enc *e)
{
	struct pk_addrmap *m = &e->addrs;
	const struct pkb_addr *all = (const struct pkb_addr *)e->sec[PKB_SEC_ADDRS].p;
	free(m->slots);
	m->cap = m->cap ? m->cap * 2 : 256;
	m->slots = pk_xcalloc(m->cap, sizeof(*m->slots));
	for (uint32_t i = 0; i < m->n; i++) {
		size_t s = addr_hash(&all[i]) & (m->cap - 1);
		while (m->slots[s])
			s = (s + 1) & (m->cap - 1);
		m->slots[s] = i + 1;
	}
}

/* Rule addresses are stored once each: rule sets repeat them a lot (any,
 * the expansions of one list). */
static uint32_t enc_rule_addr(struct pk_enc *e, const struct pk_ir_addr *a)
{
	struct pkb_addr rec;
	memset(&rec, 0, sizeof(rec));
	pk_enc_addr(e, a, &rec);
	struct pk_addrmap *m = &e->addrs;
	if ((m->n + 1) * 2 > m->cap)
		addrmap_grow(e);
	const struct pkb_addr *all = (const struct pkb_addr *)e->sec[PKB_SEC_ADDRS].p;
	size_t s = addr_hash(&rec) & (m->cap - 1);
	for (; m->slots[s]; s = (s + 1) & (m->cap - 1))
		if (!memcmp(&all[m->slots[s] - 1], &rec, sizeof(rec)))
			return m->slots[s] - 1;
	m->slots[s] = (uint32_t)++m->n;
	memcpy(PK_ENC_ADD(e, ADDRS), &rec, sizeof(rec));
	return (uint32_t)m->n - 1;
}

static uint32_t enc_rule_flags(const struct pk_ir_rule *r)
{
	return (r->quick ? PKB_R_QUICK : 0) | (r->log ? PKB_R_LOG : 0) | (r->log_all ? PKB_R_LOG_ALL : 0) |
	       (r->allow_opts ? PKB_R_ALLOW_OPTS : 0) | (r->explicit_block ? PKB_R_EXPLICIT_BLOCK : 0) |
	       (r->ifc.neg ? PKB_R_IFNEG : 0) | (r->rcv.neg ? PKB_R_RCVNEG : 0) |
	       (r->tagged_neg ? PKB_R_TAGGED_NEG : 0) |
	       (r->scrub.set ? PKB_R_SCRUB : 0) | (r->scrub.no_df ? PKB_R_NO_DF : 0) |
	       (r->scrub.random_id ? PKB_R_RANDOM_ID : 0) | (r->scrub.reassemble_tcp ? PKB_R_REASSEMBLE_TCP : 0) |
	       (r->scrub.fragment_reassemble ? PKB_R_FRAG_REASSEMBLE : 0) | (r->fragment ? PKB_R_FRAGMENT : 0) |
	       (r->natpass ? PKB_R_NATPASS : 0);
}

static void enc_port(const struct pk_port_match *p, struct pkb_port *out)
{
	out->op = p->op;
	out->lo = p->lo;
	out->hi = p->hi;
}

static void enc_rule(struct pk_enc *e, const struct pk_ir_rule *r, struct pkb_rule *out)
{
	memset(out, 0, sizeof(*out));
	pk_enc_loc(e, &r->loc, &out->loc);
	out->flags = enc_rule_flags(r);
	out->action = r->action;
	out->block = r->block;
	out->dir = r->dir;
	out->af = r->af;
	out->proto = r->proto;
	out->tcp_flags = r->flags;
	out->tcp_mask = r->flagmask;
	out->state = r->state;
	out->return_ttl = r->return_ttl;
	out->min_ttl = r->scrub.min_ttl;
	out->route = r->route.kind;
	out->owner = r->owner;
	out->return_icmp = r->return_icmp;
	out->return_icmp6 = r->return_icmp6;
	out->icmp_type = r->icmp_type;
	out->icmp_code = r->icmp_code;
	out->tos = r->tos;
	out->set_tos = r->scrub.set_tos;
	out->max_mss = r->scrub.max_mss;
	out->iface = pk_enc_iface(e, r->ifc.name);
	out->tag = enc_tag(e, r->tag);
	out->tagged = enc_tag(e, r->tagged);
	out->probability = r->probability;
	out->label = pk_enc_string(e, r->label);
	out->carried = pk_enc_string(e, r->carried);
	out->sopts = enc_sopts(e, &r->sopts);
	out->nat = enc_nat(e, &r->nat);
	out->route_opt = enc_routeopt(e, &r->route);
	out->src = enc_rule_addr(e, &r->src);
	out->dst = enc_rule_addr(e, &r->dst);
	enc_port(&r->sport, &out->sport);
	enc_port(&r->dport, &out->dport);
	out->user = pk_enc_string(e, r->user);
	out->group = pk_enc_string(e, r->group);
	out->log_opts = pk_enc_string(e, r->log_opts);
	out->rcv_iface = pk_enc_iface(e, r->rcv.name);
	out->divert = r->divert.kind;
	out->divert_port = r->divert.port;
	pk_enc_prefix(&r->divert.addr, &out->divert_addr);
	/* a blocked packet is never translated: a block rule's af-to changes nothing */
	if (r->action == PK_ACT_PASS) {
		out->afto_af = r->afto.af;
		pk_enc_prefix(&r->afto.src, &out->afto_src);
		pk_enc_prefix(&r->afto.dst, &out->afto_dst);
	}
}

int pk_enc_rules(struct pk_enc *e)
{
	for (uint32_t i = 0; i < e->rs->nrules; i++) {
		struct pkb_rule rec;
		enc_rule(e, &e->rs->rules[i], &rec);
		memcpy(PK_ENC_ADD(e, RULES), &rec, sizeof(rec));
	}
	if (PK_ENC_COUNT(e, IFACES) > PK_RT_NO_IFACE) {
		pk_error(e->d, &(struct pk_loc){0}, "%u interfaces: a ruleset can name at most %u", PK_ENC_COUNT(e, IFACES),
			 PK_RT_NO_IFACE);
		return -1;
	}
	if (PK_ENC_COUNT(e, TAGS) > UINT16_MAX) {
		pk_error(e->d, &(struct pk_loc){0}, "%u tag names: a ruleset can use at most %u", PK_ENC_COUNT(e, TAGS), UINT16_MAX);
		return -1;
	}
	return 0;
}
