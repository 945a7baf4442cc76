/*
 * compiler/lex.c: the token stream the grammar reads (see compiler/lex.h).
 *
 * Macros are expanded the way pfctl expands them: textually, inside a word
 * (`$ext_if:network`), with the result scanned again so a macro may hold a
 * list (`"{ ssh, http }"`). Statements using a feature outside the subset
 * are reported once as `unsupported: <feature>` and skipped to their end.
 */
#include "compiler/lex.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/strmap.h"

#include "parse.h"
#include "runtime/infile.h"
#include "runtime/xalloc.h"
#include "scan.h"

#define PK_LEX_MAX_DEPTH 32
/* Bounds that keep a hostile or mistaken file from hanging the parse. */
#define PK_LEX_MAX_EXPANSION (16u << 20) /* bytes of macro text expanded */

struct pk_frame {
	yyscan_t sc;
	struct pk_scan_extra ex;
	bool is_macro;
	struct pk_loc at; /* a macro's tokens are located at its $name */
};

/* The text of a carried option as it grows: appending to a buffer, not
 * reprinting the whole text per token, which made a statement whose
 * braces never close (it runs to the end of the file) quadratic. */
struct carried {
	char *s;
	size_t len, cap;
};

struct pk_lexer {
	struct pk_frame frames[PK_LEX_MAX_DEPTH];
	unsigned nframes;
	struct pk_strmap macros; /* name -> index in values */
	const char **values;     /* arena array */
	uint32_t nvalues, valcap;
	int last_tok;
	bool skipping, suppress;
	size_t expanded;
	/* the texts of the last two tokens when they were words, for hints */
	const char *last_word, *prev_word;
	int skip_depth;
	/* a token read ahead (the end of a carried statement), handed out next */
	int pending;
	YYSTYPE pending_lval;
	YYLTYPE pending_lloc;
	/* the carried features already noted, one note each */
	const char *noted[16];
	unsigned nnoted;
	/* the statement being read, its tokens with macros expanded: what a
	 * rule holding an unsupported feature is printed back as */
	struct carried stmt;
	int stmt_depth;
	bool stmt_over, stmt_anchor;
};

/* What the lexer does with a word that is no token of the grammar: a
 * feature that changes no verdict is carried (its text handed to the
 * grammar as one CARRIED token, printed back, not evaluated), as a whole
 * statement at the start of one, or as a rule option of one value. */
enum carry { PK_CARRY_NONE, PK_CARRY_OPTION = 1, PK_CARRY_STATEMENT = 2, PK_CARRY_QUIET = 4 /* no note */ };

/* Reserved words: tokens, or features outside the subset (token 0). */
struct pk_keyword {
	const char *word;
	int tok;
	const char *unsupported; /* or, when carried (pk_carried_words), the feature's name */
};

