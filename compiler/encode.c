/*
 * compiler/encode.c: IR -> .pkb: the sections other than rules and
 * program, the file layout and the header's hashes (docs/bytecode.md).
 */
#include "compiler/encode.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/encode_priv.h"
#include "runtime/sha256.h"
#include "runtime/xalloc.h"

_Static_assert(PK_LIMIT_COUNT == 4, "struct pkb_options holds four limits");
_Static_assert(PK_TMO_COUNT <= 32, "timeout_set is a 32-bit mask");

void *pk_ebuf_add(struct pk_ebuf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < n)
			cap *= 2;
		b->p = pk_xrealloc(b->p, cap);
		b->cap = cap;
	}
	void *at = b->p + b->len;
	memset(at, 0, n);
	b->len += n;
	return at;
}

void pk_ebuf_free(struct pk_ebuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

uint32_t pk_enc_string(struct pk_enc *e, const char *s)
{
	uint32_t off;
	if (!s)
		return PKB_NONE;
	if (pk_strmap_get(&e->strings, s, &off))
		return off;
	off = (uint32_t)e->sec[PKB_SEC_STRINGS].len;
	memcpy(pk_ebuf_add(&e->sec[PKB_SEC_STRINGS], strlen(s) + 1), s, strlen(s));
	pk_strmap_put(&e->strings, s, off);
	return off;
}

uint32_t pk_enc_source(struct pk_enc *e, const char *path)
{
	uint32_t i;
	if (!path)
		return PKB_NONE;
	if (pk_strmap_get(&e->sources, path, &i))
		return i;
	i = PK_ENC_COUNT(e, SOURCES);
	uint32_t *rec = PK_ENC_ADD(e, SOURCES);
	*rec = pk_enc_string(e, path);
	pk_strmap_put(&e->sources, path, i);
	return i;
}

uint32_t pk_enc_iface(struct pk_enc *e, const char *name)
{
	uint32_t i;
	if (!name)
		return PKB_NONE;
	if (pk_strmap_get(&e->ifaces, name, &i))
		return i;
	i = PK_ENC_COUNT(e, IFACES);
	struct pkb_iface *f = PK_ENC_ADD(e, IFACES);
	f->name = pk_enc_string(e, name);
	f->loc.file = PKB_NONE;
	f->addr_first = PK_ENC_COUNT(e, IFADDRS);
	f->peer_first = PK_ENC_COUNT(e, IFPEERS);
	f->group_first = PK_ENC_COUNT(e, IFGROUPS);
	pk_strmap_put(&e->ifaces, name, i);
	return i;
}

void pk_enc_loc(struct pk_enc *e, const struct pk_loc *l, struct pkb_loc *out)
{
	out->file = pk_enc_source(e, l->file);
	out->line = l->line;
	out->col = l->col;
	out->end_line = l->end_line;
	out->end_col = l->end_col;
}

void pk_enc_prefix(const struct pk_prefix *p, struct pkb_prefix *out)
{
	out->af = p->af;
	out->len = p->len;
	memcpy(out->addr, p->addr, 16);
}

void pk_enc_addr(struct pk_enc *e, const struct pk_ir_addr *a, struct pkb_addr *out)
{
	out->kind = a->kind;
	out->neg = a->neg;
	out->ifmod = a->ifmod;
	out->noalias = a->noalias;
	out->table = a->kind == PK_ADDR_TABLE ? a->table : PKB_NONE;
	out->ifname = pk_enc_string(e, a->ifname);
	pk_enc_prefix(&a->pfx, &out->pfx);
	pk_enc_prefix(&a->range_end, &out->end);
}

static void enc_options(struct pk_enc *e)
{
	const struct pk_ir_options *o = &e->rs->opts;
	struct pkb_options *p = PK_ENC_ADD(e, OPTIONS);
	for (int i = 0; i < PK_TMO_COUNT; i++) {
		p->timeouts[i] = o->timeouts[i];
		p->timeout_set |= o->timeout_set[i] ? 1u << i : 0;
		pk_enc_loc(e, &o->timeout_loc[i], &p->timeout_loc[i]);
	}
	for (int i = 0; i < PK_LIMIT_COUNT; i++) {
		p->limits[i] = o->limits[i];
		p->limit_set |= o->limit_set[i] ? 1u << i : 0;
	}
	p->optimization = o->optimization;
	p->block_policy = o->block_policy;
	p->state_policy = o->state_policy;
	p->flags = (uint8_t)((o->hostid_set ? PKB_OPT_HOSTID_SET : 0) | (o->reassemble_no ? PKB_OPT_REASS_OFF : 0) |
			     (o->reassemble_nodf ? PKB_OPT_REASS_NODF : 0) |
			     (o->reassemble_set ? PKB_OPT_REASS_SET : 0));
	p->hostid = o->hostid;
	p->debug = pk_enc_string(e, o->debug);
	p->loginterface = pk_enc_string(e, o->loginterface);
	p->ruleset_optimization = pk_enc_string(e, o->ruleset_optimization);
	p->fingerprints = pk_enc_string(e, o->fingerprints);
	p->set_first = 0;
	p->nset = o->nset;
	for (uint32_t i = 0; i < o->nset; i++)
		pk_enc_loc(e, &o->set_locs[i], PK_ENC_ADD(e, SETLOCS));
}

static void enc_tests(struct pk_enc *e)
{
	const struct pk_ir_tests *t = e->rs->tests;
	if (!t)
		return;
	struct pkb_tests *rec = PK_ENC_ADD(e, TESTS);
	memcpy(rec->sha256, t->sha256, 32);
	rec->path = pk_enc_string(e, t->path);
	rec->count = t->count;
}

static void enc_carried(struct pk_enc *e)
{
	for (uint32_t i = 0; i < e->rs->ncarried; i++) {
		struct pkb_carried *rec = PK_ENC_ADD(e, CARRIED);
		rec->text = pk_enc_string(e, e->rs->carried[i].text);
		pk_enc_loc(e, &e->rs->carried[i].loc, &rec->loc);
	}
}

static void enc_topology(struct pk_enc *e)
{
	const struct pk_ir_ruleset *rs = e->rs;
	for (uint32_t i = 0; i < rs->nifaces; i++) {
		const struct pk_ir_iface *f = &rs->ifaces[i];
		uint32_t idx = pk_enc_iface(e, f->name);
		struct pkb_iface *rec = (struct pkb_iface *)e->sec[PKB_SEC_IFACES].p + idx;
		rec->flags = PKB_IF_TOPOLOGY | (f->has_mac ? PKB_IF_HAS_MAC : 0) | (f->wan ? PKB_IF_WAN : 0);
		pk_enc_loc(e, &f->loc, &rec->loc);
		memcpy(rec->mac, f->mac, 6);
		rec->naddrs = f->naddrs;
		rec->npeers = f->npeers;
		rec->ngroups = f->ngroups;
		for (uint32_t k = 0; k < f->naddrs; k++)
			pk_enc_prefix(&f->addrs[k], PK_ENC_ADD(e, IFADDRS));
		for (uint32_t k = 0; k < f->npeers; k++)
			pk_enc_prefix(&f->peers[k], PK_ENC_ADD(e, IFPEERS));
		for (uint32_t k = 0; k < f->ngroups; k++)
			*(uint32_t *)PK_ENC_ADD(e, IFGROUPS) = pk_enc_string(e, f->groups[k]);
	}
	for (uint32_t i = 0; i < rs->nroutes; i++) {
		const struct pk_ir_route *r = &rs->routes[i];
		uint32_t iface = pk_enc_iface(e, r->ifname);
		struct pkb_route *rec = PK_ENC_ADD(e, ROUTES);
		pk_enc_loc(e, &r->loc, &rec->loc);
		pk_enc_prefix(&r->dst, &rec->dst);
		pk_enc_prefix(&r->gw, &rec->gw);
		rec->iface = iface;
		rec->flags = r->connected ? PKB_ROUTE_CONNECTED : 0;
	}
	for (uint32_t i = 0; i < rs->opts.nskip; i++) {
		uint32_t iface = pk_enc_iface(e, rs->opts.skip[i]);
		*(uint32_t *)PK_ENC_ADD(e, SKIP) = iface;
	}
}

/* Sort key of a table entry for look-ups: af, length descending, masked address. */
struct pk_enc_tkey {
	uint8_t af, len;
	uint8_t addr[16];
	uint32_t idx;
};

static void enc_mask(const uint8_t *in, unsigned len, uint8_t *out)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > 8 * i ? len - 8 * i : 0;
		out[i] = bits >= 8 ? in[i] : (uint8_t)(in[i] & (0xff00 >> bits));
	}
}

