/*
 * aws_authz.c - the IAM permissions an AWS request needs (the mapping and
 * its sources are in include/svcgen/aws_authz.h).
 */
#include <stdbool.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/aws_authz.h"

static void need(sg_aws_needs *out, sg_arena *a, const char *action, const char *resource)
{
	for (size_t i = 0; i < out->count; i++)
		if (!strcmp(out->items[i].action, action) && !strcmp(out->items[i].resource, resource))
			return;
	out->items = sg_arena_grow(a, out->items, out->count, out->count + 1, sizeof(*out->items));
	out->items[out->count].action = sg_arena_strdup(a, action);
	out->items[out->count].resource = sg_arena_strdup(a, resource);
	out->count++;
}

static int refuse(sg_aws_needs *out, const char *why)
{
	out->error = why;
	out->count = 0;
	return -1;
}

/* A TableName (a name or a table ARN) as the table's ARN. */
static const char *table_arn(sg_arena *a, const sg_aws_call *c, const char *name)
{
	if (!strncmp(name, "arn:", 4))
		return name;
	return sg_arena_printf(a, "arn:%s:dynamodb:%s:%s:table/%s", c->partition, c->region,
			       c->account, name);
}

static const char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* Operations whose resource is TableName and whose action is their name. */
static const char *const table_ops[] = {
	"GetItem", "PutItem", "UpdateItem", "DeleteItem", "DescribeTable",
	"DescribeTimeToLive", "DescribeContinuousBackups", "UpdateTable", "DeleteTable",
	"CreateTable", "UpdateTimeToLive", "ListTagsOfResource", NULL,
};

static int dynamodb_needs(sg_aws_needs *out, sg_arena *a, const sg_aws_call *c, const char *op,
			  const cJSON *body)
{
	for (size_t i = 0; table_ops[i]; i++) {
		if (strcmp(op, table_ops[i]))
			continue;
		const char *t = str_member(body, "TableName");
		if (!t && !strcmp(op, "ListTagsOfResource"))
			t = str_member(body, "ResourceArn");
		if (!t)
			return refuse(out, "the request names no TableName");
		need(out, a, sg_arena_printf(a, "dynamodb:%s", op), table_arn(a, c, t));
		return 0;
	}
	if (!strcmp(op, "Query") || !strcmp(op, "Scan")) {
		const char *t = str_member(body, "TableName");
		if (!t)
			return refuse(out, "the request names no TableName");
		const char *arn = table_arn(a, c, t);
		const char *index = str_member(body, "IndexName");
		if (index)
			arn = sg_arena_printf(a, "%s/index/%s", arn, index);
		need(out, a, sg_arena_printf(a, "dynamodb:%s", op), arn);
		return 0;
	}
	if (!strcmp(op, "BatchGetItem") || !strcmp(op, "BatchWriteItem")) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "RequestItems");
		if (!cJSON_IsObject(items) || !items->child)
			return refuse(out, "the request has no RequestItems");
		const cJSON *t;
		cJSON_ArrayForEach(t, items)
			need(out, a, sg_arena_printf(a, "dynamodb:%s", op), table_arn(a, c, t->string));
		return 0;
	}
	if (!strcmp(op, "TransactGetItems") || !strcmp(op, "TransactWriteItems")) {
		static const struct {
			const char *member, *action;
		} kinds[] = {
			{"Get", "dynamodb:GetItem"},
			{"Put", "dynamodb:PutItem"},
			{"Update", "dynamodb:UpdateItem"},
			{"Delete", "dynamodb:DeleteItem"},
			{"ConditionCheck", "dynamodb:ConditionCheckItem"},
		};
		bool get = !strcmp(op, "TransactGetItems");
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "TransactItems");
		if (!cJSON_IsArray(items) || !items->child)
			return refuse(out, "the request has no TransactItems");
		const cJSON *it;
		cJSON_ArrayForEach(it, items)
		{
			bool found = false;
			for (size_t k = get ? 0 : 1; k < (get ? 1 : 5); k++) {
				const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, kinds[k].member);
				if (!cJSON_IsObject(m))
					continue;
				const char *t = str_member(m, "TableName");
				if (!t)
					return refuse(out, "a transaction item names no TableName");
				need(out, a, kinds[k].action, table_arn(a, c, t));
				found = true;
			}
			if (!found)
				return refuse(out, "a transaction item has no operation");
		}
		return 0;
	}
	if (!strcmp(op, "ListTables")) {
		need(out, a, "dynamodb:ListTables", "*");
		return 0;
	}
	return refuse(out, "an operation svcgen local does not authorize");
}

