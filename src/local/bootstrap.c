/*
 * bootstrap.c - the spec's resources on the local AWS endpoint, created
 * from the plan (the same plan the template is generated from): tables
 * with their keys, indexes, billing, streams and TTL; topics; the stream
 * events' on-failure queues; the Cognito user pool and its app client.  From the plan rather than by deploying the
 * generated template because moto's CloudFormation lacks several of the
 * template's resource types (the Cognito ones among them), and deploying
 * it would also create Lambda functions and an API nobody uses here.
 *
 * Idempotent against an endpoint that already has them (--aws-endpoint):
 * an existing table, topic, pool or client of the same name is reused.
 * Afterwards the context knows each stream's ARN, each topic's ARN, each
 * queue's URL and ARN, the pool's id, its client's id and the pool's JWKS
 * (for the authorizers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "local_int.h"

static const char *attr_type(sg_attr_type t)
{
	return t == SG_ATTR_N ? "N" : t == SG_ATTR_B ? "B" : "S";
}

static cJSON *key_schema(const sg_plan_key *pk, const sg_plan_key *sk)
{
	cJSON *ks = cJSON_CreateArray();
	cJSON *h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "AttributeName", pk->name);
	cJSON_AddStringToObject(h, "KeyType", "HASH");
	cJSON_AddItemToArray(ks, h);
	if (sk->name) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "AttributeName", sk->name);
		cJSON_AddStringToObject(r, "KeyType", "RANGE");
		cJSON_AddItemToArray(ks, r);
	}
	return ks;
}

static cJSON *throughput(int64_t read, int64_t write)
{
	cJSON *t = cJSON_CreateObject();
	cJSON_AddNumberToObject(t, "ReadCapacityUnits", (double)read);
	cJSON_AddNumberToObject(t, "WriteCapacityUnits", (double)write);
	return t;
}

static const char *stream_view(sg_stream_view v)
{
	switch (v) {
	case SG_STREAM_KEYS_ONLY: return "KEYS_ONLY";
	case SG_STREAM_NEW_IMAGE: return "NEW_IMAGE";
	case SG_STREAM_OLD_IMAGE: return "OLD_IMAGE";
	default: return "NEW_AND_OLD_IMAGES";
	}
}

static char *create_table_body(const sg_plan_table *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "TableName", t->physical_name);
	cJSON *ad = cJSON_AddArrayToObject(o, "AttributeDefinitions");
	for (size_t i = 0; i < t->attribute_count; i++) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "AttributeName", t->attributes[i].name);
		cJSON_AddStringToObject(a, "AttributeType", attr_type(t->attributes[i].type));
		cJSON_AddItemToArray(ad, a);
	}
	cJSON_AddItemToObject(o, "KeySchema", key_schema(&t->partition_key, &t->sort_key));
	bool prov = t->billing == SG_BILLING_PROVISIONED;
	cJSON_AddStringToObject(o, "BillingMode", prov ? "PROVISIONED" : "PAY_PER_REQUEST");
	if (prov)
		cJSON_AddItemToObject(o, "ProvisionedThroughput",
				      throughput(t->read_capacity, t->write_capacity));
	if (t->index_count) {
		cJSON *gs = cJSON_AddArrayToObject(o, "GlobalSecondaryIndexes");
		for (size_t i = 0; i < t->index_count; i++) {
			const sg_plan_index *ix = &t->indexes[i];
			cJSON *g = cJSON_CreateObject();
			cJSON_AddStringToObject(g, "IndexName", ix->name);
			cJSON_AddItemToObject(g, "KeySchema",
					      key_schema(&ix->partition_key, &ix->sort_key));
			cJSON *p = cJSON_AddObjectToObject(g, "Projection");
			cJSON_AddStringToObject(p, "ProjectionType",
						ix->projection == SG_PROJ_ALL ? "ALL"
						: ix->projection == SG_PROJ_KEYS_ONLY ? "KEYS_ONLY"
										      : "INCLUDE");
			if (ix->projection == SG_PROJ_INCLUDE) {
				cJSON *nk = cJSON_AddArrayToObject(p, "NonKeyAttributes");
				for (size_t k = 0; k < ix->include_count; k++)
					cJSON_AddItemToArray(nk, cJSON_CreateString(ix->include[k]));
			}
			if (prov)
				cJSON_AddItemToObject(g, "ProvisionedThroughput",
						      throughput(ix->read_capacity, ix->write_capacity));
			cJSON_AddItemToArray(gs, g);
		}
	}
	if (t->stream != SG_STREAM_NONE) {
		cJSON *ss = cJSON_AddObjectToObject(o, "StreamSpecification");
		cJSON_AddBoolToObject(ss, "StreamEnabled", true);
		cJSON_AddStringToObject(ss, "StreamViewType", stream_view(t->stream));
	}
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* Call, and report a failure with `what`; the parsed answer or NULL. */
static cJSON *json_call(local_ctx *ctx, sg_diags *diags, const char *service, const char *target,
			const char *body, const char *what, const char *tolerate)
{
	local_reply r;
	int rc = local_aws_json(ctx, NULL, service, target, body, &r);
	cJSON *doc = rc == 0 ? cJSON_ParseWithLength(r.body, r.len) : NULL;
	if (rc == 0 && r.status == 200 && doc) {
		local_reply_free(&r);
		return doc;
	}
	bool tolerated = false;
	if (tolerate && doc) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "__type");
		tolerated = cJSON_IsString(t) && strstr(t->valuestring, tolerate);
	}
	if (!tolerated)
		sg_error(diags, "local", (sg_pos){0, 0}, "%s failed: %s", what,
			 rc ? r.error : sg_arena_printf(ctx->arena, "HTTP %ld %.300s", r.status, r.body));
	cJSON_Delete(doc);
	local_reply_free(&r);
	return NULL;
}

