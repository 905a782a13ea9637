/*
 * sigv4.c - server-side verification of AWS Signature Version 4 (see
 * include/svcgen/sigv4.h for the rules followed and their source).
 *
 * The canonical request is rebuilt from the bytes as they arrived (raw path
 * and query), never from a decoded form, because that is what the client
 * signed.  HMAC-SHA256 and SHA-256 are GnuTLS's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "svcgen/sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

bool sg_sigv4_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);
	size_t n = la < lb ? la : lb;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

const char *sg_sigv4_header_get(const sg_sigv4_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (!strcasecmp(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}

static void hex_of(char *out, const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char d[32];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d);
	hex_of(out, d, 32);
}

static void hmac(unsigned char out[32], const void *key, size_t key_len, const char *msg,
		 size_t msg_len)
{
	gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, msg, msg_len, out);
}

/* ---- encoding ------------------------------------------------------------- */

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* URI-encode `len` bytes per SigV4 (unreserved kept, '/' kept if `slash`). */
static void uri_encode(sg_buf *out, const char *s, size_t len, bool slash)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (slash && c == '/'))
			sg_buf_putc(out, (char)c);
		else
			sg_buf_printf(out, "%%%02X", c);
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode `len` bytes (only %XX; '+' stays itself, as SigV4 says). */
static void pct_decode(sg_buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			sg_buf_putc(out, (char)(hexval((unsigned char)s[i + 1]) * 16 +
						hexval((unsigned char)s[i + 2])));
			i += 2;
		} else {
			sg_buf_putc(out, s[i]);
		}
	}
}

/*
 * The canonical URI: the path with "." and ".." segments resolved and
 * repeated slashes folded (as AWS and the SDKs normalize it), a trailing
 * slash kept, then URI-encoded (again, for all services but S3).
 */
static void canonical_uri(sg_buf *out, const char *path, bool s3)
{
	if (!path || !*path) {
		sg_buf_putc(out, '/');
		return;
	}
	if (s3) {
		uri_encode(out, path, strlen(path), true);
		return;
	}
	/* Segments, resolved. */
	size_t n = strlen(path);
	const char **seg = calloc(n + 1, sizeof(*seg));
	size_t *seg_len = calloc(n + 1, sizeof(*seg_len));
	size_t count = 0;
	if (!seg || !seg_len) {
		free(seg);
		free(seg_len);
		abort();
	}
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t l = (size_t)(e - p);
		if (l == 0) {
		} else if (l == 1 && p[0] == '.') {
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (count)
				count--;
		} else {
			seg[count] = p;
			seg_len[count++] = l;
		}
		p = e;
	}
	sg_buf norm = SG_BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		sg_buf_putc(&norm, '/');
		sg_buf_put(&norm, seg[i], seg_len[i]);
	}
	if (count == 0 || path[n - 1] == '/')
		sg_buf_putc(&norm, '/');
	uri_encode(out, norm.ptr, norm.len, true);
	sg_buf_free(&norm);
	free(seg);
	free(seg_len);
}

typedef struct qparam {
	char *key, *value; /* encoded the SigV4 way */
} qparam;

