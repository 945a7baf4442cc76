/*
 * compiler/resolve_opts.c: a rule's options (flags, state, translation,
 * routing, scrub, label...) from the AST's option list to the IR rule.
 */
#include "compiler/resolve.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "compiler/md5.h"

/* TCP flag letters in pf's order: F S R P A U E W. */
static const char pk_flag_letters[] = "FSRPAUEW";

static bool res_flagstr(struct pk_res *r, const char *s, const struct pk_loc *loc, uint8_t *out)
{
	*out = 0;
	for (; *s; s++) {
		const char *c = strchr(pk_flag_letters, *s);
		if (!c || !*s) {
			pk_error(r->d, loc, "bad TCP flag '%c'; flags are letters of FSRPAUEW, as in flags S/SA", *s);
			return false;
		}
		*out |= (uint8_t)(1u << (c - pk_flag_letters));
	}
	return true;
}

static void res_flags(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	ir->flags = ir->flagmask = 0;
	if (!o->s)
		return;
	if (!res_flagstr(r, o->s, &o->loc, &ir->flags))
		return;
	if (o->s2)
		res_flagstr(r, o->s2, &o->loc, &ir->flagmask);
	else
		ir->flagmask = 0xff;
}

static bool res_tos(struct pk_res *r, const char *s, const struct pk_loc *loc, int16_t *out)
{
	static const struct { const char *name; int16_t v; } names[] = {
		{"lowdelay", 0x10}, {"throughput", 0x08}, {"reliability", 0x04}, {"critical", 0xa0},
		{"inetcontrol", 0xc0}, {"netcontrol", 0xe0},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*out = names[i].v;
			return true;
		}
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (*s < '0' || *s > '9' || *end || v > 255) {
		pk_error(r->d, loc, "bad tos '%s'; write a number 0-255 or lowdelay, throughput, reliability", s);
		return false;
	}
	*out = (int16_t)v;
	return true;
}

static void res_probability(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	char *end;
	double p = strtod(o->s, &end);
	if (*end == '%') {
		p /= 100.0;
		end++;
	}
	if (*end || p < 0 || p > 1) {
		pk_error(r->d, &o->loc, "bad probability '%s'; write a percentage such as 25%%", o->s);
		return;
	}
	ir->probability = pk_ir_probability(p);
}

static uint32_t res_u32(struct pk_res *r, const struct pk_ast_opt *o, const char *s)
{
	uint64_t v = 0;
	pk_res_number(r, s, &o->loc, UINT32_MAX, &v);
	return (uint32_t)v;
}

static void res_state_timeout(struct pk_res *r, const struct pk_ast_opt *x, struct pk_state_opts *s)
{
	static const char *const names[] = {
#define PK_TMO_NAME(id, nm, n, hl, c, a) nm,
		PK_TIMEOUTS(PK_TMO_NAME)
#undef PK_TMO_NAME
	};
	for (int i = 0; i < PK_TMO_COUNT; i++)
		if (!strcmp(names[i], x->s)) {
			s->timeouts[i] = res_u32(r, x, x->s2);
			return;
		}
	const char *best = pk_did_you_mean(x->s, names, PK_TMO_COUNT);
	pk_error(r->d, &x->loc, "unknown state option '%s'%s%s%s", x->s, best ? " (did you mean '" : "",
		 best ? best : "", best ? "'?)" : "");
}

/* pf: per-rule limits track sources per rule; a bare source-track is
 * global; a rate's window is how long sources are kept; a rule's own
 * state limit scales its timeouts from 60% to 120% full. */
