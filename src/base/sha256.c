/*
 * sha256.c - SHA-256 per FIPS 180-4 (see sha256.h).
 *
 * Written from the standard: constants K (section 4.2.2), initial hash
 * value (5.3.3), padding (5.1.1), message schedule and compression
 * (6.2.2).  Words are assembled big-endian byte by byte, so the code needs
 * no knowledge of the host's byte order or alignment.
 *
 * On x86-64 processors with the SHA extensions (Intel since Goldmont and
 * Ice Lake, AMD since Zen) blocks go through SHA256RNDS2/SHA256MSG1/
 * SHA256MSG2 instead (Intel, "New Instructions Supporting the Secure Hash
 * Algorithm on Intel Architecture Processors", 2013), several times the
 * portable code's speed.  Every manifest hashes every output file, so this
 * is much of what a large generate computes.  Chosen once, with CPUID; the
 * tests run both against the standard's examples and against each other.
 */
#include "svcgen/sha256.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SG_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Section 6.2.2: one 512-bit block into the hash value. */
static void compress(uint32_t h[8], const uint8_t block[64])
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 |
		       (uint32_t)block[4 * t + 2] << 8 | (uint32_t)block[4 * t + 3];
	for (int t = 16; t < 64; t++)
		w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
		uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

static void blocks_portable(uint32_t h[8], const uint8_t *p, size_t n)
{
	for (; n; n--, p += 64)
		compress(h, p);
}

#ifdef SG_SHA_NI
/*
 * `n` blocks with the SHA extensions.  The state is kept as the
 * instructions want it: ABEF and CDGH.  Each iteration runs four rounds
 * (two SHA256RNDS2) on W[4i..4i+3] + K[4i..4i+3], and computes
 * W[4i+16..4i+19] = SSIG1(W[t-2]) + W[t-7] + SSIG0(W[t-15]) + W[t-16]
 * into the slot it has just used: MSG1 adds SSIG0, ALIGNR picks W[t-7],
 * MSG2 adds SSIG1.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i state1 = _mm_loadu_si128((const __m128i *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);               /* CDAB */
	state1 = _mm_shuffle_epi32(state1, 0x1B);         /* EFGH */
	__m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
	state1 = _mm_blend_epi16(state1, tmp, 0xF0);      /* CDGH */
	for (; n; n--, p += 64) {
		__m128i abef = state0, cdgh = state1;
		__m128i w[4];
		for (int k = 0; k < 4; k++)
			w[k] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), bswap);
		for (int i = 0; i < 16; i++) {
			__m128i m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)&K[4 * i]));
			state1 = _mm_sha256rnds2_epu32(state1, state0, m);
			state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(m, 0x0E));
			if (i < 12) {
				__m128i x = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
				x = _mm_add_epi32(x, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
				w[i & 3] = _mm_sha256msg2_epu32(x, w[(i + 3) & 3]);
			}
		}
		state0 = _mm_add_epi32(state0, abef);
		state1 = _mm_add_epi32(state1, cdgh);
	}
	tmp = _mm_shuffle_epi32(state0, 0x1B);       /* FEBA */
	state1 = _mm_shuffle_epi32(state1, 0xB1);    /* DCHG */
	state0 = _mm_blend_epi16(tmp, state1, 0xF0); /* DCBA */
	state1 = _mm_alignr_epi8(state1, tmp, 8);    /* ABEF */
	_mm_storeu_si128((__m128i *)&h[0], state0);
	_mm_storeu_si128((__m128i *)&h[4], state1);
}

static bool cpu_has_sha(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return false;
	if (__get_cpuid_max(0, NULL) < 7)
		return false;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> 29) & 1; /* CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29] */
}
#endif

typedef void (*blocks_fn)(uint32_t h[8], const uint8_t *p, size_t n);
static blocks_fn chosen;

/* The implementation, chosen on first use.  Threads hash at once (the
 * emitters': emit.c), so the choice is read and set atomically; two
 * threads choosing together choose the same. */
static void blocks_choose(uint32_t h[8], const uint8_t *p, size_t n)
{
	blocks_fn f = blocks_portable;
#ifdef SG_SHA_NI
	if (cpu_has_sha())
		f = blocks_shani;
#endif
	__atomic_store_n(&chosen, f, __ATOMIC_RELAXED);
	f(h, p, n);
}

static blocks_fn chosen = blocks_choose;

static void blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
	__atomic_load_n(&chosen, __ATOMIC_RELAXED)(h, p, n);
}

bool sg_sha256_use_portable(bool portable)
{
	if (portable) {
		__atomic_store_n(&chosen, blocks_portable, __ATOMIC_RELAXED);
		return true;
	}
	__atomic_store_n(&chosen, blocks_choose, __ATOMIC_RELAXED);
#ifdef SG_SHA_NI
	return !cpu_has_sha();
#else
	return true;
#endif
}

void sg_sha256_init(sg_sha256_ctx *ctx)
{
	static const uint32_t H0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(ctx->h, H0, sizeof(H0));
	ctx->bytes = 0;
	ctx->used = 0;
}

void sg_sha256_update(sg_sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	if (len == 0)
		return; /* memcpy from NULL is undefined even for 0 bytes */
	ctx->bytes += len;
	/* Top up a partial block first; whole blocks then go straight from the
	 * caller's memory, without a copy. */
	if (ctx->used) {
		size_t take = 64 - ctx->used < len ? 64 - ctx->used : len;
		memcpy(ctx->block + ctx->used, p, take);
		ctx->used += take;
		p += take;
		len -= take;
		if (ctx->used < 64)
			return;
		blocks(ctx->h, ctx->block, 1);
		ctx->used = 0;
	}
	if (len >= 64) {
		blocks(ctx->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->used = len;
	}
}

void sg_sha256_final(uint8_t out[SG_SHA256_SIZE], sg_sha256_ctx *ctx)
{
	/* Section 5.1.1: a 1 bit, zeros up to 448 mod 512, then the length in
	 * bits as a 64-bit big-endian integer. */
	uint64_t bits = ctx->bytes * 8;
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > 56) {
		memset(ctx->block + ctx->used, 0, 64 - ctx->used);
		blocks(ctx->h, ctx->block, 1);
		ctx->used = 0;
	}
	memset(ctx->block + ctx->used, 0, 56 - ctx->used);
	for (int i = 0; i < 8; i++)
		ctx->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	blocks(ctx->h, ctx->block, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)ctx->h[i];
	}
	memset(ctx, 0, sizeof(*ctx));
}

void sg_sha256(uint8_t out[SG_SHA256_SIZE], const void *data, size_t len)
{
	sg_sha256_ctx ctx;
	sg_sha256_init(&ctx);
	sg_sha256_update(&ctx, data, len);
	sg_sha256_final(out, &ctx);
}

void sg_sha256_to_hex(char out[SG_SHA256_HEX_SIZE], const uint8_t digest[SG_SHA256_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SG_SHA256_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

void sg_sha256_hex(char out[SG_SHA256_HEX_SIZE], const void *data, size_t len)
{
	uint8_t d[SG_SHA256_SIZE];
	sg_sha256(d, data, len);
	sg_sha256_to_hex(out, d);
}
