/*
 * cli/cmd_replay.c: `picket replay RULES|PKB CAPTURE... [options]`.
 *
 * Loads the ruleset, reads the captures in time order, runs every IP
 * packet through the modelled firewall (runtime/replay.h) on the interface
 * it arrived on, prints one line per packet, then the stalled connections
 * and, if asked, the summary. Exit status: 0, or 2 for a usage or input
 * error (including a corrupt capture, reported after the verdicts of the
 * packets before it).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/load.h"
#include "cli/replay_explain.h"
#include "cli/replay_out.h"
#include "cli/replay_report.h"
#include "runtime/afile.h"
#include "runtime/cacheline.h"
#include "runtime/infile.h"
#include "runtime/pcap_replay.h"
#include "runtime/pkt_desc.h"
#include "runtime/replay_decide.h"
#include "runtime/xalloc.h"

#define PKT_CAP (65535 + 256)
#define PROGRESS_MIN_BYTES (16u << 20)

struct opts {
	const char *rules, *iface, *write, *topology, *root, *report;
	enum pk_rp_format format;
	bool summary, quiet;
	int threads; /* 1: read the captures in the engine's thread */
	uint64_t explain;
	char **captures;
	int ncaptures;
};

struct source {
	struct pk_pcap *c;
	const struct pk_pcap_pkt *p; /* the waiting packet, in c's batch */
	int have; /* 1 a packet is waiting, 0 end, -1 error */
	struct pk_err err;
};

/* What the decode hook reads, copied once before the reading thread
 * starts: on a cache line of its own, because a line the engine's thread
 * writes at every packet (the totals, the clock) and the reading thread
 * reads at every packet moves between the cores each time, for both. */
struct ahead {
	_Alignas(64) const struct pk_rs *rs;
	uint64_t flow_seed;   /* pk_engine_flow_seed */
	struct pk_engine_dc_view decisions;
	uint16_t fixed_iface; /* --iface, or PK_RT_NO_IFACE */
	bool parse;           /* the engine runs in another thread: parse for it */
	bool stalls;          /* stalls_wanted: the stall report's view of each packet */
	bool describe;        /* a line a packet: its description, made here */
	struct pk_replay_decide *decide; /* the rule walks made for it; NULL: none */
};

struct run {
	struct opts o;
	struct pk_replay rp;
	struct pk_stall stall;
	struct pk_rp_totals t;
	struct pk_rp_report *report; /* --report */
	struct source *src;
	uint16_t fixed_iface;
	uint64_t first_ns, last_ns, total_bytes;
	pcap_dumper_t *dump;
	pcap_t *dead;
	struct pk_afile out; /* -w */
	time_t last_progress;
	/* the look-ups' memory asked for ahead (pk_engine_prefetch,
	 * pk_stall_prefetch): the next packet's bucket numbers in and out, and
	 * its stall index slot with its flow's tag, asked for while the packet
	 * before it was handled */
	uint32_t hint[2];
	uint64_t hint_stall;
	struct ahead *ahead; /* the decode hook's, one per capture (its reading thread's), each on its own lines */
	bool stalls; /* stalls_wanted */
};

/* The stalled connections are printed at the end, unless --quiet
 * --summary asks for the counters alone. */
static bool stalls_printed(const struct opts *o) { return !(o->quiet && o->summary); }

/* The stall report is shown somewhere, printed or in --report's page:
 * when it is not, its bookkeeping (an index of every flow, a look-up a
 * packet) is not done. */
static bool stalls_wanted(const struct opts *o) { return stalls_printed(o) || o->report; }