static int tables(local_ctx *ctx, sg_diags *diags)
{
	const sg_plan *plan = ctx->plan;
	ctx->table_stream_arns = sg_arena_calloc(ctx->arena, plan->table_count + 1, sizeof(char *));
	for (size_t i = 0; i < plan->table_count; i++) {
		const sg_plan_table *t = &plan->tables[i];
		char *body = create_table_body(t);
		const char *what = sg_arena_printf(ctx->arena, "creating table %s", t->physical_name);
		cJSON *doc = json_call(ctx, diags, "dynamodb", "DynamoDB_20120810.CreateTable", body,
				       what, "ResourceInUseException");
		cJSON_free(body);
		cJSON_Delete(doc);
		cJSON *q = cJSON_CreateObject();
		cJSON_AddStringToObject(q, "TableName", t->physical_name);
		char *qs = cJSON_PrintUnformatted(q);
		cJSON_Delete(q);
		doc = json_call(ctx, diags, "dynamodb", "DynamoDB_20120810.DescribeTable", qs, what, NULL);
		cJSON_free(qs);
		if (!doc)
			return -1;
		const cJSON *tab = cJSON_GetObjectItemCaseSensitive(doc, "Table");
		const cJSON *arn = cJSON_GetObjectItemCaseSensitive(tab, "LatestStreamArn");
		if (cJSON_IsString(arn))
			ctx->table_stream_arns[i] = sg_arena_strdup(ctx->arena, arn->valuestring);
		cJSON_Delete(doc);
		if (t->stream != SG_STREAM_NONE && !ctx->table_stream_arns[i]) {
			sg_error(diags, "local", (sg_pos){0, 0},
				 "table %s has no stream on the endpoint (created before with another "
				 "StreamSpecification?)", t->physical_name);
			return -1;
		}
		if (t->ttl) {
			cJSON *u = cJSON_CreateObject();
			cJSON_AddStringToObject(u, "TableName", t->physical_name);
			cJSON *spec = cJSON_AddObjectToObject(u, "TimeToLiveSpecification");
			cJSON_AddBoolToObject(spec, "Enabled", true);
			cJSON_AddStringToObject(spec, "AttributeName", t->ttl);
			char *us = cJSON_PrintUnformatted(u);
			cJSON_Delete(u);
			/* Enabling it twice is a ValidationException: already on. */
			cJSON_Delete(json_call(ctx, diags, "dynamodb", "DynamoDB_20120810.UpdateTimeToLive",
					       us, "enabling TTL", "ValidationException"));
			cJSON_free(us);
		}
		local_log("aws: table %s%s%s%s", t->physical_name,
			  t->index_count ? " (with indexes)" : "",
			  ctx->table_stream_arns[i] ? ", stream " : "",
			  ctx->table_stream_arns[i] ? ctx->table_stream_arns[i] : "");
	}
	return 0;
}

