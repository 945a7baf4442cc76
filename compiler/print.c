/*
 * compiler/print.c: rules back to pfctl -nv text (see compiler/print.h).
 * The order of the words follows pfctl's print_rule, so the OpenBSD
 * regression outputs can be compared line by line.
 */
#include "compiler/print.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/names.h"

void pk_print_addr_str(const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a, char *buf, size_t size)
{
	char p1[64], p2[64];
	const char *neg = a->neg ? "! " : "";
	switch (a->kind) {
	case PK_ADDR_ANY: snprintf(buf, size, "%sany", neg); break;
	case PK_ADDR_NOROUTE: snprintf(buf, size, "%sno-route", neg); break;
	case PK_ADDR_URPF: snprintf(buf, size, "%surpf-failed", neg); break;
	case PK_ADDR_RANGE:
		pk_prefix_format(&a->pfx, p1, sizeof(p1));
		pk_prefix_format(&a->range_end, p2, sizeof(p2));
		snprintf(buf, size, "%s%s - %s", neg, p1, p2);
		break;
	case PK_ADDR_TABLE:
		if (a->ifmod == PK_IFMOD_SELF)
			snprintf(buf, size, "%sself", neg);
		else if (a->ifmod == PK_IFMOD_DYNAMIC && a->pfx.len)
			snprintf(buf, size, "%s(%s)/%u", neg, a->ifname, a->pfx.len);
		else if (a->ifmod == PK_IFMOD_DYNAMIC)
			snprintf(buf, size, "%s(%s)", neg, a->ifname);
		else
			snprintf(buf, size, "%s<%s>", neg, a->table < rs->ntables ? rs->tables[a->table].name : "?");
		break;
	default:
		/* pfctl prints a zero-length prefix as any */
		if (a->pfx.len == 0)
			snprintf(p1, sizeof(p1), "any");
		else
			pk_prefix_format(&a->pfx, p1, sizeof(p1));
		snprintf(buf, size, "%s%s", neg, p1);
		break;
	}
}

/* As pf's label macros write a port: "28", "!=28", "28><29"; pf leaves a
 * lo:hi range out. */
void pk_print_port_str(const struct pk_port_match *p, char *buf, size_t size)
{
	/* as pfctl expands $srcport and $dstport in labels: a range lo:hi
	 * expands to nothing */
	static const char *const ops[] = {"", "", "!=", "<", "<=", ">", ">=", "", "><", "<>"};
	if (p->op == PK_PORT_ANY || p->op == PK_PORT_RANGE)
		buf[0] = '\0';
	else if (p->op == PK_PORT_INSIDE || p->op == PK_PORT_OUTSIDE)
		snprintf(buf, size, "%u%s%u", p->lo, ops[p->op], p->hi);
	else
		snprintf(buf, size, "%s%u", ops[p->op], p->lo);
}

static void print_port(FILE *out, const struct pk_port_match *p)
{
	static const char *const ops[] = {"", "=", "!=", "<", "<=", ">", ">=", ":", "><", "<>"};
	if (p->op == PK_PORT_ANY)
		return;
	if (p->op == PK_PORT_RANGE || p->op == PK_PORT_INSIDE || p->op == PK_PORT_OUTSIDE)
		fprintf(out, " port %u%s%s%s%u", p->lo, p->op == PK_PORT_RANGE ? "" : " ", ops[p->op],
			p->op == PK_PORT_RANGE ? "" : " ", p->hi);
	else
		fprintf(out, " port %s %u", ops[p->op], p->lo);
}

static void print_addr(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a)
{
	char buf[160];
	pk_print_addr_str(rs, a, buf, sizeof(buf));
	fputs(buf, out);
}

static void print_flagbits(FILE *out, uint8_t f)
{
	static const char letters[] = "FSRPAUEW";
	for (int i = 0; i < 8; i++)
		if (f & (1u << i))
			fputc(letters[i], out);
}

