/*
 * tests/support/cxtest.h: what the config.xml front end's tests share
 * (tests/configxml/): translate a config.xml text, look for lines of the
 * pf text it becomes, load it through the front end.
 */
#ifndef PK_TESTS_CXTEST_H
#define PK_TESTS_CXTEST_H

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "compiler/ir.h"

/* A pfSense 2.7 (config 23.3) config.xml: WAN em0 10.0.2.4/24 with
 * gateway 10.0.2.1, LAN em1 192.168.1.1/24, the <system> children given
 * and the other sections given (malloc'd). */
char *pk_cxt_pfsense(const char *system, const char *sections);
/* The pf text xml becomes (malloc'd), or NULL; the diagnostics, printed
 * without colour, in *diags (malloc'd) when diags is not NULL. */
char *pk_cxt_import(const char *xml, char **diags);
/* The pf text, which must translate: the test fails with the messages otherwise. */
char *pk_cxt_import_ok(const char *xml);
/* The test fails unless text holds a line equal to line. */
void pk_cxt_expect_line(const char *text, const char *line);
/* The test fails if a line of text holds fragment. */
void pk_cxt_expect_no(const char *text, const char *fragment);
/* xml loaded through the front end, as every command loads it ("config.xml");
 * NULL on error. d is initialised here; the caller frees it. */
struct pk_ir_ruleset *pk_cxt_load(const char *xml, struct pk_diags *d);
/* The first rule whose label is label, or NULL. */
const struct pk_ir_rule *pk_cxt_rule(const struct pk_ir_ruleset *rs, const char *label);

#endif
