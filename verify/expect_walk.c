/*
 * verify/expect_walk.c: the steps pf takes with one packet and its
 * connection, rule by rule (the reference evaluator, verify/eval.c): what
 * a policy test's failure is explained with, the way `picket explain`
 * explains a packet.
 */
#include <string.h>

#include "verify/eval.h"
#include "verify/expect.h"

static bool add_step(struct pk_expect_result *res, const char *what, const struct pk_vpkt *p,
		     struct pk_eval_result *ev, const struct pk_ir_ruleset *rs)
{
	pk_eval_filter(rs, p, ev, NULL, NULL);
	if (res->nsteps < PK_EXPECT_MAX_STEPS)
		res->steps[res->nsteps++] = (struct pk_expect_step){what, *p, ev->pass, ev->rule};
	return ev->pass;
}

static struct pk_vpkt reply_of(const struct pk_vpkt *p, uint8_t flags)
{
	struct pk_vpkt r = *p;
	memcpy(r.src, p->dst, 16);
	memcpy(r.dst, p->src, 16);
	r.sport = p->dport;
	r.dport = p->sport;
	r.dir = p->dir == PK_DIR_IN ? PK_DIR_OUT : PK_DIR_IN;
	r.flags = p->proto == 6 ? flags : 0;
	return r;
}

/* One side: the packet, and when its rule keeps no state, the rest of its
 * connection on the same interface. */
static bool side(const struct pk_ir_ruleset *rs, enum pk_expect_kind kind, const struct pk_vpkt *p,
		 struct pk_expect_result *res, struct pk_eval_result *ev)
{
	if (!add_step(res, p->dir == PK_DIR_IN ? "in" : "out", p, ev, rs))
		return false;
	/* af-to keeps state whatever the rule says: a translation makes one */
	const bool keeps = ev->skipped || (ev->rule != PK_EVAL_NONE && (rs->rules[ev->rule].state != PK_STATE_NONE ||
									rs->rules[ev->rule].afto.af));
	if (kind == PK_EXPECT_BLOCK || keeps || (p->proto != 6 && p->proto != 17))
		return true;
	struct pk_eval_result e2;
	struct pk_vpkt q = *p;
	if (p->proto == 6) {
		q.flags = PK_TH_ACK;
		if (!add_step(res, "later packet (no state)", &q, &e2, rs))
			return false;
	}
	q = reply_of(p, PK_TH_SYN | PK_TH_ACK);
	if (!add_step(res, "reply (no state)", &q, &e2, rs))
		return false;
	q = reply_of(p, PK_TH_ACK);
	return p->proto != 6 || add_step(res, "reply (no state)", &q, &e2, rs);
}

void pk_expect_walk(const struct pk_ir_ruleset *rs, enum pk_expect_kind kind, const struct pk_vpkt *p,
		    struct pk_expect_result *res)
{
	struct pk_eval_result ev;
	res->nsteps = 0;
	if (!side(rs, kind, p, res, &ev) || p->dir == PK_DIR_OUT || rs->nifaces == 0)
		return;
	const struct pk_ir_rule *afto = ev.rule != PK_EVAL_NONE && rs->rules[ev.rule].afto.af ? &rs->rules[ev.rule] : NULL;
	struct pk_vpkt out = ev.out;
	if (afto && !pk_eval_afto(afto, &ev.out, &out)) {
		if (res->nsteps < PK_EXPECT_MAX_STEPS)
			res->steps[res->nsteps++] = (struct pk_expect_step){"af-to cannot map it", out, false, ev.rule};
		return;
	}
	if (pk_eval_is_self(rs, out.af, out.dst))
		return;
	out.ifname = pk_eval_route(rs, out.af, out.dst);
	out.dir = PK_DIR_OUT;
	if (!out.ifname) {
		if (res->nsteps < PK_EXPECT_MAX_STEPS)
			res->steps[res->nsteps++] = (struct pk_expect_step){"no route", out, false, PK_EVAL_NONE};
		return;
	}
	/* pf forwards what af-to made without the out rules */
	if (afto && res->nsteps < PK_EXPECT_MAX_STEPS)
		res->steps[res->nsteps++] = (struct pk_expect_step){"af-to, out without the out rules", out, true, ev.rule};
	else if (!afto)
		side(rs, kind, &out, res, &ev);
}