static const struct pk_keyword pk_keywords[] = {
	{"address", ADDRESS, NULL}, {"af-to", AFTO, NULL},
	{"all", ALL, NULL}, {"allow-opts", ALLOWOPTS, NULL}, {"altq", 0, "queueing (altq)"},
	{"anchor", ANCHOR, NULL}, {"antispoof", ANTISPOOF, NULL}, {"any", ANY, NULL},
	{"binat", BINAT, NULL}, {"binat-anchor", BINATANCHOR, NULL}, {"binat-to", BINATTO, NULL},
	{"bitmask", BITMASK, NULL}, {"block", BLOCK, NULL}, {"block-policy", BLOCKPOLICY, NULL},
	{"code", CODE, NULL}, {"const", CONST, NULL}, {"counters", COUNTERS, NULL},
	{"debug", DEBUG, NULL}, {"divert-packet", DIVERTPACKET, NULL}, {"divert-reply", DIVERTREPLY, NULL},
	{"divert-to", DIVERTTO, NULL}, {"dnpipe", 0, "dummynet (dnpipe)"},
	{"dnqueue", 0, "dummynet (dnqueue)"}, {"drop", DROP, NULL}, {"dummynet-anchor", DUMMYNETANCHOR, NULL},
	{"dup-to", DUPTO, NULL}, {"expect", 0, "expect (a policy test for picket test)"},
	{"file", FILE_, NULL}, {"flags", FLAGS, NULL}, {"floating", FLOATING, NULL},
	{"flush", FLUSH, NULL}, {"for", FOR, NULL}, {"fragment", FRAGMENT, NULL}, {"from", FROM, NULL},
	{"gateway", GATEWAY, NULL}, {"global", GLOBAL, NULL}, {"group", GROUP, NULL},
	{"host", HOST, NULL}, {"hostid", HOSTID, NULL}, {"icmp-type", ICMPTYPE, NULL}, {"icmp6-type", ICMP6TYPE, NULL},
	{"if-bound", IFBOUND, NULL}, {"in", IN, NULL}, {"include", INCLUDE, NULL},
	{"inet", INET, NULL}, {"inet6", INET6, NULL}, {"interface", INTERFACE, NULL},
	{"keep", KEEP, NULL}, {"label", LABEL, NULL}, {"limit", LIMIT, NULL}, {"load", LOAD, NULL},
	{"log", LOG, NULL}, {"loginterface", LOGINTERFACE, NULL}, {"mac", MAC, NULL},
	{"match", MATCH, NULL}, {"max", MAXIMUM, NULL}, {"max-mss", MAXMSS, NULL},
	{"max-pkt-rate", 0, "max-pkt-rate"}, {"max-pkt-size", 0, "max-pkt-size"},
	{"max-src-conn", MAXSRCCONN, NULL}, {"max-src-conn-rate", MAXSRCCONNRATE, NULL},
	{"max-src-nodes", MAXSRCNODES, NULL}, {"max-src-states", MAXSRCSTATES, NULL},
	{"min-ttl", MINTTL, NULL}, {"modulate", MODULATE, NULL}, {"nat", NAT, NULL},
	{"nat-anchor", NATANCHOR, NULL}, {"nat-to", NATTO, NULL}, {"no", NO, NULL},
	{"no-df", NODF, NULL}, {"no-route", NOROUTE, NULL}, {"no-sync", NOSYNC, NULL},
	{"on", ON, NULL}, {"once", 0, "once"}, {"optimization", OPTIMIZATION, NULL},
	{"os", 0, "os fingerprints"}, {"out", OUT, NULL}, {"overload", OVERLOAD, NULL},
	{"pass", PASS, NULL}, {"peer", PEER, NULL}, {"persist", PERSIST, NULL}, {"pflow", PFLOW, NULL},
	{"port", PORT, NULL}, {"prio", 0, "prio"}, {"probability", PROBABILITY, NULL},
	{"proto", PROTO, NULL}, {"queue", 0, "queueing (queue)"}, {"quick", QUICK, NULL},
	{"random", RANDOM, NULL}, {"random-id", RANDOMID, NULL}, {"rdomain", 0, "rdomain"},
	{"rdr", RDR, NULL}, {"rdr-anchor", RDRANCHOR, NULL}, {"rdr-to", RDRTO, NULL},
	{"reassemble", REASSEMBLE, NULL}, {"received-on", RECEIVEDON, NULL},
	{"reply-to", REPLYTO, NULL}, {"return", RETURN, NULL}, {"return-icmp", RETURNICMP, NULL},
	{"return-icmp6", RETURNICMP6, NULL}, {"return-rst", RETURNRST, NULL},
	{"ridentifier", 0, "ridentifier"},
	{"round-robin", ROUNDROBIN, NULL}, {"route", ROUTE, NULL}, {"route-to", ROUTETO, NULL},
	{"rtable", 0, "rtable (routing table of the packet)"}, {"rule", RULE, NULL},
	{"ruleset-optimization", RULESETOPT, NULL},
	{"scrub", SCRUB, NULL}, {"scrub-anchor", SCRUBANCHOR, NULL}, {"self", SELF, NULL}, {"set", SET, NULL},
	{"set-prio", 0, "set prio"}, {"set-tos", SETTOS, NULL}, {"skip", SKIP, NULL},
	{"sloppy", SLOPPY, NULL}, {"source-hash", SOURCEHASH, NULL},
	{"source-track", SOURCETRACK, NULL}, {"state", STATE, NULL},
	{"state-defaults", STATEDEFAULTS, NULL}, {"state-policy", STATEPOLICY, NULL}, {"static-port", STATICPORT, NULL},
	{"sticky-address", STICKY, NULL}, {"synproxy", SYNPROXY, NULL}, {"table", TABLE, NULL},
	{"tag", TAG, NULL}, {"tagged", TAGGED, NULL}, {"timeout", TIMEOUT, NULL},
	{"to", TO, NULL}, {"tos", TOS, NULL}, {"ttl", TTL, NULL},
	{"urpf-failed", URPF, NULL}, {"user", USER, NULL}, {"via", VIA, NULL},
};

