/*
 * tf_data.c - Terraform for the data and identity resources: DynamoDB
 * tables (aws_dynamodb_table), SNS topics (aws_sns_topic), the Cognito user
 * pool, its client and domain (aws_cognito_user_pool, _client, _domain).
 *
 * Mirrors src/emit/cfn/cfn_data.c.  The CloudFormation template retains
 * tables and the user pool on stack deletion (DeletionPolicy Retain); the
 * Terraform counterpart is lifecycle prevent_destroy, so `terraform destroy`
 * stops before dropping anyone's data.  The alarm topic is in
 * tf_monitoring.c with its subscriptions.
 */
#include <string.h>

#include "tf_int.h"
#include "svcgen/spec.h"

static const char *attr_type(sg_attr_type t)
{
	return t == SG_ATTR_N ? "N" : t == SG_ATTR_B ? "B" : "S";
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

/* key_schema { attribute_name, key_type } of an index. */
static void key_schema(sg_hcl_body *parent, const char *name, const char *type)
{
	sg_hcl_body *k = tf_block(parent, "key_schema");
	sg_hcl_attr_str(k, "attribute_name", name);
	sg_hcl_attr_str(k, "key_type", type);
}

static void emit_table(tf_ctx *c, const sg_plan_table *t)
{
	sg_hcl_body *r = tf_resource(c, TF_DYNAMODB, "aws_dynamodb_table", t->tf_name);
	bool prov = t->billing == SG_BILLING_PROVISIONED;
	sg_hcl_attr_str(r, "name", t->physical_name);
	sg_hcl_attr_str(r, "billing_mode", prov ? "PROVISIONED" : "PAY_PER_REQUEST");
	if (prov) {
		sg_hcl_attr_int(r, "read_capacity", t->read_capacity);
		sg_hcl_attr_int(r, "write_capacity", t->write_capacity);
	}
	sg_hcl_attr_str(r, "hash_key", t->partition_key.name);
	if (t->sort_key.name)
		sg_hcl_attr_str(r, "range_key", t->sort_key.name);
	if (t->stream != SG_STREAM_NONE) {
		sg_hcl_attr_bool(r, "stream_enabled", true);
		sg_hcl_attr_str(r, "stream_view_type", stream_view(t->stream));
	}

	for (size_t i = 0; i < t->attribute_count; i++) {
		sg_hcl_body *a = tf_block(r, "attribute");
		sg_hcl_attr_str(a, "name", t->attributes[i].name);
		sg_hcl_attr_str(a, "type", attr_type(t->attributes[i].type));
	}
	for (size_t i = 0; i < t->index_count; i++) {
		const sg_plan_index *x = &t->indexes[i];
		sg_hcl_body *g = tf_block(r, "global_secondary_index");
		sg_hcl_attr_str(g, "name", x->name);
		sg_hcl_attr_str(g, "projection_type",
				x->projection == SG_PROJ_INCLUDE     ? "INCLUDE"
				: x->projection == SG_PROJ_KEYS_ONLY ? "KEYS_ONLY"
								     : "ALL");
		if (x->projection == SG_PROJ_INCLUDE)
			sg_hcl_attr(g, "non_key_attributes", tf_strs(c, x->include, x->include_count));
		if (prov) {
			sg_hcl_attr_int(g, "read_capacity", x->read_capacity);
			sg_hcl_attr_int(g, "write_capacity", x->write_capacity);
		}
		/* key_schema, not the index's hash_key/range_key, which the
		 * AWS provider deprecated in 6.x. */
		key_schema(g, x->partition_key.name, "HASH");
		if (x->sort_key.name)
			key_schema(g, x->sort_key.name, "RANGE");
	}
	if (t->ttl) {
		sg_hcl_body *ttl = tf_block(r, "ttl");
		sg_hcl_attr_str(ttl, "attribute_name", t->ttl);
		sg_hcl_attr_bool(ttl, "enabled", true);
	}
	sg_hcl_attr_bool(tf_block(r, "point_in_time_recovery"), "enabled",
			 t->point_in_time_recovery);
	/* Encrypted with the AWS-managed key (CloudFormation SSEEnabled). */
	sg_hcl_attr_bool(tf_block(r, "server_side_encryption"), "enabled", true);
	/* No apply may drop a table's data, not a destroy nor a replacement. */
	tf_lifecycle(r, "prevent_destroy");

	tf_output(c, sg_arena_printf(c->arena, "%s_table_name", t->tf_name),
		  sg_arena_printf(c->arena, "DynamoDB table '%s' (%s)", t->name, t->env_name),
		  tf_ref(c, "aws_dynamodb_table.%s.name", t->tf_name));
}

void tf_emit_tables(tf_ctx *c)
{
	for (size_t i = 0; i < c->plan->table_count; i++)
		emit_table(c, &c->plan->tables[i]);
}

/* The stream mappings' on-failure queues; like tables they hold data. */
void tf_emit_queues(tf_ctx *c)
{
	for (size_t i = 0; i < c->plan->queue_count; i++) {
		const sg_plan_queue *q = &c->plan->queues[i];
		sg_hcl_body *r = tf_resource(c, TF_SQS, "aws_sqs_queue", q->tf_name);
		sg_hcl_attr_str(r, "name", q->physical_name);
		sg_hcl_attr_int(r, "message_retention_seconds", q->retention);
		sg_hcl_attr_bool(r, "sqs_managed_sse_enabled", true);
		tf_lifecycle(r, "prevent_destroy");
	}
}

void tf_emit_topics(tf_ctx *c)
{
	const sg_plan *plan = c->plan;
	for (size_t i = 0; i < plan->topic_count; i++) {
		const sg_plan_topic *t = &plan->topics[i];
		if (t->alarm_topic)
			continue; /* tf_monitoring.c */
		sg_hcl_body *r = tf_resource(c, TF_SNS, "aws_sns_topic", t->tf_name);
		sg_hcl_attr_str(r, "name", t->physical_name);
		if (t->fifo)
			sg_hcl_attr_bool(r, "fifo_topic", true);
		if (t->display_name)
			sg_hcl_attr_str(r, "display_name", t->display_name);
		/* Encrypted at rest with the AWS-managed key for SNS. */
		sg_hcl_attr_str(r, "kms_master_key_id", "alias/aws/sns");
		tf_output(c, sg_arena_printf(c->arena, "%s_topic_arn", t->tf_name),
			  sg_arena_printf(c->arena, "SNS topic '%s' (%s)", t->name, t->env_name),
			  tf_ref(c, "aws_sns_topic.%s.arn", t->tf_name));
	}
}

static bool has_enum(const sg_enumlist *l, int v)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].v == v)
			return true;
	return false;
}

