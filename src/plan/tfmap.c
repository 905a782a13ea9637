/*
 * tfmap.c - CloudFormation type -> Terraform type, and the Terraform name
 * of each resource of a plan (see tfmap.h).
 *
 * Type names follow the CloudFormation resource type reference and the
 * Terraform AWS provider's resource list.  Where CloudFormation nests what
 * the provider splits out (inline role policies, method integrations and
 * responses, stage method settings, managed policy attachments), a
 * companion row keyed by the property says so, so a diff can name the
 * Terraform resource a property change lands in.
 */
#include "svcgen/tfmap.h"

#include <stdbool.h>
#include <string.h>

#include "svcgen/spec.h"

static const sg_tfmap_entry table[] = {
	{"AWS::DynamoDB::Table", NULL, "aws_dynamodb_table"},
	{"AWS::SQS::Queue", NULL, "aws_sqs_queue"},
	{"AWS::KMS::Key", NULL, "aws_kms_key"},
	{"AWS::SNS::Topic", NULL, "aws_sns_topic"},
	{"AWS::SNS::Subscription", NULL, "aws_sns_topic_subscription"},
	{"AWS::Cognito::UserPool", NULL, "aws_cognito_user_pool"},
	{"AWS::Cognito::UserPoolClient", NULL, "aws_cognito_user_pool_client"},
	{"AWS::Cognito::UserPoolDomain", NULL, "aws_cognito_user_pool_domain"},
	{"AWS::IAM::Role", NULL, "aws_iam_role"},
	{"AWS::IAM::Role", "Policies", "aws_iam_role_policy"},
	{"AWS::IAM::Role", "ManagedPolicyArns", "aws_iam_role_policy_attachment"},
	{"AWS::Logs::LogGroup", NULL, "aws_cloudwatch_log_group"},
	{"AWS::Lambda::Function", NULL, "aws_lambda_function"},
	{"AWS::Lambda::EventSourceMapping", NULL, "aws_lambda_event_source_mapping"},
	{"AWS::Lambda::Permission", NULL, "aws_lambda_permission"},
	{"AWS::ApiGateway::RestApi", NULL, "aws_api_gateway_rest_api"},
	{"AWS::ApiGateway::Resource", NULL, "aws_api_gateway_resource"},
	{"AWS::ApiGateway::Method", NULL, "aws_api_gateway_method"},
	{"AWS::ApiGateway::Method", "Integration", "aws_api_gateway_integration"},
	{"AWS::ApiGateway::Method", "Integration.IntegrationResponses",
	 "aws_api_gateway_integration_response"},
	{"AWS::ApiGateway::Method", "MethodResponses", "aws_api_gateway_method_response"},
	{"AWS::ApiGateway::Deployment", NULL, "aws_api_gateway_deployment"},
	{"AWS::ApiGateway::Stage", NULL, "aws_api_gateway_stage"},
	{"AWS::ApiGateway::Stage", "MethodSettings", "aws_api_gateway_method_settings"},
	{"AWS::ApiGateway::Authorizer", NULL, "aws_api_gateway_authorizer"},
	{"AWS::ApiGateway::Account", NULL, "aws_api_gateway_account"},
	{"AWS::ApiGateway::GatewayResponse", NULL, "aws_api_gateway_gateway_response"},
	{"AWS::ApiGatewayV2::Api", NULL, "aws_apigatewayv2_api"},
	{"AWS::ApiGatewayV2::Integration", NULL, "aws_apigatewayv2_integration"},
	{"AWS::ApiGatewayV2::Route", NULL, "aws_apigatewayv2_route"},
	{"AWS::ApiGatewayV2::Authorizer", NULL, "aws_apigatewayv2_authorizer"},
	{"AWS::ApiGatewayV2::Stage", NULL, "aws_apigatewayv2_stage"},
	{"AWS::CloudWatch::Alarm", NULL, "aws_cloudwatch_metric_alarm"},
};

#define N_ENTRIES (sizeof(table) / sizeof(table[0]))

/*
 * The account-level CloudWatch role of API Gateway and the account setting
 * that uses it: fixed logical IDs in src/emit/cfn/cfn_api.c (REST APIs with
 * access logs), with fixed Terraform names here.
 */
#define ACCOUNT_ROLE_ID "ApiGatewayCloudWatchRole"
#define ACCOUNT_ID "ApiGatewayAccount"
#define ACCOUNT_ROLE_TF "api_gateway_cloudwatch"
#define ACCOUNT_TF "main"
#define AUTHORIZER_TF "cognito"