#define PK_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PK_NKEYWORDS PK_NELEM(pk_keywords)

static const struct {
	const char *word;
	uint8_t carry; /* enum carry bits */
} pk_carried_words[] = {
	{"altq", PK_CARRY_STATEMENT}, {"queue", PK_CARRY_STATEMENT | PK_CARRY_OPTION},
	{"ridentifier", PK_CARRY_OPTION}, {"dnpipe", PK_CARRY_OPTION}, {"dnqueue", PK_CARRY_OPTION},
	/* a policy test's line: `picket test` reads it from the carried statements */
	{"expect", PK_CARRY_STATEMENT | PK_CARRY_QUIET},
	{"rtable", PK_CARRY_OPTION},
};

static unsigned carry_kind(const char *word)
{
	for (size_t i = 0; i < PK_NELEM(pk_carried_words); i++)
		if (!strcmp(pk_carried_words[i].word, word))
			return pk_carried_words[i].carry;
	return PK_CARRY_NONE;
}

/* Options of `set` inside the subset; any other `set X` is unsupported. */
static const int pk_set_tokens[] = {TIMEOUT, OPTIMIZATION, LIMIT, BLOCKPOLICY, STATEPOLICY,
				    SKIP, DEBUG, HOSTID, LOGINTERFACE, RULESETOPT, STATEDEFAULTS, REASSEMBLE};

static int keyword_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct pk_keyword *)elem)->word);
}

static const struct pk_keyword *keyword_find(const char *word)
{
	return bsearch(word, pk_keywords, PK_NKEYWORDS, sizeof(pk_keywords[0]), keyword_cmp);
}

int pk_scan_word(const char *word)
{
	if (strchr(word, '$'))
		return MACROWORD;
	const struct pk_keyword *k = keyword_find(word);
	if (!k)
		return STRING;
	return k->tok ? k->tok : UNSUPPORTED;
}

void pk_scan_advance(struct pk_scan_extra *x, struct pk_loc *loc, const char *text, size_t len)
{
	loc->file = x->file;
	loc->line = x->line;
	loc->col = x->col;
	for (size_t i = 0; i < len; i++) {
		loc->end_line = x->line;
		loc->end_col = x->col;
		if (text[i] == '\n') {
			x->line++;
			x->col = 1;
		} else {
			x->col++;
		}
	}
	pk_srcmap_apply(x->map, loc);
}

char *pk_scan_text(struct pk_scan_extra *x, const char *text, size_t len)
{
	return pk_arena_strndup(x->p->arena, text, len);
}

/* pfctl's reading of a quoted string: a newline, escaped or not, is
 * dropped (the string goes on on the next line); a backslash before the
 * quote, a blank or a tab stands for that character; any other backslash
 * is kept as written. */
