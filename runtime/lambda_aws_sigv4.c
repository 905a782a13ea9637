/*
 * lambda_aws_sigv4.c - AWS Signature Version 4 ("Create a signed AWS API
 * request", IAM User Guide; "Elements of an AWS API request signature"):
 * SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104), the canonical request, the
 * string to sign and the Authorization header.  Part of svcgen's handler
 * runtime.
 *
 * Why not libcurl's CURLOPT_AWS_SIGV4: in libcurl 7.88 (lib/http_aws_sigv4.c)
 * it signs every header of CURLOPT_HTTPHEADER, so X-Amzn-Trace-Id would be
 * signed, which the SDKs never do (botocore's SIGNED_HEADERS_BLACKLIST)
 * because infrastructure on the way may rewrite it; a server verifying as
 * botocore does (moto) then rejects every traced request.  A caller-given
 * X-Amz-Date (the only way to sign at a fixed time there) is also sent
 * twice, and query strings are not canonicalized (curl issue 9717).
 * Signing here is a small pure function, tested against botocore.
 */
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_aws.h"

/* ---- SHA-256 -------------------------------------------------------------- */

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
} sha256_ctx;

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

static void sha256_init(sha256_ctx *ctx)
{
	static const uint32_t H0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(ctx->h, H0, sizeof(H0));
	ctx->bytes = 0;
	ctx->used = 0;
}

static void sha256_update(sha256_ctx *ctx, const void *data, size_t len)
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
		compress(ctx->h, ctx->block);
		ctx->used = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		compress(ctx->h, p);
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->used = len;
	}
}

static void sha256_final(uint8_t out[32], sha256_ctx *ctx)
{
	/* Section 5.1.1: a 1 bit, zeros up to 448 mod 512, then the length in
	 * bits as a 64-bit big-endian integer. */
	uint64_t bits = ctx->bytes * 8;
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > 56) {
		memset(ctx->block + ctx->used, 0, 64 - ctx->used);
		compress(ctx->h, ctx->block);
		ctx->used = 0;
	}
	memset(ctx->block + ctx->used, 0, 56 - ctx->used);
	for (int i = 0; i < 8; i++)
		ctx->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	compress(ctx->h, ctx->block);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)ctx->h[i];
	}
	memset(ctx, 0, sizeof(*ctx));
}

static void sha256(uint8_t out[32], const void *data, size_t len)
{
	sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(out, &ctx);
}

static void sha256_to_hex(char out[65], const uint8_t digest[32])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}


void lambda_aws_sha256_hex(char out[65], const void *data, size_t len)
{
	uint8_t d[32];
	sha256(d, data, len);
	sha256_to_hex(out, d);
}

/* ---- HMAC-SHA256 (RFC 2104, B = 64) ------------------------------------------ */

static void hmac(uint8_t out[32], const void *key, size_t key_len, const void *msg, size_t len)
{
	uint8_t k[64] = {0};
	if (key_len > 64)
		sha256(k, key, key_len);
	else
		memcpy(k, key, key_len);
	uint8_t pad[64];
	sha256_ctx c;
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&c);
	sha256_update(&c, pad, 64);
	sha256_update(&c, msg, len);
	uint8_t inner[32];
	sha256_final(inner, &c);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&c);
	sha256_update(&c, pad, 64);
	sha256_update(&c, inner, 32);
	sha256_final(out, &c);
}

/* ---- the signature -------------------------------------------------------------- */

typedef struct canon_header {
	char *name;   /* lower-case */
	char *value;  /* trimmed, inner runs of spaces made one */
} canon_header;

static int cmp_header(const void *a, const void *b)
{
	return strcmp(((const canon_header *)a)->name, ((const canon_header *)b)->name);
}

/* Canonical value: leading and trailing blanks removed, runs of blanks
 * inside made one space (what botocore and the SigV4 test suite do). */
static char *canon_value(const char *v)
{
	size_t n = strlen(v);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	bool space = false;
	for (const char *p = v; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

/* URI-encode `s` per SigV4 (unreserved characters kept, '/' kept,
 * everything else %XX upper-case) into `b`. */
static int uri_encode_path(lambda_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			if (lambda_strbuf_putc(b, (char)*p) != LAMBDA_OK)
				return LAMBDA_ENOMEM;
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			if (lambda_strbuf_put(b, e, 3) != LAMBDA_OK)
				return LAMBDA_ENOMEM;
		}
	}
	return LAMBDA_OK;
}

