/*
 * runtime/pkb_verify_prog.c: the checks that make look-ups and evaluation
 * safe: table indices sorted (binary search needs it), and the program's
 * instructions decoded, their operands checked against PKB_OPS, every
 * jump forward to an instruction start, the last instruction an END: so
 * evaluation stays inside the program and terminates; and each LAST and
 * COLLECT list in range, ordered and of the rules its early stop is
 * exact for.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/pkb_internal.h"

/* Look-up order of table entries: af, length descending, masked address. */
static int pk_tab_cmp(const struct pkb_tabentry *a, const struct pkb_tabentry *b)
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

static int pk_v_table(const struct pk_rs *rs, struct pk_rs_err *err, uint32_t t)
{
	const struct pkb_table *tab = &PK_RS_SEC(rs, TABLES, struct pkb_table)[t];
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	const uint32_t *idx = PK_RS_SEC(rs, TABINDEX, uint32_t);
	uint64_t at = pk_rs_off(rs, PKB_SEC_TABLES, t, 0);
	if (tab->name >= PK_RS_N(rs, STRINGS))
		return pk_rs_fail(err, at, "table %u: name outside the string section", t);
	if (tab->loc.file != PKB_NONE && tab->loc.file >= PK_RS_N(rs, SOURCES))
		return pk_rs_fail(err, at + 4, "table %u: source file index %u out of range", t, tab->loc.file);
	if (tab->flags > 15)
		return pk_rs_fail(err, at + 24, "table %u: unknown flags 0x%x", t, tab->flags);
	if ((uint64_t)tab->entry_first + tab->nentries > PK_RS_N(rs, TABENTRIES) ||
	    (uint64_t)tab->index_first + tab->nindex > PK_RS_N(rs, TABINDEX) ||
	    (uint64_t)tab->file_first + tab->nfiles > PK_RS_N(rs, TABFILES) || tab->nindex > tab->nentries ||
	    tab->ninline > tab->nentries)
		return pk_rs_fail(err, at + 28, "table %u: entry, index or file range out of bounds", t);
	for (uint32_t k = 0; k < tab->nindex; k++) {
		uint32_t e = idx[tab->index_first + k];
		uint64_t eat = pk_rs_off(rs, PKB_SEC_TABINDEX, tab->index_first + (uint64_t)k, 0);
		if (e < tab->entry_first || e - tab->entry_first >= tab->nentries)
			return pk_rs_fail(err, eat, "table %u: index entry %u points outside the table", t, e);
		if (k && pk_tab_cmp(&ent[idx[tab->index_first + k - 1]], &ent[e]) >= 0)
			return pk_rs_fail(err, eat, "table %u: index not sorted at position %u", t, k);
	}
	return 0;
}

int pk_rs_verify_tables(const struct pk_rs *rs, struct pk_rs_err *err)
{
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	for (uint32_t i = 0; i < PK_RS_N(rs, TABENTRIES); i++) {
		uint64_t at = pk_rs_off(rs, PKB_SEC_TABENTRIES, i, 0);
		if (ent[i].af != PK_AF_INET && ent[i].af != PK_AF_INET6)
			return pk_rs_fail(err, at, "table entry %u: unknown address family %u", i, ent[i].af);
		if (ent[i].len > (ent[i].af == PK_AF_INET ? 32 : 128) || ent[i].neg > 1 || ent[i].pad)
			return pk_rs_fail(err, at + 1, "table entry %u: bad length, negation or padding", i);
	}
	for (uint32_t t = 0; t < PK_RS_N(rs, TABLES); t++)
		if (pk_v_table(rs, err, t))
			return -1;
	return 0;
}