static int qparam_cmp(const void *a, const void *b)
{
	const qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static char *reencode(const char *s, size_t len)
{
	sg_buf dec = SG_BUF_INIT, enc = SG_BUF_INIT;
	pct_decode(&dec, s, len);
	uri_encode(&enc, dec.ptr ? dec.ptr : "", dec.len, false);
	sg_buf_free(&dec);
	if (!enc.ptr)
		sg_buf_puts(&enc, "");
	return enc.ptr;
}

/* The canonical query string; X-Amz-Signature itself is left out. */
static void canonical_query(sg_buf *out, const char *query)
{
	if (!query || !*query)
		return;
	size_t cap = 1;
	for (const char *p = query; *p; p++)
		cap += *p == '&';
	qparam *ps = calloc(cap, sizeof(*ps));
	if (!ps)
		abort();
	size_t n = 0;
	for (const char *p = query; *p;) {
		const char *e = strchr(p, '&');
		if (!e)
			e = p + strlen(p);
		if (e > p) {
			const char *eq = memchr(p, '=', (size_t)(e - p));
			const char *kend = eq ? eq : e;
			char *k = reencode(p, (size_t)(kend - p));
			if (!strcmp(k, "X-Amz-Signature")) {
				free(k);
			} else {
				ps[n].key = k;
				ps[n].value = eq ? reencode(eq + 1, (size_t)(e - eq - 1)) : reencode("", 0);
				n++;
			}
		}
		p = *e ? e + 1 : e;
	}
	qsort(ps, n, sizeof(*ps), qparam_cmp);
	for (size_t i = 0; i < n; i++) {
		sg_buf_printf(out, "%s%s=%s", i ? "&" : "", ps[i].key, ps[i].value);
		free(ps[i].key);
		free(ps[i].value);
	}
	free(ps);
}

/* Append `v` trimmed, inner runs of spaces and tabs folded into one space. */
static void canonical_value(sg_buf *out, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	bool space = false;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = true;
			continue;
		}
		if (space)
			sg_buf_putc(out, ' ');
		space = false;
		sg_buf_putc(out, *v);
	}
}

static void canonical_headers(sg_buf *out, const sg_sigv4_request *req, const char *signed_headers)
{
	for (const char *p = signed_headers; *p;) {
		const char *e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		size_t l = (size_t)(e - p);
		sg_buf_put(out, p, l);
		sg_buf_putc(out, ':');
		bool first = true;
		for (size_t i = 0; i < req->header_count; i++) {
			const char *name = req->headers[i].name;
			if (strlen(name) != l || strncasecmp(name, p, l))
				continue;
			if (!first)
				sg_buf_putc(out, ',');
			canonical_value(out, req->headers[i].value ? req->headers[i].value : "");
			first = false;
		}
		sg_buf_putc(out, '\n');
		p = *e ? e + 1 : e;
	}
}

void sg_sigv4_canonical_request(sg_buf *out, const sg_sigv4_request *req,
				const sg_sigv4_auth *auth, bool s3)
{
	sg_buf_puts(out, req->method);
	sg_buf_putc(out, '\n');
	canonical_uri(out, req->path, s3);
	sg_buf_putc(out, '\n');
	canonical_query(out, req->query);
	sg_buf_putc(out, '\n');
	canonical_headers(out, req, auth->signed_headers);
	sg_buf_putc(out, '\n');
	sg_buf_puts(out, auth->signed_headers);
	sg_buf_putc(out, '\n');
	const char *content = sg_sigv4_header_get(req, "x-amz-content-sha256");
	if (auth->presigned && !content) {
		sg_buf_puts(out, "UNSIGNED-PAYLOAD");
	} else if (content) {
		sg_buf_puts(out, content);
	} else {
		char h[65];
		sha256_hex(h, req->body ? req->body : "", req->body_len);
		sg_buf_puts(out, h);
	}
}

void sg_sigv4_signature(char hex[65], const sg_sigv4_request *req, const sg_sigv4_auth *auth,
			const char *secret)
{
	sg_buf creq = SG_BUF_INIT;
	sg_sigv4_canonical_request(&creq, req, auth, !strcmp(auth->service, "s3"));
	char creq_hash[65];
	sha256_hex(creq_hash, creq.ptr, creq.len);
	sg_buf_free(&creq);

	sg_buf sts = SG_BUF_INIT;
	sg_buf_printf(&sts, ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n%s", auth->amz_date, auth->date,
		      auth->region, auth->service, creq_hash);

	sg_buf k = SG_BUF_INIT;
	sg_buf_printf(&k, "AWS4%s", secret);
	unsigned char kdate[32], kregion[32], kservice[32], ksigning[32], sig[32];
	hmac(kdate, k.ptr, k.len, auth->date, strlen(auth->date));
	hmac(kregion, kdate, 32, auth->region, strlen(auth->region));
	hmac(kservice, kregion, 32, auth->service, strlen(auth->service));
	hmac(ksigning, kservice, 32, "aws4_request", 12);
	hmac(sig, ksigning, 32, sts.ptr, sts.len);
	hex_of(hex, sig, 32);
	/* The secret's copy does not outlive the call. */
	memset(k.ptr, 0, k.len);
	sg_buf_free(&k);
	sg_buf_free(&sts);
}

