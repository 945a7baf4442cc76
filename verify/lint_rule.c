/*
 * verify/lint_rule.c: checks that read one rule or the options alone:
 * block vs reject by interface type (reference: pfSense firewalling
 * fundamentals), state types, what user and group are taken to match, an
 * overload table nothing reads, and `set` values that cannot work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify/lint_priv.h"

static bool is_reject(const struct pk_ir_rule *r)
{
	return r->action == PK_ACT_BLOCK && r->block != PK_BLOCK_DROP;
}

static void check_block_kind(struct pk_lint_ctx *x, const struct pk_ir_rule *r)
{
	if (r->action != PK_ACT_BLOCK || !r->ifc.name || r->ifc.neg)
		return;
	const struct pk_ir_iface *ifc = pk_ir_iface_find(x->rs, r->ifc.name);
	if (!ifc)
		return;
	struct pk_lint_finding *f = NULL;
	/* An out rule's packets come from another interface, and so would its
	 * answer go: what it tells or makes wait is a sender there, not one on
	 * this interface. Only rules that judge packets arriving here count. */
	if (r->dir == PK_DIR_OUT)
		return;
	if (is_reject(r) && ifc->wan && pk_lint_on(x, PK_LINT_REJECT_ON_WAN))
		f = pk_lint_add(x->rep, PK_LINT_REJECT_ON_WAN, r, NULL,
				"block return on WAN interface %s: drop silently there; answers tell scanners a "
				"host is listening",
				ifc->name);
	else if (!is_reject(r) && !ifc->wan && pk_lint_on(x, PK_LINT_BLOCK_ON_INTERNAL))
		f = pk_lint_add(x->rep, PK_LINT_BLOCK_ON_INTERNAL, r, NULL,
				"silent block on internal interface %s: clients wait for a timeout; block return "
				"answers at once",
				ifc->name);
	if (f)
		pk_lint_relate(x->rep, f, NULL, &ifc->loc, "interface %s is declared here%s", ifc->name,
			       ifc->wan ? " (a route through it has a gateway: WAN)" : " (no gateway route: internal)");
}

/* The rule's source text names word. pf (and so the front end) turns
 * synproxy on another protocol into keep state; the text still says it. */