static void usage(FILE *out)
{
	fputs("usage: picket replay RULES|PKB CAPTURE... [--iface NAME] [--format text|jsonl|csv]\n"
	      "                     [--summary] [--quiet] [-w OUT.pcap] [--explain N] [--topology FILE]\n"
	      "                     [--report FILE.html]\n\n"
	      "Run every packet of the captures (pcap or pcapng, merged in time order) through the\n"
	      "ruleset as the firewall would: in on the interface it arrived on, routed by the\n"
	      "topology, out on the egress interface. The capture's timestamps are the clock.\n\n"
	      "  --iface NAME      interface of a plain pcap's packets (default: pcapng interface\n"
	      "                    names, else the interface whose network holds the source)\n"
	      "  --threads N       1: read the captures in the engine's thread (default 2 on\n"
	      "                    a machine with more than one core: they are read ahead,\n"
	      "                    and with 500 rules or more the rules walked ahead too)\n"
	      "  --format F        text (default), jsonl or csv, one line per packet\n"
	      "  --summary         counters (pfctl -si style) and per-rule hits at the end\n"
	      "  --quiet           no per-packet lines (with --summary, no stall report either)\n"
	      "  -w OUT.pcap       write the passed packets, as they leave (after NAT), to OUT.pcap\n"
	      "  --explain N       the full decision path of packet N\n"
	      "  --report F.html   a page to look at: verdicts over time, rules, blocked flows,\n"
	      "                    stalled connections, interfaces (self-contained, opens offline)\n"
	      "  --topology FILE   interfaces and routes, when the rule file does not declare them\n"
	      "  --root DIR        read the absolute paths the rules name under DIR\n",
	      out);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{"threads", required_argument, NULL, 'T'},
		{"iface", required_argument, NULL, 'i'},   {"format", required_argument, NULL, 'f'},
		{"summary", no_argument, NULL, 's'},       {"quiet", no_argument, NULL, 'q'},
		{"write", required_argument, NULL, 'w'},   {"explain", required_argument, NULL, 'e'},
		{"topology", required_argument, NULL, 't'}, {"root", required_argument, NULL, 'R'},
		{"report", required_argument, NULL, 'H'},   {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->format = PK_RP_TEXT;
	o->threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:f:sqw:e:t:R:h", longs, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'i': o->iface = optarg; break;
		case 'T':
			if (strcmp(optarg, "1") == 0 || strcmp(optarg, "2") == 0) {
				o->threads = optarg[0] - '0';
				break;
			}
			fprintf(stderr, "picket replay: --threads wants 1 or 2, not '%s'\n", optarg);
			return -1;
		case 's': o->summary = true; break;
		case 'q': o->quiet = true; break;
		case 'w':
			o->write = optarg;
			if (strcmp(optarg, "-"))
				break;
			fputs("picket replay: -w -: standard output carries the verdicts; name a file\n", stderr);
			return -1;
		case 't': o->topology = optarg; break;
		case 'R': o->root = optarg; break;
		case 'H': o->report = optarg; break;
		case 'h': usage(stdout); return 1;
		case 'f':
			if (pk_rp_format_parse(optarg, &o->format) == 0)
				break;
			fprintf(stderr, "picket replay: unknown format '%s': use text, jsonl or csv\n", optarg);
			return -1;
		case 'e':
			o->explain = strtoull(optarg, &end, 10);
			if (*end == '\0' && o->explain > 0)
				break;
			fprintf(stderr, "picket replay: --explain wants a packet number (1 is the first), not '%s'\n",
				optarg);
			return -1;
		default: usage(stderr); return -1;
		}
	}
	if (argc - optind < 2) {
		fputs("picket replay: give a rule file (or .pkb) and at least one capture\n", stderr);
		usage(stderr);
		return -1;
	}
	o->rules = argv[optind];
	o->captures = argv + optind + 1;
	o->ncaptures = argc - optind - 1;
	return 0;
}

static int load_rules(struct run *r)
{
	struct pk_frontend_opts fo = {.topology = r->o.topology, .root = r->o.root};
	struct pk_diags d;
	struct pk_rs *rs = NULL;
	pk_diags_init(&d);
	int rc = pk_cli_load(r->o.rules, &fo, &d, &rs);
	pk_diags_print(&d, stderr, PK_COLOR_AUTO);
	pk_diags_free(&d);
	if (rc < 0)
		return -1;
	if (pk_replay_init(&r->rp, rs, 1) < 0) {
		fprintf(stderr, "picket replay: cannot create the engine for %s (out of memory?)\n", r->o.rules);
		return -1;
	}
	r->fixed_iface = PK_RT_NO_IFACE;
	if (r->o.iface && (r->fixed_iface = pk_rs_iface_find(r->rp.rs, r->o.iface)) == PK_RT_NO_IFACE) {
		fprintf(stderr, "picket replay: --iface %s: no such interface in the topology of %s\n", r->o.iface,
			r->o.rules);
		return -1;
	}
	return 0;
}

