/*
 * cfn.c - the CloudFormation template: assembly and shared helpers.
 *
 * Follows the CloudFormation template anatomy and resource type reference.
 * Every name and ARN comes from the plan; strings from the spec (names,
 * descriptions, environment values, URLs) are only ever JSON string values,
 * never part of an Fn::Sub template, so `${`, quotes or backslashes in them
 * arrive as written.
 */
#include <string.h>

#include "cfn_int.h"
#include "svcgen/json.h"
#include "svcgen/spec.h"

/* CloudFormation: template bodies are limited to 51,200 bytes when passed
 * inline and 1 MB when read from S3. */
#define CFN_INLINE_MAX 51200
#define CFN_S3_MAX 1000000

cJSON *cfn_ref(const char *id)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Ref", id);
	return o;
}

cJSON *cfn_getatt(const char *id, const char *attr)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(o, "Fn::GetAtt");
	cJSON_AddItemToArray(a, cJSON_CreateString(id));
	cJSON_AddItemToArray(a, cJSON_CreateString(attr));
	return o;
}

cJSON *cfn_sub(const char *text)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Fn::Sub", text);
	return o;
}

cJSON *cfn_value(const sg_plan *plan, const sg_plan_value *v)
{
	switch (v->kind) {
	case SG_PLAN_VAL_FUNCTION_NAME:
		return cfn_ref(v->function->logical_id);
	case SG_PLAN_VAL_TABLE_NAME:
		return cfn_ref(v->table->logical_id);
	case SG_PLAN_VAL_TOPIC_ARN:
		return cfn_ref(v->topic->logical_id);
	case SG_PLAN_VAL_API_ID:
		return cfn_ref(plan->api.logical_id);
	case SG_PLAN_VAL_QUEUE_NAME:
		return cfn_getatt(v->queue->logical_id, "QueueName");
	case SG_PLAN_VAL_API_NAME:
	case SG_PLAN_VAL_LITERAL:
		break;
	}
	return cJSON_CreateString(v->text ? v->text : "");
}

cJSON *cfn_strings(const char *const *items, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
	return a;
}

cJSON *cfn_trust_policy(const char *principal)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Effect", "Allow");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"), "Service", principal);
	cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "Statement"), st);
	return doc;
}

void cfn_in_stack(cfn_ctx *c, const sg_plan_stack *stack)
{
	c->resources = stack ? c->stacks[stack - c->plan->stacks] : c->root;
}

cJSON *cfn_resource(cfn_ctx *c, const char *id, const char *type)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "Type", type);
	cJSON *props = cJSON_AddObjectToObject(r, "Properties");
	cJSON_AddItemToObject(c->resources, id, r);
	c->last = r;
	return props;
}

cJSON *cfn_resource_object(cfn_ctx *c, const char *id)
{
	/* Nearly always the one just added: no scan of a large template. */
	if (c->last && c->last->string && !strcmp(c->last->string, id))
		return c->last;
	return cJSON_GetObjectItemCaseSensitive(c->resources, id);
}

void cfn_set_policies(cfn_ctx *c, const char *id, const char *policy)
{
	cJSON *r = cfn_resource_object(c, id);
	cJSON_AddStringToObject(r, "DeletionPolicy", policy);
	cJSON_AddStringToObject(r, "UpdateReplacePolicy", policy);
}

void cfn_add_tags(cfn_ctx *c, cJSON *props, const char *member)
{
	if (!c->plan->tag_count)
		return;
	cJSON *tags = cJSON_AddArrayToObject(props, member);
	for (size_t i = 0; i < c->plan->tag_count; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "Key", c->plan->tags[i].key);
		cJSON_AddStringToObject(t, "Value", c->plan->tags[i].value);
		cJSON_AddItemToArray(tags, t);
	}
}

void cfn_add_tag_map(cfn_ctx *c, cJSON *props, const char *member)
{
	if (!c->plan->tag_count)
		return;
	cJSON *tags = cJSON_AddObjectToObject(props, member);
	for (size_t i = 0; i < c->plan->tag_count; i++)
		cJSON_AddStringToObject(tags, c->plan->tags[i].key, c->plan->tags[i].value);
}

void cfn_output(cfn_ctx *c, const char *id, const char *description, cJSON *value)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Description", description);
	cJSON_AddItemToObject(o, "Value", value);
	cJSON_AddItemToObject(c->outputs, id, o);
}

/*
 * Where the code is.  A stack update only deploys new code when the Code
 * property changes (AWS::Lambda::Function Code: a new object under the same
 * key is not a change), so ArtifactPrefix names one build, content-addressed
 * (builds/<hash of the build>/, README "CloudFormation output"): new code is
 * a new prefix, and a rollback finds the previous build's objects intact.
 * One parameter for every function, so the template needs no parameter per
 * function (CloudFormation allows 200).  It has no default: a deploy that
 * forgets it fails instead of deploying yesterday's code.
 */
