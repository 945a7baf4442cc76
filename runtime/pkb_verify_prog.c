/*
 * runtime/pkb_verify_prog.c: the checks that make look-ups and evaluation
 * safe: table indices sorted (binary search needs it), and the program's
 * instructions decoded, their operands checked against PKB_OPS (an
 * INDEX's shift below 64, so the runtime's shift is defined), every
 * jump forward to an instruction start, the last instruction an END: so
 * evaluation stays inside the program and terminates; and each LAST and
 * COLLECT list in range, ordered and of the rules its early stop is
 * exact for.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/pkb_priv.h"

/* Look-up order of table entries: af, length descending, masked address. */
static int tab_cmp(const struct pkb_tabentry *a, const struct pkb_tabentry *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = a->len > 8 * i ? a->len - 8 * i : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		if ((a->addr[i] & m) != (b->addr[i] & m))
			return (a->addr[i] & m) < (b->addr[i] & m) ? -1 : 1;
	}
	return 0;
}

static int v_table(const struct pk_rs *rs, struct pk_err *err, uint32_t t)
{
	const struct pkb_table *tab = &PK_RS_SEC(rs, TABLES, struct pkb_table)[t];
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	const uint32_t *idx = PK_RS_SEC(rs, TABINDEX, uint32_t);
	uint64_t at = pk_rs_off(rs, PKB_SEC_TABLES, t, 0);
	if (tab->name >= PK_RS_N(rs, STRINGS))
		return pk_err_at(err, at, "table %u: name outside the string section", t);
	if (tab->loc.file != PKB_NONE && tab->loc.file >= PK_RS_N(rs, SOURCES))
		return pk_err_at(err, at + 4, "table %u: source file index %u out of range", t, tab->loc.file);
	if (tab->flags > (PKB_TAB_UNDECLARED << 1) - 1)
		return pk_err_at(err, at + 24, "table %u: unknown flags 0x%x", t, tab->flags);
	if ((uint64_t)tab->entry_first + tab->nentries > PK_RS_N(rs, TABENTRIES) ||
	    (uint64_t)tab->index_first + tab->nindex > PK_RS_N(rs, TABINDEX) ||
	    (uint64_t)tab->file_first + tab->nfiles > PK_RS_N(rs, TABFILES) || tab->nindex > tab->nentries ||
	    tab->ninline > tab->nentries)
		return pk_err_at(err, at + 28, "table %u: entry, index or file range out of bounds", t);
	for (uint32_t k = 0; k < tab->nindex; k++) {
		uint32_t e = idx[tab->index_first + k];
		uint64_t eat = pk_rs_off(rs, PKB_SEC_TABINDEX, tab->index_first + (uint64_t)k, 0);
		if (e < tab->entry_first || e - tab->entry_first >= tab->nentries)
			return pk_err_at(err, eat, "table %u: index entry %u points outside the table", t, e);
		if (k && tab_cmp(&ent[idx[tab->index_first + k - 1]], &ent[e]) >= 0)
			return pk_err_at(err, eat, "table %u: index not sorted at position %u", t, k);
	}
	return 0;
}

int pk_rs_verify_tables(const struct pk_rs *rs, struct pk_err *err)
{
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	for (uint32_t i = 0; i < PK_RS_N(rs, TABENTRIES); i++) {
		uint64_t at = pk_rs_off(rs, PKB_SEC_TABENTRIES, i, 0);
		if (ent[i].af != PK_AF_INET && ent[i].af != PK_AF_INET6)
			return pk_err_at(err, at, "table entry %u: unknown address family %u", i, ent[i].af);
		if (ent[i].len > (ent[i].af == PK_AF_INET ? 32 : 128) || ent[i].neg > 1 || ent[i].pad)
			return pk_err_at(err, at + 1, "table entry %u: bad length, negation or padding", i);
	}
	for (uint32_t t = 0; t < PK_RS_N(rs, TABLES); t++)
		if (v_table(rs, err, t))
			return -1;
	return 0;
}

/* The program being verified, and where its instructions start. */
struct pk_vp {
	const struct pk_rs *rs;
	const uint32_t *prog;
	uint32_t nwords;
	uint8_t *start;   /* per word: 1 where an instruction starts */
	uint64_t base;    /* the program's byte offset in the file */
	struct pk_err *err;
};

/* Word index of w in the program, and its byte offset in the file. */
static uint32_t vp_word(const struct pk_vp *v, const uint32_t *w)
{
	return (uint32_t)(w - v->prog);
}

static uint64_t vp_at(const struct pk_vp *v, const uint32_t *w)
{
	return v->base + 4ull * vp_word(v, w);
}

