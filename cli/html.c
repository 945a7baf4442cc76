/* cli/html.c: the frame, style and escaping of picket's HTML pages. */
#include "cli/html.h"

#include <stdio.h>

#include "runtime/sha256.h"

static const char style[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d232a;background:#f6f7f9}"
	"header{background:#1d2b3a;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}"
	"header p{margin:4px 0 0;color:#c9d3de;font-size:13px}"
	"main{padding:8px 24px 40px;max-width:1280px}"
	"section{background:#fff;border:1px solid #dde2e8;border-radius:6px;margin:16px 0;padding:12px 16px}"
	"h2{font-size:16px;margin:4px 0 10px}h3{font-size:14px;margin:12px 0 4px}"
	"table{border-collapse:collapse;width:100%;font-size:13px}"
	"th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}"
	"th{background:#f0f2f5;position:sticky;top:0}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"table.sortable th{cursor:pointer}table.sortable th:hover{background:#e2e7ee}"
	"code,pre{font:12px/1.4 ui-monospace,'DejaVu Sans Mono',monospace}"
	"pre{background:#f6f8fa;border:1px solid #e4e8ee;padding:8px;overflow:auto;margin:4px 0}"
	".pass{color:#1b7f3b}.block{color:#b42318}.reject{color:#c4620a}.hold{color:#5b6470}"
	".error{color:#b42318;font-weight:600}.warning{color:#a15c07;font-weight:600}.note{color:#35608f}"
	".legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;"
	"height:10px;margin-right:4px;vertical-align:-1px}"
	".kv td:first-child{color:#5b6470;width:14em}details summary{cursor:pointer}"
	"svg text{font:11px system-ui,sans-serif;fill:#5b6470}";

/* Sorts a table.sortable by the clicked column: by data-v when the cells
 * carry one (numbers), else by text; a second click reverses. */
static const char script[] =
	"document.querySelectorAll('table.sortable').forEach(function(t){"
	"t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){"
	"var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='a'?-1:1;"
	"th.dataset.dir=d>0?'a':'d';r.sort(function(x,y){var p=x.cells[i],q=y.cells[i];"
	"if(p.dataset.v!==undefined)return d*(Number(p.dataset.v)-Number(q.dataset.v));"
	"return d*p.textContent.localeCompare(q.textContent);});"
	"r.forEach(function(e){b.appendChild(e);});});});});";

void pk_html_text(FILE *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
}

void pk_html_begin(FILE *out, const char *title, const char *subtitle)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>",
	      out);
	pk_html_text(out, title);
	fprintf(out, "</title>\n<style>%s</style></head>\n<body>\n<header><h1>", style);
	pk_html_text(out, title);
	fputs("</h1><p>", out);
	pk_html_text(out, subtitle);
	fputs("</p></header>\n<main>\n", out);
}

void pk_html_end(FILE *out) { fprintf(out, "</main>\n<script>%s</script>\n</body></html>\n", script); }

void pk_html_count(FILE *out, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			fputs("&#8201;", out);
		fputc(digits[i], out);
	}
}

int pk_html_file_sha256(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct pk_sha256 s;
	uint8_t buf[1 << 16], sum[32];
	size_t got;
	pk_sha256_init(&s);
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		pk_sha256_update(&s, buf, got);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return -1;
	pk_sha256_final(&s, sum);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	return 0;
}
