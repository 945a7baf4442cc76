/*
 * compiler/print_options.c: the non-rule lines of `picket print -v` (set
 * options, tables, topology) and the ruleset walk.
 */
#include "compiler/print.h"

#include <string.h>

static void print_table(FILE *out, const struct pk_ir_table *t)
{
	char buf[64];
	fprintf(out, "table <%s>%s%s%s", t->name, t->persist ? " persist" : "", t->is_const ? " const" : "",
		t->counters ? " counters" : "");
	/* entries read from files are not repeated: the file is named instead */
	for (uint32_t i = 0; i < t->nfiles; i++)
		fprintf(out, " file \"%s\"", t->files[i]);
	/* a table without files has all its entries inline (whoever built it) */
	uint32_t ninline = t->nfiles ? t->ninline : t->nentries;
	if (ninline) {
		fputs(" {", out);
		for (uint32_t i = 0; i < ninline; i++) {
			pk_prefix_format(&t->entries[i].pfx, buf, sizeof(buf));
			fprintf(out, "%s %s%s", i ? "," : "", t->entries[i].neg ? "!" : "", buf);
		}
		fputs(" }", out);
	}
	fputc('\n', out);
}

static void print_topology(FILE *out, const struct pk_ir_ruleset *rs)
{
	char buf[64];
	for (uint32_t i = 0; i < rs->nifaces; i++) {
		const struct pk_ir_iface *f = &rs->ifaces[i];
		fprintf(out, "interface %s", f->name);
		for (uint32_t j = 0; j < f->naddrs; j++) {
			pk_prefix_format(&f->addrs[j], buf, sizeof(buf));
			fprintf(out, "%s%s%s", j ? ", " : " address ", buf,
				f->addrs[j].len == (f->addrs[j].af == PK_AF_INET ? 32 : 128)
					? (f->addrs[j].af == PK_AF_INET ? "/32" : "/128") : "");
		}
		for (uint32_t j = 0; j < f->npeers; j++) {
			pk_prefix_format(&f->peers[j], buf, sizeof(buf));
			fprintf(out, "%s%s", j ? ", " : " peer ", buf);
		}
		if (f->has_mac)
			fprintf(out, " mac %02x:%02x:%02x:%02x:%02x:%02x", f->mac[0], f->mac[1], f->mac[2], f->mac[3],
				f->mac[4], f->mac[5]);
		for (uint32_t j = 0; j < f->ngroups; j++)
			fprintf(out, "%s%s", j ? ", " : " group ", f->groups[j]);
		fputc('\n', out);
	}
	for (uint32_t i = 0; i < rs->nroutes; i++) {
		const struct pk_ir_route *r = &rs->routes[i];
		if (r->connected)
			continue;
		if (r->dst.af == PK_AF_INET && r->dst.len == 0)
			snprintf(buf, sizeof(buf), "default");
		else
			pk_prefix_format(&r->dst, buf, sizeof(buf));
		fprintf(out, "route %s via %s", buf, r->ifname);
		if (r->gw.af) {
			pk_prefix_format(&r->gw, buf, sizeof(buf));
			fprintf(out, " gateway %s", buf);
		}
		fputc('\n', out);
	}
}

static void print_sets(FILE *out, const struct pk_ir_options *o)
{
	static const char *const tmo[] = {
#define PK_TMO_NAME(id, nm, n, hl, c, a) nm,
		PK_TIMEOUTS(PK_TMO_NAME)
#undef PK_TMO_NAME
	};
	static const char *const opt[] = {"normal", "high-latency", "conservative", "aggressive"};
	static const char *const lim[] = {"states", "frags", "src-nodes", "table-entries"};
	if (o->optimization)
		fprintf(out, "set optimization %s\n", opt[o->optimization]);
	for (int i = 0; i < PK_TMO_COUNT; i++)
		if (o->timeout_set[i])
			fprintf(out, "set timeout %s %u\n", tmo[i], o->timeouts[i]);
	for (int i = 0; i < PK_LIMIT_COUNT; i++)
		if (o->limit_set[i])
			fprintf(out, "set limit %s %u\n", lim[i], o->limits[i]);
	if (o->block_policy == PK_BLOCKPOL_RETURN)
		fputs("set block-policy return\n", out);
	if (o->state_policy == PK_POLICY_FLOATING)
		fputs("set state-policy floating\n", out);
	for (uint32_t i = 0; i < o->nskip; i++)
		fprintf(out, "set skip on %s\n", o->skip[i]);
	if (o->debug)
		fprintf(out, "set debug %s\n", o->debug);
	if (o->loginterface)
		fprintf(out, "set loginterface %s\n", o->loginterface);
	if (o->hostid_set)
		fprintf(out, "set hostid %u\n", o->hostid);
	if (o->ruleset_optimization)
		fprintf(out, "set ruleset-optimization %s\n", o->ruleset_optimization);
	if (o->reassemble_set)
		fprintf(out, "set reassemble %s%s\n", o->reassemble_no ? "no" : "yes",
			o->reassemble_nodf ? " no-df" : "");
}

void pk_print_ruleset(FILE *out, const struct pk_ir_ruleset *rs, unsigned flags)
{
	if (flags & PK_PRINT_OPTIONS) {
		print_topology(out, rs);
		print_sets(out, &rs->opts);
		for (uint32_t i = 0; i < rs->ntables; i++)
			if (!rs->tables[i].implicit)
				print_table(out, &rs->tables[i]);
		for (uint32_t i = 0; i < rs->ncarried; i++)
			fprintf(out, "%s\n", rs->carried[i].text);
	}
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		/* a statement with an unsupported feature is printed as written,
		 * once for the rules its lists made */
		if (r->text && i && rs->rules[i - 1].text == r->text)
			continue;
		if (flags & PK_PRINT_NUMBERS)
			fprintf(out, "@%u ", r->nr);
		if (r->text)
			fputs(r->text, out);
		else
			pk_print_rule(out, rs, r);
		if ((flags & PK_PRINT_LINES) && r->loc.line)
			fprintf(out, "  # line %u", r->loc.line);
		fputc('\n', out);
	}
}
