/*
 * tests/verify/test_z3_encode.c: the Z3 encoding of a rule's match agrees
 * with the reference evaluator on every operator, negation, table and
 * protocol-dependent field and the socket owner, on random rules and
 * boundary-biased packets, fragments (set reassemble no) among them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/testmain.h"
#include "verify/eval.h"
#include "verify/z3_encode.h"

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static const char *const ifnames[] = {"lan0", "wan0", "dmz0"};
static const char *const tagnames[] = {"a", "b"};

/* A small address universe so rules and packets collide often. */
static void rnd_addr(uint8_t af, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 10;
	out[1] = rnd() % 3;
	out[2] = rnd() % 3;
	out[3] = rnd() % 4;
	if (af == PK_AF_INET6) {
		out[0] = 0x20;
		out[15] = rnd() % 4;
	}
}

static void rnd_pfx(uint8_t af, struct pk_prefix *p)
{
	p->af = af;
	rnd_addr(af, p->addr);
	static const uint8_t lens4[] = {0, 8, 16, 24, 30, 32}, lens6[] = {0, 8, 64, 126, 128};
	p->len = af == PK_AF_INET ? lens4[rnd() % 6] : lens6[rnd() % 5];
}

static struct pk_ir_table tables[2];
static struct pk_ir_table_entry entries[2][4];

static void make_tables(void)
{
	for (int t = 0; t < 2; t++) {
		tables[t].name = t ? "t1" : "t0";
		tables[t].entries = entries[t];
		tables[t].nentries = (uint32_t)(t ? 0 : 4);
	}
	rnd_pfx(PK_AF_INET, &entries[0][0].pfx);
	entries[0][0].pfx.len = 8;
	entries[0][1].pfx = entries[0][0].pfx;
	entries[0][1].pfx.len = 24;
	entries[0][1].pfx.addr[1] = 1;
	entries[0][1].neg = true;
	entries[0][2].pfx = entries[0][1].pfx;
	entries[0][2].pfx.len = 32;
	entries[0][2].neg = false;
	rnd_pfx(PK_AF_INET6, &entries[0][3].pfx);
}

static void rnd_ir_addr(uint8_t af, struct pk_ir_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)(rnd() % 2 ? PK_ADDR_ANY : rnd() % 6);
	a->neg = rnd() % 3 == 0;
	rnd_pfx(af, &a->pfx);
	if (a->kind == PK_ADDR_RANGE) {
		a->range_end = a->pfx;
		a->range_end.addr[3] = (uint8_t)(a->pfx.addr[3] + rnd() % 3);
		a->range_end.addr[15] = (uint8_t)(a->pfx.addr[15] + rnd() % 3);
	}
	a->table = rnd() % 2;
}

static void rnd_port(struct pk_port_match *m)
{
	m->op = (uint8_t)(rnd() % 10);
	m->lo = (uint16_t)(rnd() % 6);
	m->hi = (uint16_t)(m->lo + rnd() % 4);
}

static void rnd_rule(struct pk_ir_rule *r)
{
	memset(r, 0, sizeof(*r));
	static const uint8_t protos[] = {0, 6, 17, 1, 58};
	const uint8_t af = rnd() % 2 ? PK_AF_INET : PK_AF_INET6;
	r->af = rnd() % 3 ? 0 : af;
	r->proto = protos[rnd() % 5];
	r->dir = (uint8_t)(rnd() % 3);
	if (rnd() % 3 == 0) {
		r->ifc.name = ifnames[rnd() % 3];
		r->ifc.neg = rnd() % 2;
	}
	rnd_ir_addr(af, &r->src);
	rnd_ir_addr(rnd() % 4 ? af : (uint8_t)(PK_AF_INET + PK_AF_INET6 - af), &r->dst);
	if (rnd() % 3 == 0) {
		rnd_port(&r->sport);
		rnd_port(&r->dport);
	}
	if (rnd() % 3 == 0) {
		r->flagmask = (uint8_t)(rnd() % 2 ? PK_TH_SYN | PK_TH_ACK : 0xff);
		r->flags = (uint8_t)(rnd() % 2 ? PK_TH_SYN : PK_TH_SYN | PK_TH_ACK);
	}
	r->icmp_type = rnd() % 4 ? -1 : (int16_t)(rnd() % 3);
	r->icmp_code = rnd() % 4 ? -1 : (int16_t)(rnd() % 2);
	r->tos = rnd() % 4 ? -1 : (int16_t)(rnd() % 2);
	if (rnd() % 4 == 0) {
		r->tagged = tagnames[rnd() % 2];
		r->tagged_neg = rnd() % 2;
	}
}