/* The decode hook (runs in the reading thread): what the engine's thread
 * would otherwise work out for each packet from its bytes alone: the
 * arrival interface when the capture or --iface gives it or its source
 * shows it (else the engine's thread reports why not), where its
 * destination is forwarded, the state look-ups' and the decision cache's
 * hashes, the stall report's view of it and its parse. It reads only the
 * loaded rules and the tables' seeds, which do not change while the
 * captures are replayed. */
static void decode_ahead(void *ctx, const struct pk_pcap_pkt *p, struct pk_pcap_ahead *a)
{
	const struct ahead *ah = ctx;
	const struct pk_rs *rs = ah->rs;
	if (!p->ip || p->outgoing)
		return;
	const bool infer = ah->fixed_iface == PK_RT_NO_IFACE && !p->ifname;
	a->ready = true;
	/* the engine's parse of the bytes one_packet hands it (cut as it cuts
	   them), moved to the reading thread; in one thread it would only add
	   a copy. When it accepts the packet, the rest is taken from the
	   fields it read instead of reading the header three more times: the
	   same values (tests/runtime/test_parsed_views.c) */
	a->parsed_ok = ah->parse &&
		       pk_pkt_parse(p->ip, p->ip_len < PKT_CAP ? p->ip_len : PKT_CAP, &a->parsed) == PK_REASON_NONE;
	if (a->parsed_ok) {
		pk_replay_route_addrs(rs, a->parsed.af, a->parsed.src, a->parsed.dst, infer, &a->route);
		pk_engine_flow_hash_parsed(ah->flow_seed, &a->parsed, a->state);
		if (ah->stalls)
			pk_stall_view_parsed(&a->parsed, &a->stall);
	} else {
		pk_replay_route_ahead(rs, p->ip, p->ip_len, infer, &a->route);
		pk_engine_flow_hash(ah->flow_seed, p->ip, p->ip_len, a->state);
		if (ah->stalls)
			pk_stall_view(p->ip, p->ip_len, &a->stall);
	}
	if (ah->fixed_iface != PK_RT_NO_IFACE)
		a->iface = ah->fixed_iface;
	else if (p->ifname)
		a->iface = pk_rs_iface_find(rs, p->ifname);
	else
		a->iface = a->route.source_iface;
	/* with walks made ahead, decide_batch works it out where it is needed */
	a->decision = a->parsed_ok && !ah->decide
			      ? pk_engine_decision_hash(&ah->decisions, &a->parsed, a->iface, a->route.self)
			      : 0;
	a->decided = NULL;
	a->desc = NULL;
}

/* What the reading thread makes of a whole batch: the packets'
 * descriptions when their lines are shown (in the engine's thread they
 * were a third of its work a packet), the rule walks made ahead. */
static void batch_ahead(void *ctx, struct pk_pcap_pkt *pkts, size_t n, void *scratch)
{
	const struct ahead *ah = ctx;
	char *desc = scratch; /* the descriptions, then the decisions */

	if (ah->describe) {
		for (size_t i = 0; i < n; i++)
			if (pkts[i].ahead.ready)
				pkts[i].ahead.desc = pk_pkt_describe(pkts[i].ip, pkts[i].ip_len, desc + i * PK_PKT_DESC_MAX,
								     PK_PKT_DESC_MAX);
		scratch = desc + n * PK_PKT_DESC_MAX;
	}
	if (ah->decide)
		pk_replay_decide_batch(ah->decide, pkts, n, scratch);
}

/* Rule walks are made ahead, in the reading thread, where one costs more
 * than handing its outcome over (a key and a decision each way, a flow
 * table and a decision cache of the reading thread's own, about 300
 * instructions and two cache misses a decision). The rule count stands in
 * for a walk's cost: a lookup tests 3.7 rules at 100 rules, 16 at 1,000
 * (bench/README.md). In one thread, it would only move the walks. */
#define WALK_AHEAD_MIN_RULES 500

static bool walks_ahead(const struct run *r)
{
	return r->o.threads > 1 && pk_rs_nrules(r->rp.rs) >= WALK_AHEAD_MIN_RULES;
}

