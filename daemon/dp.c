/* daemon/dp.c: what routed and bridge mode share: taking a frame's IP packet and filtering it. */
#include "daemon/daemon.h"

#include <string.h>
#include <syslog.h>
#include <time.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

int pk_dp_port_of(const struct pk_daemon *d, uint16_t iface)
{
	for (unsigned i = 0; i < d->nports; i++)
		if (d->port_iface[i] == iface)
			return (int)i;
	return -1;
}

uint16_t pk_dp_ethertype(struct pk_daemon *d, const uint8_t *frame, size_t len, unsigned flags)
{
	if (len < PK_ETH_HLEN)
		return 0;
	uint16_t type = pk_get16(frame + PK_ETH_OFF_TYPE);
	if ((flags & PK_AFP_VLAN) ||
	    (type != PK_ETHERTYPE_IP && type != PK_ETHERTYPE_IPV6 && type != PK_ETHERTYPE_ARP)) {
		d->c.other_l2++;
		return 0;
	}
	return type;
}

/* The IP length the header claims, 0 when it is not a sane header. */
static size_t ip_length(const uint8_t *ip, size_t cap, uint8_t *af)
{
	if (cap >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		size_t tot = pk_get16(ip + PK_IP4_OFF_LEN), hl = pk_ip4_hlen(ip);
		*af = 4;
		return (hl >= PK_IP4_HLEN && tot >= hl && tot <= cap) ? tot : 0;
	}
	if (cap >= PK_IP6_HLEN && pk_ip_version(ip) == 6) {
		size_t tot = PK_IP6_HLEN + (size_t)pk_get16(ip + PK_IP6_OFF_PLEN);
		*af = 6;
		return tot <= cap ? tot : 0;
	}
	return 0;
}

size_t pk_dp_take(struct pk_daemon *d, const uint8_t *frame, size_t len, unsigned flags, uint8_t *af)
{
	if (len <= PK_ETH_HLEN || len - PK_ETH_HLEN > sizeof(d->buf))
		return 0;
	size_t iplen = ip_length(frame + PK_ETH_HLEN, len - PK_ETH_HLEN, af);
	if (!iplen) {
		d->c.malformed++;
		return 0;
	}
	memcpy(d->buf, frame + PK_ETH_HLEN, iplen);
	/* A packet from a local sender may carry only a partial checksum: finish it,
	 * as the engine checks checksums and the next hop would drop it. */
	if (flags & PK_AFP_CSUM_NOT_READY)
		pk_cksum_l4(d->buf, iplen);
	return iplen;
}

static const char *const verdict_names[] = {"pass", "block", "reject", "hold"};

void pk_dp_log_final(struct pk_daemon *d, uint16_t iface)
{
	struct timespec ts;
	const struct pk_rs *rs = pk_engine_ruleset(d->engine);

	if (!d->verdicts)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(d->verdicts, "%lld.%06ld %s %s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000,
		iface < pk_rs_niface(rs) ? pk_rs_iface_name(rs, iface) : "-",
		d->last_kind < 4 ? verdict_names[d->last_kind] : "?");
}

bool pk_dp_filter(struct pk_daemon *d, uint16_t iface, uint8_t dir, uint16_t tag, uint16_t rcvif, size_t *len,
		  struct pk_verdict *v)
{
	memset(v, 0, sizeof(*v));
	d->eval = v;
	if (dir == PK_DIR_OUT && rcvif != PK_RT_NO_IFACE)
		pk_engine_packet_forwarded(d->engine, d->now_ns, iface, tag, rcvif, NULL, d->buf, len, sizeof(d->buf), v);
	else
		pk_engine_packet_tagged(d->engine, d->now_ns, iface, dir, tag, d->buf, len, sizeof(d->buf), v);
	d->eval = NULL;
	if (v->rule != PK_RT_NO_RULE && d->log.f) {
		const struct pk_rs_rule *r = pk_rs_rule(pk_engine_ruleset(d->engine), v->rule);
		if (r && r->log) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			if (pk_pcaplog_write(&d->log, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec, d->buf,
					     *len) < 0)
				pk_log(LOG_WARNING, "log file: write failed; logging continues with the next packet");
		}
	}
	d->last_kind = v->kind;
	return v->kind == PK_V_PASS;
}
