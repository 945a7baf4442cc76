/*
 * runtime/state_file.c: saving the state table to a file and restoring it
 * (the format is in runtime/state_file.h).
 *
 * Both directions stream a few hundred records at a time, so memory does
 * not grow with the table. Reading takes two passes over the file: the
 * first checks the checksum and every record, the second restores, so a
 * refused file leaves the table as it was.
 */
#include "runtime/state_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/afile.h"
#include "runtime/engine_priv.h"
#include "runtime/sha256.h"
#include "runtime/synproxy.h"

#define SF_MAGIC "PKS\x01\r\n\x1a\n" /* as the .pkb's: binary, version-marked, catches CRLF mangling */
#define SF_MAGIC_LEN 8
#define SF_BATCH 256 /* records per read or write */

/* Parts a record carries beyond the state itself. */
#define SF_PART_EXT 0x01      /* side record: sequence offsets, synproxy's handshake */
#define SF_PART_SCRUB 0x02    /* scrub options */
#define SF_PART_SRC_NODE 0x04 /* counted in a source node */
#define SF_PARTS (SF_PART_EXT | SF_PART_SCRUB | SF_PART_SRC_NODE)
/* State flags worth keeping; the others are the table's own bookkeeping. */
#define SF_FLAGS (PK_SF_SLOPPY | PK_SF_ALLOWOPTS | PK_SF_SRC_CONN | PK_SF_AFTO)
#define SF_MAX_SHIFT 14 /* the largest TCP window scale (RFC 7323) */

/* Read and written in place, in the host's order: the runtime runs on
 * little-endian hosts only (runtime/pkb_format.h refuses the others). */
struct sf_header {
	uint8_t magic[SF_MAGIC_LEN];
	uint32_t version;     /* PK_STATE_FILE_VERSION */
	uint32_t record_size; /* sizeof(struct sf_state) */
	uint8_t ruleset[32];  /* pk_rs_checksum of the ruleset the states were made under */
	uint64_t saved_ms;    /* wall clock at the save, ms since the Unix epoch */
	uint32_t count;
	uint32_t reserved;    /* 0 */
};

struct sf_state {
	uint64_t packets[2], bytes[2]; /* [0] initiator to responder */
	uint8_t addr[2][2][16];        /* [PK_SK_WIRE / PK_SK_STACK][side] */
	uint8_t sn_addr[16];           /* SF_PART_SRC_NODE: the node's source */
	uint32_t id, rule;
	uint32_t idle_ms; /* since the state's last packet */
	uint32_t age_s;   /* since its creation */
	uint32_t seqlo[2], seqhi[2]; /* peers: [0] src (the creator), [1] dst */
	uint32_t seqdiff[2];         /* SF_PART_EXT */
	uint32_t sn_rule;            /* SF_PART_SRC_NODE: the node's rule, PK_RT_NO_RULE when global */
	uint16_t port[2][2];         /* [key][side] */
	uint16_t max_win[2];
	uint16_t iface, tag, sp_mss, max_mss;
	int16_t set_tos;
	uint8_t wscale[2], pstate[2];
	uint8_t af, proto, dir, timeout, flags, synproxy, parts, sp_wscale;
	uint8_t sp_shift, sn_af, min_ttl, scrub_flags;
	uint8_t pad[6]; /* 0 */
};

_Static_assert(sizeof(struct sf_header) == 64, "the header has no padding");
_Static_assert(sizeof(struct sf_state) == 200, "a record has no implicit padding");

/* The engine's clock at now_ns: ms since its epoch (64 bits), and the
 * 32-bit ms and s values states store. */
struct sf_clock {
	uint64_t ms64;
	uint32_t ms, s;
};

static struct sf_clock clock_at(const struct pk_engine *e, uint64_t now_ns)
{
	struct sf_clock c;