static void rnd_packet(struct pk_vpkt *p)
{
	static const uint8_t protos[] = {6, 17, 1, 58, 47};
	memset(p, 0, sizeof(*p));
	p->af = rnd() % 2 ? PK_AF_INET : PK_AF_INET6;
	p->proto = protos[rnd() % 5];
	p->dir = rnd() % 2 ? PK_DIR_IN : PK_DIR_OUT;
	rnd_addr(p->af, p->src);
	rnd_addr(p->af, p->dst);
	if (p->proto == 6 || p->proto == 17) {
		p->sport = (uint16_t)(rnd() % 9);
		p->dport = (uint16_t)(rnd() % 9);
	}
	if (p->proto == 6)
		p->flags = (uint8_t)(rnd() % 2 ? PK_TH_SYN : rnd() & 0xff);
	if ((p->af == PK_AF_INET && p->proto == 1) || (p->af == PK_AF_INET6 && p->proto == 58)) {
		p->icmp_type = (uint8_t)(rnd() % 3);
		p->icmp_code = (uint8_t)(rnd() % 2);
	}
	p->tos = (uint8_t)(rnd() % 2);
	const uint32_t k = rnd() % 4;
	p->ifname = k < 3 ? ifnames[k] : NULL;
	p->tag = rnd() % 3 ? NULL : tagnames[rnd() % 2];
}

/* A packet built from the rule's own values, so boundaries get hit. */
static void rnd_packet_near(const struct pk_ir_rule *r, struct pk_vpkt *p)
{
	rnd_packet(p);
	if (r->src.kind == PK_ADDR_PREFIX || r->src.kind == PK_ADDR_RANGE) {
		p->af = r->src.pfx.af;
		memcpy(p->src, rnd() % 2 ? r->src.pfx.addr : r->src.range_end.addr, 16);
		rnd_addr(p->af, p->dst);
	}
	if (r->proto && rnd() % 4) {
		p->proto = r->proto;
		p->flags = p->proto == 6 ? (uint8_t)(rnd() % 2 ? PK_TH_SYN : PK_TH_SYN | PK_TH_ACK) : 0;
	}
	if (p->proto == 6 || p->proto == 17) {
		p->sport = (uint16_t)(r->sport.lo + rnd() % 3 - 1);
		p->dport = (uint16_t)(r->dport.hi + rnd() % 3 - 1);
	} else {
		p->sport = p->dport = 0;
	}
	if (r->dir && rnd() % 4)
		p->dir = r->dir;
	if (r->ifc.name && rnd() % 2)
		p->ifname = r->ifc.name;
}

/* Evaluate a formula on a concrete packet by substitution. */
static bool holds(struct pk_z3 *z, Z3_ast f, const struct pk_vpkt *p)
{
	Z3_solver_push(z->c, z->s);
	Z3_solver_assert(z->c, z->s, pk_z3_is_packet(z, p));
	Z3_solver_assert(z->c, z->s, f);
	const bool r = pk_z3_check(z, 0, NULL) == Z3_L_TRUE;
	Z3_solver_pop(z->c, z->s, 1);
	return r;
}

static void setup_ruleset(struct pk_ir_ruleset *rs, struct pk_ir_rule *rules, uint32_t n)
{
	memset(rs, 0, sizeof(*rs));
	make_tables();
	rs->tables = tables;
	rs->ntables = 2;
	rs->rules = rules;
	rs->nrules = n;
}

