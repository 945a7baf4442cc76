/*
 * configxml/state.c: a pass rule's state keyword and options (reference
 * §4, "statetype" to "max-src-conn-rate" rows): keep / sloppy / synproxy /
 * modulate / none, limits, timeouts and overload.
 */
#include <string.h>

#include "configxml/state.h"

static bool tcpish(const char *proto)
{
	return proto && (!strcmp(proto, "tcp") || !strcmp(proto, "tcp/udp"));
}

static const char *opt(struct cx *c, const char *list, const char *fmt, const char *v)
{
	if (!v || !*v)
		return list;
	const char *o = pk_arena_printf(c->a, fmt, v);
	return pk_arena_printf(c->a, "%s%s%s", list, *list ? ", " : "", o);
}

/* statetimeout: the timeout of the protocol's established state. */
static const char *timeout(struct cx *c, const char *list, const char *proto, const char *t)
{
	if (!t || !*t)
		return list;
	bool any = !proto || !*proto || !strcmp(proto, "any");
	if (any || tcpish(proto) || !strcmp(proto, "sctp"))
		list = opt(c, list, "tcp.established %s", t);
	if (c->product == CX_OPNSENSE)
		return list;
	if (any || (proto && (!strcmp(proto, "udp") || !strcmp(proto, "tcp/udp"))))
		list = opt(c, list, "udp.multiple %s", t);
	if (any || (proto && strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "tcp/udp")))
		list = opt(c, list, "other.multiple %s", t);
	return list;
}

static const char *options(struct cx *c, const xmlNode *r, const char *proto, bool sloppy)
{
	const char *l = sloppy ? "sloppy" : "";
	/* pfSense 2.8's per-rule state policy */
	const char *policy = cx_text(c, r, "statepolicy");
	if (policy && (!strcmp(policy, "if-bound") || !strcmp(policy, "floating")))
		l = opt(c, l, "%s", policy);
	if (cx_flag(c, r, "nosync"))
		l = opt(c, l, "%s", "no-sync");
	const char *nodes = cx_text(c, r, "max-src-nodes"), *conn = cx_text(c, r, "max-src-conn");
	const char *states = cx_text(c, r, "max-src-states");
	if ((nodes && *nodes) || (conn && *conn) || (states && *states))
		l = opt(c, l, "%s", "source-track rule");
	l = opt(c, l, "max %s", cx_text(c, r, "max"));
	l = opt(c, l, "max-src-nodes %s", nodes);
	/* per-connection limits only make sense, and are only written, for tcp */
	if (tcpish(proto))
		l = opt(c, l, "max-src-conn %s", conn);
	l = opt(c, l, "max-src-states %s", states);
	l = timeout(c, l, proto, cx_text(c, r, "statetimeout"));
	const char *rate = cx_text(c, r, "max-src-conn-rate"), *per = cx_text(c, r, "max-src-conn-rates");
	if (tcpish(proto) && rate && *rate && per && *per) {
		l = opt(c, l, "max-src-conn-rate %s", pk_arena_printf(c->a, "%s/%s", rate, per));
		l = opt(c, l, "%s", "overload <virusprot> flush global");
	}
	return *l ? pk_arena_printf(c->a, " ( %s )", l) : "";
}

const char *cx_state(struct cx *c, const xmlNode *r, const char *proto)
{
	const char *t = cx_text(c, r, "statetype");
	if (!t || !*t || !strcmp(t, "keep state") || !strcmp(t, "keep"))
		return pk_arena_printf(c->a, " keep state%s", options(c, r, proto, false));
	if (!strcmp(t, "sloppy state") || !strcmp(t, "sloppy"))
		return pk_arena_printf(c->a, " keep state%s", options(c, r, proto, true));
	if (!strcmp(t, "none") || !strcmp(t, "no state"))
		return " no state";
	bool syn = !strncmp(t, "synproxy", 8), mod = !strncmp(t, "modulate", 8);
	if (syn || mod) {
		/* only tcp has sequence numbers to modulate or a handshake to proxy */
		if (!proto || strcmp(proto, "tcp"))
			return "";
		return pk_arena_printf(c->a, " %s state%s", syn ? "synproxy" : "modulate", options(c, r, proto, false));
	}
	cx_error(c, cx_child(r, "statetype"), "unknown state type '%s' (keep, sloppy, synproxy, modulate or none)", t);
	return "";
}
