/*
 * compiler/md5.h: MD5 (RFC 1321), for one thing only: pf turns a
 * `source-hash` key given as text into its MD5 digest, and the printer
 * shows that digest as pfctl does. Not for anything needing security.
 */
#ifndef PK_COMPILER_MD5_H
#define PK_COMPILER_MD5_H

#include <stddef.h>
#include <stdint.h>

void pk_md5(const void *data, size_t len, uint8_t digest[16]);

#endif
