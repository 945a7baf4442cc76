/* fuzz/fuzz_parser.c: libFuzzer entry: any bytes through the front end and,
 * when they load, the printer. Must never crash, hang or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "compiler/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_diags d;
	struct pk_ir_ruleset *rs = NULL;
	pk_diags_init(&d);
	if (pk_frontend_load_string("fuzz.conf", (const char *)data, size, NULL, &d, &rs) == 0) {
		FILE *sink = fopen("/dev/null", "w");
		if (sink) {
			pk_print_ruleset(sink, rs, PK_PRINT_NUMBERS | PK_PRINT_OPTIONS);
			fclose(sink);
		}
		pk_ir_ruleset_free(rs);
	} else {
		FILE *sink = fopen("/dev/null", "w");
		if (sink) {
			pk_diags_print(&d, sink, PK_COLOR_NEVER);
			fclose(sink);
		}
	}
	pk_diags_free(&d);
	return 0;
}