/* Percent-encode for a form body. */
static char *form(sg_arena *a, const char *s)
{
	sg_buf b = SG_BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~')
			sg_buf_putc(&b, (char)*p);
		else
			sg_buf_printf(&b, "%%%02X", *p);
	}
	if (!b.ptr)
		sg_buf_puts(&b, "");
	return sg_buf_to_arena(&b, a, NULL);
}

/* The text of the first <tag>...</tag> in `xml`, or NULL. */
static char *xml_text(sg_arena *a, const char *xml, const char *tag)
{
	char open[64], close[64];
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	const char *s = strstr(xml, open);
	if (!s)
		return NULL;
	s += strlen(open);
	const char *e = strstr(s, close);
	return e ? sg_arena_strndup(a, s, (size_t)(e - s)) : NULL;
}

static int topics(local_ctx *ctx, sg_diags *diags)
{
	const sg_plan *plan = ctx->plan;
	ctx->topic_arns = sg_arena_calloc(ctx->arena, plan->topic_count + 1, sizeof(char *));
	for (size_t i = 0; i < plan->topic_count; i++) {
		const sg_plan_topic *t = &plan->topics[i];
		const char *body = sg_arena_printf(ctx->arena,
						   "Action=CreateTopic&Version=2010-03-31&Name=%s%s",
						   form(ctx->arena, t->physical_name),
						   t->fifo ? "&Attributes.entry.1.key=FifoTopic"
							     "&Attributes.entry.1.value=true"
							   : "");
		local_reply r;
		int rc = local_aws_query(ctx, "sns", body, &r);
		char *arn = rc == 0 && r.status == 200 ? xml_text(ctx->arena, r.body, "TopicArn") : NULL;
		if (!arn) {
			sg_error(diags, "local", (sg_pos){0, 0}, "creating topic %s failed: %s",
				 t->physical_name,
				 rc ? r.error : sg_arena_printf(ctx->arena, "HTTP %ld %.300s", r.status,
							       r.body));
			local_reply_free(&r);
			return -1;
		}
		local_reply_free(&r);
		ctx->topic_arns[i] = arn;
		local_log("aws: topic %s", arn);
	}
	return 0;
}

/*
 * The on-failure queues of the stream events (SQS, JSON 1.0 protocol):
 * the generated queue's settings, SSE-SQS and 14 days' retention.
 * CreateQueue of an existing queue with the same attributes returns it;
 * one with other attributes (an older run's) is reused through
 * GetQueueUrl.
 */
