/*
 * runtime/replay_decide.c: the reading thread's guess of which packets will
 * need the rules (runtime/replay_decide.h).
 *
 * pf's states belong to a flow and a pass: a state made on a packet's way
 * in on one interface also meets the replies on their way out there, and
 * one made on its way out meets the replies on their way in. So a flow
 * needs two bits, one for each of its first packet's passes, and a reply's
 * pass reads the other one.
 */
#include <stddef.h>
#include <stdlib.h>

#include "runtime/hash.h"
#include "runtime/replay_decide.h"

#define FLOW_BITS 18 /* flows remembered, 2 MB; a collision only costs a guess */

enum {
	FLOW_STATE_IN = 1,   /* the first packet's way in made a state */
	FLOW_STATE_OUT = 2,  /* its way out did */
	FLOW_ENGINE = 4,     /* a translation or a tag met it: the engine decides the flow alone */
	FLOW_REVERSED = 8,   /* the first packet went from the end that hashed higher */
};

struct pk_replay_decide {
	struct pk_engine_ahead *walk;
	struct pk_engine_dc_view view; /* the engine's cache's keys, for its hints */
	uint64_t seed;
	/* per flow: its hash (never 0) in the high half, FLOW_ bits in the low */
	uint64_t *flows;
};

struct pk_replay_decide *pk_replay_decide_new(const struct pk_engine *e, uint64_t seed)
{
	struct pk_replay_decide *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->seed = seed;
	d->view = pk_engine_dc_view(e);
	d->walk = pk_engine_ahead_new(e);
	d->flows = calloc(1u << FLOW_BITS, sizeof(*d->flows));
	if (!d->walk || !d->flows) {
		pk_replay_decide_free(d);
		return NULL;
	}
	return d;
}

void pk_replay_decide_free(struct pk_replay_decide *d)
{
	if (!d)
		return;
	pk_engine_ahead_free(d->walk);
	free(d->flows);
	free(d);
}

/* Is there a state for this packet's pass (0 in, 1 out), as far as the
 * flow's bits tell? A reply's way in meets the state of the first packet's
 * way out, and the other way round. */
static unsigned state_bit(bool reply, unsigned pass) { return (reply ^ pass) ? FLOW_STATE_OUT : FLOW_STATE_IN; }

/* A packet on its way through the batch's pipeline: its flow's slot asked
 * for first; then, the slot read, the keys of the passes it is expected
 * to need worked out and their slots of the decision cache asked for;
 * then its decisions made. */
struct ask {
	uint64_t *slot; /* NULL: the packet is not decided ahead */
	uint32_t h;
	bool reversed;
	bool asked[2]; /* pass[k] is worked out */
	struct pk_pass_ahead pass[2];
};

#define ASK_AHEAD 8 /* packets between asking for a flow's slot and deciding */
#define KEY_AHEAD 4 /* between asking for the cache's slot and deciding */
#define LINES_AHEAD 16 /* packets between asking for a packet's own lines and reading them */

static void ask_flow(struct pk_replay_decide *d, const struct pk_pcap_ahead *a, struct ask *q)
{
	const struct pk_pkt *p = &a->parsed;

	q->slot = NULL;
	if (!a->ready || !a->parsed_ok || a->iface == PK_RT_NO_IFACE || p->fragment)
		return;
	/* a packet and its replies share the slot: the two ends combined in an
	 * order-free way (the state look-ups' hashes, when the decode hook made
	 * them, are of the packet's key and of its replies') */
	uint64_t x = a->state[0], y = a->state[1];
	if (!x) {
		x = pk_hash_words(d->seed ^ p->sport, p->src, 2);
		y = pk_hash_words(d->seed ^ p->dport, p->dst, 2);
	}
	q->h = pk_hash_fold(pk_hash_mix(x < y ? x : y, (x < y ? y : x) ^ p->proto)) | 1u;
	q->reversed = x > y;
	q->slot = &d->flows[q->h >> (32 - FLOW_BITS)];
	__builtin_prefetch(q->slot);
}

/* The flow's bits as the packet sees them: whether it is a reply, and the
 * bits (FLOW_REVERSED set as the packet's when the flow is new). */
static uint64_t flow_bits(const struct ask *q, bool *reply)
{
	uint64_t bits = *q->slot & 0xffffffffu;

	if (*q->slot >> 32 != q->h) {
		*reply = false;
		return q->reversed ? FLOW_REVERSED : 0;
	}
	*reply = q->reversed != !!(bits & FLOW_REVERSED);
	return bits;
}

/* Is the packet forwarded, so that it has a way out? */
static bool forwarded(const struct pk_pcap_ahead *a) { return a->route.routed && !a->route.self; }

