/*
 * tf.c - the Terraform configuration: assembly, the files every
 * configuration has (versions, provider, variables), and shared helpers.
 *
 * Follows the Terraform language documentation (terraform settings,
 * provider configuration, input variables, output values, meta-arguments)
 * and the AWS provider's (hashicorp/aws 6.x) resource documentation.  The
 * resources mirror the CloudFormation template of src/emit/cfn/ one for one
 * (tests/tf/equivalence.py states the mapping), all read from the same
 * plan.  Tags are the provider's default_tags, which the AWS provider puts
 * on every taggable resource, so no resource repeats them.
 *
 * ARNs are never written with an account ID, region or partition: they are
 * templates over the aws_partition, aws_region and aws_caller_identity data
 * sources, or resource attributes; a data source is declared only when
 * something uses it.
 */
#include <stdarg.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tf_int.h"
#include "svcgen/spec.h"

/* Terraform 1.5 or later: the output uses no newer language feature, and
 * older releases are out of support. */
#define TF_REQUIRED_VERSION ">= 1.5"
/*
 * AWS provider 6.40 or a later 6.x.  Indexes are written with
 * global_secondary_index.key_schema, the replacement of the index's
 * hash_key/range_key (deprecated in 6.x), which first shipped in 6.29;
 * the floor is the release whose schema tests/suites/tf_schema.sh checks
 * every argument against (6.40.0), and the provider removes arguments only
 * in major versions.
 */
#define TF_AWS_VERSION "~> 6.40"
/* The handler project's `make package` writes build/<function>.zip. */
#define TF_ARTIFACTS_DEFAULT "../handlers/build"

static const char *const file_names[TF_FILE_COUNT] = {
	[TF_VERSIONS] = "versions.tf",
	[TF_PROVIDERS] = "providers.tf",
	[TF_VARIABLES] = "variables.tf",
	[TF_DYNAMODB] = "dynamodb.tf",
	[TF_SNS] = "sns.tf",
	[TF_SQS] = "sqs.tf",
	[TF_IAM] = "iam.tf",
	[TF_LAMBDA] = "lambda.tf",
	[TF_API] = "api.tf",
	[TF_AUTH] = "auth.tf",
	[TF_MONITORING] = "monitoring.tf",
	[TF_OUTPUTS] = "outputs.tf",
};

/* ---- helpers ---------------------------------------------------------------- */

sg_hcl_body *tf_file_body(tf_ctx *c, tf_file file)
{
	return c->files[file];
}

sg_hcl_body *tf_resource(tf_ctx *c, tf_file file, const char *type, const char *name)
{
	const char *labels[2] = {type, name};
	sg_hcl_body *b = NULL;
	/* On failure the file body is marked broken and tf.c reports it; a
	 * detached body keeps the callers free of NULL checks. */
	if (sg_hcl_block_add(&b, c->files[file], "resource", labels, 2) != SG_OK)
		b = sg_hcl_body_new(c->arena);
	return b;
}

sg_hcl_body *tf_block(sg_hcl_body *parent, const char *type)
{
	sg_hcl_body *b = NULL;
	if (sg_hcl_block_add(&b, parent, type, NULL, 0) != SG_OK)
		b = sg_hcl_body_new(sg_hcl_body_arena(parent));
	return b;
}

sg_hcl_expr *tf_ref(tf_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = sg_arena_vprintf(c->arena, fmt, ap);
	va_end(ap);
	return sg_hcl_ref(c->arena, t);
}

static void note_data(tf_ctx *c, const char *traversal)
{
	if (!strcmp(traversal, TF_PARTITION))
		c->data |= TF_DATA_PARTITION;
	else if (!strcmp(traversal, TF_REGION))
		c->data |= TF_DATA_REGION;
	else if (!strcmp(traversal, TF_ACCOUNT))
		c->data |= TF_DATA_ACCOUNT;
}

