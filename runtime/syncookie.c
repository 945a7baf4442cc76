/*
 * runtime/syncookie.c: making and checking SYN cookies.
 *
 * Layout of a cookie: 24 bits of SHA-256 over the key, the connection, the
 * client's ISN, the full period number and the low byte; then the period's
 * parity (1 bit), the MSS index (3 bits), the window scale (4 bits, 15 when
 * none).
 */
#include "runtime/syncookie.h"

#include <string.h>

#include "runtime/bytes.h"
#include "runtime/sha256.h"

#define WS_NONE 15u

static const uint16_t mss_table[8] = {64, 512, 536, 1220, 1300, 1380, 1440, 1460};

void pk_syncookie_key(uint64_t seed, uint8_t key[PK_SYNCOOKIE_KEY])
{
	static const char label[] = "synproxy cookie key";
	uint8_t buf[8 + sizeof(label)], h[32];

	pk_put32(buf, (uint32_t)(seed >> 32));
	pk_put32(buf + 4, (uint32_t)seed);
	memcpy(buf + 8, label, sizeof(label));
	pk_sha256(buf, sizeof(buf), h);
	memcpy(key, h, PK_SYNCOOKIE_KEY);
}

static unsigned mss_index(uint16_t mss)
{
	unsigned k = 7;

	while (k > 0 && mss_table[k] > mss)
		k--;
	return k;
}

uint16_t pk_syncookie_mss(uint16_t mss)
{
	return mss_table[mss_index(mss)];
}

/* The hash part for the client's ISN isn, at period, with the low byte. */
static uint32_t mac(const uint8_t key[PK_SYNCOOKIE_KEY], const struct pk_pkt *p, uint32_t isn, uint64_t period,
		    uint8_t low)
{
	uint8_t buf[PK_SYNCOOKIE_KEY + 1 + 32 + 4 + 4 + 8 + 1], h[32], *b = buf;

	memcpy(b, key, PK_SYNCOOKIE_KEY), b += PK_SYNCOOKIE_KEY;
	*b++ = p->af;
	memcpy(b, p->src, 16), b += 16;
	memcpy(b, p->dst, 16), b += 16;
	pk_put16(b, p->sport), pk_put16(b + 2, p->dport), b += 4;
	pk_put32(b, isn), b += 4;
	pk_put32(b, (uint32_t)(period >> 32)), pk_put32(b + 4, (uint32_t)period), b += 8;
	*b = low;
	pk_sha256(buf, sizeof(buf), h);
	return (uint32_t)h[0] << 16 | (uint32_t)h[1] << 8 | h[2];
}

uint32_t pk_syncookie_make(const uint8_t key[PK_SYNCOOKIE_KEY], const struct pk_pkt *syn, uint16_t mss,
			   uint64_t period)
{
	unsigned ws = syn->opt.wscale == PK_WSCALE_NONE ? WS_NONE : syn->opt.wscale;
	uint8_t low = (uint8_t)((period & 1u) << 7 | mss_index(mss) << 4 | ws);

	return mac(key, syn, syn->seq, period, low) << 8 | low;
}

bool pk_syncookie_check(const uint8_t key[PK_SYNCOOKIE_KEY], const struct pk_pkt *ack, uint64_t period,
			struct pk_syncookie *out)
{
	uint32_t cookie = ack->ack - 1;
	uint8_t low = (uint8_t)cookie;
	uint64_t made = (low >> 7) == (period & 1u) ? period : period - 1;

	if (period == 0 && made != period)
		return false;
	out->isn = ack->seq - 1;
	if (mac(key, ack, out->isn, made, low) != cookie >> 8) {
		/* a zero-window probe carries the ISN itself (see syncookie.h) */
		out->isn = ack->seq;
		if (ack->p_len || mac(key, ack, out->isn, made, low) != cookie >> 8)
			return false;
	}
	out->mss = mss_table[(low >> 4) & 7u];
	out->wscale = (low & 15u) == WS_NONE ? PK_WSCALE_NONE : (low & 15u);
	return true;
}
