/*
 * test_local_jwt.c - the Cognito (REST) and JWT (HTTP API) authorizers
 * (jwt_auth.c) on real RS256 tokens: a key pair is made for the test, its
 * public half published as a JWKS, tokens signed with librhonabwy.  Valid
 * ID and access tokens pass with the claims kept; an expired token, another
 * issuer, another audience, a foreign key under the same kid, an unsigned
 * or HS256 token, a missing token, a missing scope and an ID token where
 * scopes are required fail with the status API Gateway's rule gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <rhonabwy.h>

#include "svcgen/jwt_auth.h"

#define ISS "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
#define CLIENT "client123"

static jwk_t *priv, *pub, *other_priv;
static sg_jwt_verifier *rest_v, *http_v;
static time_t now;

static int setup(void **state)
{
	(void)state;
	now = time(NULL);
	jwk_t *other_pub;
	r_jwk_init(&priv);
	r_jwk_init(&pub);
	r_jwk_init(&other_priv);
	r_jwk_init(&other_pub);
	if (r_jwk_generate_key_pair(priv, pub, R_KEY_TYPE_RSA, 2048, "k1") != RHN_OK ||
	    r_jwk_generate_key_pair(other_priv, other_pub, R_KEY_TYPE_RSA, 2048, "k1") != RHN_OK)
		return -1;
	r_jwk_free(other_pub);
	jwks_t *set;
	r_jwks_init(&set);
	r_jwks_append_jwk(set, pub);
	char *json = r_jwks_export_to_json_str(set, 0);
	r_jwks_free(set);
	const char *aud[] = {CLIENT};
	int rc = sg_jwt_verifier_new(&rest_v, json, ISS, NULL, 0) ||
		 sg_jwt_verifier_new(&http_v, json, ISS, aud, 1);
	r_free(json);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	sg_jwt_verifier_free(rest_v);
	sg_jwt_verifier_free(http_v);
	r_jwk_free(priv);
	r_jwk_free(pub);
	r_jwk_free(other_priv);
	return 0;
}

/* A token with `claims` (JSON), signed with `key` by `alg`. */
static char *token(const char *claims, jwk_t *key, jwa_alg alg)
{
	jwt_t *jwt;
	r_jwt_init(&jwt);
	r_jwt_set_full_claims_json_str(jwt, claims);
	r_jwt_set_sign_alg(jwt, alg);
	char *t;
	if (alg == R_JWA_ALG_HS256) {
		jwk_t *k;
		r_jwk_init(&k);
		r_jwk_import_from_symmetric_key(k, (const unsigned char *)"0123456789abcdef0123456789abcdef", 32);
		r_jwk_set_property_str(k, "kid", "k1");
		t = r_jwt_serialize_signed(jwt, k, 0);
		r_jwk_free(k);
	} else {
		t = r_jwt_serialize_signed(jwt, key, 0);
	}
	r_jwt_free(jwt);
	char *copy = strdup(t);
	r_free(t);
	return copy;
}

static char *claims(const char *use, const char *extra, long exp_in)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
		 "{\"iss\":\"" ISS "\",\"sub\":\"u1\",\"token_use\":\"%s\",\"%s\":\"" CLIENT "\","
		 "\"iat\":%ld,\"exp\":%ld%s%s}",
		 use, !strcmp(use, "id") ? "aud" : "client_id", (long)now, (long)now + exp_in,
		 extra ? "," : "", extra ? extra : "");
	return buf;
}

static sg_jwt_status check(const sg_jwt_verifier *v, sg_jwt_style style, const char *header,
			   const char *const *scopes, size_t n, sg_jwt_claims *out)
{
	sg_arena *a = sg_arena_new();
	sg_jwt_claims c;
	sg_jwt_status st = sg_jwt_check(&c, a, v, style, header, scopes, n, now);
	if (out) {
		*out = c;
		if (st == SG_JWT_OK)
			assert_non_null(strstr(c.claims_json, "\"sub\":\"u1\""));
	}
	sg_arena_free(a);
	return st;
}

