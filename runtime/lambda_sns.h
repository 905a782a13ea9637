/*
 * lambda_sns.h - SNS Publish for handlers (Amazon SNS API Reference,
 * "Publish"), over the query protocol: a form-encoded POST body, so the
 * URL carries no query string, and an XML answer.  Part of svcgen's
 * handler runtime (runtime/ in svcgen's repository).
 */
#ifndef LAMBDA_SNS_H
#define LAMBDA_SNS_H

#include "lambda_aws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One message attribute ("Amazon SNS message attributes", Developer
 * Guide): data type "String", "Number", "String.Array" (a JSON array as
 * text) or "Binary" (`value` is the raw bytes, `binary_len` of them). */
typedef struct sns_attribute {
	const char *name;
	const char *type;
	const char *value;
	size_t binary_len;
} sns_attribute;

typedef struct sns_publish_opts {
	const char *subject;               /* Subject (e-mail endpoints), or NULL */
	const sns_attribute *attributes;   /* MessageAttributes, `attribute_count` of them */
	size_t attribute_count;
	const char *group_id;              /* MessageGroupId: required for FIFO topics */
	const char *deduplication_id;      /* MessageDeduplicationId: FIFO topics without
	                                      content-based deduplication */
	bool json_structure;               /* MessageStructure "json": a message per protocol */
} sns_publish_opts;

/*
 * Publish `message` to topic `topic_arn` (the function's TOPIC_<NAME>).
 * `message_id` (may be NULL) gets the MessageId (malloc'd, the caller
 * frees it).  `opts` may be NULL.  LAMBDA_OK, or LAMBDA_EAWS with `err`:
 * AuthorizationError is LAMBDA_AWS_ACCESS_DENIED, NotFound
 * LAMBDA_AWS_NOT_FOUND, InvalidParameter LAMBDA_AWS_VALIDATION.
 */
int sns_publish(char **message_id, lambda_aws_error *err, lambda_aws *aws,
		const char *topic_arn, const char *message, const sns_publish_opts *opts);

/* The form body of that Publish request (exposed for tests): malloc'd,
 * NULL when out of memory or an argument is unusable. */
char *sns_publish_body(const char *topic_arn, const char *message, const sns_publish_opts *opts);

/* The MessageId of a PublishResponse (`len` bytes of XML) into `out`
 * (`size` bytes); false when there is none. */
bool sns_parse_publish_response(char *out, size_t size, const char *xml, size_t len);

#ifdef __cplusplus
}
#endif

#endif