sg_hcl_expr *tf_tmpl(tf_ctx *c, const char *text)
{
	/* One lone "${x}" is the reference itself, wherever it stands (the
	 * writer unwraps only attribute values; inside a jsonencode() object
	 * it would stay a string template). */
	size_t len = strlen(text);
	if (len > 3 && !strncmp(text, "${", 2) && text[len - 1] == '}' &&
	    !strchr(text + 2, '$') && strchr(text, '}') == text + len - 1) {
		char *trav = sg_arena_strndup(c->arena, text + 2, len - 3);
		note_data(c, trav);
		return sg_hcl_ref(c->arena, trav);
	}
	sg_hcl_expr *t = sg_hcl_template(c->arena);
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "${");
		const char *close = open ? strchr(open + 2, '}') : NULL;
		if (!close) {
			sg_hcl_template_lit(t, p);
			break;
		}
		if (open > p)
			sg_hcl_template_lit(t, sg_arena_strndup(c->arena, p, (size_t)(open - p)));
		char *trav = sg_arena_strndup(c->arena, open + 2, (size_t)(close - open - 2));
		note_data(c, trav);
		/* A NULL reference (not a traversal) marks the template broken. */
		sg_hcl_template_interp(t, sg_hcl_ref(c->arena, trav));
		p = close + 1;
	}
	return t;
}

sg_hcl_expr *tf_arn(tf_ctx *c, const sg_plan_arn *arn)
{
	return tf_tmpl(c, sg_plan_arn_render(c->arena, c->plan, arn, &c->arn_style));
}

sg_hcl_expr *tf_value(tf_ctx *c, const sg_plan_value *v)
{
	switch (v->kind) {
	case SG_PLAN_VAL_FUNCTION_NAME:
		return tf_ref(c, "aws_lambda_function.%s.function_name", v->function->tf_name);
	case SG_PLAN_VAL_TABLE_NAME:
		return tf_ref(c, "aws_dynamodb_table.%s.name", v->table->tf_name);
	case SG_PLAN_VAL_TOPIC_ARN:
		return tf_ref(c, "aws_sns_topic.%s.arn", v->topic->tf_name);
	case SG_PLAN_VAL_API_ID:
		return tf_ref(c, "%s.%s.id",
			      c->plan->api.type == SG_API_HTTP ? "aws_apigatewayv2_api"
							       : "aws_api_gateway_rest_api",
			      c->plan->api.tf_name);
	case SG_PLAN_VAL_QUEUE_NAME:
		return tf_ref(c, "aws_sqs_queue.%s.name", v->queue->tf_name);
	case SG_PLAN_VAL_API_NAME:
	case SG_PLAN_VAL_LITERAL:
		break;
	}
	return sg_hcl_str(c->arena, v->text ? v->text : "");
}

sg_hcl_expr *tf_strs(tf_ctx *c, const char *const *items, size_t n)
{
	return sg_hcl_tuple_strs(c->arena, items, n);
}

sg_hcl_expr *tf_refs(tf_ctx *c, const char *const *traversals, size_t n)
{
	sg_hcl_expr *t = sg_hcl_tuple(c->arena, NULL, 0);
	for (size_t i = 0; i < n; i++)
		sg_hcl_tuple_push(t, sg_hcl_ref(c->arena, traversals[i]));
	sg_hcl_set_layout(t, n > 1 ? SG_HCL_MULTILINE : SG_HCL_ONELINE);
	return t;
}

/* Policies name at most a handful of actions per line: longer lists (a
 * table's crud, a stream's four reads) read better one per line. */
#define TF_ACTIONS_PER_LINE 3

