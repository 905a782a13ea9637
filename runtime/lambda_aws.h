/*
 * lambda_aws.h - the AWS client of the handler runtime: credentials,
 * region and endpoints from the environment, Signature Version 4, the AWS
 * SDKs' standard retry mode bounded by the invocation's deadline, one
 * reused connection, and typed errors.  lambda_ddb.h and lambda_sns.h
 * are built on it.  Part of svcgen's handler runtime (runtime/ in svcgen's
 * repository), copied into every generated project's runtime/.
 *
 * A handler normally never touches a client: every call takes a
 * `lambda_aws *` that may be NULL, meaning the process-wide default client
 * (lambda_aws_default), made from the environment Lambda sets on first use
 * and kept for the life of the process so its connection stays open
 * between invocations.
 *
 * The environment it reads (the names the AWS SDKs read):
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 *       credentials (Lambda sets all three from the function's role)
 *   AWS_REGION, else AWS_DEFAULT_REGION
 *   AWS_ENDPOINT_URL_<SERVICE> (AWS_ENDPOINT_URL_DYNAMODB, _SNS), else
 *   AWS_ENDPOINT_URL; ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
 *       true ("Service-specific endpoints", AWS SDKs and Tools Reference
 *       Guide); otherwise https://<service>.<region>.<DNS suffix of the
 *       region's partition>, with AWS_USE_FIPS_ENDPOINT=true the service's
 *       FIPS endpoint
 *   AWS_MAX_ATTEMPTS  attempts per call, 1..10 (default 3, "Retry behavior")
 *   _X_AMZN_TRACE_ID  sent as X-Amzn-Trace-Id (the runtime loop sets it per
 *       invocation)
 *
 * Errors: calls return LAMBDA_OK or LAMBDA_EAWS, and fill a
 * lambda_aws_error the caller provides (and releases with
 * lambda_aws_error_free; a zeroed one is valid and releasing it is
 * harmless).  Its `kind` says what class of failure it is, `code` the AWS
 * error code ("ConditionalCheckFailedException"), `status` the HTTP status
 * (0 when no answer came).
 *
 * Threads: a client is used by one thread at a time (a Lambda process
 * handles one invocation at a time).
 */
#ifndef LAMBDA_AWS_H
#define LAMBDA_AWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lambda_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors -------------------------------------------------------------- */

/* Returned by every call of the AWS clients when it did not succeed; the
 * lambda_aws_error says why. */
#define LAMBDA_EAWS (-5)

typedef enum lambda_aws_error_kind {
	LAMBDA_AWS_OK = 0,
	LAMBDA_AWS_SERVICE,          /* any other error the service answered */
	LAMBDA_AWS_CONDITION_FAILED, /* ConditionalCheckFailedException */
	LAMBDA_AWS_TRANSACTION_CANCELED, /* TransactionCanceledException: see
	                                    cancellation_reasons */
	LAMBDA_AWS_THROTTLED,        /* throttling or capacity exceeded, after retries */
	LAMBDA_AWS_ACCESS_DENIED,    /* AccessDeniedException, AuthorizationError:
	                                the function's policy does not allow it */
	LAMBDA_AWS_AUTH,             /* bad or expired credentials or signature */
	LAMBDA_AWS_NOT_FOUND,        /* ResourceNotFoundException, NotFound: no such
	                                table, index or topic */
	LAMBDA_AWS_VALIDATION,       /* ValidationException, InvalidParameter...: the
	                                request is wrong (fix the code) */
	LAMBDA_AWS_UNAVAILABLE,      /* 5xx after retries */
	LAMBDA_AWS_NETWORK,          /* no HTTP answer (connection, timeout) after
	                                retries */
	LAMBDA_AWS_DEADLINE,         /* the invocation's deadline left no time for
	                                (another) attempt */
	LAMBDA_AWS_CONFIG,           /* no credentials, region or usable endpoint */
	LAMBDA_AWS_NOMEM,            /* out of memory */
	LAMBDA_AWS_BAD_RESPONSE,     /* an answer that could not be read */
	LAMBDA_AWS_INVALID_ARGUMENT, /* the caller passed something unusable */
} lambda_aws_error_kind;

typedef struct lambda_aws_error {
	lambda_aws_error_kind kind;
	int status;                /* HTTP status of the last answer, 0: none */
	char code[128];            /* AWS error code, "" when none */
	char message[512];         /* the service's message, or ours */
	char request_id[128];      /* x-amzn-RequestId, when the service sent one */
	bool retryable;            /* whether the standard retry mode would retry it */
	int attempts;              /* HTTP attempts made */
	/*
	 * TransactionCanceledException: the CancellationReasons array, one
	 * entry per action of the transaction, in order: {"Code":
	 * "ConditionalCheckFailed" | "None" | ..., "Message": ..., "Item": {...}
	 * when ReturnValuesOnConditionCheckFailure asked}.  Also
	 * ConditionalCheckFailedException's "Item" under that option, as
	 * {"Item": {...}}.  Owned by the error; NULL otherwise.
	 */
	cJSON *details;
} lambda_aws_error;