char *pk_scan_unquote(struct pk_scan_extra *x, const char *text, size_t len)
{
	const char quote = text[0];
	char *s = pk_arena_strndup(x->p->arena, text + 1, len - 2), *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '\\' && r[1] == '\r' && r[2] == '\n')
			r += 2;
		else if (*r == '\\' && (r[1] == quote || r[1] == ' ' || r[1] == '\t' || r[1] == '\n'))
			r++;
		if (*r == '\n' || (*r == '\r' && r[1] == '\n'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

void pk_lex_init(struct pk_parse *p)
{
	p->lex = pk_xcalloc(1, sizeof(*p->lex));
}

static void pop_frame(struct pk_lexer *l)
{
	assert(l->nframes > 0);
	pk_scan_lex_destroy(l->frames[--l->nframes].sc);
}

void pk_lex_free(struct pk_parse *p)
{
	if (!p->lex)
		return;
	while (p->lex->nframes)
		pop_frame(p->lex);
	pk_strmap_free(&p->lex->macros);
	free(p->lex->stmt.s);
	free(p->lex);
	p->lex = NULL;
}

static bool push_frame(struct pk_parse *p, const char *file, const char *text, size_t len,
		       const struct pk_loc *at)
{
	struct pk_lexer *l = p->lex;
	if (l->nframes == PK_LEX_MAX_DEPTH || (at && (l->expanded += len) > PK_LEX_MAX_EXPANSION)) {
		pk_error(p->diags, at, "%s", l->nframes == PK_LEX_MAX_DEPTH
						 ? "macros or includes nested too deeply (is a macro defined by itself?)"
						 : "macro expansion too large (do macros expand into each other?)");
		/* drop the expansion under way, back to the file */
		while (l->nframes && l->frames[l->nframes - 1].is_macro)
			pop_frame(l);
		return false;
	}
	struct pk_frame *f = &l->frames[l->nframes++];
	memset(f, 0, sizeof(*f));
	f->ex.p = p;
	f->ex.file = file;
	f->ex.line = 1;
	f->ex.col = 1;
	f->is_macro = at != NULL;
	if (at)
		f->at = *at;
	pk_scan_lex_init_extra(&f->ex, &f->sc);
	pk_scan__scan_bytes(text, (int)len, f->sc);
	return true;
}

void pk_lex_push_file(struct pk_parse *p, const char *file, const char *text, size_t len)
{
	pk_diags_add_source(p->diags, file, text, len);
	/* a last line without its newline still ends its statement */
	char *copy = pk_arena_alloc(p->arena, len + 2);
	memcpy(copy, text, len);
	copy[len] = '\n';
	push_frame(p, file, copy, len + 1, NULL);
}

void pk_lex_push_mapped(struct pk_parse *p, const char *file, const char *text, size_t len,
			const struct pk_srcmap *map)
{
	pk_lex_push_file(p, file, text, len);
	p->lex->frames[p->lex->nframes - 1].ex.map = map;
}

void pk_lex_define(struct pk_parse *p, const char *name, const char *value)
{
	struct pk_lexer *l = p->lex;
	uint32_t k = l->nvalues;
	if (!pk_strmap_get(&l->macros, name, &k)) {
		if (l->nvalues == l->valcap) {
			l->valcap = l->valcap ? l->valcap * 2 : 16;
			l->values = pk_arena_grow(p->arena, l->values, l->nvalues, l->valcap, sizeof(*l->values));
		}
		l->nvalues++;
	}
	l->values[k] = pk_arena_strdup(p->arena, value);
	pk_strmap_put(&l->macros, pk_arena_strdup(p->arena, name), k);
}

static void macro_unknown(struct pk_parse *p, const struct pk_loc *loc, const char *name)
{
	const struct pk_strmap *m = &p->lex->macros;
	const char **names = calloc(m->n + 1, sizeof(*names));
	unsigned n = 0;
	for (size_t i = 0; names && i < m->cap; i++)
		if (m->keys[i])
			names[n++] = m->keys[i];
	const char *best = names ? pk_did_you_mean(name, names, n) : NULL;
	if (best)
		pk_error(p->diags, loc, "unknown macro '$%s' (did you mean '$%s'?)", name, best);
	else
		pk_error(p->diags, loc, "unknown macro '$%s'; define it first with %s = \"...\"", name, name);
	free(names);
}

/* The text of a word with every $name replaced by its value. */
static char *macro_expand(struct pk_parse *p, const struct pk_loc *loc, const char *w)
{
	size_t cap = strlen(w) + 64, n = 0;
	char *out = pk_xmalloc(cap);
	while (*w) {
		const char *val = NULL, *name_end = w;
		char name[256];
		if (*w == '$') {
			name_end = w + 1;
			while ((*name_end >= 'a' && *name_end <= 'z') || (*name_end >= 'A' && *name_end <= 'Z') ||
			       (*name_end >= '0' && *name_end <= '9') || *name_end == '_')
				name_end++;
			size_t nl = (size_t)(name_end - w - 1);
			if (nl >= sizeof(name))
				nl = sizeof(name) - 1;
			memcpy(name, w + 1, nl);
			name[nl] = '\0';
			uint32_t k;
			if (nl && pk_strmap_get(&p->lex->macros, name, &k))
				val = p->lex->values[k];
			else if (nl)
				macro_unknown(p, loc, name);
			else
				pk_error(p->diags, loc, "'$' must start a macro name ($name); quote it to mean a dollar sign");
			if (!val)
				val = "";
		} else {
			name_end = w + 1;
		}
		size_t add = val ? strlen(val) : 1;
		if (n + add > PK_LEX_MAX_EXPANSION)
			add = 0;
		if (n + add + 1 > cap) {
			cap = (n + add + 1) * 2;
			out = pk_xrealloc(out, cap);
		}
		if (val)
			memcpy(out + n, val, add);
		else if (add)
			out[n] = *w;
		n += add;
		w = name_end;
	}
	out[n] = '\0';
	return out;
}

static bool is_set_option(int tok)
{
	for (size_t i = 0; i < sizeof(pk_set_tokens) / sizeof(pk_set_tokens[0]); i++)
		if (pk_set_tokens[i] == tok)
			return true;
	return false;
}

/* Skip the rest of an unsupported statement (braces balanced). */
static void lex_skip_statement(struct pk_parse *p)
{
	p->lex->skipping = true;
	p->lex->suppress = true;
	p->lex->skip_depth = 0;
}

static void start_skip(struct pk_parse *p, const struct pk_loc *loc, const char *feature)
{
	pk_unsupported(p->diags, loc, feature);
	lex_skip_statement(p);
}

static int include_file(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc);

/* One raw token from the top frame, frames popped at their end. */
static int raw_token(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc)
{
	struct pk_lexer *l = p->lex;
	if (l->pending) {
		int tok = l->pending;
		l->pending = 0;
		*lval = l->pending_lval;
		*lloc = l->pending_lloc;
		return tok;
	}
	while (l->nframes) {
		struct pk_frame *f = &l->frames[l->nframes - 1];
		int tok = pk_scan_lex(lval, lloc, f->sc);
		if (f->is_macro)
			*lloc = f->at;
		if (tok)
			return tok;
		pop_frame(l);
	}
	return 0;
}

/* The text of a raw token as written, for a carried option. */
static const char *tok_text(struct pk_parse *p, int tok, const YYSTYPE *lval)
{
	static const struct {
		int tok;
		const char *text;
	} ops[] = {{NE, "!="}, {LE, "<="}, {GE, ">="}, {XRANGE, "<>"}, {IRANGE, "><"}, {ARROW, "->"}};
	if (tok > 0 && tok < 256)
		return pk_arena_printf(p->arena, "%c", tok);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].tok == tok)
			return ops[i].text;
	const char *s = lval->str ? lval->str : "";
	/* a word that would not scan back as one is written quoted */
	bool plain = *s;
	for (const char *c = s; *c; c++)
		plain &= *c > ' ' && !strchr("\"'#(){}<>!=/,\\$", *c);
	return plain ? s : pk_arena_printf(p->arena, "\"%s\"", s);
}

