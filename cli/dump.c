/* cli/dump.c: header and program listings of a verified .pkb (dump.h). */
#include "cli/dump.h"

#include <inttypes.h>

#include "runtime/pkb_format.h"

static void dump_hex(FILE *out, const char *what, const uint8_t *h)
{
	fprintf(out, "# %-16s", what);
	for (int i = 0; i < 32; i++)
		fprintf(out, "%02x", h[i]);
	fputc('\n', out);
}

void pk_dump_header(FILE *out, const char *path, const struct pk_rs *rs)
{
	struct pkb_view f;
	pk_rs_view(rs, &f);
	const struct pkb_header *h = f.h;
	fprintf(out, "# %s: picket bytecode, format version %u, %" PRIu64 " bytes, %u rules\n", path, h->version,
		h->file_size, PK_RS_N(&f, RULES));
	dump_hex(out, "checksum", h->checksum);
	dump_hex(out, "source sha256", h->source_sha256);
	dump_hex(out, "options sha256", h->options_sha256);
	if (PK_RS_N(&f, TESTS)) {
		const struct pkb_tests *t = PK_RS_SEC(&f, TESTS, struct pkb_tests);
		fprintf(out, "# %-16s%u expectations of %s held when it was compiled\n", "tests", t->count,
			PK_RS_SEC(&f, STRINGS, char) + t->path);
		dump_hex(out, "tests sha256", t->sha256);
	} else {
		fprintf(out, "# %-16snone recorded (compiled without --expect)\n", "tests");
	}
	fprintf(out, "# %-16s%-20s %8s %10s %10s\n", "sections", "name", "entries", "offset", "bytes");
	for (uint32_t i = 0; i < PKB_SEC_COUNT; i++)
		fprintf(out, "# %-16s%-20s %8u %10" PRIu64 " %10" PRIu64 "\n", "", pkb_section_name(i),
			h->sections[i].count, h->sections[i].offset, h->sections[i].size);
}

static void dump_cut(FILE *out, const uint32_t *insn)
{
	uint32_t k = pkb_operand_b(insn), width = pkb_cut_width(pkb_op(insn[0]));
	const uint32_t *bounds = pkb_cut_bounds(insn), *targets = pkb_cut_targets(insn, width);
	fprintf(out, "%s %u [", pkb_field_name(pkb_operand_a(insn[0])), k);
	for (uint32_t j = 0; j < k; j++)
		fprintf(out, "%s%" PRIu64, j ? " " : "", pkb_cut_bound(bounds, width, j));
	fputs("] ->", out);
	for (uint32_t j = 0; j <= k; j++)
		fprintf(out, " %u", targets[j]);
}

static void dump_index(FILE *out, const uint32_t *insn)
{
	uint32_t b = pkb_operand_b(insn);
	fprintf(out, " %s %u << %u from %" PRIu64 " ->", pkb_field_name(pkb_operand_a(insn[0])), pkb_slots_n(b),
		pkb_slots_shift(b), pkb_index_first(insn));
	for (uint32_t j = 0; j < pkb_slots_n(b); j++)
		fprintf(out, " %u", pkb_index_targets(insn)[j]);
}

/* A LAST's or COLLECT's rules, by @nr, with their marks. */
static void dump_list(FILE *out, const struct pk_rs *rs, const uint32_t *insn)
{
	const uint32_t *list = pkb_list(insn);
	for (uint32_t j = 0; j < pkb_operand_a(insn[0]); j++)
		fprintf(out, " %s@%u", list[j] & PKB_SURE ? "sure" : list[j] & PKB_SYN ? "syn" : "",
			pk_rs_rule(rs, list[j] & ~PKB_ENTRY_MARKS)->nr);
}

static void dump_fork(FILE *out, const uint32_t *insn)
{
	fprintf(out, " %u ->", pkb_operand_b(insn));
	for (uint32_t j = 0; j < pkb_operand_b(insn); j++)
		fprintf(out, " %u", pkb_fork_targets(insn)[j]);
}

/* What follows the opcode's name on its line. */
static void dump_operands(FILE *out, const struct pk_rs *rs, const uint32_t *insn)
{
	const struct pk_rs_rule *r;
	switch (pkb_op(insn[0])) {
	case PKB_OP_TEST:
	case PKB_OP_APPLY:
	case PKB_OP_TESTSYN:
		r = pk_rs_rule(rs, pkb_operand_a(insn[0]));
		fprintf(out, " @%u  (line %u)", r->nr, r->line);
		return;
	case PKB_OP_CUT:
	case PKB_OP_CUT32:
		fputc(' ', out);
		dump_cut(out, insn);
		return;
	case PKB_OP_INDEX:
		dump_index(out, insn);
		return;
	case PKB_OP_LAST:
	case PKB_OP_COLLECT:
		dump_list(out, rs, insn);
		return;
	case PKB_OP_FORK:
		dump_fork(out, insn);
		return;
	case PKB_OP_END:
		return;
	}
}

void pk_dump_program(FILE *out, const struct pk_rs *rs)
{
	static const char *const phases[PK_PHASE_COUNT] = {"scrub", "binat", "rdr", "nat", "filter"};
	struct pkb_view f;
	pk_rs_view(rs, &f);
	const uint32_t *prog = PK_RS_SEC(&f, PROGRAM, uint32_t);
	uint32_t n = PK_RS_N(&f, PROGRAM);
	uint64_t base = f.h->sections[PKB_SEC_PROGRAM].offset;
	fprintf(out, "# program: %u words at byte offset %" PRIu64 "\n", n, base);
	for (uint32_t op = 0; op < PKB_OP_COUNT; op++)
		fprintf(out, "#   %-5s %s\n", pkb_op_name(op), pkb_op_doc(op));
	fputs("# entries:", out);
	for (uint32_t i = 0; i < PKB_ENTRIES; i++)
		fprintf(out, " %s/%s=%u", phases[i / 2], i % 2 ? "inet6" : "inet", prog[i]);
	fprintf(out, "\n#   word      offset  instruction\n");
	for (uint32_t pc = PKB_ENTRIES; pc < n; pc += pkb_insn_len(prog, n, pc)) {
		fprintf(out, "%8u  0x%08" PRIx64 "  %s", pc, base + 4 * (uint64_t)pc, pkb_op_name(pkb_op(prog[pc])));
		dump_operands(out, rs, prog + pc);
		fputc('\n', out);
	}
}
