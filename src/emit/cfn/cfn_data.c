/*
 * cfn_data.c - CloudFormation for the data and identity resources:
 * DynamoDB tables, SNS topics and subscriptions, the Cognito user pool.
 */
#include <string.h>

#include "cfn_int.h"
#include "svcgen/spec.h"

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
	case SG_STREAM_NEW_AND_OLD_IMAGES: return "NEW_AND_OLD_IMAGES";
	case SG_STREAM_NONE: break;
	}
	return NULL;
}

static void emit_table(cfn_ctx *c, const sg_plan_table *t)
{
	cJSON *p = cfn_resource(c, t->logical_id, "AWS::DynamoDB::Table");
	/* No stack operation may drop a table's data: not a delete, not a
	 * replacement caused by an edit of an immutable property. */
	cfn_set_policies(c, t->logical_id, "Retain");

	cJSON_AddStringToObject(p, "TableName", t->physical_name);
	bool prov = t->billing == SG_BILLING_PROVISIONED;
	cJSON_AddStringToObject(p, "BillingMode", prov ? "PROVISIONED" : "PAY_PER_REQUEST");
	cJSON *defs = cJSON_AddArrayToObject(p, "AttributeDefinitions");
	for (size_t i = 0; i < t->attribute_count; i++) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "AttributeName", t->attributes[i].name);
		cJSON_AddStringToObject(d, "AttributeType", attr_type(t->attributes[i].type));
		cJSON_AddItemToArray(defs, d);
	}
	cJSON_AddItemToObject(p, "KeySchema", key_schema(&t->partition_key, &t->sort_key));
	if (prov)
		cJSON_AddItemToObject(p, "ProvisionedThroughput",
				      throughput(t->read_capacity, t->write_capacity));
	if (t->index_count) {
		cJSON *gsis = cJSON_AddArrayToObject(p, "GlobalSecondaryIndexes");
		for (size_t i = 0; i < t->index_count; i++) {
			const sg_plan_index *x = &t->indexes[i];
			cJSON *g = cJSON_CreateObject();
			cJSON_AddStringToObject(g, "IndexName", x->name);
			cJSON_AddItemToObject(g, "KeySchema",
					      key_schema(&x->partition_key, &x->sort_key));
			cJSON *proj = cJSON_AddObjectToObject(g, "Projection");
			if (x->projection == SG_PROJ_INCLUDE) {
				cJSON_AddStringToObject(proj, "ProjectionType", "INCLUDE");
				cJSON_AddItemToObject(proj, "NonKeyAttributes",
						      cfn_strings(x->include, x->include_count));
			} else {
				cJSON_AddStringToObject(proj, "ProjectionType",
							x->projection == SG_PROJ_KEYS_ONLY ? "KEYS_ONLY"
											   : "ALL");
			}
			if (prov)
				cJSON_AddItemToObject(g, "ProvisionedThroughput",
						      throughput(x->read_capacity, x->write_capacity));
			cJSON_AddItemToArray(gsis, g);
		}
	}
	if (t->stream != SG_STREAM_NONE) {
		cJSON *s = cJSON_AddObjectToObject(p, "StreamSpecification");
		cJSON_AddStringToObject(s, "StreamViewType", stream_view(t->stream));
	}
	if (t->ttl) {
		cJSON *ttl = cJSON_AddObjectToObject(p, "TimeToLiveSpecification");
		cJSON_AddStringToObject(ttl, "AttributeName", t->ttl);
		cJSON_AddBoolToObject(ttl, "Enabled", true);
	}
	cJSON *pitr = cJSON_AddObjectToObject(p, "PointInTimeRecoverySpecification");
	cJSON_AddBoolToObject(pitr, "PointInTimeRecoveryEnabled", t->point_in_time_recovery);
	cJSON *sse = cJSON_AddObjectToObject(p, "SSESpecification");
	cJSON_AddBoolToObject(sse, "SSEEnabled", true);
	cfn_add_tags(c, p, "Tags");

	char *out = sg_arena_printf(c->arena, "%sName", t->logical_id);
	char *desc = sg_arena_printf(c->arena, "DynamoDB table '%s' (%s)", t->name,
				     t->env_name);
	cfn_output(c, out, desc, cfn_ref(t->logical_id));
}