/* Release what an error owns and zero it (NULL is allowed). */
void lambda_aws_error_free(lambda_aws_error *err);

/* The name of `kind` ("condition_failed"), for logs: static text. */
const char *lambda_aws_error_kind_name(lambda_aws_error_kind kind);

/* The CancellationReasons of a canceled transaction (a JSON array, owned
 * by `err`), or NULL ("TransactWriteItems", DynamoDB API Reference:
 * API_TransactWriteItems.html, Errors). */
const cJSON *lambda_aws_cancellation_reasons(const lambda_aws_error *err);

/* The Code of cancellation reason `i` ("ConditionalCheckFailed", "None",
 * "TransactionConflict", ...), or NULL; owned by `err`. */
const char *lambda_aws_cancellation_code(const lambda_aws_error *err, size_t i);

/*
 * A sensible HTTP status for a handler to answer when an AWS call failed:
 * 409 for a condition failure or canceled transaction, 429 when
 * throttled, 503 when unavailable or out of network, 504 past the
 * deadline, 500 for everything else (the caller's bug or permissions:
 * nothing a client of the API can fix).
 */
int lambda_aws_http_status(const lambda_aws_error *err);

/* ---- clients -------------------------------------------------------------- */

typedef struct lambda_aws lambda_aws;

/* One header of a request: name and value, both NUL-terminated. */
typedef struct lambda_aws_header {
	const char *name;
	const char *value;
} lambda_aws_header;

/* An answer of the service (lambda_aws_send fills one; so does the `http`
 * hook below). */
typedef struct lambda_aws_response {
	int status;                /* HTTP status */
	char *body;                /* malloc'd, NUL-terminated (also when empty);
	                              the receiver frees it */
	size_t body_len;
	char error_type[160];      /* X-Amzn-ErrorType, when sent */
	char request_id[128];      /* x-amzn-RequestId (or x-amz-request-id) */
} lambda_aws_response;

/* One HTTP exchange as the client makes it, for the `http` hook: a POST of
 * `body` to `url` with `headers`, every one to send (Host, X-Amz-Date,
 * Content-Type, X-Amz-Target, X-Amz-Security-Token, Authorization,
 * X-Amzn-Trace-Id), within `timeout_ms` milliseconds. */
typedef struct lambda_aws_http_request {
	const char *url;           /* "https://dynamodb.us-east-1.amazonaws.com/" */
	const lambda_aws_header *headers;
	size_t header_count;
	const char *body;
	size_t body_len;
	long timeout_ms;
} lambda_aws_http_request;

/* Test and embedding hooks; NULL members take the defaults. */
typedef struct lambda_aws_options {
	/* Environment lookup (default getenv): the client reads everything
	 * it needs through it, once, in lambda_aws_new. */
	const char *(*getenv)(const char *name, void *ud);
	/* Wall clock in Unix milliseconds (default: CLOCK_REALTIME). */
	int64_t (*now_ms)(void *ud);
	/* Wait `ms` milliseconds before a retry (default: nanosleep). */
	void (*sleep_ms)(int64_t ms, void *ud);
	/* A uniform random number in [0, 1) for backoff jitter. */
	double (*random)(void *ud);
	/*
	 * The HTTP exchange (default: libcurl over the client's one
	 * connection).  Returns LAMBDA_OK when an answer came, whatever its
	 * status, with `*res` filled (body malloc'd: the client frees it);
	 * otherwise LAMBDA_EAWS with `err` filled (kind LAMBDA_AWS_NETWORK and
	 * retryable when the attempt may be retried).  The tests and fuzzers
	 * answer through it; so can an embedding with its own HTTP stack.
	 */
	int (*http)(lambda_aws_response *res, lambda_aws_error *err,
		    const lambda_aws_http_request *req, void *ud);
	void *ud;
} lambda_aws_options;

/*
 * A new client from the environment (through `opts`, may be NULL; copied,
 * `opts->ud` must outlive the client).  Returns LAMBDA_OK, or LAMBDA_EAWS
 * with `err` (may be NULL) saying what is missing (kind
 * LAMBDA_AWS_CONFIG: credentials or region) or LAMBDA_AWS_NOMEM.  A
 * threaded program calls curl_global_init first (the runtime loop and
 * lambda_aws_default do).  Free it with lambda_aws_free
 * (NULL is allowed), which also closes its connection.
 */
int lambda_aws_new(lambda_aws **out, lambda_aws_error *err, const lambda_aws_options *opts);
void lambda_aws_free(lambda_aws *aws);