static int streams_needs(sg_aws_needs *out, sg_arena *a, const char *op, const cJSON *body)
{
	if (!strcmp(op, "DescribeStream") || !strcmp(op, "GetShardIterator")) {
		const char *s = str_member(body, "StreamArn");
		if (!s)
			return refuse(out, "the request names no StreamArn");
		need(out, a, sg_arena_printf(a, "dynamodb:%s", op), s);
		return 0;
	}
	if (!strcmp(op, "GetRecords")) {
		/* A shard iterator starts with its stream's ARN and a '|'. */
		const char *it = str_member(body, "ShardIterator");
		const char *bar = it ? strchr(it, '|') : NULL;
		if (!bar || strncmp(it, "arn:", 4))
			return refuse(out, "the ShardIterator names no stream");
		need(out, a, "dynamodb:GetRecords", sg_arena_strndup(a, it, (size_t)(bar - it)));
		return 0;
	}
	if (!strcmp(op, "ListStreams")) {
		need(out, a, "dynamodb:ListStreams", "*");
		return 0;
	}
	return refuse(out, "an operation svcgen local does not authorize");
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

const char *sg_aws_form_value(sg_arena *a, const char *body, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *end = body + len;
	for (const char *p = body; p < end;) {
		const char *e = memchr(p, '&', (size_t)(end - p));
		if (!e)
			e = end;
		if ((size_t)(e - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			char *out = sg_arena_alloc(a, (size_t)(e - v) + 1);
			size_t o = 0;
			for (const char *q = v; q < e; q++) {
				if (*q == '+') {
					out[o++] = ' ';
				} else if (*q == '%' && e - q > 2 && hexval((unsigned char)q[1]) >= 0 &&
					   hexval((unsigned char)q[2]) >= 0) {
					out[o++] = (char)(hexval((unsigned char)q[1]) * 16 +
							  hexval((unsigned char)q[2]));
					q += 2;
				} else {
					out[o++] = *q;
				}
			}
			out[o] = '\0';
			return out;
		}
		p = e + 1;
	}
	return NULL;
}

static int sns_needs(sg_aws_needs *out, sg_arena *a, const sg_aws_call *c)
{
	out->protocol = "query";
	const char *action = sg_aws_form_value(a, c->body ? c->body : "", c->body_len, "Action");
	if (!action)
		return refuse(out, "the request names no Action");
	out->operation = action;
	if (!strcmp(action, "Publish") || !strcmp(action, "PublishBatch")) {
		const char *t = sg_aws_form_value(a, c->body, c->body_len, "TopicArn");
		if (!t && !strcmp(action, "Publish"))
			t = sg_aws_form_value(a, c->body, c->body_len, "TargetArn");
		if (!t || !*t)
			return refuse(out, "the request names no TopicArn");
		need(out, a, "sns:Publish", t);
		return 0;
	}
	return refuse(out, "an operation svcgen local does not authorize");
}

/* A queue URL (scheme://host/<account>/<name>) as the queue's ARN, or NULL. */
static const char *queue_arn(sg_arena *a, const sg_aws_call *c, const char *url)
{
	const char *host = url ? strstr(url, "://") : NULL;
	const char *path = host ? strchr(host + 3, '/') : NULL;
	if (!path)
		return NULL;
	const char *acct = path + 1, *slash = strchr(acct, '/');
	if (!slash || slash == acct || !slash[1] || strchr(slash + 1, '/'))
		return NULL;
	return sg_arena_printf(a, "arn:%s:sqs:%s:%.*s:%s", c->partition, c->region,
			       (int)(slash - acct), acct, slash + 1);
}

static int sqs_needs(sg_aws_needs *out, sg_arena *a, const sg_aws_call *c)
{
	const char *op, *url;
	if (c->target) {
		out->protocol = "json";
		if (strncmp(c->target, "AmazonSQS.", 10))
			return refuse(out, "the request has no SQS X-Amz-Target");
		op = c->target + 10;
		cJSON *body = cJSON_ParseWithLength(c->body ? c->body : "{}", c->body ? c->body_len : 2);
		const char *u = str_member(body, "QueueUrl");
		url = u ? sg_arena_strdup(a, u) : NULL;
		cJSON_Delete(body);
	} else {
		out->protocol = "query";
		op = sg_aws_form_value(a, c->body ? c->body : "", c->body_len, "Action");
		if (!op)
			return refuse(out, "the request names no Action");
		url = sg_aws_form_value(a, c->body, c->body_len, "QueueUrl");
	}
	out->operation = sg_arena_strdup(a, op);
	if (strcmp(op, "SendMessage") && strcmp(op, "SendMessageBatch"))
		return refuse(out, "an operation svcgen local does not authorize");
	const char *arn = queue_arn(a, c, url);
	if (!arn)
		return refuse(out, "the request names no QueueUrl of the form .../<account>/<name>");
	/* SendMessageBatch is authorized by sqs:SendMessage. */
	need(out, a, "sqs:SendMessage", arn);
	return 0;
}

int sg_aws_needs_of(sg_aws_needs *out, sg_arena *arena, const sg_aws_call *call)
{
	memset(out, 0, sizeof(*out));
	if (!call->service)
		return refuse(out, "the request is not signed for a service");
	if (!strcmp(call->service, "sns"))
		return sns_needs(out, arena, call);
	if (!strcmp(call->service, "sqs"))
		return sqs_needs(out, arena, call);
	if (strcmp(call->service, "dynamodb"))
		return refuse(out, "a service svcgen local does not serve");
	out->protocol = "json";
	const char *t = call->target;
	const char *op = NULL;
	bool streams = false;
	if (t && !strncmp(t, "DynamoDB_20120810.", 18)) {
		op = t + 18;
	} else if (t && !strncmp(t, "DynamoDBStreams_20120810.", 25)) {
		op = t + 25;
		streams = true;
	} else {
		return refuse(out, "the request has no DynamoDB X-Amz-Target");
	}
	out->operation = sg_arena_strdup(arena, op);
	cJSON *body = cJSON_ParseWithLength(call->body ? call->body : "{}",
					    call->body ? call->body_len : 2);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		return refuse(out, "the request body is not a JSON object");
	}
	int rc = streams ? streams_needs(out, arena, op, body)
			 : dynamodb_needs(out, arena, call, op, body);
	cJSON_Delete(body);
	return rc;
}
