/*
 * grammar/parse.y: the rule language (pf.conf's, see picket.conf(5)).
 *
 * Grammar only: every action hands what it matched to a constructor in
 * compiler/ast.c, which records it with its location. A line that does not
 * parse is reported and skipped (resynchronising at the end of the line),
 * so one run reports every error of a file.
 */
%define api.pure full
%define api.location.type {struct pk_loc}
%define parse.error verbose
/* Three shift/reduce conflicts, all one: a route option right after the
 * interface may start FreeBSD's route-to-before-af form (shift) or be a
 * filter option after an empty af/proto/from/to (reduce); both give the
 * same rule, and bison's shift takes the first. */
%expect 3
%locations
%parse-param {struct pk_parse *p}
%lex-param {struct pk_parse *p}

%code requires {
#include "compiler/ast.h"
#include "compiler/ir.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                 \
	do {                                                        \
		if (N) {                                            \
			(Cur) = YYRHSLOC(Rhs, 1);                   \
			(Cur).end_line = YYRHSLOC(Rhs, N).end_line; \
			(Cur).end_col = YYRHSLOC(Rhs, N).end_col;   \
		} else {                                            \
			(Cur) = YYRHSLOC(Rhs, 0);                   \
			(Cur).line = (Cur).end_line;                \
			(Cur).col = (Cur).end_col;                  \
		}                                                   \
	} while (0)
}

%code provides {
int pk_yylex(YYSTYPE *lval, YYLTYPE *lloc, struct pk_parse *p);
void pk_yyerror(const YYLTYPE *loc, struct pk_parse *p, const char *msg);
}

%code {
#define yylex pk_yylex
#define yyerror pk_yyerror
}

%union {
	char *str;
	int num;
	struct pk_ast_host *host;
	struct pk_ast_port *port;
	struct pk_ast_item *item;
	struct pk_ast_opt *opt;
	struct pk_ast_table *table;
	struct pk_ast_iface *iface;
	struct pk_ast_act act;
	struct pk_ast_ipp ipp;
	struct pk_ast_fromto ft;
	struct pk_ast_body *body;
	struct pk_ast_logquick lq;
	struct pk_ast_tableopt tableopt;
	bool flag;
}

%token <str> STRING "word" NUMBER "number" MACROWORD BADSTRING "unterminated string" BADCHAR "stray character"
%token <str> UNSUPPORTED INCLUDE CARRIED "option kept as written" CARRIEDSTMT "statement kept as written"
%token NE "!=" LE "<=" GE ">=" XRANGE "<>" IRANGE "><" ARROW "->"
%token PASS "pass" BLOCK "block" MATCH "match" SCRUB "scrub" NAT "nat" RDR "rdr" BINAT "binat"
%token NO "no" TABLE "table" PERSIST "persist" CONST "const" COUNTERS "counters" FILE_ "file"
%token SET "set" IN "in" OUT "out" LOG "log" ALL "all" QUICK "quick" ON "on" ANY "any"
%token INET "inet" INET6 "inet6" PROTO "proto" FROM "from" TO "to" SELF "self"
%token NOROUTE "no-route" URPF "urpf-failed" PORT "port" FLAGS "flags"
%token ICMPTYPE "icmp-type" ICMP6TYPE "icmp6-type" CODE "code" TOS "tos" ALLOWOPTS "allow-opts"
%token LABEL "label" TAG "tag" TAGGED "tagged" PROBABILITY "probability"
%token KEEP "keep" MODULATE "modulate" SYNPROXY "synproxy" STATE "state"
%token DROP "drop" RETURN "return" RETURNRST "return-rst" RETURNICMP "return-icmp"
%token RETURNICMP6 "return-icmp6" TTL "ttl"
%token NATTO "nat-to" RDRTO "rdr-to" BINATTO "binat-to" ROUTETO "route-to" REPLYTO "reply-to"
%token DUPTO "dup-to" STATICPORT "static-port" ROUNDROBIN "round-robin" RANDOM "random"
%token SOURCEHASH "source-hash" BITMASK "bitmask" STICKY "sticky-address"
%token MAXIMUM "max" MAXSRCCONN "max-src-conn" MAXSRCCONNRATE "max-src-conn-rate"
%token MAXSRCSTATES "max-src-states" MAXSRCNODES "max-src-nodes" SOURCETRACK "source-track"
%token RULE "rule" GLOBAL "global" SLOPPY "sloppy" NOSYNC "no-sync" PFLOW "pflow"
%token IFBOUND "if-bound" FLOATING "floating" OVERLOAD "overload" FLUSH "flush"
%token NODF "no-df" RANDOMID "random-id" MAXMSS "max-mss" MINTTL "min-ttl" SETTOS "set-tos"
%token REASSEMBLE "reassemble" FRAGMENT "fragment"
%token TIMEOUT "timeout" OPTIMIZATION "optimization" LIMIT "limit" BLOCKPOLICY "block-policy"
%token STATEDEFAULTS "state-defaults" STATEPOLICY "state-policy" SKIP "skip" DEBUG "debug" HOSTID "hostid"
%token LOGINTERFACE "loginterface" RULESETOPT "ruleset-optimization"
%token INTERFACE "interface" ADDRESS "address" MAC "mac" ROUTE "route" VIA "via" GATEWAY "gateway"
%token ANTISPOOF "antispoof" FOR "for" GROUP "group" USER "user" PEER "peer" HOST "host"
%token ANCHOR "anchor" NATANCHOR "nat-anchor" RDRANCHOR "rdr-anchor" BINATANCHOR "binat-anchor"
%token SCRUBANCHOR "scrub-anchor" DUMMYNETANCHOR "dummynet-anchor" LOAD "load"
%token DIVERTTO "divert-to" DIVERTREPLY "divert-reply" DIVERTPACKET "divert-packet" AFTO "af-to"
%token RECEIVEDON "received-on"