static int open_sources(struct run *r)
{
	r->src = calloc((size_t)r->o.ncaptures, sizeof *r->src);
	r->ahead = pk_line_calloc((size_t)r->o.ncaptures, sizeof *r->ahead);
	if (!r->src || !r->ahead)
		return -1;
	for (int i = 0; i < r->o.ncaptures; i++) {
		struct source *s = &r->src[i];
		struct stat st;
		r->ahead[i] = (struct ahead){.rs = r->rp.rs,
					     .flow_seed = pk_engine_flow_seed(r->rp.engine),
					     .decisions = pk_engine_dc_view(r->rp.engine),
					     .fixed_iface = r->fixed_iface,
					     .parse = r->o.threads > 1,
					     .stalls = r->stalls,
					     .describe = r->o.threads > 1 && !r->o.quiet};
		if (walks_ahead(r))
			r->ahead[i].decide = pk_replay_decide_new(r->rp.engine, r->ahead[i].flow_seed);
		if (!(s->c = pk_pcap_open(r->o.captures[i], &s->err))) {
			fprintf(stderr, "picket replay: %s\n", s->err.msg);
			return -1;
		}
		if (stat(r->o.captures[i], &st) == 0)
			r->total_bytes += (uint64_t)st.st_size;
		pk_pcap_on_decode(s->c, decode_ahead, &r->ahead[i]);
		if (r->ahead[i].decide || r->ahead[i].describe)
			pk_pcap_on_batch(s->c, batch_ahead, &r->ahead[i],
					 (r->ahead[i].describe ? PK_PKT_DESC_MAX : 0) +
						 (r->ahead[i].decide ? PK_REPLAY_DECIDE_SCRATCH : 0));
		if (r->o.threads > 1)
			pk_pcap_background(s->c); /* without a thread, reading stays here */
		s->have = pk_pcap_next(s->c, &s->p, &s->err);
	}
	return 0;
}

/* The source whose waiting packet is the earliest; an error counts as due
 * at once, since nothing later in that capture can be read. */
static struct source *next_source(struct run *r)
{
	struct source *best = NULL;
	if (r->o.ncaptures == 1) /* the usual case: no merge */
		return r->src->have ? r->src : NULL;
	for (int i = 0; i < r->o.ncaptures; i++) {
		struct source *s = &r->src[i];
		if (s->have < 0)
			return s;
		if (s->have == 1 && (!best || s->p->ts_ns < best->p->ts_ns))
			best = s;
	}
	return best;
}

static int open_dump(struct run *r)
{
	struct pk_err err;
	if (pk_infile_not_input(r->o.write, &err)) {
		fprintf(stderr, "picket replay: -w %s: %s\n", r->o.write, err.msg);
		return -1;
	}
	if (pk_afile_open(&r->out, r->o.write, 0644) < 0) {
		fprintf(stderr, "picket replay: -w %s: cannot create it: %s\n", r->o.write, strerror(errno));
		return -1;
	}
	/* pcap_dump_close closes its FILE: give it a copy of the descriptor,
	 * so the file can still be synced and put in place afterwards. */
	int fd = dup(r->out.fd);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	r->dead = pcap_open_dead(DLT_RAW, 65535);
	if (!f || !r->dead || !(r->dump = pcap_dump_fopen(r->dead, f))) {
		fprintf(stderr, "picket replay: -w %s: cannot write a capture to it\n", r->o.write);
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		pk_afile_abort(&r->out);
		return -1;
	}
	return 0;
}

static int close_dump(struct run *r, bool keep)
{
	int rc = 0;
	if (r->dump) {
		rc = pcap_dump_flush(r->dump);
		pcap_dump_close(r->dump);
		if (keep && (rc != 0 || pk_afile_commit(&r->out) != 0)) {
			fprintf(stderr, "picket replay: -w %s: cannot write it\n", r->o.write);
			rc = -1;
		}
		if (!keep || rc != 0)
			pk_afile_abort(&r->out);
	}
	if (r->dead)
		pcap_close(r->dead);
	return rc;
}

static void dump_packet(struct run *r, uint64_t ts_ns, const uint8_t *ip, size_t len)
{
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len};
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u / 1000u);
	pcap_dump((u_char *)r->dump, &h, ip);
}

