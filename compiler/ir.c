/* compiler/ir.c: look-ups and prefix helpers over the IR (compiler/ir.h). */
#include "compiler/ir.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool pk_ir_rule_reads_l4(const struct pk_ir_rule *r, uint8_t proto)
{
	return r->sport.op != PK_PORT_ANY || r->dport.op != PK_PORT_ANY || (proto == 6 && r->flagmask) ||
	       r->icmp_type >= 0 || r->icmp_code >= 0 || r->user || r->group;
}

const struct pk_ir_iface *pk_ir_iface_find(const struct pk_ir_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->nifaces; i++)
		if (!strcmp(rs->ifaces[i].name, name))
			return &rs->ifaces[i];
	return NULL;
}

static bool holds_default_route(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f)
{
	for (uint32_t i = 0; i < rs->nroutes; i++)
		if (rs->routes[i].dst.len == 0 && !strcmp(rs->routes[i].ifname, f->name))
			return true;
	return false;
}

bool pk_ir_iface_in_group(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f, const char *g)
{
	for (uint32_t i = 0; i < f->ngroups; i++)
		if (!strcmp(f->groups[i], g))
			return true;
	if (!strcmp(g, "egress"))
		return holds_default_route(rs, f);
	size_t kind = strlen(f->name);
	while (kind && f->name[kind - 1] >= '0' && f->name[kind - 1] <= '9')
		kind--;
	return kind && kind < strlen(f->name) && strlen(g) == kind && !strncmp(f->name, g, kind);
}

bool pk_ir_iface_named(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f, const char *name)
{
	return !strcmp(f->name, name) || (!pk_ir_iface_find(rs, name) && pk_ir_iface_in_group(rs, f, name));
}

uint32_t pk_ir_probability(double chance)
{
	double v = chance * 4294967295.0 + 0.5;
	uint32_t r = v >= 4294967295.0 ? UINT32_MAX : (uint32_t)v;
	return r ? r : 1;
}

const struct pk_ir_table *pk_ir_table_find(const struct pk_ir_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->ntables; i++)
		if (!strcmp(rs->tables[i].name, name))
			return &rs->tables[i];
	return NULL;
}

bool pk_prefix_contains(const struct pk_prefix *net, const uint8_t addr[16], uint8_t af)
{
	if (net->af != af)
		return false;
	unsigned bits = net->len, full = bits / 8, rem = bits % 8;
	if (memcmp(net->addr, addr, full))
		return false;
	if (!rem)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rem));
	return (net->addr[full] & mask) == (addr[full] & mask);
}

/* The directly connected networks count as routes: the front end adds them
 * to rs->routes (flag `connected`), so one longest-prefix scan covers both. */
const struct pk_ir_route *pk_ir_route_lookup(const struct pk_ir_ruleset *rs, const struct pk_prefix *addr,
					     const struct pk_ir_iface **iface)
{
	const struct pk_ir_route *best = NULL;
	for (uint32_t i = 0; i < rs->nroutes; i++) {
		const struct pk_ir_route *r = &rs->routes[i];
		if (!pk_prefix_contains(&r->dst, addr->addr, addr->af))
			continue;
		if (!best || r->dst.len > best->dst.len || (r->dst.len == best->dst.len && r->connected))
			best = r;
	}
	if (iface)
		*iface = best ? pk_ir_iface_find(rs, best->ifname) : NULL;
	return best;
}

bool pk_prefix_is_link_local(const struct pk_prefix *p)
{
	return p->af == PK_AF_INET6 && p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80;
}

int pk_prefix_parse(const char *text, struct pk_prefix *out)
{
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->af = PK_AF_INET;
		out->len = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->af = PK_AF_INET6;
		out->len = 128;
	} else {
		return -1;
	}
	if (!slash)
		return 0;
	const char *p = slash + 1;
	if (*p < '0' || *p > '9' || strlen(p) > 3)
		return -1;
	char *end;
	unsigned long len = strtoul(p, &end, 10);
	if (*end || len > out->len)
		return -1;
	out->len = (uint8_t)len;
	return 0;
}

void pk_prefix_format(const struct pk_prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	int af = p->af == PK_AF_INET6 ? AF_INET6 : AF_INET;
	if (!inet_ntop(af, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	unsigned host = p->af == PK_AF_INET6 ? 128 : 32;
	if (p->len == host)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, p->len);
}
