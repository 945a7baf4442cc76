/*
 * compiler/resolve_owner.c: a rule's socket-owner criteria, `user` and
 * `group` (see enum pk_owner): their ids one rule each, as pfctl expands
 * them, the text printed back, and what each leaves of the rule.
 *
 * pfctl resolves names with the host's user database; picket has none and
 * needs none: a forwarded packet's owner is unknown, which no name or
 * number equals, and a local packet's owner is assumed to be none named.
 * So names are kept as written.
 */
#include "compiler/resolve.h"

#include <stdlib.h>
#include <string.h>

/* What pf's ids go up to: UID_MAX and GID_MAX stand for unknown. */
#define PK_ID_MAX 4294967295ULL

/* What one id leaves of the rule (enum pk_owner): a forwarded packet's
 * owner is unknown, which `= unknown` and `!= NAME` accept (pf_match_uid
 * refuses unknown to every other operator); a local packet's owner is
 * assumed known and named nowhere, which only `!=` accepts. */
static uint8_t id_owner(const struct pk_ast_port *id)
{
	const bool unknown = !strcmp(id->lo, "unknown");
	const bool forwarded = id->op == PK_PORT_EQ ? unknown : id->op == PK_PORT_NE && !unknown;
	const bool local = id->op == PK_PORT_NE;
	return (uint8_t)((forwarded ? 0 : PK_OWNER_LOCAL) | (local ? 0 : PK_OWNER_FORWARDED));
}

/* A user or group as pfctl reads one: unknown, a number below pf's
 * unknown, or a name (which picket cannot look up, and keeps). */
static bool id_value_ok(struct pk_res *r, const struct pk_ast_port *id, const char *v, const char *what)
{
	if (v[0] >= '0' && v[0] <= '9' && v[strspn(v, "0123456789")] == '\0') {
		if (strtoull(v, NULL, 10) < PK_ID_MAX)
			return true;
		pk_error(r->d, &id->loc, "illegal %s value %s", what, v);
		return false;
	}
	/* what user and group names are made of: so the printed rule reads back */
	if (v[0] && v[strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")] == '\0')
		return true;
	pk_error(r->d, &id->loc, "'%s' is not a %s name or number", v, what);
	return false;
}

static bool id_ok(struct pk_res *r, const struct pk_ast_port *id, const char *what)
{
	if (id->op == PK_PORT_RANGE) {
		pk_error(r->d, &id->loc, "'%s:%s' is not a %s: write a range of ids as LOW >< HIGH or LOW <> HIGH",
			 id->lo, id->hi, what);
		return false;
	}
	const bool unknown = !strcmp(id->lo, "unknown") || (id->hi && !strcmp(id->hi, "unknown"));
	if (unknown && id->op != PK_PORT_EQ && id->op != PK_PORT_NE) {
		pk_error(r->d, &id->loc, "%s unknown requires operator = or !=", what);
		return false;
	}
	return (unknown || id_value_ok(r, id, id->lo, what)) && (!id->hi || id_value_ok(r, id, id->hi, what));
}

/* The id as printed back: the operator pfctl reads (none for =), the
 * names and numbers as written. */
static const char *id_text(struct pk_res *r, const struct pk_ast_port *id)
{
	const char *op = "";
	switch (id->op) {
	case PK_PORT_INSIDE:
	case PK_PORT_OUTSIDE:
		return pk_arena_printf(r->a, "%s %s %s", id->lo, id->op == PK_PORT_INSIDE ? "><" : "<>", id->hi);
	case PK_PORT_NE: op = "!= "; break;
	case PK_PORT_LT: op = "< "; break;
	case PK_PORT_LE: op = "<= "; break;
	case PK_PORT_GT: op = "> "; break;
	case PK_PORT_GE: op = ">= "; break;
	default: break;
	}
	return pk_arena_printf(r->a, "%s%s", op, id->lo);
}

static uint32_t count_ids(const struct pk_ast_port *ids)
{
	uint32_t n = 0;
	for (; ids; ids = ids->next)
		n++;
	return n;
}

bool pk_res_owner_ids(struct pk_res *r, const struct pk_ast_rule *ar, bool group, struct pk_owner_id **v,
		      uint32_t *n)
{
	const char *what = group ? "group" : "user";
	const struct pk_ast_opt *first = NULL;
	bool ok = true;
	*n = 0;
	for (const struct pk_ast_opt *o = ar->opts; o; o = o->next)
		if (o->kind == PK_O_OWNER && (o->n != 0) == group) {
			first = first ? first : o;
			*n += count_ids(o->ports);
		}
	*v = pk_arena_array(r->a, *n ? *n : 1, sizeof(**v));
	if (!first) {
		(*v)[0] = (struct pk_owner_id){NULL, PK_OWNER_ANY};
		*n = 1;
		return true;
	}
	if (ar->action != PK_ACT_PASS && ar->action != PK_ACT_BLOCK && ar->action != PK_ACT_MATCH) {
		pk_error(r->d, &first->loc, "%s applies to pass, block and match rules only", what);
		return false;
	}
	/* pfctl puts the ids of each further option in front of those before */
	uint32_t at = *n;
	for (const struct pk_ast_opt *o = first; o; o = o->next) {
		if (o->kind != PK_O_OWNER || (o->n != 0) != group)
			continue;
		at -= count_ids(o->ports);
		uint32_t k = at;
		for (const struct pk_ast_port *id = o->ports; id; id = id->next) {
			ok &= id_ok(r, id, what);
			(*v)[k++] = (struct pk_owner_id){id_text(r, id), id_owner(id)};
		}
	}
	return ok;
}