static void print_block(FILE *out, const struct pk_ir_rule *r)
{
	char c[48];
	switch (r->block) {
	case PK_BLOCK_RETURN: fputs(" return", out); break;
	case PK_BLOCK_RETURN_RST:
		if (r->return_ttl)
			fprintf(out, " return-rst(ttl %u)", r->return_ttl);
		else
			fputs(" return-rst", out);
		break;
	case PK_BLOCK_RETURN_ICMP:
	case PK_BLOCK_RETURN_ICMP6: {
		int code = r->block == PK_BLOCK_RETURN_ICMP ? r->return_icmp : r->return_icmp6;
		int code6 = r->return_icmp6;
		const char *n4 = pk_icmp_code_name(3, code < 0 ? 3 : code, 4);
		const char *n6 = pk_icmp_code_name(1, code6 < 0 ? 4 : code6, 6);
		if (r->block == PK_BLOCK_RETURN_ICMP && r->af != PK_AF_INET6) {
			snprintf(c, sizeof(c), "%d", code < 0 ? 3 : code);
			fprintf(out, " return-icmp(%s", n4 ? n4 : c);
			if (r->af == PK_AF_ANY) {
				snprintf(c, sizeof(c), "%d", code6 < 0 ? 4 : code6);
				fprintf(out, ", %s", n6 ? n6 : c);
			}
			fputc(')', out);
		} else {
			snprintf(c, sizeof(c), "%d", code6 < 0 ? 4 : code6);
			fprintf(out, " return-icmp6(%s)", n6 ? n6 : c);
		}
		break;
	}
	default: fputs(" drop", out); break;
	}
}

/* log, log (all), log (all, to pflog1): pfctl's order, all first */
static void print_log(FILE *out, const struct pk_ir_rule *r)
{
	fputs(" log", out);
	if (r->log_all || r->log_opts)
		fprintf(out, " (%s%s%s)", r->log_all ? "all" : "", r->log_all && r->log_opts ? ", " : "",
			r->log_opts ? r->log_opts : "");
}

static void print_head(FILE *out, const struct pk_ir_rule *r)
{
	static const char *const actions[] = {"pass", "block", "match", "scrub", "nat", "rdr", "binat"};
	if (r->action >= PK_ACT_NAT && r->nat.kind == PK_NAT_NONE)
		fputs("no ", out);
	fputs(actions[r->action], out);
	if (r->natpass)
		fputs(" pass", out);
	if (r->action == PK_ACT_BLOCK)
		print_block(out, r);
	if (r->action < PK_ACT_NAT)
		fputs(r->dir == PK_DIR_IN ? " in" : r->dir == PK_DIR_OUT ? " out" : "", out);
	if (r->log)
		print_log(out, r);
	if (r->quick)
		fputs(" quick", out);
	if (r->ifc.name)
		fprintf(out, " on %s%s", r->ifc.neg ? "! " : "", r->ifc.name);
	fputs(r->af == PK_AF_INET ? " inet" : r->af == PK_AF_INET6 ? " inet6" : "", out);
	if (r->proto) {
		const char *n = pk_proto_name(r->proto);
		if (n)
			fprintf(out, " proto %s", n);
		else
			fprintf(out, " proto %u", r->proto);
	}
}

static bool is_any(const struct pk_ir_addr *a)
{
	return !a->neg && (a->kind == PK_ADDR_ANY || (a->kind == PK_ADDR_PREFIX && a->pfx.len == 0));
}

static void print_fromto(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	if (is_any(&r->src) && is_any(&r->dst) &&
	    r->sport.op == PK_PORT_ANY && r->dport.op == PK_PORT_ANY) {
		fputs(" all", out);
		return;
	}
	fputs(" from ", out);
	print_addr(out, rs, &r->src);
	print_port(out, &r->sport);
	fputs(" to ", out);
	print_addr(out, rs, &r->dst);
	print_port(out, &r->dport);
}

static void print_icmp(FILE *out, const struct pk_ir_rule *r)
{
	if (r->icmp_type < 0)
		return;
	int af = r->proto == 58 ? 6 : 4;
	const char *t = pk_icmp_type_name(r->icmp_type, af);
	fprintf(out, " %s ", af == 6 ? "icmp6-type" : "icmp-type");
	if (t)
		fputs(t, out);
	else
		fprintf(out, "%d", r->icmp_type);
	if (r->icmp_code >= 0) {
		const char *c = pk_icmp_code_name(r->icmp_type, r->icmp_code, af);
		if (c)
			fprintf(out, " code %s", c);
		else
			fprintf(out, " code %d", r->icmp_code);
	}
}

static bool has_state_opts(const struct pk_state_opts *s)
{
	for (int i = 0; i < PK_TMO_COUNT; i++)
		if (s->timeouts[i] != PK_TMO_UNSET)
			return true;
	return s->max || s->max_src_nodes || s->max_src_states || s->max_src_conn || s->max_src_conn_rate ||
	       s->src_track || s->policy || s->sloppy || s->no_sync || s->pflow || s->overload_table;
}

