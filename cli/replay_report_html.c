/* cli/replay_report_html.c: the page of `picket replay --report`. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/html.h"
#include "cli/replay_explain.h"
#include "cli/replay_report.h"
#include "cli/version.h"
#include "runtime/afile.h"
#include "runtime/proto.h"
#include "runtime/stall.h"
#include "runtime/xalloc.h"

#define TOP_FLOWS 25
#define MAX_RULES_SHOWN 2000
#define CHART_W 960
#define CHART_H 200
#define STRIP_H 36
#define LEFT 64

static const char *const kind_class[4] = {"pass", "block", "reject", "hold"};
static const char *const kind_color[4] = {"#2e9e5b", "#d64545", "#f08c2e", "#98a2ae"};
#define STALL_COLOR "#7a4fc9"

static void seconds_text(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000000000u)
		snprintf(buf, size, "%.0f ms", ns / 1e6);
	else if (ns < 3600ull * 1000000000u)
		snprintf(buf, size, "%.1f s", ns / 1e9);
	else
		snprintf(buf, size, "%.1f h", ns / 3.6e12);
}

static void identity(FILE *out, const struct pk_rp_report *rep, const struct pk_rp_totals *t,
		     const struct pk_rp_report_id *id)
{
	char hex[65], span[32];
	fputs("<section><h2>What was replayed</h2><table class=\"kv\">\n<tr><td>rules</td><td><code>", out);
	pk_html_text(out, id->rules);
	fprintf(out, "</code><br><small>sha256 %s</small></td></tr>\n",
		pk_html_file_sha256(id->rules, hex) == 0 ? hex : "(unreadable)");
	for (int i = 0; i < id->ncaptures; i++) {
		fputs("<tr><td>capture</td><td><code>", out);
		pk_html_text(out, id->captures[i]);
		fprintf(out, "</code><br><small>sha256 %s</small></td></tr>\n",
			pk_html_file_sha256(id->captures[i], hex) == 0 ? hex : "(unreadable)");
	}
	seconds_text(rep->nbins ? rep->width_ns * rep->nbins : 0, span, sizeof span);
	fputs("<tr><td>frames / IP packets</td><td>", out);
	pk_html_count(out, t->frames);
	fputs(" / ", out);
	pk_html_count(out, t->packets);
	fprintf(out, "</td></tr>\n<tr><td>time covered</td><td>up to %s</td></tr>\n", span);
	fputs("<tr><td>verdicts</td><td>", out);
	for (int k = PK_V_PASS; k <= PK_V_HOLD; k++) {
		fprintf(out, "<span class=\"%s\">%s ", kind_class[k], pk_rp_verdict_name((uint8_t)k));
		pk_html_count(out, t->verdict[k]);
		fputs("</span> &nbsp; ", out);
	}
	fprintf(out, "</td></tr>\n<tr><td>skipped</td><td>%llu not IP, %llu sent by the capturing host</td></tr>\n"
		     "<tr><td>made by</td><td>picket %s</td></tr>\n</table></section>\n",
		(unsigned long long)t->not_ip, (unsigned long long)t->outgoing, PK_VERSION);
}

static uint64_t bin_total(const struct pk_report_bin *b)
{
	return b->verdict[0] + b->verdict[1] + b->verdict[2] + b->verdict[3];
}

/* Stacked bars of the verdicts per bin, and under them a strip of the
 * stalled connections by the bin they opened in (connections, not
 * packets: their own scale). */
