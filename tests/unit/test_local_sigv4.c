/*
 * test_local_sigv4.c - server-side SigV4 verification (src/local/sigv4.c)
 * against signatures made by others: the "get-vanilla" case of AWS's
 * Signature Version 4 test suite, and requests signed by botocore 1.44
 * (tests/requirements.txt) at a fixed time: a DynamoDB call with a session
 * token, an execute-api GET with an encoded path and an unsorted, repeated
 * query, an SNS form body.  Then what must fail: one changed byte of body,
 * path, query or a signed header, the wrong secret, a date outside the
 * 15-minute window, a scope date that is not the request's, a request that
 * does not sign host, malformed Authorization headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "svcgen/sigv4.h"

/* 2026-12-02T07:30:00Z, when botocore signed the requests below. */
#define SIGNED_AT ((time_t)1796196600)

typedef struct rq {
	sg_sigv4_header h[8];
	sg_sigv4_request r;
} rq;

static void ddb_request(rq *q, const char *body, const char *sig)
{
	static char auth[512];
	snprintf(auth, sizeof(auth),
		 "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY000001/20261202/us-east-1/dynamodb/"
		 "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
		 "x-amz-target, Signature=%s",
		 sig);
	sg_sigv4_header h[] = {
		{"Host", "127.0.0.1:4566"},
		{"Content-Type", "application/x-amz-json-1.0"},
		{"X-Amz-Target", "DynamoDB_20120810.GetItem"},
		{"X-Amz-Date", "20261202T073000Z"},
		{"X-Amz-Security-Token", "tok+en/=="},
		{"Authorization", auth},
	};
	memcpy(q->h, h, sizeof(h));
	sg_sigv4_request r = {"POST", "/", "", q->h, 6, body, strlen(body)};
	q->r = r;
}

static const char ddb_body[] = "{\"TableName\":\"shop-dev-shop\",\"Key\":{\"PK\":{\"S\":\"a\"}}}";
static const char ddb_sig[] = "e25e2f56d81299ac4ef159fbd4f8eb622ca8e14a55ec55a16458cdcb689b05cf";

static void test_aws_suite_get_vanilla(void **state)
{
	(void)state;
	sg_sigv4_header h[] = {
		{"Host", "example.amazonaws.com"},
		{"X-Amz-Date", "20150830T123600Z"},
		{"Authorization",
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
		 "SignedHeaders=host;x-amz-date, "
		 "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
	};
	sg_sigv4_request r = {"GET", "/", "", h, 3, "", 0};
	sg_sigv4_auth a;
	assert_int_equal(sg_sigv4_parse(&a, &r, NULL), SG_SIGV4_OK);
	assert_string_equal(a.access_key, "AKIDEXAMPLE");
	assert_string_equal(a.service, "service");
	time_t at = (time_t)1440938160; /* 2015-08-30T12:36:00Z */
	assert_int_equal(sg_sigv4_verify(&a, &r, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", at, NULL),
			 SG_SIGV4_OK);
}

static void test_botocore_dynamodb(void **state)
{
	(void)state;
	rq q;
	ddb_request(&q, ddb_body, ddb_sig);
	sg_sigv4_auth a;
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_string_equal(a.region, "us-east-1");
	assert_string_equal(a.session_token, "tok+en/==");
	assert_int_equal(sg_sigv4_verify(&a, &q.r, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
					 SIGNED_AT + 60, NULL),
			 SG_SIGV4_OK);
}

static void test_botocore_execute_api(void **state)
{
	(void)state;
	sg_sigv4_header h[] = {
		{"Host", "127.0.0.1:3000"},
		{"X-Amz-Date", "20261202T073000Z"},
		{"Authorization",
		 "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20261202/eu-central-1/execute-api/"
		 "aws4_request, SignedHeaders=host;x-amz-date, "
		 "Signature=b0a378c10639418f9264914579e95f9a7ed2bb519de38183eeecc35acfe5aa0c"},
	};
	sg_sigv4_request r = {"GET", "/dev/users/a%20b/orders", "z=1&a=2&a=1&empty=", h, 3, "", 0};
	sg_sigv4_auth a;
	assert_int_equal(sg_sigv4_parse(&a, &r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &r, "secret/with+chars", SIGNED_AT, NULL), SG_SIGV4_OK);
	/* The query is part of what was signed. */
	r.query = "z=1&a=2&a=3&empty=";
	assert_int_equal(sg_sigv4_verify(&a, &r, "secret/with+chars", SIGNED_AT, NULL),
			 SG_SIGV4_MISMATCH);
	r.query = "z=1&a=2&a=1&empty=";
	r.path = "/dev/users/a%20c/orders";
	assert_int_equal(sg_sigv4_verify(&a, &r, "secret/with+chars", SIGNED_AT, NULL),
			 SG_SIGV4_MISMATCH);
}

static void test_botocore_sns(void **state)
{
	(void)state;
	static const char body[] = "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012"
				   "%3At&Message=hi+there";
	sg_sigv4_header h[] = {
		{"Host", "localhost:9999"},
		{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
		{"X-Amz-Date", "20261202T073000Z"},
		{"X-Amz-Security-Token", "T"},
		{"Authorization",
		 "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY000002/20261202/us-east-1/sns/aws4_request, "
		 "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
		 "Signature=ee7638cd83d2d8a3ff3e6c5511551357043fa73b1865632a692d6d3d8255b391"},
	};
	sg_sigv4_request r = {"POST", "/", "", h, 5, body, strlen(body)};
	sg_sigv4_auth a;
	assert_int_equal(sg_sigv4_parse(&a, &r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &r, "s3cr3t", SIGNED_AT, NULL), SG_SIGV4_OK);
}

static void test_tampering_fails(void **state)
{
	(void)state;
	const char *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	rq q;
	sg_sigv4_auth a;
	/* One byte of the body. */
	char body[sizeof(ddb_body)];
	memcpy(body, ddb_body, sizeof(body));
	body[strlen(body) - 4] = 'b';
	ddb_request(&q, body, ddb_sig);
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT, NULL), SG_SIGV4_MISMATCH);
	/* A signed header's value (another operation). */
	ddb_request(&q, ddb_body, ddb_sig);
	q.h[2].value = "DynamoDB_20120810.PutItem";
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT, NULL), SG_SIGV4_MISMATCH);
	/* The wrong secret. */
	ddb_request(&q, ddb_body, ddb_sig);
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, "another", SIGNED_AT, NULL), SG_SIGV4_MISMATCH);
	/* An unsigned header may change: it is not part of the signature. */
	ddb_request(&q, ddb_body, ddb_sig);
	q.h[6].name = "User-Agent";
	q.h[6].value = "whatever";
	q.r.header_count = 7;
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT, NULL), SG_SIGV4_OK);
}

