/*
 * cli/html.h: pieces of the self-contained HTML pages picket writes (the
 * replay report, lint's findings).
 *
 * A page carries its style and its one script inline and loads nothing:
 * it opens from a mail attachment or a CI artifact, offline, and shows the
 * same everywhere. The script only sorts tables whose class is "sortable"
 * when a header is clicked; every figure is in the markup, so the page
 * reads the same with scripts off.
 */
#ifndef PK_CLI_HTML_H
#define PK_CLI_HTML_H

#include <stdint.h>
#include <stdio.h>

/* From the doctype to the opening of <main>: the title, and a subtitle
 * line under it in the page's header. */
void pk_html_begin(FILE *out, const char *title, const char *subtitle);
/* Closes <main> and the page, the sorting script last. */
void pk_html_end(FILE *out);
/* s with &, <, >, " and ' escaped; a NULL s writes nothing. */
void pk_html_text(FILE *out, const char *s);
/* A count with thousands separated by thin spaces: 1 234 567. */
void pk_html_count(FILE *out, uint64_t n);
/* The hex SHA-256 of a file's bytes into hex[65]; -1 when unreadable. */
int pk_html_file_sha256(const char *path, char hex[65]);

#endif
