/*
 * cfn_int.h - shared helpers of the CloudFormation emitter (src/emit/cfn/).
 *
 * The templates are built as cJSON trees.  Each cfn_*.c file adds the
 * resources of one concern, into the template the plan places them in
 * (cfn_in_stack: the root's, or a nested stack's, plan.h sg_plan_stack),
 * written as if all were one template: a reference to a resource of the
 * root from a nested stack is a plain Ref/GetAtt/Sub here, and cfn_stack.c
 * turns it into a parameter of the nested stack that the root fills.
 * cfn.c puts the templates together.
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
	cJSON *resources; /* where resources go now: the root's or a stack's Resources */
	cJSON *root;      /* the root template's Resources */
	cJSON **stacks;   /* per plan->stacks entry, its template's Resources */
	cJSON *outputs;   /* the root template's Outputs object */
	cJSON *last;      /* the resource cfn_resource added last */
} cfn_ctx;

/* Add resources to the template of `stack` from now on (NULL: the root). */
void cfn_in_stack(cfn_ctx *c, const sg_plan_stack *stack);

/*
 * cfn_stack.c: finish nested stack `index` of the plan, whose template is
 * `tpl` (its Resources are c->stacks[index]): turn its references to the
 * root's resources and parameters (`root_params`, the root's Parameters)
 * into parameters of its own, and add its AWS::CloudFormation::Stack
 * resource to the root, passing them and, for a path stack, DependsOn
 * its function stacks.  Returns false after reporting an "internal" error
 * (a reference to something neither template holds) or
 * "too-many-parameters".
 */
bool cfn_finish_stack(cfn_ctx *c, size_t index, cJSON *tpl, const cJSON *root_params);

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