static void test_match_agrees_with_reference_evaluator(void **state)
{
	(void)state;
	enum { NRULES = 600, NPKTS = 40 };
	static struct pk_ir_rule rules[NRULES];
	struct pk_ir_ruleset rs;
	for (uint32_t i = 0; i < NRULES; i++) {
		rnd_rule(&rules[i]);
		rules[i].nr = i;
	}
	setup_ruleset(&rs, rules, NRULES);
	struct pk_z3 z;
	assert_int_equal(pk_z3_init(&z, &rs, NULL), 0);
	unsigned matched = 0;
	for (uint32_t i = 0; i < NRULES; i++) {
		const Z3_ast m = pk_z3_match(&z, &rs, &rules[i]);
		for (unsigned k = 0; k < NPKTS; k++) {
			struct pk_vpkt p;
			if (k % 2)
				rnd_packet(&p);
			else
				rnd_packet_near(&rules[i], &p);
			const bool want = pk_eval_match(&rs, &rules[i], &p);
			matched += want;
			if (holds(&z, m, &p) != want) {
				char buf[256];
				pk_vpkt_format(&p, buf, sizeof(buf));
				fail_msg("rule %u disagrees on packet %s (reference says %d)", i, buf, want);
			}
		}
	}
	print_message("%u of %u rule/packet pairs match\n", matched, NRULES * NPKTS);
	assert_true(matched > NRULES); /* the packets do hit the rules */
	pk_z3_fini(&z);
}

/* With `set reassemble no`, fragments meet the rules: they show no ports,
 * flags or ICMP fields, and `fragment` rules match only them. */
static void test_fragments_agree_with_reference_evaluator(void **state)
{
	(void)state;
	enum { NRULES = 300, NPKTS = 40 };
	static struct pk_ir_rule rules[NRULES];
	struct pk_ir_ruleset rs;
	for (uint32_t i = 0; i < NRULES; i++) {
		rnd_rule(&rules[i]);
		rules[i].nr = i;
		rules[i].fragment = rnd() % 3 == 0;
	}
	setup_ruleset(&rs, rules, NRULES);
	rs.opts.reassemble_no = true;
	struct pk_z3 z;
	assert_int_equal(pk_z3_init(&z, &rs, NULL), 0);
	unsigned fragments_matched = 0;
	for (uint32_t i = 0; i < NRULES; i++) {
		const Z3_ast m = pk_z3_match(&z, &rs, &rules[i]);
		for (unsigned k = 0; k < NPKTS; k++) {
			struct pk_vpkt p;
			rnd_packet_near(&rules[i], &p);
			if (k % 2) {
				p.fragment = true;
				p.sport = p.dport = 0;
				p.flags = p.icmp_type = p.icmp_code = 0;
			}
			const bool want = pk_eval_match(&rs, &rules[i], &p);
			fragments_matched += want && p.fragment;
			if (holds(&z, m, &p) != want) {
				char buf[256];
				pk_vpkt_format(&p, buf, sizeof(buf));
				fail_msg("rule %u disagrees on packet %s (reference says %d)", i, buf, want);
			}
		}
	}
	assert_true(fragments_matched > NRULES / 4);
	pk_z3_fini(&z);
}

/* A translation for a match rule: nat-to, rdr-to or binat-to to an
 * address, a network or a table, with or without a port. */
static void rnd_nat(struct pk_ir_rule *r, struct pk_ir_addr *pool)
{
	static const uint8_t kinds[] = {PK_NAT_NAT_TO, PK_NAT_RDR_TO, PK_NAT_BINAT_TO};
	const uint8_t af = r->af ? r->af : rnd() % 2 ? PK_AF_INET : PK_AF_INET6;

	memset(pool, 0, sizeof(*pool));
	if (rnd() % 4 == 0) {
		pool->kind = PK_ADDR_TABLE;
		pool->table = rnd() % 2;
	} else {
		pool->kind = PK_ADDR_PREFIX;
		rnd_pfx(af, &pool->pfx);
	}
	r->action = PK_ACT_MATCH;
	r->nat.kind = kinds[rnd() % 3];
	r->nat.pool = pool;
	r->nat.npool = 1;
	r->nat.port_lo = r->nat.port_hi = rnd() % 2 ? 0 : (uint16_t)(rnd() % 9);
}