static void test_time_window(void **state)
{
	(void)state;
	const char *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	rq q;
	sg_sigv4_auth a;
	ddb_request(&q, ddb_body, ddb_sig);
	assert_int_equal(sg_sigv4_parse(&a, &q.r, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT + 15 * 60, NULL), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT + 15 * 60 + 1, NULL),
			 SG_SIGV4_EXPIRED);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT - 15 * 60 - 1, NULL),
			 SG_SIGV4_EXPIRED);
	/* The credential scope's date must be the request's. */
	memcpy(a.date, "20261201", 9);
	assert_int_equal(sg_sigv4_verify(&a, &q.r, secret, SIGNED_AT, NULL), SG_SIGV4_MISMATCH);
}

static void test_malformed(void **state)
{
	(void)state;
	sg_sigv4_header h[3] = {{"Host", "h"}, {"X-Amz-Date", "20261202T073000Z"}, {"Authorization", ""}};
	sg_sigv4_request r = {"GET", "/", "", h, 2, "", 0};
	sg_sigv4_auth a;
	const char *why;
	assert_int_equal(sg_sigv4_parse(&a, &r, &why), SG_SIGV4_MISSING);
	r.header_count = 3;
	static const char *const bad[] = {
		"Bearer abc",
		"AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" 
		"5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/s3/aws4_request, "
		"SignedHeaders=host, Signature=zz",
		"AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/s3/aws4_request, SignedHeaders=host, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/s3/aws5_request, SignedHeaders=host, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h[2].value = bad[i];
		assert_int_equal(sg_sigv4_parse(&a, &r, &why), SG_SIGV4_INCOMPLETE);
		assert_true(why[0] != '\0');
	}
	/* Well formed, but host is not signed. */
	h[2].value = "AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/s3/aws4_request, "
		     "SignedHeaders=x-amz-date, "
		     "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
	assert_int_equal(sg_sigv4_parse(&a, &r, &why), SG_SIGV4_OK);
	assert_int_equal(sg_sigv4_verify(&a, &r, "k", SIGNED_AT, &why), SG_SIGV4_MISMATCH);
}

static void test_canonical_path(void **state)
{
	(void)state;
	/* Dot segments resolve, repeated slashes fold, '%' is encoded again. */
	sg_sigv4_header h[] = {{"Host", "h"}};
	sg_sigv4_auth a;
	memset(&a, 0, sizeof(a));
	strcpy(a.signed_headers, "host");
	sg_sigv4_request r = {"GET", "/a/./b/../c//d%20e/", "b=2&a=1", h, 1, "", 0};
	sg_buf out = SG_BUF_INIT;
	sg_sigv4_canonical_request(&out, &r, &a, false);
	assert_non_null(strstr(out.ptr, "GET\n/a/c/d%2520e/\na=1&b=2\nhost:h\n"));
	sg_buf_free(&out);
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(sg_sigv4_equal("abc", "abc"));
	assert_false(sg_sigv4_equal("abc", "abd"));
	assert_false(sg_sigv4_equal("abc", "abcd"));
	assert_false(sg_sigv4_equal("", "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aws_suite_get_vanilla),
		cmocka_unit_test(test_botocore_dynamodb),
		cmocka_unit_test(test_botocore_execute_api),
		cmocka_unit_test(test_botocore_sns),
		cmocka_unit_test(test_tampering_fails),
		cmocka_unit_test(test_time_window),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_canonical_path),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
