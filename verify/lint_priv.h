/*
 * verify/lint_priv.h: state shared by the linter's checks during one run.
 *
 * Built once by pk_lint_run: the filter rules, their boxes, which pairs
 * overlap (the pruning index, asked rule by rule), the Z3 encoder with one solver, and each
 * rule's match formula, made on first use.
 */
#ifndef PK_VERIFY_LINT_PRIV_H
#define PK_VERIFY_LINT_PRIV_H

#include "compiler/lines.h"
#include "verify/box.h"
#include "verify/lint.h"
#include "verify/z3_encode.h"

/* A question over more rules than this is left unanswered (the finding is
 * not reported, never guessed): it bounds the time on huge overlaps. */
#define PK_LINT_MAX_SOLVER_RULES 300

enum {
	PK_ROLE_USABLE = 1, /* pk_lint_usable() */
	PK_ROLE_TAKER = 2,  /* quick and takes the packets of later rules (pk_lint_takes_first()) */
	PK_ROLE_QUICK = 4,
	PK_ROLE_SURE = 8, /* neither unsure nor assumed */
};

struct pk_lint_set {
	uint32_t *v;
	unsigned n;
};

struct pk_lint_ctx {
	const struct pk_ir_ruleset *rs;
	const struct pk_lint_opts *o;
	struct pk_lint_report *rep;
	struct pk_z3 z;
	Z3_ast dom; /* well-formed packet on an interface that is not skipped */
	struct pk_box *box; /* per rule */
	Z3_ast *M;          /* per rule, lazily */
	bool *unsure;       /* per rule: its match is not a plain function of the packet as it
			     * arrives (probability, run-time tags and tables, translation) */
	bool *dead;         /* per rule: unmatchable */
	bool *guarded;      /* per rule: a later quick match rule overlaps it (it may stop evaluation
	                     * before the rules that would take this one's packets) */
	bool *covered;      /* per rule: the shadowed check proved its takers take every packet it
			     * matches, so it decides none (pk_lint_decided_by() is empty) */
	bool *assumed;      /* per rule: user or group, which the firewall's own packets meet or not by
			     * picket's assumption about their owner (enum pk_owner), not by the ruleset */
	uint8_t *role;      /* per rule: PK_ROLE_* bits, set once the unmatchable rules are known; the
			     * walks over a rule's overlaps read them instead of the rules */
	struct pk_lines *lines; /* per source (rs->sources), so look-ups do not rescan it */
	struct pk_lint_ov *ov; /* which filter rules' boxes overlap (verify/lint_ov.c) */
	unsigned long overlapping; /* overlaps listed by the checks' own lists, each pair twice */
};

struct pk_lint_ov *pk_lint_ov_new(const struct pk_box *box, const uint32_t *ids, uint32_t n, uint32_t nrules);
void pk_lint_ov_free(struct pk_lint_ov *ov);
/* The box pairs tested, and the overlaps listed (each pair twice) in the
 * first lists laid out for each range. */
unsigned long pk_lint_ov_count(const struct pk_lint_ov *ov, unsigned long *overlapping);
/* met[i] set for each rule i whose box overlaps that of a later rule of
 * `of` (both per rule). */
void pk_lint_ov_before(const struct pk_lint_ov *ov, const bool *of, bool *met);
/* met[i] set for each rule i of `of` whose box overlaps that of another
 * rule of `to` (all per rule). */
void pk_lint_ov_near(const struct pk_lint_ov *ov, const bool *of, const bool *to, bool *met);
/* From now on the lists of the rules of want (per rule; copied) are
 * asked for, others' seldom. */
void pk_lint_ov_want(struct pk_lint_ov *ov, const bool *want);
/* The lists of the rules of want (per rule): the rules of takers (per
 * rule) before each whose boxes overlap its. */
struct pk_lint_ov *pk_lint_ov_takers(const struct pk_lint_ov *all, const bool *takers, const bool *want);
/* Rule i's list, ascending; valid until another rule's is asked for. */
struct pk_lint_set pk_lint_ov_list(struct pk_lint_ov *ov, uint32_t i);
/* The other filter rules whose boxes overlap rule i's (x->ov's list). */
struct pk_lint_set pk_lint_neighbours(const struct pk_lint_ctx *x, uint32_t i);

Z3_ast pk_lint_M(struct pk_lint_ctx *x, uint32_t i);
/* Rule `done` of the ruleset's is reached: tells the progress callback
 * every few hundred rules, and at the end. */
void pk_lint_progress(const struct pk_lint_ctx *x, uint32_t done);
bool pk_lint_on(const struct pk_lint_ctx *x, enum pk_lint_id id);
/* A source line (no newline) from the index, or NULL. */
const char *pk_lint_line(const struct pk_lint_ctx *x, const char *file, uint32_t line, size_t *len);
/* Rule j can take packets from rule i when it comes before it and is
 * quick (a quick match rule too: evaluation stops there). */