const sg_tfmap_entry *sg_tfmap_entries(size_t *count)
{
	if (count)
		*count = N_ENTRIES;
	return table;
}

const char *sg_tfmap_type(const char *cfn_type)
{
	if (!cfn_type)
		return NULL;
	for (size_t i = 0; i < N_ENTRIES; i++)
		if (!table[i].property && !strcmp(table[i].cfn_type, cfn_type))
			return table[i].tf_type;
	return NULL;
}

const char *sg_tfmap_type_of_property(const char *cfn_type, const char *property)
{
	const char *primary = sg_tfmap_type(cfn_type);
	if (!primary || !property)
		return primary;
	size_t n = strlen(property);
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const sg_tfmap_entry *e = &table[i];
		/* "Integration" matches the row "Integration" exactly; a path
		 * below it ("Integration.IntegrationResponses") is a finer
		 * companion that only a nested comparison could tell apart, so
		 * the top-level property names the coarser one. */
		if (e->property && !strcmp(e->cfn_type, cfn_type) &&
		    !strncmp(e->property, property, n) && e->property[n] == '\0')
			return e->tf_type;
	}
	return primary;
}

/* ---- the resources of a plan ----------------------------------------------- */

typedef struct list {
	sg_arena *arena;
	sg_tfmap_resource *items;
	size_t count, cap;
} list;

static void add(list *l, const char *logical_id, const char *cfn_type, const char *tf_name)
{
	if (!logical_id)
		return;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		l->items = sg_arena_grow(l->arena, l->items, l->count, cap, sizeof(*l->items));
		l->cap = cap;
	}
	sg_tfmap_resource *r = &l->items[l->count++];
	r->logical_id = logical_id;
	r->cfn_type = cfn_type;
	r->tf_type = sg_tfmap_type(cfn_type);
	r->tf_name = tf_name;
}

/*
 * The CloudWatch role's Terraform name: function roles are named after
 * functions, so a function called "api_gateway_cloudwatch" pushes it to
 * "api_gateway_cloudwatch_2" (as src/emit/tf/ names it).
 */
static const char *account_role_tf(sg_arena *arena, const sg_plan *plan)
{
	const char *name = ACCOUNT_ROLE_TF;
	for (unsigned k = 2;; k++) {
		bool taken = false;
		for (size_t i = 0; i < plan->function_count && !taken; i++)
			taken = !strcmp(plan->functions[i].tf_name, name);
		if (!taken)
			return name;
		name = sg_arena_printf(arena, ACCOUNT_ROLE_TF "_%u", k);
	}
}

/* REST API: follows emit_rest() in src/emit/cfn/cfn_api.c. */
static void add_rest(list *l, const sg_plan *plan)
{
	const sg_plan_api *api = &plan->api;
	add(l, api->logical_id, "AWS::ApiGateway::RestApi", api->tf_name);
	add(l, api->authorizer_logical_id, "AWS::ApiGateway::Authorizer", AUTHORIZER_TF);
	for (size_t i = 0; i < api->node_count; i++) {
		const sg_plan_node *n = &api->nodes[i];
		add(l, n->logical_id, "AWS::ApiGateway::Resource", n->tf_name);
		for (size_t k = 0; k < n->method_count; k++) {
			const sg_plan_method *m = &n->methods[k];
			add(l, m->logical_id, "AWS::ApiGateway::Method", m->tf_name);
			add(l, m->permission_logical_id, "AWS::Lambda::Permission", m->tf_name);
		}
		if (n->cors_preflight)
			add(l, n->preflight_logical_id, "AWS::ApiGateway::Method",
			    n->preflight_tf_name);
	}
	for (size_t i = 0; i < api->gateway_response_count; i++)
		add(l, api->gateway_response_logical_ids[i], "AWS::ApiGateway::GatewayResponse",
		    api->gateway_response_tf_names[i]);
	add(l, api->deployment_logical_id, "AWS::ApiGateway::Deployment", api->tf_name);
	if (api->account_role) {
		add(l, ACCOUNT_ROLE_ID, "AWS::IAM::Role", account_role_tf(l->arena, plan));
		add(l, ACCOUNT_ID, "AWS::ApiGateway::Account", ACCOUNT_TF);
	}
	if (api->access_logs)
		add(l, api->access_log_group_logical_id, "AWS::Logs::LogGroup",
		    api->access_log_group_tf_name);
	add(l, api->stage_logical_id, "AWS::ApiGateway::Stage", api->tf_name);
}