static void res_state_defaults(struct pk_res *r, const struct pk_ast_opt *o, struct pk_state_opts *s,
			       bool bare_track)
{
	bool per_rule = s->max_src_conn || s->max_src_conn_rate || s->max_src_nodes;
	if (!s->src_track && (per_rule || (!bare_track && s->max_src_states)))
		s->src_track = PK_SRCTRACK_RULE;
	else if (!s->src_track && bare_track)
		s->src_track = PK_SRCTRACK_GLOBAL;
	if (s->src_track == PK_SRCTRACK_GLOBAL && s->max_src_nodes && !bare_track)
		pk_error(r->d, &o->loc, "max-src-nodes counts per rule: it needs source-track rule, not global");
	if (s->max_src_conn_rate && s->timeouts[PK_TMO_SRC_TRACK] == PK_TMO_UNSET)
		s->timeouts[PK_TMO_SRC_TRACK] = s->max_src_conn_secs;
	if (s->max && s->timeouts[PK_TMO_ADAPTIVE_START] == PK_TMO_UNSET &&
	    s->timeouts[PK_TMO_ADAPTIVE_END] == PK_TMO_UNSET) {
		s->timeouts[PK_TMO_ADAPTIVE_START] = (uint32_t)((uint64_t)s->max * PK_ADAPTIVE_START_PCT / 100);
		s->timeouts[PK_TMO_ADAPTIVE_END] = (uint32_t)((uint64_t)s->max * PK_ADAPTIVE_END_PCT / 100);
	}
}

/* State options into s, over what is there (the rule's own over set state-defaults). */
static void res_state_list(struct pk_res *r, const struct pk_ast_opt *list, struct pk_state_opts *s,
			   bool *bare_track)
{
	for (const struct pk_ast_opt *x = list; x; x = x->next) {
		switch (x->kind) {
		case PK_S_MAX: s->max = res_u32(r, x, x->s); break;
		case PK_S_MAX_SRC_NODES: s->max_src_nodes = res_u32(r, x, x->s); break;
		case PK_S_MAX_SRC_STATES: s->max_src_states = res_u32(r, x, x->s); break;
		case PK_S_MAX_SRC_CONN: s->max_src_conn = res_u32(r, x, x->s); break;
		case PK_S_MAX_SRC_CONN_RATE:
			s->max_src_conn_rate = res_u32(r, x, x->s);
			s->max_src_conn_secs = res_u32(r, x, x->s2);
			break;
		case PK_S_SOURCE_TRACK:
			s->src_track = (uint8_t)x->n;
			*bare_track = x->n == PK_SRCTRACK_NONE;
			break;
		case PK_S_POLICY: s->policy = (uint8_t)x->n; break;
		case PK_S_SLOPPY: s->sloppy = true; break;
		case PK_S_NO_SYNC: s->no_sync = true; break;
		case PK_S_PFLOW: s->pflow = true; break;
		case PK_S_OVERLOAD:
			/* pf attaches the table when it loads the rule: one no
			 * line declares starts empty, and overload fills it */
			if (pk_res_table_find(r, x->s) < 0) {
				uint32_t t = pk_res_table_add(r, x->s, &x->loc); /* may move the tables */
				r->rs->tables[t].undeclared = true;
			}
			s->overload_table = x->s;
			s->overload_flush = x->n >= 1;
			s->overload_flush_global = x->n == 2;
			break;
		default: res_state_timeout(r, x, s); break;
		}
	}
}

static void res_state(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	bool bare_track = false;
	ir->state = (uint8_t)o->n;
	res_state_list(r, o->sub, &ir->sopts, &bare_track);
	res_state_defaults(r, o, &ir->sopts, bare_track);
}

/* set state-defaults: the state options of every pass rule after it that
 * writes no state of its own (pfctl: a written keep state replaces them). */
void pk_res_state_from_defaults(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_rule *ir)
{
	bool bare_track = false;
	if (!r->state_defaults || ir->action != PK_ACT_PASS)
		return;
	for (const struct pk_ast_opt *o = ar->opts; o; o = o->next)
		if (o->kind == PK_O_STATE)
			return;
	res_state_list(r, r->state_defaults, &ir->sopts, &bare_track);
	res_state_defaults(r, r->state_defaults, &ir->sopts, bare_track);
}