static void test_rest(void **state)
{
	(void)state;
	static const char *const openid[] = {"openid"};
	char *id = token(claims("id", NULL, 3600), priv, R_JWA_ALG_RS256);
	char *access = token(claims("access", "\"scope\":\"aws.cognito.signin.user.admin openid\"", 3600),
			     priv, R_JWA_ALG_RS256);
	char *plain = token(claims("access", "\"scope\":\"aws.cognito.signin.user.admin\"", 3600), priv,
			    R_JWA_ALG_RS256);
	sg_jwt_claims c;
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, id, NULL, 0, &c), SG_JWT_OK);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, access, NULL, 0, NULL), SG_JWT_OK);
	/* With scopes: an access token that has one of them. */
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, access, openid, 1, NULL), SG_JWT_OK);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, plain, openid, 1, NULL), SG_JWT_SCOPE);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, id, openid, 1, NULL), SG_JWT_WRONG_USE);
	/* REST takes the token itself, not "Bearer <token>". */
	char bearer[4096];
	snprintf(bearer, sizeof(bearer), "Bearer %s", id);
	assert_int_not_equal(check(rest_v, SG_JWT_REST_COGNITO, bearer, NULL, 0, NULL), SG_JWT_OK);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, NULL, NULL, 0, NULL), SG_JWT_MISSING);
	free(id);
	free(access);
	free(plain);
}

static void test_http(void **state)
{
	(void)state;
	static const char *const want[] = {"items/read", "items/write"};
	char *id = token(claims("id", NULL, 3600), priv, R_JWA_ALG_RS256);
	char *access = token(claims("access", "\"scope\":\"items/write\"", 3600), priv, R_JWA_ALG_RS256);
	char h[4096];
	snprintf(h, sizeof(h), "Bearer %s", id);
	sg_jwt_claims c;
	assert_int_equal(check(http_v, SG_JWT_HTTP, h, NULL, 0, &c), SG_JWT_OK);
	assert_int_equal(check(http_v, SG_JWT_HTTP, id, NULL, 0, NULL), SG_JWT_OK);
	/* The access token's audience is its client_id. */
	assert_int_equal(check(http_v, SG_JWT_HTTP, access, want, 2, NULL), SG_JWT_OK);
	assert_int_equal(check(http_v, SG_JWT_HTTP, access, want, 1, NULL), SG_JWT_SCOPE);
	/* Another audience. */
	char *other = token("{\"iss\":\"" ISS "\",\"sub\":\"u1\",\"aud\":\"nobody\",\"exp\":9999999999}",
			    priv, R_JWA_ALG_RS256);
	assert_int_equal(check(http_v, SG_JWT_HTTP, other, NULL, 0, NULL), SG_JWT_WRONG_AUDIENCE);
	free(other);
	free(id);
	free(access);
}

static void test_refused(void **state)
{
	(void)state;
	char *t = token(claims("id", NULL, -10), priv, R_JWA_ALG_RS256);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, t, NULL, 0, NULL), SG_JWT_EXPIRED);
	free(t);
	t = token("{\"iss\":\"https://elsewhere\",\"sub\":\"u1\",\"token_use\":\"id\",\"exp\":9999999999}",
		  priv, R_JWA_ALG_RS256);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, t, NULL, 0, NULL), SG_JWT_WRONG_ISSUER);
	free(t);
	/* Signed by another key that claims the pool's kid. */
	t = token(claims("id", NULL, 3600), other_priv, R_JWA_ALG_RS256);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, t, NULL, 0, NULL), SG_JWT_BAD_SIGNATURE);
	free(t);
	/* Only RS256: an HMAC token made with a guessable secret is refused. */
	t = token(claims("id", NULL, 3600), NULL, R_JWA_ALG_HS256);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, t, NULL, 0, NULL), SG_JWT_MALFORMED);
	free(t);
	/* Not a token; an unsigned one ("alg": "none"). */
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO, "abc.def", NULL, 0, NULL), SG_JWT_MALFORMED);
	assert_int_equal(check(rest_v, SG_JWT_REST_COGNITO,
			       "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.", NULL, 0, NULL),
			 SG_JWT_MALFORMED);
	/* One changed character of a valid token's payload. */
	t = token(claims("id", NULL, 3600), priv, R_JWA_ALG_RS256);
	char *dot = strchr(t, '.');
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	assert_int_not_equal(check(rest_v, SG_JWT_REST_COGNITO, t, NULL, 0, NULL), SG_JWT_OK);
	free(t);
	assert_string_equal(sg_jwt_status_text(SG_JWT_EXPIRED), "the token has expired");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rest),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
