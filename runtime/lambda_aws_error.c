/*
 * lambda_aws_error.c - AWS error answers into lambda_aws_error: the JSON
 * protocols' {"__type", "message"} ("Error handling", DynamoDB Developer
 * Guide: error components), the query protocol's XML <ErrorResponse>, and
 * their classification (the standard retry mode's throttling and
 * transient codes, botocore's retries/standard.py).  Pure: fuzzed with the
 * other response parsers.  Part of svcgen's handler runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_aws.h"

void lambda_aws_error_free(lambda_aws_error *err)
{
	if (!err)
		return;
	cJSON_Delete(err->details);
	memset(err, 0, sizeof(*err));
}

const char *lambda_aws_error_kind_name(lambda_aws_error_kind kind)
{
	static const char *const names[] = {
		"ok", "service", "condition_failed", "transaction_canceled", "throttled",
		"access_denied", "auth", "not_found", "validation", "unavailable", "network",
		"deadline", "config", "nomem", "bad_response", "invalid_argument",
	};
	return (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

const cJSON *lambda_aws_cancellation_reasons(const lambda_aws_error *err)
{
	return err && err->kind == LAMBDA_AWS_TRANSACTION_CANCELED && cJSON_IsArray(err->details)
		       ? err->details
		       : NULL;
}

const char *lambda_aws_cancellation_code(const lambda_aws_error *err, size_t i)
{
	const cJSON *r = lambda_aws_cancellation_reasons(err);
	if (!r || i >= (size_t)cJSON_GetArraySize(r))
		return NULL;
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(r, (int)i),
								     "Code"));
}

int lambda_aws_http_status(const lambda_aws_error *err)
{
	switch (err ? err->kind : LAMBDA_AWS_SERVICE) {
	case LAMBDA_AWS_CONDITION_FAILED:
	case LAMBDA_AWS_TRANSACTION_CANCELED: return 409;
	case LAMBDA_AWS_THROTTLED: return 429;
	case LAMBDA_AWS_UNAVAILABLE:
	case LAMBDA_AWS_NETWORK: return 503;
	case LAMBDA_AWS_DEADLINE: return 504;
	default: return 500;
	}
}

/* ---- classification ------------------------------------------------------------ */

static bool in(const char *code, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(code, *list))
			return true;
	return false;
}

void lambda_aws_classify(lambda_aws_error *err)
{
	/* botocore retries/standard.py and the SDKs' shared retry rules. */
	static const char *const throttling[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException", "TransactionInProgressException",
		"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException", NULL,
	};
	static const char *const transient[] = {
		"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
		"InternalError", "InternalFailure", "InternalServerError", "ServiceUnavailable",
		NULL,
	};
	static const char *const denied[] = {
		"AccessDeniedException", "AccessDenied", "AuthorizationError",
		"AuthorizationErrorException", NULL,
	};
	static const char *const auth[] = {
		"UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
		"SignatureDoesNotMatch", "MissingAuthenticationToken",
		"MissingAuthenticationTokenException", "IncompleteSignature",
		"IncompleteSignatureException", "ExpiredToken", "ExpiredTokenException",
		"InvalidAccessKeyId", NULL,
	};
	static const char *const not_found[] = {
		"ResourceNotFoundException", "NotFound", "NotFoundException", "TableNotFoundException",
		NULL,
	};
	static const char *const validation[] = {
		"ValidationException", "SerializationException", "InvalidParameter",
		"InvalidParameterException", "InvalidParameterValue",
		"InvalidParameterValueException", "InvalidParameterCombination",
		"MissingParameter", "ItemCollectionSizeLimitExceededException", NULL,
	};
	const char *c = err->code;
	err->retryable = false;
	if (!strcmp(c, "ConditionalCheckFailedException")) {
		err->kind = LAMBDA_AWS_CONDITION_FAILED;
	} else if (!strcmp(c, "TransactionCanceledException")) {
		err->kind = LAMBDA_AWS_TRANSACTION_CANCELED;
	} else if (in(c, throttling)) {
		err->kind = LAMBDA_AWS_THROTTLED;
		err->retryable = true;
	} else if (in(c, denied)) {
		err->kind = LAMBDA_AWS_ACCESS_DENIED;
	} else if (in(c, auth)) {
		err->kind = LAMBDA_AWS_AUTH;
	} else if (in(c, not_found)) {
		err->kind = LAMBDA_AWS_NOT_FOUND;
	} else if (in(c, validation)) {
		err->kind = LAMBDA_AWS_VALIDATION;
	} else if (in(c, transient) || (err->status >= 500 && err->status <= 599) ||
		   err->status == 429) {
		err->kind = err->status == 429 ? LAMBDA_AWS_THROTTLED : LAMBDA_AWS_UNAVAILABLE;
		err->retryable = true;
	} else if (err->status == 403 && !*c) {
		err->kind = LAMBDA_AWS_ACCESS_DENIED;
	} else {
		err->kind = LAMBDA_AWS_SERVICE;
	}
}

/* ---- JSON protocols ------------------------------------------------------------------ */

