/*
 * cfn_int.h - shared helpers of the CloudFormation emitter (src/emit/cfn/).
 *
 * The template is built as a cJSON tree.  Each cfn_*.c file adds the
 * resources of one concern; cfn.c puts the template together.
 */
#ifndef SVCGEN_EMIT_CFN_INT_H
#define SVCGEN_EMIT_CFN_INT_H

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/plan.h"

typedef struct cfn_ctx {
	const sg_plan *plan;
	sg_arena *arena;
	sg_diags *diags;
	cJSON *resources; /* the template's Resources object */
	cJSON *outputs;   /* the template's Outputs object */
} cfn_ctx;

/* {"Ref": id} */
cJSON *cfn_ref(const char *id);
/* {"Fn::GetAtt": [id, attr]} */
cJSON *cfn_getatt(const char *id, const char *attr);
/* {"Fn::Sub": text} */
cJSON *cfn_sub(const char *text);
/* A value of the plan: literal string, or the Ref it stands for. */
cJSON *cfn_value(const sg_plan *plan, const sg_plan_value *v);
/* An array of strings. */
cJSON *cfn_strings(const char *const *items, size_t n);

/* A role trust policy letting AWS service `principal` assume the role. */
cJSON *cfn_trust_policy(const char *principal);

/*
 * Add resource `id` of `type` to the template and return its Properties
 * object (created empty).
 */
cJSON *cfn_resource(cfn_ctx *c, const char *id, const char *type);
/* The resource object itself (for DependsOn, DeletionPolicy). */
cJSON *cfn_resource_object(cfn_ctx *c, const char *id);

/*
 * Set DeletionPolicy and UpdateReplacePolicy of resource `id` to `policy`
 * ("Retain" or "Delete"): stateful resources say what happens to their data.
 */
void cfn_set_policies(cfn_ctx *c, const char *id, const char *policy);

/* Tags as a list of {Key, Value}; as a map for the types that want one. */
void cfn_add_tags(cfn_ctx *c, cJSON *props, const char *member);
void cfn_add_tag_map(cfn_ctx *c, cJSON *props, const char *member);

/* An output with a description. */
void cfn_output(cfn_ctx *c, const char *id, const char *description, cJSON *value);

/* The concerns, in template order. */
void cfn_emit_tables(cfn_ctx *c);
void cfn_emit_queues(cfn_ctx *c);
void cfn_emit_topics(cfn_ctx *c);
void cfn_emit_cognito(cfn_ctx *c);
void cfn_emit_functions(cfn_ctx *c);
void cfn_emit_api(cfn_ctx *c);
void cfn_emit_alarms(cfn_ctx *c);

#endif
