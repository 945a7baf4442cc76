/*
 * verify/z3_encode.c: the symbolic packet, its domain, pf's decision as a
 * formula, and reading witnesses back from models.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/z3_encode.h"

static void on_z3_error(Z3_context c, Z3_error_code e)
{
	/* Only a malformed formula (a bug here) reaches this: say so loudly. */
	fprintf(stderr, "picket: internal Z3 error: %s\n", Z3_get_error_msg(c, e));
	abort();
}

static unsigned name_find(const char *const *v, unsigned n, const char *name)
{
	for (unsigned k = 0; k < n; k++)
		if (!strcmp(v[k], name))
			return k + 1;
	return 0;
}

static void name_add(const char ***v, unsigned *n, unsigned *cap, const char *name)
{
	if (!name || name_find(*v, *n, name))
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = pk_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = name;
}

static void add_names(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	z->xl_rs = NULL; /* a ruleset (perhaps at a freed one's address): its translations are built afresh */
	z->closed |= rs->nifaces > 0;
	z->frags |= rs->opts.reassemble_no;
	for (uint32_t i = 0; i < rs->nifaces; i++)
		name_add(&z->ifnames, &z->nif, &z->capif, rs->ifaces[i].name);
	for (uint32_t i = 0; i < rs->nroutes; i++)
		name_add(&z->ifnames, &z->nif, &z->capif, rs->routes[i].ifname);
	for (uint32_t i = 0; i < rs->opts.nskip; i++)
		name_add(&z->ifnames, &z->nif, &z->capif, rs->opts.skip[i]);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		name_add(&z->ifnames, &z->nif, &z->capif, rs->rules[i].ifc.name);
		name_add(&z->ifnames, &z->nif, &z->capif, rs->rules[i].rcv.name);
		name_add(&z->tags, &z->ntag, &z->captag, rs->rules[i].tag);
		name_add(&z->tags, &z->ntag, &z->captag, rs->rules[i].tagged);
	}
}

Z3_solver pk_z3_solver(struct pk_z3 *z)
{
	Z3_solver s = Z3_mk_solver(z->c);
	Z3_solver_inc_ref(z->c, s);
	/* A question the solver cannot settle in this time stays unanswered:
	 * callers report only what it proves. */
	Z3_params prm = Z3_mk_params(z->c);
	Z3_params_inc_ref(z->c, prm);
	Z3_params_set_uint(z->c, prm, Z3_mk_string_symbol(z->c, "timeout"), PK_Z3_TIMEOUT_MS);
	Z3_solver_set_params(z->c, s, prm);
	Z3_params_dec_ref(z->c, prm);
	return s;
}