	c.ms64 = now_ns > e->epoch_ns ? (now_ns - e->epoch_ns) / 1000000u : 0;
	c.ms = (uint32_t)c.ms64;
	c.s = (uint32_t)(c.ms64 / 1000u);
	return c;
}

/* A state worth saving: in the table, not killed, not expired. */
static bool live(const struct pk_engine *e, uint32_t i, uint32_t now_ms)
{
	const struct pk_state *s = &e->st.st[i];

	return (s->flags & PK_SF_USED) && !(s->flags & PK_SF_PURGE) && !pk_eng_state_expired(e, s, now_ms);
}

static void record_peers(const struct pk_state *s, struct sf_state *r)
{
	const struct pk_peer *p[2] = {&s->src, &s->dst};

	for (int k = 0; k < 2; k++) {
		r->seqlo[k] = p[k]->seqlo;
		r->seqhi[k] = p[k]->seqhi;
		r->max_win[k] = p[k]->max_win;
		r->wscale[k] = p[k]->wscale;
		r->pstate[k] = p[k]->state;
	}
}

static void record_parts(const struct pk_engine *e, uint32_t i, struct sf_state *r)
{
	const struct pk_state_ext *x = pk_st_ext(&e->st, i);
	const struct pk_scrub *sc = pk_st_scrub(&e->st, i);

	if (x) {
		r->parts |= SF_PART_EXT;
		memcpy(r->seqdiff, x->seqdiff, sizeof(r->seqdiff));
		r->sp_mss = x->sp_mss;
		r->sp_wscale = x->sp_wscale;
		r->sp_shift = x->sp_shift;
	}
	if (x && x->src_node != PK_SN_NONE && e->sn.n[x->src_node].used) {
		const struct pk_src_node *n = &e->sn.n[x->src_node];

		r->parts |= SF_PART_SRC_NODE;
		r->sn_af = n->af;
		memcpy(r->sn_addr, n->addr, 16);
		r->sn_rule = n->rule;
	}
	if (sc) {
		r->parts |= SF_PART_SCRUB;
		r->max_mss = sc->max_mss;
		r->min_ttl = sc->min_ttl;
		r->scrub_flags = sc->flags;
		r->set_tos = sc->set_tos;
	}
}

static void record(const struct pk_engine *e, uint32_t i, const struct sf_clock *now, struct sf_state *r)
{
	const struct pk_state *s = &e->st.st[i];
	const struct pk_state_cold *c = &e->st.cold[i];
	int32_t idle = (int32_t)(now->ms - s->last_ms);

	memset(r, 0, sizeof(*r));
	for (int k = PK_SK_WIRE; k <= PK_SK_STACK; k++) {
		struct pk_skey key;

		pk_st_key(&e->st, i, k, &key);
		memcpy(r->addr[k], key.addr, sizeof(key.addr));
		memcpy(r->port[k], key.port, sizeof(key.port));
	}
	memcpy(r->packets, c->packets, sizeof(r->packets));
	memcpy(r->bytes, c->bytes, sizeof(r->bytes));
	r->id = s->id;
	r->rule = s->rule;
	r->idle_ms = idle > 0 ? (uint32_t)idle : 0;
	r->age_s = now->s > c->created_s ? now->s - c->created_s : 0;
	record_peers(s, r);
	r->iface = s->iface;
	r->tag = c->tag;
	r->af = s->af;
	r->proto = s->proto;
	r->dir = s->dir;
	r->timeout = s->timeout;
	r->flags = s->flags & SF_FLAGS;
	r->synproxy = s->synproxy;
	r->sn_rule = PK_RT_NO_RULE;
	record_parts(e, i, r);
}

/* Write and checksum the k records of batch. */
static int flush(int fd, struct pk_sha256 *sum, const struct sf_state *batch, uint32_t *k)
{
	pk_sha256_update(sum, batch, *k * sizeof(*batch));
	if (pk_write_all(fd, batch, *k * sizeof(*batch)) < 0)
		return -1;
	*k = 0;
	return 0;
}

