/*
 * fuzz_rt_sns.c - libFuzzer harness of the handler runtime's SNS client
 * and the query protocol's XML: the bytes are a script of HTTP answers
 * (rt_fuzz.h) that lambda_sns_publish runs against (with message
 * attributes and FIFO ids); each block's body is also read as an XML
 * error (lambda_aws_parse_xml_error), as a PublishResponse
 * (lambda_sns_parse_publish_response), element by element into buffers of
 * every small size (lambda_aws_xml_text), and used as the message of a
 * Publish form body (lambda_sns_publish_body).
 *
 * Properties beyond no crash, leak or hang: the retry bound and the text
 * rules of rt_fuzz.h; an XML text never overruns its buffer and is always
 * NUL-terminated; a Publish succeeds only with a MessageId; the form body
 * holds only unreserved characters, %XX escapes and the separators, has
 * exactly the parameters asked for whatever the message holds, and its
 * Message decodes back to the message byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_sns.h"
#include "rt_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The form body's check: characters, parameter count, Message decoded. */
static void check_form(const char *form, const char *message, size_t params)
{
	size_t amps = 0;
	for (const char *p = form; *p; p++) {
		char c = *p;
		bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
				  c == '~';
		if (c == '&')
			amps++;
		else if (c == '%') {
			if (hexval(p[1]) < 0 || hexval(p[2]) < 0)
				abort();
		} else if (!unreserved && c != '=')
			abort();
	}
	if (amps + 1 != params)
		abort(); /* the message made or ate a parameter */
	const char *m = strstr(form, "&Message=");
	if (!m)
		abort();
	m += 9;
	size_t i = 0;
	for (; *m && *m != '&'; i++) {
		int c = (unsigned char)*m;
		if (c == '%') {
			c = hexval(m[1]) * 16 + hexval(m[2]);
			m += 3;
		} else {
			m++;
		}
		if ((unsigned char)message[i] != c)
			abort();
	}
	if (message[i])
		abort(); /* the message was cut */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	rt_fuzz_quiet();
	rt_fuzz_script s;
	rt_fuzz_script_init(&s, (const char *)data, size);

	for (size_t i = 0; i < s.count; i++) {
		const char *nl = memchr(s.block[i], '\n', s.len[i]);
		const char *body = nl ? nl + 1 : s.block[i];
		size_t len = s.len[i] - (size_t)(body - s.block[i]);

		lambda_aws_error e;
		memset(&e, 0, sizeof(e));
		lambda_aws_parse_xml_error(&e, i & 1 ? 403 : 400, body, len, NULL);
		if (e.kind == LAMBDA_AWS_OK || e.details)
			abort();
		rt_fuzz_check_text(e.code, sizeof(e.code));
		rt_fuzz_check_text(e.message, sizeof(e.message));
		rt_fuzz_check_text(e.request_id, sizeof(e.request_id));
		lambda_aws_error_free(&e);

		char id[128];
		if (lambda_sns_parse_publish_response(id, sizeof(id), body, len) && !id[0])
			abort();
		rt_fuzz_check_text(id, sizeof(id));

		/* Every small buffer: 1 byte holds only the NUL. */
		static const char *const tags[] = {"Message", "Code", "RequestId", "MessageId", "Type"};
		for (size_t size_out = 1; size_out <= 9; size_out += 4) {
			char *out = malloc(size_out);
			if (!out)
				abort();
			(void)lambda_aws_xml_text(out, size_out, body, len, tags[i % 5]);
			rt_fuzz_check_text(out, size_out);
			free(out);
		}

		/* The body as a message: a form that carries it exactly. */
		char *message = malloc(len + 1);
		if (!message)
			abort();
		memcpy(message, body, len);
		message[len] = '\0';
		lambda_sns_attribute attrs[] = {
			{"eventName", "String", message, 0},
			{"raw", "Binary", body, len},
		};
		lambda_sns_publish_opts o = {
			.subject = message,
			.attributes = attrs,
			.attribute_count = 2,
			.group_id = "g",
			.deduplication_id = message,
		};
		char *form = lambda_sns_publish_body("arn:aws:sns:eu-west-1:123456789012:t.fifo", message,
						     &o);
		if (!form)
			abort();
		/* Action, Version, TopicArn, Message, Subject, MessageGroupId,
		 * MessageDeduplicationId, 3 per attribute. */
		check_form(form, message, 7 + 3 * 2);
		free(form);
		free(message);
	}

	/* Publish against the script. */
	lambda_aws *aws = rt_fuzz_client(&s);
	lambda_sns_attribute attr = {"eventName", "String", "INSERT", 0};
	lambda_sns_publish_opts o = {.attributes = &attr, .attribute_count = 1};
	char *id = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rt_fuzz_rewind(&s);
	int rc = lambda_sns_publish(&id, &err, aws, "arn:aws:sns:eu-west-1:123456789012:t",
				    "{\"eventName\":\"INSERT\"}", &o);
	rt_fuzz_check_call(&s, rc, &err, LAMBDA_AWS_DEFAULT_ATTEMPTS);
	if ((rc == LAMBDA_OK) != (id != NULL) || (id && !id[0]))
		abort(); /* success means a MessageId */
	if (id)
		rt_fuzz_check_text(id, strlen(id) + 1);
	free(id);
	lambda_aws_error_free(&err);
	lambda_aws_free(aws);
	return 0;
}
