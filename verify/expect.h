/*
 * verify/expect.h: policy tests: does every packet of a shape pass (or
 * none, or some), proved by Z3 over the whole shape.
 *
 * A shape is a set of IR rules of another ruleset (written like a rule
 * body, resolved by the front end against the rule file's macros and
 * tables) or one concrete packet. For pass and reach an expectation
 * speaks of connections, as pf keeps them: the opening packet (a SYN for
 * TCP, unless the shape names flags) passes in, and out on the interface
 * the topology routes it to; on each side a rule that keeps state lets the
 * rest of the connection through both ways, a rule with `no state` must
 * also pass the client's later packets (ACK) and the replies (SYN+ACK,
 * ACK) by itself. Block speaks of single packets: no packet of the shape,
 * whatever its flags, gets through. A failure carries a witness and the
 * steps pf takes with it (verify/eval.c), each with its deciding rule.
 */
#ifndef PK_VERIFY_EXPECT_H
#define PK_VERIFY_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "verify/packet.h"

enum pk_expect_kind { PK_EXPECT_PASS, PK_EXPECT_BLOCK, PK_EXPECT_REACH };

struct pk_expect {
	enum pk_expect_kind kind;
	struct pk_loc loc; /* the expectation's line */
	const char *text;  /* the shape as written */
	bool is_packet;    /* one packet, as `picket explain` reads it */
	struct pk_vpkt pkt;
	uint32_t first, n; /* else: shape rules [first, first + n) of the shape ruleset */
};

/* One step pf takes with the witness: a filter pass on one interface. */
struct pk_expect_step {
	const char *what; /* "in", "out", "later packet in", "reply out", ... */
	struct pk_vpkt p;
	bool pass;
	uint32_t rule; /* deciding rule, PK_EVAL_NONE: the default pass or a skipped interface */
};

#define PK_EXPECT_MAX_STEPS 8

struct pk_expect_result {
	bool holds;
	bool undecided; /* the solver gave up: the expectation is not proved */
	bool empty;     /* no packet has the shape */
	struct pk_vpkt w; /* when it fails: the witness, as it arrives */
	struct pk_expect_step steps[PK_EXPECT_MAX_STEPS];
	unsigned nsteps;
};

/* Checks v[0..n) against rs; shape_rs holds the shapes' rules (NULL when
 * every expectation is a packet). Returns 0, or -1 when Z3 cannot start. */
int pk_expect_check(const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs,
		    const struct pk_expect *v, unsigned n, struct pk_expect_result *res);

/* The steps pf takes with packet p under expectation kind (what the
 * witness of a failure is explained with). */
void pk_expect_walk(const struct pk_ir_ruleset *rs, enum pk_expect_kind kind, const struct pk_vpkt *p,
		    struct pk_expect_result *res);

#endif
