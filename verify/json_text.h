/*
 * verify/json_text.h: text from the rule files and the command line as
 * jansson strings. jansson refuses a string that is not UTF-8, and the
 * member or the whole finding holding it went missing (a Latin-1 comment
 * on a rule's line, a Latin-1 interface name quoted in a message): such
 * bytes are taken as Latin-1 characters here, as replay's lines take them
 * (runtime/text.h's pk_text_utf8).
 */
#ifndef PK_VERIFY_JSON_TEXT_H
#define PK_VERIFY_JSON_TEXT_H

#include <jansson.h>
#include <stddef.h>

/* s as a JSON string; json_null() for NULL. */
json_t *pk_json_text(const char *s);
/* n bytes of s. */
json_t *pk_json_textn(const char *s, size_t n);

#endif
