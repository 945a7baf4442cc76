/*
 * runtime/reject.c: what a block rule sends back.
 *
 * As the reference's "Block vs. Reject" says: block drops silently; reject
 * (block return) answers TCP with a RST and UDP with ICMP port unreachable
 * and silently drops other protocols. return-rst answers TCP only;
 * return-icmp / return-icmp6 answer any packet that is not itself an ICMP
 * error with the given code (port unreachable by default), as pf does.
 * `set block-policy` is already resolved into the rule's kind.
 */
#include <string.h>

#include "runtime/cksum.h"
#include "runtime/engine_priv.h"
#include "runtime/pktgen.h"

/* pf_send_tcp for a RST: acknowledge what the packet occupied, or take
 * over its ack number (RFC 793 reset generation). */
static size_t build_rst(const struct pk_ctx *x, const struct pk_rs_rule *r, uint8_t *out, size_t cap)
{
	const struct pk_pkt *p = &x->p;
	struct pk_gen_tcp t = {.af = p->af, .src = p->dst, .dst = p->src, .sport = p->dport, .dport = p->sport,
			       .ttl = r->return_ttl};

	if (p->th_flags & PK_TH_ACK) {
		t.seq = p->ack;
		t.flags = PK_TH_RST;
	} else {
		t.ack = p->seq + p->p_len + ((p->th_flags & PK_TH_SYN) ? 1 : 0) + ((p->th_flags & PK_TH_FIN) ? 1 : 0);
		t.flags = PK_TH_RST | PK_TH_ACK;
	}
	return pk_gen_tcp(&t, out, cap);
}

/* The address an ICMP error comes from: the firewall's own address on the
 * interface the packet arrived on (icmp_reflect), else the packet's target. */
static void icmp_source(const struct pk_engine *e, const struct pk_ctx *x, uint8_t src[16])
{
	uint32_t k, n = x->iface == PK_RT_NO_IFACE ? 0 : pk_rs_iface_naddr(e->rs, x->iface);

	memcpy(src, x->p.dst, 16);
	if (pk_rs_is_self(e->rs, x->p.af, x->p.dst))
		return;
	for (k = 0; k < n; k++) {
		uint8_t af, addr[16], len;

		pk_rs_iface_addr(e->rs, x->iface, k, &af, addr, &len);
		if (af == x->p.af) {
			memcpy(src, addr, 16);
			return;
		}
	}
}

/* icmp_error never answers multicast or broadcast destinations. */
static bool multicast(const struct pk_pkt *p)
{
	if (p->af == PK_AF_INET6)
		return p->dst[0] == 0xff;
	return p->dst[0] >= 224 || (p->dst[0] == 255 && p->dst[1] == 255 && p->dst[2] == 255 && p->dst[3] == 255);
}

static size_t build_icmp(const struct pk_engine *e, const struct pk_ctx *x, const struct pk_rs_rule *r,
			 uint8_t *out, size_t cap)
{
	uint8_t src[16];
	bool v6 = x->p.af == PK_AF_INET6;
	int16_t code = v6 ? r->return_icmp6 : r->return_icmp;
	struct pk_gen_icmp g = {.af = x->p.af, .src = src, .type = v6 ? PK_ICMP6_DST_UNREACH : PK_ICMP_UNREACH};

	if (x->p.icmp_error || multicast(&x->p) || (x->p.fragment && !x->p.frag_first))
		return 0;
	if (code < 0)
		code = v6 ? PK_ICMP6_DST_UNREACH_NOPORT : PK_ICMP_UNREACH_PORT;
	g.code = (uint8_t)code;
	icmp_source(e, x, src);
	return pk_gen_icmp_error(&g, x->ip, x->p.tot_len, out, cap);
}

/* pf checks the TCP checksum before answering with a RST (proto-cksum). */
static bool tcp_cksum_ok(const struct pk_ctx *x)
{
	uint32_t l4 = x->p.tot_len - x->p.l4_off;
	uint32_t sum = pk_cksum_pseudo(x->p.af, x->p.src, x->p.dst, PK_PROTO_TCP, l4);

	return pk_cksum_fold(pk_cksum_add(sum, x->ip + x->p.l4_off, l4)) == 0;
}

static size_t rst_answer(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r)
{
	if (x->p.th_flags & PK_TH_RST)
		return 0; /* never answer a RST */
	if (!tcp_cksum_ok(x)) {
		x->v->reason = PK_REASON_PROTO_CKSUM;
		return 0;
	}
	return build_rst(x, r, e->gen, sizeof(e->gen));
}

static size_t answer(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r)
{
	bool tcp = x->p.proto == PK_PROTO_TCP;

	switch (r->block) {
	case PK_BLOCK_RETURN:
		if (tcp)
			return rst_answer(e, x, r);
		return x->p.proto == PK_PROTO_UDP ? build_icmp(e, x, r, e->gen, sizeof(e->gen)) : 0;
	case PK_BLOCK_RETURN_RST:
		return tcp ? rst_answer(e, x, r) : 0;
	case PK_BLOCK_RETURN_ICMP:
		return build_icmp(e, x, r, e->gen, sizeof(e->gen));
	case PK_BLOCK_RETURN_ICMP6:
		return x->p.af == PK_AF_INET6 ? build_icmp(e, x, r, e->gen, sizeof(e->gen)) : 0;
	default:
		return 0;
	}
}

bool pk_eng_reject(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r)
{
	size_t n = answer(e, x, r);

	if (n == 0)
		return false;
	pk_eng_emit(e, x, e->gen, n);
	return true;
}