static bool source_says(const struct pk_lint_ctx *x, const struct pk_ir_rule *r, const char *word)
{
	for (uint32_t l = r->loc.line; l && l <= (r->loc.end_line > r->loc.line ? r->loc.end_line : r->loc.line); l++) {
		size_t len;
		const char *s = pk_lint_line(x, r->loc.file, l, &len);
		const char *hash = s ? memchr(s, '#', len) : NULL;
		if (s && memmem(s, hash ? (size_t)(hash - s) : len, word, strlen(word)))
			return true;
	}
	return false;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* One rule expanded from the same source as prev with the same ids: one note is enough. */
static bool same_owner_source(const struct pk_ir_rule *prev, const struct pk_ir_rule *r)
{
	return prev && prev->loc.line == r->loc.line && prev->loc.col == r->loc.col &&
	       str_same(prev->loc.file, r->loc.file) && str_same(prev->user, r->user) && str_same(prev->group, r->group);
}

/* What user and group do: exact for forwarded packets, an assumption for
 * the firewall's own (enum pk_owner); the linter says which. */
static void check_owner(struct pk_lint_ctx *x, const struct pk_ir_rule *prev, const struct pk_ir_rule *r)
{
	if ((!r->user && !r->group) || same_owner_source(prev, r) || !pk_lint_on(x, PK_LINT_SOCKET_OWNER))
		return;
	const bool forwarded = !(r->owner & PK_OWNER_LOCAL), local = !(r->owner & PK_OWNER_FORWARDED);
	pk_lint_add(x->rep, PK_LINT_SOCKET_OWNER, r, NULL,
		    "socket owner%s%s%s%s: %s forwarded packets (pf finds no socket for them: their owner is "
		    "unknown); for the firewall's own packets picket assumes an owner no rule names, so the rule "
		    "matches %s of them%s",
		    r->user ? " user " : "", r->user ? r->user : "", r->group ? " group " : "", r->group ? r->group : "",
		    forwarded ? "matches" : "never matches", local ? "all" : "none",
		    r->proto == 6 || r->proto == 17 ? "" : "; pf ignores it for protocols other than TCP and UDP");
}

static void check_rule(struct pk_lint_ctx *x, const struct pk_ir_rule *r)
{
	check_block_kind(x, r);
	const bool tcp_udp = r->proto == 6 || r->proto == 17;
	if (r->action == PK_ACT_BLOCK && r->proto && pk_lint_on(x, PK_LINT_REJECT_NON_TCP_UDP) &&
	    ((r->block == PK_BLOCK_RETURN && !tcp_udp) || (r->block == PK_BLOCK_RETURN_RST && r->proto != 6)))
		pk_lint_add(x->rep, PK_LINT_REJECT_NON_TCP_UDP, r, NULL,
			    "%s on protocol %u: pf can only drop these silently; use return-icmp or plain block",
			    r->block == PK_BLOCK_RETURN_RST ? "return-rst" : "block return", r->proto);
	if (r->action == PK_ACT_PASS && r->proto && r->proto != 6 && pk_lint_on(x, PK_LINT_SYNPROXY_NON_TCP) &&
	    (r->state == PK_STATE_SYNPROXY || (r->state == PK_STATE_KEEP && source_says(x, r, "synproxy"))))
		pk_lint_add(x->rep, PK_LINT_SYNPROXY_NON_TCP, r, NULL,
			    "synproxy state on protocol %u: synproxy completes TCP handshakes only, pf keeps plain "
			    "state here; write keep state",
			    r->proto);
	if (r->action == PK_ACT_PASS && r->sopts.sloppy && pk_lint_on(x, PK_LINT_SLOPPY_STATE))
		pk_lint_add(x->rep, PK_LINT_SLOPPY_STATE, r, NULL,
			    "sloppy state: no TCP sequence-window checks; survives asymmetric routing but "
			    "accepts forged or out-of-window segments");
}

/* The `set` line whose text contains word, for options without a location. */
static const struct pk_loc *set_line(const struct pk_lint_ctx *x, const char *word)
{
	const struct pk_ir_ruleset *rs = x->rs;
	for (uint32_t k = 0; k < rs->opts.nset; k++) {
		const struct pk_loc *l = &rs->opts.set_locs[k];
		size_t len;
		const char *p = pk_lint_line(x, l->file, l->line, &len);
		if (p && memmem(p, len, word, strlen(word)))
			return l;
	}
	return NULL;
}

static const char *const pk_tmo_names[PK_TMO_COUNT] = {
#define PK_TMO_NAME(id, name, n, hl, c, a) name,
	PK_TIMEOUTS(PK_TMO_NAME)
#undef PK_TMO_NAME
};

/* (longer, shorter): the first should outlast the second. */
static const uint8_t pk_tmo_order[][2] = {
	{PK_TMO_TCP_ESTABLISHED, PK_TMO_TCP_FIRST},   {PK_TMO_TCP_ESTABLISHED, PK_TMO_TCP_OPENING},
	{PK_TMO_TCP_ESTABLISHED, PK_TMO_TCP_CLOSING}, {PK_TMO_UDP_MULTIPLE, PK_TMO_UDP_SINGLE},
	{PK_TMO_OTHER_MULTIPLE, PK_TMO_OTHER_SINGLE}, {PK_TMO_ICMP_FIRST, PK_TMO_ICMP_ERROR},
};

static void check_timeouts(struct pk_lint_ctx *x)
{
	const struct pk_ir_options *o = &x->rs->opts;
	for (size_t k = 0; k < sizeof(pk_tmo_order) / sizeof(pk_tmo_order[0]); k++) {
		const unsigned a = pk_tmo_order[k][0], b = pk_tmo_order[k][1];
		if ((o->timeout_set[a] || o->timeout_set[b]) && o->timeouts[a] < o->timeouts[b] &&
		    pk_lint_on(x, PK_LINT_TIMEOUT_ORDER))
			pk_lint_add(x->rep, PK_LINT_TIMEOUT_ORDER, NULL, &o->timeout_loc[o->timeout_set[a] ? a : b],
				    "timeout %s (%us) is shorter than %s (%us): states expire in the wrong order",
				    pk_tmo_names[a], o->timeouts[a], pk_tmo_names[b], o->timeouts[b]);
	}
	const uint32_t start = o->timeouts[PK_TMO_ADAPTIVE_START], end = o->timeouts[PK_TMO_ADAPTIVE_END];
	const bool set = o->timeout_set[PK_TMO_ADAPTIVE_START] || o->timeout_set[PK_TMO_ADAPTIVE_END];
	if (set && end <= start && (start || end) && pk_lint_on(x, PK_LINT_ADAPTIVE_ORDER))
		pk_lint_add(x->rep, PK_LINT_ADAPTIVE_ORDER, NULL,
			    &o->timeout_loc[o->timeout_set[PK_TMO_ADAPTIVE_END] ? PK_TMO_ADAPTIVE_END
										 : PK_TMO_ADAPTIVE_START],
			    "adaptive.end (%u states) is not above adaptive.start (%u states)", end, start);
}

static uint64_t machine_memory(void)
{
	const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
}

/* About 1 KB per state (pfSense's figure for sizing the state table). */
#define PK_STATE_BYTES 1024ULL

static void check_states_memory(struct pk_lint_ctx *x)
{
	const struct pk_ir_options *o = &x->rs->opts;
	const uint64_t mem = x->o->mem_bytes ? x->o->mem_bytes : machine_memory();
	const uint64_t need = (uint64_t)o->limits[PK_LIMIT_STATES] * PK_STATE_BYTES;
	if (!o->limit_set[PK_LIMIT_STATES] || !mem || need <= mem)
		return;
	static const struct pk_loc none = {0};
	const struct pk_loc *l = set_line(x, "states");
	pk_lint_add(x->rep, PK_LINT_STATES_MEMORY, NULL, l ? l : &none,
		    "set limit states %u needs about %llu MB (1 KB per state), more than the %llu MB of memory",
		    o->limits[PK_LIMIT_STATES], (unsigned long long)(need >> 20), (unsigned long long)(mem >> 20));
}

/* overload <t> where no rule reads <t>: the offender is added and never
 * stopped. A table some rule reads with a name one typo away is offered,
 * with the first rule reading it. One finding a table, at its first
 * overload. */
static void check_overloads(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	const struct pk_ir_rule **reader = calloc(rs->ntables + 1, sizeof(*reader));
	const char **read = calloc(rs->ntables + 1, sizeof(*read));
	uint32_t *read_table = calloc(rs->ntables + 1, sizeof(*read_table));
	bool *told = calloc(rs->ntables + 1, sizeof(*told));
	unsigned n = 0;

	for (uint32_t i = 0; reader && i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		const struct pk_ir_addr *side[2] = {&r->src, &r->dst};
		for (int k = 0; k < 2 && !r->unsupported; k++)
			if (side[k]->kind == PK_ADDR_TABLE && side[k]->table < rs->ntables && !reader[side[k]->table])
				reader[side[k]->table] = r;
	}
	for (uint32_t t = 0; reader && read && read_table && t < rs->ntables; t++)
		if (reader[t] && !rs->tables[t].implicit) {
			read_table[n] = t;
			read[n++] = rs->tables[t].name;
		}
	for (uint32_t i = 0; reader && read && read_table && told && i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		const struct pk_ir_table *t =
			r->unsupported || !r->sopts.overload_table ? NULL : pk_ir_table_find(rs, r->sopts.overload_table);
		if (!t || reader[t - rs->tables] || told[t - rs->tables])
			continue;
		told[t - rs->tables] = true;
		const char *best = pk_did_you_mean(t->name, read, n);
		struct pk_lint_finding *f =
			pk_lint_add(x->rep, PK_LINT_OVERLOAD_UNREAD, r, NULL,
				    "overload <%s>: no rule reads the table, so a source over the limit is added to it "
				    "and its next connections pass as before%s%s%s",
				    t->name, best ? " (did you mean <" : "", best ? best : "", best ? ">?)" : "");
		for (unsigned k = 0; f && best && k < n; k++)
			if (read[k] == best)
				pk_lint_relate(x->rep, f, reader[read_table[k]], NULL, "this rule reads <%s>", best);
	}
	free(reader);
	free(read);
	free(read_table);
	free(told);
}

void pk_lint_rules(struct pk_lint_ctx *x)
{
	for (uint32_t i = 0; i < x->rs->nrules; i++) {
		if (x->rs->rules[i].unsupported)
			continue;
		check_rule(x, &x->rs->rules[i]);
		check_owner(x, i ? &x->rs->rules[i - 1] : NULL, &x->rs->rules[i]);
	}
	if (pk_lint_on(x, PK_LINT_OVERLOAD_UNREAD))
		check_overloads(x);
	if (pk_lint_on(x, PK_LINT_TIMEOUT_ORDER) || pk_lint_on(x, PK_LINT_ADAPTIVE_ORDER))
		check_timeouts(x);
	if (pk_lint_on(x, PK_LINT_STATES_MEMORY))
		check_states_memory(x);
}