/*
 * The process-wide client, made on first use from the environment and
 * freed at exit.  NULL when it cannot be made; `err` (may be NULL) then
 * says why.  Every call taking a NULL `lambda_aws *` uses it.
 */
lambda_aws *lambda_aws_default(lambda_aws_error *err);

/* The client's region ("us-east-1"), owned by the client; NULL for a
 * NULL client. */
const char *lambda_aws_region(const lambda_aws *aws);

/*
 * The deadline the client's calls respect, Unix milliseconds (0: none).
 * Without one set here, a call uses the current invocation's
 * (lambda_current_context()), so handlers need not pass it.
 */
void lambda_aws_set_deadline(lambda_aws *aws, int64_t deadline_ms);

/* ---- the generic call ------------------------------------------------------ */

/* What a protocol needs to send one request; see lambda_aws_send. */
typedef struct lambda_aws_request {
	const char *service;       /* endpoint and signing name: "dynamodb", "sns" */
	const char *content_type;  /* "application/x-amz-json-1.0" */
	const char *target;        /* X-Amz-Target, or NULL */
	const char *body;          /* the request body (not NUL-terminated) */
	size_t body_len;
} lambda_aws_request;

/*
 * Send `req` to its service's endpoint, signed, retrying as the standard
 * retry mode does (lambda_aws_retry_*) within the deadline.  `parse_error`
 * reads an error answer of the service's protocol into `err` (JSON:
 * lambda_aws_parse_json_error; query/XML: lambda_aws_parse_xml_error).
 * `aws` NULL: the default client.  On LAMBDA_OK `*res` holds a 2xx answer
 * (the caller frees its body).  On LAMBDA_EAWS nothing is left in `*res`,
 * and `err` (may be NULL) holds the last attempt's error, `attempts` the
 * number made.
 */
typedef void (*lambda_aws_error_parser)(lambda_aws_error *err, int status, const char *body,
					size_t len, const char *error_type);
int lambda_aws_send(lambda_aws_response *res, lambda_aws_error *err, lambda_aws *aws,
		    const lambda_aws_request *req, lambda_aws_error_parser parse_error);

/*
 * Call an operation of an AWS JSON protocol service (awsJson1_0: DynamoDB;
 * Target "DynamoDB_20120810.GetItem") with `request` as its body (NULL:
 * {}); `*out` is the parsed answer, a JSON object (the caller frees it
 * with cJSON_Delete; NULL on failure).  Errors as for lambda_aws_send,
 * with LAMBDA_AWS_BAD_RESPONSE when the answer is not a JSON object.
 */
int lambda_aws_call_json(cJSON **out, lambda_aws_error *err, lambda_aws *aws,
			 const char *service, const char *target, const cJSON *request);

/* ---- building blocks, exposed for tests and other services ----------------- */

/*
 * Read an error answer of the JSON protocols: {"__type": "...#Code",
 * "message" or "Message": ...} (the X-Amzn-ErrorType header `error_type`,
 * may be NULL, wins for the code), keep DynamoDB's CancellationReasons and
 * Item, and classify it (kind, retryable).  Never fails: an unreadable
 * body still gives the status's classification.
 */
void lambda_aws_parse_json_error(lambda_aws_error *err, int status, const char *body, size_t len,
				 const char *error_type);

/* The same for the query protocol's XML: <ErrorResponse><Error><Type/>
 * <Code/><Message/></Error><RequestId/></ErrorResponse>. */
void lambda_aws_parse_xml_error(lambda_aws_error *err, int status, const char *body, size_t len,
				const char *error_type);

/* Set kind and retryable from code and status (the standard retry mode's
 * throttling, transient and 5xx rules; the codes that mean a condition
 * failure, access denied, bad credentials, not found, validation). */
void lambda_aws_classify(lambda_aws_error *err);

/*
 * The text between <tag> and </tag> of the first such element in `xml`,
 * with the five XML entities and numeric character references decoded,
 * into `out` (`size` bytes, NUL-terminated, cut to fit).  Returns false
 * when there is no such element.
 */
bool lambda_aws_xml_text(char *out, size_t size, const char *xml, size_t len, const char *tag);

/*
 * The endpoint URL of `service` ("dynamodb", "sns") in `region`, as the
 * SDKs resolve it: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL (unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else the partition's:
 *   aws          <service>.<region>.amazonaws.com
 *   aws-cn       <service>.<region>.amazonaws.com.cn      (cn-*)
 *   aws-us-gov   <service>.<region>.amazonaws.com         (us-gov-*)
 *   aws-iso      <service>.<region>.c2s.ic.gov            (us-iso-*)
 *   aws-iso-b    <service>.<region>.sc2s.sgov.gov         (us-isob-*)
 *   aws-iso-e    <service>.<region>.cloud.adc-e.uk        (eu-isoe-*)
 *   aws-iso-f    <service>.<region>.csp.hci.ic.gov        (us-isof-*)
 * with <service>-fips under AWS_USE_FIPS_ENDPOINT=true.  `getenv_fn`
 * (NULL: getenv) reads the environment.  Writes "https://host" or the
 * configured URL without a trailing slash into `out` (`size` bytes).
 * Returns LAMBDA_OK, or LAMBDA_EINVALID when the configured URL is not
 * http(s)://... or does not fit.
 */
