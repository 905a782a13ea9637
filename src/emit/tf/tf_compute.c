/*
 * tf_compute.c - Terraform for each function: its execution role
 * (aws_iam_role) with the least-privilege inline policy
 * (aws_iam_role_policy), its log group (aws_cloudwatch_log_group), the
 * function (aws_lambda_function) and its DynamoDB stream event source
 * mappings (aws_lambda_event_source_mapping).
 *
 * Mirrors src/emit/cfn/cfn_compute.c.  The policy holds the plan's
 * statements, the ones of the CloudFormation role and iam/<function>.json,
 * with the ARNs spelled over the data sources instead of pseudo parameters.
 * CloudFormation's inline role policy exists before the function does; in
 * Terraform the policy is a resource of its own, so the function depends on
 * it explicitly (a stream mapping is refused while the role cannot read the
 * stream yet).
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "tf_int.h"
#include "svcgen/spec.h"

/* The policy document: Version, then the statements in plan order. */
static sg_hcl_expr *policy(tf_ctx *c, const sg_plan_function *fn)
{
	cJSON *doc = sg_emit_policy_json(c->plan, fn, c->arena, &c->arn_style, false);
	sg_hcl_expr *e = tf_jsonencode_policy(c, doc);
	cJSON_Delete(doc);
	return e;
}

static void emit_role(tf_ctx *c, const sg_plan_function *fn)
{
	sg_hcl_body *r = tf_resource(c, TF_IAM, "aws_iam_role", fn->tf_name);
	/* "<prefix>-<region>": role names are global, the rest regional. */
	sg_hcl_attr(r, "name", tf_tmpl(c, sg_arena_printf(c->arena, "%s-${" TF_REGION "}",
							  fn->role_name_prefix)));
	sg_hcl_attr_str(r, "description",
			sg_arena_printf(c->arena, "Execution role of %s", fn->physical_name));
	sg_hcl_attr(r, "assume_role_policy", tf_trust_policy(c, "lambda.amazonaws.com"));

	sg_hcl_body *p = tf_resource(c, TF_IAM, "aws_iam_role_policy", fn->tf_name);
	sg_hcl_attr_str(p, "name", fn->policy_name);
	sg_hcl_attr(p, "role", tf_ref(c, "aws_iam_role.%s.id", fn->tf_name));
	sg_hcl_attr(p, "policy", policy(c, fn));
}

static void emit_log_group(tf_ctx *c, const sg_plan_function *fn)
{
	sg_hcl_body *r = tf_resource(c, TF_LAMBDA, "aws_cloudwatch_log_group", fn->tf_name);
	sg_hcl_attr_str(r, "name", fn->log_group_name);
	sg_hcl_attr_int(r, "retention_in_days", fn->log_retention);
}

/* "${var.artifacts_dir}/<function>.zip" */
static sg_hcl_expr *zip_path(tf_ctx *c, const sg_plan_function *fn)
{
	sg_hcl_expr *t = sg_hcl_template(c->arena);
	sg_hcl_template_interp(t, sg_hcl_ref(c->arena, "var.artifacts_dir"));
	sg_hcl_template_lit(t, sg_arena_printf(c->arena, "/%s.zip", fn->c_name));
	return t;
}

