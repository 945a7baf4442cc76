/*
 * runtime/bytes.h: big-endian reads and writes of packet fields.
 *
 * Packet bytes are never cast to structs: every field goes through these,
 * after the caller has checked the length. Also the one prefix test on
 * 16-byte addresses the runtime uses everywhere.
 */
#ifndef PK_RUNTIME_BYTES_H
#define PK_RUNTIME_BYTES_H

#include <stdbool.h>
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

/* True when addr lies in net/len: the first len bits are equal. */
static inline bool pk_net_contains(const uint8_t *net, unsigned len, const uint8_t *addr)
{
	unsigned full = len / 8, rest = len % 8;
	for (unsigned i = 0; i < full; i++)
		if (net[i] != addr[i])
			return false;
	return rest == 0 || ((net[full] ^ addr[full]) & (uint8_t)(0xff00 >> rest)) == 0;
}

#endif
