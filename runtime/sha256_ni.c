/*
 * runtime/sha256_ni.c: SHA-256 compression with the x86 SHA extensions
 * (sha256rnds2, sha256msg1, sha256msg2), chosen at run time by CPUID.
 * Loading a .pkb hashes the whole file; this makes that about 15 times
 * cheaper than the portable rounds where the CPU has the extensions.
 *
 * The instructions keep the eight working variables as two vectors,
 * ABEF and CDGH (lane 3 first), so the state is permuted in and out.
 */
#include "runtime/sha256_priv.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include <cpuid.h>
#include <immintrin.h>

#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

bool pk_sha256_ni_available(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & bit_SHA))
		return false;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return false;
	return (c & bit_SSE4_1) && (c & bit_SSSE3);
}

/* Round constants, four per vector, in lane order. */
NI_TARGET static __m128i round_k(int i)
{
	return _mm_loadu_si128((const __m128i *)&pk_sha256_k[4 * i]);
}

NI_TARGET void pk_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* big-endian words: reverse the bytes of each 32-bit lane */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xb1);
	__m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1b);
	__m128i abef = _mm_alignr_epi8(abcd, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xf0);

	for (; n; n--, p += 64) {
		const __m128i abef0 = abef, cdgh0 = cdgh;
		__m128i w[16];

		for (int i = 0; i < 16; i++) {
			if (i < 4)
				w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
			else /* W[t-16] + s0(W[t-15]) + W[t-7], then + s1(W[t-2]) */
				w[i] = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(w[i - 4], w[i - 3]),
						      _mm_alignr_epi8(w[i - 1], w[i - 2], 4)),
					w[i - 1]);
			__m128i wk = _mm_add_epi32(w[i], round_k(i));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	__m128i feba = _mm_shuffle_epi32(abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}

#else

bool pk_sha256_ni_available(void)
{
	return false;
}

void pk_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	pk_sha256_blocks_portable(h, p, n);
}

#endif