%type <str> word varstring portopt topo_keyword yesno
%type <num> dir af flushopt
%type <lq> logquick
%type <lq> logopts logopt
%type <host> ipspec host_list host_item xhost_neg xhost redirhosts routehosts route_list route_host
%type <port> portspec port_list port_item
%type <item> ifspec_opt ifspec if_list if_item proto_opt proto_list timeout_item timeout_list
%type <item> icmpspec icmp_list icmp_item ifaddr_list ifaddr spoof_ifs spoof_list spoof_if group_list
%type <opt> filter_opts filter_opt statespec stateopts state_list state_opt pool_opts pool_opt
%type <opt> scrub_list scrub_opt scrub_old natarrow routeopt
%type <tableopt> tableopt
%type <table> tableopts
%type <iface> ifopts
%type <act> action blockspec natkind natbase
%type <ipp> ipportspec fromspec tospec
%type <ft> fromto
%type <num> anchorkind anchorquick
%type <str> anchorname
%type <body> anchorbody

%%

file		: %empty
		| file line
		;

line		: '\n'
		| stmt '\n'
		| error '\n'		{ yyerrok; }
		;

stmt		: varset
		| tabledef
		| setopt
		| pfrule
		| scrubrule
		| natrule
		| antispoof
		| ifacedecl
		| routedecl
		| HOST word ADDRESS ifaddr_list	{ pk_ast_add_host(p, &@$, $2, $4); }
		| CARRIEDSTMT		{ pk_ast_add_carried(p, &@$, $1); }
		| SET CARRIEDSTMT	{ pk_ast_add_carried(p, &@$, pk_ast_concat(p, "set", " ", $2)); }
		| anchorrule
		| loadrule
		;

/* The topology's keywords are picket's, not pf's: elsewhere they are words
 * (a macro named gateway, a table named peer). */
word		: STRING
		| NUMBER
		| topo_keyword
		;

topo_keyword	: INTERFACE		{ $$ = pk_ast_keyword_text(p, "interface"); }
		| ADDRESS		{ $$ = pk_ast_keyword_text(p, "address"); }
		| MAC			{ $$ = pk_ast_keyword_text(p, "mac"); }
		| VIA			{ $$ = pk_ast_keyword_text(p, "via"); }
		| GATEWAY		{ $$ = pk_ast_keyword_text(p, "gateway"); }
		| PEER			{ $$ = pk_ast_keyword_text(p, "peer"); }
		| HOST			{ $$ = pk_ast_keyword_text(p, "host"); }
		;

optnl		: %empty
		| optnl '\n'
		;

comma		: %empty
		| ','
		;

varset		: word '=' varstring	{ pk_ast_define_macro(p, &@1, $1, $3); }
		;

varstring	: word
		| varstring word	{ $$ = pk_ast_concat(p, $1, " ", $2); }
		;

/* tables */

tabledef	: TABLE '<' word '>' tableopts	{ pk_ast_add_table(p, &@$, $3, $5); }
		;

tableopts	: %empty		{ $$ = pk_ast_table_new(p); }
		| tableopts tableopt	{ pk_ast_table_opt(p, $1, &$2); $$ = $1; }
		;

tableopt	: PERSIST		{ $$ = (struct pk_ast_tableopt){.persist = true}; }
		| CONST			{ $$ = (struct pk_ast_tableopt){.is_const = true}; }
		| COUNTERS		{ $$ = (struct pk_ast_tableopt){.counters = true}; }
		| FILE_ STRING		{ $$ = (struct pk_ast_tableopt){.file = $2, .file_loc = @2}; }
		| '{' optnl '}'		{ $$ = (struct pk_ast_tableopt){.hosts = NULL}; }
		| '{' optnl host_list '}' { $$ = (struct pk_ast_tableopt){.hosts = $3}; }
		;

