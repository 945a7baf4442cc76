/* runtime/pcap_replay.c: read a capture with libpcap, strip the link header. */
#include "runtime/pcap_replay.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/bytes.h"
#include "runtime/infile.h"
#include "runtime/pcapng_ifaces.h"
#include "runtime/proto.h"
#include "runtime/wire.h"

/* Link types libpcap may report that are not in every libpcap's headers. */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define SLL_OUTGOING 4 /* Linux packet type: sent by this host */

struct pk_pcap {
	pcap_t *p;
	struct pk_pcapng *ng; /* NULL for a plain pcap */
	const char *path;
	int link;
	uint64_t n;
};

/* Where the IP header starts in a frame of each link type, and what the
 * link layer says about direction; when the frame carries no IP packet,
 * why not, in the words of the per-frame line. */
struct link_view {
	size_t off;
	bool outgoing;
	char *why;
	size_t why_size;
};

/* Ethertypes a capture holds besides IP, named in the line of their frame. */
static const struct {
	uint16_t type;
	const char *name;
} ethertype_names[] = {
	{PK_ETHERTYPE_ARP, "ARP"},  {0x8035, "RARP"},  {0x888e, "EAPOL"},          {0x88cc, "LLDP"},
	{0x8809, "LACP"},           {0x8847, "MPLS"},  {0x8863, "PPPoE discovery"}, {0x8864, "PPPoE session"},
	{0x88e5, "MACsec"},         {0x88f7, "PTP"},   {0x9000, "loopback test"},
};

static bool is_ip(uint16_t ethertype)
{
	return ethertype == PK_ETHERTYPE_IP || ethertype == PK_ETHERTYPE_IPV6;
}

static bool not_ip(struct link_view *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool not_ip(struct link_view *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->why, v->why_size, fmt, ap);
	va_end(ap);
	return false;
}

/* Values up to 1500 are an 802.3 length (LLC follows: spanning tree, NetBIOS). */
static bool carries_ip(struct link_view *v, uint16_t type)
{
	if (is_ip(type))
		return true;
	if (type <= 1500)
		return not_ip(v, "not IP: an 802.3 frame (LLC, %u bytes)", type);
	for (size_t i = 0; i < sizeof ethertype_names / sizeof ethertype_names[0]; i++)
		if (ethertype_names[i].type == type)
			return not_ip(v, "not IP: ethertype 0x%04x, %s", type, ethertype_names[i].name);
	return not_ip(v, "not IP: ethertype 0x%04x", type);
}

static bool strip_ether(const uint8_t *f, size_t len, struct link_view *v)
{
	size_t off = PK_ETH_OFF_TYPE;
	for (int tags = 0; tags < 3; tags++) {
		if (off + 2 > len)
			return not_ip(v, "shorter than its Ethernet header (%zu of %zu bytes)", len, off + 2);
		uint16_t type = pk_get16(f + off);
		if (type == PK_ETHERTYPE_VLAN || type == PK_ETHERTYPE_QINQ || type == PK_ETHERTYPE_QINQ_OLD) {
			off += PK_VLAN_TAG_LEN;
			continue;
		}
		v->off = off + 2;
		return carries_ip(v, type);
	}
	return not_ip(v, "more than two VLAN tags");
}

/* A fixed header of hlen bytes; proto_at its ethertype, or -1 for none. */
static bool strip_fixed(const uint8_t *f, size_t len, size_t hlen, int proto_at, const char *name,
			struct link_view *v)
{
	if (len < hlen)
		return not_ip(v, "shorter than its %s header (%zu of %zu bytes)", name, len, hlen);
	v->off = hlen;
	return proto_at < 0 || carries_ip(v, pk_get16(f + proto_at));
}

static bool strip_link(int link, const uint8_t *f, size_t len, struct link_view *v)
{
	v->off = 0;
	v->outgoing = false;
	switch (link) {
	case DLT_EN10MB:
		return strip_ether(f, len, v);
	case DLT_NULL:
	case DLT_LOOP:
		return strip_fixed(f, len, PK_NULL_HLEN, -1, "loopback", v);
	case DLT_LINUX_SLL:
		v->outgoing = len >= PK_SLL_HLEN && pk_get16(f + PK_SLL_OFF_PKTTYPE) == SLL_OUTGOING;
		return strip_fixed(f, len, PK_SLL_HLEN, PK_SLL_OFF_PROTO, "Linux cooked", v);
	case DLT_LINUX_SLL2:
		v->outgoing = len >= PK_SLL2_HLEN && f[PK_SLL2_OFF_PKTTYPE] == SLL_OUTGOING;
		return strip_fixed(f, len, PK_SLL2_HLEN, PK_SLL2_OFF_PROTO, "Linux cooked v2", v);
	default: /* raw IP: DLT_RAW, DLT_IPV4, DLT_IPV6 (pk_pcap_open refused the others) */
		return true;
	}
}

static bool link_supported(int link)
{
	static const int known[] = {DLT_EN10MB, DLT_RAW,  DLT_IPV4,      DLT_IPV6,
				    DLT_NULL,   DLT_LOOP, DLT_LINUX_SLL, DLT_LINUX_SLL2};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i] == link)
			return true;
	return false;
}

