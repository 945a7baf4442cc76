/* runtime/pcapng_ifaces.c: walk pcapng blocks to name each packet's interface. */
#include "runtime/pcapng_ifaces.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Block types and option codes of the pcapng specification. */
#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_PB 0x00000002u /* obsolete Packet Block: 16-bit interface id */
#define PCAPNG_SPB 0x00000003u /* Simple Packet Block: always interface 0 */
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BOM 0x1A2B3C4Du
#define PCAPNG_OPT_END 0
#define PCAPNG_OPT_IF_NAME 2

/* Bounds no sane capture reaches: they keep a corrupt length from making
 * us allocate or seek without limit. */
#define PCAPNG_MAX_IDB_BODY (1u << 20)
#define PCAPNG_MAX_IFACES 4096u
#define PCAPNG_NAME_MAX 64

struct pk_pcapng {
	FILE *f;
	uint64_t off; /* offset of the next block */
	bool swap;    /* the section's byte order differs from ours */
	bool in_section;
	uint32_t nifaces;
	char (*names)[PCAPNG_NAME_MAX]; /* "" when the IDB has no if_name */
};

static uint32_t rd32(const struct pk_pcapng *r, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const struct pk_pcapng *r, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return r->swap ? __builtin_bswap16(v) : v;
}

int pk_pcapng_is_pcapng(FILE *f)
{
	uint8_t b[4];
	long at = ftell(f);
	size_t got = fread(b, 1, 4, f);
	fseek(f, at, SEEK_SET);
	return got == 4 && b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A;
}

struct pk_pcapng *pk_pcapng_open(const char *path, struct pk_err *err)
{
	struct pk_pcapng *r = calloc(1, sizeof *r);
	if (!r) {
		pk_err_set(err, "out of memory");
		return NULL;
	}
	r->f = fopen(path, "rb");
	if (!r->f) {
		pk_err_set(err, "%s: cannot open", path);
		free(r);
		return NULL;
	}
	return r;
}

void pk_pcapng_close(struct pk_pcapng *r)
{
	if (!r)
		return;
	fclose(r->f);
	free(r->names);
	free(r);
}

static bool read_at(struct pk_pcapng *r, uint64_t off, void *buf, size_t len)
{
	if (fseeko(r->f, (off_t)off, SEEK_SET) != 0)
		return false;
	return fread(buf, 1, len, r->f) == len;
}

/* The if_name option of an IDB body (after its 8 fixed bytes), copied
 * into name; an absent option leaves it empty. */
static int idb_name(const struct pk_pcapng *r, const uint8_t *opt, uint32_t len, char name[PCAPNG_NAME_MAX])
{
	uint32_t at = 0;
	name[0] = '\0';
	while (at + 4 <= len) {
		uint16_t code = rd16(r, opt + at), olen = rd16(r, opt + at + 2);
		uint32_t padded = (olen + 3u) & ~3u;
		if (code == PCAPNG_OPT_END)
			return 0;
		if (at + 4 + padded > len)
			return -1;
		if (code == PCAPNG_OPT_IF_NAME) {
			size_t n = olen < PCAPNG_NAME_MAX - 1 ? olen : PCAPNG_NAME_MAX - 1;
			memcpy(name, opt + at + 4, n);
			name[n] = '\0';
		}
		at += 4 + padded;
	}
	return 0;
}

static int add_iface(struct pk_pcapng *r, uint64_t off, uint32_t body_len, struct pk_err *err)
{
	if (body_len < 8 || body_len > PCAPNG_MAX_IDB_BODY)
		return pk_err_at(err, off, "interface description block at byte %llu has a bad length %u",
				 (unsigned long long)off, body_len);
	if (r->nifaces >= PCAPNG_MAX_IFACES)
		return pk_err_at(err, off, "more than %u interfaces in one section (byte %llu)", PCAPNG_MAX_IFACES,
				 (unsigned long long)off);
	uint8_t *body = malloc(body_len);
	void *grown = realloc(r->names, (r->nifaces + 1) * sizeof *r->names);
	if (!body || !grown) {
		free(body);
		if (grown)
			r->names = grown;
		return pk_err_at(err, off, "out of memory");
	}
	r->names = grown;
	int rc = read_at(r, off + 8, body, body_len) ? idb_name(r, body + 8, body_len - 8, r->names[r->nifaces]) : -1;
	free(body);
	if (rc < 0)
		return pk_err_at(err, off, "interface description block at byte %llu is truncated or has a bad option",
				 (unsigned long long)off);
	r->nifaces++;
	return 0;
}