static int pk_v_operand(const struct pk_rs *rs, struct pk_rs_err *err, uint32_t op, int which, uint32_t v,
			uint64_t at)
{
	const char *name = pkb_op_name(op);
	switch (pkb_op_operand(op, which)) {
	case PKB_O_NONE: /* only A reaches here: a B of kind NONE is not read */
		if (v)
			return pk_rs_fail(err, at, "%s: unused operand %c is %u, must be 0", name, "AB"[which], v);
		return 0;
	case PKB_O_FIELD:
		if (v >= PKB_FIELD_COUNT)
			return pk_rs_fail(err, at, "%s: unknown packet field %u", name, v);
		return 0;
	case PKB_O_TREES:
		if (v == 0 || v > PKB_MAX_FORK)
			return pk_rs_fail(err, at, "%s: %u trees, must be 1..%u", name, v, PKB_MAX_FORK);
		return 0;
	case PKB_O_COUNT:
		if (v == 0 || v > PKB_MAX_CUT)
			return pk_rs_fail(err, at, "%s: %u bounds, must be 1..%u", name, v, PKB_MAX_CUT);
		return 0;
	case PKB_O_LIST:
		if (v == 0 || v > PK_RS_N(rs, RULES))
			return pk_rs_fail(err, at, "%s: %u rules listed, must be 1..%u", name, v, PK_RS_N(rs, RULES));
		return 0;
	case PKB_O_RULE:
		if (v >= PK_RS_N(rs, RULES))
			return pk_rs_fail(err, at, "%s: rule %u out of range (%u rules)", name, v, PK_RS_N(rs, RULES));
		return 0;
	}
	return pk_rs_fail(err, at, "%s: unknown operand kind", name);
}

/* n targets at word at, of the instruction at pc: later instruction starts. */
static int pk_v_targets(const uint32_t *prog, uint32_t pc, uint32_t at, uint32_t n, const uint8_t *start,
			uint32_t nwords, uint64_t base, struct pk_rs_err *err)
{
	const char *name = pkb_op_name(prog[pc] & 0xff);
	for (uint32_t j = 0; j < n; j++) {
		uint32_t w = at + j, t = prog[w];
		if (t <= pc)
			return pk_rs_fail(err, base + 4ull * w, "%s at word %u: jump target %u is not forward", name, pc, t);
		if (t >= nwords || !start[t])
			return pk_rs_fail(err, base + 4ull * w, "%s at word %u: jump target %u is not an instruction", name,
					  pc, t);
	}
	return 0;
}

/* A bound of a CUT (two words, low first) or CUT32 (one word). */
static uint64_t pk_v_bound(const uint32_t *b, uint32_t width, uint32_t j)
{
	return width == 2 ? b[2 * j] | (uint64_t)b[2 * j + 1] << 32 : b[j];
}

/* CUT and CUT32 bounds strictly increasing, targets later instruction starts. */
static int pk_v_cut(const uint32_t *prog, uint32_t pc, const uint8_t *start, uint32_t nwords, uint64_t base,
		    struct pk_rs_err *err)
{
	uint32_t k = prog[pc + 1], width = pkb_cut_width(prog[pc] & 0xff);
	for (uint32_t j = 1; j < k; j++)
		if (pk_v_bound(prog + pc + 2, width, j - 1) >= pk_v_bound(prog + pc + 2, width, j))
			return pk_rs_fail(err, base + 4ull * (pc + 2 + width * j), "%s at word %u: bounds not increasing",
					  pkb_op_name(prog[pc] & 0xff), pc);
	return pk_v_targets(prog, pc, pc + 2 + width * k, k + 1, start, nwords, base, err);
}

/* A LAST or COLLECT list: rules in range, strictly decreasing (LAST) or
 * increasing (COLLECT), each a non-quick pass or block (LAST) or match
 * (COLLECT) filter rule: what the runtime's early stops rely on. The
 * PKB_SURE and PKB_SYN marks are the compiler's claims, like the lists'
 * completeness. */