static int enc_tkey_cmp(const void *pa, const void *pb)
{
	const struct pk_enc_tkey *a = pa, *b = pb;
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	int c = memcmp(a->addr, b->addr, 16);
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void enc_table(struct pk_enc *e, const struct pk_ir_table *t)
{
	struct pkb_table *rec = PK_ENC_ADD(e, TABLES);
	rec->name = pk_enc_string(e, t->name);
	pk_enc_loc(e, &t->loc, &rec->loc);
	rec->flags = (t->persist ? PKB_TAB_PERSIST : 0) | (t->is_const ? PKB_TAB_CONST : 0) |
		     (t->counters ? PKB_TAB_COUNTERS : 0) | (t->implicit ? PKB_TAB_IMPLICIT : 0) |
		     (t->undeclared ? PKB_TAB_UNDECLARED : 0);
	rec->entry_first = PK_ENC_COUNT(e, TABENTRIES);
	rec->nentries = t->nentries;
	rec->index_first = PK_ENC_COUNT(e, TABINDEX);
	rec->file_first = PK_ENC_COUNT(e, TABFILES);
	rec->nfiles = t->nfiles;
	rec->ninline = t->ninline;
	struct pk_enc_tkey *keys = pk_xcalloc(t->nentries, sizeof(*keys));
	for (uint32_t i = 0; i < t->nentries; i++) {
		const struct pk_ir_table_entry *en = &t->entries[i];
		struct pkb_tabentry *te = PK_ENC_ADD(e, TABENTRIES);
		te->af = en->pfx.af;
		te->len = en->pfx.len;
		te->neg = en->neg;
		memcpy(te->addr, en->pfx.addr, 16);
		keys[i] = (struct pk_enc_tkey){.af = te->af, .len = te->len, .idx = rec->entry_first + i};
		enc_mask(te->addr, te->len, keys[i].addr);
	}
	qsort(keys, t->nentries, sizeof(*keys), enc_tkey_cmp);
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->nentries; i++) {
		/* a repeated prefix: the first one written decides */
		if (i && keys[i].af == keys[i - 1].af && keys[i].len == keys[i - 1].len &&
		    !memcmp(keys[i].addr, keys[i - 1].addr, 16))
			continue;
		*(uint32_t *)PK_ENC_ADD(e, TABINDEX) = keys[i].idx;
		n++;
	}
	/* the section may have moved */
	((struct pkb_table *)e->sec[PKB_SEC_TABLES].p)[PK_ENC_COUNT(e, TABLES) - 1].nindex = n;
	free(keys);
	for (uint32_t i = 0; i < t->nfiles; i++)
		*(uint32_t *)PK_ENC_ADD(e, TABFILES) = pk_enc_string(e, t->files[i]);
}

