/*
 * compiler/names.h: the name tables of the language: services (OpenBSD's
 * numbering, built in rather than read from /etc/services so a ruleset
 * means the same on every host), protocols, ICMP and ICMPv6 types and codes.
 * The parser reads names from them and the printer writes names from them.
 */
#ifndef PK_COMPILER_NAMES_H
#define PK_COMPILER_NAMES_H

#include <stdbool.h>

struct pk_name {
	const char *name;
	int value;
};

/* Returns the value of name in the table, or -1. */
int pk_service_lookup(const char *name);
int pk_proto_lookup(const char *name);
/* The protocol's name as pfctl prints it, or NULL for an unnamed number. */
const char *pk_proto_name(int proto);
/* af is 4 or 6. Type codes depend on the type for codes. */
int pk_icmp_type_lookup(const char *name, int af);
const char *pk_icmp_type_name(int type, int af);
int pk_icmp_code_lookup(const char *name, int af);
const char *pk_icmp_code_name(int type, int code, int af);

/* Candidate names for "did you mean" hints. */
const char *const *pk_service_names(unsigned *n);

#endif