void cfn_emit_tables(cfn_ctx *c)
{
	for (size_t i = 0; i < c->plan->table_count; i++)
		emit_table(c, &c->plan->tables[i]);
}

/* The on-failure queues of stream mappings: they hold records, so they
 * are retained like tables. */
void cfn_emit_queues(cfn_ctx *c)
{
	for (size_t i = 0; i < c->plan->queue_count; i++) {
		const sg_plan_queue *q = &c->plan->queues[i];
		cJSON *p = cfn_resource(c, q->logical_id, "AWS::SQS::Queue");
		cfn_set_policies(c, q->logical_id, "Retain");
		cJSON_AddStringToObject(p, "QueueName", q->physical_name);
		cJSON_AddNumberToObject(p, "MessageRetentionPeriod", (double)q->retention);
		cJSON_AddBoolToObject(p, "SqsManagedSseEnabled", true);
		cfn_add_tags(c, p, "Tags");
	}
}

/* The alarm topic's key: CloudWatch may use it to publish. */
static void emit_alarm_key(cfn_ctx *c)
{
	const sg_plan *plan = c->plan;
	cJSON *p = cfn_resource(c, plan->alarm_key_logical_id, "AWS::KMS::Key");
	cfn_set_policies(c, plan->alarm_key_logical_id, "Delete");
	cJSON_AddStringToObject(p, "Description",
				sg_arena_printf(c->arena, "Encrypts the SNS topic %s, which CloudWatch "
						"alarms publish to", plan->alarm_topic->physical_name));
	cJSON_AddBoolToObject(p, "EnableKeyRotation", true);
	cJSON_AddNumberToObject(p, "PendingWindowInDays", 7);
	cJSON_AddItemToObject(p, "KeyPolicy", sg_emit_alarm_key_policy_json(plan, c->arena, NULL, true));
	cfn_add_tags(c, p, "Tags");
}

void cfn_emit_topics(cfn_ctx *c)
{
	const sg_plan *plan = c->plan;
	if (plan->alarm_key_logical_id)
		emit_alarm_key(c);
	for (size_t i = 0; i < plan->topic_count; i++) {
		const sg_plan_topic *t = &plan->topics[i];
		cJSON *p = cfn_resource(c, t->logical_id, "AWS::SNS::Topic");
		cJSON_AddStringToObject(p, "TopicName", t->physical_name);
		if (t->fifo)
			cJSON_AddBoolToObject(p, "FifoTopic", true);
		if (t->display_name)
			cJSON_AddStringToObject(p, "DisplayName", t->display_name);
		/* Encrypted at rest: the alarm topic with its own key (CloudWatch
		 * cannot use alias/aws/sns), the others with the AWS-managed key
		 * for SNS, which the service's functions publish through. */
		if (t->alarm_topic)
			cJSON_AddItemToObject(p, "KmsMasterKeyId", cfn_ref(plan->alarm_key_logical_id));
		else
			cJSON_AddStringToObject(p, "KmsMasterKeyId", "alias/aws/sns");
		cfn_add_tags(c, p, "Tags");
		char *out = sg_arena_printf(c->arena, "%sArn", t->logical_id);
		char *desc = t->alarm_topic
			? sg_arena_strdup(c->arena, "SNS topic the alarms notify")
			: sg_arena_printf(c->arena, "SNS topic '%s' (%s)", t->name, t->env_name);
		cfn_output(c, out, desc, cfn_ref(t->logical_id));
	}
	for (size_t i = 0; i < plan->subscription_count; i++) {
		const sg_plan_subscription *s = &plan->subscriptions[i];
		cJSON *p = cfn_resource(c, s->logical_id, "AWS::SNS::Subscription");
		cJSON_AddItemToObject(p, "TopicArn", cfn_ref(plan->alarm_topic->logical_id));
		cJSON_AddStringToObject(p, "Protocol", "email");
		cJSON_AddStringToObject(p, "Endpoint", s->email);
	}
}

