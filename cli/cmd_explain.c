/*
 * cli/cmd_explain.c: `picket explain RULES 'PACKET'`: how the ruleset
 * treats one packet written like a rule: every filter rule that matches on
 * the way, the deciding rule, the state it creates, the route out and the
 * verdict of the out rules on the egress interface.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/irload.h"
#include "cli/json_out.h"
#include "verify/eval.h"
#include "verify/json_text.h"
#include "verify/lint.h"
#include "verify/lint_out.h"

/* Matching rules listed per step; a file where more match than this on one
 * packet is a generated one, and the rest are counted. */
#define PK_EXPLAIN_MAX_MATCHED 256

static void usage(FILE *out)
{
	fprintf(out, "usage: picket explain [--format text|json] [--topology FILE] [--root DIR] [-D NAME=VALUE]\n"
		     "                      [--color WHEN] RULES 'PACKET'\n"
		     "PACKET is written like a rule, for example\n"
		     "  'tcp from 192.168.1.10 port 5555 to 10.0.0.5 port 443 in on lan0 flags S'\n"
		     "(also: inet6, out, icmp-type N code N, tos N, tagged NAME, proto N).\n");
}

/* One direction's evaluation: the packet as it met the rules, the rules
 * that matched on the way, and the result. */
struct step {
	const char *title;
	struct pk_vpkt pkt;
	uint32_t matched[PK_EXPLAIN_MAX_MATCHED];
	unsigned nmatched, more; /* more: matches beyond the array, counted only */
	struct pk_eval_result res;
};

/* Where a packet passed in goes: the firewall itself, nowhere (no route),
 * out on an interface, or to a local socket (divert-to). */
enum route { ROUTE_NOT_ASKED, ROUTE_LOCAL, ROUTE_NONE, ROUTE_OUT, ROUTE_DIVERT };

struct explanation {
	struct step step[2];
	unsigned nsteps;
	enum route route;
	const char *via;
	bool afto;              /* af-to translated the packet: no out step (pf forwards it as generated) */
	struct pk_vpkt afto_pkt; /* the packet af-to made */
};

static void visit(void *ctx, uint32_t rule)
{
	struct step *st = ctx;
	if (st->nmatched < PK_EXPLAIN_MAX_MATCHED)
		st->matched[st->nmatched++] = rule;
	else
		st->more++;
}

static const char *const pk_state_names[] = {"no state", "keep state", "modulate state", "synproxy state"};

static bool evaluate(const struct pk_ir_ruleset *rs, struct explanation *x, const struct pk_vpkt *p)
{
	struct step *st = &x->step[x->nsteps++];
	st->title = p->dir == PK_DIR_OUT ? "packet out" : "packet in";
	st->pkt = *p;
	pk_eval_filter(rs, p, &st->res, visit, st);
	return st->res.pass;
}

/* The in step, the route, and the out step on the egress interface. */
static void explain(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, struct explanation *x)
{
	memset(x, 0, sizeof *x);
	if (!evaluate(rs, x, p) || p->dir == PK_DIR_OUT)
		return;
	const struct pk_eval_result *in = &x->step[0].res;
	if (in->rule != PK_EVAL_NONE && rs->rules[in->rule].divert.kind == PK_DIVERT_TO) {
		x->route = ROUTE_DIVERT;
		return;
	}
	struct pk_vpkt out = in->out;
	if (in->rule != PK_EVAL_NONE && rs->rules[in->rule].afto.af) {
		x->afto = pk_eval_afto(&rs->rules[in->rule], &in->out, &x->afto_pkt);
		if (!x->afto) {
			x->route = ROUTE_NONE; /* pf_translate_af refuses it: dropped */
			return;
		}
		out = x->afto_pkt;
	}
	if (pk_eval_is_self(rs, out.af, out.dst)) {
		x->route = ROUTE_LOCAL;
		return;
	}
	x->via = pk_eval_route(rs, out.af, out.dst);
	x->route = x->via ? ROUTE_OUT : ROUTE_NONE;
	if (x->afto) {
		x->afto_pkt.dir = PK_DIR_OUT;
		x->afto_pkt.ifname = x->via;
	}
	if (!x->via || x->afto)
		return;
	out.dir = PK_DIR_OUT;
	out.rcvif = p->ifname;
	out.ifname = x->via;
	evaluate(rs, x, &out);
}