static void carry_note(struct pk_parse *p, const struct pk_loc *loc, const char *feature)
{
	struct pk_lexer *l = p->lex;
	for (unsigned i = 0; i < l->nnoted; i++)
		if (!strcmp(l->noted[i], feature))
			return;
	if (l->nnoted < sizeof(l->noted) / sizeof(l->noted[0]))
		l->noted[l->nnoted++] = feature;
	pk_diag_add(p->diags, PK_SEV_NOTE, loc, NULL,
		    "%s changes no verdict: it is kept and printed back, not evaluated", feature);
}

/* One raw token with macros expanded, for the carried text. */
static int carry_tok(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc)
{
	int tok;
	while ((tok = raw_token(p, lval, lloc)) == MACROWORD) {
		char *text = macro_expand(p, lloc, lval->str);
		char *copy = pk_arena_strdup(p->arena, text);
		free(text);
		push_frame(p, lloc->file, copy, strlen(copy), lloc);
	}
	return tok;
}

static void carried_add(struct carried *c, const char *sep, const char *t)
{
	const size_t n = strlen(sep) + strlen(t);
	if (c->len + n + 1 > c->cap) {
		c->cap = 2 * (c->len + n + 1);
		c->s = pk_xrealloc(c->s, c->cap);
	}
	c->len += (size_t)snprintf(c->s + c->len, c->cap - c->len, "%s%s", sep, t);
}