/* ---- parsing ---------------------------------------------------------------- */

static bool copy_field(char *dst, size_t cap, const char *s, size_t len)
{
	if (len == 0 || len >= cap)
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

/* "AKID/20150830/us-east-1/iam/aws4_request" into `out`. */
static bool parse_credential(sg_sigv4_auth *out, const char *s, size_t len)
{
	const char *parts[5];
	size_t lens[5];
	size_t n = 0;
	const char *p = s, *end = s + len;
	while (n < 5) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *e = slash ? slash : end;
		parts[n] = p;
		lens[n++] = (size_t)(e - p);
		if (!slash)
			break;
		p = slash + 1;
	}
	if (n != 5 || lens[4] != 12 || memcmp(parts[4], "aws4_request", 12))
		return false;
	return copy_field(out->access_key, sizeof(out->access_key), parts[0], lens[0]) &&
	       lens[1] == 8 && copy_field(out->date, sizeof(out->date), parts[1], lens[1]) &&
	       copy_field(out->region, sizeof(out->region), parts[2], lens[2]) &&
	       copy_field(out->service, sizeof(out->service), parts[3], lens[3]);
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

/* The value of query parameter `name` (decoded into `out`), or false. */
static bool query_param(char *out, size_t cap, const char *query, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = query; p && *p;) {
		const char *e = strchr(p, '&');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			sg_buf dec = SG_BUF_INIT;
			pct_decode(&dec, p + nl + 1, (size_t)(e - p - nl - 1));
			bool ok = dec.ptr && copy_field(out, cap, dec.ptr, dec.len);
			sg_buf_free(&dec);
			return ok;
		}
		p = *e ? e + 1 : e;
	}
	return false;
}

static sg_sigv4_status parse_presigned(sg_sigv4_auth *out, const sg_sigv4_request *req,
				       const char **why)
{
	char alg[32], cred[512], expires[16];
	out->presigned = true;
	if (!query_param(alg, sizeof(alg), req->query, "X-Amz-Algorithm") || strcmp(alg, ALGORITHM)) {
		*why = "X-Amz-Algorithm must be " ALGORITHM;
		return SG_SIGV4_INCOMPLETE;
	}
	if (!query_param(cred, sizeof(cred), req->query, "X-Amz-Credential") ||
	    !parse_credential(out, cred, strlen(cred))) {
		*why = "X-Amz-Credential is missing or malformed";
		return SG_SIGV4_INCOMPLETE;
	}
	if (!query_param(out->amz_date, sizeof(out->amz_date), req->query, "X-Amz-Date") ||
	    !query_param(out->signed_headers, sizeof(out->signed_headers), req->query,
			 "X-Amz-SignedHeaders") ||
	    !query_param(out->signature, sizeof(out->signature), req->query, "X-Amz-Signature") ||
	    !is_hex64(out->signature)) {
		*why = "X-Amz-Date, X-Amz-SignedHeaders or X-Amz-Signature is missing or malformed";
		return SG_SIGV4_INCOMPLETE;
	}
	out->expires = 900;
	if (query_param(expires, sizeof(expires), req->query, "X-Amz-Expires"))
		out->expires = strtol(expires, NULL, 10);
	query_param(out->session_token, sizeof(out->session_token), req->query,
		    "X-Amz-Security-Token");
	return SG_SIGV4_OK;
}

