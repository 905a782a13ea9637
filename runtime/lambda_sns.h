/*
 * lambda_sns.h - SNS Publish for handlers (Amazon SNS API Reference,
 * "Publish": https://docs.aws.amazon.com/sns/latest/api/API_Publish.html;
 * IAM sns:Publish on the topic), over the query protocol: a form-encoded
 * POST body, so the URL carries no query string, and an XML answer.
 * Every name here starts with lambda_sns_.  Part of svcgen's handler
 * runtime (runtime/ in svcgen's repository).
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
typedef struct lambda_sns_attribute {
	const char *name;
	const char *type;
	const char *value;
	size_t binary_len;
} lambda_sns_attribute;

typedef struct lambda_sns_publish_opts {
	const char *subject;               /* Subject (e-mail endpoints), or NULL */
	const lambda_sns_attribute *attributes;   /* MessageAttributes, `attribute_count` of them */
	size_t attribute_count;
	const char *group_id;              /* MessageGroupId: required for FIFO topics */
	const char *deduplication_id;      /* MessageDeduplicationId: FIFO topics without
	                                      content-based deduplication */
	bool json_structure;               /* MessageStructure "json": a message per protocol */
} lambda_sns_publish_opts;

/*
 * Publish `message` (UTF-8, at most 256 KB) to topic `topic_arn` (the
 * function's TOPIC_<NAME>) with the client `aws` (NULL: the default
 * client).  `message_id` (may be NULL) gets the MessageId (malloc'd, the
 * caller frees it).  `opts` may be NULL; it and the strings it points to
 * are only read.  LAMBDA_OK, or LAMBDA_EAWS with `err` (may be NULL):
 * AuthorizationError is LAMBDA_AWS_ACCESS_DENIED, NotFound
 * LAMBDA_AWS_NOT_FOUND, InvalidParameter LAMBDA_AWS_VALIDATION, an answer
 * without a MessageId LAMBDA_AWS_BAD_RESPONSE, a NULL topic or message or
 * an attribute missing a member LAMBDA_AWS_INVALID_ARGUMENT.
 */
int lambda_sns_publish(char **message_id, lambda_aws_error *err, lambda_aws *aws,
		       const char *topic_arn, const char *message, const lambda_sns_publish_opts *opts);

/* The form body of that Publish request (exposed for tests):
 * "Action=Publish&Version=2010-03-31&TopicArn=...", every value
 * percent-encoded but RFC 3986's unreserved characters; malloc'd, NULL
 * when out of memory or an argument is unusable. */
char *lambda_sns_publish_body(const char *topic_arn, const char *message, const lambda_sns_publish_opts *opts);

/* The MessageId of a PublishResponse (`len` bytes of XML, need not be
 * NUL-terminated) into `out` (`size` bytes, NUL-terminated, cut to fit);
 * false when there is none or it is empty. */
bool lambda_sns_parse_publish_response(char *out, size_t size, const char *xml, size_t len);

#ifdef __cplusplus
}
#endif

#endif
