/*
 * runtime/sha256.h: SHA-256 (FIPS 180-4), for the .pkb checksum and the
 * provenance hashes. The runtime links libc only, hence its own copy.
 */
#ifndef PK_RUNTIME_SHA256_H
#define PK_RUNTIME_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct pk_sha256 {
	uint32_t h[8];
	uint64_t total;
	uint8_t buf[64];
	size_t nbuf;
};

void pk_sha256_init(struct pk_sha256 *s);
void pk_sha256_update(struct pk_sha256 *s, const void *data, size_t len);
void pk_sha256_final(struct pk_sha256 *s, uint8_t out[32]);
void pk_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
