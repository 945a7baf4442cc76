/*
 * verify/lint_replay.c: every witness through the runtime's own engine
 * before its finding is printed. The ruleset is compiled as `picket
 * compile` writes it and loaded as picketd loads it; each witness goes as
 * real bytes, with no state left from the one before, through the replay
 * engine (runtime/replay.h), which evaluates it in on its interface and,
 * when it passes and is routed on, out on the egress. What decides it
 * there must be what the finding says: the reference evaluator's rule and
 * verdict, and the rules and outcome of the finding's kind. A finding
 * whose witness disagrees is an inconsistency of the linter, not a fact
 * about the ruleset: it is withheld and counted, and told on the debug
 * stream when there is one.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/encode.h"
#include "runtime/replay.h"
#include "runtime/ruleset.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"
#include "verify/wire.h"

/* States, fragments and source nodes the engine holds for the check. */
#define PK_REPLAY_LIMIT 64
/* A fixed clock: each witness meets an empty state table anyway. */
#define PK_REPLAY_NOW_NS 1000000000ull

/* What the engine did with a witness: the step the witness names (in or
 * out on its interface) and, for a packet passed in and forwarded, the
 * out step on the egress. Rules are PK_LINT_NO_RULE when none decided. */
struct outcome {
	uint32_t rule;
	bool pass;
	uint8_t reason; /* enum pk_drop_reason when blocked */
	bool forwarded;
	uint32_t out_rule;
	bool out_pass;
};

static bool passed(uint8_t kind)
{
	return kind == PK_V_PASS || kind == PK_V_HOLD; /* held: synproxy answers for a pass rule */
}

static uint32_t rule_of(uint32_t rt)
{
	return rt == PK_RT_NO_RULE ? PK_LINT_NO_RULE : rt;
}

static uint16_t tag_id(const struct pk_rs *rs, const char *tag)
{
	for (uint32_t t = 1; tag && t <= pk_rs_ntags(rs); t++)
		if (!strcmp(pk_rs_tag_name(rs, t), tag))
			return (uint16_t)t;
	return 0;
}

static bool run(struct pk_replay *rp, const struct pk_vpkt *w, struct outcome *o)
{
	uint8_t buf[PK_WIRE_MAX + 64];
	size_t len = pk_vpkt_wire(w, buf, PK_WIRE_MAX);
	if (!len)
		return false;
	static const struct pk_state_filter every = {0};
	pk_engine_kill_states(rp->engine, &every);
	const uint16_t ifc = w->ifname ? pk_rs_iface_find(rp->rs, w->ifname) : PK_RT_NO_IFACE;
	const uint16_t tag = tag_id(rp->rs, w->tag);
	memset(o, 0, sizeof(*o));
	if (w->dir == PK_DIR_IN && !tag) {
		struct pk_replay_result res;
		pk_replay_packet(rp, PK_REPLAY_NOW_NS, ifc, buf, &len, sizeof(buf), &res);
		o->rule = rule_of(res.in.v.rule);
		o->pass = passed(res.in.v.kind);
		o->reason = res.in.v.reason;
		o->forwarded = res.out.done;
		o->out_rule = rule_of(res.out.v.rule);
		o->out_pass = passed(res.out.v.kind);
		return true;
	}
	struct pk_verdict v;
	pk_engine_packet_tagged(rp->engine, PK_REPLAY_NOW_NS, ifc, w->dir, tag, buf, &len, sizeof(buf), &v);
	o->rule = rule_of(v.rule);
	o->pass = passed(v.kind);
	o->reason = v.reason;
	return true;
}

static bool names(const struct pk_lint_finding *f, uint32_t rule)
{
	for (unsigned k = 0; k < f->nrelated; k++)
		if (f->related[k].rule == rule)
			return true;
	return false;
}

/* A quick match rule the finding names stops evaluation before the rule
 * on the witness: then whatever matched before it decides. */
static bool stopped(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f)
{
	for (unsigned k = 0; k < f->nrelated; k++) {
		const uint32_t j = f->related[k].rule;
		if (j != PK_LINT_NO_RULE && j < f->rule && rs->rules[j].action == PK_ACT_MATCH && rs->rules[j].quick &&
		    pk_eval_match(rs, &rs->rules[j], &f->witness))
			return true;
	}
	return false;
}

static uint8_t action_of(const struct pk_ir_ruleset *rs, uint32_t rule)
{
	return rule == PK_LINT_NO_RULE ? PK_ACT_PASS : rs->rules[rule].action;
}

/* A rule the finding names decides the witness instead of the rule, with
 * another action when the finding says so. */
static const char *taken_from(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f,
			      const struct outcome *o)
{
	const struct pk_ir_rule *r = &rs->rules[f->rule];
	if (!pk_eval_match(rs, r, &f->witness))
		return "the rule does not match its witness";
	if (o->rule == f->rule || (!names(f, o->rule) && !stopped(rs, f)))
		return "no rule the finding names decides the witness";
	const bool other = f->id == PK_LINT_PARTIALLY_SHADOWED || f->id == PK_LINT_OVERRIDDEN ||
			   (f->id == PK_LINT_SHADOWED && f->sev == PK_SEV_ERROR);
	if (other && action_of(rs, o->rule) == r->action)
		return "the deciding rule has the rule's own action";
	return NULL;
}