/* Header, records, checksum, to the open temporary file fd. */
static int write_states(const struct pk_engine *e, int fd, uint64_t now_ns, uint64_t wall_ms, uint32_t *n)
{
	struct sf_clock now = clock_at(e, now_ns);
	struct sf_header h;
	struct pk_sha256 sum;
	uint8_t digest[32];
	struct sf_state *batch = malloc(SF_BATCH * sizeof(*batch));
	uint32_t i, k = 0;
	int rc = -1;

	if (!batch)
		return -1;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, SF_MAGIC, SF_MAGIC_LEN);
	h.version = PK_STATE_FILE_VERSION;
	h.record_size = sizeof(struct sf_state);
	memcpy(h.ruleset, pk_rs_checksum(e->rs), 32);
	h.saved_ms = wall_ms;
	/* the count goes first in the file: one pass to count, one to write */
	for (i = 0; i < e->st.unused; i++)
		h.count += live(e, i, now.ms);
	pk_sha256_init(&sum);
	pk_sha256_update(&sum, &h, sizeof(h));
	if (pk_write_all(fd, &h, sizeof(h)) < 0)
		goto out;
	for (i = 0; i < e->st.unused; i++) {
		if (!live(e, i, now.ms))
			continue;
		record(e, i, &now, &batch[k++]);
		if (k == SF_BATCH && flush(fd, &sum, batch, &k) < 0)
			goto out;
	}
	if (flush(fd, &sum, batch, &k) < 0)
		goto out;
	pk_sha256_final(&sum, digest);
	rc = pk_write_all(fd, digest, sizeof(digest));
	*n = h.count;
out:
	free(batch);
	return rc;
}

int pk_engine_save_states(const struct pk_engine *e, const char *path, uint64_t now_ns, uint64_t wall_ms,
			  uint32_t *n, struct pk_err *err)
{
	struct pk_afile a;

	*n = 0;
	if (pk_afile_open(&a, path, 0600) < 0)
		return pk_err_set(err, "%s: cannot write the states: %s", path, strerror(errno));
	if (write_states(e, a.fd, now_ns, wall_ms, n) < 0) {
		int why = errno;
		pk_afile_abort(&a);
		return pk_err_set(err, "%s: cannot write the states: %s", path, strerror(why));
	}
	if (pk_afile_commit(&a) < 0)
		return pk_err_set(err, "%s: cannot write the states: %s", path, strerror(errno));
	return 0;
}

/* --- reading ------------------------------------------------------------ */

/* The next len bytes of f; -1 at the end of the file or on an error. */
static int read_next(FILE *f, void *buf, size_t len)
{
	return fread(buf, 1, len, f) == len ? 0 : -1;
}

static bool valid_peer(uint8_t proto, uint8_t state, uint8_t wscale)
{
	uint8_t last = proto == PK_PROTO_TCP ? PK_TCPS_TIME_WAIT : PK_UDPS_MULTIPLE;

	return state <= last && !(wscale & ~(PK_WSCALE_FLAG | PK_WSCALE_MASK)) &&
	       (wscale & PK_WSCALE_MASK) <= SF_MAX_SHIFT;
}

static bool valid_rule(const struct pk_engine *e, uint32_t rule)
{
	return rule == PK_RT_NO_RULE || rule < pk_rs_nrules(e->rs);
}