static void progress(struct run *r, bool done)
{
	if (r->total_bytes < PROGRESS_MIN_BYTES || !isatty(2))
		return;
	time_t now = time(NULL);
	if (!done && now == r->last_progress)
		return;
	r->last_progress = now;
	uint64_t at = 0;
	for (int i = 0; i < r->o.ncaptures; i++)
		at += pk_pcap_offset(r->src[i].c);
	fprintf(stderr, "\rpicket replay: %" PRIu64 " packets, %u%%%s", r->t.frames,
		(unsigned)(done ? 100 : at * 100 / r->total_bytes), done ? "\n" : "");
}

/* The interface a packet arrived on: the capture's name for it, --iface,
 * or the interface whose network holds the source address. */
static int arrival_iface(struct run *r, const struct pk_pcap_pkt *p, uint16_t *iface)
{
	const struct pk_rs *rs = r->rp.rs;
	if (p->ahead.ready && p->ahead.iface != PK_RT_NO_IFACE)
		*iface = p->ahead.iface;
	else if (r->fixed_iface != PK_RT_NO_IFACE)
		*iface = r->fixed_iface;
	else if (p->ifname) {
		if ((*iface = pk_rs_iface_find(rs, p->ifname)) == PK_RT_NO_IFACE) {
			fprintf(stderr,
				"picket replay: packet %" PRIu64 ": the capture says it arrived on '%s', which the "
				"topology does not declare; declare `interface %s ...` or use --iface NAME\n",
				p->n, p->ifname, p->ifname);
			return -1;
		}
	} else if ((*iface = pk_replay_infer_iface(rs, p->ip, p->ip_len)) == PK_RT_NO_IFACE) {
		fprintf(stderr,
			"picket replay: packet %" PRIu64 ": cannot tell which interface it arrived on: its source "
			"is in no network of the topology; use --iface NAME or a pcapng capture with interface "
			"names\n",
			p->n);
		return -1;
	}
	return 0;
}

/* Every frame has its line, so the lines count the capture's frames. */
static void skip_frame(struct run *r, const struct source *s, uint64_t n, const char *why)
{
	const struct pk_pcap_pkt *p = s->p;
	const struct pk_rp_skip k = {n, p->ts_ns, r->first_ns, r->o.ncaptures > 1 ? pk_pcap_path(s->c) : NULL,
				     p->ifname, p->ip, p->ip_len, why};
	if (!r->o.quiet)
		pk_rp_skipped(stdout, r->o.format, &k);
	if (n == r->o.explain)
		fprintf(r->o.quiet ? stdout : stderr, "packet %" PRIu64 " is not replayed: %s\n", n, why);
}

/* A packet the firewall sent, on an interface the capture names: it may
 * show the translation the firewall chose for a connection. */
static void leaving_copy(struct run *r, const struct pk_pcap_pkt *p)
{
	uint16_t iface = p->ifname ? pk_rs_iface_find(r->rp.rs, p->ifname) : PK_RT_NO_IFACE;
	if (iface != PK_RT_NO_IFACE)
		pk_replay_outgoing(&r->rp, p->ts_ns > r->last_ns ? p->ts_ns : r->last_ns, iface, p->ip, p->ip_len);
}

/* The state table and the stall index are larger than the caches, and
 * each look-up is two misses in a row (bucket, then state or flow): while
 * a packet is handled, the buckets of the packet after next are asked for
 * (their hashes worked out already by decode_ahead), and what the next
 * packet's buckets, asked for a packet earlier, lead to, so that each miss
 * has a packet's time to arrive. A packet is looked up in and out (pf
 * keeps a state on each interface), the way out under the same addresses
 * unless it is translated. The decision cache's slot, which a packet
 * without a state reads on its way in, is one miss: asked for a packet
 * after next too. */
static void prefetch(struct run *r, const struct source *s)
{
	static const uint32_t none[2]; /* no hashes: nothing asked for */
	const struct pk_pcap_pkt *later = pk_pcap_peek(s->c, 1);
	const bool ahead = later && later->ahead.ready;

	pk_engine_prefetch(r->rp.engine, r->hint, ahead ? later->ahead.state : none);
	if (ahead)
		pk_engine_prefetch_decision(r->rp.engine, later->ahead.decision);
	if (r->stalls) {
		pk_stall_prefetch_flow(&r->stall, r->hint_stall);
		r->hint_stall = ahead ? pk_stall_prefetch(&r->stall, &later->ahead.stall) : 0;
	}
}

