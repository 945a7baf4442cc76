/*
 * configxml/configxml.h: a pfSense or OPNsense config.xml as pf rules.
 *
 * The products never show their users a pf.conf: the firewall lives in a
 * configuration backup, config.xml, which the box turns into pf rules
 * (pfSense's filter.inc, OPNsense's filter.inc and Firewall plugins). This
 * front end writes the same rules, in the product's order, as pf.conf text
 * with the topology the pf.conf front end reads (interfaces, addresses,
 * gateways), and a line map (compiler/srcmap.h) that locates each line at
 * the config.xml element it came from, named as the GUI names it. The
 * grammar then reads the text like any rule file; `picket import` prints it.
 *
 * The backup is untrusted input: it is parsed without network access,
 * without entity substitution and without loading a DTD; a DOCTYPE that
 * declares entities, or names an external subset, is refused.
 */
#ifndef PK_CONFIGXML_CONFIGXML_H
#define PK_CONFIGXML_CONFIGXML_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/srcmap.h"

struct pk_cx_text {
	char *text; /* the pf.conf, in the arena */
	size_t len;
	struct pk_srcmap map; /* one entry per line of text */
};

/* Whether text is XML (its first non-blank character is '<'): a pf.conf
 * never starts so. Which product it is, is the translation's to say. */
bool pk_cx_is_xml(const char *text, size_t len);

/* Translates the config.xml text read from name; everything in the result
 * lives in a. topology names the --topology file that describes the box as
 * it runs (the addresses DHCP gave it), or is NULL: with a file, the
 * import writes no interface or route lines of its own, the file's stand.
 * Returns 0, or -1 with located errors in d. Notes (what a one-section
 * export lacks, tables filled at run time, rules the product skips) go to
 * d too. */
int pk_cx_translate(struct pk_arena *a, const char *name, const char *text, size_t len, const char *topology,
		    struct pk_diags *d, struct pk_cx_text *out);

#endif