/* An operand that counts what follows: 1 ..max of them. */
static int v_count(const struct pk_vp *v, uint64_t at, const char *name, uint32_t val, uint32_t max,
		   const char *what)
{
	if (val == 0 || val > max)
		return pk_err_at(v->err, at, "%s: %u %s, must be 1..%u", name, val, what, max);
	return 0;
}

static int v_operand(const struct pk_vp *v, uint32_t op, int which, uint32_t val, uint64_t at)
{
	const char *name = pkb_op_name(op);
	uint32_t nrules = PK_RS_N(v->rs, RULES);
	switch (pkb_op_operand(op, which)) {
	case PKB_O_NONE: /* only A reaches here: a B of kind NONE is not read */
		if (val)
			return pk_err_at(v->err, at, "%s: unused operand %c is %u, must be 0", name, "AB"[which], val);
		return 0;
	case PKB_O_FIELD:
		if (val >= PKB_FIELD_COUNT)
			return pk_err_at(v->err, at, "%s: unknown packet field %u", name, val);
		return 0;
	case PKB_O_TREES:
		return v_count(v, at, name, val, PKB_MAX_FORK, "trees");
	case PKB_O_BOUNDS:
	case PKB_O_BOUNDS32:
		return v_count(v, at, name, val, PKB_MAX_CUT, "bounds");
	case PKB_O_SLOTS:
		if (pkb_slots_shift(val) >= 64)
			return pk_err_at(v->err, at, "%s: shift %u or unused bits set, must be below 64", name,
					 pkb_slots_shift(val));
		return v_count(v, at, name, pkb_slots_n(val), PKB_MAX_SLOTS, "slots");
	case PKB_O_LIST:
		return v_count(v, at, name, val, nrules, "rules listed");
	case PKB_O_RULE:
		if (val >= nrules)
			return pk_err_at(v->err, at, "%s: rule %u out of range (%u rules)", name, val, nrules);
		return 0;
	}
	return pk_err_at(v->err, at, "%s: unknown operand kind", name);
}

/* The n targets of insn at t: later instruction starts. */
static int v_targets(const struct pk_vp *v, const uint32_t *insn, const uint32_t *t, uint32_t n)
{
	const char *name = pkb_op_name(pkb_op(insn[0]));
	uint32_t pc = vp_word(v, insn);
	for (uint32_t j = 0; j < n; j++) {
		uint64_t at = vp_at(v, t + j);
		if (t[j] <= pc)
			return pk_err_at(v->err, at, "%s at word %u: jump target %u is not forward", name, pc, t[j]);
		if (t[j] >= v->nwords || !v->start[t[j]])
			return pk_err_at(v->err, at, "%s at word %u: jump target %u is not an instruction", name, pc,
					 t[j]);
	}
	return 0;
}

/* CUT and CUT32 bounds strictly increasing, targets later instruction starts. */
static int v_cut(const struct pk_vp *v, const uint32_t *insn)
{
	const uint32_t *bounds = pkb_cut_bounds(insn);
	uint32_t k = pkb_operand_b(insn), width = pkb_cut_width(pkb_op(insn[0]));
	for (uint32_t j = 1; j < k; j++)
		if (pkb_cut_bound(bounds, width, j - 1) >= pkb_cut_bound(bounds, width, j))
			return pk_err_at(v->err, vp_at(v, bounds + width * j), "%s at word %u: %s",
					 pkb_op_name(pkb_op(insn[0])), vp_word(v, insn), "bounds not increasing");
	return v_targets(v, insn, pkb_cut_targets(insn, width), k + 1);
}

/* A LAST or COLLECT list: rules in range, strictly decreasing (LAST) or
 * increasing (COLLECT), each a non-quick pass or block (LAST) or match
 * (COLLECT) filter rule: what the runtime's early stops rely on. The
 * PKB_SURE and PKB_SYN marks are the compiler's claims, like the lists'
 * completeness. */
