/*
 * runtime/pcapng_ifaces.h: the interface each packet of a pcapng file
 * arrived on.
 *
 * libpcap delivers the packets of a pcapng file but not the interface id
 * of each one, and in a capture taken on several interfaces that id is the
 * `on IF` every rule looks at. This reader walks the same file's block
 * structure alongside libpcap: it keeps the Interface Description Blocks of
 * the current section (their if_name option) and, for every packet block
 * (enhanced, simple or obsolete), answers the name of its interface. It
 * reads nothing but block headers, interface descriptions and the interface
 * id of packet blocks, and checks every length against the block and the
 * file before using it.
 */
#ifndef PK_RUNTIME_PCAPNG_IFACES_H
#define PK_RUNTIME_PCAPNG_IFACES_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/err.h"

struct pk_pcapng;

/* True when the file starts with a pcapng Section Header Block. */
int pk_pcapng_is_pcapng(FILE *f);

/* Open path for walking; NULL on failure with err filled. */
struct pk_pcapng *pk_pcapng_open(const char *path, struct pk_err *err);
void pk_pcapng_close(struct pk_pcapng *r);

/* Advance to the next packet block. Returns 1 and sets *name to its
 * interface's if_name (NULL when the description carries none) and *iface
 * to its id in the section, 0 at the end of the file, -1 with err filled
 * (message and offset name the byte) when the structure is corrupt or
 * truncated. */
int pk_pcapng_next(struct pk_pcapng *r, const char **name, uint32_t *iface, struct pk_err *err);

#endif
