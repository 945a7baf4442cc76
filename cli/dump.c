/* cli/dump.c: header and program listings of a verified .pkb (dump.h). */
#include "cli/dump.h"

#include <inttypes.h>

#include "runtime/pkb_internal.h"

static void dump_hex(FILE *out, const char *what, const uint8_t *h)
{
	fprintf(out, "# %-16s", what);
	for (int i = 0; i < 32; i++)
		fprintf(out, "%02x", h[i]);
	fputc('\n', out);
}

void pk_dump_header(FILE *out, const char *path, const struct pk_rs *rs)
{
	const struct pkb_header *h = rs->h;
	fprintf(out, "# %s: picket bytecode, format version %u, %" PRIu64 " bytes, %u rules\n", path, h->version,
		h->file_size, PK_RS_N(rs, RULES));
	dump_hex(out, "checksum", h->checksum);
	dump_hex(out, "source sha256", h->source_sha256);
	dump_hex(out, "options sha256", h->options_sha256);
	fprintf(out, "# %-16s%-20s %8s %10s %10s\n", "sections", "name", "entries", "offset", "bytes");
	for (uint32_t i = 0; i < PKB_SEC_COUNT; i++)
		fprintf(out, "# %-16s%-20s %8u %10" PRIu64 " %10" PRIu64 "\n", "", pkb_section_name(i),
			h->sections[i].count, h->sections[i].offset, h->sections[i].size);
}

static void dump_cut(FILE *out, const uint32_t *w)
{
	uint32_t k = w[1], width = pkb_cut_width(w[0] & 0xff);
	fprintf(out, "%s %u [", pkb_field_name(w[0] >> 8), k);
	for (uint32_t j = 0; j < k; j++)
		fprintf(out, "%s%" PRIu64, j ? " " : "",
			width == 2 ? w[2 + 2 * j] | (uint64_t)w[3 + 2 * j] << 32 : w[2 + j]);
	fputs("] ->", out);
	for (uint32_t j = 0; j <= k; j++)
		fprintf(out, " %u", w[2 + width * k + j]);
}

void pk_dump_program(FILE *out, const struct pk_rs *rs)
{
	static const char *const phases[PK_PHASE_COUNT] = {"scrub", "binat", "rdr", "nat", "filter"};
	const uint32_t *prog = PK_RS_SEC(rs, PROGRAM, uint32_t);
	uint32_t n = PK_RS_N(rs, PROGRAM);
	uint64_t base = rs->h->sections[PKB_SEC_PROGRAM].offset;
	fprintf(out, "# program: %u words at byte offset %" PRIu64 "\n", n, base);
	for (uint32_t op = 0; op < PKB_OP_COUNT; op++)
		fprintf(out, "#   %-5s %s\n", pkb_op_name(op), pkb_op_doc(op));
	fputs("# entries:", out);
	for (uint32_t i = 0; i < PKB_ENTRIES; i++)
		fprintf(out, " %s/%s=%u", phases[i / 2], i % 2 ? "inet6" : "inet", prog[i]);
	fprintf(out, "\n#   word      offset  instruction\n");
	for (uint32_t pc = PKB_ENTRIES; pc < n; pc += pkb_insn_len(prog, n, pc)) {
		uint32_t op = prog[pc] & 0xff;
		fprintf(out, "%8u  0x%08" PRIx64 "  %s", pc, base + 4 * (uint64_t)pc, pkb_op_name(op));
		if (op == PKB_OP_TEST || op == PKB_OP_APPLY || op == PKB_OP_TESTSYN) {
			const struct pk_rs_rule *r = pk_rs_rule(rs, prog[pc] >> 8);
			fprintf(out, " @%u  (line %u)", r->nr, r->line);
		} else if (pkb_cut_width(op)) {
			fputc(' ', out);
			dump_cut(out, prog + pc);
		} else if (op == PKB_OP_LAST || op == PKB_OP_COLLECT) {
			for (uint32_t j = 1; j <= prog[pc] >> 8; j++)
				fprintf(out, " %s@%u",
					prog[pc + j] & PKB_SURE ? "sure" : prog[pc + j] & PKB_SYN ? "syn" : "",
					pk_rs_rule(rs, prog[pc + j] & ~PKB_ENTRY_MARKS)->nr);
		} else if (op == PKB_OP_FORK) {
			fprintf(out, " %u ->", prog[pc + 1]);
			for (uint32_t j = 0; j < prog[pc + 1]; j++)
				fprintf(out, " %u", prog[pc + 2 + j]);
		}
		fputc('\n', out);
	}
}