int pk_z3_init(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *other)
{
	memset(z, 0, sizeof(*z));
	Z3_config cfg = Z3_mk_config();
	if (!cfg)
		return -1;
	Z3_set_param_value(cfg, "model", "true");
	z->c = Z3_mk_context(cfg);
	Z3_del_config(cfg);
	if (!z->c)
		return -1;
	Z3_set_error_handler(z->c, on_z3_error);
	Z3_global_param_set("smt.core.minimize", "true");
	z->s = pk_z3_solver(z);
#define PK_Z3_FIELD_MK(name, bits) \
	z->p.name = Z3_mk_const(z->c, Z3_mk_string_symbol(z->c, "p." #name), Z3_mk_bv_sort(z->c, bits));
	PK_Z3_FIELDS(PK_Z3_FIELD_MK)
#undef PK_Z3_FIELD_MK
	add_names(z, rs);
	if (other)
		add_names(z, other);
	return 0;
}

void pk_z3_fini(struct pk_z3 *z)
{
	if (!z->c)
		return;
	Z3_solver_dec_ref(z->c, z->s);
	Z3_del_context(z->c);
	free(z->ifnames);
	free(z->tags);
	free(z->xl);
	memset(z, 0, sizeof(*z));
}




unsigned pk_z3_iface_index(const struct pk_z3 *z, const char *name)
{
	return name ? name_find(z->ifnames, z->nif, name) : 0;
}

static Z3_ast field_is(struct pk_z3 *z, Z3_ast f, uint64_t v)
{
	return Z3_mk_eq(z->c, f, pk_z3_bv(z->c, v, Z3_get_bv_sort_size(z->c, Z3_get_sort(z->c, f))));
}

static Z3_ast implies(Z3_context c, Z3_ast a, Z3_ast b)
{
	return Z3_mk_implies(c, a, b);
}

Z3_ast pk_z3_domain(struct pk_z3 *z)
{
	Z3_context c = z->c;
	const Z3_ast v4 = field_is(z, z->p.af, PK_AF_INET), v6 = field_is(z, z->p.af, PK_AF_INET6);
	const Z3_ast tcp = field_is(z, z->p.proto, 6), udp = field_is(z, z->p.proto, 17);
	const Z3_ast tu[2] = {tcp, udp};
	const Z3_ast icmp4[2] = {v4, field_is(z, z->p.proto, 1)}, icmp6[2] = {v6, field_is(z, z->p.proto, 58)};
	const Z3_ast icmp[2] = {Z3_mk_and(c, 2, icmp4), Z3_mk_and(c, 2, icmp6)};
	const Z3_ast fam[2] = {v4, v6};
	const Z3_ast dirs[2] = {field_is(z, z->p.dir, PK_DIR_IN), field_is(z, z->p.dir, PK_DIR_OUT)};
	const Z3_ast low96_src = field_is(z, Z3_mk_extract(c, 95, 0, z->p.src), 0);
	const Z3_ast low96_dst = field_is(z, Z3_mk_extract(c, 95, 0, z->p.dst), 0);
	const Z3_ast no_ports[2] = {field_is(z, z->p.sport, 0), field_is(z, z->p.dport, 0)};
	const Z3_ast no_icmp[2] = {field_is(z, z->p.itype, 0), field_is(z, z->p.icode, 0)};
	const Z3_ast frag = field_is(z, z->p.frag, 1);
	/* a fragment shows no upper-layer header: its fields are 0 */
	const Z3_ast no_l4[3] = {Z3_mk_and(c, 2, no_ports), Z3_mk_and(c, 2, no_icmp), field_is(z, z->p.flags, 0)};
	const Z3_ast v[] = {
		Z3_mk_or(c, 2, fam),
		Z3_mk_or(c, 2, dirs),
		implies(c, v4, Z3_mk_and(c, 2, (Z3_ast[]){low96_src, low96_dst})),
		implies(c, Z3_mk_not(c, Z3_mk_or(c, 2, tu)), Z3_mk_and(c, 2, no_ports)),
		implies(c, Z3_mk_not(c, tcp), field_is(z, z->p.flags, 0)),
		implies(c, Z3_mk_not(c, Z3_mk_or(c, 2, icmp)), Z3_mk_and(c, 2, no_icmp)),
		Z3_mk_bvule(c, z->p.iface, pk_z3_bv(c, z->nif, 16)),
		z->closed ? Z3_mk_not(c, field_is(z, z->p.iface, 0)) : Z3_mk_true(c),
		Z3_mk_bvule(c, z->p.tag, pk_z3_bv(c, z->ntag, 16)),
		z->frags ? implies(c, frag, Z3_mk_and(c, 3, no_l4)) : Z3_mk_not(c, frag),
	};
	return Z3_mk_and(c, sizeof(v) / sizeof(v[0]), v);
}

Z3_ast pk_z3_skipped(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	Z3_ast *v = pk_xcalloc(rs->opts.nskip + 1, sizeof(*v));
	for (uint32_t i = 0; i < rs->opts.nskip; i++)
		v[i] = field_is(z, z->p.iface, pk_z3_iface_index(z, rs->opts.skip[i]));
	const Z3_ast r = pk_z3_or(z->c, rs->opts.nskip, v);
	free(v);
	return r;
}

bool pk_z3_decides(const struct pk_ir_rule *r)
{
	return r->action == PK_ACT_PASS || r->action == PK_ACT_BLOCK;
}

bool pk_z3_in_filter(const struct pk_ir_rule *r)
{
	return pk_z3_decides(r) || r->action == PK_ACT_MATCH;
}

Z3_ast pk_z3_chain(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const uint32_t *idx, unsigned n,
		   Z3_ast *M, const Z3_ast *leaf, Z3_ast dflt)
{
	Z3_ast *stop = pk_xcalloc(n + 1, sizeof(*stop));
	Z3_ast f = dflt;
	for (unsigned k = 0; k < n; k++) {
		const struct pk_ir_rule *r = &rs->rules[idx[k]];
		if (!M[k])
			M[k] = pk_z3_match(z, rs, r);
		/* A quick match rule stops evaluation: the last pass/block
		 * matched before it decides (pf's PF_TEST_QUICK). */
		if (r->quick)
			stop[k] = pk_z3_decides(r) ? leaf[k] : f;
		if (pk_z3_decides(r))
			f = Z3_mk_ite(z->c, M[k], leaf[k], f);
	}
	for (unsigned k = n; k-- > 0;)
		if (stop[k])
			f = Z3_mk_ite(z->c, M[k], stop[k], f);
	free(stop);
	return f;
}

/* The verdict with leaves pass, or (stateful) pass with a rule keeping state. */
static Z3_ast verdict(struct pk_z3 *z, const struct pk_ir_ruleset *rs, bool stateful)
{
	uint32_t *idx = pk_xcalloc(rs->nrules + 1, sizeof(*idx));
	Z3_ast *M = pk_xcalloc(rs->nrules + 1, sizeof(*M));
	Z3_ast *leaf = pk_xcalloc(rs->nrules + 1, sizeof(*leaf));
	unsigned n = 0;
	/* an older rule's translation keeps a state whatever rule passes */
	const Z3_ast kept = pk_z3_older_translated(z, rs);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		if (pk_z3_decides(r) || (r->action == PK_ACT_MATCH && r->quick)) {
			leaf[n] = r->action != PK_ACT_PASS		       ? Z3_mk_false(z->c)
				  : !stateful || r->state != PK_STATE_NONE ? Z3_mk_true(z->c)
									   : kept;
			idx[n++] = i;
		}
	}
	/* no match: pf's default pass, without state but a translation's */
	const Z3_ast chain = pk_z3_chain(z, rs, idx, n, M, leaf, stateful ? kept : Z3_mk_true(z->c));
	const Z3_ast v[2] = {pk_z3_skipped(z, rs), chain};
	free(idx);
	free(M);
	free(leaf);
	return Z3_mk_or(z->c, 2, v);
}

Z3_ast pk_z3_passes(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	return verdict(z, rs, false);
}

Z3_ast pk_z3_passes_with_state(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	return verdict(z, rs, true);
}

static Z3_ast match_of(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t j, Z3_ast *M)
{
	if (!M[j])
		M[j] = pk_z3_match(z, rs, &rs->rules[j]);
	return M[j];
}

Z3_ast pk_z3_decided_by(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i, Z3_ast *M)
{
	Z3_context c = z->c;
	const uint32_t from = i == PK_Z3_NO_RULE ? 0 : i + 1;
	/* w: nothing after rule i takes the packet from it, reading on until a
	 * quick match rule stops the evaluation. */
	Z3_ast w = Z3_mk_true(c);
	for (uint32_t j = rs->nrules; j-- > from;) {
		const struct pk_ir_rule *r = &rs->rules[j];
		if (pk_z3_decides(r)) {
			const Z3_ast v[2] = {Z3_mk_not(c, match_of(z, rs, j, M)), w};
			w = Z3_mk_and(c, 2, v);
		} else if (r->action == PK_ACT_MATCH && r->quick) {
			const Z3_ast v[2] = {match_of(z, rs, j, M), w};
			w = Z3_mk_or(c, 2, v);
		}
	}
	const Z3_ast skip = pk_z3_skipped(z, rs);
	if (i == PK_Z3_NO_RULE) {
		const Z3_ast alt[2] = {skip, w};
		return Z3_mk_or(c, 2, alt);
	}
	Z3_ast *v = pk_xcalloc(i + 4, sizeof(*v));
	unsigned n = 0;
	for (uint32_t j = 0; j < i; j++)
		if (rs->rules[j].quick && pk_z3_in_filter(&rs->rules[j]))
			v[n++] = Z3_mk_not(c, match_of(z, rs, j, M));
	v[n++] = match_of(z, rs, i, M);
	v[n++] = Z3_mk_not(c, skip);
	if (!rs->rules[i].quick)
		v[n++] = w;
	const Z3_ast f = pk_z3_and(c, n, v);
	free(v);
	return f;
}

static void put128(uint8_t out[16], uint64_t hi, uint64_t lo)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = hi & 0xff;
		out[i + 8] = lo & 0xff;
		hi >>= 8;
		lo >>= 8;
	}
}