/* What is shown of a replayed packet: its line, its decision path when
 * it is the one to explain, its place in the report. */
static void show(struct run *r, const struct source *s, uint64_t n, uint16_t iface, const struct pk_replay_result *res,
		 const uint8_t *snap, const uint8_t *buf, size_t len)
{
	const struct pk_pcap_pkt *p = s->p;
	const struct pk_rp_pkt line = {n, r->last_ns, r->first_ns, r->o.ncaptures > 1 ? pk_pcap_path(s->c) : NULL,
				       iface, p->ip, p->ip_len, res, /* the capture's bytes, as it arrived */
				       p->ahead.ready ? p->ahead.desc : NULL};
	if (!r->o.quiet)
		pk_rp_packet(stdout, r->o.format, r->rp.rs, &line);
	if (n == r->o.explain)
		pk_rp_explain(r->o.quiet ? stdout : stderr, r->rp.rs, &line, res->out.done ? snap : NULL,
			      r->rp.snap_len, buf, len);
	if (r->report)
		pk_rp_report_packet(r->report, &line);
}

/* A forwarded or dropped packet in the stall report's index. */
static void note_stall(struct run *r, const struct pk_pcap_pkt *p, uint64_t n, uint16_t iface,
		       const struct pk_replay_result *res, const uint8_t *buf, size_t len)
{
	const bool afto = res->afto_egress != PK_RT_NO_IFACE;
	const bool forwarded = res->kind == PK_V_PASS && (res->out.done || afto);
	/* the rule that let it in, else the one that let it out */
	const uint32_t rule = res->in.v.rule != PK_RT_NO_RULE || !res->out.done ? res->in.v.rule : res->out.v.rule;
	const struct pk_stall_pkt sp = {p->ip, p->ip_len, forwarded ? buf : NULL, len, n, rule, iface,
					res->out.done ? res->out.iface : res->afto_egress,
					res->kind == PK_V_PASS, res->kind == PK_V_HOLD,
					res->reason == PK_REASON_STATE_MISMATCH, p->ahead.ready ? &p->ahead.stall : NULL};
	pk_stall_packet(&r->stall, &sp);
}

static int one_packet(struct run *r, const struct source *s, uint64_t n)
{
	static uint8_t buf[PKT_CAP], snap[PKT_CAP];
	const struct pk_pcap_pkt *p = s->p;
	prefetch(r, s);
	r->t.frames++;
	if (!r->first_ns)
		r->first_ns = p->ts_ns;
	if (!p->ip) {
		r->t.not_ip++;
		skip_frame(r, s, n, p->why);
		return 0;
	}
	if (p->outgoing) {
		r->t.outgoing++;
		leaving_copy(r, p);
		skip_frame(r, s, n, "sent by the capturing host");
		return 0;
	}
	uint16_t iface;
	if (arrival_iface(r, p, &iface) < 0)
		return -1;
	uint64_t now = p->ts_ns > r->last_ns ? p->ts_ns : r->last_ns;
	r->last_ns = now;
	size_t len = p->ip_len < PKT_CAP ? p->ip_len : PKT_CAP;
	memcpy(buf, p->ip, len);
	r->rp.snap = n == r->o.explain ? snap : NULL;
	r->rp.snap_cap = sizeof snap;
	r->rp.snap_len = 0;
	r->rp.route_hint = p->ahead.ready ? &p->ahead.route : NULL;
	r->rp.parsed = p->ahead.ready && p->ahead.parsed_ok ? &p->ahead.parsed : NULL;
	r->rp.decided = p->ahead.ready ? p->ahead.decided : NULL;
	struct pk_replay_result res;
	pk_replay_packet(&r->rp, now, iface, buf, &len, sizeof buf, &res);
	r->t.packets++;
	r->t.bytes += p->ip_len;
	r->t.verdict[res.kind <= PK_V_HOLD ? res.kind : PK_V_BLOCK]++;
	if (!r->o.quiet || n == r->o.explain || r->report)
		show(r, s, n, iface, &res, snap, buf, len);
	/* The firewall's own connections are not forwarded: no stall to diagnose. */
	const bool local = res.stop == PK_STOP_SELF || res.stop == PK_STOP_DIVERT;
	if (r->stalls && !local)
		note_stall(r, p, n, iface, &res, buf, len);
	if (r->dump && res.kind == PK_V_PASS && !local)
		dump_packet(r, now, buf, len);
	return 0;
}