static void print_state_opts(FILE *out, const struct pk_state_opts *s)
{
	static const char *const tmo[] = {
#define PK_TMO_NAME(id, nm, n, hl, c, a) nm,
		PK_TIMEOUTS(PK_TMO_NAME)
#undef PK_TMO_NAME
	};
	const char *sep = " (";
#define PK_SOPT(...) do { fputs(sep, out); fprintf(out, __VA_ARGS__); sep = ", "; } while (0)
	if (s->max)
		PK_SOPT("max %u", s->max);
	if (s->no_sync)
		PK_SOPT("no-sync");
	if (s->src_track)
		PK_SOPT("source-track%s", s->src_track == PK_SRCTRACK_GLOBAL ? " global" : " rule");
	if (s->max_src_states)
		PK_SOPT("max-src-states %u", s->max_src_states);
	if (s->max_src_conn)
		PK_SOPT("max-src-conn %u", s->max_src_conn);
	if (s->max_src_conn_rate)
		PK_SOPT("max-src-conn-rate %u/%u", s->max_src_conn_rate, s->max_src_conn_secs);
	if (s->max_src_nodes)
		PK_SOPT("max-src-nodes %u", s->max_src_nodes);
	if (s->overload_table)
		PK_SOPT("overload <%s>%s%s", s->overload_table, s->overload_flush ? " flush" : "",
			s->overload_flush_global ? " global" : "");
	if (s->policy)
		PK_SOPT("%s", s->policy == PK_POLICY_FLOATING ? "floating" : "if-bound");
	if (s->sloppy)
		PK_SOPT("sloppy");
	if (s->pflow)
		PK_SOPT("pflow");
	/* pfctl's order: src.track comes after the adaptive thresholds */
	for (int k = 0; k <= PK_TMO_COUNT; k++) {
		int i = k == PK_TMO_COUNT ? PK_TMO_SRC_TRACK : k;
		if ((k == PK_TMO_COUNT || i != PK_TMO_SRC_TRACK) && s->timeouts[i] != PK_TMO_UNSET)
			PK_SOPT("%s %u", tmo[i], s->timeouts[i]);
	}
#undef PK_SOPT
	fputc(')', out);
}

/* The shortest percentage that resolves back to the same value, in fixed
 * notation as pfctl writes it: "50%", "0.5%". */
static void print_probability(FILE *out, uint32_t prob)
{
	double pct = prob / 4294967295.0 * 100.0;
	char buf[40];
	for (int digits = 0; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*f", digits, pct);
		if (pk_ir_probability(strtod(buf, NULL) / 100.0) == prob)
			break;
	}
	fprintf(out, " probability %s%%", buf);
}

static void print_state(FILE *out, const struct pk_ir_rule *r)
{
	bool opts = has_state_opts(&r->sopts);
	if (r->state == PK_STATE_NONE && r->action == PK_ACT_PASS)
		fputs(" no state", out);
	else if (r->state == PK_STATE_KEEP && opts)
		fputs(" keep state", out);
	else if (r->state == PK_STATE_MODULATE)
		fputs(" modulate state", out);
	else if (r->state == PK_STATE_SYNPROXY)
		fputs(" synproxy state", out);
	if (opts && r->state != PK_STATE_NONE)
		print_state_opts(out, &r->sopts);
	if (r->probability)
		print_probability(out, r->probability);
}

static void print_pool(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_addr *v, uint32_t n)
{
	if (n > 1)
		fputs("{ ", out);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		print_addr(out, rs, &v[i]);
	}
	if (n > 1)
		fputs(" }", out);
}

static void print_pool_opts(FILE *out, uint8_t o, const char *key)
{
	static const char *const names[] = {"bitmask", "random", "source-hash", "round-robin", "static-port",
					    "sticky-address"};
	for (int i = 0; i < 6; i++) {
		if (o & (1u << i))
			fprintf(out, " %s", names[i]);
		if ((o & (1u << i)) && (1u << i) == PK_POOL_SOURCE_HASH && key)
			fprintf(out, " %s", key);
	}
}

static void print_nat(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	static const char *const kinds[] = {"", " nat-to ", " rdr-to ", " binat-to "};
	const struct pk_ir_nat *n = &r->nat;
	if (n->kind == PK_NAT_NONE)
		return;
	fputs(r->action >= PK_ACT_NAT ? " -> " : kinds[n->kind], out);
	print_pool(out, rs, n->pool, n->npool);
	if (n->port_lo && n->port_hi != n->port_lo)
		fprintf(out, " port %u:%u", n->port_lo, n->port_hi);
	else if (n->port_lo)
		fprintf(out, " port %u", n->port_lo);
	print_pool_opts(out, n->pool_opts, n->hash_key);
}

