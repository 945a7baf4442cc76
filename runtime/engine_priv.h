/*
 * runtime/engine_priv.h: the engine's insides, shared by the files of the
 * packet path (engine.c, stateful.c, reject.c, nat.c, synproxy.c, scrub.c)
 * and by state_file.c, which saves and restores the table. Nothing outside
 * runtime/ includes it.
 */
#ifndef PK_RUNTIME_ENGINE_PRIV_H
#define PK_RUNTIME_ENGINE_PRIV_H

#include "runtime/decision_cache.h"
#include "runtime/engine.h"
#include "runtime/frag.h"
#include "runtime/packet.h"
#include "runtime/pkt_memo.h"
#include "runtime/srcnode.h"
#include "runtime/state.h"
#include "runtime/timeout.h"

#define PK_GEN_MAX 1500 /* largest packet the firewall generates */

struct pk_engine {
	struct pk_rs *rs;
	const struct pk_rs_options *opt;
	struct pk_engine_config cfg;
	struct pk_state_table st;
	struct pk_sn_table sn;
	struct pk_frag_cache frag;
	struct pk_counters c;
	struct pk_rule_counters *rc; /* one per rule of rs */
	uint32_t *rule_src_nodes;    /* source nodes per rule, for max-src-nodes */
	const struct pk_rs_rule *rules; /* rs's, read in place (pk_eng_rule) */
	uint32_t nrules;
	uint64_t epoch_ns;
	uint64_t now_ms64;           /* latest time seen, ms since the epoch */
	bool epoch_set;
	uint64_t rng;
	uint16_t nat_cursor;         /* next port tried by nat-to allocation */
	uint32_t *binat;             /* the older binat rules, in order */
	uint32_t nbinat;
	bool has_synproxy;           /* some rule says synproxy state: bare ACKs may carry cookies */
	bool has_probability;        /* some rule draws: decisions are not kept */
	bool tests_tos;              /* some rule reads the TOS byte */
	bool tests_owner;            /* some rule reads whether a packet is local (user, group) */
	bool match_translates;       /* some `match` rule has nat-to, rdr-to or binat-to */
	bool sends_elsewhere;        /* some rule has route-to, reply-to, dup-to or divert-to */
	uint8_t tcp_mask;            /* the TCP flags some rule reads */
	struct pk_dcache dc;
	struct pk_pkt_memo parsed_in; /* the last inbound packet's parse, for its way out */
	bool parsed_in_normal;        /* its TCP normalization changed nothing */
	uint8_t cookie_key[16];      /* PK_SYNCOOKIE_KEY, from the seed */
	uint8_t gen[PK_GEN_MAX];
};

/* What the rules decided for a packet without a state. */
struct pk_decision {
	uint32_t rule;        /* deciding filter rule, PK_RT_NO_RULE when none */
	uint32_t nat_rule;    /* rule whose translation applies, PK_RT_NO_RULE when none */
	uint32_t scrub_rule;  /* rule whose scrub options apply, PK_RT_NO_RULE when none */
	uint16_t tag;
	bool keys_ready;      /* nat_rule's keys are computed: an older nat/rdr/binat rule's, or a
			       * translation the rules after its `match` rule saw */
	bool map_failed;      /* its translation found no free port */
	struct pk_skey keys[2]; /* the state's wire and stack keys when keys_ready */
};

/* The packet being handled. */
struct pk_ctx {
	uint64_t now_ns;
	uint32_t now_ms; /* since the engine's epoch, modulo 2^32: compare differences only */
	uint16_t iface;
	uint8_t dir;
	uint8_t *ip;
	size_t *len;
	size_t cap;
	struct pk_verdict *v;
	bool reassembled;
	uint16_t tag_in; /* the tag the packet arrived with */
	uint16_t rcvif;  /* the interface it was received on; PK_RT_NO_IFACE for the firewall's own */
	bool reply;      /* it matched a state in the direction opposite its creator's */
	bool as_syn;  /* evaluate the rules with the flags of a SYN (a cookie's ACK) */
	bool probe;   /* evaluation only: no counters, no random draw */
	bool plain;   /* a walk ahead (runtime/engine_ahead.c): it stops where a translation is due */
	const struct pk_pkt *cookie_ack; /* the ACK whose cookie created the state */
	uint32_t cookie_isn;             /* the ISN that cookie gave the client */
	const struct pk_pkt *parsed;     /* the packet's parse given ahead (pk_engine_packet_parsed); NULL: none */
	struct pk_pkt p; /* the parse fills all of it, the fields above are cleared */
	/* set apart from those, the clearing stays as short as it was */
	const struct pk_decision_ahead *ahead; /* the decision worked out ahead for it; NULL: none */
};