static void chart(FILE *out, const struct pk_rp_report *rep)
{
	uint64_t most = 1, most_stalled = 1;
	bool any_stalled = false;
	for (uint32_t i = 0; i < rep->nbins; i++) {
		any_stalled |= rep->bin[i].stalled > 0;
		if (bin_total(&rep->bin[i]) > most)
			most = bin_total(&rep->bin[i]);
		if (rep->bin[i].stalled > most_stalled)
			most_stalled = rep->bin[i].stalled;
	}
	const double w = rep->nbins ? (double)CHART_W / rep->nbins : CHART_W;
	const int top = 8, strip = top + CHART_H + 28;
	char t0[32], tend[32], width[32];
	seconds_text(0, t0, sizeof t0);
	seconds_text(rep->width_ns * rep->nbins, tend, sizeof tend);
	seconds_text(rep->width_ns, width, sizeof width);
	fputs("<section><h2>Verdicts over time</h2><div class=\"legend\">", out);
	for (int k = 0; k < 4; k++)
		fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", kind_color[k],
			pk_rp_verdict_name((uint8_t)k));
	fprintf(out, "<span><i style=\"background:%s\"></i>stalled connections (opened)</span></div>\n", STALL_COLOR);
	fprintf(out, "<svg id=\"verdicts\" role=\"img\" aria-label=\"verdicts over time\" width=\"100%%\" "
		     "viewBox=\"0 0 %d %d\">\n", LEFT + CHART_W + 8, strip + STRIP_H + 8);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#aab\"/>\n", LEFT, top + CHART_H,
		LEFT + CHART_W, top + CHART_H);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>", LEFT - 6, top + 10,
		(unsigned long long)most);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">packets</text>", LEFT - 6, top + 24);
	fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
		     "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">one bar: %s</text>\n",
		LEFT, top + CHART_H + 14, t0, LEFT + CHART_W, top + CHART_H + 14, tend, LEFT + CHART_W / 2,
		top + CHART_H + 14, width);
	for (uint32_t i = 0; i < rep->nbins; i++) {
		double y = top + CHART_H;
		for (int k = 0; k < 4; k++) {
			if (!rep->bin[i].verdict[k])
				continue;
			double h = (double)rep->bin[i].verdict[k] * CHART_H / most;
			y -= h;
			fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>", LEFT + i * w,
				y, w > 1.5 ? w - 0.5 : w, h, kind_color[k]);
		}
		if (rep->bin[i].stalled) {
			double h = (double)rep->bin[i].stalled * STRIP_H / most_stalled;
			fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>", LEFT + i * w,
				strip + STRIP_H - h, w > 1.5 ? w - 0.5 : w, h, STALL_COLOR);
		}
	}
	fprintf(out, "\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">stalled</text>", LEFT - 6, strip + STRIP_H - 2);
	if (any_stalled)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>", LEFT - 6, strip + 10,
			(unsigned long long)most_stalled);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dde\"/>\n</svg></section>\n", LEFT,
		strip + STRIP_H, LEFT + CHART_W, strip + STRIP_H);
}

static void num_cell(FILE *out, uint64_t v)
{
	fprintf(out, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)v);
	pk_html_count(out, v);
	fputs("</td>", out);
}

/* A rule's place and source line; with its number where no column holds it. */
static void rule_cell(FILE *out, const struct pk_rs *rs, uint32_t rule, bool number)
{
	if (rule == PK_RT_NO_RULE) {
		fputs("<td>no rule: a state, or the default</td>", out);
		return;
	}
	fputs("<td>", out);
	if (number)
		fprintf(out, "<code>@%u</code> ", pk_rs_rule(rs, rule)->nr);
	pk_html_text(out, pk_rs_rule_file(rs, rule));
	fprintf(out, ":%u<br><code>", pk_rs_rule(rs, rule)->line);
	pk_html_text(out, pk_rp_rule_source(rs, rule));
	fputs("</code></td>", out);
}