/* Every value the engine indexes or shifts by lies in its range. */
static bool valid_record(const struct pk_engine *e, const struct sf_state *r)
{
	static const uint8_t zero[sizeof(r->pad)];

	if ((r->af != PK_AF_INET && r->af != PK_AF_INET6) || (r->dir != PK_DIR_IN && r->dir != PK_DIR_OUT) ||
	    r->timeout >= PK_TMO_COUNT || r->synproxy > PK_SP_PROXY_DST || (r->flags & ~SF_FLAGS) ||
	    (r->parts & ~SF_PARTS) || memcmp(r->pad, zero, sizeof(zero)))
		return false;
	if (!valid_rule(e, r->rule) || (r->iface != PK_RT_NO_IFACE && r->iface >= pk_rs_niface(e->rs)) ||
	    r->tag > pk_rs_ntags(e->rs))
		return false;
	for (int k = 0; k < 2; k++)
		if (!valid_peer(r->proto, r->pstate[k], r->wscale[k]))
			return false;
	if ((r->parts & SF_PART_EXT) && ((r->sp_shift & 0x0f) > SF_MAX_SHIFT || (r->sp_shift >> 4) > SF_MAX_SHIFT ||
					 (r->sp_wscale != PK_WSCALE_NONE && r->sp_wscale > SF_MAX_SHIFT)))
		return false;
	return !(r->parts & SF_PART_SRC_NODE) ||
	       ((r->parts & SF_PART_EXT) && (r->sn_af == PK_AF_INET || r->sn_af == PK_AF_INET6) &&
		valid_rule(e, r->sn_rule));
}

static void hex8(const uint8_t *b, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 8; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[16] = '\0';
}

static int check_header(const struct pk_engine *e, const struct sf_header *h, uint64_t size, const char *path,
			struct pk_err *err)
{
	char saved[17], running[17];

	if (memcmp(h->magic, SF_MAGIC, SF_MAGIC_LEN))
		return pk_err_set(err, "%s: not a picketd state file", path);
	if (h->version != PK_STATE_FILE_VERSION || h->record_size != sizeof(struct sf_state))
		return pk_err_set(err, "%s: state file version %u (records of %u bytes), this picketd reads version %u",
				  path, h->version, h->record_size, PK_STATE_FILE_VERSION);
	if (h->count > PK_ST_MAX_CAP || h->reserved ||
	    size != sizeof(*h) + (uint64_t)h->count * sizeof(struct sf_state) + 32)
		return pk_err_set(err, "%s: truncated or extended (%llu bytes for %u states)", path,
				  (unsigned long long)size, h->count);
	if (memcmp(h->ruleset, pk_rs_checksum(e->rs), 32)) {
		hex8(h->ruleset, saved);
		hex8(pk_rs_checksum(e->rs), running);
		return pk_err_set(err, "%s: saved under another ruleset (checksum %s..., this one is %s...): "
				       "states are kept only across a restart with the same .pkb",
				  path, saved, running);
	}
	return 0;
}

/* Pass one: the checksum over the whole file, and every record checked. */
static int check_records(const struct pk_engine *e, FILE *f, const struct sf_header *h, struct sf_state *batch,
			 const char *path, struct pk_err *err)
{
	struct pk_sha256 sum;
	uint8_t digest[32], stored[32];
	uint64_t off = sizeof(*h);

	pk_sha256_init(&sum);
	pk_sha256_update(&sum, h, sizeof(*h));
	for (uint32_t done = 0; done < h->count;) {
		uint32_t k = h->count - done < SF_BATCH ? h->count - done : SF_BATCH;

		if (read_next(f, batch, k * sizeof(*batch)) < 0)
			return pk_err_set(err, "%s: cannot read the states: %s", path, strerror(errno));
		pk_sha256_update(&sum, batch, k * sizeof(*batch));
		for (uint32_t j = 0; j < k; j++)
			if (!valid_record(e, &batch[j]))
				return pk_err_at(err, off + j * sizeof(*batch), "%s: state %u holds values out of range",
						 path, done + j + 1);
		off += k * sizeof(*batch);
		done += k;
	}
	pk_sha256_final(&sum, digest);
	if (read_next(f, stored, sizeof(stored)) < 0)
		return pk_err_set(err, "%s: cannot read the states: %s", path, strerror(errno));
	if (memcmp(digest, stored, sizeof(digest)))
		return pk_err_at(err, off, "%s: checksum mismatch: the file is damaged", path);
	return 0;
}