/* A pass or block rule, now and then quick. */
static void rnd_filter_rule(struct pk_ir_rule *r, uint32_t nr)
{
	rnd_rule(r);
	r->nr = nr;
	r->action = rnd() % 2 ? PK_ACT_PASS : PK_ACT_BLOCK;
	r->quick = rnd() % 8 == 0;
}

/* Z3's verdict on p is the reference evaluator's, whose result is left in res. */
static void assert_verdict_agrees(struct pk_z3 *z, const struct pk_ir_ruleset *rs, Z3_ast passes,
				  const struct pk_vpkt *p, unsigned set, struct pk_eval_result *res)
{
	char buf[256];

	pk_eval_filter(rs, p, res, NULL, NULL);
	pk_vpkt_format(p, buf, sizeof(buf));
	if (holds(z, passes, p) != res->pass)
		fail_msg("set %u: verdict disagrees on %s (reference: %s)", set, buf, res->pass ? "pass" : "block");
}

/* An older nat, rdr or binat rule over r (its `no` form now and then, its
 * `pass` form half the time), translating to an address of its family. */
static void rnd_older(struct pk_ir_rule *r, struct pk_ir_addr *pool)
{
	static const uint8_t actions[] = {PK_ACT_NAT, PK_ACT_RDR, PK_ACT_BINAT};
	static const uint8_t kinds[] = {PK_NAT_NAT_TO, PK_NAT_RDR_TO, PK_NAT_BINAT_TO};
	const unsigned k = rnd() % 3;
	const uint8_t af = r->src.kind == PK_ADDR_PREFIX ? r->src.pfx.af : r->af ? r->af : PK_AF_INET;

	memset(pool, 0, sizeof(*pool));
	pool->kind = PK_ADDR_PREFIX;
	rnd_pfx(af, &pool->pfx);
	pool->pfx.len = af == PK_AF_INET ? 32 : 128;
	r->action = actions[k];
	r->dir = PK_DIR_ANY;
	r->quick = false;
	r->nat.kind = rnd() % 6 ? kinds[k] : PK_NAT_NONE;
	r->nat.pool = pool;
	r->nat.npool = 1;
	r->nat.port_lo = r->nat.port_hi = k == 1 && rnd() % 2 ? 8080 : 0;
	r->natpass = r->nat.kind != PK_NAT_NONE && rnd() % 2;
}

/* A packet near rule r; one coming in to a binat rule's external address
 * half the time. */
static void rnd_packet_near_older(const struct pk_ir_rule *r, struct pk_vpkt *p)
{
	rnd_packet_near(r, p);
	if (r->action != PK_ACT_BINAT || !r->nat.npool || rnd() % 2)
		return;
	p->dir = PK_DIR_IN;
	p->af = r->nat.pool[0].pfx.af;
	memcpy(p->dst, r->nat.pool[0].pfx.addr, 16);
	if (r->dst.kind == PK_ADDR_PREFIX && r->dst.pfx.af == p->af)
		memcpy(p->src, r->dst.pfx.addr, 16);
}

/* Sets of random pass and block rules, a third of them remade by make:
 * on packets near the rules (near), Z3's verdict and deciding rule are
 * the reference evaluator's. Returns how many packets a translation met,
 * and in *older how many an older rule with `pass` took. */