static int v_list(const struct pk_vp *v, const uint32_t *insn)
{
	const struct pkb_rule *rules = PK_RS_SEC(v->rs, RULES, struct pkb_rule);
	const uint32_t *list = pkb_list(insn);
	bool last = pkb_op(insn[0]) == PKB_OP_LAST;
	const char *name = pkb_op_name(pkb_op(insn[0]));
	uint32_t pc = vp_word(v, insn);
	for (uint32_t j = 0; j < pkb_operand_a(insn[0]); j++) {
		uint32_t r = list[j] & ~PKB_ENTRY_MARKS, prev = j ? list[j - 1] & ~PKB_ENTRY_MARKS : 0;
		uint64_t at = vp_at(v, list + j);
		if (r >= PK_RS_N(v->rs, RULES))
			return pk_err_at(v->err, at, "%s at word %u: rule %u out of range", name, pc, r);
		if (j && (last ? r >= prev : r <= prev))
			return pk_err_at(v->err, at, "%s at word %u: rules not strictly %s", name, pc,
					 last ? "decreasing" : "increasing");
		if (pkb_phase_of(rules[r].action) != PK_PHASE_FILTER || (rules[r].action == PK_ACT_MATCH) == last ||
		    (rules[r].flags & PKB_R_QUICK))
			return pk_err_at(v->err, at, "%s at word %u: rule %u is not a non-quick %s rule", name, pc, r,
					 last ? "pass or block" : "match");
	}
	return 0;
}

/* What follows an instruction (tables, targets, lists), once every
 * instruction start is known. */
static int v_tail(const struct pk_vp *v, const uint32_t *insn)
{
	switch (pkb_op(insn[0])) {
	case PKB_OP_CUT:
	case PKB_OP_CUT32:
		return v_cut(v, insn);
	case PKB_OP_INDEX:
		return v_targets(v, insn, pkb_index_targets(insn), pkb_slots_n(pkb_operand_b(insn)));
	case PKB_OP_FORK:
		return v_targets(v, insn, pkb_fork_targets(insn), pkb_operand_b(insn));
	case PKB_OP_LAST:
	case PKB_OP_COLLECT:
		return v_list(v, insn);
	case PKB_OP_END:
	case PKB_OP_TEST:
	case PKB_OP_APPLY:
	case PKB_OP_TESTSYN:
		return 0;
	}
	return 0;
}

static int v_past_end(const struct pk_vp *v, uint32_t pc)
{
	return pk_err_at(v->err, vp_at(v, v->prog + pc), "%s at word %u runs past the end of the program",
			 pkb_op_name(pkb_op(v->prog[pc])), pc);
}

/* Every instruction in turn: opcode known, operands checked against
 * PKB_OPS, inside the program; their starts noted, and the last one. */
static int v_decode(struct pk_vp *v, uint32_t *last)
{
	const uint32_t *prog = v->prog;
	for (uint32_t pc = PKB_ENTRIES; pc < v->nwords;) {
		uint32_t op = pkb_op(prog[pc]);
		uint64_t at = vp_at(v, prog + pc);
		if (op >= PKB_OP_COUNT)
			return pk_err_at(v->err, at, "unknown opcode %u at word %u", op, pc);
		uint32_t len = pkb_insn_len(prog, v->nwords, pc);
		bool has_b = pkb_op_operand(op, 1) != PKB_O_NONE;
		if (has_b && v->nwords - pc < 2)
			return v_past_end(v, pc);
		if (v_operand(v, op, 0, pkb_operand_a(prog[pc]), at) ||
		    (has_b && v_operand(v, op, 1, pkb_operand_b(prog + pc), at + 4)))
			return -1;
		if (!len)
			return v_past_end(v, pc);
		v->start[pc] = 1;
		*last = pc;
		pc += len;
	}
	return 0;
}

int pk_rs_verify_program(const struct pk_rs *rs, struct pk_err *err)
{
	struct pk_vp v = {
		.rs = rs,
		.prog = PK_RS_SEC(rs, PROGRAM, uint32_t),
		.nwords = PK_RS_N(rs, PROGRAM),
		.base = rs->h->sections[PKB_SEC_PROGRAM].offset,
		.err = err,
	};
	if (v.nwords < PKB_ENTRIES + 1)
		return pk_err_at(err, v.base, "program of %u words, shorter than its entry table", v.nwords);
	v.start = calloc(v.nwords, 1);
	if (!v.start)
		return pk_err_at(err, v.base, "out of memory verifying the program");
	uint32_t last = 0;
	int rc = v_decode(&v, &last);
	if (!rc && pkb_op(v.prog[last]) != PKB_OP_END)
		rc = pk_err_at(err, vp_at(&v, v.prog + last), "the program's last instruction is not END");
	for (uint32_t i = 0; !rc && i < PKB_ENTRIES; i++)
		if (v.prog[i] >= v.nwords || !v.start[v.prog[i]])
			rc = pk_err_at(err, vp_at(&v, v.prog + i), "entry %u (%s) is not an instruction", i,
				       i % 2 ? "inet6" : "inet");
	for (uint32_t pc = PKB_ENTRIES; !rc && pc < v.nwords; pc++)
		if (v.start[pc])
			rc = v_tail(&v, v.prog + pc);
	free(v.start);
	return rc;
}