static void add_parameters(cJSON *tpl)
{
	cJSON *params = cJSON_AddObjectToObject(tpl, "Parameters");
	cJSON *bucket = cJSON_AddObjectToObject(params, "ArtifactBucket");
	cJSON_AddStringToObject(bucket, "Type", "String");
	cJSON_AddStringToObject(bucket, "Description",
				"S3 bucket holding the functions' zip files (handlers: make package)");
	cJSON_AddNumberToObject(bucket, "MinLength", 3);
	cJSON *prefix = cJSON_AddObjectToObject(params, "ArtifactPrefix");
	cJSON_AddStringToObject(prefix, "Type", "String");
	cJSON_AddStringToObject(prefix, "Description",
				"Key prefix of one build, named by its content (builds/<hash>/): each "
				"function's code is <ArtifactPrefix><function>.zip; new code, new prefix");
	cJSON_AddStringToObject(prefix, "AllowedPattern", "^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*/$");
	cJSON_AddStringToObject(prefix, "ConstraintDescription",
				"a key prefix ending in /, such as builds/<hash of the build>/");
}

/* Serialize `tpl` into `path`, checking CloudFormation's size limits. */
static int write_template(sg_fileset *fs, sg_diags *diags, cJSON *tpl, const char *path,
			  bool root)
{
	sg_buf b = SG_BUF_INIT;
	sg_json_write(&b, tpl);
	int rc = SG_OK;
	if (b.len > CFN_S3_MAX) {
		sg_error(diags, "template-too-large", (sg_pos){0, 0},
			 "the CloudFormation template %s is %zu bytes; CloudFormation accepts at "
			 "most %d", path, b.len, CFN_S3_MAX);
		rc = SG_EFINDINGS;
	} else if (root && b.len > CFN_INLINE_MAX) {
		sg_diag_add(diags, SG_SEV_NOTE, "template-size", (sg_pos){0, 0},
			    "the CloudFormation template is %zu bytes, over the %d-byte limit "
			    "for inline templates: deploy it through S3 (aws cloudformation "
			    "deploy --s3-bucket ...)", b.len, CFN_INLINE_MAX);
	}
	size_t len;
	char *data = sg_buf_to_arena(&b, fs->arena, &len);
	sg_fileset_add_owned(fs, path, data, len, SG_FILE_GENERATED);
	return rc;
}

/* A nested stack's template around its Resources (its Parameters are added
 * by cfn_finish_stack). */
static cJSON *stack_template(const sg_plan *plan, const sg_plan_stack *st, sg_arena *a,
			     cJSON **resources)
{
	cJSON *tpl = cJSON_CreateObject();
	cJSON_AddStringToObject(tpl, "AWSTemplateFormatVersion", "2010-09-09");
	cJSON_AddStringToObject(tpl, "Description",
		sg_arena_printf(a, "%s (%s): %s, nested stack of %s (generated by svcgen)",
				plan->service, plan->stage,
				st->kind == SG_PLAN_STACK_FUNCTIONS ? "functions" : "API paths",
				st->name));
	*resources = cJSON_AddObjectToObject(tpl, "Resources");
	return tpl;
}

int sg_emit_cfn(sg_fileset *fs, const sg_plan *plan, sg_diags *diags)
{
	cJSON *tpl = cJSON_CreateObject();
	cJSON_AddStringToObject(tpl, "AWSTemplateFormatVersion", "2010-09-09");
	const char *desc = plan->description
		? plan->description
		: sg_arena_printf(fs->arena, "%s (%s): generated by svcgen", plan->service,
				  plan->stage);
	cJSON_AddStringToObject(tpl, "Description", desc);
	add_parameters(tpl);
	cfn_ctx c;
	memset(&c, 0, sizeof(c));
	c.plan = plan;
	c.arena = fs->arena;
	c.diags = diags;
	c.root = cJSON_AddObjectToObject(tpl, "Resources");
	c.resources = c.root;
	c.outputs = cJSON_CreateObject();
	cJSON **nested = sg_arena_calloc(fs->arena, plan->stack_count + 1, sizeof(*nested));
	c.stacks = sg_arena_calloc(fs->arena, plan->stack_count + 1, sizeof(*c.stacks));
	for (size_t i = 0; i < plan->stack_count; i++)
		nested[i] = stack_template(plan, &plan->stacks[i], fs->arena, &c.stacks[i]);

	cfn_emit_tables(&c);
	cfn_emit_queues(&c);
	cfn_emit_topics(&c);
	cfn_emit_cognito(&c);
	cfn_emit_functions(&c);
	cfn_emit_api(&c);
	cfn_emit_alarms(&c);
	cfn_in_stack(&c, NULL);

	if (c.outputs->child)
		cJSON_AddItemToObject(tpl, "Outputs", c.outputs);
	else
		cJSON_Delete(c.outputs);

	int rc = SG_OK;
	cJSON *root_params = cJSON_GetObjectItemCaseSensitive(tpl, "Parameters");
	for (size_t i = 0; i < plan->stack_count; i++) {
		/* Its references become parameters, and the root gets the
		 * stack resource that passes them. */
		if (!cfn_finish_stack(&c, i, nested[i], root_params))
			rc = SG_EFINDINGS;
		if (write_template(fs, diags, nested[i], plan->stacks[i].file, false) != SG_OK)
			rc = SG_EFINDINGS;
		cJSON_Delete(nested[i]);
	}
	if (write_template(fs, diags, tpl, "cloudformation/template.json", true) != SG_OK)
		rc = SG_EFINDINGS;
	cJSON_Delete(tpl);
	return rc;
}
