/*
 * jwt_auth.c - API Gateway's Cognito (REST) and JWT (HTTP API) authorizers
 * over librhonabwy (rules and sources in include/svcgen/jwt_auth.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <rhonabwy.h>

#include "svcgen/jwt_auth.h"

struct sg_jwt_verifier {
	jwks_t *jwks;
	char *issuer;
	char **audiences;
	size_t audience_count;
	/* rhonabwy's key set is jansson underneath: one reader at a time. */
	pthread_mutex_t mu;
};

int sg_jwt_verifier_new(sg_jwt_verifier **out, const char *jwks_json, const char *issuer,
			const char *const *audiences, size_t audience_count)
{
	*out = NULL;
	sg_jwt_verifier *v = calloc(1, sizeof(*v));
	if (!v)
		return -1;
	if (r_jwks_init(&v->jwks) != RHN_OK ||
	    r_jwks_import_from_json_str(v->jwks, jwks_json) != RHN_OK || !r_jwks_size(v->jwks)) {
		r_jwks_free(v->jwks);
		free(v);
		return -1;
	}
	v->issuer = strdup(issuer ? issuer : "");
	v->audiences = calloc(audience_count + 1, sizeof(char *));
	for (size_t i = 0; i < audience_count; i++)
		v->audiences[i] = strdup(audiences[i]);
	v->audience_count = audience_count;
	pthread_mutex_init(&v->mu, NULL);
	*out = v;
	return 0;
}

void sg_jwt_verifier_free(sg_jwt_verifier *v)
{
	if (!v)
		return;
	r_jwks_free(v->jwks);
	free(v->issuer);
	for (size_t i = 0; i < v->audience_count; i++)
		free(v->audiences[i]);
	free(v->audiences);
	pthread_mutex_destroy(&v->mu);
	free(v);
}

const char *sg_jwt_status_text(sg_jwt_status s)
{
	switch (s) {
	case SG_JWT_OK: return "valid";
	case SG_JWT_MISSING: return "no token";
	case SG_JWT_MALFORMED: return "not a signed RS256 token of the pool's keys";
	case SG_JWT_BAD_SIGNATURE: return "the signature does not verify";
	case SG_JWT_EXPIRED: return "the token has expired";
	case SG_JWT_NOT_YET: return "the token is not valid yet";
	case SG_JWT_WRONG_ISSUER: return "the token is from another issuer";
	case SG_JWT_WRONG_AUDIENCE: return "the token is for another audience";
	case SG_JWT_WRONG_USE: return "an access token is required (the method has scopes)";
	case SG_JWT_SCOPE: return "the token has none of the method's scopes";
	}
	return "invalid";
}

static bool num_claim(const cJSON *c, const char *name, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, name);
	if (!cJSON_IsNumber(v))
		return false;
	*out = v->valuedouble;
	return true;
}