/* options */

setopt		: SET TIMEOUT timeout_item	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_TIMEOUT, NULL, 0, $3)); }
		| SET TIMEOUT '{' optnl timeout_list '}'
			{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_TIMEOUT, NULL, 0, $5)); }
		| SET TIMEOUT '(' optnl timeout_list ')'
			{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_TIMEOUT, NULL, 0, $5)); }
		| SET LIMIT timeout_item	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_LIMIT, NULL, 0, $3)); }
		| SET LIMIT '{' optnl timeout_list '}'
			{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_LIMIT, NULL, 0, $5)); }
		| SET OPTIMIZATION word	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_OPTIMIZATION, $3, 0, NULL)); }
		| SET BLOCKPOLICY DROP	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_BLOCK_POLICY, NULL, PK_BLOCKPOL_DROP, NULL)); }
		| SET BLOCKPOLICY RETURN { pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_BLOCK_POLICY, NULL, PK_BLOCKPOL_RETURN, NULL)); }
		| SET STATEPOLICY IFBOUND { pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_STATE_POLICY, NULL, PK_POLICY_IF_BOUND, NULL)); }
		| SET STATEPOLICY FLOATING { pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_STATE_POLICY, NULL, PK_POLICY_FLOATING, NULL)); }
		| SET SKIP ON ifspec	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_SKIP, NULL, 0, $4)); }
		| SET DEBUG word	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_DEBUG, $3, 0, NULL)); }
		| SET HOSTID word	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_HOSTID, $3, 0, NULL)); }
		| SET LOGINTERFACE word	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_LOGINTERFACE, $3, 0, NULL)); }
		| SET RULESETOPT word	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_RULESET_OPT, $3, 0, NULL)); }
		| SET REASSEMBLE yesno	{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_REASSEMBLE, $3, 0, NULL)); }
		| SET REASSEMBLE yesno NODF
			{ pk_ast_add_set(p, pk_ast_set_new(p, &@$, PK_SET_REASSEMBLE, $3, 1, NULL)); }
		| SET STATEDEFAULTS state_list
			{ struct pk_ast_set *s = pk_ast_set_new(p, &@$, PK_SET_STATE_DEFAULTS, NULL, 0, NULL);
			  s->opts = $3; pk_ast_add_set(p, s); }
		;

yesno		: word
		| NO			{ $$ = pk_ast_keyword_text(p, "no"); }
		;

timeout_item	: word word		{ $$ = pk_ast_item_new(p, &@$, false, $1, $2); }
		;

timeout_list	: timeout_item optnl
		| timeout_list comma timeout_item optnl	{ $$ = pk_ast_item_append($1, $3); }
		;

/* filter rules */

pfrule		: action dir logquick ifspec_opt af proto_opt fromto filter_opts
			{ pk_ast_filter(p, &@$, $1, $2, $3, $4, $5, $6, $7, $8); }
		/* FreeBSD's pfctl (and `pfctl -sr` there) writes route-to, reply-to
		 * and dup-to before the address family */
		| action dir logquick ifspec_opt routeopt af proto_opt fromto filter_opts
			{ pk_ast_filter(p, &@$, $1, $2, $3, $4, $6, $7, $8, pk_ast_opt_append($5, $9)); }
		;

routeopt	: ROUTETO routehosts pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_ROUTE, PK_ROUTE_TO, $2, NULL, NULL, $3); }
		| REPLYTO routehosts pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_ROUTE, PK_ROUTE_REPLY_TO, $2, NULL, NULL, $3); }
		| DUPTO routehosts pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_ROUTE, PK_ROUTE_DUP_TO, $2, NULL, NULL, $3); }
		;

action		: PASS			{ $$ = pk_ast_act_make(PK_ACT_PASS, 0, NULL, NULL, NULL); }
		| MATCH			{ $$ = pk_ast_act_make(PK_ACT_MATCH, 0, NULL, NULL, NULL); }
		| BLOCK blockspec	{ $$ = $2; }
		;

blockspec	: %empty		{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_AST_BLOCK_POLICY, NULL, NULL, NULL); }
		| DROP			{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_DROP, NULL, NULL, NULL); }
		| RETURN		{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN, NULL, NULL, NULL); }
		| RETURNRST		{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_RST, NULL, NULL, NULL); }
		| RETURNRST '(' TTL NUMBER ')'
			{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_RST, $4, NULL, NULL); }
		| RETURNICMP		{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_ICMP, NULL, NULL, NULL); }
		| RETURNICMP '(' word ')'
			{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_ICMP, NULL, $3, NULL); }
		| RETURNICMP '(' word comma word ')'
			{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_ICMP, NULL, $3, $5); }
		| RETURNICMP6		{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_ICMP6, NULL, NULL, NULL); }
		| RETURNICMP6 '(' word ')'
			{ $$ = pk_ast_act_make(PK_ACT_BLOCK, PK_BLOCK_RETURN_ICMP6, NULL, NULL, $3); }
		;

