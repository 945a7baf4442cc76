/*
 * runtime/scrub.c: normalisation (pf_normalize_ip's fragments,
 * pf_normalize_tcp, pf_scrub, max-mss).
 *
 * TCP flag sanity runs on every TCP packet, as OpenBSD's pf_test does
 * before the state lookup. The scrub options of the rule that created a
 * state (match ... scrub (...) or an older scrub rule) are applied to every
 * packet of the state: no-df, min-ttl, set-tos, random-id, and max-mss on
 * SYNs.
 */
#include "runtime/scrub.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/engine_priv.h"
#include "runtime/wire.h"

/* Hold fragments until their datagram is whole; go on with the whole one. */
static enum pk_drop_reason reassemble(struct pk_engine *e, struct pk_ctx *x, bool *held)
{
	enum pk_drop_reason why = PK_REASON_NONE;

	switch (pk_frag_add(&e->frag, &x->p, x->ip, x->len, x->cap, x->now_ms, e->opt->timeouts[PK_TMO_FRAG], &why)) {
	case PK_FRAG_HELD:
		*held = true;
		x->v->kind = PK_V_HOLD;
		return PK_REASON_NONE;
	case PK_FRAG_DROP:
		return why;
	default:
		x->reassembled = true;
		x->v->translated = true;
		return pk_pkt_parse(x->ip, *x->len, &x->p);
	}
}

/* pf_normalize_ip: a fragment with DF set is dropped, unless `set
 * reassemble ... no-df` clears the bit (the whole datagram then has it
 * clear too); the others are reassembled, or not with `set reassemble no`. */
enum pk_drop_reason pk_eng_normalize_fragment(struct pk_engine *e, struct pk_ctx *x, bool *held)
{
	if (x->p.df) {
		uint16_t off = pk_get16(x->ip + PK_IP4_OFF_FRAG);

		if (!(e->opt->reassemble & PK_REASS_NODF))
			return PK_REASON_FRAGMENT;
		pk_patch16(x->ip + PK_IP4_OFF_FRAG, off & (uint16_t)~PK_IP4_DF, x->ip + PK_IP4_OFF_SUM);
		x->p.df = false;
		x->v->translated = true;
	}
	if (!(e->opt->reassemble & PK_REASS_ON))
		return PK_REASON_NONE;
	return reassemble(e, x, held);
}

enum pk_drop_reason pk_eng_normalize_tcp(struct pk_ctx *x)
{
	uint8_t *th = x->ip + x->p.l4_off;
	uint8_t flags = x->p.th_flags;

	if (flags & PK_TH_SYN) {
		if (flags & PK_TH_RST)
			return PK_REASON_NORMALIZE;
		flags &= (uint8_t)~PK_TH_FIN; /* pf clears FIN on a SYN rather than dropping it */
	} else if (!(flags & (PK_TH_ACK | PK_TH_RST))) {
		return PK_REASON_NORMALIZE;
	}
	if (!(flags & PK_TH_ACK) && (flags & (PK_TH_FIN | PK_TH_PUSH | PK_TH_URG)))
		return PK_REASON_NORMALIZE; /* only valid with ACK */
	if (flags != x->p.th_flags || (th[PK_TCP_OFF_X2] & 0x0f)) {
		/* the data offset and the flags share a 16-bit word; the reserved bits go */
		uint16_t old = pk_get16(th + PK_TCP_OFF_X2);

		pk_patch16(th + PK_TCP_OFF_X2, (uint16_t)((old & 0xf000) | flags), th + PK_TCP_OFF_SUM);
		x->p.th_flags = flags;
		x->v->translated = true;
	}
	if (!(flags & PK_TH_URG) && pk_get16(th + PK_TCP_OFF_URP)) {
		pk_patch16(th + PK_TCP_OFF_URP, 0, th + PK_TCP_OFF_SUM);
		x->v->translated = true;
	}
	return PK_REASON_NONE;
}

