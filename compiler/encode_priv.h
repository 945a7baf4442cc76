/*
 * compiler/encode_priv.h: the encoder's working state, shared by its files
 * (encode.c: sections and file; encode_rules.c: rule records;
 * encode_tree.c: the evaluation program).
 */
#ifndef PK_COMPILER_ENCODE_PRIV_H
#define PK_COMPILER_ENCODE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "compiler/diag.h"
#include "compiler/ir.h"
#include "compiler/strmap.h"
#include "runtime/pkb_format.h"

/* A growing byte array; allocation failure aborts, as the arena does. */
struct pk_ebuf {
	uint8_t *p;
	size_t len, cap;
};
void *pk_ebuf_add(struct pk_ebuf *b, size_t n); /* n zeroed bytes at the end */
void pk_ebuf_free(struct pk_ebuf *b);

struct pk_enc {
	const struct pk_ir_ruleset *rs;
	struct pk_diags *d;
	struct pk_ebuf sec[PKB_SEC_COUNT];
	struct pk_strmap strings, sources, ifaces, tags;
	struct pk_addrmap {
		uint32_t *slots; /* ADDRS index + 1; 0 = empty */
		size_t n, cap;
	} addrs;
	uint32_t niface, ntag, nsopts;
};

#define PK_ENC_COUNT(e, id) ((uint32_t)((e)->sec[PKB_SEC_##id].len / pkb_section_entsize(PKB_SEC_##id)))
#define PK_ENC_ADD(e, id) pk_ebuf_add(&(e)->sec[PKB_SEC_##id], pkb_section_entsize(PKB_SEC_##id))

uint32_t pk_enc_string(struct pk_enc *e, const char *s); /* PKB_NONE for NULL */
uint32_t pk_enc_source(struct pk_enc *e, const char *path);
uint32_t pk_enc_iface(struct pk_enc *e, const char *name); /* adds unknown names */
void pk_enc_loc(struct pk_enc *e, const struct pk_loc *l, struct pkb_loc *out);
void pk_enc_prefix(const struct pk_prefix *p, struct pkb_prefix *out);
void pk_enc_addr(struct pk_enc *e, const struct pk_ir_addr *a, struct pkb_addr *out);

int pk_enc_rules(struct pk_enc *e);
int pk_enc_program(struct pk_enc *e);

#endif
