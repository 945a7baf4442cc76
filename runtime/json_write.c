/* runtime/json_write.c: JSON strings, escaped (runtime/text.c's escapes). */
#include "runtime/json_write.h"

#include "runtime/text.h"

void pk_json_str(FILE *out, const char *s)
{
	char stage[256];
	struct pk_text t;

	pk_text_init_file(&t, stage, sizeof stage, out);
	pk_text_json(&t, s);
	pk_text_end(&t);
}