static sg_hcl_expr *resource_hook(void *ctx, sg_arena *a, const cJSON *v)
{
	if (!v->string)
		return NULL;
	/* ARNs svcgen built: a statement's Resource, a principal's AWS. */
	if (cJSON_IsString(v) && (!strcmp(v->string, "Resource") || !strcmp(v->string, "AWS")))
		return tf_tmpl(ctx, v->valuestring);
	if (cJSON_IsArray(v) && !strcmp(v->string, "Action") &&
	    cJSON_GetArraySize(v) > TF_ACTIONS_PER_LINE) {
		sg_hcl_expr *t = sg_hcl_tuple(a, NULL, 0);
		const cJSON *item;
		cJSON_ArrayForEach(item, v)
			sg_hcl_tuple_push(t, sg_hcl_str(a, cJSON_GetStringValue(item)));
		sg_hcl_set_layout(t, SG_HCL_MULTILINE);
		return t;
	}
	return NULL;
}

static sg_hcl_expr *jsonencode(tf_ctx *c, const cJSON *doc, bool arn_resources)
{
	sg_hcl_expr *e = NULL;
	if (sg_hcl_from_json(&e, c->arena, doc, arn_resources ? resource_hook : NULL, c) != SG_OK)
		return NULL;
	return sg_hcl_call1(c->arena, "jsonencode", e);
}

sg_hcl_expr *tf_jsonencode(tf_ctx *c, const cJSON *doc)
{
	return jsonencode(c, doc, false);
}

sg_hcl_expr *tf_jsonencode_policy(tf_ctx *c, const cJSON *doc)
{
	return jsonencode(c, doc, true);
}

void tf_depends_on(tf_ctx *c, sg_hcl_body *body, const char *const *traversals, size_t n)
{
	sg_hcl_blank(body);
	sg_hcl_attr(body, "depends_on", tf_refs(c, traversals, n));
}

void tf_lifecycle(sg_hcl_body *body, const char *setting)
{
	sg_hcl_attr_bool(tf_block(body, "lifecycle"), setting, true);
}

sg_hcl_expr *tf_trust_policy(tf_ctx *c, const char *service)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Effect", "Allow");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"), "Service", service);
	cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "Statement"), st);
	sg_hcl_expr *e = tf_jsonencode(c, doc);
	cJSON_Delete(doc);
	return e;
}

void tf_output(tf_ctx *c, const char *name, const char *description, sg_hcl_expr *value)
{
	const char *labels[1] = {name};
	sg_hcl_body *o = NULL;
	if (sg_hcl_block_add(&o, c->files[TF_OUTPUTS], "output", labels, 1) != SG_OK)
		return;
	sg_hcl_attr_str(o, "description", description);
	sg_hcl_attr(o, "value", value);
}

/* ---- the files every configuration has ------------------------------------ */

static void emit_versions(tf_ctx *c)
{
	sg_hcl_body *tf = tf_block(c->files[TF_VERSIONS], "terraform");
	sg_hcl_attr_str(tf, "required_version", TF_REQUIRED_VERSION);
	sg_hcl_expr *aws = sg_hcl_object(c->arena);
	sg_hcl_object_put(aws, "source", sg_hcl_str(c->arena, "hashicorp/aws"));
	sg_hcl_object_put(aws, "version", sg_hcl_str(c->arena, TF_AWS_VERSION));
	sg_hcl_attr(tf_block(tf, "required_providers"), "aws", aws);
}

/* The provider, then the data sources something referenced. */
static void emit_providers(tf_ctx *c)
{
	const sg_plan *plan = c->plan;
	sg_hcl_body *f = c->files[TF_PROVIDERS];
	const char *labels[2] = {"aws", NULL};
	sg_hcl_body *p = NULL;
	if (sg_hcl_block_add(&p, f, "provider", labels, 1) != SG_OK)
		return;
	sg_hcl_attr_ref(p, "region", "var.region");
	if (plan->tag_count) {
		sg_hcl_expr *tags = sg_hcl_object(c->arena);
		for (size_t i = 0; i < plan->tag_count; i++)
			sg_hcl_object_put(tags, plan->tags[i].key,
					  sg_hcl_str(c->arena, plan->tags[i].value));
		sg_hcl_attr(tf_block(p, "default_tags"), "tags", tags);
	}
	static const struct {
		unsigned bit;
		const char *type;
	} data[] = {
		{TF_DATA_PARTITION, "aws_partition"},
		{TF_DATA_REGION, "aws_region"},
		{TF_DATA_ACCOUNT, "aws_caller_identity"},
	};
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		if (!(c->data & data[i].bit))
			continue;
		const char *dl[2] = {data[i].type, "current"};
		sg_hcl_body *d;
		sg_hcl_block_add(&d, f, "data", dl, 2);
	}
}