/* Ethernet pads short frames: keep only the bytes the IP header claims. */
static size_t ip_length(const uint8_t *ip, size_t len)
{
	if (len >= PK_IP4_HLEN && pk_ip_version(ip) == 4) {
		size_t tot = pk_get16(ip + PK_IP4_OFF_LEN);
		return tot >= PK_IP4_HLEN && tot < len ? tot : len;
	}
	if (len >= PK_IP6_HLEN && pk_ip_version(ip) == 6) {
		size_t plen = pk_get16(ip + PK_IP6_OFF_PLEN), tot = plen + PK_IP6_HLEN;
		return plen != 0 && tot < len ? tot : len;
	}
	return len;
}

static struct pk_pcapng *open_walker(const char *path, struct pk_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	int ng = pk_pcapng_is_pcapng(f);
	fclose(f);
	if (!ng)
		return NULL;
	return pk_pcapng_open(path, err);
}

/* A pipe or standard input is copied to a file first: libpcap and the
 * pcapng walker each read the capture from its start. */
#define SPOOL_MAX (4ull << 30)

static int open_file(const char *path, struct pk_err *err)
{
	struct pk_err why;
	bool stream;
	int fd = pk_infile_open(path, &stream, &why);
	if (fd >= 0 && stream)
		fd = pk_infile_spool(fd, SPOOL_MAX, &why);
	if (fd < 0)
		pk_err_set(err, "%s: %s", pk_infile_name(path), why.msg);
	return fd;
}

static pcap_t *open_pcap(int fd, const char *name, struct pk_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *f = fdopen(fd, "rb");
	pcap_t *p = f ? pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf) : NULL;
	if (p)
		return p; /* it closes f */
	pk_err_set(err, "%s: not a readable pcap or pcapng capture: %s", name, f ? ebuf : strerror(errno));
	if (f)
		fclose(f);
	else
		close(fd);
	return NULL;
}

struct pk_pcap *pk_pcap_open(const char *path, struct pk_err *err)
{
	memset(err, 0, sizeof *err);
	const char *name = pk_infile_name(path);
	const int fd = open_file(path, err);
	pcap_t *p = fd < 0 ? NULL : open_pcap(fd, name, err);
	if (!p)
		return NULL;
	int link = pcap_datalink(p);
	if (!link_supported(link)) {
		pk_err_set(err, "%s: link type %s is not one picket reads (Ethernet, raw IP, loopback, Linux cooked)", name,
			   pcap_datalink_val_to_name(link) ? pcap_datalink_val_to_name(link) : "unknown");
		pcap_close(p);
		return NULL;
	}
	struct pk_pcap *c = calloc(1, sizeof *c);
	if (!c) {
		pk_err_set(err, "out of memory");
		pcap_close(p);
		return NULL;
	}
	c->p = p;
	c->path = name;
	c->link = link;
	/* the walker's own open of the same file, at its own offset */
	char again[32];
	snprintf(again, sizeof again, "/proc/self/fd/%d", fd);
	c->ng = open_walker(again, err);
	if (err->msg[0]) {
		pk_pcap_close(c);
		return NULL;
	}
	return c;
}

static int name_iface(struct pk_pcap *c, struct pk_pcap_pkt *p, struct pk_err *err)
{
	struct pk_err why; /* per packet: not zeroed, every failure sets msg and offset */
	uint32_t id;
	p->ifname = NULL;
	if (!c->ng)
		return 0;
	int rc = pk_pcapng_next(c->ng, &p->ifname, &id, &why);
	if (rc == 1)
		return 0;
	if (rc == 0)
		pk_err_at(&why, 0, "libpcap read more packets than the file's blocks hold");
	err->packet = p->n;
	return pk_err_at(err, why.offset, "%s: packet %llu: corrupt pcapng: %s", c->path, (unsigned long long)p->n,
			 why.msg);
}

int pk_pcap_next(struct pk_pcap *c, struct pk_pcap_pkt *p, struct pk_err *err)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(c->p, &h, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	memset(p, 0, sizeof *p);
	p->n = ++c->n;
	if (rc != 1) {
		err->packet = p->n;
		return pk_err_set(err, "%s: packet %llu: truncated or corrupt capture: %s", c->path,
				  (unsigned long long)p->n, pcap_geterr(c->p));
	}
	if (name_iface(c, p, err) < 0)
		return -1;
	p->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	p->wire_len = h->len;
	p->snapped = h->caplen < h->len;
	struct link_view v = {.why = p->why, .why_size = sizeof p->why};
	if (strip_link(c->link, data, h->caplen, &v)) {
		p->ip = data + v.off;
		p->ip_len = ip_length(p->ip, h->caplen - v.off);
	}
	p->outgoing = v.outgoing;
	return 1;
}

void pk_pcap_close(struct pk_pcap *c)
{
	if (!c)
		return;
	pcap_close(c->p);
	pk_pcapng_close(c->ng);
	free(c);
}

const char *pk_pcap_path(const struct pk_pcap *c) { return c->path; }

uint64_t pk_pcap_offset(const struct pk_pcap *c)
{
	off_t at = ftello(pcap_file(c->p));
	return at > 0 ? (uint64_t)at : 0;
}
