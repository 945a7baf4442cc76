/* runtime/table_list.c: see table_list.h. */
#include "runtime/table_list.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Print (when out is set) and count the hosts added to one table: a pass
 * over the additions per table, which stay few beside a listing's cost. */
static uint32_t added_hosts(FILE *out, const struct pk_rs *rs, uint32_t table)
{
	uint32_t cursor = 0, t, n = 0;
	uint8_t af, addr[16];
	char text[INET6_ADDRSTRLEN];

	while (pk_rs_table_next_added(rs, &cursor, &t, &af, addr)) {
		if (t != table)
			continue;
		n++;
		if (!out)
			continue;
		inet_ntop(af == PK_AF_INET6 ? AF_INET6 : AF_INET, addr, text, sizeof(text));
		fprintf(out, "    %s (overload)\n", text);
	}
	return n;
}

void pk_rs_list_tables(FILE *out, const struct pk_rs *rs)
{
	fprintf(out, "%-28s %10s %10s\n", "Tables", "written", "added");
	for (uint32_t t = 0; t < pk_rs_ntables(rs); t++) {
		const char *name = pk_rs_table_name(rs, t);
		const int pad = 24 - (int)strlen(name);

		fprintf(out, "  <%s>%*s %10u %10u\n", name, pad > 0 ? pad : 0, "", pk_rs_table_written(rs, t),
			added_hosts(NULL, rs, t));
		added_hosts(out, rs, t);
	}
}
