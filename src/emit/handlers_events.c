/*
 * handlers_events.c - events/<function>.json: a sample event per function,
 * shaped like what Lambda delivers, so `make test` and a local Runtime
 * Interface Emulator run exercise the same parsing as production:
 *
 *   - REST API routes: an API Gateway Lambda proxy event, payload format
 *     1.0 (API Gateway Developer Guide, "Input format of a Lambda function
 *     for proxy integration"), with requestContext.authorizer.claims for
 *     Cognito routes and requestContext.identity.userArn for IAM routes;
 *   - HTTP API routes: payload format 2.0 ("Working with AWS Lambda proxy
 *     integrations for HTTP APIs"), with authorizer.jwt or authorizer.iam;
 *   - stream functions: a DynamoDB Streams event (Lambda Developer Guide,
 *     "Using AWS Lambda with Amazon DynamoDB") with one INSERT record whose
 *     keys follow the table's key schema and whose images follow its
 *     stream view type;
 *   - other functions: {}.
 *
 * Fixed sample values (ids, times, account 123456789012) keep the output
 * deterministic.
 */
#include <string.h>

#include "handlers_int.h"
#include "svcgen/spec.h"

#define SAMPLE_ACCOUNT "123456789012"
#define SAMPLE_TIME_EPOCH 1700000000000.0 /* 2023-11-14T22:13:20Z */
#define SAMPLE_IP "203.0.113.10"          /* TEST-NET-3 (RFC 5737) */
#define SAMPLE_AGENT "svcgen-sample"

static bool has_body(sg_method_verb v)
{
	return v == SG_METHOD_POST || v == SG_METHOD_PUT || v == SG_METHOD_PATCH ||
	       v == SG_METHOD_ANY;
}

/* ANY routes are invoked with a concrete method; GET is the common one. */
static const char *concrete_method(const sg_plan_method *m)
{
	return m->verb == SG_METHOD_ANY ? "GET" : m->verb_name;
}

static cJSON *path_parameters(const sg_plan_method *m)
{
	bool any = false;
	cJSON *pp = cJSON_CreateObject();
	/* Root first, so the keys come in path order. */
	const sg_plan_node *chain[256];
	size_t n = 0;
	for (const sg_plan_node *nd = m->node; nd && n < 256; nd = nd->parent)
		chain[n++] = nd;
	while (n-- > 0) {
		const sg_plan_node *nd = chain[n];
		if (!nd->param)
			continue;
		size_t len = strlen(nd->path_part);
		size_t cut = nd->greedy ? 3 : 2;
		char name[1100];
		snprintf(name, sizeof(name), "%.*s", (int)(len - cut), nd->path_part + 1);
		cJSON_AddStringToObject(pp, name, sg_handlers_sample_param(nd->path_part));
		any = true;
	}
	if (!any) {
		cJSON_Delete(pp);
		return cJSON_CreateNull();
	}
	return pp;
}

static cJSON *sample_claims(void)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "sub", "11111111-2222-3333-4444-555555555555");
	cJSON_AddStringToObject(c, "cognito:username", "example-user");
	cJSON_AddStringToObject(c, "email", "user@example.com");
	cJSON_AddStringToObject(c, "token_use", "id");
	return c;
}