int lambda_aws_endpoint(char *out, size_t size, const char *service, const char *region,
			const char *(*getenv_fn)(const char *name, void *ud), void *ud);

/* The partition of `region`: "aws", "aws-cn", "aws-us-gov", "aws-iso",
 * "aws-iso-b", "aws-iso-e", "aws-iso-f" (for ARNs: arn:<partition>:...). */
const char *lambda_aws_partition(const char *region);

/*
 * Signature Version 4 ("Create a signed AWS API request", IAM User
 * Guide): the Authorization header value for a request with `headers`
 * (every one is signed: pass host, x-amz-date, x-amz-security-token,
 * content-type, x-amz-target; never x-amzn-trace-id or user-agent, which
 * the SDKs leave unsigned because proxies rewrite them), `path` (the
 * URL's path, "/"), query `query` (already canonical: sorted, encoded; ""
 * for none), `body`, at `amz_date` ("20240102T030405Z").  `out` gets
 * "AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=..., Signature=<hex>".  Returns LAMBDA_OK, LAMBDA_ENOMEM or
 * LAMBDA_EINVALID (a header value with a line break, no host).
 */
int lambda_aws_sigv4(char **out, const char *method, const char *path, const char *query,
		     const lambda_aws_header *headers, size_t header_count, const void *body,
		     size_t body_len, const char *amz_date, const char *region,
		     const char *service, const char *access_key, const char *secret_key);

/* SHA-256 of `len` bytes as 64 lower-case hex digits and a NUL. */
void lambda_aws_sha256_hex(char out[65], const void *data, size_t len);

/*
 * The standard retry mode ("Retry behavior", AWS SDKs and Tools Reference
 * Guide), as pure functions so tests drive them with a fake clock.
 *   - at most max_attempts attempts (AWS_MAX_ATTEMPTS, default 3);
 *   - retry throttling errors, transient errors (RequestTimeout...), 5xx
 *     and network failures, nothing else;
 *   - wait min(random * 2^(attempt-1), 20) seconds (full jitter);
 *   - a retry quota: 500 tokens, a retry takes 5 (10 after a timeout or
 *     network failure), a success gives 1 back; no tokens, no retry.
 * On top of it, never past the deadline: no retry whose wait would end
 * less than LAMBDA_AWS_MIN_ATTEMPT_MS before it.
 */
#define LAMBDA_AWS_DEFAULT_ATTEMPTS 3
#define LAMBDA_AWS_MAX_BACKOFF_MS 20000
#define LAMBDA_AWS_MIN_ATTEMPT_MS 50
#define LAMBDA_AWS_RETRY_QUOTA 500
#define LAMBDA_AWS_RETRY_COST 5
#define LAMBDA_AWS_TIMEOUT_RETRY_COST 10

typedef struct lambda_aws_retry {
	int max_attempts;
	int quota;                 /* tokens left in the retry quota */
} lambda_aws_retry;

void lambda_aws_retry_init(lambda_aws_retry *r, int max_attempts);

/*
 * After attempt number `attempt` (1-based) failed with `err`: the
 * milliseconds to wait before the next one (>= 0), or -1 to stop.  Takes
 * the retry's cost from the quota.  `now_ms` and `deadline_ms` (0: none)
 * bound the wait; `random01` is the jitter draw.  When the deadline is
 * what stops it, `*deadline_stop` (may be NULL) is set.
 */
int64_t lambda_aws_retry_next(lambda_aws_retry *r, const lambda_aws_error *err, int attempt,
			      int64_t now_ms, int64_t deadline_ms, double random01,
			      bool *deadline_stop);

/* A call succeeded after `attempts` attempts: refund the quota. */
void lambda_aws_retry_success(lambda_aws_retry *r, int attempts);

/*
 * For retries above single requests (a batch's unprocessed items): after
 * attempt `attempt` failed with `err`, wait as lambda_aws_retry_next says
 * with the client's clock, sleep and deadline (NULL `aws`: the default
 * client).  LAMBDA_OK after waiting; LAMBDA_EAWS to stop.
 */
int lambda_aws_backoff(lambda_aws *aws, lambda_aws_retry *r, const lambda_aws_error *err,
		       int attempt);

/* The client's attempts per call (AWS_MAX_ATTEMPTS, default 3). */
int lambda_aws_max_attempts(lambda_aws *aws);

#ifdef __cplusplus
}
#endif

#endif