static int queues(local_ctx *ctx, sg_diags *diags)
{
	const sg_plan *plan = ctx->plan;
	ctx->queue_urls = sg_arena_calloc(ctx->arena, plan->queue_count + 1, sizeof(char *));
	ctx->queue_arns = sg_arena_calloc(ctx->arena, plan->queue_count + 1, sizeof(char *));
	for (size_t i = 0; i < plan->queue_count; i++) {
		const sg_plan_queue *q = &plan->queues[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "QueueName", q->physical_name);
		cJSON *at = cJSON_AddObjectToObject(o, "Attributes");
		cJSON_AddStringToObject(at, "MessageRetentionPeriod",
					sg_arena_printf(ctx->arena, "%lld", (long long)q->retention));
		cJSON_AddStringToObject(at, "SqsManagedSseEnabled", "true");
		char *body = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		const char *what = sg_arena_printf(ctx->arena, "creating queue %s", q->physical_name);
		cJSON *doc = json_call(ctx, diags, "sqs", "AmazonSQS.CreateQueue", body, what,
				       "QueueAlreadyExists");
		cJSON_free(body);
		if (!doc) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "QueueName", q->physical_name);
			body = cJSON_PrintUnformatted(o);
			cJSON_Delete(o);
			doc = json_call(ctx, diags, "sqs", "AmazonSQS.GetQueueUrl", body, what, NULL);
			cJSON_free(body);
		}
		const cJSON *url = cJSON_GetObjectItemCaseSensitive(doc, "QueueUrl");
		if (!cJSON_IsString(url)) {
			cJSON_Delete(doc);
			return -1;
		}
		ctx->queue_urls[i] = sg_arena_strdup(ctx->arena, url->valuestring);
		cJSON_Delete(doc);
		ctx->queue_arns[i] = sg_arena_printf(ctx->arena, "arn:%s:sqs:%s:%s:%s", ctx->partition,
						     ctx->region, ctx->account, q->physical_name);
		local_log("aws: queue %s (on-failure destination of %s)", ctx->queue_urls[i],
			  q->function->name);
	}
	return 0;
}

static cJSON *strings(const sg_strlist *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->count; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->items[i].v));
	return a;
}

/* The id of the entry named `name` in list `member` of `doc`, or NULL. */
static const char *find_named(sg_arena *a, const cJSON *doc, const char *member,
			      const char *name_key, const char *name, const char *id_key)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, member))
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, name_key);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, id_key);
		if (cJSON_IsString(n) && !strcmp(n->valuestring, name) && cJSON_IsString(id))
			return sg_arena_strdup(a, id->valuestring);
	}
	return NULL;
}

