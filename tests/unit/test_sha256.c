/*
 * test_sha256.c - SHA-256 against the examples of FIPS 180-4 (published by
 * NIST with the standard: "abc", the 448-bit and 896-bit messages) and the
 * long-message vector of one million 'a', plus the empty message, the
 * padding boundaries and streaming in pieces of every size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "svcgen/sha256.h"

static const char *hex_of(const void *data, size_t len)
{
	static char out[SG_SHA256_HEX_SIZE];
	sg_sha256_hex(out, data, len);
	return out;
}

static void test_empty(void **state)
{
	(void)state;
	assert_string_equal(hex_of("", 0),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(hex_of(NULL, 0),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	(void)state;
	assert_string_equal(hex_of("abc", 3),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
	(void)state;
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_int_equal(strlen(m), 56); /* 448 bits: the padding needs a second block */
	assert_string_equal(hex_of(m, strlen(m)),
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
	(void)state;
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	assert_int_equal(strlen(m), 112);
	assert_string_equal(hex_of(m, strlen(m)),
			    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
	(void)state;
	/* Streamed in uneven pieces, so blocks straddle update calls. */
	char chunk[997];
	memset(chunk, 'a', sizeof(chunk));
	sg_sha256_ctx ctx;
	sg_sha256_init(&ctx);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		sg_sha256_update(&ctx, chunk, n);
		left -= n;
	}
	uint8_t d[SG_SHA256_SIZE];
	sg_sha256_final(d, &ctx);
	char hex[SG_SHA256_HEX_SIZE];
	sg_sha256_to_hex(hex, d);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	/* And in one call. */
	char *big = malloc(1000000);
	assert_non_null(big);
	memset(big, 'a', 1000000);
	assert_string_equal(hex_of(big, 1000000), hex);
	free(big);
}

/* Every split of a message into two updates gives the one-shot digest, for
 * lengths around the padding boundaries (55, 56, 63, 64 bytes ...). */
static void test_streaming_splits(void **state)
{
	(void)state;
	uint8_t msg[200];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		uint8_t want[SG_SHA256_SIZE];
		sg_sha256(want, msg, len);
		for (size_t cut = 0; cut <= len; cut++) {
			sg_sha256_ctx ctx;
			sg_sha256_init(&ctx);
			sg_sha256_update(&ctx, msg, cut);
			sg_sha256_update(&ctx, msg + cut, len - cut);
			uint8_t got[SG_SHA256_SIZE];
			sg_sha256_final(got, &ctx);
			assert_memory_equal(got, want, SG_SHA256_SIZE);
		}
	}
	/* Byte by byte. */
	sg_sha256_ctx ctx;
	sg_sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(msg); i++)
		sg_sha256_update(&ctx, msg + i, 1);
	uint8_t got[SG_SHA256_SIZE], want[SG_SHA256_SIZE];
	sg_sha256_final(got, &ctx);
	sg_sha256(want, msg, sizeof(msg));
	assert_memory_equal(got, want, SG_SHA256_SIZE);
}

/* Lengths 55 (padding fits one block) and 56 (it does not) differ from
 * their neighbours: a known value pins each path. */
static void test_boundaries(void **state)
{
	(void)state;
	char a[64];
	memset(a, 'a', sizeof(a));
	assert_string_equal(hex_of(a, 55),
			    "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	assert_string_equal(hex_of(a, 56),
			    "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	assert_string_equal(hex_of(a, 64),
			    "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

/* The processor's SHA instructions (where it has them) and the portable
 * code agree on messages of every length up to a few blocks, and at
 * random offsets (unaligned loads). */
static void test_implementations_agree(void **state)
{
	(void)state;
	static uint8_t msg[4096 + 16];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof(msg); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		msg[i] = (uint8_t)x;
	}
	for (size_t len = 0; len <= 4096; len += len < 300 ? 1 : 61) {
		size_t off = len % 13;
		uint8_t a[SG_SHA256_SIZE], b[SG_SHA256_SIZE];
		sg_sha256_use_portable(true);
		sg_sha256(a, msg + off, len);
		bool portable = sg_sha256_use_portable(false);
		sg_sha256(b, msg + off, len);
		assert_memory_equal(a, b, SG_SHA256_SIZE);
		(void)portable;
	}
	if (!sg_sha256_use_portable(false))
		print_message("SHA instructions in use and checked against the portable code\n");
}

static int portable_on(void **state)
{
	(void)state;
	sg_sha256_use_portable(true);
	return 0;
}

static int portable_off(void **state)
{
	(void)state;
	sg_sha256_use_portable(false);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* The standard's examples with the portable code, then with the
		 * default (the processor's instructions where it has them). */
		cmocka_unit_test_setup_teardown(test_empty, portable_on, portable_off),
		cmocka_unit_test_setup_teardown(test_abc, portable_on, portable_off),
		cmocka_unit_test_setup_teardown(test_896_bits, portable_on, portable_off),
		cmocka_unit_test_setup_teardown(test_million_a, portable_on, portable_off),
		cmocka_unit_test_setup_teardown(test_boundaries, portable_on, portable_off),
		cmocka_unit_test(test_implementations_agree),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_448_bits),
		cmocka_unit_test(test_896_bits),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_streaming_splits),
		cmocka_unit_test(test_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