static unsigned tag_of(const struct pk_z3 *z, const char *tag)
{
	return tag ? name_find(z->tags, z->ntag, tag) : 0;
}

Z3_ast pk_z3_is_packet(struct pk_z3 *z, const struct pk_vpkt *p)
{
	Z3_context c = z->c;
	const Z3_ast v[] = {
		field_is(z, z->p.af, p->af),
		field_is(z, z->p.proto, p->proto),
		field_is(z, z->p.dir, p->dir),
		field_is(z, z->p.flags, p->flags),
		field_is(z, z->p.tos, p->tos),
		field_is(z, z->p.sport, p->sport),
		field_is(z, z->p.dport, p->dport),
		Z3_mk_eq(c, z->p.src, pk_z3_addr(c, p->src)),
		Z3_mk_eq(c, z->p.dst, pk_z3_addr(c, p->dst)),
		field_is(z, z->p.itype, p->icmp_type),
		field_is(z, z->p.icode, p->icmp_code),
		field_is(z, z->p.iface, pk_z3_iface_index(z, p->ifname)),
		field_is(z, z->p.rcvif, p->dir == PK_DIR_IN ? 0 : pk_z3_iface_index(z, p->rcvif)),
		field_is(z, z->p.tag, tag_of(z, p->tag)),
		field_is(z, z->p.frag, p->fragment),
	};
	return Z3_mk_and(c, sizeof(v) / sizeof(v[0]), v);
}

