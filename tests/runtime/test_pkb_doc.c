/*
 * tests/runtime/test_pkb_doc.c: docs/bytecode.md documents every opcode of
 * PKB_OPS with its number and every section of PKB_SECTIONS with its
 * entry size, so the document cannot drift from the one table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/pkb_format.h"
#include "tests/support/testmain.h"

static char *doc;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen("docs/bytecode.md", "rb");
	if (!f)
		return -1;
	doc = calloc(1, 1 << 20);
	fread(doc, 1, (1 << 20) - 1, f);
	fclose(f);
	return 0;
}

PK_TEST_FIXTURE(teardown, free(doc))

static void test_every_opcode_is_documented_with_its_value(void **state)
{
	(void)state;
	for (uint32_t op = 0; op < PKB_OP_COUNT; op++) {
		char row[64];
		snprintf(row, sizeof(row), "| `%s` | %u |", pkb_op_name(op), op);
		if (!strstr(doc, row))
			fail_msg("docs/bytecode.md lacks the opcode row starting '%s'", row);
	}
}

static void test_every_section_is_documented_with_its_entry_size(void **state)
{
	(void)state;
	for (uint32_t s = 0; s < PKB_SEC_COUNT; s++) {
		char row[64];
		snprintf(row, sizeof(row), "| %u | %s | %u |", s, pkb_section_name(s), pkb_section_entsize(s));
		if (!strstr(doc, row))
			fail_msg("docs/bytecode.md lacks the section row '%s'", row);
	}
}

static void test_every_field_is_documented(void **state)
{
	(void)state;
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++) {
		char item[32];
		snprintf(item, sizeof(item), "%u %s", f, pkb_field_name(f));
		if (!strstr(doc, item))
			fail_msg("docs/bytecode.md lacks the CUT field '%s'", item);
	}
}

PK_TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_every_opcode_is_documented_with_its_value),
	cmocka_unit_test(test_every_section_is_documented_with_its_entry_size),
	cmocka_unit_test(test_every_field_is_documented),
)
