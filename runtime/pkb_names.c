/* runtime/pkb_names.c: names, operand kinds and instruction lengths
 * generated from PKB_OPS, PKB_FIELDS and PKB_SECTIONS, for the verifier
 * and the disassembler. */
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

static uint32_t pkb_bound_words(enum pkb_opnd k)
{
	return k == PKB_O_BOUNDS ? 2 : k == PKB_O_BOUNDS32 ? 1 : 0;
}

uint32_t pkb_cut_width(uint32_t op)
{
	return pkb_bound_words(pkb_op_operand(op, 1));
}

/* The words an operand of kind k and value v puts after the instruction's
 * operand words: the list or table it counts. */
static uint64_t pkb_opnd_tail(enum pkb_opnd k, uint64_t v)
{
	switch (k) {
	case PKB_O_NONE:
	case PKB_O_FIELD:
	case PKB_O_RULE:
		return 0;
	case PKB_O_TREES:
	case PKB_O_LIST:
		return v;
	case PKB_O_BOUNDS:
	case PKB_O_BOUNDS32:
		return pkb_bound_words(k) * v + v + 1; /* bounds, then targets */
	case PKB_O_SLOTS:
		return 2 + pkb_slots_n((uint32_t)v); /* the first slot, then targets */
	}
	return 0;
}

uint32_t pkb_insn_len(const uint32_t *prog, uint32_t nwords, uint32_t pc)
{
	if (pc >= nwords || pkb_op(prog[pc]) >= PKB_OP_COUNT)
		return 0;
	const struct pkb_op_info *o = &pkb_ops[pkb_op(prog[pc])];
	uint64_t len = 1 + pkb_opnd_tail(o->a, pkb_operand_a(prog[pc]));
	if (o->b != PKB_O_NONE) {
		if (nwords - pc < 2)
			return 0;
		len += 1 + pkb_opnd_tail(o->b, pkb_operand_b(prog + pc));
	}
	return len <= nwords - pc ? (uint32_t)len : 0;
}
