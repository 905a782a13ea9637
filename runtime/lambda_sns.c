/*
 * lambda_sns.c - SNS Publish over the query protocol (Amazon SNS API Reference:
 * Publish, "Query API request"; API version 2010-03-31): the parameters
 * form-encoded in the POST body, MessageAttributes.entry.N.* for
 * attributes, the MessageId read from the XML answer.  Part of svcgen's
 * handler runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_sns.h"

/* application/x-www-form-urlencoded as AWS reads it: RFC 3986 unreserved
 * characters kept, every other byte %XX. */
static int put_encoded(lambda_strbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int rc;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			rc = lambda_strbuf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			rc = lambda_strbuf_put(b, e, 3);
		}
		if (rc != LAMBDA_OK)
			return rc;
	}
	return LAMBDA_OK;
}

static bool param(lambda_strbuf *b, const char *name, const char *value, size_t len)
{
	return lambda_strbuf_printf(b, "&%s=", name) == LAMBDA_OK &&
	       put_encoded(b, value, len) == LAMBDA_OK;
}

static bool param_s(lambda_strbuf *b, const char *name, const char *value)
{
	return !value || param(b, name, value, strlen(value));
}

char *lambda_sns_publish_body(const char *topic_arn, const char *message, const lambda_sns_publish_opts *o)
{
	if (!topic_arn || !message)
		return NULL;
	lambda_strbuf b = LAMBDA_STRBUF_INIT;
	bool ok = lambda_strbuf_puts(&b, "Action=Publish&Version=2010-03-31") == LAMBDA_OK &&
		  param_s(&b, "TopicArn", topic_arn) && param_s(&b, "Message", message);
	if (ok && o) {
		ok = param_s(&b, "Subject", o->subject) && param_s(&b, "MessageGroupId", o->group_id) &&
		     param_s(&b, "MessageDeduplicationId", o->deduplication_id) &&
		     (!o->json_structure || param_s(&b, "MessageStructure", "json"));
		for (size_t i = 0; ok && i < o->attribute_count; i++) {
			const lambda_sns_attribute *a = &o->attributes[i];
			if (!a->name || !a->type || !a->value) {
				ok = false;
				break;
			}
			bool binary = !strcmp(a->type, "Binary");
			char key[96];
			size_t n = i + 1;
			snprintf(key, sizeof(key), "MessageAttributes.entry.%zu.Name", n);
			ok = param_s(&b, key, a->name);
			snprintf(key, sizeof(key), "MessageAttributes.entry.%zu.Value.DataType", n);
			ok = ok && param_s(&b, key, a->type);
			snprintf(key, sizeof(key), "MessageAttributes.entry.%zu.Value.%s", n,
				 binary ? "BinaryValue" : "StringValue");
			if (ok && binary) {
				char *b64 = lambda_base64_encode(a->value, a->binary_len);
				ok = b64 && param_s(&b, key, b64);
				free(b64);
			} else {
				ok = ok && param_s(&b, key, a->value);
			}
		}
	}
	if (!ok) {
		lambda_strbuf_free(&b);
		return NULL;
	}
	return lambda_strbuf_take(&b);
}

bool lambda_sns_parse_publish_response(char *out, size_t size, const char *xml, size_t len)
{
	return lambda_aws_xml_text(out, size, xml, len, "MessageId") && out[0];
}

int lambda_sns_publish(char **message_id, lambda_aws_error *err, lambda_aws *aws,
		       const char *topic_arn, const char *message, const lambda_sns_publish_opts *opts)
{
	if (message_id)
		*message_id = NULL;
	char *body = lambda_sns_publish_body(topic_arn, message, opts);
	if (!body) {
		if (err) {
			lambda_aws_error_free(err);
			err->kind = topic_arn && message ? LAMBDA_AWS_NOMEM : LAMBDA_AWS_INVALID_ARGUMENT;
			snprintf(err->message, sizeof(err->message),
				 "Publish needs a topic ARN, a message and complete attributes");
		}
		return LAMBDA_EAWS;
	}
	lambda_aws_request req = {
		.service = "sns",
		.content_type = "application/x-www-form-urlencoded; charset=utf-8",
		.body = body,
		.body_len = strlen(body),
	};
	lambda_aws_response res;
	int rc = lambda_aws_send(&res, err, aws, &req, lambda_aws_parse_xml_error);
	free(body);
	if (rc != LAMBDA_OK)
		return rc;
	char id[128];
	bool ok = lambda_sns_parse_publish_response(id, sizeof(id), res.body, res.body_len);
	free(res.body);
	if (!ok) {
		if (err) {
			lambda_aws_error_free(err);
			err->kind = LAMBDA_AWS_BAD_RESPONSE;
			snprintf(err->message, sizeof(err->message), "Publish answered no MessageId");
		}
		return LAMBDA_EAWS;
	}
	if (message_id && !(*message_id = strdup(id))) {
		if (err) {
			err->kind = LAMBDA_AWS_NOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
		}
		return LAMBDA_EAWS;
	}
	return LAMBDA_OK;
}
