/* daemon/killfilter.c: the host filter of `picket kill-states`. */
#include "daemon/killfilter.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ruleset.h"

static int parse_prefix(const char *s, uint8_t *af, uint8_t addr[16], uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	int max;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*af = PK_AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*af = PK_AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	char *end = NULL;
	long l = slash ? strtol(slash, &end, 10) : max;
	if ((slash && (*slash == '\0' || *end != '\0')) || l < 0 || l > max)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

int pk_killfilter_parse(const char *text, struct pk_state_filter *f, char *err, size_t errlen)
{
	char a[128] = "", b[128] = "", extra[2] = "";
	int n = sscanf(text, "%127s %127s %1s", a, b, extra);

	memset(f, 0, sizeof(*f));
	if (n < 1 || n > 2) {
		snprintf(err, errlen, "kill-states needs SOURCE[/LEN] and optionally DESTINATION[/LEN], as in "
				      "kill-states 192.168.1.10 10.0.10.0/24");
		return -1;
	}
	if (parse_prefix(a, &f->src_af, f->src, &f->src_len) < 0) {
		snprintf(err, errlen, "kill-states: '%s' is not an address or prefix", a);
		return -1;
	}
	if (n == 2 && parse_prefix(b, &f->dst_af, f->dst, &f->dst_len) < 0) {
		snprintf(err, errlen, "kill-states: '%s' is not an address or prefix", b);
		return -1;
	}
	return 0;
}
