/*
 * runtime/engine_ahead.c: rule walks made by a reading thread ahead of the
 * engine (struct pk_decision_ahead in engine.h). The thread walks a copy
 * of the engine's fields that the walk reads; they do not change while
 * the rules stay loaded, and none of them shares a cache line with what
 * the engine writes at every packet.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/engine_priv.h"

struct pk_engine_ahead {
	struct pk_engine e; /* the walk's fields only; the rest stays zero */
	struct pk_dcache dc;
};

/* A table that overload adds to and a rule reads changes what the rules
 * decide while they stay loaded, under the reading thread's feet. */
static bool tables_grow(const struct pk_engine *e)
{
	for (uint32_t k = 0; k < e->nrules; k++)
		if (pk_rs_table_read(e->rs, e->rules[k].overload_table))
			return true;
	return false;
}

struct pk_engine_ahead *pk_engine_ahead_new(const struct pk_engine *e)
{
	struct pk_engine_ahead *a;

	if (e->has_probability || tables_grow(e) || !(a = calloc(1, sizeof(*a))))
		return NULL;
	a->e.rs = e->rs;
	a->e.rules = e->rules;
	a->e.nrules = e->nrules;
	a->e.binat = e->binat;
	a->e.nbinat = e->nbinat;
	a->e.tests_tos = e->tests_tos;
	a->e.tests_owner = e->tests_owner;
	a->e.match_translates = e->match_translates;
	a->e.tcp_mask = e->tcp_mask;
	pk_dc_init(&a->dc, e->dc.seed);
	return a;
}

void pk_engine_ahead_free(struct pk_engine_ahead *a)
{
	if (!a)
		return;
	pk_dc_fini(&a->dc);
	free(a);
}

/* The context of a walk ahead: no counters, no draws, no translation. */
static void walk_ctx(const struct pk_pkt *p, uint8_t dir, uint16_t iface, uint16_t tag, uint16_t rcvif, size_t *len,
		     struct pk_ctx *x)
{
	memset(x, 0, offsetof(struct pk_ctx, p));
	x->iface = iface;
	x->dir = dir;
	x->len = len;
	x->tag_in = tag;
	x->rcvif = rcvif;
	x->probe = x->plain = true;
	x->p = *p;
	x->ahead = NULL;
}

void pk_engine_ahead_pass(struct pk_engine_ahead *a, const struct pk_pkt *p, uint8_t dir, uint16_t iface,
			  uint16_t tag, uint16_t rcvif, struct pk_pass_ahead *w)
{
	pk_eng_ahead_key(&a->e, p, dir, iface, tag, rcvif, &w->m, &w->key);
	w->hash = pk_dc_hash(a->dc.seed, &w->key);
	w->dir = dir;
	w->iface = iface;
	w->tag = tag;
	w->rcvif = rcvif;
	pk_dc_prefetch(&a->dc, w->hash);
}

void pk_engine_decide_pass(struct pk_engine_ahead *a, const struct pk_pkt *p, const struct pk_pass_ahead *w,
			   struct pk_decision_ahead *out)
{
	struct pk_ctx x;
	struct pk_match_pkt m = w->m;
	size_t len = p->tot_len;
	bool hit;
	struct pk_dc_entry *c = pk_dc_slot_at(&a->dc, &w->key, w->hash, &hit);

	out->key = w->key;
	out->valid = false;
	if (hit) {
		out->entry = *c;
		out->valid = true;
		return;
	}
	if (p->fragment) /* met by the fragment cache first */
		return;
	walk_ctx(p, w->dir, w->iface, w->tag, w->rcvif, &len, &x);
	if (!pk_eng_walk_ahead(&a->e, &x, &m, &out->entry))
		return;
	out->valid = true;
	pk_dc_keep(&a->dc, c, &out->key, &out->entry);
}

static const struct pk_rs_rule *rule_of(const struct pk_engine_ahead *a, const struct pk_decision_ahead *d)
{
	return d->entry.rule < a->e.nrules ? &a->e.rules[d->entry.rule] : NULL;
}

bool pk_engine_ahead_passes(const struct pk_engine_ahead *a, const struct pk_decision_ahead *d)
{
	const struct pk_rs_rule *r = rule_of(a, d);
	return !r || r->action == PK_ACT_PASS;
}

bool pk_engine_ahead_keeps_state(const struct pk_engine_ahead *a, const struct pk_decision_ahead *d)
{
	const struct pk_rs_rule *r = rule_of(a, d);
	return r && r->action == PK_ACT_PASS && r->state != PK_STATE_NONE;
}