static cJSON *event_v1(const sg_plan *plan, const sg_plan_method *m)
{
	const char *method = concrete_method(m);
	sg_buf path = SG_BUF_INIT;
	sg_handlers_sample_path(&path, m->node->path);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "resource", m->node->path);
	cJSON_AddStringToObject(ev, "path", path.ptr);
	cJSON_AddStringToObject(ev, "httpMethod", method);

	cJSON *h = cJSON_AddObjectToObject(ev, "headers");
	cJSON *mvh = cJSON_AddObjectToObject(ev, "multiValueHeaders");
	static const char *const hdrs[][2] = {
		{"Accept", "application/json"},
		{"Content-Type", "application/json"},
		{"Host", "example.execute-api.us-east-1.amazonaws.com"},
		{"User-Agent", SAMPLE_AGENT},
	};
	for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		cJSON_AddStringToObject(h, hdrs[i][0], hdrs[i][1]);
		cJSON *l = cJSON_AddArrayToObject(mvh, hdrs[i][0]);
		cJSON_AddItemToArray(l, cJSON_CreateString(hdrs[i][1]));
	}
	if (m->auth == SG_AUTH_COGNITO) {
		cJSON_AddStringToObject(h, "Authorization", "eyJraWQiOiJzYW1wbGUifQ.e30.c2lnbmF0dXJl");
		cJSON *l = cJSON_AddArrayToObject(mvh, "Authorization");
		cJSON_AddItemToArray(l, cJSON_CreateString("eyJraWQiOiJzYW1wbGUifQ.e30.c2lnbmF0dXJl"));
	}
	cJSON_AddNullToObject(ev, "queryStringParameters");
	cJSON_AddNullToObject(ev, "multiValueQueryStringParameters");
	cJSON_AddItemToObject(ev, "pathParameters", path_parameters(m));
	cJSON_AddNullToObject(ev, "stageVariables");

	cJSON *rc = cJSON_AddObjectToObject(ev, "requestContext");
	cJSON_AddStringToObject(rc, "accountId", SAMPLE_ACCOUNT);
	cJSON_AddStringToObject(rc, "apiId", "example");
	cJSON_AddStringToObject(rc, "resourceId", "abc123");
	cJSON_AddStringToObject(rc, "resourcePath", m->node->path);
	cJSON_AddStringToObject(rc, "httpMethod", method);
	/* requestContext.path: the path as the client sent it, stage first. */
	sg_buf full = SG_BUF_INIT;
	sg_buf_printf(&full, "/%s%s", plan->stage, path.ptr);
	cJSON_AddStringToObject(rc, "path", full.ptr);
	sg_buf_free(&full);
	cJSON_AddStringToObject(rc, "protocol", "HTTP/1.1");
	cJSON_AddStringToObject(rc, "requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	cJSON_AddNumberToObject(rc, "requestTimeEpoch", SAMPLE_TIME_EPOCH);
	cJSON_AddStringToObject(rc, "stage", plan->stage);
	cJSON *id = cJSON_AddObjectToObject(rc, "identity");
	cJSON_AddStringToObject(id, "sourceIp", SAMPLE_IP);
	cJSON_AddStringToObject(id, "userAgent", SAMPLE_AGENT);
	if (m->auth == SG_AUTH_IAM) {
		cJSON_AddStringToObject(id, "accountId", SAMPLE_ACCOUNT);
		cJSON_AddStringToObject(id, "caller", "AIDAEXAMPLEEXAMPLE");
		cJSON_AddStringToObject(id, "user", "AIDAEXAMPLEEXAMPLE");
		cJSON_AddStringToObject(id, "userArn", "arn:aws:iam::" SAMPLE_ACCOUNT ":user/example");
		cJSON_AddStringToObject(id, "accessKey", "AKIAIOSFODNN7EXAMPLE");
	}
	if (m->auth == SG_AUTH_COGNITO) {
		cJSON *auth = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON_AddItemToObject(auth, "claims", sample_claims());
	}
	if (has_body(m->verb))
		cJSON_AddStringToObject(ev, "body", "{\"example\":true}");
	else
		cJSON_AddNullToObject(ev, "body");
	cJSON_AddBoolToObject(ev, "isBase64Encoded", false);
	sg_buf_free(&path);
	return ev;
}

static cJSON *event_v2(const sg_plan_method *m)
{
	const char *method = concrete_method(m);
	sg_buf path = SG_BUF_INIT;
	sg_handlers_sample_path(&path, m->node->path);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "version", "2.0");
	cJSON_AddStringToObject(ev, "routeKey", m->route_key);
	cJSON_AddStringToObject(ev, "rawPath", path.ptr);
	cJSON_AddStringToObject(ev, "rawQueryString", "");
	cJSON *h = cJSON_AddObjectToObject(ev, "headers");
	cJSON_AddStringToObject(h, "accept", "application/json");
	cJSON_AddStringToObject(h, "content-type", "application/json");
	cJSON_AddStringToObject(h, "host", "example.execute-api.us-east-1.amazonaws.com");
	cJSON_AddStringToObject(h, "user-agent", SAMPLE_AGENT);
	if (m->auth == SG_AUTH_COGNITO)
		cJSON_AddStringToObject(h, "authorization",
					"eyJraWQiOiJzYW1wbGUifQ.e30.c2lnbmF0dXJl");
	cJSON *pp = path_parameters(m);
	if (cJSON_IsNull(pp))
		cJSON_Delete(pp);
	else
		cJSON_AddItemToObject(ev, "pathParameters", pp);

	cJSON *rc = cJSON_AddObjectToObject(ev, "requestContext");
	cJSON_AddStringToObject(rc, "accountId", SAMPLE_ACCOUNT);
	cJSON_AddStringToObject(rc, "apiId", "example");
	if (m->auth == SG_AUTH_COGNITO) {
		cJSON *auth = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON *jwt = cJSON_AddObjectToObject(auth, "jwt");
		cJSON_AddItemToObject(jwt, "claims", sample_claims());
		cJSON *scopes = cJSON_AddArrayToObject(jwt, "scopes");
		for (size_t i = 0; i < m->scope_count; i++)
			cJSON_AddItemToArray(scopes, cJSON_CreateString(m->scopes[i]));
	} else if (m->auth == SG_AUTH_IAM) {
		cJSON *auth = cJSON_AddObjectToObject(rc, "authorizer");
		cJSON *iam = cJSON_AddObjectToObject(auth, "iam");
		cJSON_AddStringToObject(iam, "accessKey", "AKIAIOSFODNN7EXAMPLE");
		cJSON_AddStringToObject(iam, "accountId", SAMPLE_ACCOUNT);
		cJSON_AddStringToObject(iam, "callerId", "AIDAEXAMPLEEXAMPLE");
		cJSON_AddStringToObject(iam, "userArn", "arn:aws:iam::" SAMPLE_ACCOUNT ":user/example");
		cJSON_AddStringToObject(iam, "userId", "AIDAEXAMPLEEXAMPLE");
	}
	cJSON_AddStringToObject(rc, "domainName", "example.execute-api.us-east-1.amazonaws.com");
	cJSON_AddStringToObject(rc, "domainPrefix", "example");
	cJSON *http = cJSON_AddObjectToObject(rc, "http");
	cJSON_AddStringToObject(http, "method", method);
	cJSON_AddStringToObject(http, "path", path.ptr);
	cJSON_AddStringToObject(http, "protocol", "HTTP/1.1");
	cJSON_AddStringToObject(http, "sourceIp", SAMPLE_IP);
	cJSON_AddStringToObject(http, "userAgent", SAMPLE_AGENT);
	cJSON_AddStringToObject(rc, "requestId", "JKJaXmPLvHcESHA=");
	cJSON_AddStringToObject(rc, "routeKey", m->route_key);
	cJSON_AddStringToObject(rc, "stage", "$default");
	cJSON_AddStringToObject(rc, "time", "14/Nov/2023:22:13:20 +0000");
	cJSON_AddNumberToObject(rc, "timeEpoch", SAMPLE_TIME_EPOCH);
	if (has_body(m->verb))
		cJSON_AddStringToObject(ev, "body", "{\"example\":true}");
	cJSON_AddBoolToObject(ev, "isBase64Encoded", false);
	sg_buf_free(&path);
	return ev;
}