/* Every packet in time order; -1 at the first unreadable one. */
static int replay_all(struct run *r)
{
	struct source *s;
	uint64_t n = 0;
	while ((s = next_source(r))) {
		if (s->have < 0) {
			fflush(stdout);
			fprintf(stderr, "picket replay: %s\n", s->err.msg);
			if (n)
				fprintf(stderr, "picket replay: the verdicts above cover the %" PRIu64
						" packets before it\n", n);
			return -1;
		}
		if (one_packet(r, s, ++n) < 0)
			return -1;
		s->have = pk_pcap_next(s->c, &s->p, &s->err);
		if ((n & 0xffff) == 0)
			progress(r, false);
	}
	progress(r, true);
	pk_replay_finish(&r->rp);
	if (r->o.explain > n)
		fprintf(stderr, "picket replay: --explain %" PRIu64 ": the captures hold only %" PRIu64 " packets\n",
			r->o.explain, n);
	return 0;
}

static int start_report(struct run *r)
{
	struct pk_err err;
	if (pk_infile_not_input(r->o.report, &err)) {
		fprintf(stderr, "picket replay: --report %s: %s\n", r->o.report, err.msg);
		return -1;
	}
	r->report = pk_xmalloc(sizeof *r->report);
	pk_rp_report_init(r->report, r->rp.rs);
	return 0;
}

static int write_report(struct run *r)
{
	struct pk_err err;
	const struct pk_rp_report_id id = {r->o.rules, r->o.captures, r->o.ncaptures};
	if (pk_rp_report_write(r->report, r->o.report, r->rp.engine, &r->stall, &r->t, &id, &err) == 0)
		return 0;
	fprintf(stderr, "picket replay: %s\n", err.msg);
	return -1;
}

static void finish(struct run *r)
{
	if (r->src)
		for (int i = 0; i < r->o.ncaptures; i++)
			pk_pcap_close(r->src[i].c); /* its reading thread stopped: its hook's walks are done */
	if (r->ahead)
		for (int i = 0; i < r->o.ncaptures; i++)
			pk_replay_decide_free(r->ahead[i].decide);
	pk_line_free(r->ahead);
	free(r->src);
	pk_stall_fini(&r->stall);
	if (r->report)
		pk_rp_report_fini(r->report);
	free(r->report);
	pk_replay_fini(&r->rp);
}

int pk_cmd_replay(int argc, char **argv)
{
	struct run r;
	memset(&r, 0, sizeof r);
	int prc = parse_args(argc, argv, &r.o);
	if (prc != 0)
		return prc > 0 ? 0 : 2;
	pk_stall_init(&r.stall);
	r.stalls = stalls_wanted(&r.o);
	int rc = 2;
	if (load_rules(&r) == 0 && open_sources(&r) == 0 && (!r.o.report || start_report(&r) == 0) &&
	    (!r.o.write || open_dump(&r) == 0)) {
		if (!r.o.quiet)
			pk_rp_begin(stdout, r.o.format);
		bool ok = replay_all(&r) == 0;
		if (ok) {
			if (stalls_printed(&r.o))
				pk_rp_stalls(r.o.format == PK_RP_CSV ? stderr : stdout, r.o.format, r.rp.rs, &r.stall);
			r.t.nat = &r.rp.nat;
			/* Standard output carries JSON lines or CSV rows: the text goes to stderr. */
			if (r.o.summary && r.o.format == PK_RP_JSONL)
				pk_rp_summary_json(stdout, r.rp.engine, r.rp.rs, &r.t);
			else if (r.o.summary)
				pk_rp_summary(r.o.format == PK_RP_CSV ? stderr : stdout, r.rp.engine, r.rp.rs, &r.t);
			ok = !r.report || write_report(&r) == 0;
		}
		rc = close_dump(&r, ok) == 0 && ok ? 0 : 2;
	} else
		close_dump(&r, false);
	finish(&r);
	return rc;
}
