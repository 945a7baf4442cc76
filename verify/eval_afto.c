/*
 * verify/eval_afto.c: af-to on one concrete packet, for the reference
 * evaluator's users (eval.h): the runtime's own address mapping
 * (runtime/afto.h) over the rule as the compiler resolved it.
 */
#include <string.h>

#include "runtime/afto.h"
#include "verify/eval.h"

bool pk_eval_afto(const struct pk_ir_rule *r, const struct pk_vpkt *p, struct pk_vpkt *out)
{
	struct pk_afto a = {.af = r->afto.af, .from_len = r->afto.src.len,
			    .to_len = r->afto.dst.af ? r->afto.dst.len : 0,
			    .rule_dst_len = r->dst.kind == PK_ADDR_PREFIX ? r->dst.pfx.len : 0};
	struct pk_pkt q;

	memcpy(a.from, r->afto.src.addr, 16);
	memcpy(a.to, r->afto.dst.addr, 16);
	memset(&q, 0, sizeof q);
	memcpy(q.dst, p->dst, 16);
	*out = *p;
	out->af = a.af;
	if (!r->afto.af || p->af == a.af || !pk_afto_addrs(&a, &q, out->src, out->dst))
		return false;
	if (p->proto != PK_PROTO_ICMP && p->proto != PK_PROTO_ICMP6)
		return true;
	const int type = pk_afto_icmp_type(a.af, p->icmp_type);
	out->proto = a.af == PK_AF_INET ? PK_PROTO_ICMP : PK_PROTO_ICMP6;
	out->icmp_type = (uint8_t)type;
	return type >= 0;
}