/* A tuple of the spec's strings, in spec order. */
static sg_hcl_expr *spec_strs(tf_ctx *c, const sg_strlist *l)
{
	sg_hcl_expr *t = sg_hcl_tuple(c->arena, NULL, 0);
	for (size_t i = 0; i < l->count; i++)
		sg_hcl_tuple_push(t, sg_hcl_str(c->arena, l->items[i].v));
	return t;
}

static void emit_client(tf_ctx *c, const sg_cognito *s)
{
	const sg_plan_cognito *cg = &c->plan->cognito;
	sg_hcl_body *r = tf_resource(c, TF_AUTH, "aws_cognito_user_pool_client", cg->tf_name);
	sg_hcl_attr_str(r, "name", cg->client_name);
	sg_hcl_attr(r, "user_pool_id", tf_ref(c, "aws_cognito_user_pool.%s.id", cg->tf_name));
	/* Browser and mobile clients cannot keep a secret. */
	sg_hcl_attr_bool(r, "generate_secret", false);
	static const char *const flows[] = {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"};
	sg_hcl_attr(r, "explicit_auth_flows", tf_strs(c, flows, 2));
	sg_hcl_attr_str(r, "prevent_user_existence_errors", "ENABLED");
	static const char *const idps[] = {"COGNITO"};
	sg_hcl_attr(r, "supported_identity_providers", tf_strs(c, idps, 1));
	/* The hosted UI's OAuth flows need somewhere to send the user back. */
	if (!s->callback_urls.count)
		return;
	sg_hcl_attr_bool(r, "allowed_oauth_flows_user_pool_client", true);
	sg_hcl_expr *of = sg_hcl_tuple(c->arena, NULL, 0);
	if (!s->oauth_flows.count)
		sg_hcl_tuple_push(of, sg_hcl_str(c->arena, "code"));
	for (size_t i = 0; i < s->oauth_flows.count; i++)
		sg_hcl_tuple_push(of, sg_hcl_str(c->arena, s->oauth_flows.items[i].v == SG_FLOW_IMPLICIT
								     ? "implicit"
								     : "code"));
	sg_hcl_attr(r, "allowed_oauth_flows", of);
	static const char *const def_scopes[] = {"openid", "email", "profile"};
	sg_hcl_attr(r, "allowed_oauth_scopes",
		    s->scopes.set ? spec_strs(c, &s->scopes) : tf_strs(c, def_scopes, 3));
	sg_hcl_attr(r, "callback_urls", spec_strs(c, &s->callback_urls));
	if (s->logout_urls.count)
		sg_hcl_attr(r, "logout_urls", spec_strs(c, &s->logout_urls));
}

void tf_emit_cognito(tf_ctx *c)
{
	const sg_plan_cognito *cg = &c->plan->cognito;
	if (!cg->present)
		return;
	const sg_cognito *s = &c->plan->spec->cognito;
	bool email = !s->sign_in.set || has_enum(&s->sign_in, SG_SIGNIN_EMAIL);
	bool phone = has_enum(&s->sign_in, SG_SIGNIN_PHONE);
	bool username = has_enum(&s->sign_in, SG_SIGNIN_USERNAME);

	sg_hcl_body *r = tf_resource(c, TF_AUTH, "aws_cognito_user_pool", cg->tf_name);
	sg_hcl_attr_str(r, "name", cg->user_pool_name);
	/* Without `username`, e-mail/phone are the user names; with it they
	 * are aliases a user can also sign in with. */
	const char *attrs[2];
	size_t n = 0;
	if (email)
		attrs[n++] = "email";
	if (phone)
		attrs[n++] = "phone_number";
	if (n) {
		sg_hcl_attr(r, username ? "alias_attributes" : "username_attributes",
			    tf_strs(c, attrs, n));
		sg_hcl_attr(r, "auto_verified_attributes", tf_strs(c, attrs, n));
	}
	int mfa = s->mfa.set ? s->mfa.v : SG_MFA_OFF;
	sg_hcl_attr_str(r, "mfa_configuration",
			mfa == SG_MFA_ON ? "ON" : mfa == SG_MFA_OPTIONAL ? "OPTIONAL" : "OFF");
	/* TOTP needs no SMS role; SMS MFA would need one and a spend limit. */
	if (mfa != SG_MFA_OFF)
		sg_hcl_attr_bool(tf_block(r, "software_token_mfa_configuration"), "enabled", true);
	sg_hcl_body *pw = tf_block(r, "password_policy");
	sg_hcl_attr_int(pw, "minimum_length",
			s->password_min_length.set ? s->password_min_length.v : 12);
	sg_hcl_attr_bool(pw, "require_lowercase", true);
	sg_hcl_attr_bool(pw, "require_uppercase", true);
	sg_hcl_attr_bool(pw, "require_numbers", true);
	sg_hcl_attr_bool(pw, "require_symbols", true);
	sg_hcl_attr_int(pw, "temporary_password_validity_days", 7);
	if (email) {
		sg_hcl_body *m = tf_block(tf_block(r, "account_recovery_setting"), "recovery_mechanism");
		sg_hcl_attr_str(m, "name", "verified_email");
		sg_hcl_attr_int(m, "priority", 1);
	}
	/* Cognito's own sender allows 50 messages a day; SES is the account's. */
	if (cg->ses_identity) {
		sg_hcl_body *ec = tf_block(r, "email_configuration");
		sg_hcl_attr_str(ec, "email_sending_account", "DEVELOPER");
		sg_hcl_attr(ec, "source_arn", tf_arn(c, &cg->ses_identity_arn));
		if (cg->email_from)
			sg_hcl_attr_str(ec, "from_email_address", cg->email_from);
		if (cg->email_reply_to)
			sg_hcl_attr_str(ec, "reply_to_email_address", cg->email_reply_to);
	}
	/* The pool holds the users' accounts: like a table, it outlives the
	 * configuration. */
	tf_lifecycle(r, "prevent_destroy");

	emit_client(c, s);
	if (cg->domain_logical_id) {
		sg_hcl_body *d = tf_resource(c, TF_AUTH, "aws_cognito_user_pool_domain", cg->tf_name);
		sg_hcl_attr_str(d, "domain", cg->domain_prefix);
		sg_hcl_attr(d, "user_pool_id", tf_ref(c, "aws_cognito_user_pool.%s.id", cg->tf_name));
	}
	tf_output(c, "user_pool_id", "Cognito user pool ID",
		  tf_ref(c, "aws_cognito_user_pool.%s.id", cg->tf_name));
	tf_output(c, "user_pool_client_id", "Cognito app client ID (no secret)",
		  tf_ref(c, "aws_cognito_user_pool_client.%s.id", cg->tf_name));
}