dir		: %empty		{ $$ = PK_DIR_ANY; }
		| IN			{ $$ = PK_DIR_IN; }
		| OUT			{ $$ = PK_DIR_OUT; }
		;

logquick	: %empty		{ $$ = (struct pk_ast_logquick){0}; }
		| logquick LOG		{ $$ = $1; $$.log = true; }
		| logquick LOG '(' logopts ')'
			{ $$ = $1; $$.log = true; $$.log_all |= $4.log_all; $$.log_opts = $4.log_opts; }
		| logquick QUICK	{ $$ = $1; $$.quick = true; }
		;

/* `all` changes what is logged; matches, user and to IF only how: kept as written */
logopts		: logopt
		| logopts comma logopt	{ $$ = pk_ast_logopts_join(p, $1, $3); }
		;

logopt		: ALL			{ $$ = (struct pk_ast_logquick){.log_all = true}; }
		| word			{ $$ = pk_ast_logopt(p, &@$, $1); }
		| USER			{ $$ = (struct pk_ast_logquick){.log_opts = "user"}; }
		| TO word		{ $$ = (struct pk_ast_logquick){.log_opts = pk_ast_concat(p, "to", " ", $2)}; }
		;

ifspec_opt	: %empty		{ $$ = NULL; }
		| ON ifspec		{ $$ = $2; }
		| ON ANY		{ $$ = NULL; }
		| ON UNSUPPORTED	{ $$ = NULL; /* on rdomain N: the rule is kept, flagged */ }
		;

ifspec		: if_item
		| '{' optnl if_list '}'	{ $$ = $3; }
		;

if_list		: if_item optnl
		| if_list comma if_item optnl	{ $$ = pk_ast_item_append($1, $3); }
		;

if_item		: word			{ $$ = pk_ast_item_new(p, &@$, false, $1, NULL); }
		| '!' word		{ $$ = pk_ast_item_new(p, &@$, true, $2, NULL); }
		;

af		: %empty		{ $$ = PK_AF_ANY; }
		| INET			{ $$ = PK_AF_INET; }
		| INET6			{ $$ = PK_AF_INET6; }
		;

proto_opt	: %empty		{ $$ = NULL; }
		| PROTO word		{ $$ = pk_ast_item_new(p, &@2, false, $2, NULL); }
		| PROTO '{' optnl proto_list '}'	{ $$ = $4; }
		;

proto_list	: word optnl		{ $$ = pk_ast_item_new(p, &@1, false, $1, NULL); }
		| proto_list comma word optnl
			{ $$ = pk_ast_item_append($1, pk_ast_item_new(p, &@3, false, $3, NULL)); }
		;

fromto		: ALL			{ $$ = pk_ast_fromto_make(pk_ast_ipp_make(NULL, NULL), pk_ast_ipp_make(NULL, NULL), true); }
		| fromspec tospec	{ $$ = pk_ast_fromto_make($1, $2, false); }
		;

fromspec	: %empty		{ $$ = pk_ast_ipp_make(NULL, NULL); }
		| FROM ipportspec	{ $$ = $2; }
		;

tospec		: %empty		{ $$ = pk_ast_ipp_make(NULL, NULL); }
		| TO ipportspec		{ $$ = $2; }
		;

ipportspec	: ipspec		{ $$ = pk_ast_ipp_make($1, NULL); }
		| ipspec PORT portspec	{ $$ = pk_ast_ipp_make($1, $3); }
		| PORT portspec		{ $$ = pk_ast_ipp_make(NULL, $2); }
		;

ipspec		: ANY			{ $$ = pk_ast_host_new(p, &@$, PK_H_ANY, NULL, NULL, -1); }
		| xhost_neg
		| '{' optnl host_list '}'	{ $$ = $3; }
		;

/* pfctl nests host lists, so a macro holding a list may stand in one */
host_list	: host_item optnl
		| host_list comma host_item optnl	{ $$ = pk_ast_host_append($1, $3); }
		;

host_item	: xhost_neg
		| '{' optnl host_list '}'	{ $$ = $3; }
		;

xhost_neg	: xhost
		| '!' xhost		{ $$ = pk_ast_host_neg($2, &@$); }
		;