static int by_index(const void *a, const void *b)
{
	const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static const struct pk_engine *sort_engine; /* qsort has no context argument */

static int by_rule_packets(const void *a, const void *b)
{
	const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const uint64_t px = pk_engine_rule_counters(sort_engine, x)->packets,
		       py = pk_engine_rule_counters(sort_engine, y)->packets;
	return px != py ? (px < py ? 1 : -1) : (x > y) - (x < y);
}

/* Every rule in order; a ruleset larger than MAX_RULES_SHOWN shows those
 * that decided the most packets, so the page stays quick to open. */
static void rules(FILE *out, const struct pk_rs *rs, const struct pk_engine *e)
{
	const uint32_t n = pk_rs_nrules(rs), shown = n < MAX_RULES_SHOWN ? n : MAX_RULES_SHOWN;
	uint32_t *order = pk_xcalloc(n + 1u, sizeof *order);
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	if (n > shown) {
		sort_engine = e;
		qsort(order, n, sizeof *order, by_rule_packets);
		qsort(order, shown, sizeof *order, by_index);
	}
	fputs("<section><h2>Rules</h2><p>Click a heading to sort.</p>\n<table class=\"sortable\" id=\"rules\">"
	      "<thead><tr><th class=\"n\">#</th><th>rule</th><th class=\"n\">evaluations</th><th class=\"n\">packets"
	      "</th><th class=\"n\">bytes</th><th class=\"n\">states</th></tr></thead><tbody>\n",
	      out);
	for (uint32_t k = 0; k < shown; k++) {
		const uint32_t i = order[k];
		const struct pk_rule_counters *rc = pk_engine_rule_counters(e, i);
		fprintf(out, "<tr><td class=\"n\" data-v=\"%u\">@%u</td>", pk_rs_rule(rs, i)->nr, pk_rs_rule(rs, i)->nr);
		rule_cell(out, rs, i, false);
		num_cell(out, rc->evaluations);
		num_cell(out, rc->packets);
		num_cell(out, rc->bytes);
		num_cell(out, rc->states_created);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>", out);
	if (n > shown)
		fprintf(out, "<p>The %u rules that decided the most packets, of %u; the others are in "
			     "<code>picket replay --summary</code>.</p>", shown, n);
	fputs("</section>\n", out);
	free(order);
}

static int by_packets(const void *a, const void *b)
{
	const struct pk_report_flow *x = *(struct pk_report_flow *const *)a, *y = *(struct pk_report_flow *const *)b;
	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return x->first_n < y->first_n ? -1 : x->first_n > y->first_n;
}

static void flow_name(const struct pk_rs *rs, const struct pk_report_flow *f, char *buf, size_t size)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int af = f->af == PK_AF_INET6 ? AF_INET6 : AF_INET;
	inet_ntop(af, f->src, s, sizeof s);
	inet_ntop(af, f->dst, d, sizeof d);
	const char *what = f->proto == IPPROTO_TCP ? "tcp" : f->proto == IPPROTO_UDP ? "udp"
			 : f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6 ? "icmp" : "ip";
	const char *port = f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP ? " port"
			 : f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6 ? " type" : NULL;
	int n = snprintf(buf, size, "%s %s → %s", what, s, d);
	if (port && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%s %u", port, f->dport);
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " on %s", pk_rs_iface_name(rs, f->iface));
}

/* The explanation of the flow's first packet, as `replay --explain` prints it. */
static void flow_explain(FILE *out, const struct pk_rs *rs, const struct pk_report_flow *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	const struct pk_rp_pkt p = {f->first_n, f->first_ns, 0, NULL, f->iface, f->ip, f->len, &f->res, NULL};
	pk_rp_explain(m, rs, &p, NULL, 0, f->ip, f->len);
	fclose(m);
	fputs("<details><summary>explain packet ", out);
	pk_html_count(out, f->first_n);
	fputs("</summary><pre>", out);
	pk_html_text(out, text);
	fputs("</pre></details>", out);
	free(text);
}

static void blocked_flows(FILE *out, const struct pk_rp_report *rep)
{
	struct pk_report_flow **v = malloc((rep->nflows ? rep->nflows : 1) * sizeof *v);
	uint32_t n = 0;
	for (uint32_t i = 0; v && i < 2 * PK_REPORT_FLOWS; i++)
		if (rep->flow[i].packets)
			v[n++] = &rep->flow[i];
	qsort(v, n, sizeof *v, by_packets);
	fputs("<section><h2>Most blocked flows</h2>\n", out);
	if (!n)
		fputs("<p>No packet was blocked.</p>", out);
	else
		fputs("<table class=\"sortable\" id=\"flows\"><thead><tr><th>flow</th><th class=\"n\">packets</th>"
		      "<th class=\"n\">bytes</th><th>verdict</th><th>deciding rule</th><th>why</th></tr></thead><tbody>\n",
		      out);
	for (uint32_t i = 0; i < n && i < TOP_FLOWS; i++) {
		char name[200];
		flow_name(rep->rs, v[i], name, sizeof name);
		fputs("<tr><td>", out);
		pk_html_text(out, name);
		flow_explain(out, rep->rs, v[i]);
		fputs("</td>", out);
		num_cell(out, v[i]->packets);
		num_cell(out, v[i]->bytes);
		fprintf(out, "<td class=\"%s\">%s</td>", kind_class[v[i]->kind & 3], pk_rp_verdict_name(v[i]->kind));
		rule_cell(out, rep->rs, pk_rp_shown_step(&v[i]->res)->v.rule, true);
		fputs("<td>", out);
		pk_html_text(out, pk_rp_reason_text(&v[i]->res));
		fputs("</td></tr>\n", out);
	}
	if (n)
		fputs("</tbody></table>", out);
	if (n > TOP_FLOWS)
		fprintf(out, "<p>%u further blocked flows not shown.</p>", n - TOP_FLOWS);
	if (rep->untracked)
		fprintf(out, "<p>%llu blocked packets belong to flows beyond the first %u, not broken down.</p>",
			(unsigned long long)rep->untracked, PK_REPORT_FLOWS);
	fputs("</section>\n", out);
	free(v);
}

/* Each stalled connection counted in the bin of its opening packet. */
static void place_stall(void *ctx, const struct pk_stall_flow *f, enum pk_stall_cause c)
{
	struct pk_rp_report *rep = ctx;
	(void)c;
	/* The bin holding the opening packet: bins are in packet order too. */
	uint32_t lo = 0, hi = rep->nbins;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (rep->bin[mid].first_n && rep->bin[mid].first_n <= f->first_n)
			lo = mid;
		else
			hi = mid;
	}
	if (rep->nbins)
		rep->bin[lo].stalled++;
}