void pk_eng_scrub_from_rule(struct pk_scrub *c, const struct pk_rs_rule *r)
{
	memset(c, 0, sizeof(*c));
	c->flags = PK_SCRUB_ON;
	if (r->no_df)
		c->flags |= PK_SCRUB_NODF;
	if (r->random_id)
		c->flags |= PK_SCRUB_RANDOMID;
	if (r->reassemble_tcp)
		c->flags |= PK_SCRUB_TCP;
	if (r->set_tos >= 0) {
		c->flags |= PK_SCRUB_SETTOS;
		c->set_tos = r->set_tos;
	}
	c->max_mss = r->max_mss;
	c->min_ttl = r->min_ttl;
}

/* Patch a 16-bit word of the IPv4 header and its checksum; the packet
 * counts as rewritten when either changed (a patch to the same value can
 * still turn a checksum of 0xffff into 0). Both computed before either is
 * stored: the bytes are read once, and not written when nothing changes. */
static void patch_ip16(struct pk_ctx *x, uint8_t *at, uint16_t v)
{
	uint8_t *sum = x->ip + PK_IP4_OFF_SUM;
	uint16_t was = pk_get16(at), was_sum = pk_get16(sum), now_sum = pk_cksum_fix16(was_sum, was, v);

	if (v == was && now_sum == was_sum)
		return;
	pk_put16(at, v);
	pk_put16(sum, now_sum);
	x->v->translated = true;
}

static void scrub_ipv4(struct pk_engine *e, struct pk_ctx *x, const struct pk_scrub *c)
{
	uint8_t *ip = x->ip;
	uint16_t off = pk_get16(ip + PK_IP4_OFF_FRAG);

	/* TTL and TOS are patched as the 16-bit words the checksum covers */
	if ((c->flags & PK_SCRUB_NODF) && (off & PK_IP4_DF))
		patch_ip16(x, ip + PK_IP4_OFF_FRAG, off & (uint16_t)~PK_IP4_DF);
	if (c->min_ttl && ip[PK_IP4_OFF_TTL] < c->min_ttl)
		patch_ip16(x, ip + PK_IP4_OFF_TTL, (uint16_t)(c->min_ttl << 8 | ip[PK_IP4_OFF_PROTO]));
	if (c->flags & PK_SCRUB_SETTOS) { /* the ECN bits stay */
		uint8_t tos = (uint8_t)(((uint8_t)c->set_tos & 0xfc) | (ip[PK_IP4_OFF_TOS] & 0x03));
		patch_ip16(x, ip + PK_IP4_OFF_VHL, (uint16_t)(ip[PK_IP4_OFF_VHL] << 8 | tos));
	}
	if ((c->flags & PK_SCRUB_RANDOMID) && !(pk_get16(ip + PK_IP4_OFF_FRAG) & (PK_IP4_MF | PK_IP4_OFFMASK)))
		patch_ip16(x, ip + PK_IP4_OFF_ID, (uint16_t)pk_eng_random(e));
}

/* pf_normalize_mss: lower the MSS option of a SYN to max-mss. */
static void clamp_mss(struct pk_ctx *x, uint16_t max_mss)
{
	uint8_t *ip = x->ip;

	if (x->p.proto != PK_PROTO_TCP || !(x->p.th_flags & PK_TH_SYN) || !x->p.opt.mss_off ||
	    x->p.opt.mss <= max_mss)
		return;
	pk_patch16(ip + x->p.opt.mss_off, max_mss, ip + x->p.l4_off + PK_TCP_OFF_SUM);
	x->p.opt.mss = max_mss;
	x->v->translated = true;
}

/* Each rewrite marks the packet translated when it changed a byte. */
void pk_eng_scrub(struct pk_engine *e, struct pk_ctx *x, const struct pk_scrub *c)
{
	if (!c)
		return;
	if (x->p.af == PK_AF_INET)
		scrub_ipv4(e, x, c);
	else if (c->min_ttl && x->ip[PK_IP6_OFF_HLIM] < c->min_ttl) {
		x->ip[PK_IP6_OFF_HLIM] = c->min_ttl;
		x->v->translated = true;
	}
	if (c->max_mss)
		clamp_mss(x, c->max_mss);
}