/* pf's source-hash key: 0x and 32 hex digits as given, or the MD5 of a text. */
static const char *res_hash_key(struct pk_res *r, const struct pk_ast_opt *pools)
{
	const struct pk_ast_opt *k = NULL;
	for (const struct pk_ast_opt *p = pools; p; p = p->next)
		if (p->s)
			k = p;
	if (!k)
		return NULL;
	uint8_t d[16];
	size_t len = strlen(k->s);
	bool hex = len == 34 && k->s[0] == '0' && (k->s[1] == 'x' || k->s[1] == 'X');
	for (size_t i = 2; hex && i < len; i++)
		hex = strchr("0123456789abcdefABCDEF", k->s[i]) != NULL;
	if (hex) {
		for (int i = 0; i < 16; i++) {
			char byte[3] = {k->s[2 + 2 * i], k->s[3 + 2 * i], 0};
			d[i] = (uint8_t)strtoul(byte, NULL, 16);
		}
	} else if (len > 2 && k->s[0] == '0' && (k->s[1] == 'x' || k->s[1] == 'X')) {
		pk_error(r->d, &k->loc, "source-hash key '%s' must be 0x and 32 hex digits, or a text", k->s);
		return NULL;
	} else {
		pk_md5(k->s, len, d);
	}
	char out[35] = "0x";
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 + 2 * i, 3, "%02x", d[i]);
	return pk_arena_strdup(r->a, out);
}

/* A pool that is a table or an interface's dynamic addresses is used
 * round-robin unless another method is written (pf's rule). */
void pk_res_pool_default(struct pk_ir_nat *n)
{
	if (n->npool == 1 && n->pool[0].kind == PK_ADDR_TABLE && !(n->pool_opts & PK_POOL_METHODS))
		n->pool_opts |= PK_POOL_ROUND_ROBIN;
}

/* A pool of several addresses becomes a table, as pfctl makes one. */
struct pk_ir_addr pk_res_auto_table(struct pk_res *r, const struct pk_ir_addr *v, uint32_t n)
{
	uint32_t idx = pk_res_table_add(r, pk_arena_printf(r->a, "__automatic_%u", r->nauto++), NULL);
	struct pk_ir_table *t = &r->rs->tables[idx];
	t->is_const = true;
	t->entries = pk_arena_array(r->a, n, sizeof(*t->entries));
	for (uint32_t i = 0; i < n; i++)
		if (v[i].kind == PK_ADDR_PREFIX)
			t->entries[t->nentries++].pfx = v[i].pfx;
	t->ninline = t->nentries;
	struct pk_ir_addr a = {.kind = PK_ADDR_TABLE, .table = idx};
	return a;
}

/* "N", "N:M" or "N:*" after nat-to/rdr-to ... port. */
static void res_nat_port(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_nat *n)
{
	const char *colon = strchr(o->s, ':');
	char *lo = colon ? pk_arena_strndup(r->a, o->s, (size_t)(colon - o->s)) : (char *)o->s;
	if (!pk_res_port_value(r, lo, &o->loc, &n->port_lo))
		return;
	n->port_hi = n->port_lo;
	if (colon && strcmp(colon + 1, "*"))
		pk_res_port_value(r, colon + 1, &o->loc, &n->port_hi);
	else if (colon)
		n->port_hi = 65535;
}

static void res_nat(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	struct pk_addr_vec v = {0};
	pk_res_hosts(r, o->hosts, &v);
	ir->nat.kind = (uint8_t)o->n;
	if (ir->action >= PK_ACT_NAT)
		ir->nat.kind = ir->action == PK_ACT_NAT ? PK_NAT_NAT_TO
			     : ir->action == PK_ACT_RDR ? PK_NAT_RDR_TO : PK_NAT_BINAT_TO;
	ir->nat.pool = v.v;
	ir->nat.npool = v.n;
	if (o->s)
		res_nat_port(r, o, &ir->nat);
	for (const struct pk_ast_opt *p = o->sub; p; p = p->next)
		ir->nat.pool_opts |= (uint8_t)p->n;
	ir->nat.hash_key = res_hash_key(r, o->sub);
	pk_res_pool_default(&ir->nat);
}

