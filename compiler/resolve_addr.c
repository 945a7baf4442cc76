/*
 * compiler/resolve_addr.c: written addresses and ports to IR. An interface
 * name expands to its topology addresses (one rule each, as pfctl does);
 * `(IF)` and `self` become implicit tables.
 */
#include "compiler/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/names.h"

bool pk_res_number(struct pk_res *r, const char *text, const struct pk_loc *loc, uint64_t max, uint64_t *out)
{
	char *end;
	if (!text || *text < '0' || *text > '9') {
		pk_error(r->d, loc, "'%s' is not a number", text ? text : "");
		return false;
	}
	unsigned long long v = strtoull(text, &end, 10);
	if (*end || v > max) {
		pk_error(r->d, loc, "'%s' is not a number from 0 to %llu", text, (unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

static void vec_push(struct pk_res *r, struct pk_addr_vec *v, const struct pk_ir_addr *a)
{
	v->v = pk_arena_reserve(r->a, v->v, v->n, &v->cap, 4, sizeof(*v->v));
	v->v[v->n++] = *a;
}

/* pfctl accepts shortened IPv4 networks such as 10/8. */
static int parse_addr(struct pk_res *r, const char *text, int mask, struct pk_prefix *out, const char **scope_if)
{
	const char *t = text;
	const char *scope = strchr(text, '%');
	unsigned dots = 0;
	if (scope) /* fe80::1%lo0: the scope names the link, the address is the same */
		t = text = pk_arena_strndup(r->a, text, (size_t)(scope - text));
	*scope_if = scope ? scope + 1 : NULL;
	bool v4ish = true;
	for (const char *c = text; *c; c++) {
		dots += *c == '.';
		v4ish &= (*c >= '0' && *c <= '9') || *c == '.';
	}
	if (v4ish && dots < 3 && mask >= 0)
		t = pk_arena_printf(r->a, "%s%s", text, dots == 0 ? ".0.0.0" : dots == 1 ? ".0.0" : ".0");
	if (pk_prefix_parse(t, out))
		return -1;
	if (mask >= 0) {
		if (mask > (out->af == PK_AF_INET ? 32 : 128))
			return -2;
		out->len = (uint8_t)mask;
	}
	return 0;
}

static const struct {
	const char *name;
	uint8_t mod;
} pk_ifmods[] = {
	{"network", PK_IFMOD_NETWORK}, {"broadcast", PK_IFMOD_BROADCAST}, {"peer", PK_IFMOD_PEER}, {"0", PK_IFMOD_ADDRS},
};

/* Splits "lo0:network" into the interface and its modifier. */
static bool split_if(struct pk_res *r, const char *text, const struct pk_loc *loc, const char **name,
		     uint8_t *mod, bool *noalias)
{
	const char *colon = strchr(text, ':');
	*mod = PK_IFMOD_ADDRS;
	*noalias = false;
	if (!colon) {
		*name = text;
		return true;
	}
	*name = pk_arena_strndup(r->a, text, (size_t)(colon - text));
	const char *m = colon + 1;
	size_t mlen = strlen(m);
	if (mlen > 2 && !strcmp(m + mlen - 2, ":0")) { /* lo0:network:0 */
		*noalias = true;
		mlen -= 2;
	}
	for (size_t i = 0; i < sizeof(pk_ifmods) / sizeof(pk_ifmods[0]); i++)
		if (strlen(pk_ifmods[i].name) == mlen && !strncmp(m, pk_ifmods[i].name, mlen)) {
			*mod = pk_ifmods[i].mod;
			*noalias |= !strcmp(m, "0");
			return true;
		}
	pk_error(r->d, loc, "unknown interface modifier ':%s'; use :network, :broadcast, :peer or :0", colon + 1);
	return false;
}

static void clear_host_bits(struct pk_prefix *p)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = i * 8;
		if (bits >= p->len)
			p->addr[i] = 0;
		else if (p->len - bits < 8)
			p->addr[i] &= (uint8_t)(0xff << (8 - (p->len - bits)));
	}
}

/* The addresses an interface reference stands for. */
static bool if_prefix(const struct pk_prefix *ifa, uint8_t mod, struct pk_prefix *out)
{
	*out = *ifa;
	unsigned host = ifa->af == PK_AF_INET ? 32 : 128;
	if (mod == PK_IFMOD_NETWORK) {
		/* pfctl leaves link-local networks out of IF:network */
		if (pk_prefix_is_link_local(ifa))
			return false;
		clear_host_bits(out);
		return true;
	}
	if (mod == PK_IFMOD_BROADCAST) {
		if (ifa->af != PK_AF_INET || ifa->len >= 31)
			return false;
		for (unsigned b = ifa->len; b < 32; b++)
			out->addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	}
	out->len = (uint8_t)host;
	return true;
}

/* The addresses IF:mod is made from: IF:peer the link's far ends. */
static const struct pk_prefix *if_addrs(const struct pk_ir_iface *f, uint8_t mod, uint32_t *n)
{
	*n = mod == PK_IFMOD_PEER ? f->npeers : f->naddrs;
	return mod == PK_IFMOD_PEER ? f->peers : f->addrs;
}

/* IF:0 leaves aliases out: the first address of each family only. */
static bool first_of_family(const struct pk_prefix *addrs, uint32_t j)
{
	for (uint32_t k = 0; k < j; k++)
		if (addrs[k].af == addrs[j].af)
			return false;
	return true;
}

static bool any_iface_named(const struct pk_ir_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->nifaces; i++)
		if (pk_ir_iface_named(rs, &rs->ifaces[i], name))
			return true;
	return false;
}

static bool need_iface(struct pk_res *r, const char *name, const struct pk_loc *loc, const char *what)
{
	if (any_iface_named(r->rs, name))
		return true;
	pk_error(r->d, loc, "%s needs interface %s declared; add: interface %s address CIDR", what, name, name);
	return false;
}

/* The table behind `(IF)` and `self`: the addresses of the interfaces
 * only names (an interface or a group), of all of them when only is NULL. */
static uint32_t implicit_table(struct pk_res *r, const char *name, const char *only, uint8_t mod, int mask,
			       bool noalias)
{
	int old = pk_res_table_find(r, name);
	if (old >= 0)
		return (uint32_t)old;
	uint32_t n = 0, na;
	for (uint32_t i = 0; i < r->rs->nifaces; i++)
		if (!only || pk_ir_iface_named(r->rs, &r->rs->ifaces[i], only)) {
			if_addrs(&r->rs->ifaces[i], mod, &na);
			n += na;
		}
	struct pk_ir_table_entry *e = pk_arena_array(r->a, n ? n : 1, sizeof(*e));
	uint32_t k = 0;
	for (uint32_t i = 0; i < r->rs->nifaces; i++) {
		const struct pk_ir_iface *f = &r->rs->ifaces[i];
		if (only && !pk_ir_iface_named(r->rs, f, only))
			continue;
		const struct pk_prefix *addrs = if_addrs(f, mod, &na);
		for (uint32_t j = 0; j < na; j++) {
			if ((noalias && !first_of_family(addrs, j)) || !if_prefix(&addrs[j], mod, &e[k].pfx))
				continue;
			if (mask >= 0 && mask < e[k].pfx.len) {
				e[k].pfx.len = (uint8_t)mask;
				clear_host_bits(&e[k].pfx);
			}
			k++;
		}
	}
	uint32_t idx = pk_res_table_add(r, name, NULL);
	r->rs->tables[idx].implicit = true;
	r->rs->tables[idx].entries = e;
	r->rs->tables[idx].nentries = r->rs->tables[idx].ninline = k;
	return idx;
}

/* The addresses of one interface that IF, IF:mod or IF/len stand for. */
static void push_if_addrs(struct pk_res *r, const struct pk_ir_iface *f, const struct pk_ast_host *h,
			  struct pk_ir_addr *a, struct pk_addr_vec *out)
{
	uint32_t n;
	const struct pk_prefix *addrs = if_addrs(f, a->ifmod, &n);
	for (uint32_t j = 0; j < n; j++) {
		if (a->noalias && !first_of_family(addrs, j))
			continue;
		if (!if_prefix(&addrs[j], a->ifmod, &a->pfx))
			continue;
		if (h->mask >= 0) { /* lo0/24: each address's network of that length */
			a->pfx.len = (uint8_t)(h->mask < a->pfx.len ? h->mask : a->pfx.len);
			clear_host_bits(&a->pfx);
		}
		if (a->ifmod == PK_IFMOD_ADDRS && h->mask < 0 && pk_prefix_is_link_local(&a->pfx)) {
			/* pfctl keeps the link's scope (fe80::1%IF): a rule without
			 * `on` is on IF (antispoof's "from IF" rule among them) */
			struct pk_ir_addr scoped = *a;
			scoped.ifmod = PK_IFMOD_NONE;
			scoped.ifname = f->name;
			vec_push(r, out, &scoped);
			continue;
		}
		vec_push(r, out, a);
	}
}

static bool res_ifaddrs(struct pk_res *r, const struct pk_ast_host *h, struct pk_ir_addr *a,
			struct pk_addr_vec *out)
{
	const char *name;
	uint8_t mod;
	bool noalias;
	if (!split_if(r, h->a, &h->loc, &name, &mod, &noalias))
		return false;
	if (!any_iface_named(r->rs, name)) {
		if (strchr(h->a, ':')) /* IF:network and the like name an interface */
			pk_error(r->d, &h->loc, "unknown host or interface '%s'; declare it with: interface %s address CIDR",
				 name, name);
		else
			pk_error(r->d, &h->loc,
				 "unknown host or interface '%s'; declare it with: interface %s address CIDR, "
				 "or host %s address IP",
				 name, name, name);
		return false;
	}
	a->kind = PK_ADDR_PREFIX;
	a->ifmod = mod;
	a->noalias = noalias;
	a->ifname = name;
	uint32_t before = out->n;
	for (uint32_t i = 0; i < r->rs->nifaces; i++) {
		if (pk_ir_iface_named(r->rs, &r->rs->ifaces[i], name))
			push_if_addrs(r, &r->rs->ifaces[i], h, a, out);
	}
	if (out->n == before) {
		pk_error(r->d, &h->loc, "interface %s has no address for '%s'; add %s to its declaration", name, h->a,
			 mod == PK_IFMOD_PEER ? "the link's far end (peer ADDRESS)" : "one");
		return false;
	}
	return true;
}

static bool res_dyn(struct pk_res *r, const struct pk_ast_host *h, struct pk_ir_addr *a, struct pk_addr_vec *out)
{
	const char *name;
	uint8_t mod;
	if (!split_if(r, h->a, &h->loc, &name, &mod, &a->noalias))
		return false;
	bool self = !strcmp(name, "self");
	if (!self && !need_iface(r, name, &h->loc, "(IF)"))
		return false;
	a->kind = PK_ADDR_TABLE;
	a->ifmod = PK_IFMOD_DYNAMIC;
	a->ifname = h->a;
	a->pfx.len = (uint8_t)(h->mask > 0 ? h->mask : 0);
	const char *tname = h->mask >= 0 ? pk_arena_printf(r->a, "(%s)/%d", h->a, h->mask)
					 : pk_arena_printf(r->a, "(%s)", h->a);
	a->table = implicit_table(r, tname, self ? NULL : name, mod, h->mask, a->noalias);
	vec_push(r, out, a);
	return true;
}

static bool res_literal(struct pk_res *r, const struct pk_ast_host *h, struct pk_ir_addr *a,
			struct pk_addr_vec *out)
{
	int rc = parse_addr(r, h->a, h->mask, &a->pfx, &a->ifname);
	if (rc == -2) {
		pk_error(r->d, &h->loc, "prefix length /%d is too long for %s", h->mask, h->a);
		return false;
	}
	if (rc == 0) {
		/* pfctl keeps the network of a written prefix: 127.0.0.1/16 is 127.0.0.0/16 */
		clear_host_bits(&a->pfx);
		a->kind = PK_ADDR_PREFIX;
		vec_push(r, out, a);
		return true;
	}
	if (!strcmp(h->a, "localhost")) {
		/* the name resolves through the hosts file: 127.0.0.1 first */
		pk_prefix_parse("127.0.0.1", &a->pfx);
		if (h->mask >= 0 && h->mask <= 32) {
			a->pfx.len = (uint8_t)h->mask;
			clear_host_bits(&a->pfx);
		}
		a->kind = PK_ADDR_PREFIX;
		vec_push(r, out, a);
		return true;
	}
	const struct pk_ast_hostname *name = pk_res_hostname(r, h->a);
	if (name) { /* every address the name resolves to, as pfctl takes them */
		for (const struct pk_ast_item *x = name->addrs; x; x = x->next)
			if (!pk_prefix_parse(x->s, &a->pfx)) {
				a->kind = PK_ADDR_PREFIX;
				vec_push(r, out, a);
			}
		return true;
	}
	if (h->mask >= 0 && (strchr(h->a, ':') || !any_iface_named(r->rs, h->a))) {
		pk_error(r->d, &h->loc, "'%s/%d' is not a valid network (e.g. 10.0.0.0/8)", h->a, h->mask);
		return false;
	}
	return res_ifaddrs(r, h, a, out);
}

static bool res_table_ref(struct pk_res *r, const struct pk_ast_host *h, struct pk_ir_addr *a,
			  struct pk_addr_vec *out)
{
	int t = pk_res_table_find(r, h->a);
	if (t < 0) {
		/* pf creates a table a rule names; say so, it may be a typo */
		pk_warning(r->d, &h->loc, "table <%s> is not defined; it will start empty", h->a);
		t = (int)pk_res_table_add(r, h->a, &h->loc);
		r->rs->tables[t].undeclared = true;
	}
	a->kind = PK_ADDR_TABLE;
	a->table = (uint32_t)t;
	vec_push(r, out, a);
	return true;
}

bool pk_res_host(struct pk_res *r, const struct pk_ast_host *h, struct pk_addr_vec *out)
{
	struct pk_ir_addr a;
	memset(&a, 0, sizeof(a));
	a.neg = h->neg;
	switch (h->kind) {
	case PK_H_ADDR: return res_literal(r, h, &a, out);
	case PK_H_TABLE: return res_table_ref(r, h, &a, out);
	case PK_H_DYN: return res_dyn(r, h, &a, out);
	case PK_H_RANGE:
		if (pk_prefix_parse(h->a, &a.pfx) || pk_prefix_parse(h->b, &a.range_end) ||
		    a.pfx.af != a.range_end.af) {
			pk_error(r->d, &h->loc, "'%s - %s' is not an address range (two addresses of one family)",
				 h->a, h->b);
			return false;
		}
		a.kind = PK_ADDR_RANGE;
		break;
	case PK_H_NOROUTE: a.kind = PK_ADDR_NOROUTE; break;
	case PK_H_URPF: a.kind = PK_ADDR_URPF; break;
	case PK_H_SELF:
		a.kind = PK_ADDR_TABLE;
		a.ifmod = PK_IFMOD_SELF;
		a.table = implicit_table(r, "self", NULL, PK_IFMOD_ADDRS, -1, false);
		break;
	default: a.kind = PK_ADDR_ANY; break;
	}
	vec_push(r, out, &a);
	return true;
}

bool pk_res_hosts(struct pk_res *r, const struct pk_ast_host *list, struct pk_addr_vec *out)
{
	bool ok = true;
	for (const struct pk_ast_host *h = list; h; h = h->next)
		ok &= pk_res_host(r, h, out);
	return ok;
}

bool pk_res_port_value(struct pk_res *r, const char *text, const struct pk_loc *loc, uint16_t *out)
{
	if (*text >= '0' && *text <= '9') {
		char *end;
		unsigned long v = strtoul(text, &end, 0);
		if (*end || v > 65535) {
			pk_error(r->d, loc, "'%s' is not a port number from 0 to 65535", text);
			return false;
		}
		*out = (uint16_t)v;
		return true;
	}
	int s = pk_service_lookup(text);
	if (s >= 0) {
		*out = (uint16_t)s;
		return true;
	}
	unsigned n;
	const char *const *names = pk_service_names(&n);
	const char *best = pk_did_you_mean(text, names, n);
	if (best)
		pk_error(r->d, loc, "unknown service '%s' (did you mean '%s'?)", text, best);
	else
		pk_error(r->d, loc, "unknown service '%s'; write the port number", text);
	return false;
}

bool pk_res_port(struct pk_res *r, const struct pk_ast_port *p, struct pk_port_match *out)
{
	memset(out, 0, sizeof(*out));
	out->op = p->op;
	if (!pk_res_port_value(r, p->lo, &p->loc, &out->lo))
		return false;
	if (p->hi && !pk_res_port_value(r, p->hi, &p->loc, &out->hi))
		return false;
	if (!p->hi)
		out->hi = out->lo;
	return true;
}