xhost		: word			{ $$ = pk_ast_host_new(p, &@$, PK_H_ADDR, $1, NULL, -1); }
		| word '/' NUMBER	{ $$ = pk_ast_host_new(p, &@$, PK_H_ADDR, $1, $3, 0); }
		| word '-' word		{ $$ = pk_ast_host_new(p, &@$, PK_H_RANGE, $1, $3, -1); }
		| '<' word '>'		{ $$ = pk_ast_host_new(p, &@$, PK_H_TABLE, $2, NULL, -1); }
		| '(' word ')'		{ $$ = pk_ast_host_new(p, &@$, PK_H_DYN, $2, NULL, -1); }
		| '(' word ')' '/' NUMBER	{ $$ = pk_ast_host_new(p, &@$, PK_H_DYN, $2, $5, 0); }
		| '(' SELF ')'		{ $$ = pk_ast_host_new(p, &@$, PK_H_DYN, "self", NULL, -1); }
		| '(' SELF ')' '/' NUMBER	{ $$ = pk_ast_host_new(p, &@$, PK_H_DYN, "self", $5, 0); }
		| ROUTE word		{ pk_ast_unsupported(p, &@$, "route (routing label match)"); $$ = pk_ast_host_new(p, &@$, PK_H_ANY, NULL, NULL, -1); }
		| NOROUTE		{ $$ = pk_ast_host_new(p, &@$, PK_H_NOROUTE, NULL, NULL, -1); }
		| URPF			{ $$ = pk_ast_host_new(p, &@$, PK_H_URPF, NULL, NULL, -1); }
		| SELF			{ $$ = pk_ast_host_new(p, &@$, PK_H_SELF, NULL, NULL, -1); }
		;

portspec	: port_item
		| '{' optnl port_list '}'	{ $$ = $3; }
		;

port_list	: port_item optnl
		| port_list comma port_item optnl	{ $$ = pk_ast_port_append($1, $3); }
		;

port_item	: word			{ $$ = pk_ast_port_word(p, &@$, $1); }
		| '=' word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_EQ, $2, NULL); }
		| "!=" word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_NE, $2, NULL); }
		| '<' word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_LT, $2, NULL); }
		| "<=" word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_LE, $2, NULL); }
		| '>' word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_GT, $2, NULL); }
		| ">=" word		{ $$ = pk_ast_port_new(p, &@$, PK_PORT_GE, $2, NULL); }
		| word "><" word	{ $$ = pk_ast_port_new(p, &@$, PK_PORT_INSIDE, $1, $3); }
		| word "<>" word	{ $$ = pk_ast_port_new(p, &@$, PK_PORT_OUTSIDE, $1, $3); }
		;

filter_opts	: %empty		{ $$ = NULL; }
		| filter_opts filter_opt	{ $$ = pk_ast_opt_append($1, $2); }
		;

filter_opt	: FLAGS word '/' word	{ $$ = pk_ast_opt_pair(p, &@$, PK_O_FLAGS, $2, $4); }
		| FLAGS '/' word	{ $$ = pk_ast_opt_pair(p, &@$, PK_O_FLAGS, "", $3); }
		| FLAGS word		{ $$ = pk_ast_opt_new(p, &@$, PK_O_FLAGS, $2, 0); }
		| FLAGS ANY		{ $$ = pk_ast_opt_new(p, &@$, PK_O_FLAGS, NULL, 0); }
		| ICMPTYPE icmpspec	{ $$ = pk_ast_opt_list(p, &@$, PK_O_ICMP, 4, NULL, NULL, $2, NULL); }
		| ICMP6TYPE icmpspec	{ $$ = pk_ast_opt_list(p, &@$, PK_O_ICMP, 6, NULL, NULL, $2, NULL); }
		| TOS word		{ $$ = pk_ast_opt_new(p, &@$, PK_O_TOS, $2, 0); }
		| ALLOWOPTS		{ $$ = pk_ast_opt_new(p, &@$, PK_O_ALLOWOPTS, NULL, 0); }
		| LABEL word		{ $$ = pk_ast_opt_new(p, &@$, PK_O_LABEL, $2, 0); }
		| TAG word		{ $$ = pk_ast_opt_new(p, &@$, PK_O_TAG, $2, 0); }
		| TAGGED word		{ $$ = pk_ast_opt_new(p, &@$, PK_O_TAGGED, $2, 0); }
		| '!' TAGGED word	{ $$ = pk_ast_opt_new(p, &@$, PK_O_TAGGED, $3, 1); }
		| PROBABILITY word	{ $$ = pk_ast_opt_new(p, &@$, PK_O_PROB, $2, 0); }
		| CARRIED		{ $$ = pk_ast_opt_new(p, &@$, PK_O_CARRIED, $1, 0); }
		| UNSUPPORTED		{ $$ = NULL; /* reported, the rule flagged, by the lexer */ }
		| statespec
		| NATTO redirhosts portopt pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_NAT, PK_NAT_NAT_TO, $2, $3, NULL, $4); }
		| RDRTO redirhosts portopt pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_NAT, PK_NAT_RDR_TO, $2, $3, NULL, $4); }
		| BINATTO redirhosts portopt pool_opts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_NAT, PK_NAT_BINAT_TO, $2, $3, NULL, $4); }
		| routeopt
		| DIVERTTO word PORT word
			{ $$ = pk_ast_opt_pair(p, &@$, PK_O_DIVERT, $2, $4); $$->n = PK_DIVERT_TO; }
		| DIVERTREPLY		{ $$ = pk_ast_opt_new(p, &@$, PK_O_DIVERT, NULL, PK_DIVERT_REPLY); }
		| DIVERTPACKET PORT word
			{ $$ = pk_ast_opt_pair(p, &@$, PK_O_DIVERT, NULL, $3); $$->n = PK_DIVERT_PACKET; }
		| AFTO af FROM redirhosts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_AFTO, $2, $4, NULL, NULL, NULL); }
		| AFTO af FROM redirhosts TO redirhosts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_AFTO, $2, $4, NULL, NULL, NULL); $$->hosts2 = $6; }
		| RECEIVEDON word	{ $$ = pk_ast_opt_new(p, &@$, PK_O_RCVON, $2, 0); }
		| RECEIVEDON '!' word	{ $$ = pk_ast_opt_new(p, &@$, PK_O_RCVON, $3, 1); }
		| SCRUB '(' scrub_list ')'
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_SCRUB, 0, NULL, NULL, NULL, $3); }
		| FRAGMENT		{ $$ = pk_ast_opt_new(p, &@$, PK_O_FRAGMENT, NULL, 0); }
		| USER portspec		{ $$ = pk_ast_owner(p, &@$, false, $2); }
		| GROUP portspec	{ $$ = pk_ast_owner(p, &@$, true, $2); }
		;