/* Whether token tok follows the text so far without a blank: a comma, a
 * closing parenthesis, after an opening one, and around '/' (10/8, S/SA). */
static bool tight_after(int tok, const char *s, size_t len)
{
	return tok == ',' || tok == ')' || tok == '/' || (len && (s[len - 1] == '(' || s[len - 1] == '/'));
}

/* word, then the tokens of a carried option's value (one word, or a
 * parenthesised group), or of the rest of a carried statement (to the end
 * of its line, braces balanced; the end is read ahead and kept pending). */
static char *carry_text(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc, const char *word, bool statement)
{
	struct pk_lexer *l = p->lex;
	struct carried c = {0};
	int depth = 0;
	carried_add(&c, "", word);
	for (;;) {
		int tok = carry_tok(p, lval, lloc);
		if (!tok || (tok == '\n' && (statement ? depth <= 0 : true)) || (!statement && tok == ')' && !depth)) {
			l->pending = tok;
			l->pending_lval = *lval;
			l->pending_lloc = *lloc;
			break;
		}
		depth += (tok == '(' || tok == '{') - (tok == ')' || tok == '}');
		const char *t = tok_text(p, tok, lval);
		bool tight = tight_after(tok, c.s, c.len);
		carried_add(&c, c.len && !tight ? " " : "", t);
		if (!statement && depth <= 0)
			break;
	}
	char *text = pk_arena_strndup(p->arena, c.s, c.len);
	free(c.s);
	return text;
}

/* A carried feature met at word (its keyword read): the CARRIED token,
 * or CARRIEDSTMT for a statement of its own. */
static int carry(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc, const char *word, const char *feature,
		 bool statement)
{
	struct pk_loc at = *lloc;
	if (feature)
		carry_note(p, &at, feature);
	char *text = carry_text(p, lval, lloc, word, statement);
	lval->str = text;
	*lloc = at;
	lloc->end_line = p->lex->pending_lloc.line;
	lloc->end_col = p->lex->pending_lloc.col;
	return statement ? CARRIEDSTMT : CARRIED;
}

/* Rule options `set prio`, `set queue`, `set delay`, `set tos` change no
 * verdict; statement `set fingerprints`, `set require-order`, `set
 * keepcounters`, `set syncookies` neither. */
static const char *const pk_carried_set_options[] = {"prio", "queue", "delay", "tos"};
static const char *const pk_carried_set_statements[] = {"fingerprints", "require-order", "keepcounters",
							"syncookies", "fail-policy"};

static bool in(const char *word, const char *const *list, size_t n)
{
	for (size_t i = 0; word && i < n; i++)
		if (!strcmp(word, list[i]))
			return true;
	return false;
}

/* Follows the statement's tokens (text as written, macros expanded). A
 * newline inside braces or parentheses does not end it; an anchor's
 * opening brace does (its rules are statements of their own), and so
 * does the brace closing it. */
static void stmt_track(struct pk_parse *p, int tok, const char *text)
{
	struct pk_lexer *l = p->lex;
	if (l->stmt_over) {
		l->stmt.len = 0;
		l->stmt_depth = 0;
		l->stmt_over = false;
		p->stmt_unsupported = NULL;
	}
	if (tok == '\n' || !tok) {
		l->stmt_over = l->stmt_depth <= 0 || !tok;
		return;
	}
	if (!l->stmt.len)
		l->stmt_anchor = tok == ANCHOR || tok == NATANCHOR || tok == RDRANCHOR || tok == BINATANCHOR ||
				 tok == SCRUBANCHOR || tok == DUMMYNETANCHOR;
	l->stmt_depth += (tok == '(' || tok == '{') - (tok == ')' || tok == '}');
	if ((tok == '{' && l->stmt_anchor) || l->stmt_depth < 0) {
		l->stmt_over = true;
		return;
	}
	bool tight = tight_after(tok, l->stmt.s, l->stmt.len);
	carried_add(&l->stmt, l->stmt.len && !tight ? " " : "", text);
}

