/*
 * runtime/pkb_load.c: load a .pkb, verify it completely, then build the
 * in-memory views the accessors and the classifier use.
 *
 * Order of checks: size, magic, version, header fields, the checksum over
 * the whole file, the section table, then every record (pkb_verify.c) and
 * the program (pkb_verify_prog.c). Nothing is built before all pass.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/infile.h"
#include "runtime/pkb_priv.h"
#include "runtime/sha256.h"

uint64_t pk_rs_off(const struct pk_rs *rs, enum pkb_section_id id, uint64_t index, size_t field)
{
	return rs->h->sections[id].offset + index * pkb_section_entsize(id) + field;
}

const char *pk_rs_str(const struct pk_rs *rs, uint32_t off)
{
	return off == PKB_NONE ? NULL : PK_RS_SEC(rs, STRINGS, char) + off;
}

void pk_rs_view(const struct pk_rs *rs, struct pkb_view *v)
{
	v->h = rs->h;
	memcpy(v->sec, rs->sec, sizeof(v->sec));
	memcpy(v->cnt, rs->cnt, sizeof(v->cnt));
}

static size_t align8(size_t n)
{
	return (n + PKB_ALIGN - 1) & ~(size_t)(PKB_ALIGN - 1);
}

static int check_header(const uint8_t *buf, size_t len, struct pk_err *err)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	if (len == 0)
		return pk_err_at(err, 0, "empty (0 bytes): a .pkb holds at least its %zu-byte header", sizeof(*h));
	if (len < PKB_MAGIC_LEN || memcmp(buf, PKB_MAGIC, PKB_MAGIC_LEN))
		return pk_err_at(err, 0, "bad magic: not a .pkb file");
	if (len < sizeof(*h))
		return pk_err_at(err, len, "truncated: %zu bytes, shorter than the %zu-byte header", len, sizeof(*h));
	if (h->version != PKB_VERSION)
		return pk_err_at(err, offsetof(struct pkb_header, version),
				 "format version %u, this runtime reads version %u: recompile the rules",
				 h->version, PKB_VERSION);
	if (h->flags)
		return pk_err_at(err, offsetof(struct pkb_header, flags), "unknown header flags 0x%x", h->flags);
	if (h->header_size != sizeof(*h))
		return pk_err_at(err, offsetof(struct pkb_header, header_size), "header size %u, expected %zu",
				 h->header_size, sizeof(*h));
	if (h->file_size != len)
		return pk_err_at(err, offsetof(struct pkb_header, file_size),
				 "file size field says %llu bytes but the file has %zu: truncated or extended",
				 (unsigned long long)h->file_size, len);
	uint8_t sum[32], zero[32] = {0};
	struct pk_sha256 s;
	size_t at = offsetof(struct pkb_header, checksum);
	pk_sha256_init(&s);
	pk_sha256_update(&s, buf, at);
	pk_sha256_update(&s, zero, 32);
	pk_sha256_update(&s, buf + at + 32, len - at - 32);
	pk_sha256_final(&s, sum);
	if (memcmp(sum, h->checksum, 32))
		return pk_err_at(err, at, "checksum mismatch: the file is damaged");
	if (h->nsections != PKB_SEC_COUNT || h->reserved)
		return pk_err_at(err, offsetof(struct pkb_header, nsections), "section count %u, expected %u",
				 h->nsections, PKB_SEC_COUNT);
	return 0;
}

/* Sections follow each other in order, 8-aligned, zero padding, to the end. */
static int check_sections(struct pk_rs *rs, struct pk_err *err)
{
	const struct pkb_header *h = rs->h;
	uint64_t at = align8(sizeof(*h));
	for (uint32_t i = 0; i < PKB_SEC_COUNT; i++) {
		const struct pkb_section *s = &h->sections[i];
		uint64_t off = offsetof(struct pkb_header, sections) + i * sizeof(*s);
		if (at > rs->len)
			return pk_err_at(err, rs->len, "truncated: section %s would start past the end",
					 pkb_section_name(i));
		if (s->id != i)
			return pk_err_at(err, off, "section %u has id %u", i, s->id);
		if (s->offset != at)
			return pk_err_at(err, off + offsetof(struct pkb_section, offset),
					 "section %s at offset %llu, expected %llu", pkb_section_name(i),
					 (unsigned long long)s->offset, (unsigned long long)at);
		if ((uint64_t)s->count * pkb_section_entsize(i) != s->size)
			return pk_err_at(err, off + offsetof(struct pkb_section, size),
					 "section %s: size %llu is not %u entries of %u bytes", pkb_section_name(i),
					 (unsigned long long)s->size, s->count, pkb_section_entsize(i));
		if (s->size > rs->len - at)
			return pk_err_at(err, off + offsetof(struct pkb_section, size),
					 "section %s runs past the end of the file", pkb_section_name(i));
		for (uint64_t p = at + s->size; p < align8(at + s->size) && p < rs->len; p++)
			if (rs->buf[p])
				return pk_err_at(err, p, "non-zero padding after section %s", pkb_section_name(i));
		rs->sec[i] = rs->buf + at;
		rs->cnt[i] = s->count;
		at = align8(at + s->size);
	}
	if (at != rs->len)
		return pk_err_at(err, at, "%llu bytes after the last section", (unsigned long long)(rs->len - at));
	for (uint64_t p = sizeof(*h); p < align8(sizeof(*h)); p++)
		if (rs->buf[p])
			return pk_err_at(err, p, "non-zero padding after the header");
	if (rs->cnt[PKB_SEC_OPTIONS] != 1)
		return pk_err_at(err, h->sections[PKB_SEC_OPTIONS].offset, "%u option records, expected 1",
				 rs->cnt[PKB_SEC_OPTIONS]);
	uint32_t nstr = rs->cnt[PKB_SEC_STRINGS];
	if (nstr && PK_RS_SEC(rs, STRINGS, char)[nstr - 1])
		return pk_err_at(err, h->sections[PKB_SEC_STRINGS].offset + nstr - 1,
				 "the string section does not end with a NUL");
	return 0;
}