icmpspec	: icmp_item
		| '{' optnl icmp_list '}'	{ $$ = $3; }
		;

icmp_list	: icmp_item optnl
		| icmp_list comma icmp_item optnl	{ $$ = pk_ast_item_append($1, $3); }
		;

icmp_item	: word			{ $$ = pk_ast_item_new(p, &@$, false, $1, NULL); }
		| word CODE word	{ $$ = pk_ast_item_new(p, &@$, false, $1, $3); }
		;

statespec	: NO STATE		{ $$ = pk_ast_opt_list(p, &@$, PK_O_STATE, PK_STATE_NONE, NULL, NULL, NULL, NULL); }
		| KEEP STATE stateopts	{ $$ = pk_ast_opt_list(p, &@$, PK_O_STATE, PK_STATE_KEEP, NULL, NULL, NULL, $3); }
		| MODULATE STATE stateopts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_STATE, PK_STATE_MODULATE, NULL, NULL, NULL, $3); }
		| SYNPROXY STATE stateopts
			{ $$ = pk_ast_opt_list(p, &@$, PK_O_STATE, PK_STATE_SYNPROXY, NULL, NULL, NULL, $3); }
		;

stateopts	: %empty		{ $$ = NULL; }
		| '(' state_list ')'	{ $$ = $2; }
		;

state_list	: state_opt
		| state_list comma state_opt	{ $$ = pk_ast_opt_append($1, $3); }
		;

state_opt	: MAXIMUM NUMBER	{ $$ = pk_ast_opt_new(p, &@$, PK_S_MAX, $2, 0); }
		| NOSYNC		{ $$ = pk_ast_opt_new(p, &@$, PK_S_NO_SYNC, NULL, 0); }
		| MAXSRCSTATES NUMBER	{ $$ = pk_ast_opt_new(p, &@$, PK_S_MAX_SRC_STATES, $2, 0); }
		| MAXSRCCONN NUMBER	{ $$ = pk_ast_opt_new(p, &@$, PK_S_MAX_SRC_CONN, $2, 0); }
		| MAXSRCCONNRATE NUMBER '/' NUMBER
			{ $$ = pk_ast_opt_pair(p, &@$, PK_S_MAX_SRC_CONN_RATE, $2, $4); }
		| MAXSRCNODES NUMBER	{ $$ = pk_ast_opt_new(p, &@$, PK_S_MAX_SRC_NODES, $2, 0); }
		| OVERLOAD '<' word '>' flushopt
			{ $$ = pk_ast_opt_new(p, &@$, PK_S_OVERLOAD, $3, $5); }
		| SOURCETRACK		{ $$ = pk_ast_opt_new(p, &@$, PK_S_SOURCE_TRACK, NULL, PK_SRCTRACK_NONE); }
		| SOURCETRACK RULE	{ $$ = pk_ast_opt_new(p, &@$, PK_S_SOURCE_TRACK, NULL, PK_SRCTRACK_RULE); }
		| SOURCETRACK GLOBAL	{ $$ = pk_ast_opt_new(p, &@$, PK_S_SOURCE_TRACK, NULL, PK_SRCTRACK_GLOBAL); }
		| IFBOUND		{ $$ = pk_ast_opt_new(p, &@$, PK_S_POLICY, NULL, PK_POLICY_IF_BOUND); }
		| FLOATING		{ $$ = pk_ast_opt_new(p, &@$, PK_S_POLICY, NULL, PK_POLICY_FLOATING); }
		| SLOPPY		{ $$ = pk_ast_opt_new(p, &@$, PK_S_SLOPPY, NULL, 0); }
		| PFLOW			{ $$ = pk_ast_opt_new(p, &@$, PK_S_PFLOW, NULL, 0); }
		| STRING NUMBER		{ $$ = pk_ast_opt_pair(p, &@$, PK_S_TIMEOUT, $1, $2); }
		;

