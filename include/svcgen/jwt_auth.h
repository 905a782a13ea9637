/*
 * jwt_auth.h - the Cognito and JWT authorizers of API Gateway, on tokens
 * of the local user pool.
 *
 * REST APIs (COGNITO_USER_POOLS authorizer, API Gateway Developer Guide,
 * "Control access to REST APIs using Amazon Cognito user pools as an
 * authorizer"): the Authorization header carries the token itself (no
 * "Bearer " prefix); its RS256 signature must verify against a key of the
 * pool's JWKS (by kid), `iss` must be the pool, `exp` in the future.  A
 * method without scopes takes an ID or an access token; a method with
 * scopes takes only an access token whose `scope` holds at least one of
 * them.  Every failure answers 401.
 *
 * HTTP APIs (JWT authorizer, "Controlling access to HTTP APIs with JWT
 * authorizers"): "Bearer " is stripped if present; kid/alg RS256 and the
 * signature as above, `iss` the issuer, `aud` or `client_id` one of the
 * audiences (the generated authorizer's: the app client), `exp` in the
 * future and `nbf`/`iat` not in the future; a route with scopes needs at
 * least one of them in `scope` (or `scp`), else 403.
 *
 * Signatures are checked with librhonabwy (GnuTLS underneath); the token's
 * header may not bring keys of its own (jwk, jku, x5u, x5c are ignored and
 * nothing is fetched), and only RS256 is accepted.
 */
#ifndef SVCGEN_JWT_AUTH_H
#define SVCGEN_JWT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "svcgen/arena.h"

typedef struct sg_jwt_verifier sg_jwt_verifier;

typedef enum sg_jwt_style {
	SG_JWT_REST_COGNITO, /* REST API, COGNITO_USER_POOLS */
	SG_JWT_HTTP,         /* HTTP API, JWT authorizer */
} sg_jwt_style;

typedef enum sg_jwt_status {
	SG_JWT_OK = 0,
	SG_JWT_MISSING,       /* no token: 401 */
	SG_JWT_MALFORMED,     /* not a signed JWT, wrong alg, unknown kid: 401 */
	SG_JWT_BAD_SIGNATURE, /* 401 */
	SG_JWT_EXPIRED,       /* exp passed (REST: "The incoming token has expired"), 401 */
	SG_JWT_NOT_YET,       /* nbf or iat in the future, 401 */
	SG_JWT_WRONG_ISSUER,  /* 401 */
	SG_JWT_WRONG_AUDIENCE,/* 401 */
	SG_JWT_WRONG_USE,     /* REST: an ID token where scopes are required, 401 */
	SG_JWT_SCOPE,         /* none of the method's scopes: REST 401, HTTP 403 */
} sg_jwt_status;

/*
 * A verifier for tokens of `issuer` signed by a key of `jwks_json` (the
 * pool's /.well-known/jwks.json), with `audiences` (may be empty for
 * REST).  Returns 0, or -1 when the JWKS cannot be read.  Free with
 * sg_jwt_verifier_free.
 */
int sg_jwt_verifier_new(sg_jwt_verifier **out, const char *jwks_json, const char *issuer,
			const char *const *audiences, size_t audience_count);
void sg_jwt_verifier_free(sg_jwt_verifier *v);

/* What a valid token says. */
typedef struct sg_jwt_claims {
	const char *claims_json;    /* the payload, as JSON text */
	const char *const *scopes;  /* the `scope` claim split at spaces */
	size_t scope_count;
	bool has_scope_claim;
	const char *token_use;      /* "id", "access", or NULL */
} sg_jwt_claims;

/*
 * Check `header` (the Authorization header's value, or NULL) as `style`
 * requires, for a method needing one of `scopes` (none: no scope check),
 * at `now`.  On SG_JWT_OK `*out` holds the claims (arena-owned).
 */
sg_jwt_status sg_jwt_check(sg_jwt_claims *out, sg_arena *arena, const sg_jwt_verifier *v,
			   sg_jwt_style style, const char *header, const char *const *scopes,
			   size_t scope_count, time_t now);

/* A short text for a status ("the token has expired"). */
const char *sg_jwt_status_text(sg_jwt_status s);

#endif