/* Reads a Section Header's byte order; the interfaces start over. */
static int start_section(struct pk_pcapng *r, const uint8_t hdr[12], struct pk_err *err)
{
	uint32_t bom;
	memcpy(&bom, hdr + 8, 4);
	if (bom == PCAPNG_BOM)
		r->swap = false;
	else if (bom == __builtin_bswap32(PCAPNG_BOM))
		r->swap = true;
	else
		return pk_err_at(err, r->off, "section header at byte %llu has no valid byte-order magic",
				 (unsigned long long)r->off);
	r->in_section = true;
	r->nifaces = 0;
	return 0;
}

/* The interface id a packet block names, checked against the section. */
static int packet_iface(struct pk_pcapng *r, uint32_t type, uint32_t body_len, uint32_t *iface,
			struct pk_err *err)
{
	uint8_t b[4];
	if (type == PCAPNG_SPB)
		*iface = 0;
	else if (body_len < 4 || !read_at(r, r->off + 8, b, 4))
		return pk_err_at(err, r->off, "packet block at byte %llu is truncated", (unsigned long long)r->off);
	else
		*iface = type == PCAPNG_PB ? rd16(r, b) : rd32(r, b);
	if (*iface >= r->nifaces)
		return pk_err_at(err, r->off, "packet block at byte %llu names interface %u, but the section describes %u",
				 (unsigned long long)r->off, *iface, r->nifaces);
	return 0;
}

static bool trailer_ok(struct pk_pcapng *r, uint32_t total)
{
	uint8_t b[4];
	return read_at(r, r->off + total - 4, b, 4) && rd32(r, b) == total;
}

int pk_pcapng_next(struct pk_pcapng *r, const char **name, uint32_t *iface, struct pk_err *err)
{
	for (;;) {
		uint8_t hdr[12];
		if (fseeko(r->f, (off_t)r->off, SEEK_SET) != 0)
			return 0;
		size_t got = fread(hdr, 1, sizeof hdr, r->f);
		if (got == 0)
			return 0;
		if (got < 8)
			return pk_err_at(err, r->off, "capture ends inside a block header at byte %llu",
					 (unsigned long long)r->off);
		uint32_t raw_type;
		memcpy(&raw_type, hdr, 4);
		if (raw_type == PCAPNG_SHB && got < 12)
			return pk_err_at(err, r->off, "section header at byte %llu is truncated", (unsigned long long)r->off);
		if (raw_type == PCAPNG_SHB && start_section(r, hdr, err) < 0)
			return -1;
		if (!r->in_section)
			return pk_err_at(err, 0, "not a pcapng file: no section header at byte 0");
		uint32_t type = rd32(r, hdr), total = rd32(r, hdr + 4);
		if (total < 12 || total % 4 != 0 || !trailer_ok(r, total))
			return pk_err_at(err, r->off, "block at byte %llu has a bad or truncated length %u",
					 (unsigned long long)r->off, total);
		uint32_t body_len = total - 12;
		int rc = 0;
		if (type == PCAPNG_IDB)
			rc = add_iface(r, r->off, body_len, err);
		else if (type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB)
			rc = packet_iface(r, type, body_len, iface, err) == 0 ? 1 : -1;
		if (rc == 1) {
			assert(*iface < r->nifaces); /* packet_iface checked it */
			*name = r->names[*iface][0] ? r->names[*iface] : NULL;
			r->off += total;
			return 1;
		}
		if (rc < 0)
			return -1;
		r->off += total;
	}
}
