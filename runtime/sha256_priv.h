/*
 * runtime/sha256_priv.h: the two block functions behind runtime/sha256.c,
 * exposed so a test can hold the accelerated one to the portable one.
 */
#ifndef PK_RUNTIME_SHA256_PRIV_H
#define PK_RUNTIME_SHA256_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FIPS 180-4's round constants, shared by both. */
extern const uint32_t pk_sha256_k[64];

/* Compress n 64-byte blocks at p into h. */
void pk_sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t n);

/* The x86 SHA extensions: present on this CPU (and built in)? */
bool pk_sha256_ni_available(void);
void pk_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n);

#endif