const char *pk_lex_statement(struct pk_parse *p)
{
	const struct carried *c = &p->lex->stmt;
	return pk_arena_strndup(p->arena, c->len ? c->s : "", c->len);
}

/* An option outside the subset inside a rule: reported, the rest of the
 * statement read as written, and the rule kept as far as it was parsed,
 * flagged (p->stmt_unsupported) so check, lint and print go on with it.
 * Returns the text read, for the statement's. */
static const char *unsupported_option(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc, const struct pk_keyword *k)
{
	struct pk_loc at = *lloc;
	pk_unsupported(p->diags, &at, k->unsupported);
	p->stmt_unsupported = k->unsupported;
	const char *text = carry_text(p, lval, lloc, k->word, true);
	lval->str = (char *)k->unsupported;
	*lloc = at;
	/* what the grammar cannot take after it is not worth a second message */
	p->lex->suppress = true;
	return text;
}

int pk_yylex(YYSTYPE *lval, YYLTYPE *lloc, struct pk_parse *p)
{
	struct pk_lexer *l = p->lex;
	for (;;) {
		const char *as_read = NULL; /* the token's text for the statement's, when not as scanned */
		int tok = raw_token(p, lval, lloc);
		if (tok == MACROWORD) {
			char *text = macro_expand(p, lloc, lval->str);
			char *copy = pk_arena_strdup(p->arena, text);
			free(text);
			push_frame(p, lloc->file, copy, strlen(copy), lloc);
			continue;
		}
		if (l->skipping) {
			if (tok == '{')
				l->skip_depth++;
			else if (tok == '}')
				l->skip_depth--;
			if (tok && (tok != '\n' || l->skip_depth > 0))
				continue;
			l->skipping = false;
		} else if (tok == UNSUPPORTED) {
			const struct pk_keyword *k = keyword_find(lval->str);
			bool at_start = l->last_tok == '\n' || l->last_tok == 0;
			const unsigned kind = carry_kind(k->word);
			if (kind & (at_start ? PK_CARRY_STATEMENT : PK_CARRY_OPTION)) {
				tok = carry(p, lval, lloc, k->word, kind & PK_CARRY_QUIET ? NULL : k->unsupported, at_start);
				as_read = lval->str;
			} else if (!at_start) {
				as_read = unsupported_option(p, lval, lloc, k);
			} else {
				start_skip(p, lloc, k->unsupported);
				continue;
			}
		} else if (tok == SET && l->last_tok != '\n' && l->last_tok != 0) {
			/* `set prio`, `set tos` ... inside a rule */
			struct pk_loc at = *lloc;
			int next = raw_token(p, lval, lloc);
			if (in(lval->str, pk_carried_set_options, PK_NELEM(pk_carried_set_options))) {
				*lloc = at;
				const char *word = pk_arena_printf(p->arena, "set %s", lval->str);
				tok = carry(p, lval, lloc, word, word, false);
				stmt_track(p, tok, lval->str);
				l->last_tok = tok;
				return tok;
			}
			const char *what = pk_arena_printf(p->arena, "set %s (rule option)",
							   lval->str ? lval->str : "...");
			start_skip(p, &at, what);
			if (next == '\n' || !next) {
				l->skipping = false;
				l->last_tok = next;
				return next;
			}
			continue;
		} else if (l->last_tok == SET && in(lval->str, pk_carried_set_statements, PK_NELEM(pk_carried_set_statements))) {
			tok = carry(p, lval, lloc, lval->str, pk_arena_printf(p->arena, "set %s", lval->str), true);
			as_read = lval->str;
		} else if (l->last_tok == SET && !is_set_option(tok) && tok != '\n' && tok) {
			/* every option pf has is a token or kept as written: this is none */
			pk_error(p->diags, lloc, "'set %s' is no pf option", lval->str ? lval->str : "...");
			lex_skip_statement(p);
			continue;
		} else if (tok == INCLUDE) {
			tok = include_file(p, lval, lloc);
			if (tok < 0)
				continue;
		}
		if (tok != '\n' && l->last_tok == '\n')
			l->suppress = false;
		stmt_track(p, tok, as_read ? as_read : tok_text(p, tok, lval));
		l->last_tok = tok;
		l->prev_word = l->last_word;
		l->last_word = tok == STRING ? lval->str : NULL;
		return tok;
	}
}