static void stall_example(FILE *out, const struct pk_rs *rs, const struct pk_stall_flow *f)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	int af = f->af == PK_AF_INET6 ? AF_INET6 : AF_INET;
	inet_ntop(af, f->client, c, sizeof c);
	inet_ntop(af, f->server, s, sizeof s);
	fputs("<li><code>", out);
	pk_html_text(out, c);
	fprintf(out, ":%u → ", f->cport);
	pk_html_text(out, s);
	fprintf(out, ":%u</code> on ", f->sport);
	pk_html_text(out, pk_rs_iface_name(rs, f->in_iface));
	fprintf(out, ", from packet %llu: %llu packets out, %llu back</li>", (unsigned long long)f->first_n,
		(unsigned long long)f->pkts[0], (unsigned long long)f->pkts[1]);
}

/* Grouped as the text report groups them: cause, rule and interface, the
 * largest group first, each with its first connections. */
static void stalls(FILE *out, const struct pk_rs *rs, const struct pk_stall *s)
{
	size_t n;
	struct pk_stall_group *g = pk_stall_groups(s, rs, &n);
	fputs("<section><h2>Stalled TCP connections</h2>\n", out);
	if (!g && n)
		fputs("<p>Out of memory for the stall report.</p>", out);
	else if (!n)
		fputs("<p>Every TCP connection completed its handshake and carried traffic both ways.</p>", out);
	for (size_t i = 0; g && i < n; i++) {
		fprintf(out, "<h3>%llu on ", (unsigned long long)g[i].count);
		pk_html_text(out, pk_rs_iface_name(rs, g[i].iface));
		fputs(": ", out);
		pk_html_text(out, pk_stall_cause_text(g[i].cause));
		fputs("</h3><table><tbody><tr>", out);
		rule_cell(out, rs, g[i].rule, true);
		fputs("</tr></tbody></table><ul>", out);
		for (uint64_t k = 0; k < g[i].count && k < PK_STALL_EXAMPLES; k++)
			stall_example(out, rs, g[i].example[k]);
		if (g[i].count > PK_STALL_EXAMPLES)
			fprintf(out, "<li>and %llu more</li>", (unsigned long long)(g[i].count - PK_STALL_EXAMPLES));
		fputs("</ul>\n", out);
	}
	if (s->full)
		fputs("<p>Too many TCP connections to follow them all: this list is incomplete.</p>", out);
	fputs("</section>\n", out);
	free(g);
}

static void interfaces(FILE *out, const struct pk_rp_report *rep)
{
	fputs("<section><h2>Interfaces</h2><table class=\"sortable\" id=\"ifaces\"><thead><tr><th>interface</th>"
	      "<th class=\"n\">pass</th><th class=\"n\">block</th><th class=\"n\">reject</th><th class=\"n\">hold</th>"
	      "<th class=\"n\">bytes</th></tr></thead><tbody>\n",
	      out);
	for (uint16_t i = 0; i <= pk_rs_niface(rep->rs); i++) {
		const struct pk_report_iface *f = &rep->iface[i];
		if (!f->bytes)
			continue;
		fputs("<tr><td>", out);
		pk_html_text(out, i < pk_rs_niface(rep->rs) ? pk_rs_iface_name(rep->rs, i) : "(other)");
		fputs("</td>", out);
		for (int k = 0; k < 4; k++)
			num_cell(out, f->verdict[k]);
		num_cell(out, f->bytes);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void page(FILE *out, struct pk_rp_report *rep, const struct pk_engine *e, const struct pk_stall *s,
		 const struct pk_rp_totals *t, const struct pk_rp_report_id *id)
{
	pk_stall_report(s, place_stall, rep);
	char sub[512];
	snprintf(sub, sizeof sub, "%s, %d capture%s, %llu packets", id->rules, id->ncaptures,
		 id->ncaptures == 1 ? "" : "s", (unsigned long long)t->packets);
	pk_html_begin(out, "picket replay report", sub);
	identity(out, rep, t, id);
	chart(out, rep);
	rules(out, rep->rs, e);
	blocked_flows(out, rep);
	stalls(out, rep->rs, s);
	interfaces(out, rep);
	pk_html_end(out);
}

int pk_rp_report_write(struct pk_rp_report *rep, const char *path, const struct pk_engine *e,
		       const struct pk_stall *s, const struct pk_rp_totals *t, const struct pk_rp_report_id *id,
		       struct pk_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return pk_err_set(err, "%s: %s", path, strerror(errno));
	page(m, rep, e, s, t, id);
	fclose(m);
	struct pk_afile a;
	int rc = pk_afile_open(&a, path, 0644);
	if (rc == 0 && pk_write_all(a.fd, text, len) < 0) {
		int saved = errno;
		pk_afile_abort(&a);
		errno = saved;
		rc = -1;
	} else if (rc == 0)
		rc = pk_afile_commit(&a);
	free(text);
	if (rc < 0)
		return pk_err_set(err, "%s: cannot write the report: %s", path, strerror(errno));
	return 0;
}