static int enc_tables(struct pk_enc *e)
{
	for (uint32_t i = 0; i < e->rs->ntables; i++) {
		const struct pk_ir_table *t = &e->rs->tables[i];
		for (uint32_t k = 0; k < t->nentries; k++) {
			const struct pk_prefix *p = &t->entries[k].pfx;
			if ((p->af != PK_AF_INET && p->af != PK_AF_INET6) || p->len > (p->af == PK_AF_INET ? 32 : 128)) {
				pk_error(e->d, &t->loc, "table <%s>: entry %u has no valid address family or length",
					 t->name, k + 1);
				return -1;
			}
		}
		enc_table(e, t);
	}
	return 0;
}

static void enc_source_hash(const struct pk_ir_ruleset *rs, uint8_t out[32])
{
	struct pk_sha256 s;
	pk_sha256_init(&s);
	for (uint32_t i = 0; i < rs->nsources; i++) {
		const struct pk_ir_source *src = &rs->sources[i];
		uint8_t len[8];
		for (int k = 0; k < 8; k++)
			len[k] = (uint8_t)((uint64_t)src->len >> (8 * k));
		pk_sha256_update(&s, src->path, strlen(src->path) + 1);
		pk_sha256_update(&s, len, 8);
		if (src->len)
			pk_sha256_update(&s, src->text, src->len);
	}
	pk_sha256_final(&s, out);
}