static void variable(tf_ctx *c, const char *name, const char *def, const char *description)
{
	const char *labels[1] = {name};
	sg_hcl_body *v = NULL;
	if (sg_hcl_block_add(&v, c->files[TF_VARIABLES], "variable", labels, 1) != SG_OK)
		return;
	sg_hcl_attr_ref(v, "type", "string");
	sg_hcl_attr_str(v, "default", def);
	sg_hcl_attr_str(v, "description", description);
}

static void emit_variables(tf_ctx *c)
{
	variable(c, "region", c->plan->region,
		 "AWS region to deploy to (default: the spec's region)");
	if (c->plan->function_count)
		variable(c, "artifacts_dir", TF_ARTIFACTS_DEFAULT,
			 "Directory holding each function's <function>.zip, as the handler "
			 "project's `make package` writes them");
}

/* ---- assembly ----------------------------------------------------------------- */

int sg_emit_tf(sg_fileset *fs, const sg_plan *plan, sg_diags *diags)
{
	if (!fs || !plan || !diags)
		return SG_EUSAGE;
	tf_ctx c;
	memset(&c, 0, sizeof(c));
	c.plan = plan;
	/* The trees die once written: in an arena of their own they are not
	 * held beside every later output (about 10 bytes of tree per byte
	 * of HCL). */
	sg_arena *trees = sg_arena_new();
	if (!trees)
		return SG_EUSAGE;
	c.arena = trees;
	c.diags = diags;
	c.arn_style = (sg_plan_arn_style){
		"${" TF_PARTITION "}", "${" TF_REGION "}", "${" TF_ACCOUNT "}", NULL,
		SG_PLAN_ARN_FLAVOR_TF,
	};
	for (size_t i = 0; i < TF_FILE_COUNT; i++)
		c.files[i] = sg_hcl_body_new(c.arena);

	emit_versions(&c);
	emit_variables(&c);
	tf_emit_tables(&c);
	tf_emit_queues(&c);
	tf_emit_topics(&c);
	tf_emit_cognito(&c);
	tf_emit_functions(&c);
	tf_emit_api(&c);
	tf_emit_alarms(&c);
	/* Last: only now is it known which data sources are referenced. */
	emit_providers(&c);

	int rc = SG_OK;
	for (size_t i = 0; i < TF_FILE_COUNT; i++) {
		sg_buf b = SG_BUF_INIT;
		if (sg_hcl_write(&b, c.files[i]) != SG_OK) {
			/* A bug of this emitter, never of the spec: every spec
			 * string is a valid HCL string. */
			sg_error(diags, "internal", (sg_pos){0, 0},
				 "the Terraform emitter built invalid HCL for terraform/%s",
				 file_names[i]);
			sg_buf_free(&b);
			rc = SG_EFINDINGS;
			continue;
		}
		if (!b.len) {
			sg_buf_free(&b);
			continue;
		}
		size_t len;
		char *data = sg_buf_to_arena(&b, fs->arena, &len);
		char *path = sg_arena_printf(fs->arena, "terraform/%s", file_names[i]);
		sg_fileset_add_owned(fs, path, data, len, SG_FILE_GENERATED);
	}
	sg_arena_free(trees);
	return rc;
}
