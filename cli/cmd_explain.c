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
#include "verify/eval.h"
#include "verify/lint.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: picket explain [--topology FILE] [-D NAME=VALUE] RULES 'PACKET'\n"
		     "PACKET is written like a rule, for example\n"
		     "  'tcp from 192.168.1.10 port 5555 to 10.0.0.5 port 443 in on lan0 flags S'\n"
		     "(also: inet6, out, icmp-type N code N, tos N, tagged NAME, proto N).\n");
}

struct explain_ctx {
	const struct pk_ir_ruleset *rs;
	const char *indent;
};

static void show_rule(const struct pk_ir_ruleset *rs, uint32_t i, const char *indent)
{
	const struct pk_ir_rule *r = &rs->rules[i];
	size_t len = 0;
	const char *text = pk_lint_source_line(rs, r->loc.file, r->loc.line, &len);
	while (text && len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	printf("%srule %u at %s:%u: %.*s\n", indent, i, r->loc.file ? r->loc.file : "?", r->loc.line,
	       text ? (int)len : 0, text ? text : "");
}

static void visit(void *ctx, uint32_t rule)
{
	const struct explain_ctx *x = ctx;
	show_rule(x->rs, rule, x->indent);
}

static const char *const pk_state_names[] = {"no state", "keep state", "modulate state", "synproxy state"};

/* Evaluate one direction; returns the verdict, and in *after the packet
 * as it leaves (translated). */
/* What became of a packet: blocked, passed, or passed to a local socket. */
enum fate { BLOCKED, PASSED, DIVERTED };

static enum fate evaluate(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, const char *title,
			  struct pk_vpkt *after)
{
	char buf[512];
	pk_vpkt_format(p, buf, sizeof(buf));
	printf("%s: %s\n", title, buf);
	struct explain_ctx x = {rs, "    "};
	struct pk_eval_result res;
	printf("  rules matched on the way:\n");
	pk_eval_filter(rs, p, &res, visit, &x);
	*after = res.out;
	if (res.nat_rule != PK_EVAL_NONE) {
		pk_vpkt_format(&res.out, buf, sizeof(buf));
		printf("  translated by rule %u (%s:%u): the rules after it and the route see\n    %s%s\n", res.nat_rule,
		       rs->rules[res.nat_rule].loc.file, rs->rules[res.nat_rule].loc.line, buf,
		       res.nat_exact ? "" : "\n    (the pool's first address and the port as it came: at run time the "
					    "pool's option and the port allocation choose)");
	}
	if (res.skipped) {
		printf("  interface %s is under 'set skip': pf passes without filtering\n", p->ifname);
		return PASSED;
	}
	if (res.rule == PK_EVAL_NONE) {
		printf("  deciding rule: none: pf's default pass (no state)\n");
		return PASSED;
	}
	const struct pk_ir_rule *r = &rs->rules[res.rule];
	printf("  deciding rule%s:\n", r->quick ? " (quick: evaluation stops there)" : " (the last match)");
	show_rule(rs, res.rule, "    ");
	printf("  verdict: %s\n", res.pass ? "pass" : r->block == PK_BLOCK_DROP ? "block (drop)" : "block (return)");
	if (res.pass) {
		const uint8_t pol = r->sopts.policy ? r->sopts.policy : rs->opts.state_policy;
		printf("  state: %s%s%s\n", pk_state_names[r->state < 4 ? r->state : 0],
		       r->state && r->sopts.sloppy ? " (sloppy)" : "",
		       r->state ? (pol == PK_POLICY_FLOATING ? ", floating" : ", if-bound") : "");
	}
	if (res.pass && r->divert.kind == PK_DIVERT_TO) {
		pk_prefix_format(&r->divert.addr, buf, sizeof(buf));
		printf("  diverted to %s port %u: delivered, unchanged, to a local socket; not forwarded\n", buf,
		       r->divert.port);
		return DIVERTED;
	}
	return res.pass ? PASSED : BLOCKED;
}

static bool is_self(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p)
{
	for (uint32_t i = 0; i < rs->nifaces; i++)
		for (uint32_t k = 0; k < rs->ifaces[i].naddrs; k++)
			if (rs->ifaces[i].addrs[k].af == p->af && !memcmp(rs->ifaces[i].addrs[k].addr, p->dst, 16))
				return true;
	return false;
}

static void explain(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p)
{
	struct pk_vpkt out, last;

	if (evaluate(rs, p, p->dir == PK_DIR_OUT ? "packet out" : "packet in", &out) != PASSED || p->dir == PK_DIR_OUT)
		return;
	if (is_self(rs, &out)) {
		printf("route: the destination is the firewall's own address: delivered locally\n");
		return;
	}
	const char *via = pk_eval_route(rs, out.af, out.dst);
	if (!via) {
		printf("route: no route to the destination in the topology: dropped by the stack\n");
		return;
	}
	printf("route: out on %s\n", via);
	out.dir = PK_DIR_OUT;
	out.rcvif = p->ifname;
	out.ifname = via;
	evaluate(rs, &out, "packet out", &last);
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
	explain(rs, &p);
	pk_ir_ruleset_free(rs);
	return 0;
}