/* A sample AttributeValue of `type` ({"S": "example"}, {"N": "1"},
 * {"B": base64 of "example"}). */
static cJSON *sample_value(sg_attr_type type)
{
	cJSON *v = cJSON_CreateObject();
	switch (type) {
	case SG_ATTR_N: cJSON_AddStringToObject(v, "N", "1"); break;
	case SG_ATTR_B: cJSON_AddStringToObject(v, "B", "ZXhhbXBsZQ=="); break;
	default: cJSON_AddStringToObject(v, "S", "example"); break;
	}
	return v;
}

static cJSON *sample_keys(const sg_plan_table *t)
{
	cJSON *k = cJSON_CreateObject();
	if (t->partition_key.name)
		cJSON_AddItemToObject(k, t->partition_key.name, sample_value(t->partition_key.type));
	if (t->sort_key.name)
		cJSON_AddItemToObject(k, t->sort_key.name, sample_value(t->sort_key.type));
	return k;
}

static const char *view_type(sg_stream_view v)
{
	switch (v) {
	case SG_STREAM_KEYS_ONLY: return "KEYS_ONLY";
	case SG_STREAM_NEW_IMAGE: return "NEW_IMAGE";
	case SG_STREAM_OLD_IMAGE: return "OLD_IMAGE";
	default: return "NEW_AND_OLD_IMAGES";
	}
}

static cJSON *event_stream(const sg_plan *plan, const sg_plan_event *e)
{
	const sg_plan_table *t = e->table;
	cJSON *ev = cJSON_CreateObject();
	cJSON *records = cJSON_AddArrayToObject(ev, "Records");
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "eventID", "c4ca4238a0b923820dcc509a6f75849b");
	cJSON_AddStringToObject(r, "eventName", "INSERT");
	cJSON_AddStringToObject(r, "eventVersion", "1.1");
	cJSON_AddStringToObject(r, "eventSource", "aws:dynamodb");
	cJSON_AddStringToObject(r, "awsRegion", plan->region);
	cJSON *db = cJSON_AddObjectToObject(r, "dynamodb");
	cJSON_AddNumberToObject(db, "ApproximateCreationDateTime", SAMPLE_TIME_EPOCH / 1000);
	cJSON_AddItemToObject(db, "Keys", sample_keys(t));
	/* An INSERT has no old image; the new one exists when the view has it. */
	if (t->stream == SG_STREAM_NEW_IMAGE || t->stream == SG_STREAM_NEW_AND_OLD_IMAGES)
		cJSON_AddItemToObject(db, "NewImage", sample_keys(t));
	cJSON_AddStringToObject(db, "SequenceNumber", "111000000000000000000001");
	cJSON_AddNumberToObject(db, "SizeBytes", 26);
	cJSON_AddStringToObject(db, "StreamViewType", view_type(t->stream));
	char arn[600];
	snprintf(arn, sizeof(arn), "arn:aws:dynamodb:%s:%s:table/%s/stream/2023-11-14T22:13:20.000",
		 plan->region, SAMPLE_ACCOUNT, t->physical_name);
	cJSON_AddStringToObject(r, "eventSourceARN", arn);
	cJSON_AddItemToArray(records, r);
	return ev;
}

cJSON *sg_handlers_sample_event(const sg_plan *plan, const sg_plan_function *fn)
{
	if (!plan || !fn)
		return NULL;
	if (fn->route_count)
		return plan->api.type == SG_API_HTTP ? event_v2(fn->routes[0])
						     : event_v1(plan, fn->routes[0]);
	if (fn->event_count)
		return event_stream(plan, &fn->events[0]);
	return cJSON_CreateObject();
}