static uint64_t model_u64(Z3_context c, Z3_model m, Z3_ast f)
{
	Z3_ast out = NULL;
	uint64_t v = 0;
	if (Z3_model_eval(c, m, f, true, &out) && out)
		Z3_get_numeral_uint64(c, out, &v);
	return v;
}

static void model_addr(Z3_context c, Z3_model m, Z3_ast f, uint8_t out[16])
{
	put128(out, model_u64(c, m, Z3_mk_extract(c, 127, 64, f)), model_u64(c, m, Z3_mk_extract(c, 63, 0, f)));
}

static void model_packet(struct pk_z3 *z, Z3_model m, struct pk_vpkt *out)
{
	Z3_context c = z->c;
	memset(out, 0, sizeof(*out));
	out->af = (uint8_t)model_u64(c, m, z->p.af);
	out->proto = (uint8_t)model_u64(c, m, z->p.proto);
	out->dir = (uint8_t)model_u64(c, m, z->p.dir);
	out->flags = (uint8_t)model_u64(c, m, z->p.flags);
	out->tos = (uint8_t)model_u64(c, m, z->p.tos);
	out->sport = (uint16_t)model_u64(c, m, z->p.sport);
	out->dport = (uint16_t)model_u64(c, m, z->p.dport);
	model_addr(c, m, z->p.src, out->src);
	model_addr(c, m, z->p.dst, out->dst);
	out->icmp_type = (uint8_t)model_u64(c, m, z->p.itype);
	out->icmp_code = (uint8_t)model_u64(c, m, z->p.icode);
	const uint64_t ifk = model_u64(c, m, z->p.iface), tk = model_u64(c, m, z->p.tag);
	out->ifname = ifk >= 1 && ifk <= z->nif ? z->ifnames[ifk - 1] : NULL;
	const uint64_t rk = model_u64(c, m, z->p.rcvif);
	out->rcvif = out->dir == PK_DIR_OUT && rk >= 1 && rk <= z->nif ? z->ifnames[rk - 1] : NULL;
	out->tag = tk >= 1 && tk <= z->ntag ? z->tags[tk - 1] : NULL;
	out->fragment = model_u64(c, m, z->p.frag) != 0;
}