/* HTTP API: follows emit_http() in src/emit/cfn/cfn_api.c. */
static void add_http(list *l, const sg_plan *plan)
{
	const sg_plan_api *api = &plan->api;
	add(l, api->logical_id, "AWS::ApiGatewayV2::Api", api->tf_name);
	add(l, api->authorizer_logical_id, "AWS::ApiGatewayV2::Authorizer", AUTHORIZER_TF);
	for (size_t i = 0; i < plan->function_count; i++)
		add(l, plan->functions[i].integration_logical_id, "AWS::ApiGatewayV2::Integration",
		    plan->functions[i].tf_name);
	for (size_t i = 0; i < api->method_count; i++) {
		const sg_plan_method *m = api->methods[i];
		add(l, m->logical_id, "AWS::ApiGatewayV2::Route", m->tf_name);
		add(l, m->permission_logical_id, "AWS::Lambda::Permission", m->tf_name);
	}
	if (api->access_logs)
		add(l, api->access_log_group_logical_id, "AWS::Logs::LogGroup",
		    api->access_log_group_tf_name);
	add(l, api->stage_logical_id, "AWS::ApiGatewayV2::Stage", api->tf_name);
}

int sg_tfmap_resources(const sg_tfmap_resource **out, size_t *count, sg_arena *arena,
		       const sg_plan *plan)
{
	if (!out || !count || !arena || !plan)
		return SG_EUSAGE;
	list l = {arena, NULL, 0, 0};
	/* Template order: tables, topics, Cognito, functions, API, alarms
	 * (sg_emit_cfn). */
	for (size_t i = 0; i < plan->table_count; i++)
		add(&l, plan->tables[i].logical_id, "AWS::DynamoDB::Table", plan->tables[i].tf_name);
	for (size_t i = 0; i < plan->queue_count; i++)
		add(&l, plan->queues[i].logical_id, "AWS::SQS::Queue", plan->queues[i].tf_name);
	add(&l, plan->alarm_key_logical_id, "AWS::KMS::Key", plan->alarm_key_tf_name);
	for (size_t i = 0; i < plan->topic_count; i++)
		add(&l, plan->topics[i].logical_id, "AWS::SNS::Topic", plan->topics[i].tf_name);
	for (size_t i = 0; i < plan->subscription_count; i++)
		add(&l, plan->subscriptions[i].logical_id, "AWS::SNS::Subscription",
		    plan->subscriptions[i].tf_name);
	if (plan->cognito.present) {
		const sg_plan_cognito *c = &plan->cognito;
		add(&l, c->user_pool_logical_id, "AWS::Cognito::UserPool", c->tf_name);
		add(&l, c->client_logical_id, "AWS::Cognito::UserPoolClient", c->tf_name);
		add(&l, c->domain_logical_id, "AWS::Cognito::UserPoolDomain", c->tf_name);
	}
	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		add(&l, fn->role_logical_id, "AWS::IAM::Role", fn->tf_name);
		add(&l, fn->log_group_logical_id, "AWS::Logs::LogGroup", fn->tf_name);
		add(&l, fn->logical_id, "AWS::Lambda::Function", fn->tf_name);
		for (size_t k = 0; k < fn->event_count; k++)
			add(&l, fn->events[k].logical_id, "AWS::Lambda::EventSourceMapping",
			    fn->events[k].tf_name);
	}
	if (plan->api.present) {
		if (plan->api.type == SG_API_HTTP)
			add_http(&l, plan);
		else
			add_rest(&l, plan);
	}
	for (size_t i = 0; i < plan->alarm_count; i++)
		add(&l, plan->alarms[i].logical_id, "AWS::CloudWatch::Alarm", plan->alarms[i].tf_name);
	/* The nested stacks (root template): CloudFormation's packaging, no
	 * Terraform counterpart (tf_type and tf_name NULL). */
	for (size_t i = 0; i < plan->stack_count; i++)
		add(&l, plan->stacks[i].logical_id, "AWS::CloudFormation::Stack", NULL);
	*out = l.items;
	*count = l.count;
	return SG_OK;
}

const sg_tfmap_resource *sg_tfmap_find(const sg_tfmap_resource *list_, size_t count,
				       const char *logical_id)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(list_[i].logical_id, logical_id))
			return &list_[i];
	return NULL;
}