static bool has_enum(const sg_enumlist *l, int v)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].v == v)
			return true;
	return false;
}

void cfn_emit_cognito(cfn_ctx *c)
{
	const sg_plan_cognito *cg = &c->plan->cognito;
	if (!cg->present)
		return;
	const sg_cognito *s = &c->plan->spec->cognito;
	bool email = !s->sign_in.set || has_enum(&s->sign_in, SG_SIGNIN_EMAIL);
	bool phone = has_enum(&s->sign_in, SG_SIGNIN_PHONE);
	bool username = has_enum(&s->sign_in, SG_SIGNIN_USERNAME);

	cJSON *p = cfn_resource(c, cg->user_pool_logical_id, "AWS::Cognito::UserPool");
	/* The pool holds the users' accounts: like a table, it outlives the stack. */
	cfn_set_policies(c, cg->user_pool_logical_id, "Retain");
	cJSON_AddStringToObject(p, "UserPoolName", cg->user_pool_name);
	/* Without `username`, e-mail/phone are the user names; with it they
	 * are aliases a user can also sign in with. */
	cJSON *attrs = cJSON_CreateArray();
	if (email)
		cJSON_AddItemToArray(attrs, cJSON_CreateString("email"));
	if (phone)
		cJSON_AddItemToArray(attrs, cJSON_CreateString("phone_number"));
	if (cJSON_GetArraySize(attrs))
		cJSON_AddItemToObject(p, username ? "AliasAttributes" : "UsernameAttributes", attrs);
	else
		cJSON_Delete(attrs);
	cJSON *verified = cJSON_CreateArray();
	if (email)
		cJSON_AddItemToArray(verified, cJSON_CreateString("email"));
	if (phone)
		cJSON_AddItemToArray(verified, cJSON_CreateString("phone_number"));
	if (cJSON_GetArraySize(verified))
		cJSON_AddItemToObject(p, "AutoVerifiedAttributes", verified);
	else
		cJSON_Delete(verified);

	int mfa = s->mfa.set ? s->mfa.v : SG_MFA_OFF;
	cJSON_AddStringToObject(p, "MfaConfiguration",
				mfa == SG_MFA_ON ? "ON" : mfa == SG_MFA_OPTIONAL ? "OPTIONAL" : "OFF");
	/* TOTP needs no SMS role; SMS MFA would need one and a spend limit. */
	if (mfa != SG_MFA_OFF)
		cJSON_AddItemToObject(p, "EnabledMfas", cfn_strings((const char *const[]){"SOFTWARE_TOKEN_MFA"}, 1));
	cJSON *pol = cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "Policies"), "PasswordPolicy");
	cJSON_AddNumberToObject(pol, "MinimumLength",
				(double)(s->password_min_length.set ? s->password_min_length.v : 12));
	cJSON_AddBoolToObject(pol, "RequireLowercase", true);
	cJSON_AddBoolToObject(pol, "RequireUppercase", true);
	cJSON_AddBoolToObject(pol, "RequireNumbers", true);
	cJSON_AddBoolToObject(pol, "RequireSymbols", true);
	cJSON_AddNumberToObject(pol, "TemporaryPasswordValidityDays", 7);
	if (email) {
		cJSON *rec = cJSON_AddObjectToObject(p, "AccountRecoverySetting");
		cJSON *mech = cJSON_AddArrayToObject(rec, "RecoveryMechanisms");
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "Name", "verified_email");
		cJSON_AddNumberToObject(m, "Priority", 1);
		cJSON_AddItemToArray(mech, m);
	}
	/* Cognito's own sender allows 50 messages a day: with SES, the
	 * account's SES quota applies (DEVELOPER sending account). */
	if (cg->ses_identity) {
		cJSON *ec = cJSON_AddObjectToObject(p, "EmailConfiguration");
		cJSON_AddStringToObject(ec, "EmailSendingAccount", "DEVELOPER");
		cJSON_AddItemToObject(ec, "SourceArn",
				      cfn_sub(sg_plan_arn_literal(c->arena, c->plan, &cg->ses_identity_arn)));
		if (cg->email_from)
			cJSON_AddStringToObject(ec, "From", cg->email_from);
		if (cg->email_reply_to)
			cJSON_AddStringToObject(ec, "ReplyToEmailAddress", cg->email_reply_to);
	}
	cfn_add_tag_map(c, p, "UserPoolTags");

	cJSON *cl = cfn_resource(c, cg->client_logical_id, "AWS::Cognito::UserPoolClient");
	cJSON_AddStringToObject(cl, "ClientName", cg->client_name);
	cJSON_AddItemToObject(cl, "UserPoolId", cfn_ref(cg->user_pool_logical_id));
	/* Browser and mobile clients cannot keep a secret. */
	cJSON_AddBoolToObject(cl, "GenerateSecret", false);
	cJSON_AddItemToObject(cl, "ExplicitAuthFlows",
			      cfn_strings((const char *const[]){"ALLOW_REFRESH_TOKEN_AUTH",
								"ALLOW_USER_SRP_AUTH"}, 2));
	cJSON_AddStringToObject(cl, "PreventUserExistenceErrors", "ENABLED");
	cJSON_AddItemToObject(cl, "SupportedIdentityProviders",
			      cfn_strings((const char *const[]){"COGNITO"}, 1));
	/* The hosted UI's OAuth flows need somewhere to send the user back. */
	if (s->callback_urls.count) {
		cJSON_AddBoolToObject(cl, "AllowedOAuthFlowsUserPoolClient", true);
		cJSON *flows = cJSON_AddArrayToObject(cl, "AllowedOAuthFlows");
		if (!s->oauth_flows.count)
			cJSON_AddItemToArray(flows, cJSON_CreateString("code"));
		for (size_t i = 0; i < s->oauth_flows.count; i++)
			cJSON_AddItemToArray(flows, cJSON_CreateString(
				s->oauth_flows.items[i].v == SG_FLOW_IMPLICIT ? "implicit" : "code"));
		cJSON *scopes = cJSON_AddArrayToObject(cl, "AllowedOAuthScopes");
		if (!s->scopes.set) {
			static const char *const def[] = {"openid", "email", "profile"};
			for (size_t i = 0; i < 3; i++)
				cJSON_AddItemToArray(scopes, cJSON_CreateString(def[i]));
		}
		for (size_t i = 0; i < s->scopes.count; i++)
			cJSON_AddItemToArray(scopes, cJSON_CreateString(s->scopes.items[i].v));
		cJSON *cb = cJSON_AddArrayToObject(cl, "CallbackURLs");
		for (size_t i = 0; i < s->callback_urls.count; i++)
			cJSON_AddItemToArray(cb, cJSON_CreateString(s->callback_urls.items[i].v));
		if (s->logout_urls.count) {
			cJSON *lo = cJSON_AddArrayToObject(cl, "LogoutURLs");
			for (size_t i = 0; i < s->logout_urls.count; i++)
				cJSON_AddItemToArray(lo, cJSON_CreateString(s->logout_urls.items[i].v));
		}
	}
	if (cg->domain_logical_id) {
		cJSON *d = cfn_resource(c, cg->domain_logical_id, "AWS::Cognito::UserPoolDomain");
		cJSON_AddStringToObject(d, "Domain", cg->domain_prefix);
		cJSON_AddItemToObject(d, "UserPoolId", cfn_ref(cg->user_pool_logical_id));
	}
	cfn_output(c, "UserPoolId", "Cognito user pool ID", cfn_ref(cg->user_pool_logical_id));
	cfn_output(c, "UserPoolClientId", "Cognito app client ID (no secret)",
		   cfn_ref(cg->client_logical_id));
}
