/*
 * runtime/bytes.h: big-endian reads and writes of packet fields.
 *
 * Packet bytes are never cast to structs: every field goes through these,
 * after the caller has checked the length.
 */
#ifndef PK_RUNTIME_BYTES_H
#define PK_RUNTIME_BYTES_H

#include <stdint.h>

static inline uint16_t pk_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t pk_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void pk_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void pk_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