static void show_rule(const struct pk_ir_ruleset *rs, uint32_t i, const char *indent)
{
	char line[640];
	pk_lint_rule_line(rs, i, line, sizeof line);
	printf("%s%s\n", indent, line);
}

static const char *verdict_text(const struct pk_ir_ruleset *rs, const struct pk_eval_result *res)
{
	if (res->pass)
		return "pass";
	return rs->rules[res->rule].block == PK_BLOCK_DROP ? "block (drop)" : "block (return)";
}

static void state_text(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, char *buf, size_t size)
{
	const uint8_t pol = r->sopts.policy ? r->sopts.policy : rs->opts.state_policy;
	snprintf(buf, size, "%s%s%s", pk_state_names[r->state < 4 ? r->state : 0],
		 r->state && r->sopts.sloppy ? " (sloppy)" : "",
		 r->state ? (pol == PK_POLICY_FLOATING ? ", floating" : ", if-bound") : "");
}

static void print_step(const struct pk_ir_ruleset *rs, const struct step *st)
{
	char buf[512];
	const struct pk_eval_result *res = &st->res;
	pk_vpkt_format(&st->pkt, buf, sizeof(buf));
	printf("%s: %s\n  rules matched on the way:\n", st->title, buf);
	for (unsigned k = 0; k < st->nmatched; k++)
		show_rule(rs, st->matched[k], "    ");
	if (st->more)
		printf("    (and %u more)\n", st->more);
	if (res->nat_rule != PK_EVAL_NONE) {
		pk_vpkt_format(&res->out, buf, sizeof(buf));
		printf("  translated by rule %u (%s:%u): the rules after it and the route see\n    %s%s\n", res->nat_rule,
		       rs->rules[res->nat_rule].loc.file, rs->rules[res->nat_rule].loc.line, buf,
		       res->nat_exact ? "" : "\n    (the pool's first address and the port as it came: at run time the "
					     "pool's option and the port allocation choose)");
	}
	if (res->skipped) {
		printf("  interface %s is under 'set skip': pf passes without filtering\n", st->pkt.ifname);
		return;
	}
	if (res->rule == PK_EVAL_NONE) {
		const struct pk_ir_rule *older = res->nat_rule == PK_EVAL_NONE ? NULL : &rs->rules[res->nat_rule];
		if (older && older->natpass)
			printf("  deciding rule: none: rule %u has 'pass', no filter rule sees the packet; pf's default "
			       "rule passes it, with the translation's state\n",
			       res->nat_rule);
		else if (older && older->action >= PK_ACT_NAT)
			printf("  deciding rule: none: pf's default pass, with the translation's state\n");
		else
			printf("  deciding rule: none: pf's default pass (no state)\n");
		return;
	}
	const struct pk_ir_rule *r = &rs->rules[res->rule];
	printf("  deciding rule%s:\n", r->quick ? " (quick: evaluation stops there)" : " (the last match)");
	show_rule(rs, res->rule, "    ");
	printf("  verdict: %s\n", verdict_text(rs, res));
	if (res->pass && st->pkt.fragment) {
		printf("  state: none (pf keeps no state for a fragment)\n");
	} else if (res->pass) {
		state_text(rs, r, buf, sizeof buf);
		printf("  state: %s\n", buf);
	}
}

static void print_text(const struct pk_ir_ruleset *rs, const struct explanation *x)
{
	print_step(rs, &x->step[0]);
	if (x->afto) {
		char buf[512];
		pk_vpkt_format(&x->afto_pkt, buf, sizeof(buf));
		printf("  af-to: translated to %s\n", buf);
	}
	if (x->route == ROUTE_DIVERT) {
		const struct pk_ir_rule *r = &rs->rules[x->step[0].res.rule];
		char buf[128];
		pk_prefix_format(&r->divert.addr, buf, sizeof(buf));
		printf("  diverted to %s port %u: delivered, unchanged, to a local socket; not forwarded\n", buf,
		       r->divert.port);
	} else if (x->route == ROUTE_LOCAL)
		printf("route: the destination is the firewall's own address: delivered locally\n");
	else if (x->route == ROUTE_NONE)
		printf("route: no route to the destination in the topology: dropped by the stack\n");
	else if (x->route == ROUTE_OUT)
		printf("route: out on %s%s\n", x->via,
		       x->afto ? " without meeting the out rules (pf forwards it as generated)" : "");
	if (x->nsteps > 1)
		print_step(rs, &x->step[1]);
}