int lambda_aws_sigv4(char **out, const char *method, const char *path, const char *query,
		     const lambda_aws_header *headers, size_t header_count, const void *body,
		     size_t body_len, const char *amz_date, const char *region,
		     const char *service, const char *access_key, const char *secret_key)
{
	*out = NULL;
	if (!method || !amz_date || strlen(amz_date) != 16 || !region || !service ||
	    !access_key || !secret_key || header_count == 0)
		return LAMBDA_EINVALID;
	int rc = LAMBDA_ENOMEM;
	bool have_host = false;
	canon_header *h = calloc(header_count, sizeof(*h));
	lambda_strbuf creq = LAMBDA_STRBUF_INIT, signed_names = LAMBDA_STRBUF_INIT;
	lambda_strbuf sts = LAMBDA_STRBUF_INIT, auth = LAMBDA_STRBUF_INIT;
	if (!h)
		goto done;
	for (size_t i = 0; i < header_count; i++) {
		if (!headers[i].name || !headers[i].value ||
		    strpbrk(headers[i].value, "\r\n") || strpbrk(headers[i].name, "\r\n: ")) {
			rc = LAMBDA_EINVALID;
			goto done;
		}
		h[i].name = strdup(headers[i].name);
		h[i].value = canon_value(headers[i].value);
		if (!h[i].name || !h[i].value)
			goto done;
		for (char *p = h[i].name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		have_host |= !strcmp(h[i].name, "host");
	}
	if (!have_host) {
		rc = LAMBDA_EINVALID;
		goto done;
	}
	qsort(h, header_count, sizeof(*h), cmp_header);

	/* CanonicalRequest: method, URI, query, headers, signed headers, hash. */
	char payload_hash[65];
	lambda_aws_sha256_hex(payload_hash, body ? body : "", body ? body_len : 0);
	if (lambda_strbuf_printf(&creq, "%s\n", method) != LAMBDA_OK ||
	    uri_encode_path(&creq, path && *path ? path : "/") != LAMBDA_OK ||
	    lambda_strbuf_printf(&creq, "\n%s\n", query ? query : "") != LAMBDA_OK)
		goto done;
	for (size_t i = 0; i < header_count; i++) {
		if (lambda_strbuf_printf(&creq, "%s:%s\n", h[i].name, h[i].value) != LAMBDA_OK ||
		    lambda_strbuf_printf(&signed_names, "%s%s", i ? ";" : "", h[i].name) != LAMBDA_OK)
			goto done;
	}
	if (lambda_strbuf_printf(&creq, "\n%s\n%s", signed_names.ptr, payload_hash) != LAMBDA_OK)
		goto done;

	/* StringToSign: algorithm, time, scope, hash of the canonical request. */
	char date[9];
	memcpy(date, amz_date, 8);
	date[8] = '\0';
	char creq_hash[65];
	lambda_aws_sha256_hex(creq_hash, creq.ptr, creq.len);
	if (lambda_strbuf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", amz_date,
				 date, region, service, creq_hash) != LAMBDA_OK)
		goto done;

	/* The signing key: HMAC chain over date, region, service, "aws4_request". */
	size_t sk_len = strlen(secret_key) + 4;
	char *k0 = malloc(sk_len + 1);
	if (!k0)
		goto done;
	memcpy(k0, "AWS4", 4);
	memcpy(k0 + 4, secret_key, sk_len - 4 + 1);
	uint8_t k1[32], k2[32];
	hmac(k1, k0, sk_len, date, strlen(date));
	memset(k0, 0, sk_len);
	free(k0);
	hmac(k2, k1, 32, region, strlen(region));
	hmac(k1, k2, 32, service, strlen(service));
	hmac(k2, k1, 32, "aws4_request", 12);
	hmac(k1, k2, 32, sts.ptr, sts.len);
	char sig[65];
	sha256_to_hex(sig, k1);

	if (lambda_strbuf_printf(&auth,
				 "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, "
				 "SignedHeaders=%s, Signature=%s",
				 access_key, date, region, service, signed_names.ptr, sig) != LAMBDA_OK)
		goto done;
	*out = lambda_strbuf_take(&auth);
	rc = LAMBDA_OK;
done:
	for (size_t i = 0; h && i < header_count; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
	lambda_strbuf_free(&creq);
	lambda_strbuf_free(&signed_names);
	lambda_strbuf_free(&sts);
	lambda_strbuf_free(&auth);
	return rc;
}
