/*
 * cfn_compute.c - CloudFormation for each function: its role with the
 * least-privilege inline policy, its log group, the function, and its
 * DynamoDB stream event source mappings.
 */
#include <stdlib.h>
#include <string.h>

#include "cfn_int.h"
#include "svcgen/spec.h"

static void emit_role(cfn_ctx *c, const sg_plan_function *fn)
{
	cJSON *p = cfn_resource(c, fn->role_logical_id, "AWS::IAM::Role");
	/* "<prefix>-${AWS::Region}": the prefix is plan names only. */
	cJSON_AddItemToObject(p, "RoleName", cfn_sub(fn->role_name));
	cJSON_AddStringToObject(p, "Description",
				sg_arena_printf(c->arena, "Execution role of %s", fn->physical_name));
	cJSON_AddItemToObject(p, "AssumeRolePolicyDocument", cfn_trust_policy("lambda.amazonaws.com"));
	cJSON *pols = cJSON_AddArrayToObject(p, "Policies");
	cJSON *pol = cJSON_CreateObject();
	cJSON_AddStringToObject(pol, "PolicyName", fn->policy_name);
	cJSON_AddItemToObject(pol, "PolicyDocument", sg_emit_policy_json(c->plan, fn, c->arena, NULL, true));
	cJSON_AddItemToArray(pols, pol);
	cfn_add_tags(c, p, "Tags");
}

static void emit_log_group(cfn_ctx *c, const sg_plan_function *fn)
{
	cJSON *p = cfn_resource(c, fn->log_group_logical_id, "AWS::Logs::LogGroup");
	/* Deleted with the stack: a retained group would make re-creating the
	 * stack fail on the group's fixed name.  Retention bounds what is kept. */
	cfn_set_policies(c, fn->log_group_logical_id, "Delete");
	cJSON_AddStringToObject(p, "LogGroupName", fn->log_group_name);
	cJSON_AddNumberToObject(p, "RetentionInDays", (double)fn->log_retention);
	cfn_add_tags(c, p, "Tags");
}

static void emit_function(cfn_ctx *c, const sg_plan_function *fn)
{
	cJSON *p = cfn_resource(c, fn->logical_id, "AWS::Lambda::Function");
	cJSON_AddStringToObject(p, "FunctionName", fn->physical_name);
	if (fn->description)
		cJSON_AddStringToObject(p, "Description", fn->description);
	cJSON_AddStringToObject(p, "Runtime", "provided.al2023");
	cJSON_AddStringToObject(p, "Handler", "bootstrap");
	cJSON_AddItemToObject(p, "Architectures",
			      cfn_strings((const char *const[]){sg_arch_name(fn->architecture)}, 1));
	cJSON_AddNumberToObject(p, "MemorySize", (double)fn->memory);
	cJSON_AddNumberToObject(p, "Timeout", (double)fn->timeout);
	cJSON_AddItemToObject(p, "Role", cfn_getatt(fn->role_logical_id, "Arn"));
	cJSON *code = cJSON_AddObjectToObject(p, "Code");
	cJSON_AddItemToObject(code, "S3Bucket", cfn_ref("ArtifactBucket"));
	cJSON_AddItemToObject(code, "S3Key",
			      cfn_sub(sg_arena_printf(c->arena, "${ArtifactPrefix}%s.zip", fn->c_name)));
	if (fn->env_count) {
		cJSON *vars = cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "Environment"),
						      "Variables");
		for (size_t i = 0; i < fn->env_count; i++)
			cJSON_AddItemToObject(vars, fn->environment[i].key,
					      cfn_value(c->plan, &fn->environment[i].value));
	}
	if (fn->tracing) {
		cJSON *t = cJSON_AddObjectToObject(p, "TracingConfig");
		cJSON_AddStringToObject(t, "Mode", "Active");
	}
	/* The log group is declared here (with its retention) rather than left
	 * for Lambda to create without one. */
	cJSON *lc = cJSON_AddObjectToObject(p, "LoggingConfig");
	cJSON_AddStringToObject(lc, "LogFormat", "JSON");
	cJSON_AddItemToObject(lc, "LogGroup", cfn_ref(fn->log_group_logical_id));
	if (fn->reserved_concurrency_set)
		cJSON_AddNumberToObject(p, "ReservedConcurrentExecutions",
					(double)fn->reserved_concurrency);
	cfn_add_tags(c, p, "Tags");
}

static void emit_event(cfn_ctx *c, const sg_plan_function *fn, const sg_plan_event *e)
{
	cJSON *p = cfn_resource(c, e->logical_id, "AWS::Lambda::EventSourceMapping");
	cJSON_AddItemToObject(p, "FunctionName", cfn_ref(fn->logical_id));
	cJSON_AddItemToObject(p, "EventSourceArn", cfn_getatt(e->table->logical_id, "StreamArn"));
	cJSON_AddNumberToObject(p, "BatchSize", (double)e->batch_size);
	cJSON_AddStringToObject(p, "StartingPosition",
				e->starting_position == SG_START_TRIM_HORIZON ? "TRIM_HORIZON"
									      : "LATEST");
	if (e->batching_window_set)
		cJSON_AddNumberToObject(p, "MaximumBatchingWindowInSeconds",
					(double)e->batching_window);
	cJSON_AddNumberToObject(p, "MaximumRetryAttempts", (double)e->retries);
	cJSON_AddBoolToObject(p, "BisectBatchOnFunctionError", e->bisect);
	if (e->report_batch_item_failures)
		cJSON_AddItemToObject(p, "FunctionResponseTypes",
				      cfn_strings((const char *const[]){"ReportBatchItemFailures"}, 1));
	if (e->on_failure) {
		cJSON *dest = cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "DestinationConfig"),
						      "OnFailure");
		cJSON_AddItemToObject(dest, "Destination", cfn_getatt(e->on_failure->logical_id, "Arn"));
	}
	if (e->filter_json) {
		cJSON *filters = cJSON_AddArrayToObject(cJSON_AddObjectToObject(p, "FilterCriteria"),
							"Filters");
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "Pattern", e->filter_json);
		cJSON_AddItemToArray(filters, f);
	}
	cfn_add_tags(c, p, "Tags");
}

void cfn_emit_functions(cfn_ctx *c)
{
	for (size_t i = 0; i < c->plan->function_count; i++) {
		const sg_plan_function *fn = &c->plan->functions[i];
		cfn_in_stack(c, fn->stack);
		emit_role(c, fn);
		emit_log_group(c, fn);
		emit_function(c, fn);
		for (size_t k = 0; k < fn->event_count; k++)
			emit_event(c, fn, &fn->events[k]);
	}
	cfn_in_stack(c, NULL);
}
