/* runtime/capture_fmt.c: decode pcap and pcapng records in memory. */
#include "runtime/capture_fmt.h"

#include <stdlib.h>
#include <string.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_MAGIC_MODIFIED 0xa1b2cd34u /* Kuznetzov's: 8 more bytes per record */
#define PCAP_HLEN 24
#define PCAP_LINK_MASK 0x03FFFFFFu /* the upper bits say whether frames carry an FCS */

/* Block types and option codes of the pcapng specification. */
#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_PB 0x00000002u /* obsolete Packet Block: 16-bit interface id */
#define PCAPNG_SPB 0x00000003u /* Simple Packet Block: always interface 0 */
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BOM 0x1A2B3C4Du
#define PCAPNG_OPT_END 0
#define PCAPNG_OPT_IF_NAME 2
#define PCAPNG_OPT_IF_TSRESOL 9
#define PCAPNG_OPT_IF_TSOFFSET 14
#define PCAPNG_MAX_IFACES 4096u
#define PCAPNG_NAME_MAX 63

static uint32_t rd32(bool swap, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(bool swap, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

/* When the unit divides a second in nanoseconds (every pcap, and pcapng's
 * usual 10^-v for v <= 9), t units are t * ns_per_unit nanoseconds, the
 * same sum the division below makes, without a 128-bit division per
 * packet; finer or binary units take the division. */
static void set_units(struct pk_cap_iface *i, uint64_t units)
{
	i->units = units;
	i->ns_per_unit = 1000000000u % units == 0 ? 1000000000u / units : 0;
}

static uint64_t ts_ns(uint64_t t, const struct pk_cap_iface *i)
{
	if (i->ns_per_unit)
		return t * i->ns_per_unit + (uint64_t)i->offset_s * 1000000000u;
	uint64_t frac = (uint64_t)((unsigned __int128)(t % i->units) * 1000000000u / i->units);
	return (t / i->units + (uint64_t)i->offset_s) * 1000000000u + frac;
}

long pk_capfmt_open(struct pk_capfmt *f, const uint8_t *b, size_t n, struct pk_err *err)
{
	memset(f, 0, sizeof *f);
	if (n >= 4 && rd32(false, b) == PCAPNG_SHB) {
		f->pcapng = true;
		return 0;
	}
	uint32_t magic = n >= 4 ? rd32(false, b) : 0, native = magic;
	f->swap = magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS && magic != PCAP_MAGIC_MODIFIED;
	if (f->swap)
		native = __builtin_bswap32(magic);
	if (native != PCAP_MAGIC_US && native != PCAP_MAGIC_NS && native != PCAP_MAGIC_MODIFIED)
		return pk_err_set(err, "unknown file format");
	if (n < PCAP_HLEN)
		return pk_err_set(err, "truncated dump file; tried to read %u file header bytes, only got %zu", PCAP_HLEN,
				  n);
	if (rd16(f->swap, b + 4) != 2)
		return pk_err_set(err, "unsupported pcap version %u.%u", rd16(f->swap, b + 4), rd16(f->swap, b + 6));
	f->rec_hlen = native == PCAP_MAGIC_MODIFIED ? 24 : 16;
	set_units(&f->pcap, native == PCAP_MAGIC_NS ? 1000000000u : 1000000u);
	f->pcap.snaplen = rd32(f->swap, b + 16);
	f->pcap.link = (uint16_t)(rd32(f->swap, b + 20) & PCAP_LINK_MASK);
	return PCAP_HLEN;
}

void pk_capfmt_fini(struct pk_capfmt *f)
{
	for (uint32_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->ifaces);
	memset(f, 0, sizeof *f);
}

bool pk_capfmt_first_link(const struct pk_capfmt *f, uint16_t *link)
{
	if (f->pcapng && f->nifaces == 0)
		return false;
	*link = f->pcapng ? f->ifaces[0].link : f->pcap.link;
	return true;
}

int pk_capfmt_size(const struct pk_capfmt *f, const uint8_t *b, size_t n, uint64_t off, size_t *size,
		   struct pk_err *err)
{
	if (!f->pcapng) {
		if (n < f->rec_hlen)
			return 0;
		uint32_t caplen = rd32(f->swap, b + 8);
		if (caplen > PK_CAP_MAX_FRAME)
			return pk_err_at(err, off, "invalid packet capture length %u, bigger than the maximum of %u",
					 caplen, PK_CAP_MAX_FRAME);
		*size = f->rec_hlen + caplen;
		return 1;
	}
	if (n < 12)
		return 0;
	bool swap = f->swap;
	if (rd32(false, b) == PCAPNG_SHB) /* a section says its own byte order */
		swap = rd32(false, b + 8) != PCAPNG_BOM;
	else if (!f->in_section)
		return pk_err_at(err, 0, "not a pcapng file: no section header at byte 0");
	uint32_t total = rd32(swap, b + 4);
	if (total < 12 || total % 4 != 0 || total > PK_CAP_MAX_BLOCK)
		return pk_err_at(err, off, "block at byte %llu has a bad length %u", (unsigned long long)off, total);
	*size = total;
	return 1;
}

static int pcap_record(const struct pk_capfmt *f, const uint8_t *b, size_t size, struct pk_cap_rec *r)
{
	/* ts_ns's sum, the division left out: a plain pcap counts micro- or
	   nanoseconds, whole divisions of a second, from no offset */
	r->ts_ns = (uint64_t)rd32(f->swap, b) * 1000000000u + (uint64_t)rd32(f->swap, b + 4) * f->pcap.ns_per_unit;
	r->caplen = (uint32_t)(size - f->rec_hlen);
	r->wire_len = rd32(f->swap, b + 12);
	r->frame = b + f->rec_hlen;
	r->link = f->pcap.link;
	r->ifname = NULL;
	return 1;
}

static int start_section(struct pk_capfmt *f, const uint8_t *b, size_t size, uint64_t off, struct pk_err *err)
{
	f->swap = rd32(false, b + 8) != PCAPNG_BOM;
	if (rd32(f->swap, b + 8) != PCAPNG_BOM)
		return pk_err_at(err, off, "section header at byte %llu has no valid byte-order magic",
				 (unsigned long long)off);
	if (size < 28 || rd16(f->swap, b + 12) != 1)
		return pk_err_at(err, off, "section header at byte %llu is truncated or of an unknown version",
				 (unsigned long long)off);
	f->in_section = true;
	f->nifaces = 0;
	return 0;
}

/* The interned copy of name: the same pointer for the same name. */
static const char *intern(struct pk_capfmt *f, const uint8_t *name, size_t len)
{
	if (len > PCAPNG_NAME_MAX)
		len = PCAPNG_NAME_MAX;
	for (uint32_t i = 0; i < f->nnames; i++)
		if (strlen(f->names[i]) == len && memcmp(f->names[i], name, len) == 0)
			return f->names[i];
	char *s = malloc(len + 1), **grown = realloc(f->names, (f->nnames + 1) * sizeof *f->names);
	if (grown)
		f->names = grown;
	if (!s || !grown) {
		free(s);
		return NULL;
	}
	memcpy(s, name, len);
	s[len] = '\0';
	return f->names[f->nnames++] = s;
}

/* if_tsresol: 10^-v seconds, or 2^-v with the top bit set; false when
 * finer than 64 bits of units per second can count. */
static bool tsresol(uint8_t v, uint64_t *units)
{
	uint32_t e = v & 0x7f;
	if (v & 0x80) {
		*units = 1ull << (e < 64 ? e : 0);
		return e < 64;
	}
	for (*units = 1; e && e <= 19; e--)
		*units *= 10;
	return e == 0;
}

/* The options of an IDB (after its 8 fixed bytes); 0, or -1 when corrupt. */
static int idb_options(struct pk_capfmt *f, const uint8_t *opt, size_t len, struct pk_cap_iface *i)
{
	for (size_t at = 0; at + 4 <= len;) {
		uint16_t code = rd16(f->swap, opt + at), olen = rd16(f->swap, opt + at + 2);
		uint64_t units;
		size_t padded = (olen + 3u) & ~3u;
		const uint8_t *v = opt + at + 4;
		if (code == PCAPNG_OPT_END)
			return 0;
		if (at + 4 + padded > len)
			return -1;
		if (code == PCAPNG_OPT_IF_NAME && !(i->name = intern(f, v, strnlen((const char *)v, olen))))
			return -1;
		if (code == PCAPNG_OPT_IF_TSRESOL && (olen != 1 || !tsresol(v[0], &units)))
			return -1;
		if (code == PCAPNG_OPT_IF_TSRESOL)
			set_units(i, units);
		if (code == PCAPNG_OPT_IF_TSOFFSET) {
			uint64_t secs;
			if (olen != 8)
				return -1;
			memcpy(&secs, v, 8);
			i->offset_s = (int64_t)(f->swap ? __builtin_bswap64(secs) : secs);
		}
		at += 4 + padded;
	}
	return 0;
}

static int add_iface(struct pk_capfmt *f, const uint8_t *body, size_t len, uint64_t off, struct pk_err *err)
{
	if (len < 8)
		return pk_err_at(err, off, "interface description block at byte %llu has a bad length %zu",
				 (unsigned long long)off, len + 12);
	if (f->nifaces >= PCAPNG_MAX_IFACES)
		return pk_err_at(err, off, "more than %u interfaces in one section (byte %llu)", PCAPNG_MAX_IFACES,
				 (unsigned long long)off);
	if (f->nifaces == f->ifaces_cap) {
		uint32_t cap = f->ifaces_cap ? f->ifaces_cap * 2 : 8;
		struct pk_cap_iface *grown = realloc(f->ifaces, cap * sizeof *grown);
		if (!grown)
			return pk_err_at(err, off, "out of memory");
		f->ifaces = grown;
		f->ifaces_cap = cap;
	}
	struct pk_cap_iface i = {.link = rd16(f->swap, body), .snaplen = rd32(f->swap, body + 4)};
	set_units(&i, 1000000u);
	if (idb_options(f, body + 8, len - 8, &i) < 0)
		return pk_err_at(err, off, "interface description block at byte %llu is truncated or has a bad option",
				 (unsigned long long)off);
	f->ifaces[f->nifaces++] = i;
	return 0;
}

static int packet(struct pk_capfmt *f, uint32_t type, const uint8_t *body, size_t len, uint64_t off,
		  struct pk_cap_rec *r, struct pk_err *err)
{
	uint32_t id = 0, fixed = type == PCAPNG_SPB ? 4 : 20;
	if (len < fixed)
		return pk_err_at(err, off, "packet block at byte %llu is truncated", (unsigned long long)off);
	if (type != PCAPNG_SPB)
		id = type == PCAPNG_PB ? rd16(f->swap, body) : rd32(f->swap, body);
	if (id >= f->nifaces)
		return pk_err_at(err, off, "packet block at byte %llu names interface %u, but the section describes %u",
				 (unsigned long long)off, id, f->nifaces);
	const struct pk_cap_iface *i = &f->ifaces[id];
	uint32_t room = (uint32_t)(len - fixed);
	if (type == PCAPNG_SPB) {
		r->wire_len = rd32(f->swap, body);
		r->caplen = r->wire_len < room ? r->wire_len : room;
		if (i->snaplen && r->caplen > i->snaplen)
			r->caplen = i->snaplen;
		r->ts_ns = 0; /* a simple packet block has no time */
	} else {
		r->caplen = rd32(f->swap, body + 12);
		r->wire_len = rd32(f->swap, body + 16);
		r->ts_ns = ts_ns(((uint64_t)rd32(f->swap, body + 4) << 32) | rd32(f->swap, body + 8), i);
	}
	if (r->caplen > room || r->caplen > PK_CAP_MAX_FRAME)
		return pk_err_at(err, off, "packet block at byte %llu captures %u bytes, more than it holds",
				 (unsigned long long)off, r->caplen);
	r->frame = body + fixed;
	r->link = i->link;
	r->ifname = i->name;
	return 1;
}

/* A pcapng block. Not inlined: its registers would cost every plain pcap
 * record a longer entry and exit. */
__attribute__((noinline)) static int pcapng_record(struct pk_capfmt *f, const uint8_t *b, size_t size, uint64_t off,
						   struct pk_cap_rec *r, struct pk_err *err)
{
	uint32_t type = rd32(false, b);
	if (type == PCAPNG_SHB && start_section(f, b, size, off, err) < 0)
		return -1;
	if (rd32(f->swap, b + size - 4) != size)
		return pk_err_at(err, off, "block at byte %llu has a bad or truncated length %zu", (unsigned long long)off,
				 size);
	type = rd32(f->swap, b);
	const uint8_t *body = b + 8;
	size_t len = size - 12;
	if (type == PCAPNG_IDB)
		return add_iface(f, body, len, off, err);
	if (type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB)
		return packet(f, type, body, len, off, r, err);
	return 0;
}

int pk_capfmt_record(struct pk_capfmt *f, const uint8_t *b, size_t size, uint64_t off, struct pk_cap_rec *r,
		     struct pk_err *err)
{
	if (!f->pcapng)
		return pcap_record(f, b, size, r);
	return pcapng_record(f, b, size, off, r, err);
}