static void ask_pass(struct pk_replay_decide *d, const struct pk_pcap_ahead *a, struct ask *q, unsigned k)
{
	if (k == 0)
		pk_engine_ahead_pass(d->walk, &a->parsed, PK_DIR_IN, a->iface, 0, a->iface, &q->pass[0]);
	else /* a state's tag is not known here: taken as none */
		pk_engine_ahead_pass(d->walk, &a->parsed, PK_DIR_OUT, a->route.egress, 0, a->iface, &q->pass[1]);
	q->asked[k] = true;
}

/* The passes the packet is expected to need, worked out; and the hint of
 * the engine's own cache for its way in (a->decision), where the way in is
 * not expected to meet a state: the same key, the same hash. */
static void ask_keys(struct pk_replay_decide *d, struct pk_pcap_ahead *a, struct ask *q)
{
	bool reply = false;
	uint64_t bits = q->slot ? flow_bits(q, &reply) : FLOW_ENGINE;

	q->asked[0] = q->asked[1] = false;
	a->decision = 0;
	if (bits & FLOW_ENGINE) {
		if (a->ready && a->parsed_ok)
			a->decision = pk_engine_decision_hash(&d->view, &a->parsed, a->iface, a->route.self);
		return;
	}
	if (!(bits & state_bit(reply, 0))) {
		ask_pass(d, a, q, 0);
		a->decision = d->view.keeps ? q->pass[0].hash : 0;
	}
	if (!(bits & state_bit(reply, 1)) && forwarded(a))
		ask_pass(d, a, q, 1);
}

/* The decisions packet a's flow is expected to need, made into out[0] (way
 * in) and out[1] (way out); false when there are none. The flow's bits are
 * read again: a packet of the same flow decided since may have changed
 * them. */
static bool decide(struct pk_replay_decide *d, const struct pk_pcap_ahead *a, struct ask *q,
		   struct pk_decision_ahead out[2])
{
	const struct pk_pkt *p = &a->parsed;
	bool reply;
	uint64_t bits = flow_bits(q, &reply);

	if (bits & FLOW_ENGINE)
		return false;
	bool in_state = bits & state_bit(reply, 0);
	out[0].valid = out[1].valid = false;
	if (!in_state) {
		if (!q->asked[0])
			ask_pass(d, a, q, 0);
		pk_engine_decide_pass(d->walk, p, &q->pass[0], &out[0]);
		if (!out[0].valid || out[0].entry.tag) {
			*q->slot = (uint64_t)q->h << 32 | bits | FLOW_ENGINE;
			return false;
		}
		if (pk_engine_ahead_keeps_state(d->walk, &out[0]))
			bits |= state_bit(reply, 0);
	}
	/* the way out, when the way in passes */
	if ((in_state || pk_engine_ahead_passes(d->walk, &out[0])) && forwarded(a) && !(bits & state_bit(reply, 1))) {
		if (!q->asked[1])
			ask_pass(d, a, q, 1);
		pk_engine_decide_pass(d->walk, p, &q->pass[1], &out[1]);
		if (!out[1].valid)
			bits |= FLOW_ENGINE; /* a translation on the way out: not tried again at every packet */
		else if (pk_engine_ahead_keeps_state(d->walk, &out[1]))
			bits |= state_bit(reply, 1);
	}
	*q->slot = (uint64_t)q->h << 32 | bits;
	return out[0].valid || out[1].valid;
}

void pk_replay_decide_batch(struct pk_replay_decide *d, struct pk_pcap_pkt *pkts, size_t n, void *scratch)
{
	struct pk_decision_ahead(*pair)[2] = scratch; /* taken in order: pages touched as decisions are made */
	struct ask ring[ASK_AHEAD];

	for (size_t i = 0; i < n + ASK_AHEAD; i++) {
		/* the batch was decoded in full before: its first packets' lines
		 * have left the cache by now */
		if (i + LINES_AHEAD < n) {
			const char *next = (const char *)&pkts[i + LINES_AHEAD].ahead;
			for (size_t off = 0; off < offsetof(struct pk_pcap_ahead, decided); off += 64)
				__builtin_prefetch(next + off);
		}
		if (i >= ASK_AHEAD) {
			struct pk_pcap_ahead *a = &pkts[i - ASK_AHEAD].ahead;
			struct ask *q = &ring[(i - ASK_AHEAD) % ASK_AHEAD];

			a->decided = NULL;
			if (q->slot && decide(d, a, q, *pair))
				a->decided = *pair++;
		}
		if (i >= KEY_AHEAD && i - KEY_AHEAD < n)
			ask_keys(d, &pkts[i - KEY_AHEAD].ahead, &ring[(i - KEY_AHEAD) % ASK_AHEAD]);
		if (i < n)
			ask_flow(d, &pkts[i].ahead, &ring[i % ASK_AHEAD]);
	}
}