static int cognito(local_ctx *ctx, sg_diags *diags)
{
	const sg_plan_cognito *pc = &ctx->plan->cognito;
	const sg_cognito *sc = &ctx->plan->spec->cognito;
	const char *svc = "cognito-idp";
	cJSON *l = json_call(ctx, diags, svc, "AWSCognitoIdentityProviderService.ListUserPools",
			     "{\"MaxResults\":60}", "listing user pools", NULL);
	const char *pool = l ? find_named(ctx->arena, l, "UserPools", "Name", pc->user_pool_name, "Id")
			     : NULL;
	cJSON_Delete(l);
	if (!pool) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "PoolName", pc->user_pool_name);
		cJSON *ua = cJSON_CreateArray();
		for (size_t i = 0; i < sc->sign_in.count; i++) {
			int v = sc->sign_in.items[i].v;
			if (v == SG_SIGNIN_EMAIL)
				cJSON_AddItemToArray(ua, cJSON_CreateString("email"));
			else if (v == SG_SIGNIN_PHONE)
				cJSON_AddItemToArray(ua, cJSON_CreateString("phone_number"));
		}
		if (cJSON_GetArraySize(ua))
			cJSON_AddItemToObject(o, "UsernameAttributes", ua);
		else
			cJSON_Delete(ua);
		cJSON *pol = cJSON_AddObjectToObject(o, "Policies");
		cJSON *pp = cJSON_AddObjectToObject(pol, "PasswordPolicy");
		cJSON_AddNumberToObject(pp, "MinimumLength",
					sc->password_min_length.set ? (double)sc->password_min_length.v : 8);
		cJSON_AddStringToObject(o, "MfaConfiguration",
					sc->mfa.v == SG_MFA_ON ? "ON" : sc->mfa.v == SG_MFA_OPTIONAL ? "OPTIONAL"
												     : "OFF");
		char *body = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		cJSON *r = json_call(ctx, diags, svc, "AWSCognitoIdentityProviderService.CreateUserPool",
				     body, "creating the user pool", NULL);
		cJSON_free(body);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(r, "UserPool"), "Id");
		pool = cJSON_IsString(id) ? sg_arena_strdup(ctx->arena, id->valuestring) : NULL;
		cJSON_Delete(r);
		if (!pool)
			return -1;
	}
	ctx->user_pool_id = pool;

	cJSON *q = cJSON_CreateObject();
	cJSON_AddStringToObject(q, "UserPoolId", pool);
	cJSON_AddNumberToObject(q, "MaxResults", 60);
	char *qs = cJSON_PrintUnformatted(q);
	cJSON_Delete(q);
	l = json_call(ctx, diags, svc, "AWSCognitoIdentityProviderService.ListUserPoolClients", qs,
		      "listing user pool clients", NULL);
	cJSON_free(qs);
	const char *client = l ? find_named(ctx->arena, l, "UserPoolClients", "ClientName",
					    pc->client_name, "ClientId")
			       : NULL;
	cJSON_Delete(l);
	if (!client) {
		/* The generated client's settings (see the CloudFormation emitter). */
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "UserPoolId", pool);
		cJSON_AddStringToObject(o, "ClientName", pc->client_name);
		cJSON_AddBoolToObject(o, "GenerateSecret", false);
		cJSON *fl = cJSON_AddArrayToObject(o, "ExplicitAuthFlows");
		cJSON_AddItemToArray(fl, cJSON_CreateString("ALLOW_REFRESH_TOKEN_AUTH"));
		cJSON_AddItemToArray(fl, cJSON_CreateString("ALLOW_USER_SRP_AUTH"));
		if (sc->oauth_flows.count) {
			cJSON_AddBoolToObject(o, "AllowedOAuthFlowsUserPoolClient", true);
			cJSON *of = cJSON_AddArrayToObject(o, "AllowedOAuthFlows");
			for (size_t i = 0; i < sc->oauth_flows.count; i++)
				cJSON_AddItemToArray(of, cJSON_CreateString(
					sc->oauth_flows.items[i].v == SG_FLOW_IMPLICIT ? "implicit" : "code"));
			cJSON_AddItemToObject(o, "AllowedOAuthScopes", strings(&sc->scopes));
			cJSON_AddItemToObject(o, "CallbackURLs", strings(&sc->callback_urls));
			cJSON_AddItemToObject(o, "LogoutURLs", strings(&sc->logout_urls));
			cJSON *idp = cJSON_AddArrayToObject(o, "SupportedIdentityProviders");
			cJSON_AddItemToArray(idp, cJSON_CreateString("COGNITO"));
		}
		char *body = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		cJSON *r = json_call(ctx, diags, svc,
				     "AWSCognitoIdentityProviderService.CreateUserPoolClient", body,
				     "creating the user pool client", NULL);
		cJSON_free(body);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(r, "UserPoolClient"), "ClientId");
		client = cJSON_IsString(id) ? sg_arena_strdup(ctx->arena, id->valuestring) : NULL;
		cJSON_Delete(r);
		if (!client)
			return -1;
	}
	ctx->user_pool_client_id = client;
	ctx->issuer = sg_arena_printf(ctx->arena, "https://cognito-idp.%s.amazonaws.com/%s",
				      ctx->region, pool);
	local_log("aws: user pool %s, client %s", pool, client);
	return 0;
}

int local_bootstrap(local_ctx *ctx, sg_diags *diags)
{
	if (tables(ctx, diags) < 0 || topics(ctx, diags) < 0 || queues(ctx, diags) < 0)
		return -1;
	if (ctx->plan->cognito.present && cognito(ctx, diags) < 0)
		return -1;
	return 0;
}
