/* verify/json_text.c: see json_text.h. */
#include "verify/json_text.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/text.h"

json_t *pk_json_textn(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n); /* UTF-8 already: the usual case */
	if (j)
		return j;
	char *utf8 = malloc(2 * n + 1);
	if (!utf8)
		return NULL;
	struct pk_text t;
	pk_text_init(&t, utf8, 2 * n + 1);
	pk_text_utf8(&t, s, n);
	pk_text_end(&t);
	j = json_stringn(utf8, t.len);
	free(utf8);
	return j;
}

json_t *pk_json_text(const char *s) { return s ? pk_json_textn(s, strlen(s)) : json_null(); }