static void emit_function(tf_ctx *c, const sg_plan_function *fn)
{
	sg_hcl_body *r = tf_resource(c, TF_LAMBDA, "aws_lambda_function", fn->tf_name);
	sg_hcl_attr_str(r, "function_name", fn->physical_name);
	if (fn->description)
		sg_hcl_attr_str(r, "description", fn->description);
	sg_hcl_attr(r, "role", tf_ref(c, "aws_iam_role.%s.arn", fn->tf_name));
	sg_hcl_attr_str(r, "runtime", "provided.al2023");
	sg_hcl_attr_str(r, "handler", "bootstrap");
	const char *arch = sg_arch_name(fn->architecture);
	sg_hcl_attr(r, "architectures", tf_strs(c, &arch, 1));
	sg_hcl_attr_int(r, "memory_size", fn->memory);
	sg_hcl_attr_int(r, "timeout", fn->timeout);
	if (fn->reserved_concurrency_set)
		sg_hcl_attr_int(r, "reserved_concurrent_executions", fn->reserved_concurrency);
	sg_hcl_attr(r, "filename", zip_path(c, fn));
	/*
	 * A changed zip is a changed hash: Terraform then uploads the code.
	 * try(): before `make package` there is no zip yet, and `terraform
	 * plan` (or validate) must still work; null leaves the hash to the
	 * provider, and an apply without the zip fails on `filename`.
	 */
	sg_hcl_expr *hash_args[2] = {sg_hcl_call1(c->arena, "filebase64sha256", zip_path(c, fn)),
				     sg_hcl_null(c->arena)};
	sg_hcl_attr(r, "source_code_hash", sg_hcl_call(c->arena, "try", hash_args, 2));

	if (fn->env_count) {
		sg_hcl_expr *vars = sg_hcl_object(c->arena);
		for (size_t i = 0; i < fn->env_count; i++)
			sg_hcl_object_put(vars, fn->environment[i].key,
					  tf_value(c, &fn->environment[i].value));
		sg_hcl_attr(tf_block(r, "environment"), "variables", vars);
	}
	if (fn->tracing)
		sg_hcl_attr_str(tf_block(r, "tracing_config"), "mode", "Active");
	/* The log group is declared (with its retention) rather than left for
	 * Lambda to create without one. */
	sg_hcl_body *lc = tf_block(r, "logging_config");
	sg_hcl_attr_str(lc, "log_format", "JSON");
	sg_hcl_attr(lc, "log_group", tf_ref(c, "aws_cloudwatch_log_group.%s.name", fn->tf_name));

	const char *dep = sg_arena_printf(c->arena, "aws_iam_role_policy.%s", fn->tf_name);
	tf_depends_on(c, r, &dep, 1);
}

static void emit_event(tf_ctx *c, const sg_plan_function *fn, const sg_plan_event *e)
{
	sg_hcl_body *r = tf_resource(c, TF_LAMBDA, "aws_lambda_event_source_mapping", e->tf_name);
	sg_hcl_attr(r, "function_name", tf_ref(c, "aws_lambda_function.%s.arn", fn->tf_name));
	sg_hcl_attr(r, "event_source_arn",
		    tf_ref(c, "aws_dynamodb_table.%s.stream_arn", e->table->tf_name));
	sg_hcl_attr_int(r, "batch_size", e->batch_size);
	sg_hcl_attr_str(r, "starting_position",
			e->starting_position == SG_START_TRIM_HORIZON ? "TRIM_HORIZON" : "LATEST");
	if (e->batching_window_set)
		sg_hcl_attr_int(r, "maximum_batching_window_in_seconds", e->batching_window);
	sg_hcl_attr_int(r, "maximum_retry_attempts", e->retries);
	sg_hcl_attr_bool(r, "bisect_batch_on_function_error", e->bisect);
	if (e->report_batch_item_failures) {
		static const char *const types[] = {"ReportBatchItemFailures"};
		sg_hcl_attr(r, "function_response_types", tf_strs(c, types, 1));
	}
	if (e->on_failure) {
		sg_hcl_body *of = tf_block(tf_block(r, "destination_config"), "on_failure");
		sg_hcl_attr(of, "destination_arn",
			    tf_ref(c, "aws_sqs_queue.%s.arn", e->on_failure->tf_name));
	}
	if (e->filter_json) {
		/* The pattern as a jsonencode() object reads better than an
		 * escaped JSON string; the validator made sure it is JSON. */
		cJSON *pat = cJSON_Parse(e->filter_json);
		sg_hcl_expr *v = pat ? tf_jsonencode(c, pat) : NULL;
		cJSON_Delete(pat);
		sg_hcl_body *f = tf_block(tf_block(r, "filter_criteria"), "filter");
		sg_hcl_attr(f, "pattern", v ? v : sg_hcl_str(c->arena, e->filter_json));
	}
}

void tf_emit_functions(tf_ctx *c)
{
	for (size_t i = 0; i < c->plan->function_count; i++) {
		const sg_plan_function *fn = &c->plan->functions[i];
		emit_role(c, fn);
		emit_log_group(c, fn);
		emit_function(c, fn);
		for (size_t k = 0; k < fn->event_count; k++)
			emit_event(c, fn, &fn->events[k]);
	}
}
