/*
 * configxml/cx.h: what the files of configxml/ share: the parsed document,
 * the interfaces and aliases read from it, and the writer of pf lines.
 *
 * One file per part of the product's rules.debug: interfaces.c (topology,
 * interface macros and networks), aliases.c (tables and macros), system.c
 * (Advanced settings: `set` lines), scrub.c (normalization), generated.c
 * (the rules the product adds itself), rules.c (the user's filter rules), nat.c (port forwards,
 * outbound and 1:1 NAT), opnsense.c (what OPNsense generates instead);
 * translate.c puts them in the product's order.
 */
#ifndef PK_CONFIGXML_CX_H
#define PK_CONFIGXML_CX_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/lines.h"
#include "compiler/srcmap.h"

enum cx_product { CX_PFSENSE, CX_OPNSENSE };

struct cx_iface {
	const char *key;   /* wan, lan, opt1: the element's name */
	const char *descr; /* what the GUI shows: WAN, LAN, DMZ */
	const char *macro; /* the pf macro: descr upper-cased (pfSense) */
	const char *dev;   /* em0: the device pf sees */
	const char *ip4, *ip6;     /* literal addresses, or NULL */
	unsigned bits4, bits6;
	const char *dyn4, *dyn6;   /* dhcp, pppoe, dhcp6, slaac...: assigned at run time */
	const char *gw4;           /* the gateway's address, when config.xml has it */
	bool enabled, wanlike, blockpriv, blockbogons;
	const xmlNode *node;
};

struct cx_alias {
	const char *name, *type;
	const xmlNode *node;
	bool is_port;   /* a macro of ports, not a table */
	bool runtime;   /* its content is not in config.xml */
};

struct cx {
	struct pk_arena *a;
	struct pk_diags *d;
	const char *file;
	enum cx_product product;
	const char *section; /* a one-section export: "filter" or "aliases"; else NULL */
	bool net_tables;     /* pfSense 2.7+ (config 22.9+): <LAN__NETWORK> tables, not literal subnets */
	bool dhcp_tagged;    /* pfSense 2.7+: DHCP replies in tagged "dhcpin" and stateless, not kept state */
	const char *topology; /* the --topology file that replaces the interface and route lines, or NULL */
	xmlDoc *doc;
	xmlNode *root;
	struct pk_lines xml_lines;

	struct cx_iface *ifs;
	uint32_t nifs, ifcap;
	struct cx_alias *al;
	uint32_t nal, alcap;
	bool failed; /* an error was reported */

	/* the pf text written so far and where each of its lines came from */
	char *buf;
	size_t len, cap;
	struct pk_srcline *lines;
	uint32_t nlines, linecap;
};

/* xml.c: reading elements. */
const xmlNode *cx_child(const xmlNode *n, const char *tag);
const xmlNode *cx_next(const xmlNode *n, const char *tag); /* the next sibling element named tag */
#define cx_each(var, parent, tag) \
	for (const xmlNode *var = cx_child((parent), (tag)); var; var = cx_next(var, (tag)))
/* The trimmed text of child tag, "" when empty, NULL when absent. */
const char *cx_text(struct cx *c, const xmlNode *n, const char *tag);
/* The text of n itself. */
const char *cx_content(struct cx *c, const xmlNode *n);
/* A flag as the product reads it: pfSense isset() (present), OPNsense !empty(). */
bool cx_flag(const struct cx *c, const xmlNode *n, const char *tag);
/* A section of the root: <system>, <filter>... (the root itself for a
 * one-section export of that section). */
const xmlNode *cx_section(const struct cx *c, const char *tag);
unsigned cx_lineno(const xmlNode *n);

/* out.c: writing pf lines. Each line is located at element at (NULL: a
 * line of the translation's own) and named origin (NULL: none). */
void cx_line(struct cx *c, const xmlNode *at, const char *origin, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cx_blank(struct cx *c);
/* Located diagnostics at an element. */
void cx_note(struct cx *c, const xmlNode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cx_error(struct cx *c, const xmlNode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* read.c */
int cx_read(struct cx *c, const char *text, size_t len);

/* interfaces.c */
/* An address of the family; an address of either family with an optional /len. */
bool cx_literal_ip(const char *s, bool inet6);
bool cx_literal_net(const char *s);
void cx_ifaces_read(struct cx *c);
void cx_ifaces_write(struct cx *c);
const struct cx_iface *cx_iface(const struct cx *c, const char *key);
bool cx_is_group(const struct cx *c, const char *name);

/* aliases.c */
void cx_aliases_read(struct cx *c);
void cx_aliases_write(struct cx *c);
const struct cx_alias *cx_alias(const struct cx *c, const char *name);
/* Whether a port alias holds ports config.xml gives (a macro is written for it). */
bool cx_alias_has_ports(struct cx *c, const struct cx_alias *al);

/* system.c, generated.c, rules.c, nat.c */
void cx_system_write(struct cx *c);
/* scrub.c: pfSense's scrub rules, after the options */
void cx_scrub_write(struct cx *c);
void cx_generated_write(struct cx *c);
void cx_generated_after_user(struct cx *c);
void cx_opnsense_generated_write(struct cx *c);
/* mvc.c: OPNsense's MVC filter rules, added to <filter> as legacy rules */
void cx_mvc_rules_read(struct cx *c);
void cx_rules_write(struct cx *c);
void cx_nat_write(struct cx *c);

/* rules.c: an address of a rule or NAT element (<source>, <destination>)
 * as pf writes it, or NULL when it resolves to nothing (*why says why). */
const char *cx_addr(struct cx *c, const xmlNode *end, bool inet6, const char **why);
/* A port or range of <port>/<dstport>: "port 80", "port 1023 >< 2001"... or
 * "", or NULL for a port alias with no ports config.xml holds (*why says so). */
const char *cx_port(struct cx *c, const char *port, const char **why);

#endif