static int pk_v_list(const struct pk_rs *rs, const uint32_t *prog, uint32_t pc, uint64_t base, struct pk_rs_err *err)
{
	const struct pkb_rule *rules = PK_RS_SEC(rs, RULES, struct pkb_rule);
	bool last = (prog[pc] & 0xff) == PKB_OP_LAST;
	const char *name = last ? "LAST" : "COLLECT";
	for (uint32_t j = 1; j <= prog[pc] >> 8; j++) {
		uint32_t r = prog[pc + j] & ~PKB_ENTRY_MARKS, prev = prog[pc + j - 1] & ~PKB_ENTRY_MARKS;
		uint64_t at = base + 4ull * (pc + j);
		if (r >= PK_RS_N(rs, RULES))
			return pk_rs_fail(err, at, "%s at word %u: rule %u out of range", name, pc, r);
		if (j > 1 && (last ? r >= prev : r <= prev))
			return pk_rs_fail(err, at, "%s at word %u: rules not strictly %s", name, pc,
					  last ? "decreasing" : "increasing");
		if (pkb_phase_of(rules[r].action) != PK_PHASE_FILTER || (rules[r].action == PK_ACT_MATCH) == last ||
		    (rules[r].flags & PKB_R_QUICK))
			return pk_rs_fail(err, at, "%s at word %u: rule %u is not a non-quick %s rule", name, pc, r,
					  last ? "pass or block" : "match");
	}
	return 0;
}

static int pk_v_decode(const struct pk_rs *rs, const uint32_t *prog, uint32_t nwords, uint8_t *start,
		       uint32_t *last, struct pk_rs_err *err)
{
	uint64_t base = rs->h->sections[PKB_SEC_PROGRAM].offset;
	for (uint32_t pc = PKB_ENTRIES; pc < nwords;) {
		uint32_t op = prog[pc] & 0xff;
		if (op >= PKB_OP_COUNT)
			return pk_rs_fail(err, base + 4ull * pc, "unknown opcode %u at word %u", op, pc);
		uint32_t len = pkb_insn_len(prog, nwords, pc);
		bool has_b = pkb_op_operand(op, 1) != PKB_O_NONE;
		if (has_b && nwords - pc < 2)
			return pk_rs_fail(err, base + 4ull * pc, "%s at word %u runs past the end of the program",
					  pkb_op_name(op), pc);
		if (pk_v_operand(rs, err, op, 0, prog[pc] >> 8, base + 4ull * pc) ||
		    (has_b && pk_v_operand(rs, err, op, 1, prog[pc + 1], base + 4ull * pc + 4)))
			return -1;
		if (!len)
			return pk_rs_fail(err, base + 4ull * pc, "%s at word %u runs past the end of the program",
					  pkb_op_name(op), pc);
		start[pc] = 1;
		*last = pc;
		pc += len;
	}
	return 0;
}

int pk_rs_verify_program(const struct pk_rs *rs, struct pk_rs_err *err)
{
	const uint32_t *prog = PK_RS_SEC(rs, PROGRAM, uint32_t);
	uint32_t nwords = PK_RS_N(rs, PROGRAM);
	uint64_t base = rs->h->sections[PKB_SEC_PROGRAM].offset;
	if (nwords < PKB_ENTRIES + 1)
		return pk_rs_fail(err, base, "program of %u words, shorter than its entry table", nwords);
	uint8_t *start = calloc(nwords, 1);
	if (!start)
		return pk_rs_fail(err, base, "out of memory verifying the program");
	uint32_t last = 0;
	int rc = pk_v_decode(rs, prog, nwords, start, &last, err);
	if (!rc && (prog[last] & 0xff) != PKB_OP_END)
		rc = pk_rs_fail(err, base + 4ull * last, "the program's last instruction is not END");
	for (uint32_t i = 0; !rc && i < PKB_ENTRIES; i++)
		if (prog[i] >= nwords || !start[prog[i]])
			rc = pk_rs_fail(err, base + 4ull * i, "entry %u (%s) is not an instruction", i,
					i % 2 ? "inet6" : "inet");
	for (uint32_t pc = PKB_ENTRIES; !rc && pc < nwords; pc++) {
		if (start[pc] && pkb_cut_width(prog[pc] & 0xff))
			rc = pk_v_cut(prog, pc, start, nwords, base, err);
		if (start[pc] && (prog[pc] & 0xff) == PKB_OP_FORK)
			rc = pk_v_targets(prog, pc, pc + 2, prog[pc + 1], start, nwords, base, err);
		if (start[pc] && ((prog[pc] & 0xff) == PKB_OP_LAST || (prog[pc] & 0xff) == PKB_OP_COLLECT))
			rc = pk_v_list(rs, prog, pc, base, err);
	}
	free(start);
	return rc;
}