static unsigned agree_on_sets(void (*make)(struct pk_ir_rule *, struct pk_ir_addr *),
			      void (*near)(const struct pk_ir_rule *, struct pk_vpkt *), unsigned npkts, unsigned *older)
{
	enum { NSETS = 30, NRULES = 24 };
	static struct pk_ir_rule rules[NRULES];
	static struct pk_ir_addr pools[NRULES];
	unsigned translated = 0;

	*older = 0;
	for (unsigned set = 0; set < NSETS; set++) {
		struct pk_ir_ruleset rs;
		struct pk_z3 z;

		for (uint32_t i = 0; i < NRULES; i++) {
			rnd_filter_rule(&rules[i], i);
			if (rnd() % 3 == 0)
				make(&rules[i], &pools[i]);
		}
		setup_ruleset(&rs, rules, NRULES);
		assert_int_equal(pk_z3_init(&z, &rs, NULL), 0);
		const Z3_ast passes = pk_z3_passes(&z, &rs);
		Z3_ast M[NRULES] = {0};
		for (unsigned k = 0; k < npkts; k++) {
			struct pk_vpkt p;
			struct pk_eval_result res;
			char buf[256];

			near(&rules[rnd() % NRULES], &p);
			assert_verdict_agrees(&z, &rs, passes, &p, set, &res);
			translated += res.nat_rule != PK_EVAL_NONE;
			const uint32_t o = pk_eval_older_rule(&rs, &p);
			*older += o != PK_EVAL_NONE && rs.rules[o].natpass;
			pk_vpkt_format(&p, buf, sizeof(buf));
			if (!holds(&z, pk_z3_decided_by(&z, &rs, res.rule == PK_EVAL_NONE ? PK_Z3_NO_RULE : res.rule, M), &p))
				fail_msg("set %u: the reference's deciding rule %u does not decide %s for Z3", set, res.rule, buf);
			if (holds(&z, pk_z3_older_translated(&z, &rs), &p) !=
			    (res.nat_rule != PK_EVAL_NONE && rs.rules[res.nat_rule].action >= PK_ACT_NAT))
				fail_msg("set %u: whether an older rule translates %s disagrees", set, buf);
		}
		pk_z3_fini(&z);
	}
	return translated;
}

/* pf matches each rule against the packet as translated by the match rules
 * before it: the ruleset's verdict and deciding rule by Z3 and by the
 * reference evaluator agree through nat-to, rdr-to and binat-to. */
static void test_verdicts_through_translations_agree(void **state)
{
	unsigned older;

	(void)state;
	const unsigned translated = agree_on_sets(rnd_nat, rnd_packet_near, 60, &older);
	print_message("%u of %u packets translated on the way\n", translated, 30 * 60);
	assert_true(translated > 30); /* the packets do meet translating rules */
}

/* The older nat, rdr and binat rules translate before any filter rule, the
 * first that matches (binat first, by its external address coming in), and
 * one with `pass` leaves the filter rules unwalked: Z3 and the reference
 * evaluator agree on the verdict and the deciding rule. */
static void test_verdicts_through_older_translations_agree(void **state)
{
	unsigned passed;

	(void)state;
	const unsigned translated = agree_on_sets(rnd_older, rnd_packet_near_older, 80, &passed);
	print_message("%u of %u packets translated by an older rule, %u of them passed by one\n", translated,
		      30 * 80, passed);
	assert_true(translated > 30 && passed > 15); /* the packets do meet older rules */
}

/* The firewall's own addresses, one of each family, in the test's small
 * address universe so packets meet them. */
static struct pk_prefix own_addrs[2];
static struct pk_ir_iface own_iface = {.name = "lan0", .addrs = own_addrs, .naddrs = 2};

/* A rule with user or group criteria: what they leave of it. */
static void rnd_owner(struct pk_ir_rule *r)
{
	r->owner = (uint8_t)(rnd() % 4);
	r->user = r->owner ? "_pbuild" : NULL;
}