static void print_route(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	static const char *const kinds[] = {"", " route-to ", " reply-to ", " dup-to "};
	if (r->route.kind == PK_ROUTE_NONE)
		return;
	fputs(kinds[r->route.kind], out);
	if (r->route.addr.kind == PK_ADDR_ANY && r->route.ifname)
		fputs(r->route.ifname, out);
	else
		print_addr(out, rs, &r->route.addr);
	print_pool_opts(out, r->route.pool_opts, r->route.hash_key);
}

static void print_scrub(FILE *out, const struct pk_ir_rule *r)
{
	const struct pk_ir_scrub *s = &r->scrub;
	if (!s->set)
		return;
	bool old = r->action == PK_ACT_SCRUB;
	const char *sep = old ? " " : " scrub (";
#define PK_SCR(...) do { fputs(sep, out); fprintf(out, __VA_ARGS__); sep = " "; } while (0)
	if (s->no_df)
		PK_SCR("no-df");
	if (s->random_id)
		PK_SCR("random-id");
	if (s->min_ttl)
		PK_SCR("min-ttl %u", s->min_ttl);
	if (s->reassemble_tcp)
		PK_SCR("reassemble tcp");
	if (s->max_mss)
		PK_SCR("max-mss %u", s->max_mss);
	if (s->set_tos >= 0)
		PK_SCR("set-tos 0x%2.2x", s->set_tos);
	if (s->fragment_reassemble)
		PK_SCR("fragment reassemble");
#undef PK_SCR
	if (!old)
		fputs(strcmp(sep, " scrub (") ? ")" : "())", out);
}

/* A quoted string the scanner reads back as pfctl does: " escaped; a
 * backslash is kept when read before anything but the quote or a blank, so
 * only one before those is doubled. */
static void print_divert(FILE *out, const struct pk_ir_rule *r)
{
	char a[64];
	switch (r->divert.kind) {
	case PK_DIVERT_TO:
		pk_prefix_format(&r->divert.addr, a, sizeof(a));
		fprintf(out, " divert-to %s port %u", a, r->divert.port);
		break;
	case PK_DIVERT_REPLY: fputs(" divert-reply", out); break;
	case PK_DIVERT_PACKET: fprintf(out, " divert-packet port %u", r->divert.port); break;
	default: break;
	}
}

static void print_afto(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	if (!r->afto.af)
		return;
	fprintf(out, " af-to %s from ", r->afto.af == PK_AF_INET ? "inet" : "inet6");
	print_addr(out, rs, &r->afto.from);
	if (r->afto.to.kind != PK_ADDR_ANY) {
		fputs(" to ", out);
		print_addr(out, rs, &r->afto.to);
	}
}

static void print_quoted(FILE *out, const char *prefix, const char *s)
{
	fprintf(out, "%s\"", prefix);
	for (; *s; s++) {
		if (*s == '"' || (*s == '\\' && (s[1] == '"' || s[1] == ' ' || s[1] == '\t')))
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void pk_print_rule(FILE *out, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	print_head(out, r);
	print_fromto(out, rs, r);
	if (r->user)
		fprintf(out, " user %s", r->user);
	if (r->group)
		fprintf(out, " group %s", r->group);
	if (r->flagmask) {
		fputs(" flags ", out);
		print_flagbits(out, r->flags);
		fputc('/', out);
		print_flagbits(out, r->flagmask);
	} else if (r->action == PK_ACT_PASS && r->state != PK_STATE_NONE && (r->proto == 0 || r->proto == 6) &&
		   !r->fragment) {
		fputs(" flags any", out);
	}
	print_icmp(out, r);
	if (r->tos >= 0)
		fprintf(out, " tos 0x%2.2x", r->tos);
	if (r->action < PK_ACT_NAT)
		print_state(out, r);
	if (r->fragment)
		fputs(" fragment", out);
	if (r->allow_opts)
		fputs(" allow-opts", out);
	if (r->label && *r->label)
		print_quoted(out, " label ", r->label);
	if (r->tag)
		fprintf(out, " tag %s", r->tag);
	if (r->tagged)
		fprintf(out, " %stagged %s", r->tagged_neg ? "! " : "", r->tagged);
	if (r->rcv.name)
		fprintf(out, " received-on %s%s", r->rcv.neg ? "! " : "", r->rcv.name);
	print_divert(out, r);
	print_scrub(out, r);
	print_route(out, rs, r);
	print_nat(out, rs, r);
	print_afto(out, rs, r);
	if (r->carried)
		fprintf(out, " %s", r->carried);
}