flushopt	: %empty		{ $$ = 0; }
		| FLUSH			{ $$ = 1; }
		| FLUSH GLOBAL		{ $$ = 2; }
		;

redirhosts	: xhost
		| '{' optnl host_list '}'	{ $$ = $3; }
		;

routehosts	: route_host
		| '{' optnl route_list '}'	{ $$ = $3; }
		;

route_list	: route_host optnl
		| route_list comma route_host optnl	{ $$ = pk_ast_host_append($1, $3); }
		;

route_host	: xhost
		| '(' word xhost ')'	{ $$ = pk_ast_host_via(&@$, $2, $3); }
		;

portopt		: %empty		{ $$ = NULL; }
		| PORT word		{ $$ = $2; }
		;

pool_opts	: %empty		{ $$ = NULL; }
		| pool_opts pool_opt	{ $$ = pk_ast_opt_append($1, $2); }
		;

pool_opt	: BITMASK		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_BITMASK); }
		| RANDOM		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_RANDOM); }
		| SOURCEHASH		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_SOURCE_HASH); }
		| SOURCEHASH word	{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, $2, PK_POOL_SOURCE_HASH); }
		| ROUNDROBIN		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_ROUND_ROBIN); }
		| STATICPORT		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_STATIC_PORT); }
		| STICKY		{ $$ = pk_ast_opt_new(p, &@$, PK_P_POOL, NULL, PK_POOL_STICKY); }
		;

scrub_list	: scrub_opt
		| scrub_list comma scrub_opt	{ $$ = pk_ast_opt_append($1, $3); }
		;

scrub_opt	: NODF			{ $$ = pk_ast_opt_new(p, &@$, PK_C_NO_DF, NULL, 0); }
		| RANDOMID		{ $$ = pk_ast_opt_new(p, &@$, PK_C_RANDOM_ID, NULL, 0); }
		| MINTTL NUMBER		{ $$ = pk_ast_opt_new(p, &@$, PK_C_MIN_TTL, $2, 0); }
		| MAXMSS NUMBER		{ $$ = pk_ast_opt_new(p, &@$, PK_C_MAX_MSS, $2, 0); }
		| SETTOS word		{ $$ = pk_ast_opt_new(p, &@$, PK_C_SET_TOS, $2, 0); }
		| REASSEMBLE word	{ $$ = pk_ast_opt_new(p, &@$, PK_C_REASSEMBLE_TCP, $2, 0); }
		| FRAGMENT REASSEMBLE	{ $$ = pk_ast_opt_new(p, &@$, PK_C_FRAGMENT_REASSEMBLE, NULL, 0); }
		;

/* the older scrub rule: scrub in on IF all (options) */

scrubrule	: SCRUB dir logquick ifspec_opt af proto_opt fromto scrub_old
			{ pk_ast_filter(p, &@$, pk_ast_act_make(PK_ACT_SCRUB, 0, NULL, NULL, NULL), $2, $3, $4, $5, $6, $7,
					pk_ast_opt_list(p, &@8, PK_O_SCRUB, 0, NULL, NULL, NULL, $8)); }
		;

scrub_old	: %empty		{ $$ = NULL; }
		| scrub_old scrub_opt	{ $$ = pk_ast_opt_append($1, $2); }
		;

/* the older translation rules: nat/rdr/binat on IF ... -> pool */

natrule		: natkind ifspec_opt af proto_opt fromto filter_opts natarrow
			{ pk_ast_filter(p, &@$, $1, PK_DIR_ANY, (struct pk_ast_logquick){.log = $1.log}, $2, $3, $4, $5,
					pk_ast_opt_append($6, $7)); }
		;

natkind		: natbase
		| NO natbase		{ $$ = pk_ast_act_with($2, PK_AST_ACT_NO); }
		| natkind PASS		{ $$ = pk_ast_act_with($1, PK_AST_ACT_PASS); }
		| natkind LOG		{ $$ = pk_ast_act_with($1, PK_AST_ACT_LOG); }
		;