/* True while the statement being parsed was already reported unsupported
 * (its syntax error is then not worth a second message). */
static int suppressed(const struct pk_parse *p)
{
	return p->lex->suppress;
}

static const char *current_file(const struct pk_parse *p)
{
	for (unsigned i = p->lex->nframes; i-- > 0;)
		if (!p->lex->frames[i].is_macro)
			return p->lex->frames[i].ex.file;
	return NULL;
}

char *pk_lex_host_path(struct pk_arena *a, const char *root, const char *path)
{
	return root && path[0] == '/' ? pk_arena_printf(a, "%s%s", root, path) : pk_arena_strdup(a, path);
}

/* include "file": relative names are taken from the including file's
 * directory first, then the working directory (pfctl's behaviour). */
char *pk_lex_path_from(struct pk_parse *p, const char *cur, const char *name)
{
	const char *slash = cur ? strrchr(cur, '/') : NULL;
	if (name[0] == '/')
		return pk_lex_host_path(p->arena, p->root, name);
	if (!slash)
		return pk_arena_strdup(p->arena, name);
	char *cand = pk_arena_printf(p->arena, "%.*s/%s", (int)(slash - cur), cur, name);
	FILE *f = fopen(cand, "r");
	if (!f)
		return pk_arena_strdup(p->arena, name);
	fclose(f);
	return cand;
}

/* Through runtime/infile.h, so a rule, included, table or topology file is
 * refused with the same words as every other input (a directory, a device,
 * over 64 MiB, binary data, a compiled ruleset). */
char *pk_lex_read_file(struct pk_arena *a, const char *path, size_t *len, struct pk_err *err)
{
	struct pk_infile f;
	if (pk_infile_read(path, PK_INFILE_TEXT, &f, err))
		return NULL;
	char *copy = pk_arena_strndup(a, f.data, f.len);
	*len = f.len;
	pk_infile_free(&f);
	return copy;
}

/* Returns the token to hand the parser, or -1 when the include was taken. */
static int include_file(struct pk_parse *p, YYSTYPE *lval, YYLTYPE *lloc)
{
	struct pk_loc at = *lloc;
	int tok = raw_token(p, lval, lloc);
	if (tok != STRING) {
		pk_error(p->diags, &at, "include needs a quoted file name: include \"file\"");
		return tok;
	}
	char *path = pk_lex_path_from(p, current_file(p), lval->str);
	size_t len;
	struct pk_err err;
	char *text = pk_lex_read_file(p->arena, path, &len, &err);
	at.end_line = lloc->end_line;
	at.end_col = lloc->end_col;
	if (!text) {
		pk_error(p->diags, &at, "cannot read included file '%s': %s", path, err.msg);
		return -1;
	}
	pk_lex_push_file(p, path, text, len);
	return -1;
}

void pk_yyerror(const YYLTYPE *loc, struct pk_parse *p, const char *msg)
{
	if (suppressed(p))
		return;
	/* bison's wording, with the newline token named for people */
	const char *m = !strncmp(msg, "syntax error, ", 14) ? msg + 14 : msg;
	char buf[512];
	size_t n = 0;
	for (; *m && n < sizeof(buf) - 16; m++) {
		if (!strncmp(m, "'\\n'", 4)) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "end of line");
			m += 3;
		} else {
			buf[n++] = *m;
		}
	}
	buf[n] = '\0';
	/* a misspelt keyword is a word where a keyword was due; at the start
	 * of a line it reads as a macro name, so the parser wants '=' next */
	const char *word = strstr(buf, "expecting '='") ? p->lex->prev_word : p->lex->last_word;
	const char *best = NULL;
	if (word) {
		const char *words[PK_NKEYWORDS];
		for (size_t i = 0; i < PK_NKEYWORDS; i++)
			words[i] = pk_keywords[i].word;
		best = pk_did_you_mean(word, words, PK_NKEYWORDS);
	}
	if (best)
		pk_error(p->diags, loc, "syntax error: %s ('%s' is not a keyword: did you mean '%s'?)", buf, word, best);
	else
		pk_error(p->diags, loc, "syntax error: %s", buf);
}