static void restore_peers(struct pk_state *s, const struct sf_state *r)
{
	struct pk_peer *p[2] = {&s->src, &s->dst};

	for (int k = 0; k < 2; k++) {
		p[k]->seqlo = r->seqlo[k];
		p[k]->seqhi = r->seqhi[k];
		p[k]->max_win = r->max_win[k];
		p[k]->wscale = r->wscale[k];
		p[k]->state = r->pstate[k];
	}
}

/* The keys, side record and scrub options of slot i; false when the side
 * pool or the table of scrub options has no room. */
static bool restore_parts(struct pk_engine *e, uint32_t i, const struct sf_state *r)
{
	struct pk_skey keys[2];
	struct pk_state_ext *x;

	for (int k = PK_SK_WIRE; k <= PK_SK_STACK; k++) {
		memcpy(keys[k].addr, r->addr[k], sizeof(keys[k].addr));
		memcpy(keys[k].port, r->port[k], sizeof(keys[k].port));
	}
	if (!pk_st_set_keys(&e->st, i, keys))
		return false;
	if (r->parts & SF_PART_EXT) {
		if (!(x = pk_st_ext_need(&e->st, i)))
			return false;
		memcpy(x->seqdiff, r->seqdiff, sizeof(x->seqdiff));
		x->sp_mss = r->sp_mss;
		x->sp_wscale = r->sp_wscale;
		x->sp_shift = r->sp_shift;
	}
	if (r->parts & SF_PART_SCRUB) {
		struct pk_scrub sc = {.max_mss = r->max_mss, .min_ttl = r->min_ttl, .flags = r->scrub_flags,
				      .set_tos = r->set_tos};
		if (!pk_st_set_scrub(&e->st, i, &sc))
			return false;
	}
	return true;
}

/* Count the restored state i in its rule and, as it was, in its source node. */
static void attach(struct pk_engine *e, uint32_t i, const struct sf_state *r)
{
	struct pk_state *s = &e->st.st[i];
	uint32_t sn;

	if (s->rule == PK_RT_NO_RULE)
		return;
	e->rc[s->rule].states_current++;
	if (!(r->parts & SF_PART_SRC_NODE))
		return;
	sn = pk_sn_find(&e->sn, r->sn_af, r->sn_addr, r->sn_rule);
	if (sn == PK_SN_NONE && (sn = pk_sn_add(&e->sn, r->sn_af, r->sn_addr, r->sn_rule)) != PK_SN_NONE)
		e->rule_src_nodes[s->rule]++;
	if (sn == PK_SN_NONE) {
		s->flags &= (uint8_t)~PK_SF_SRC_CONN; /* the pool is full: the state goes untracked */
		return;
	}
	e->sn.n[sn].states++;
	if (s->flags & PK_SF_SRC_CONN)
		e->sn.n[sn].conn++;
	pk_st_ext(&e->st, i)->src_node = sn;
}

/* Restore one record, its ages grown by gap_ms; counts what became of it. */
static void restore_one(struct pk_engine *e, const struct sf_state *r, const struct sf_clock *now, uint64_t gap_ms,
			struct pk_state_restore *out)
{
	uint32_t i = pk_st_alloc(&e->st);
	uint64_t idle = r->idle_ms + gap_ms, age = r->age_s + gap_ms / 1000u;
	struct pk_state *s;

