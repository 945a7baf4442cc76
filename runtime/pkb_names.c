/* runtime/pkb_names.c: names and operand kinds generated from PKB_OPS,
 * PKB_FIELDS and PKB_SECTIONS, for the verifier and the disassembler. */
#include "runtime/pkb_format.h"

#include <stddef.h>

struct pkb_op_info {
	const char *name, *doc;
	enum pkb_opnd a, b;
};

static const struct pkb_op_info pkb_ops[PKB_OP_COUNT] = {
#define PKB_OP_INFO(name, a, b, doc) {#name, doc, a, b},
	PKB_OPS(PKB_OP_INFO)
#undef PKB_OP_INFO
};

static const char *const pkb_fields[PKB_FIELD_COUNT] = {
#define PKB_FIELD_NAME(id, name) name,
	PKB_FIELDS(PKB_FIELD_NAME)
#undef PKB_FIELD_NAME
};

struct pkb_sec_info {
	const char *name;
	uint32_t entsize;
};

static const struct pkb_sec_info pkb_secs[PKB_SEC_COUNT] = {
#define PKB_SEC_INFO(id, name, size) {name, (uint32_t)(size)},
	PKB_SECTIONS(PKB_SEC_INFO)
#undef PKB_SEC_INFO
};

const char *pkb_op_name(uint32_t op)
{
	return op < PKB_OP_COUNT ? pkb_ops[op].name : NULL;
}

const char *pkb_op_doc(uint32_t op)
{
	return op < PKB_OP_COUNT ? pkb_ops[op].doc : NULL;
}

enum pkb_opnd pkb_op_operand(uint32_t op, int which)
{
	if (op >= PKB_OP_COUNT)
		return PKB_O_NONE;
	return which ? pkb_ops[op].b : pkb_ops[op].a;
}

const char *pkb_field_name(uint32_t f)
{
	return f < PKB_FIELD_COUNT ? pkb_fields[f] : NULL;
}

const char *pkb_section_name(uint32_t id)
{
	return id < PKB_SEC_COUNT ? pkb_secs[id].name : "?";
}

uint32_t pkb_section_entsize(uint32_t id)
{
	return id < PKB_SEC_COUNT ? pkb_secs[id].entsize : 0;
}

uint32_t pkb_insn_len(const uint32_t *prog, uint32_t nwords, uint32_t pc)
{
	if (pc >= nwords)
		return 0;
	uint32_t op = prog[pc] & 0xff;
	uint64_t len = 1;
	if (op < PKB_OP_COUNT && pkb_ops[op].b != PKB_O_NONE)
		len++;
	if (pkb_cut_width(op)) {
		if (nwords - pc < 2)
			return 0;
		uint64_t n = prog[pc + 1];
		if (n == 0 || n > PKB_MAX_CUT)
			return 0;
		len += pkb_cut_width(op) * n + n + 1;
	} else if (op == PKB_OP_LAST || op == PKB_OP_COLLECT) {
		uint64_t n = prog[pc] >> 8;
		if (n == 0)
			return 0;
		len += n;
	} else if (op == PKB_OP_FORK) {
		if (nwords - pc < 2)
			return 0;
		uint64_t n = prog[pc + 1];
		if (n == 0 || n > PKB_MAX_FORK)
			return 0;
		len += n;
	}
	return len <= nwords - pc ? (uint32_t)len : 0;
}
