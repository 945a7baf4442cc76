/* cli/replay_summary_json.c: replay's --summary as one JSON line, for --format jsonl. */
#include <jansson.h>

#include "cli/replay_out.h"
#include "runtime/replay_nat.h"


static json_t *rule_counters_json(const struct pk_engine *e, const struct pk_rs *rs, uint32_t i)
{
	const struct pk_rule_counters *rc = pk_engine_rule_counters(e, i);
	const char *src = pk_rp_rule_source(rs, i);
	return json_pack("{s:i, s:s?, s:i, s:s?, s:I, s:I, s:I, s:I}", "nr", (json_int_t)pk_rs_rule(rs, i)->nr, "file",
			 pk_rs_rule_file(rs, i), "line", (json_int_t)pk_rs_rule(rs, i)->line, "source", src, "evaluations",
			 (json_int_t)rc->evaluations, "packets", (json_int_t)rc->packets, "bytes", (json_int_t)rc->bytes,
			 "states", (json_int_t)rc->states_created);
}

void pk_rp_summary_json(FILE *out, const struct pk_engine *e, const struct pk_rs *rs, const struct pk_rp_totals *t)
{
	const struct pk_counters *c = pk_engine_counters(e);
	json_t *verdicts = json_object(), *reasons = json_object(), *rules = json_array();
	for (int k = PK_V_PASS; k <= PK_V_HOLD; k++)
		json_object_set_new(verdicts, pk_rp_verdict_name((uint8_t)k), json_integer((json_int_t)t->verdict[k]));
	for (int r = PK_REASON_NONE + 1; r < PK_REASON_COUNT; r++)
		json_object_set_new(reasons, pk_reason_name((enum pk_drop_reason)r), json_integer((json_int_t)c->reason[r]));
	for (uint32_t i = 0; i < pk_rs_nrules(rs); i++)
		json_array_append_new(rules, rule_counters_json(e, rs, i));
	json_t *summary = json_pack(
		"{s:I, s:I, s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:o, s:{s:I, s:I, s:I}, s:{s:I, s:I}, "
		"s:{s:I, s:I}, s:o}",
		"frames", (json_int_t)t->frames, "packets", (json_int_t)t->packets, "bytes", (json_int_t)t->bytes,
		"verdicts", verdicts, "not_ip", (json_int_t)t->not_ip, "outgoing", (json_int_t)t->outgoing, "states",
		"current", (json_int_t)c->states_current, "searches", (json_int_t)c->searches, "inserts",
		(json_int_t)c->inserts, "removals", (json_int_t)c->removals, "reasons", reasons, "syncookies", "sent",
		(json_int_t)c->syncookies_sent, "validated", (json_int_t)c->syncookies_valid, "failed",
		(json_int_t)c->syncookies_failed, "decisions", "evaluated", (json_int_t)c->decisions_evaluated,
		"recalled", (json_int_t)c->decisions_recalled, "overload", "added", (json_int_t)c->overload_added,
		"flushed", (json_int_t)c->overload_flushed, "rules", rules);
	if (t->nat) /* drawn translations, and what the capture showed of them */
		json_object_set_new(summary, "translations",
				    json_pack("{s:I, s:I, s:I, s:I}", "drawn", (json_int_t)t->nat->drawn, "taken_from_capture",
					      (json_int_t)t->nat->adopted, "as_capture_shows", (json_int_t)t->nat->agreed,
					      "not_in_capture", (json_int_t)t->nat->unseen));
	json_t *line = json_pack("{s:o}", "summary", summary);
	json_dumpf(line, out, JSON_COMPACT);
	fputc('\n', out);
	json_decref(line);
}