/* Everything after the header's checks, on buf that rs owns from here. */
static int load_checked(uint8_t *buf, size_t len, struct pk_rs **out, struct pk_err *err)
{
	struct pk_rs *rs = calloc(1, sizeof(*rs));
	if (!rs) {
		free(buf);
		return pk_err_at(err, 0, "out of memory loading %zu bytes", len);
	}
	rs->buf = buf;
	rs->len = len;
	rs->h = (const struct pkb_header *)rs->buf;
	if (check_sections(rs, err) || pk_rs_verify_records(rs, err) || pk_rs_verify_tables(rs, err) ||
	    pk_rs_verify_program(rs, err)) {
		pk_rs_free(rs);
		return -1;
	}
	if (pk_rs_build(rs)) {
		pk_rs_free(rs);
		return pk_err_at(err, 0, "out of memory building the ruleset");
	}
	*out = rs;
	return 0;
}

int pk_rs_load(const uint8_t *buf, size_t len, struct pk_rs **out, struct pk_err *err)
{
	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (check_header(buf, len, err))
		return -1;
	uint8_t *copy = malloc(len);
	if (!copy)
		return pk_err_at(err, 0, "out of memory loading %zu bytes", len);
	memcpy(copy, buf, len);
	return load_checked(copy, len, out, err);
}

int pk_rs_adopt(uint8_t *buf, size_t len, struct pk_rs **out, struct pk_err *err)
{
	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (check_header(buf, len, err)) {
		free(buf);
		return -1;
	}
	return load_checked(buf, len, out, err);
}

int pk_rs_load_file(const char *path, struct pk_rs **out, struct pk_err *err)
{
	struct pk_infile f;
	*out = NULL;
	if (pk_infile_read(path, PK_INFILE_PKB, &f, err))
		return -1;
	return pk_rs_adopt((uint8_t *)f.data, f.len, out, err);
}

void pk_rs_free(struct pk_rs *rs)
{
	if (!rs)
		return;
	free(rs->buf);
	free(rs->rules);
	free(rs->pools);
	free(rs->skip);
	free(rs->phase_rules);
	free(rs->groups);
	free(rs->table_group);
	free(rs->table_use);
	free(rs->rt);
	free(rs->rtgroups);
	free(rs->rtrie);
	free(rs->self);
	pk_tadd_fini(&rs->adds);
	free(rs->boxes);
	free(rs);
}