/* `src` of `len` bytes into `dst` (cut to fit, NUL-terminated; control
 * characters become spaces so the text is safe in a log line). */
static void set_text(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	dst[len] = '\0';
}

/* An error code from "__type" or X-Amzn-ErrorType: "ns#Code" -> "Code",
 * "Code:http://..." -> "Code". */
static void set_code(lambda_aws_error *err, const char *type)
{
	const char *hash = strrchr(type, '#');
	const char *start = hash ? hash + 1 : type;
	size_t len = strcspn(start, ":");
	set_text(err->code, sizeof(err->code), start, len);
}

void lambda_aws_parse_json_error(lambda_aws_error *err, int status, const char *body, size_t len,
				 const char *error_type)
{
	cJSON_Delete(err->details);
	err->details = NULL;
	err->status = status;
	err->code[0] = '\0';
	err->message[0] = '\0';
	cJSON *doc = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	if (error_type && *error_type) {
		set_code(err, error_type);
	} else {
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "__type"));
		if (!t)
			t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "code"));
		if (t)
			set_code(err, t);
	}
	const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "message"));
	if (!m)
		m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "Message"));
	if (m)
		set_text(err->message, sizeof(err->message), m, strlen(m));
	else if (!doc && body && len)
		snprintf(err->message, sizeof(err->message), "HTTP %d with a body that is not JSON",
			 status);
	else if (!*err->code)
		snprintf(err->message, sizeof(err->message), "HTTP %d", status);
	lambda_aws_classify(err);
	cJSON *reasons = cJSON_GetObjectItemCaseSensitive(doc, "CancellationReasons");
	cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, "Item");
	if (err->kind == LAMBDA_AWS_TRANSACTION_CANCELED && cJSON_IsArray(reasons)) {
		err->details = cJSON_DetachItemViaPointer(doc, reasons);
	} else if (err->kind == LAMBDA_AWS_CONDITION_FAILED && cJSON_IsObject(item)) {
		err->details = cJSON_CreateObject();
		if (err->details)
			cJSON_AddItemToObject(err->details, "Item", cJSON_DetachItemViaPointer(doc, item));
	}
	cJSON_Delete(doc);
}

/* ---- XML (query protocol) ---------------------------------------------------------- */

/* Append the UTF-8 encoding of code point `cp` to `out`. */
static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const char *find(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

bool lambda_aws_xml_text(char *out, size_t size, const char *xml, size_t len, const char *tag)
{
	if (!out || size == 0)
		return false;
	out[0] = '\0';
	if (!xml || !tag || strlen(tag) > 64)
		return false;
	char open[72], close[72];
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	const char *s = find(xml, len, open);
	if (!s)
		return false;
	s += strlen(open);
	const char *e = find(s, len - (size_t)(s - xml), close);
	if (!e)
		return false;
	size_t o = 0;
	for (const char *p = s; p < e && o + 5 < size;) {
		if (*p != '&') {
			unsigned char c = (unsigned char)*p++;
			out[o++] = c < 0x20 && c != '\n' && c != '\t' ? ' ' : (char)c;
			continue;
		}
		const char *semi = memchr(p, ';', (size_t)(e - p));
		size_t n = semi ? (size_t)(semi - p) + 1 : 0;
		static const struct {
			const char *ent;
			char c;
		} ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
		bool done = false;
		for (size_t k = 0; n && k < sizeof(ents) / sizeof(ents[0]) && !done; k++)
			if (n == strlen(ents[k].ent) && !memcmp(p, ents[k].ent, n)) {
				out[o++] = ents[k].c;
				done = true;
			}
		if (!done && n > 3 && p[1] == '#') {
			char num[16];
			size_t dl = n - 3;
			if (dl < sizeof(num)) {
				memcpy(num, p + 2, dl);
				num[dl] = '\0';
				char *end;
				unsigned long cp = num[0] == 'x' ? strtoul(num + 1, &end, 16)
								 : strtoul(num, &end, 10);
				if (*end == '\0' && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
					o += put_utf8(out + o, cp < 0x20 && cp != '\n' && cp != '\t' ? ' ' : cp);
					done = true;
				}
			}
		}
		if (done) {
			p += n;
		} else {
			out[o++] = '&';
			p++;
		}
	}
	out[o] = '\0';
	return true;
}

void lambda_aws_parse_xml_error(lambda_aws_error *err, int status, const char *body, size_t len,
				const char *error_type)
{
	cJSON_Delete(err->details);
	err->details = NULL;
	err->status = status;
	err->code[0] = '\0';
	err->message[0] = '\0';
	if (error_type && *error_type)
		set_code(err, error_type);
	else
		lambda_aws_xml_text(err->code, sizeof(err->code), body, len, "Code");
	if (!lambda_aws_xml_text(err->message, sizeof(err->message), body, len, "Message"))
		snprintf(err->message, sizeof(err->message), "HTTP %d", status);
	char rid[128];
	if (!*err->request_id && lambda_aws_xml_text(rid, sizeof(rid), body, len, "RequestId"))
		snprintf(err->request_id, sizeof(err->request_id), "%s", rid);
	lambda_aws_classify(err);
}