natbase		: NAT			{ $$ = pk_ast_act_make(PK_ACT_NAT, 0, NULL, NULL, NULL); }
		| RDR			{ $$ = pk_ast_act_make(PK_ACT_RDR, 0, NULL, NULL, NULL); }
		| BINAT			{ $$ = pk_ast_act_make(PK_ACT_BINAT, 0, NULL, NULL, NULL); }
		;

natarrow	: %empty		{ $$ = NULL; }
		| "->" redirhosts portopt pool_opts	{ $$ = pk_ast_arrow(p, &@$, $2, $3, $4); }
		;

/* antispoof for IF: block what claims IF's networks but arrives elsewhere */

antispoof	: ANTISPOOF logquick FOR spoof_ifs af filter_opts
			{ pk_ast_antispoof(p, &@$, $2, $4, $5, $6); }
		;

spoof_ifs	: spoof_if
		| '{' optnl spoof_list '}'	{ $$ = $3; }
		;

spoof_list	: spoof_if optnl
		| spoof_list comma spoof_if optnl	{ $$ = pk_ast_item_append($1, $3); }
		;

spoof_if	: word			{ $$ = pk_ast_item_new(p, &@$, false, $1, NULL); }
		| '(' word ')'		{ $$ = pk_ast_item_new(p, &@$, false, $2, "dynamic"); }
		;

/* anchors: their rules are flattened in place by the resolver; the rules
 * between braces go to a statement list of their own */

anchorrule	: anchorkind anchorname dir anchorquick ifspec_opt af proto_opt fromto filter_opts anchorbody
			{ pk_ast_anchor(p, &@$, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10); }
		;

anchorkind	: ANCHOR		{ $$ = PK_ANCHOR_FILTER; }
		| NATANCHOR		{ $$ = PK_ANCHOR_NAT; }
		| RDRANCHOR		{ $$ = PK_ANCHOR_RDR; }
		| BINATANCHOR		{ $$ = PK_ANCHOR_BINAT; }
		| SCRUBANCHOR		{ $$ = PK_ANCHOR_SCRUB; }
		| DUMMYNETANCHOR	{ $$ = PK_ANCHOR_DUMMYNET; }
		;

anchorname	: %empty		{ $$ = NULL; }
		| STRING
		;

anchorquick	: %empty		{ $$ = 0; }
		| QUICK			{ $$ = 1; }
		;

anchorbody	: %empty		{ $$ = NULL; }
		| '{' { pk_ast_body_open(p); } anchorlines anchorlast '}'	{ $$ = pk_ast_body_close(p); }
		;

/* a rule per line; the last may end at the closing brace */
anchorlines	: %empty
		| anchorlines '\n'
		| anchorlines anchorstmt '\n'
		| anchorlines error '\n'	{ yyerrok; }
		;

anchorlast	: %empty
		| anchorstmt
		;

anchorstmt	: pfrule
		| scrubrule
		| natrule
		| antispoof
		| tabledef
		| anchorrule
		;

loadrule	: LOAD ANCHOR STRING FROM STRING	{ pk_ast_load(p, &@$, $3, $5); }
		;

/* topology */

ifacedecl	: INTERFACE word ifopts	{ pk_ast_add_iface(p, &@$, $2, $3); }
		;

ifopts		: %empty		{ $$ = pk_ast_iface_new(p); }
		| ifopts ADDRESS ifaddr_list	{ $$ = pk_ast_iface_addrs($1, $3); }
		| ifopts PEER ifaddr_list	{ $$ = pk_ast_iface_peers($1, $3); }
		| ifopts MAC word	{ $$ = pk_ast_iface_mac($1, $3, &@3); }
		| ifopts GROUP group_list	{ $$ = pk_ast_iface_groups($1, $3); }
		;

group_list	: word			{ $$ = pk_ast_item_new(p, &@$, false, $1, NULL); }
		| group_list ',' word	{ $$ = pk_ast_item_append($1, pk_ast_item_new(p, &@3, false, $3, NULL)); }
		;

ifaddr_list	: ifaddr
		| ifaddr_list ',' ifaddr	{ $$ = pk_ast_item_append($1, $3); }
		;

ifaddr		: word			{ $$ = pk_ast_item_new(p, &@$, false, $1, NULL); }
		| word '/' NUMBER	{ $$ = pk_ast_item_new(p, &@$, false, pk_ast_concat(p, $1, "/", $3), NULL); }
		;

routedecl	: ROUTE ifaddr VIA word	{ pk_ast_add_route(p, &@$, $2, $4, NULL, NULL); }
		| ROUTE ifaddr VIA word GATEWAY word	{ pk_ast_add_route(p, &@$, $2, $4, $6, &@6); }
		;

%%
