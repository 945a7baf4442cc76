/*
 * runtime/cksum.c: Internet checksum arithmetic (RFC 1071, RFC 1624).
 */
#include "runtime/cksum.h"

#include "runtime/bytes.h"
#include "runtime/ruleset.h"

uint32_t pk_cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += pk_get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t pk_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t pk_cksum_pseudo(uint8_t af, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len)
{
	size_t alen = af == PK_AF_INET ? 4 : 16;
	uint32_t sum = 0;

	sum = pk_cksum_add(sum, src, alen);
	sum = pk_cksum_add(sum, dst, alen);
	sum += proto;
	sum += len >> 16;
	sum += len & 0xffff;
	return sum;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') */
uint16_t pk_cksum_fix16(uint16_t cksum, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~cksum + (uint32_t)(uint16_t)~old + new_;

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pk_cksum_fix32(uint16_t cksum, uint32_t old, uint32_t new_)
{
	cksum = pk_cksum_fix16(cksum, (uint16_t)(old >> 16), (uint16_t)(new_ >> 16));
	return pk_cksum_fix16(cksum, (uint16_t)old, (uint16_t)new_);
}

uint16_t pk_cksum_fix_addr(uint16_t cksum, const uint8_t *old, const uint8_t *new_, size_t alen)
{
	size_t i;

	for (i = 0; i < alen; i += 2)
		cksum = pk_cksum_fix16(cksum, pk_get16(old + i), pk_get16(new_ + i));
	return cksum;
}

void pk_patch16(uint8_t *p, uint16_t v, uint8_t *c)
{
	if (c)
		pk_put16(c, pk_cksum_fix16(pk_get16(c), pk_get16(p), v));
	pk_put16(p, v);
}

void pk_patch32(uint8_t *p, uint32_t v, uint8_t *c)
{
	if (c)
		pk_put16(c, pk_cksum_fix32(pk_get16(c), pk_get32(p), v));
	pk_put32(p, v);
}
