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
 * verdict says so (pk_verdict.afto). The client's port (an ICMP echo's
 * id) is kept: pf may draw another from af-to's pool as nat-to does,
 * which this does not model yet.
 */
#include <string.h>

#include "runtime/afto.h"
#include "runtime/engine_priv.h"

bool pk_eng_afto_keys(const struct pk_ctx *x, const struct pk_rs_rule *r, struct pk_skey keys[2])
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
	return true;
}

void pk_eng_afto_apply(const struct pk_engine *e, struct pk_ctx *x, uint32_t i)
{
	/* a packet of the wire key's family goes to the stack key's and back */
	const int to = x->p.af == e->st.st[i].af ? PK_SK_STACK : PK_SK_WIRE;
	struct pk_skey k;
	size_t n;

	pk_st_key(&e->st, i, to, &k);
	/* both keys are oriented with the other side's source last */
	n = pk_afto_rewrite(x->ip, *x->len, x->cap, &x->p, pk_st_key_af(&e->st, i, to), k.addr[1], k.addr[0]);
	if (!n || pk_pkt_parse(x->ip, n, &x->p) != PK_REASON_NONE) {
		/* pf_translate_af fails: a fragment, an ICMP error or a type it cannot map */
		x->v->kind = PK_V_BLOCK;
		x->v->reason = PK_REASON_NORMALIZE;
		return;
	}
	*x->len = n;
	x->v->translated = true;
	x->v->afto = true;
}
