/*
 * verify/lint.h: the linter: findings about an IR ruleset, with evidence.
 *
 * pk_lint_run() owns the analysis (verify/lint_rel.c for the relations
 * between rules, verify/lint_reach.c for what reaches or leaves,
 * verify/lint_rule.c for per-rule and option checks); the report owns
 * every finding's text; verify/lint_out.c prints reports. Every finding
 * is true of the ruleset under pf's semantics: a check that cannot decide
 * exactly (probability, tags set during evaluation, tables filled at run
 * time) stays silent.
 */
#ifndef PK_VERIFY_LINT_H
#define PK_VERIFY_LINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/ir.h"
#include "verify/lint_ids.h"
#include "verify/packet.h"

#define PK_LINT_NO_RULE UINT32_MAX
/* The rules lint takes: it relates each rule to the rules its box
 * overlaps, and its time grows with the square (the bench's ClassBench-style
 * sets: each rule overlaps about a tenth of the others). The overlaps are
 * held 4096 rules at a time (verify/lint_ov.c), so memory grows about
 * linearly (100,000 rules: 1.2 GB at peak), but time does not: 100,000
 * take about 3.5 minutes, and 600,000 would take hours, so they are
 * refused. Hand-written rule sets hold hundreds. */
#define PK_LINT_MAX_RULES 120000u

struct pk_lint_related {
	struct pk_loc loc;
	uint32_t rule; /* PK_LINT_NO_RULE when not a rule */
	const char *msg;
};

struct pk_lint_finding {
	enum pk_lint_id id;
	enum pk_severity sev;
	struct pk_loc loc;
	uint32_t rule; /* PK_LINT_NO_RULE for ruleset-wide findings */
	const char *msg;
	struct pk_lint_related *related;
	unsigned nrelated;
	bool has_witness;
	struct pk_vpkt witness;
	const char *witness_note; /* what happens to the witness, or NULL */
};

struct pk_lint_stats {
	unsigned long rules;        /* filter rules analysed */
	unsigned long pairs;        /* rule pairs considered */
	unsigned long pairs_pruned; /* settled by disjoint boxes, or about two rules no check looks at together */
	unsigned long pairs_visited; /* tested box against box, by each sweep (the rest never met in one) */
	unsigned long box_decided;  /* checks settled by box containment */
	unsigned long sampled;      /* checks settled by a sample packet */
	unsigned long given_up;     /* questions too large or timed out: nothing reported */
	unsigned long solver_calls;
	unsigned long replayed;     /* witnesses run through the runtime's engine */
	unsigned long inconsistent; /* findings withheld: the engine disagrees with their witness */
	unsigned long unchecked;    /* witnesses not run: the ruleset could not be loaded in the engine */
	double seconds;
};

struct pk_lint_report {
	struct pk_arena *arena;
	struct pk_lint_finding *v;
	unsigned n, cap;
	unsigned suppressed;
	struct pk_lint_stats stats;
};

struct pk_lint_opts {
	bool enabled[PK_LINT_COUNT];
	uint64_t mem_bytes; /* memory the states must fit in; 0 = this machine's */
	/* Told now and then how many of the rules the analysis has been
	 * through (a terminal's progress line); NULL for no one. */
	void (*progress)(void *arg, uint32_t done, uint32_t total);
	void *progress_arg;
	FILE *debug;        /* where internal inconsistencies are told, or NULL */
};

/* Defaults from the table; then --enable/--disable by id. */
void pk_lint_opts_default(struct pk_lint_opts *o);
/* Returns the id's index, or -1 for an unknown id. */
int pk_lint_id_find(const char *id);
const char *pk_lint_id_name(enum pk_lint_id id);
enum pk_severity pk_lint_id_severity(enum pk_lint_id id);
const char *pk_lint_id_short(enum pk_lint_id id);
const char *pk_lint_id_help(enum pk_lint_id id);

void pk_lint_report_init(struct pk_lint_report *rep);
void pk_lint_report_free(struct pk_lint_report *rep);

/* Analyse, drop findings suppressed inline (`# picket: ignore ID` on or
 * above the rule), sort by location, merge the findings of one kind about
 * one written rule (verify/lint_group.c). Returns 0, or -1 if Z3 failed to start.
 * rs holds at most PK_LINT_MAX_RULES rules. */
int pk_lint_run(const struct pk_ir_ruleset *rs, const struct pk_lint_opts *o, struct pk_lint_report *rep);

/* Runs every finding's witness through the runtime's engine on rs
 * compiled (verify/lint_replay.c) and withholds the findings it
 * contradicts, counting them in rep->stats and telling them on debug
 * (NULL: quiet). pk_lint_run calls it before sorting. */
void pk_lint_replay_check(const struct pk_ir_ruleset *rs, struct pk_lint_report *rep, FILE *debug);

/* Building findings (used by the checks). */
struct pk_lint_finding *pk_lint_add(struct pk_lint_report *rep, enum pk_lint_id id, const struct pk_ir_rule *r,
				    const struct pk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void pk_lint_relate(struct pk_lint_report *rep, struct pk_lint_finding *f, const struct pk_ir_rule *r,
		    const struct pk_loc *loc, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void pk_lint_witness(struct pk_lint_finding *f, const struct pk_vpkt *p, const char *note);

/* Line `line` of a source file the ruleset was read from (no newline), or NULL. */
const char *pk_lint_source_line(const struct pk_ir_ruleset *rs, const char *file, uint32_t line, size_t *len);
/* Rule i's source line, leading blanks dropped, its length in *len; NULL
 * when its file is not among the sources. */
const char *pk_lint_rule_source(const struct pk_ir_ruleset *rs, uint32_t i, size_t *len);
/* "rule 4 at rules.conf:40: pass in on lan0 ...": rule i and its source
 * line, leading blanks dropped (explain, test). */
void pk_lint_rule_line(const struct pk_ir_ruleset *rs, uint32_t i, char *buf, size_t size);

/* "rule 7 at line 8" */
const char *pk_lint_rule_name(struct pk_lint_report *rep, const struct pk_ir_rule *r);

#endif