Z3_lbool pk_z3_check_in(struct pk_z3 *z, Z3_solver s, unsigned nassume, const Z3_ast *assume)
{
	z->checks++;
	const Z3_lbool r = nassume ? Z3_solver_check_assumptions(z->c, s, nassume, assume) : Z3_solver_check(z->c, s);
	z->unknowns += r == Z3_L_UNDEF;
	return r;
}

Z3_lbool pk_z3_check(struct pk_z3 *z, unsigned nassume, const Z3_ast *assume)
{
	return pk_z3_check_in(z, z->s, nassume, assume);
}

/* What a reader expects of a packet, where the question leaves a field
 * free: host addresses, a client port, a named interface; then (the first
 * tier) a common protocol and a SYN. */
static Z3_ast typical(struct pk_z3 *z, bool with_flags)
{
	Z3_context c = z->c;
	const Z3_ast v4 = field_is(z, z->p.af, PK_AF_INET);
	const Z3_ast tu[2] = {field_is(z, z->p.proto, 6), field_is(z, z->p.proto, 17)};
	const Z3_ast host_src = Z3_mk_ite(c, v4, Z3_mk_not(c, field_is(z, Z3_mk_extract(c, 103, 96, z->p.src), 0)),
					  Z3_mk_not(c, field_is(z, Z3_mk_extract(c, 7, 0, z->p.src), 0)));
	const Z3_ast host_dst = Z3_mk_ite(c, v4, Z3_mk_not(c, field_is(z, Z3_mk_extract(c, 103, 96, z->p.dst), 0)),
					  Z3_mk_not(c, field_is(z, Z3_mk_extract(c, 7, 0, z->p.dst), 0)));
	const Z3_ast ports[2] = {Z3_mk_bvuge(c, z->p.sport, pk_z3_bv(c, 1024, 16)),
				 Z3_mk_not(c, field_is(z, z->p.dport, 0))};
	const Z3_ast v[] = {
		host_src,
		host_dst,
		implies(c, Z3_mk_or(c, 2, tu), Z3_mk_and(c, 2, ports)),
		z->nif ? Z3_mk_not(c, field_is(z, z->p.iface, 0)) : Z3_mk_true(c),
		field_is(z, z->p.tos, 0),
		with_flags ? implies(c, tu[0], field_is(z, z->p.flags, PK_TH_SYN)) : Z3_mk_true(c),
		with_flags ? Z3_mk_or(c, 4, (Z3_ast[]){tu[0], tu[1], field_is(z, z->p.proto, 1), field_is(z, z->p.proto, 58)})
			   : Z3_mk_true(c),
	};
	return Z3_mk_and(c, sizeof(v) / sizeof(v[0]), v);
}

void pk_z3_model_packet(struct pk_z3 *z, Z3_solver s, struct pk_vpkt *out)
{
	Z3_model m = Z3_solver_get_model(z->c, s);
	Z3_model_inc_ref(z->c, m);
	model_packet(z, m, out);
	Z3_model_dec_ref(z->c, m);
}

bool pk_z3_none(struct pk_z3 *z, Z3_ast f)
{
	Z3_solver_push(z->c, z->s);
	Z3_solver_assert(z->c, z->s, f);
	const bool unsat = pk_z3_check(z, 0, NULL) == Z3_L_FALSE;
	Z3_solver_pop(z->c, z->s, 1);
	return unsat;
}

bool pk_z3_witness(struct pk_z3 *z, Z3_ast f, struct pk_vpkt *out)
{
	Z3_solver_push(z->c, z->s);
	Z3_solver_assert(z->c, z->s, f);
	const bool sat = pk_z3_check(z, 0, NULL) == Z3_L_TRUE;
	if (sat && out) {
		pk_z3_model_packet(z, z->s, out);
		/* a witness that reads naturally, when the question allows one */
		for (int tier = 0; tier < 2; tier++) {
			Z3_solver_push(z->c, z->s);
			Z3_solver_assert(z->c, z->s, typical(z, tier == 0));
			const bool nice = pk_z3_check(z, 0, NULL) == Z3_L_TRUE;
			if (nice)
				pk_z3_model_packet(z, z->s, out);
			Z3_solver_pop(z->c, z->s, 1);
			if (nice)
				break;
		}
	}
	Z3_solver_pop(z->c, z->s, 1);
	return sat;
}
