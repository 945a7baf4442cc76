/*
 * configxml/scrub.c: pfSense's normalization (reference §5 step 5): one
 * `scrub ... fragment reassemble` per enabled interface and family, with
 * System > Advanced's no-df and random-id and the interface's MSS clamp.
 */
#include <stdlib.h>

#include "configxml/cx.h"

/* max-mss is the interface's MSS less the IPv4 (40) or IPv6 (60) headers */
static const char *mss_clamp(struct cx *c, const struct cx_iface *i, int headers)
{
	const char *mss = cx_text(c, i->node, "mss");
	char *end = NULL;
	long n = mss ? strtol(mss, &end, 10) : 0;
	if (!mss || end == mss || *end || n <= headers)
		return "";
	return pk_arena_printf(c->a, " max-mss %ld", n - headers);
}

void cx_scrub_write(struct cx *c)
{
	const xmlNode *sys = cx_section(c, "system");
	if (cx_flag(c, sys, "disablescrub"))
		return;
	const char *opts = pk_arena_printf(c->a, "%s%s", cx_flag(c, sys, "scrubnodf") ? " no-df" : "",
					   cx_flag(c, sys, "scrubrnid") ? " random-id" : "");
	for (uint32_t k = 0; k < c->nifs; k++) {
		const struct cx_iface *i = &c->ifs[k];
		if (!i->enabled)
			continue;
		const char *o = pk_arena_printf(c->a, PK_ORIGIN_GENERATED "scrub on %s", i->macro);
		cx_line(c, i->node, o, "scrub on $%s inet all%s%s fragment reassemble", i->macro, opts, mss_clamp(c, i, 40));
		cx_line(c, i->node, o, "scrub on $%s inet6 all%s%s fragment reassemble", i->macro, opts, mss_clamp(c, i, 60));
	}
}
