/*
 * sigv4.h - verifying AWS Signature Version 4 on the server side.
 *
 * `svcgen local` stands where AWS stands: it receives signed requests (a
 * function's DynamoDB and SNS calls, a caller of an IAM-auth API) and must
 * tell, as AWS does, who signed and whether the signature holds.  This unit
 * parses the Authorization header (or the presigned X-Amz-* query
 * parameters), rebuilds the canonical request and compares signatures.
 *
 * Follows the IAM User Guide, "Create a signed AWS API request" (Signature
 * Version 4): canonical URI (each segment URI-encoded again for every
 * service but S3), canonical query string (decoded, re-encoded, sorted),
 * canonical headers (lower-case names, trimmed values with inner runs of
 * spaces folded, repeated headers joined by ","), signed headers, the
 * payload hash (x-amz-content-sha256 when sent, else SHA-256 of the body);
 * the string to sign and the derived signing key (HMAC-SHA256 chain over
 * date, region, service, "aws4_request").  HMAC and SHA-256 come from
 * GnuTLS (see docs/design-notes.md, "svcgen local").
 *
 * Memory: nothing is retained; results go to caller-provided structures.
 * Thread-safe.
 */
#ifndef SVCGEN_SIGV4_H
#define SVCGEN_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "svcgen/buf.h"

/* One request header as received (any case; repeats allowed). */
typedef struct sg_sigv4_header {
	const char *name;
	const char *value;
} sg_sigv4_header;

/* A received request, as it came over the wire. */
typedef struct sg_sigv4_request {
	const char *method;        /* "POST" */
	const char *path;          /* raw path as sent, percent-encoded: "/dev/users/a%20b" */
	const char *query;         /* raw query after '?', "" when none */
	const sg_sigv4_header *headers;
	size_t header_count;
	const void *body;
	size_t body_len;
} sg_sigv4_request;

/* What the caller claims: parsed from Authorization or the query. */
typedef struct sg_sigv4_auth {
	char access_key[129];
	char date[9];              /* YYYYMMDD of the credential scope */
	char region[64];
	char service[64];
	char signed_headers[1024]; /* "host;x-amz-date", as sent */
	char signature[65];        /* 64 lower-case hex digits */
	char amz_date[17];         /* YYYYMMDDTHHMMSSZ */
	char session_token[2048];  /* X-Amz-Security-Token, "" when absent */
	bool presigned;            /* from the query string */
	long expires;              /* presigned: X-Amz-Expires (s) */
} sg_sigv4_auth;

/* Outcomes, each the error AWS reports for it (names as AWS spells them). */
typedef enum sg_sigv4_status {
	SG_SIGV4_OK = 0,
	SG_SIGV4_MISSING,          /* no Authorization, no X-Amz-Signature:
	                              MissingAuthenticationToken(Exception) */
	SG_SIGV4_INCOMPLETE,       /* malformed or not AWS4-HMAC-SHA256:
	                              IncompleteSignature(Exception) */
	SG_SIGV4_MISMATCH,         /* signature differs: InvalidSignatureException
	                              (SignatureDoesNotMatch in Query services) */
	SG_SIGV4_EXPIRED,          /* outside the 15-minute window (or past a
	                              presigned URL's expiry): InvalidSignatureException
	                              "Signature expired" */
} sg_sigv4_status;

/* How far a request's X-Amz-Date may be from now, as AWS allows. */
#define SG_SIGV4_SKEW_SECONDS (15 * 60)

/*
 * Parse the signature claims of `req` into `*out`.  Returns SG_SIGV4_OK,
 * SG_SIGV4_MISSING (nothing to parse) or SG_SIGV4_INCOMPLETE, with a
 * one-line reason in `why` (may be NULL; static storage).
 */
sg_sigv4_status sg_sigv4_parse(sg_sigv4_auth *out, const sg_sigv4_request *req,
			       const char **why);

/*
 * Check `auth` (from sg_sigv4_parse of `req`) against `secret`, the secret
 * access key that belongs to auth->access_key, at time `now`: the signed
 * headers must include host, the date must be within SG_SIGV4_SKEW_SECONDS
 * (presigned: not past X-Amz-Expires), and the signature must match.
 * Returns SG_SIGV4_OK, SG_SIGV4_EXPIRED or SG_SIGV4_MISMATCH (with `why`).
 */
sg_sigv4_status sg_sigv4_verify(const sg_sigv4_auth *auth, const sg_sigv4_request *req,
				const char *secret, time_t now, const char **why);

/*
 * The canonical request of `req` for `auth`'s signed headers, into `out`
 * (appended).  Exposed for tests and for explaining a mismatch.  `s3` turns
 * off the second encoding of the path (S3's rule).
 */
void sg_sigv4_canonical_request(sg_buf *out, const sg_sigv4_request *req,
				const sg_sigv4_auth *auth, bool s3);

/*
 * The signature (64 hex digits + NUL into `hex`) of `req` with the claims of
 * `auth` (date, region, service, signed headers) and `secret`: what a
 * correct client would send.  Used by sg_sigv4_verify and by tests.
 */
void sg_sigv4_signature(char hex[65], const sg_sigv4_request *req, const sg_sigv4_auth *auth,
			const char *secret);

/* The first header named `name` (ASCII case-insensitive), or NULL. */
const char *sg_sigv4_header_get(const sg_sigv4_request *req, const char *name);

/* Constant-time comparison of two NUL-terminated strings (for secrets). */
bool sg_sigv4_equal(const char *a, const char *b);

#endif