/* Rule i of the loaded set, i a rule number the set gave (pk_rs_rule
 * without its call and range check: the packet path reads several a packet). */
static inline const struct pk_rs_rule *pk_eng_rule(const struct pk_engine *e, uint32_t i)
{
	return &e->rules[i];
}

/* xorshift64*: replay fixes the seed, so runs repeat exactly (inline: drawn
 * for each packet TCP tracking sees). */
static inline uint32_t pk_eng_random(struct pk_engine *e)
{
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return (uint32_t)((e->rng * 0x2545f4914f6cdd1dull) >> 32);
}
void pk_eng_emit(struct pk_engine *e, struct pk_ctx *x, const uint8_t *pkt, size_t len);
/* For a walk ahead (runtime/engine_ahead.c), on its copy of the engine:
 * what the rules read of packet p seen in direction dir on iface, with
 * tag, received on rcvif (m), and the decision cache's key (k); then the
 * walk of the packet in x (x->probe and x->plain set), its entry in *c,
 * false where a translation is due or the decision is not one to keep. */
void pk_eng_ahead_key(const struct pk_engine *e, const struct pk_pkt *p, uint8_t dir, uint16_t iface, uint16_t tag,
		      uint16_t rcvif, struct pk_match_pkt *m, struct pk_match_pkt *k);
bool pk_eng_walk_ahead(struct pk_engine *e, struct pk_ctx *x, struct pk_match_pkt *m, struct pk_dc_entry *c);
void pk_eng_state_remove(struct pk_engine *e, uint32_t i);

/* The rule of state s, NULL for a state of pf's default rule. */
static inline const struct pk_rs_rule *pk_eng_state_rule(const struct pk_engine *e, const struct pk_state *s)
{
	return s->rule < e->nrules ? pk_eng_rule(e, s->rule) : NULL;
}

/* The state's timeout in ms, adaptive scaling applied; at most 2^31 - 1
 * so that ages compare across the wrap of the 32-bit ms clock. */
static inline uint32_t pk_eng_timeout_ms(const struct pk_engine *e, const struct pk_state *s)
{
	const struct pk_rs_rule *r = pk_eng_state_rule(e, s);
	uint32_t rs = r ? e->rc[s->rule].states_current : 0;
	uint64_t t;

	if (s->flags & PK_SF_PURGE)
		return 0;
	t = (uint64_t)pk_tmo_effective(e->opt, r, (enum pk_timeout)s->timeout, e->st.count, rs) * 1000u;
	return t > INT32_MAX ? INT32_MAX : (uint32_t)t;
}

/* pf purges a state once its expiry time has come (pf_purge_expired_states);
 * inline with the timeout: asked on each look-up's state. */
static inline bool pk_eng_state_expired(const struct pk_engine *e, const struct pk_state *s, uint32_t now_ms)
{
	int32_t age = (int32_t)(now_ms - s->last_ms);

	return age >= 0 && (uint32_t)age >= pk_eng_timeout_ms(e, s);
}

uint64_t pk_eng_state_expires_ms(const struct pk_engine *e, const struct pk_state *s);

/* Whether the packet comes from the peer that created state s: it goes
 * the state's direction, or, for an af-to state (whose packets all arrive
 * inbound, the replies on the other side), it is of the wire key's family.
 * Asked before the packet is translated. */
static inline bool pk_eng_from_creator(const struct pk_state *s, const struct pk_ctx *x)
{
	return (s->flags & PK_SF_AFTO) ? x->p.af == s->af : s->dir == x->dir;
}