	if (i == PK_ST_NONE) {
		out->refused++;
		return;
	}
	s = &e->st.st[i];
	s->af = r->af;
	s->proto = r->proto;
	s->dir = r->dir;
	s->iface = r->iface;
	s->rule = r->rule;
	s->timeout = r->timeout;
	s->synproxy = r->synproxy;
	s->flags = r->flags;
	s->id = r->id;
	/* ages compare modulo 2^32 ms (runtime/engine.c): idle may exceed the
	 * clock itself; the creation time, only shown, stops at its origin */
	s->last_ms = now->ms - (uint32_t)idle;
	restore_peers(s, r);
	e->st.cold[i].created_s = now->s - (uint32_t)(age < now->s ? age : now->s);
	e->st.cold[i].tag = r->tag;
	memcpy(e->st.cold[i].packets, r->packets, sizeof(r->packets));
	memcpy(e->st.cold[i].bytes, r->bytes, sizeof(r->bytes));
	if (idle > INT32_MAX || pk_eng_state_expired(e, s, now->ms)) {
		pk_st_discard(&e->st, i);
		out->expired++;
		return;
	}
	if (!restore_parts(e, i, r) || pk_st_conflict(&e->st, i) != PK_ST_NONE) {
		pk_st_discard(&e->st, i);
		out->refused++;
		return;
	}
	pk_st_insert(&e->st, i);
	if (r->id > e->st.next_id)
		e->st.next_id = r->id;
	attach(e, i, r);
	out->restored++;
}

/* Pass two. An engine that has seen no packet counts from the clock's
 * origin, so that every restored age lies after its epoch. */
static int restore_records(struct pk_engine *e, FILE *f, const struct sf_header *h, struct sf_state *batch,
			   uint64_t now_ns, struct pk_state_restore *out)
{
	struct sf_clock now;

	if (!e->epoch_set) {
		e->epoch_ns = 0;
		e->epoch_set = true;
	}
	now = clock_at(e, now_ns);
	if (now.ms64 > e->now_ms64)
		e->now_ms64 = now.ms64;
	for (uint32_t done = 0; done < h->count;) {
		uint32_t k = h->count - done < SF_BATCH ? h->count - done : SF_BATCH;

		if (read_next(f, batch, k * sizeof(*batch)) < 0)
			return -1;
		for (uint32_t j = 0; j < k; j++)
			restore_one(e, &batch[j], &now, out->gap_ms, out);
		done += k;
	}
	e->c.states_current = e->st.count;
	return 0;
}

static int restore_file(struct pk_engine *e, FILE *f, const char *path, uint64_t now_ns, uint64_t wall_ms,
			struct pk_state_restore *r, struct pk_err *err)
{
	struct sf_header h;
	struct stat st;
	struct sf_state *batch;
	int rc = -1;

	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode))
		return pk_err_set(err, "%s: not a regular file", path);
	if (read_next(f, &h, sizeof(h)) < 0)
		return pk_err_set(err, "%s: not a picketd state file (%lld bytes)", path, (long long)st.st_size);
	if (check_header(e, &h, (uint64_t)st.st_size, path, err) < 0)
		return -1;
	if (!(batch = malloc(SF_BATCH * sizeof(*batch))))
		return pk_err_set(err, "%s: out of memory", path);
	if (check_records(e, f, &h, batch, path, err) == 0) {
		r->saved = h.count;
		r->gap_ms = wall_ms > h.saved_ms ? wall_ms - h.saved_ms : 0;
		rc = fseek(f, sizeof(h), SEEK_SET) < 0 ? -1 : restore_records(e, f, &h, batch, now_ns, r);
		if (rc < 0)
			pk_err_set(err, "%s: cannot read the states: %s", path, strerror(errno));
	}
	free(batch);
	return rc;
}

int pk_engine_restore_states(struct pk_engine *e, const char *path, uint64_t now_ns, uint64_t wall_ms,
			     struct pk_state_restore *r, struct pk_err *err)
{
	FILE *f;
	int rc;

	memset(r, 0, sizeof(*r));
	if (e->st.unused)
		return pk_err_set(err, "%s: the state table already holds states", path);
	if (!(f = fopen(path, "rbe")))
		return pk_err_set(err, "%s: %s", path, strerror(errno));
	rc = restore_file(e, f, path, now_ns, wall_ms, r, err);
	fclose(f);
	return rc;
}
