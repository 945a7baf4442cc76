/*
 * configxml/system.c: System > Advanced > Firewall & NAT as `set` lines
 * (reference §5.1 and §7): optimization profile, timeouts, adaptive
 * timeouts, state table size, state policy.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "configxml/cx.h"

/* <system> element -> pf timeout, in filter.inc's order. */
static const struct {
	const char *tag, *pf;
} timeouts[] = {
	{"tcpfirsttimeout", "tcp.first"},     {"tcpopeningtimeout", "tcp.opening"},
	{"tcpestablishedtimeout", "tcp.established"}, {"tcpclosingtimeout", "tcp.closing"},
	{"tcpfinwaittimeout", "tcp.finwait"}, {"tcpclosedtimeout", "tcp.closed"},
	{"tcptsdifftimeout", "tcp.tsdiff"},   {"udpfirsttimeout", "udp.first"},
	{"udpsingletimeout", "udp.single"},   {"udpmultipletimeout", "udp.multiple"},
	{"icmpfirsttimeout", "icmp.first"},   {"icmperrortimeout", "icmp.error"},
	{"otherfirsttimeout", "other.first"}, {"othersingletimeout", "other.single"},
	{"othermultipletimeout", "other.multiple"},
};

static bool numeric(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void write_optimization(struct cx *c, const xmlNode *sys)
{
	const char *o = cx_text(c, sys, "optimization");
	const xmlNode *at = cx_child(sys, "optimization");
	if (!o || !*o)
		o = "normal";
	static const char *const known[] = {"normal", "high-latency", "aggressive", "conservative", "satellite"};
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(o, known[i])) {
			cx_line(c, at, NULL, "set optimization %s", o);
			/* filter.inc adds these to pf's own conservative values */
			if (!strcmp(o, "conservative"))
				cx_line(c, at, NULL, "set timeout { udp.first 300, udp.single 150, udp.multiple 900 }");
			return;
		}
	cx_error(c, at, "unknown firewall optimization '%s' (normal, high-latency, aggressive or conservative)", o);
}

static void write_timeouts(struct cx *c, const xmlNode *sys)
{
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(*timeouts); i++) {
		const char *v = cx_text(c, sys, timeouts[i].tag);
		if (numeric(v))
			cx_line(c, cx_child(sys, timeouts[i].tag), NULL, "set timeout %s %s", timeouts[i].pf, v);
	}
	const char *as = cx_text(c, sys, "adaptivestart"), *ae = cx_text(c, sys, "adaptiveend");
	if (numeric(as) && numeric(ae))
		cx_line(c, cx_child(sys, "adaptivestart"), NULL, "set timeout { adaptive.start %s, adaptive.end %s }", as, ae);
	else if (c->product == CX_OPNSENSE)
		/* OPNsense turns adaptive timeouts off unless both are set */
		cx_line(c, sys, NULL, "set timeout { adaptive.start 0, adaptive.end 0 }");
}

static void write_limits(struct cx *c, const xmlNode *sys)
{
	static const struct {
		const char *tag, *pf;
	} limits[] = {{"maximumstates", "states"}, {"maximumtableentries", "table-entries"}, {"maximumfrags", "frags"}};
	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
		const char *v = cx_text(c, sys, limits[i].tag);
		if (numeric(v))
			cx_line(c, cx_child(sys, limits[i].tag), NULL, "set limit %s %s", limits[i].pf, v);
	}
	if (!numeric(cx_text(c, sys, "maximumstates")))
		cx_line(c, sys, NULL, "# state table size: the product's default, 10%% of the box's memory");
}

/* FreeBSD's pf binds states to no interface (floating) unless told:
 * pfSense wrote no state-policy before 2.8 (config version 24), and
 * OPNsense writes if-bound only when System > Settings asks for it. */
static void write_policy(struct cx *c, const xmlNode *sys)
{
	const char *p = cx_text(c, sys, "statepolicy");
	const xmlNode *at = cx_child(sys, "statepolicy");
	const char *v = cx_text(c, c->root, "version");
	bool if_bound_default = c->product == CX_PFSENSE && v && strtod(v, NULL) >= 24.0;
	if (c->product == CX_OPNSENSE)
		cx_line(c, sys, NULL, "set state-policy %s", cx_flag(c, sys, "state-policy") ? "if-bound" : "floating");
	else if (p && (!strcmp(p, "if-bound") || !strcmp(p, "floating")))
		cx_line(c, at, NULL, "set state-policy %s", p);
	else if (p && *p)
		cx_error(c, at, "unknown state policy '%s' (if-bound or floating)", p);
	else
		cx_line(c, sys, NULL, "set state-policy %s", if_bound_default ? "if-bound" : "floating");
}

void cx_system_write(struct cx *c)
{
	const xmlNode *sys = cx_section(c, "system");
	if (!sys)
		return;
	cx_line(c, NULL, NULL, "# System > Advanced > Firewall & NAT");
	write_optimization(c, sys);
	write_timeouts(c, sys);
	write_limits(c, sys);
	write_policy(c, sys);
}
