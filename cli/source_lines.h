/*
 * cli/source_lines.h: quoting lines of the rule files a report names.
 *
 * Each file is read once and indexed (compiler/lines.h): a replay summary
 * or a lint page quotes a line per rule, and a scan from the top per quote
 * would be quadratic in the file's length. Files stay cached until exit.
 */
#ifndef PK_CLI_SOURCE_LINES_H
#define PK_CLI_SOURCE_LINES_H

#include <stddef.h>
#include <stdint.h>

/* Line `line` of path and its length in *len (without its end), or NULL
 * when the file cannot be read or is shorter. */
const char *pk_source_line(const char *path, uint32_t line, size_t *len);

#endif
