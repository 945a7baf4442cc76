/*
 * runtime/engine_afto.c: af-to in the packet path (pf's PF_AFRT).
 *
 * An inbound packet that a `pass in ... af-to` rule decides creates a
 * state whose wire key is the packet's, in its family, and whose stack key
 * is in the other family, oriented as pf_state_key_setup sets it up for
 * two families: as the translated packet's replies arrive, the new
 * destination first. Such a state matches inbound packets only, by either
 * key (pk_st_find): the client's by the wire key, the replies by the stack
 * key. Each is rewritten into the family of the other key (runtime/afto.h)
 * and forwarded by the route of its new destination; pf marks it generated
 * (PF_TAG_GENERATED), so it leaves without meeting the outbound rules: the
 * verdict says so (pk_verdict.afto). ICMP errors about such a connection
 * are translated too (pf_test_state_icmp). The translated source port is
 * drawn as nat-to draws it (pf_get_transaddr_af); an ICMP echo keeps its
 * id, as nat-to here keeps it.
 */
#include <string.h>

#include "runtime/afto.h"
#include "runtime/bytes.h"
#include "runtime/engine_priv.h"
#include "runtime/wire.h"

bool pk_eng_afto_keys(struct pk_engine *e, struct pk_ctx *x, const struct pk_rs_rule *r, struct pk_skey keys[2])
{
	struct pk_pkt q = x->p;

	pk_eng_pkt_key(&x->p, x->dir, &keys[PK_SK_WIRE]);
	if (!pk_afto_addrs(&r->afto, &x->p, q.src, q.dst))
		return false;
	q.af = r->afto.af;
	if (q.icmp_type >= 0) {
		q.proto = q.af == PK_AF_INET ? PK_PROTO_ICMP : PK_PROTO_ICMP6;
		q.icmp_type = (int16_t)pk_afto_icmp_type(q.af, x->p.icmp_type);
	}
	/* the translated packet's key as it leaves: its replies arrive with it */
	pk_eng_pkt_key(&q, PK_DIR_OUT, &keys[PK_SK_STACK]);
	if (q.proto != PK_PROTO_TCP && q.proto != PK_PROTO_UDP)
		return true;
	/* pf_get_transaddr_af draws the source port as nat-to does (pfctl's 50001:65535) */
	const struct pk_port_draw d = {.af = q.af, .proto = q.proto, .look = PK_DIR_IN, .iface = PK_RT_NO_IFACE,
				       .idx = 1};
	x->v->nat_drawn = true;
	return pk_eng_draw_port(e, &d, &keys[PK_SK_STACK]);
}

/* The packet, rewritten to n bytes (0: pf refuses it), goes on in the other family. */
static void translated(struct pk_ctx *x, size_t n)
{
	if (!n || pk_pkt_parse(x->ip, n, &x->p) != PK_REASON_NONE) {
		/* pf_translate_af fails: a fragment or a type it cannot map */
		x->v->kind = PK_V_BLOCK;
		x->v->reason = PK_REASON_NORMALIZE;
		return;
	}
	*x->len = n;
	x->v->translated = true;
	x->v->afto = true;
}

/* A packet of the wire key's family goes to the stack key's and back. */
static int other_key(const struct pk_engine *e, const struct pk_ctx *x, uint32_t i, struct pk_skey *k)
{
	const int to = x->p.af == e->st.st[i].af ? PK_SK_STACK : PK_SK_WIRE;

	pk_st_key(&e->st, i, to, k);
	return pk_st_key_af(&e->st, i, to);
}

void pk_eng_afto_apply(const struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	struct pk_skey k;
	const int af = other_key(e, x, i, &k);

	/* both keys are oriented with the other side's source last */
	if (x->p.proto == PK_PROTO_TCP || x->p.proto == PK_PROTO_UDP) {
		pk_put16(x->ip + x->p.l4_off + PK_L4_OFF_SPORT, k.port[1]); /* the checksum is redone below */
		pk_put16(x->ip + x->p.l4_off + PK_L4_OFF_DPORT, k.port[0]);
	}
	translated(x, pk_afto_rewrite(x->ip, *x->len, x->cap, &x->p, (uint8_t)af, k.addr[1], k.addr[0]));
}

/* pf_test_state_icmp's af-to branch: the quote becomes the packet as the
 * other side sent or received it (the other key, oriented with the quoted
 * source first), the error goes from the quote's destination to its
 * source, and into IPv6 the error's IPv4 source takes the low 32 bits of
 * its source, so that traceroute shows the hop. */
void pk_eng_afto_icmp(const struct pk_engine *e, struct pk_ctx *x, uint32_t i, const struct pk_pkt *in)
{
	struct pk_skey k;
	struct pk_afto_error a;
	const int af = other_key(e, x, i, &k);

	memcpy(a.inner_src, k.addr[0], 16);
	memcpy(a.inner_dst, k.addr[1], 16);
	memcpy(a.src, k.addr[1], 16);
	memcpy(a.dst, k.addr[0], 16);
	if (af == PK_AF_INET6)
		memcpy(a.src + 12, x->p.src, 4);
	a.sport = k.port[0];
	a.dport = k.port[1];
	translated(x, pk_afto_rewrite_error(x->ip, *x->len, x->cap, &x->p, in, (uint8_t)af, &a));
}
