/*
 * configxml/addr.c: the <source>/<destination> of a rule or NAT element
 * and its port, as pf writes them (reference §4, "source/destination" and
 * "port" rows).
 */
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

static const char *upper_key(struct cx *c, const struct cx_iface *i)
{
	char *K = pk_arena_strdup(c->a, i->key);
	for (char *p = K; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	return K;
}

/* <network>lanip</network>: the interface's own address. */
static const char *iface_ip(struct cx *c, const struct cx_iface *i, bool inet6, const char **why)
{
	const char *ip = inet6 ? i->ip6 : i->ip4;
	bool dyn = inet6 ? i->dyn6 != NULL : i->dyn4 != NULL;
	/* (em1) would stand for the static address of the other family: a
	 * table filled at run time stands for the dynamic one */
	if (dyn && (inet6 ? i->ip4 : i->ip6))
		return pk_arena_printf(c->a, "<%s__IP%s>", upper_key(c, i), inet6 ? "6" : "");
	if (dyn || (c->product == CX_OPNSENSE && ip))
		return pk_arena_printf(c->a, "(%s)", i->dev);
	if (!ip)
		*why = "address is empty";
	return ip;
}

/* <network>lan</network>: the interface's networks. pfSense before 2.7
 * wrote the subnet itself; 2.7 the table <LAN__NETWORK>. */
static const char *iface_net(struct cx *c, const struct cx_iface *i, bool inet6, const char **why)
{
	if (!(inet6 ? i->ip6 || i->dyn6 : i->ip4 || i->dyn4)) {
		*why = "address is empty";
		return NULL;
	}
	const char *ip = inet6 ? i->ip6 : i->ip4;
	bool dyn = i->dyn4 || i->dyn6;
	if (c->product == CX_OPNSENSE && !dyn)
		return pk_arena_printf(c->a, "%s:network", i->dev);
	if (!c->net_tables && ip)
		return pk_arena_printf(c->a, "%s/%u", ip, inet6 ? i->bits6 : i->bits4);
	return pk_arena_printf(c->a, "$%s__NETWORK", upper_key(c, i));
}

static const char *network(struct cx *c, const char *net, bool inet6, const char **why)
{
	if (!strcmp(net, "(self)"))
		return "(self)";
	if (!strcmp(net, "any"))
		return "any";
	if (cx_is_group(c, net))
		return pk_arena_printf(c->a, "%s:network", net);
	/* outbound NAT writes subnets and aliases as <network> */
	if (cx_literal_net(net))
		return net;
	const struct cx_alias *al = cx_alias(c, net);
	if (al && !al->is_port)
		return pk_arena_printf(c->a, "$%s", net);
	size_t n = strlen(net);
	bool ip = n > 2 && !strcmp(net + n - 2, "ip");
	const struct cx_iface *i = cx_iface(c, ip ? pk_arena_strndup(c->a, net, n - 2) : net);
	if (!i || !i->enabled) {
		*why = pk_arena_printf(c->a, "interface '%s' %s", net, i ? "is disabled" : "does not exist");
		return NULL;
	}
	return ip ? iface_ip(c, i, inet6, why) : iface_net(c, i, inet6, why);
}

static const char *address(struct cx *c, const char *addr, const char **why)
{
	const struct cx_alias *al = cx_alias(c, addr);
	if (al && !al->is_port)
		return pk_arena_printf(c->a, "$%s", addr);
	if (cx_literal_net(addr))
		return addr;
	*why = pk_arena_printf(c->a, "unresolvable alias '%s'", addr);
	return NULL;
}

const char *cx_addr(struct cx *c, const xmlNode *end, bool inet6, const char **why)
{
	if (!end || cx_child(end, "any"))
		return cx_child(end, "not") ? "! any" : "any";
	const char *net = cx_text(c, end, "network"), *addr = cx_text(c, end, "address");
	const char *a = net && *net ? network(c, net, inet6, why) : addr && *addr ? address(c, addr, why) : "any";
	if (!a)
		return NULL;
	return cx_child(end, "not") ? pk_arena_printf(c->a, "! %s", a) : a;
}

/* "80", "1024-2000", "1024-65535", "1-1023", an alias: pfSense's ports. */
const char *cx_port(struct cx *c, const char *port, const char **why)
{
	if (!port || !*port || !strcmp(port, "any"))
		return "";
	const struct cx_alias *al = cx_alias(c, port);
	if (al && al->is_port && !cx_alias_has_ports(c, al)) {
		/* no macro was written for it (aliases.c): the rule is left out */
		*why = pk_arena_printf(c->a, "port alias '%s' has no ports config.xml holds", port);
		return NULL;
	}
	if (al && al->is_port)
		return pk_arena_printf(c->a, " port $%s", port);
	const char *dash = strchr(port, '-');
	if (!dash)
		return pk_arena_printf(c->a, " port %s", port);
	long a = strtol(port, NULL, 10), b = strtol(dash + 1, NULL, 10);
	if (a == b)
		return pk_arena_printf(c->a, " port %ld", a);
	if (a <= 1 && b >= 65535)
		return "";
	if (b >= 65535)
		return pk_arena_printf(c->a, " port >= %ld", a);
	if (a <= 1)
		return pk_arena_printf(c->a, " port <= %ld", b);
	return pk_arena_printf(c->a, " port %ld >< %ld", a - 1, b + 1);
}