bool pk_lint_takes_first(const struct pk_lint_ctx *x, uint32_t j, uint32_t i);
/* x->role, from the rules and x->dead, x->unsure, x->assumed. */
void pk_lint_roles(struct pk_lint_ctx *x);

/* The k-th sample of box b (verify/sample.h; rule i's, or a part of it),
 * when rule i matches it and its interface is filtered. */
bool pk_lint_sample_match(const struct pk_lint_ctx *x, uint32_t i, const struct pk_box *b, unsigned k,
			  struct pk_vpkt *p);

/* Rule j decides packets and its match is a plain function of the packet. */
bool pk_lint_usable(const struct pk_lint_ctx *x, uint32_t j);

/* The part of a rule's packets that shows its purpose: a specific block
 * (not a catch-all) that can meet a SYN is there to stop connections, and pass rules keep state
 * with flags S/SA by default, so only connection-opening packets (a TCP
 * SYN without ACK, or not TCP) tell whether it still stops any. */
bool pk_lint_judged_on_opening(const struct pk_ir_rule *r);
bool pk_lint_opening_packet(const struct pk_vpkt *p);
Z3_ast pk_lint_opening(struct pk_lint_ctx *x);
/* Rule i decides no packet (within the opening ones when opening) and
 * the rules `by` (an unsat core of its takers t) take them: reports it
 * with the deciding rules and a witness. With opening, only when a rule
 * with another action decides some; returns whether it reported. */
bool pk_lint_report_shadowed(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t,
			     struct pk_lint_set *by, bool opening);
/* "3, 5 and 7" */
void pk_lint_list_rules(const struct pk_lint_set *s, char *buf, size_t size);
void pk_lint_check_overridden(struct pk_lint_ctx *x, uint32_t i);

void pk_lint_relations(struct pk_lint_ctx *x);
/* Readable witnesses: each field set to a value from the rules or the
 * topology where that proves the same (verify/lint_witness.c). */
void pk_lint_readable(const struct pk_lint_ctx *x);
/* The rules that may match a packet, by its addresses' first bits or its
 * protocol (verify/lint_point.c), from the rules' boxes. */
struct pk_lint_point;
struct pk_eval_result;
struct pk_lint_point *pk_lint_point_new(const struct pk_ir_ruleset *rs, const struct pk_box *box);
void pk_lint_point_free(struct pk_lint_point *ix);
/* pk_eval_filter(), trying only the rules that may match p. */
void pk_lint_point_eval(const struct pk_lint_point *ix, const struct pk_vpkt *p, struct pk_eval_result *res);
/* The interface holds a loopback address (127/8, ::1). */
bool pk_lint_iface_loopback(const struct pk_ir_iface *f);
/* Merges the findings of one kind at one source location (the report
 * sorted by location, then kind). */
void pk_lint_group(const struct pk_ir_ruleset *rs, struct pk_lint_report *rep);
/* A port condition as written: "22", ">=1024", "5900:5909". */
void pk_lint_port_str(const struct pk_port_match *m, char *buf, size_t size);
void pk_lint_reach(struct pk_lint_ctx *x);
/* The packets rule i decides: it matches and no rule taking packets from it does. */
Z3_ast pk_lint_decided_by(struct pk_lint_ctx *x, uint32_t i);
/* The rules whose "not M" pk_lint_decided_by() puts beside rule i's M
 * (allocated: the caller frees v), and that formula from them. Within a
 * question whose packets only the rules of `meets` (per rule; NULL: all)
 * can match, the others are left out: they match none of them. */
struct pk_lint_set pk_lint_deciders_over(struct pk_lint_ctx *x, uint32_t i, const bool *meets);
Z3_ast pk_lint_decided_within(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *d);
/* Whether some packet meets `fixed` and no rule of s, asked in parts
 * (verify/lint_parts.c); UNSETTLED: ask the whole. Only for a question
 * over this many rules or more: a smaller one is cheap whole, and asked
 * whole first its witness stays the one the solver gives first. */
#define PK_LINT_PARTS_MIN_RULES 256
enum pk_lint_parts { PK_PARTS_NONE, PK_PARTS_SOME, PK_PARTS_UNSETTLED };
enum pk_lint_parts pk_lint_parts(struct pk_lint_ctx *x, Z3_ast fixed, const struct pk_lint_set *s);
/* What any source on a WAN-type interface can open (verify/lint_expose.c). */
void pk_lint_exposure(struct pk_lint_ctx *x);
void pk_lint_rules(struct pk_lint_ctx *x);

/* Two rules handle a packet alike: same verdict, state, logging, options. */
bool pk_lint_same_effect(const struct pk_ir_rule *a, const struct pk_ir_rule *b);
/* The first effect the two rules do not share (their action, a
 * translation, route, divert, af-to, kept options, tag, scrub, logging,
 * allow-opts, block kind, state options), NULL when none. */
const char *pk_lint_effect_differs(const struct pk_ir_rule *a, const struct pk_ir_rule *b);
/* A rule handles packets as pf's default pass does (pass, no state, no options). */
bool pk_lint_default_effect(const struct pk_ir_rule *r);

#endif
