/*
 * runtime/json_write.h: JSON text for the programs that link only the
 * runtime (picketd's control answers) and for streamed output (replay's
 * lines), where building a document in memory would cost more than it
 * gives. Just strings: numbers, commas and braces are plain printf.
 */
#ifndef PK_RUNTIME_JSON_WRITE_H
#define PK_RUNTIME_JSON_WRITE_H

#include <stdio.h>

/* s as a JSON string, quotes included, escaped as pk_text_json escapes;
 * NULL writes null. */
void pk_json_str(FILE *out, const char *s);

#endif
