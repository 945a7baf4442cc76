/*
 * runtime/table_list.h: the tables and the hosts overload added to them,
 * as text, for `picket tables` (picketd) and the replay summary.
 */
#ifndef PK_RUNTIME_TABLE_LIST_H
#define PK_RUNTIME_TABLE_LIST_H

#include <stdio.h>

#include "runtime/ruleset.h"

/* One line per table (entries written, hosts added), each added host
 * under its table. */
void pk_rs_list_tables(FILE *out, const struct pk_rs *rs);

#endif
