/*
 * configxml/mvc.c: OPNsense's Firewall > Rules (new), the MVC model at
 * OPNsense/Firewall/Filter/rules/rule, read by rewriting each rule as the
 * legacy <filter><rule> it stands for, so rules.c writes both alike. They
 * follow the legacy rules of their tab, in the order of <sequence>.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

static const xmlNode *mvc_rules(const struct cx *c)
{
	const xmlNode *fw = cx_child(cx_child(c->root, "OPNsense"), "Firewall");
	return cx_child(cx_child(fw, "Filter"), "rules");
}

static void add(xmlNode *to, const char *tag, const char *value)
{
	xmlNode *k = xmlNewChild(to, NULL, (const xmlChar *)tag, NULL);
	if (value)
		xmlNodeAddContent(k, (const xmlChar *)value);
}

static bool on(struct cx *c, const xmlNode *r, const char *tag)
{
	return cx_flag(c, r, tag);
}

/* source_net/_not/_port as a legacy <source> or <destination>. */
static void end(struct cx *c, xmlNode *to, const xmlNode *r, const char *side, const char *tag)
{
	xmlNode *e = xmlNewChild(to, NULL, (const xmlChar *)tag, NULL);
	const char *net = cx_text(c, r, pk_arena_printf(c->a, "%s_net", side));
	const char *port = cx_text(c, r, pk_arena_printf(c->a, "%s_port", side));
	if (!net || !*net || !strcmp(net, "any"))
		add(e, "any", NULL);
	else
		add(e, "network", net);
	if (on(c, r, pk_arena_printf(c->a, "%s_not", side)))
		add(e, "not", "1");
	if (port && *port)
		add(e, "port", port);
}

static const char *lower(struct cx *c, const char *s)
{
	char *l = pk_arena_strdup(c->a, s ? s : "");
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* Flags and values that keep their name in the legacy rule. */
static const char *const same[] = {"gateway", "icmptype", "tag", "tagged", "max", "max-src-nodes", "max-src-conn",
				   "max-src-states", "max-src-conn-rate", "max-src-conn-rates", "statetimeout",
				   "tcpflags1", "tcpflags2", "tcpflags_any", "allowopts", "disablereplyto", "log", "nosync"};

static void rewrite(struct cx *c, xmlNode *filter, const xmlNode *r)
{
	xmlNode *n = xmlNewChild(filter, NULL, (const xmlChar *)"rule", NULL);
	n->line = r->line;
	const char *ifs = cx_text(c, r, "interface"), *st = cx_text(c, r, "statetype");
	bool many = !ifs || !*ifs || strchr(ifs, ',');
	/* a rule on one interface that is not quick is what a floating rule is */
	if (many || on(c, r, "interfacenot") || !on(c, r, "quick"))
		add(n, "floating", "yes");
	if (on(c, r, "quick"))
		add(n, "quick", "1");
	if (!on(c, r, "enabled"))
		add(n, "disabled", "1");
	add(n, "type", cx_text(c, r, "action"));
	add(n, "interface", ifs);
	add(n, "direction", cx_text(c, r, "direction"));
	add(n, "ipprotocol", cx_text(c, r, "ipprotocol"));
	add(n, "protocol", lower(c, cx_text(c, r, "protocol")));
	add(n, "descr", cx_text(c, r, "description"));
	add(n, "statetype", st && *st && strcmp(st, "none") ? pk_arena_printf(c->a, "%s state", st) : st);
	end(c, n, r, "source", "source");
	end(c, n, r, "destination", "destination");
	for (size_t k = 0; k < sizeof(same) / sizeof(*same); k++) {
		const char *v = cx_text(c, r, same[k]);
		if (v && *v && strcmp(v, "0"))
			add(n, same[k], v);
	}
	if (on(c, r, "interfacenot"))
		cx_note(c, r, "an MVC rule on every interface but '%s' is read as a rule on any interface", ifs ? ifs : "");
}

struct seq_rule {
	long seq;
	const xmlNode *r;
};

static int by_seq(const void *a, const void *b)
{
	const struct seq_rule *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cx_mvc_rules_read(struct cx *c)
{
	unsigned n = 0, k = 0;
	cx_each(r, mvc_rules(c), "rule")
		n++;
	if (!n || c->product != CX_OPNSENSE)
		return;
	struct seq_rule *v = pk_arena_array(c->a, n, sizeof(*v));
	cx_each(r, mvc_rules(c), "rule")
		v[k++] = (struct seq_rule){.seq = atol(cx_text(c, r, "sequence") ? cx_text(c, r, "sequence") : "0"), .r = r};
	qsort(v, n, sizeof(*v), by_seq);
	xmlNode *filter = (xmlNode *)cx_child(c->root, "filter");
	if (!filter)
		filter = xmlNewChild(c->root, NULL, (const xmlChar *)"filter", NULL);
	for (k = 0; k < n; k++)
		rewrite(c, filter, v[k].r);
}
