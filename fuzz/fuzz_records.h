/*
 * fuzz/fuzz_records.h: what the packet-path targets share: their rules
 * compiled once from text, and their inputs read as a sequence of records
 * (a byte of interface and direction, a byte of time step, two bytes of
 * length, then that many bytes of IP packet; a short last record takes
 * what is left).
 */
#ifndef PK_FUZZ_RECORDS_H
#define PK_FUZZ_RECORDS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/encode.h"
#include "compiler/frontend.h"
#include "runtime/ruleset.h"

/* The interfaces and routes the targets' rules start with. */
#define FUZZ_TOPOLOGY                                                      \
	"interface lan0 address 192.168.1.1/24, 2001:db8:1::1/64\n"        \
	"interface opt1 address 10.0.10.1/24\n"                             \
	"interface wan0 address 203.0.113.2/24\n"                           \
	"route default via wan0 gateway 203.0.113.1\n"

/* A fresh load (and verification) of the target's rules, compiled at the
 * first call (a target has one rule set). They must compile: abort when
 * not. */
static inline struct pk_rs *fuzz_load_rules(const char *rules)
{
	static uint8_t *pkb;
	static size_t pkb_len;
	struct pk_rs *rs = NULL;
	struct pk_err err;

	if (!pkb) {
		struct pk_frontend_opts o = {0};
		struct pk_ir_ruleset *ir = NULL;
		struct pk_diags d;

		pk_diags_init(&d);
		if (pk_frontend_load_string("fuzz.conf", rules, strlen(rules), &o, &d, &ir) ||
		    pk_encode(ir, &pkb, &pkb_len, &d)) {
			pk_diags_print(&d, stderr, PK_COLOR_NEVER);
			abort();
		}
		pk_ir_ruleset_free(ir);
		pk_diags_free(&d);
	}
	if (pk_rs_load(pkb, pkb_len, &rs, &err))
		abort();
	return rs;
}

struct fuzz_record {
	uint8_t how;  /* interface (low 2 bits), direction (4: out), tag, ... as the target reads it */
	uint8_t step; /* time since the record before, in 50 ms */
	const uint8_t *ip;
	size_t len;
};

/* The next record of *data, consumed; false at the end. */
static inline bool fuzz_next_record(const uint8_t **data, size_t *size, struct fuzz_record *r)
{
	if (*size < 4)
		return false;
	r->how = (*data)[0];
	r->step = (*data)[1];
	r->len = (size_t)(*data)[2] << 8 | (*data)[3];
	*data += 4;
	*size -= 4;
	r->len = r->len < *size ? r->len : *size;
	r->ip = *data;
	*data += r->len;
	*size -= r->len;
	return true;
}

#endif