/* A rule testing nothing but its direction, protocol and owner. */
static void rnd_wide(struct pk_ir_rule *r)
{
	static const uint8_t protos[] = {0, 6, 17};
	r->af = 0;
	r->proto = protos[rnd() % 3];
	r->src = r->dst = (struct pk_ir_addr){.kind = PK_ADDR_ANY};
	r->sport = r->dport = (struct pk_port_match){0};
	r->ifc.name = r->tagged = NULL;
	r->flags = r->flagmask = 0;
	r->icmp_type = r->icmp_code = r->tos = -1;
}

/* A packet to or from one of the firewall's addresses a third of the
 * time each, in either direction. */
static void rnd_local(struct pk_vpkt *p)
{
	const uint32_t k = rnd() % 3;
	if (k < 2)
		memcpy(k ? p->dst : p->src, own_addrs[p->af == PK_AF_INET6].addr, 16);
}

/* user and group (enum pk_owner) with a topology: Z3 and the reference
 * evaluator agree on forwarded and local packets, rule by rule and on the
 * verdict, translations by match rules on the way included (pf looks the
 * socket up by the addresses as the packet arrived). */
static void test_owner_agrees_with_reference_evaluator(void **state)
{
	(void)state;
	enum { NSETS = 20, NRULES = 16, NPKTS = 60 };
	static struct pk_ir_rule rules[NRULES];
	static struct pk_ir_addr pools[NRULES];
	unsigned local = 0, owned = 0;

	rnd_pfx(PK_AF_INET, &own_addrs[0]);
	rnd_pfx(PK_AF_INET6, &own_addrs[1]);
	for (unsigned set = 0; set < NSETS; set++) {
		struct pk_ir_ruleset rs;
		struct pk_z3 z;

		for (uint32_t i = 0; i < NRULES; i++) {
			rnd_filter_rule(&rules[i], i);
			rnd_owner(&rules[i]);
			if (rnd() % 2) /* wide rules, so that packets do meet the owner criteria */
				rnd_wide(&rules[i]);
			if (rnd() % 4 == 0)
				rnd_nat(&rules[i], &pools[i]);
		}
		uint32_t plain = 0; /* the rules before the first translation see packets as they arrive */
		while (plain < NRULES && !rules[plain].nat.kind)
			plain++;
		setup_ruleset(&rs, rules, NRULES);
		rs.ifaces = &own_iface;
		rs.nifaces = 1;
		assert_int_equal(pk_z3_init(&z, &rs, NULL), 0);
		const Z3_ast passes = pk_z3_passes(&z, &rs);
		for (unsigned k = 0; k < NPKTS; k++) {
			const uint32_t i = rnd() % (plain + 1) % NRULES;
			struct pk_vpkt p;
			struct pk_eval_result res;
			char buf[256];

			rnd_packet_near(&rules[i], &p);
			p.ifname = "lan0";
			rnd_local(&p);
			pk_vpkt_format(&p, buf, sizeof(buf));
			const bool want = pk_eval_match(&rs, &rules[i], &p);
			local += memcmp(p.dir == PK_DIR_IN ? p.dst : p.src, own_addrs[p.af == PK_AF_INET6].addr, 16) == 0;
			owned += want && rules[i].owner && (p.proto == 6 || p.proto == 17);
			if (holds(&z, pk_z3_match(&z, &rs, &rules[i]), &p) != want)
				fail_msg("set %u: rule %u (owner %u) disagrees on %s (reference says %d)", set, i,
					 rules[i].owner, buf, want);
			assert_verdict_agrees(&z, &rs, passes, &p, set, &res);
		}
		pk_z3_fini(&z);
	}
	print_message("%u local packets, %u matches of TCP or UDP by rules with an owner\n", local, owned);
	assert_true(local > NSETS * NPKTS / 4);
	assert_true(owned > NSETS);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_fragments_agree_with_reference_evaluator),
	cmocka_unit_test(test_match_agrees_with_reference_evaluator),
	cmocka_unit_test(test_verdicts_through_translations_agree),
	cmocka_unit_test(test_verdicts_through_older_translations_agree),
	cmocka_unit_test(test_owner_agrees_with_reference_evaluator),
)
