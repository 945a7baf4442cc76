/* cli/replay_summary_json.c: replay's --summary as one JSON line, for --format jsonl.
 *
 * Written by appends (runtime/text.h), as jansson writes a compact
 * document, keys in this order: a ruleset's rows are thousands of
 * objects, which jansson built and freed at some thirty thousand
 * instructions each, and whose string it refused when a source line was
 * not UTF-8 (the rule then went missing from the list). */
#include "cli/replay_out.h"
#include "runtime/replay_nat.h"
#include "runtime/text.h"

/* `"key":` after the first member of an object. */
static void key(struct pk_text *t, const char *k, bool first)
{
	if (!first)
		pk_text_char(t, ',');
	pk_text_json(t, k);
	pk_text_char(t, ':');
}

static void member(struct pk_text *t, const char *k, uint64_t v, bool first)
{
	key(t, k, first);
	pk_text_uint(t, v, 0, ' ');
}

/* An object of counters, its keys and values in order. */
static void counters(struct pk_text *t, const char *k, const char *const *keys, const uint64_t *v, int n)
{
	key(t, k, false);
	pk_text_char(t, '{');
	for (int i = 0; i < n; i++)
		member(t, keys[i], v[i], i == 0);
	pk_text_char(t, '}');
}

static void rule_row(struct pk_text *t, const struct pk_engine *e, const struct pk_rs *rs, uint32_t i)
{
	const struct pk_rule_counters *rc = pk_engine_rule_counters(e, i);

	pk_text_str(t, i ? ",{" : "{");
	member(t, "nr", pk_rs_rule(rs, i)->nr, true);
	key(t, "file", false);
	pk_text_json(t, pk_rs_rule_file(rs, i));
	member(t, "line", pk_rs_rule(rs, i)->line, false);
	key(t, "source", false);
	pk_text_json(t, pk_rp_rule_source(rs, i));
	member(t, "evaluations", rc->evaluations, false);
	member(t, "packets", rc->packets, false);
	member(t, "bytes", rc->bytes, false);
	member(t, "states", rc->states_created, false);
	pk_text_char(t, '}');
}

void pk_rp_summary_json(FILE *out, const struct pk_engine *e, const struct pk_rs *rs, const struct pk_rp_totals *t)
{
	const struct pk_counters *c = pk_engine_counters(e);
	char stage[64 * 1024];
	struct pk_text x;

	pk_text_init_file(&x, stage, sizeof stage, out);
	pk_text_str(&x, "{\"summary\":{");
	member(&x, "frames", t->frames, true);
	member(&x, "packets", t->packets, false);
	member(&x, "bytes", t->bytes, false);
	key(&x, "verdicts", false);
	pk_text_char(&x, '{');
	for (int k = PK_V_PASS; k <= PK_V_HOLD; k++)
		member(&x, pk_rp_verdict_name((uint8_t)k), t->verdict[k], k == PK_V_PASS);
	pk_text_char(&x, '}');
	member(&x, "not_ip", t->not_ip, false);
	member(&x, "outgoing", t->outgoing, false);
	counters(&x, "states", (const char *const[]){"current", "searches", "inserts", "removals"},
		 (const uint64_t[]){c->states_current, c->searches, c->inserts, c->removals}, 4);
	key(&x, "reasons", false);
	pk_text_char(&x, '{');
	for (int r = PK_REASON_NONE + 1; r < PK_REASON_COUNT; r++)
		member(&x, pk_reason_name((enum pk_drop_reason)r), c->reason[r], r == PK_REASON_NONE + 1);
	pk_text_char(&x, '}');
	counters(&x, "syncookies", (const char *const[]){"sent", "validated", "failed"},
		 (const uint64_t[]){c->syncookies_sent, c->syncookies_valid, c->syncookies_failed}, 3);
	counters(&x, "decisions", (const char *const[]){"evaluated", "recalled"},
		 (const uint64_t[]){c->decisions_evaluated, c->decisions_recalled}, 2);
	counters(&x, "overload", (const char *const[]){"added", "flushed"},
		 (const uint64_t[]){c->overload_added, c->overload_flushed}, 2);
	key(&x, "rules", false);
	pk_text_char(&x, '[');
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++)
		rule_row(&x, e, rs, i);
	pk_text_char(&x, ']');
	if (t->nat) /* drawn translations, and what the capture showed of them */
		counters(&x, "translations",
			 (const char *const[]){"drawn", "taken_from_capture", "as_capture_shows", "not_in_capture"},
			 (const uint64_t[]){t->nat->drawn, t->nat->adopted, t->nat->agreed, t->nat->unseen}, 4);
	pk_text_str(&x, "}}\n");
	pk_text_end(&x);
}