static void res_route_opt(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	struct pk_addr_vec v = {0};
	const struct pk_ast_host *h = o->hosts;
	ir->route.kind = (uint8_t)o->n;
	if (h && h->kind == PK_H_ADDR && !h->b && h->mask < 0 && pk_ir_iface_find(r->rs, h->a)) {
		ir->route.ifname = h->a; /* route-to IF */
		return;
	}
	if (!pk_res_hosts(r, h, &v) || !v.n)
		return;
	ir->route.addr = v.v[0];
	ir->route.ifname = h->b ? h->b : v.v[0].ifname;
	const char *colon = ir->route.ifname ? strchr(ir->route.ifname, ':') : NULL;
	if (colon) /* (tun0:peer): the interface is tun0 */
		ir->route.ifname = pk_arena_strndup(r->a, ir->route.ifname, (size_t)(colon - ir->route.ifname));
	if (v.v[0].kind == PK_ADDR_PREFIX)
		ir->route.gw = v.v[0].pfx;
	for (const struct pk_ast_opt *p = o->sub; p; p = p->next)
		ir->route.pool_opts |= (uint8_t)p->n;
	ir->route.hash_key = res_hash_key(r, o->sub);
	if (v.n > 1)
		ir->route.addr = pk_res_auto_table(r, v.v, v.n);
	if (ir->route.addr.kind == PK_ADDR_TABLE && !(ir->route.pool_opts & PK_POOL_METHODS))
		ir->route.pool_opts |= PK_POOL_ROUND_ROBIN;
}

static void res_scrub(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir)
{
	struct pk_ir_scrub *s = &ir->scrub;
	s->set = true;
	for (const struct pk_ast_opt *x = o->sub; x; x = x->next) {
		uint64_t v = 0;
		switch (x->kind) {
		case PK_C_NO_DF: s->no_df = true; break;
		case PK_C_RANDOM_ID: s->random_id = true; break;
		case PK_C_FRAGMENT_REASSEMBLE: s->fragment_reassemble = true; break;
		case PK_C_REASSEMBLE_TCP:
			if (strcmp(x->s, "tcp"))
				pk_error(r->d, &x->loc, "reassemble takes tcp: reassemble tcp");
			s->reassemble_tcp = true;
			break;
		case PK_C_MAX_MSS:
			if (pk_res_number(r, x->s, &x->loc, 65535, &v))
				s->max_mss = (uint16_t)v;
			break;
		case PK_C_MIN_TTL:
			if (pk_res_number(r, x->s, &x->loc, 255, &v))
				s->min_ttl = (uint8_t)v;
			break;
		default: res_tos(r, x->s, &x->loc, &s->set_tos); break;
		}
	}
}

bool pk_res_rule_opts(struct pk_res *r, const struct pk_ast_opt *opts, struct pk_ir_rule *ir)
{
	bool flags_written = false;
	for (const struct pk_ast_opt *o = opts; o; o = o->next) {
		switch (o->kind) {
		case PK_O_FLAGS: res_flags(r, o, ir); flags_written = true; break;
		case PK_O_TOS: res_tos(r, o->s, &o->loc, &ir->tos); break;
		case PK_O_ALLOWOPTS: ir->allow_opts = true; break;
		case PK_O_FRAGMENT: ir->fragment = true; break;
		case PK_O_LABEL: ir->label = o->s; break;
		case PK_O_TAG: ir->tag = o->s; break;
		case PK_O_CARRIED:
			ir->carried = ir->carried ? pk_arena_printf(r->a, "%s %s", ir->carried, o->s) : o->s;
			break;
		case PK_O_TAGGED: ir->tagged = o->s; ir->tagged_neg = o->n != 0; break;
		case PK_O_PROB: res_probability(r, o, ir); break;
		case PK_O_STATE: res_state(r, o, ir); break;
		case PK_O_NAT: res_nat(r, o, ir); break;
		case PK_O_ROUTE: res_route_opt(r, o, ir); break;
		case PK_O_SCRUB: res_scrub(r, o, ir); break;
		case PK_O_DIVERT: pk_res_divert(r, o, ir); break;
		case PK_O_AFTO: pk_res_afto(r, o, ir); break;
		default: break; /* PK_O_ICMP: expanded per rule */
		}
	}
	return flags_written;
}