static const char *str_claim(const cJSON *c, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Verify the signature and hand back the payload (malloc'd), or a status. */
static sg_jwt_status verify(char **payload, const sg_jwt_verifier *vc, const char *token)
{
	sg_jwt_verifier *v = (sg_jwt_verifier *)vc;
	*payload = NULL;
	jwt_t *jwt = NULL;
	if (r_jwt_init(&jwt) != RHN_OK)
		return SG_JWT_MALFORMED;
	sg_jwt_status st = SG_JWT_MALFORMED;
	pthread_mutex_lock(&v->mu);
	/* R_PARSE_NONE: keys named in the token's own header are not used,
	 * R_FLAG_IGNORE_REMOTE: nothing is downloaded. */
	if (r_jwt_advanced_parsen(jwt, token, strlen(token), R_PARSE_NONE, R_FLAG_IGNORE_REMOTE) ==
		    RHN_OK &&
	    r_jwt_get_type(jwt) == R_JWT_TYPE_SIGN && r_jwt_get_sign_alg(jwt) == R_JWA_ALG_RS256) {
		const char *kid = r_jwt_get_header_str_value(jwt, "kid");
		jwk_t *key = kid ? r_jwks_get_by_kid(v->jwks, kid) : NULL;
		if (key) {
			if (r_jwt_verify_signature(jwt, key, R_FLAG_IGNORE_REMOTE) == RHN_OK) {
				char *s = r_jwt_get_full_claims_str(jwt);
				if (s) {
					*payload = strdup(s);
					r_free(s);
					st = SG_JWT_OK;
				}
			} else {
				st = SG_JWT_BAD_SIGNATURE;
			}
			r_jwk_free(key);
		}
	}
	pthread_mutex_unlock(&v->mu);
	r_jwt_free(jwt);
	return st;
}

sg_jwt_status sg_jwt_check(sg_jwt_claims *out, sg_arena *a, const sg_jwt_verifier *v,
			   sg_jwt_style style, const char *header, const char *const *scopes,
			   size_t scope_count, time_t now)
{
	memset(out, 0, sizeof(*out));
	if (!header)
		return SG_JWT_MISSING;
	while (*header == ' ')
		header++;
	if (style == SG_JWT_HTTP && !strncasecmp(header, "Bearer ", 7)) {
		header += 7;
		while (*header == ' ')
			header++;
	}
	if (!*header)
		return SG_JWT_MISSING;
	char *payload;
	sg_jwt_status st = verify(&payload, v, header);
	if (st != SG_JWT_OK)
		return st;
	cJSON *c = cJSON_Parse(payload);
	free(payload);
	if (!cJSON_IsObject(c)) {
		cJSON_Delete(c);
		return SG_JWT_MALFORMED;
	}
	double exp, t;
	const char *iss = str_claim(c, "iss");
	const char *use = str_claim(c, "token_use");
	const char *scope = str_claim(c, "scope");
	if (!scope)
		scope = str_claim(c, "scp");
	if (!iss || strcmp(iss, v->issuer))
		st = SG_JWT_WRONG_ISSUER;
	else if (!num_claim(c, "exp", &exp) || exp <= (double)now)
		st = SG_JWT_EXPIRED;
	else if ((num_claim(c, "nbf", &t) && t > (double)now + 60) ||
		 (style == SG_JWT_HTTP && num_claim(c, "iat", &t) && t > (double)now + 60))
		st = SG_JWT_NOT_YET;
	if (st == SG_JWT_OK && style == SG_JWT_HTTP) {
		const char *aud = str_claim(c, "aud"), *cid = str_claim(c, "client_id");
		bool ok = false;
		for (size_t i = 0; i < v->audience_count && !ok; i++)
			ok = (aud && !strcmp(aud, v->audiences[i])) ||
			     (cid && !strcmp(cid, v->audiences[i]));
		if (!ok)
			st = SG_JWT_WRONG_AUDIENCE;
	}
	if (st == SG_JWT_OK && style == SG_JWT_REST_COGNITO) {
		/* A Cognito pool's tokens say what they are for. */
		if (!use || (strcmp(use, "id") && strcmp(use, "access")))
			st = SG_JWT_MALFORMED;
		else if (scope_count && strcmp(use, "access"))
			st = SG_JWT_WRONG_USE;
	}
	/* The token's scopes. */
	size_t n = 0;
	const char **list = NULL;
	if (scope) {
		size_t cap = 1;
		for (const char *p = scope; *p; p++)
			cap += *p == ' ';
		list = sg_arena_calloc(a, cap, sizeof(*list));
		for (const char *p = scope; *p;) {
			while (*p == ' ')
				p++;
			const char *e = strchr(p, ' ');
			if (!e)
				e = p + strlen(p);
			if (e > p)
				list[n++] = sg_arena_strndup(a, p, (size_t)(e - p));
			p = e;
		}
	}
	if (st == SG_JWT_OK && scope_count) {
		bool any = false;
		for (size_t i = 0; i < scope_count && !any; i++)
			for (size_t k = 0; k < n && !any; k++)
				any = !strcmp(scopes[i], list[k]);
		if (!any)
			st = SG_JWT_SCOPE;
	}
	if (st == SG_JWT_OK) {
		char *s = cJSON_PrintUnformatted(c);
		out->claims_json = sg_arena_strdup(a, s);
		cJSON_free(s);
		out->scopes = list;
		out->scope_count = n;
		out->has_scope_claim = scope != NULL;
		out->token_use = use ? sg_arena_strdup(a, use) : NULL;
	}
	cJSON_Delete(c);
	return st;
}