static size_t enc_align(size_t n)
{
	return (n + PKB_ALIGN - 1) & ~(size_t)(PKB_ALIGN - 1);
}

/* Header, then every section in order, 8-aligned, zero padding. */
static void enc_assemble(struct pk_enc *e, uint8_t **buf, size_t *len)
{
	size_t total = enc_align(sizeof(struct pkb_header));
	for (int i = 0; i < PKB_SEC_COUNT; i++)
		total += enc_align(e->sec[i].len);
	uint8_t *out = pk_xcalloc(1, total);
	struct pkb_header *h = (struct pkb_header *)out;
	memcpy(h->magic, PKB_MAGIC, PKB_MAGIC_LEN);
	h->version = PKB_VERSION;
	h->header_size = sizeof(*h);
	h->file_size = total;
	h->nsections = PKB_SEC_COUNT;
	size_t at = enc_align(sizeof(*h));
	for (int i = 0; i < PKB_SEC_COUNT; i++) {
		h->sections[i] = (struct pkb_section){
			.id = (uint32_t)i,
			.count = (uint32_t)(e->sec[i].len / pkb_section_entsize((uint32_t)i)),
			.offset = at,
			.size = e->sec[i].len,
		};
		if (e->sec[i].len)
			memcpy(out + at, e->sec[i].p, e->sec[i].len);
		at += enc_align(e->sec[i].len);
	}
	enc_source_hash(e->rs, h->source_sha256);
	pk_sha256(e->sec[PKB_SEC_OPTIONS].p, e->sec[PKB_SEC_OPTIONS].len, h->options_sha256);
	uint8_t sum[32];
	pk_sha256(out, total, sum);
	memcpy(h->checksum, sum, 32);
	*buf = out;
	*len = total;
}

static void enc_free(struct pk_enc *e)
{
	for (int i = 0; i < PKB_SEC_COUNT; i++)
		pk_ebuf_free(&e->sec[i]);
	pk_strmap_free(&e->strings);
	pk_strmap_free(&e->sources);
	pk_strmap_free(&e->ifaces);
	pk_strmap_free(&e->tags);
	free(e->addrs.slots);
}

/* A rule with a feature outside the subset has no bytecode. */
static int refuse_unsupported(const struct pk_ir_ruleset *rs, struct pk_diags *d)
{
	int rc = 0;
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].unsupported && (!i || rs->rules[i - 1].loc.line != rs->rules[i].loc.line ||
						 rs->rules[i - 1].loc.file != rs->rules[i].loc.file)) {
			pk_diag_add(d, PK_SEV_ERROR, &rs->rules[i].loc, PK_DIAG_UNSUPPORTED, "unsupported: %s",
				    rs->rules[i].unsupported);
			rc = -1;
		}
	return rc;
}

int pk_encode(const struct pk_ir_ruleset *rs, uint8_t **buf, size_t *len, struct pk_diags *d)
{
	struct pk_enc e = {.rs = rs, .d = d};
	*buf = NULL;
	*len = 0;
	if (refuse_unsupported(rs, d))
		return -1;
	for (uint32_t i = 0; i < rs->nsources; i++)
		pk_enc_source(&e, rs->sources[i].path);
	enc_options(&e);
	enc_carried(&e);
	enc_tests(&e);
	enc_topology(&e);
	int rc = enc_tables(&e);
	if (!rc)
		rc = pk_enc_rules(&e);
	if (!rc)
		rc = pk_enc_program(&e);
	if (!rc)
		enc_assemble(&e, buf, len);
	enc_free(&e);
	return rc;
}