sg_sigv4_status sg_sigv4_parse(sg_sigv4_auth *out, const sg_sigv4_request *req,
			       const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = "";
	memset(out, 0, sizeof(*out));
	const char *h = sg_sigv4_header_get(req, "Authorization");
	if (!h || !*h) {
		if (req->query && strstr(req->query, "X-Amz-Signature="))
			return parse_presigned(out, req, why);
		*why = "no Authorization header";
		return SG_SIGV4_MISSING;
	}
	while (*h == ' ')
		h++;
	size_t al = strlen(ALGORITHM);
	if (strncmp(h, ALGORITHM, al) || h[al] != ' ') {
		*why = "Authorization header does not start with " ALGORITHM;
		return SG_SIGV4_INCOMPLETE;
	}
	bool have_cred = false, have_signed = false, have_sig = false;
	for (const char *p = h + al; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (eq) {
			size_t kl = (size_t)(eq - p);
			const char *v = eq + 1;
			size_t vl = (size_t)(e - v);
			while (vl && v[vl - 1] == ' ')
				vl--;
			if (kl == 10 && !strncmp(p, "Credential", kl))
				have_cred = parse_credential(out, v, vl);
			else if (kl == 13 && !strncmp(p, "SignedHeaders", kl))
				have_signed = copy_field(out->signed_headers,
							 sizeof(out->signed_headers), v, vl);
			else if (kl == 9 && !strncmp(p, "Signature", kl))
				have_sig = copy_field(out->signature, sizeof(out->signature), v, vl) &&
					   is_hex64(out->signature);
		}
		p = e;
	}
	if (!have_cred || !have_signed || !have_sig) {
		*why = !have_cred ? "Authorization header requires a valid 'Credential' parameter"
		       : !have_signed ? "Authorization header requires 'SignedHeaders' parameter"
				      : "Authorization header requires 'Signature' parameter";
		return SG_SIGV4_INCOMPLETE;
	}
	const char *d = sg_sigv4_header_get(req, "X-Amz-Date");
	if (!d || !copy_field(out->amz_date, sizeof(out->amz_date), d, strlen(d))) {
		*why = "Authorization header requires existence of either a 'X-Amz-Date' or a "
		       "'Date' header";
		return SG_SIGV4_INCOMPLETE;
	}
	const char *tok = sg_sigv4_header_get(req, "X-Amz-Security-Token");
	if (tok && strlen(tok) < sizeof(out->session_token))
		strcpy(out->session_token, tok);
	return SG_SIGV4_OK;
}

/* "YYYYMMDDTHHMMSSZ" as a time; -1 when malformed. */
static time_t parse_amz_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)s[i]))
			return -1;
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[4] - '0') * 10 + (s[5] - '0') - 1;
	tm.tm_mday = (s[6] - '0') * 10 + (s[7] - '0');
	tm.tm_hour = (s[9] - '0') * 10 + (s[10] - '0');
	tm.tm_min = (s[11] - '0') * 10 + (s[12] - '0');
	tm.tm_sec = (s[13] - '0') * 10 + (s[14] - '0');
	return timegm(&tm);
}

sg_sigv4_status sg_sigv4_verify(const sg_sigv4_auth *auth, const sg_sigv4_request *req,
				const char *secret, time_t now, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = "";
	/* host must be signed (IAM User Guide: "the host header is required"). */
	bool host = false;
	for (const char *p = auth->signed_headers; *p;) {
		const char *e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		if (e - p == 4 && !strncasecmp(p, "host", 4))
			host = true;
		p = *e ? e + 1 : e;
	}
	if (!host) {
		*why = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
		return SG_SIGV4_MISMATCH;
	}
	time_t t = parse_amz_date(auth->amz_date);
	if (t < 0) {
		*why = "X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'";
		return SG_SIGV4_MISMATCH;
	}
	if (strncmp(auth->amz_date, auth->date, 8)) {
		*why = "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
		       "date from HTTP";
		return SG_SIGV4_MISMATCH;
	}
	if (auth->presigned ? (now > t + auth->expires || t > now + SG_SIGV4_SKEW_SECONDS)
			    : (t > now + SG_SIGV4_SKEW_SECONDS || t < now - SG_SIGV4_SKEW_SECONDS)) {
		*why = "Signature expired: the request's X-Amz-Date is more than 15 minutes "
		       "from the server's time";
		return SG_SIGV4_EXPIRED;
	}
	char want[65];
	sg_sigv4_signature(want, req, auth, secret);
	char got[65];
	for (int i = 0; i < 65; i++)
		got[i] = (char)tolower((unsigned char)auth->signature[i]);
	if (!sg_sigv4_equal(want, got)) {
		*why = "The request signature we calculated does not match the signature you "
		       "provided. Check your AWS Secret Access Key and signing method. Consult the "
		       "service documentation for details.";
		return SG_SIGV4_MISMATCH;
	}
	return SG_SIGV4_OK;
}