/* stateful.c: the state side of pf_test */
/* Look the packet up; PK_ST_NONE when no state has it (or it reopens a closed one). */
uint32_t pk_eng_state_lookup(struct pk_engine *e, struct pk_ctx *x);
/* Apply a found state to the packet and fill the verdict. */
void pk_eng_state_apply(struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* ICMP error quoting a tracked connection: true when handled as related. */
bool pk_eng_icmp_related(struct pk_engine *e, struct pk_ctx *x);
/* Create the state a passing rule asks for; false (verdict filled) when refused. */
bool pk_eng_state_create(struct pk_engine *e, struct pk_ctx *x, const struct pk_decision *d);
/* The key of the packet for its direction, with ICMP's virtual id/type
 * (inline: every look-up builds one). pk_skey_set writes every byte of k. */
static inline void pk_eng_pkt_key(const struct pk_pkt *p, uint8_t dir, struct pk_skey *k)
{
	uint16_t sport = p->sport, dport = p->dport;

	if (p->icmp_type >= 0) {
		bool reply;
		uint16_t vt = pk_icmp_virtual(p->af, (uint8_t)p->icmp_type, &reply);

		sport = reply ? vt : p->icmp_id;
		dport = reply ? p->icmp_id : vt;
	}
	pk_skey_set(k, dir, p->src, p->dst, sport, dport);
}

/* reject.c: answer a blocked packet per the rule's block kind; true when sent. */
bool pk_eng_reject(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r);

/* nat.c */
/* pf_get_sport: a port for index idx of key, from a random start up to
 * the top of lo..hi (pfctl's 50001:65535 when lo is 0), then down from the
 * start, the first whose key no state of family af and proto holds as
 * looked up in direction look on iface. False when none is free. */
struct pk_port_draw {
	uint8_t af, proto, look;
	uint16_t lo, hi, iface;
	int idx;
};
bool pk_eng_draw_port(struct pk_engine *e, const struct pk_port_draw *d, struct pk_skey *key);
/* Compute the translated stack/wire keys (keys[PK_SK_*], both the packet's
 * key on entry) of a new state from rule nr; false when no port could be
 * allocated. */
bool pk_eng_nat_keys(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *nr, struct pk_skey keys[2]);
/* The older binat rule whose external address is the destination of an
 * inbound packet (first match); PK_RT_NO_RULE when none. */
uint32_t pk_eng_binat_in_rule(const struct pk_engine *e, const struct pk_ctx *x);
/* Rewrite the packet to the other key of its state i. */
void pk_eng_nat_apply(const struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* Rewrite an ICMP error related to translated state i, quoted packet included. */
void pk_eng_nat_icmp(const struct pk_engine *e, struct pk_ctx *x, uint32_t i, const struct pk_pkt *in);

/* engine_afto.c: af-to */
/* The wire and stack keys of the state rule r's af-to makes for the
 * packet; false when its addresses cannot be mapped. */
bool pk_eng_afto_keys(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r, struct pk_skey keys[2]);
/* Rewrite the packet into the family of af-to state i's other key. */
void pk_eng_afto_apply(const struct pk_engine *e, struct pk_ctx *x, uint32_t i);
/* The same for an ICMP error quoting in, a packet of state i. */
void pk_eng_afto_icmp(const struct pk_engine *e, struct pk_ctx *x, uint32_t i, const struct pk_pkt *in);

/* scrub.c: pf_normalize_ip's fragments, pf_normalize_tcp (flags) and the per-packet scrub options. */
/* A fragment: dropped, held (*held) until its datagram is whole (x->p then
 * the whole one), or with `set reassemble no` left for the rules as it is. */
enum pk_drop_reason pk_eng_normalize_fragment(struct pk_engine *e, struct pk_ctx *x, bool *held);
enum pk_drop_reason pk_eng_normalize_tcp(struct pk_ctx *x);
/* Apply a state's scrub options (NULL: none) to the packet. */
void pk_eng_scrub(struct pk_engine *e, struct pk_ctx *x, const struct pk_scrub *c);
void pk_eng_scrub_from_rule(struct pk_scrub *c, const struct pk_rs_rule *r);

#endif