static json_t *step_json(const struct pk_ir_ruleset *rs, const struct step *st)
{
	const struct pk_eval_result *res = &st->res;
	json_t *matched = json_array();
	for (unsigned k = 0; k < st->nmatched; k++)
		json_array_append_new(matched, pk_cli_rule_json(rs, st->matched[k]));
	json_t *o = json_pack("{s:s, s:o, s:o, s:i, s:b}", "direction", st->pkt.dir == PK_DIR_OUT ? "out" : "in",
			      "packet", pk_vpkt_json(&st->pkt, NULL), "matched", matched, "more_matched", st->more,
			      "skipped", res->skipped);
	json_object_set_new(o, "translated",
			    res->nat_rule == PK_EVAL_NONE
				    ? json_null()
				    : json_pack("{s:o, s:o, s:b}", "rule", pk_cli_rule_json(rs, res->nat_rule), "packet",
						pk_vpkt_json(&res->out, NULL), "exact", res->nat_exact));
	const bool ruled = !res->skipped && res->rule != PK_EVAL_NONE;
	json_object_set_new(o, "deciding_rule", ruled ? pk_cli_rule_json(rs, res->rule) : json_null());
	json_object_set_new(o, "verdict", pk_json_text(ruled ? verdict_text(rs, res) : "pass"));
	char state[64];
	if (ruled && res->pass)
		state_text(rs, &rs->rules[res->rule], state, sizeof state);
	json_object_set_new(o, "state", ruled && res->pass ? pk_json_text(state) : json_null());
	return o;
}

static int print_json(const struct pk_ir_ruleset *rs, const struct explanation *x)
{
	static const char *const routes[] = {[ROUTE_NOT_ASKED] = NULL, [ROUTE_LOCAL] = "local", [ROUTE_NONE] = "none",
					     [ROUTE_OUT] = "out", [ROUTE_DIVERT] = "divert"};
	json_t *steps = json_array();
	for (unsigned i = 0; i < x->nsteps; i++)
		json_array_append_new(steps, step_json(rs, &x->step[i]));
	const struct step *last = &x->step[x->nsteps - 1];
	const bool passes = last->res.pass && x->route != ROUTE_NONE;
	json_t *doc = json_pack("{s:o, s:s?, s:o, s:s}", "steps", steps, "route", routes[x->route], "egress",
				pk_json_text(x->via), "verdict", passes ? "pass" : "block");
	if (x->afto)
		json_object_set_new(doc, "afto", pk_vpkt_json(&x->afto_pkt, NULL));
	if (x->route == ROUTE_DIVERT) {
		const struct pk_ir_rule *r = &rs->rules[x->step[0].res.rule];
		char addr[128];
		pk_prefix_format(&r->divert.addr, addr, sizeof(addr));
		json_object_set_new(doc, "divert_to", json_pack("{s:s, s:i}", "address", addr, "port", r->divert.port));
	}
	return pk_cli_json_print(doc);
}

int pk_cmd_explain(int argc, char **argv)
{
	struct pk_cli_irargs ia;
	const char *args[2];
	const int parsed = pk_cli_irargs_two(argc, argv, &ia, args, usage);
	if (parsed)
		return parsed > 0 ? 0 : 2;
	struct pk_vpkt p;
	struct pk_err err;
	char words[1024];
	if (pk_vpkt_parse(args[1], &p, words, sizeof(words), &err) < 0) {
		fprintf(stderr, "picket explain: packet: %s\n", err.msg);
		return 2;
	}
	struct pk_ir_ruleset *rs;
	if (pk_cli_load_ir(args[0], &ia, &rs) < 0)
		return 2;
	struct explanation x;
	explain(rs, &p, &x);
	int rc = 0;
	if (ia.json)
		rc = print_json(rs, &x) < 0 ? 2 : 0;
	else
		print_text(rs, &x);
	pk_ir_ruleset_free(rs);
	return rc;
}