/* Why the engine's outcome is not the finding's, or NULL when it is. */
static const char *disagreement(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *f,
				const struct outcome *o)
{
	struct pk_eval_result ev;
	pk_eval_filter(rs, &f->witness, &ev, NULL, NULL);
	const uint32_t er = ev.rule == PK_EVAL_NONE ? PK_LINT_NO_RULE : ev.rule;
	if (o->rule != er || o->pass != ev.pass)
		return "the engine and the reference evaluator decide it differently";
	const bool on_rule = f->rule != PK_LINT_NO_RULE;
	switch (f->id) {
	case PK_LINT_SHADOWED:
	case PK_LINT_PARTIALLY_SHADOWED:
	case PK_LINT_OVERRIDDEN:
		return on_rule ? taken_from(rs, f, o) : "the finding names no rule";
	case PK_LINT_IMPLICIT_PASS:
		return o->rule == PK_LINT_NO_RULE && o->pass ? NULL : "a rule decides the witness";
	case PK_LINT_NO_STATE_TCP:
	case PK_LINT_EXPOSURE:
		return on_rule && o->rule == f->rule && o->pass ? NULL : "the rule does not pass the witness";
	case PK_LINT_EGRESS_BLOCKED:
		if (!on_rule || o->rule != f->rule || !o->pass)
			return "the rule does not pass the witness in";
		if (!o->forwarded || o->out_pass || (f->nrelated && f->related[0].rule != o->out_rule))
			return "the named out rule does not block it on the egress";
		return NULL;
	case PK_LINT_CORRELATED:
		return on_rule && f->nrelated && pk_eval_match(rs, &rs->rules[f->rule], &f->witness) &&
				       pk_eval_match(rs, &rs->rules[f->related[0].rule], &f->witness)
			       ? NULL
			       : "the two rules do not both match the witness";
	default:
		return NULL;
	}
}

static void tell(FILE *debug, const struct pk_lint_finding *f, const char *why, const struct outcome *o)
{
	char w[512];
	pk_vpkt_format(&f->witness, w, sizeof(w));
	fprintf(debug, "picket lint: internal inconsistency: %s:%u: [%s] %s; witness: %s; engine: ",
		f->loc.file ? f->loc.file : "-", f->loc.line, pk_lint_id_name(f->id), why, w);
	if (o->rule == PK_LINT_NO_RULE)
		fprintf(debug, "no rule, ");
	else
		fprintf(debug, "rule %u, ", o->rule);
	fprintf(debug, "%s%s%s\n", o->pass ? "passed" : "blocked", o->pass ? "" : ", reason ",
		o->pass ? "" : pk_reason_name(o->reason));
}

/* The ruleset as the runtime runs it, or NULL when it cannot be built.
 * One packet at a time holds a state or two: the tables are sized for
 * that, not for the ruleset's limits, which no single packet reaches. */
static struct pk_rs *compiled(const struct pk_ir_ruleset *rs)
{
	struct pk_ir_ruleset small = *rs;
	small.opts.limits[PK_LIMIT_STATES] = PK_REPLAY_LIMIT;
	small.opts.limits[PK_LIMIT_FRAGS] = PK_REPLAY_LIMIT;
	small.opts.limits[PK_LIMIT_SRC_NODES] = PK_REPLAY_LIMIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_rs *out = NULL;
	struct pk_err err;
	if (pk_encode(&small, &buf, &len, &d) == 0 && pk_rs_load(buf, len, &out, &err) < 0)
		out = NULL;
	free(buf);
	pk_diags_free(&d);
	return out;
}

void pk_lint_replay_check(const struct pk_ir_ruleset *rs, struct pk_lint_report *rep, FILE *debug)
{
	unsigned nw = 0;
	for (unsigned i = 0; i < rep->n; i++)
		nw += rep->v[i].has_witness;
	if (!nw)
		return;
	/* A rule with an unsupported feature has no bytecode: the engine cannot
	 * run the ruleset. Lint rests no finding on such a rule (it may match
	 * anything), but the witnesses stay unchecked, and are counted so. */
	for (uint32_t r = 0; r < rs->nrules; r++)
		if (rs->rules[r].unsupported) {
			if (debug)
				fprintf(debug, "picket lint: rule %u holds %s, which the runtime does not run: %u witnesses "
					       "unchecked\n", r, rs->rules[r].unsupported, nw);
			rep->stats.unchecked += nw;
			return;
		}
	struct pk_rs *rt = compiled(rs);
	struct pk_replay rp = {0};
	if (!rt || pk_replay_init(&rp, rt, 1) < 0) {
		pk_replay_fini(&rp);
		if (rt)
			pk_rs_free(rt);
		if (debug)
			fprintf(debug, "picket lint: the engine cannot load the ruleset: %u witnesses unchecked\n", nw);
		rep->stats.unchecked += nw;
		return;
	}
	unsigned k = 0;
	for (unsigned i = 0; i < rep->n; i++) {
		struct pk_lint_finding *f = &rep->v[i];
		struct outcome o = {PK_LINT_NO_RULE, false, 0, false, PK_LINT_NO_RULE, false};
		const char *why = NULL;
		if (f->has_witness) {
			rep->stats.replayed++;
			why = run(&rp, &f->witness, &o) ? disagreement(rs, f, &o) : "the witness cannot be written";
		}
		if (!why) {
			rep->v[k++] = *f;
			continue;
		}
		rep->stats.inconsistent++;
		if (debug)
			tell(debug, f, why, &o);
	}
	rep->n = k;
	pk_replay_fini(&rp);
}
