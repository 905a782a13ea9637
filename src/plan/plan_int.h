/*
 * plan_int.h - what the plan's source files share and nobody else needs.
 *
 * sg_plan_build (plan.c) fills the plan in stages; each stage lives in its
 * own file and reads what earlier stages produced:
 *   plan.c    service, tags, tables, topics, functions and their settings
 *   routes.c  the route tree, methods, API hash           (needs functions)
 *   iam.c     environment and IAM statements per function (needs routes)
 *   alarms.c  the alarm list                              (needs all above)
 * The order in which logical IDs are claimed decides who keeps the plain
 * name on a clash, so it is fixed here and documented in plan.c.
 */
#ifndef SVCGEN_PLAN_INT_H
#define SVCGEN_PLAN_INT_H

#include "svcgen/plan.h"

typedef struct sg_plan_ctx {
	sg_arena *arena;
	const sg_spec *spec;
	sg_diags *diags;
	sg_plan *plan;
	/* CloudFormation logical IDs: one namespace for the whole template. */
	sg_plan_names *ids;
	/* Terraform names: one namespace per kind of resource. */
	sg_plan_names *tf_functions;  /* functions and the API access log group */
	sg_plan_names *tf_events;     /* event source mappings */
	sg_plan_names *tf_nodes;      /* aws_api_gateway_resource */
	sg_plan_names *tf_methods;    /* methods, routes, permissions, preflights */
	sg_plan_names *tf_alarms;     /* aws_cloudwatch_metric_alarm */
} sg_plan_ctx;

/* routes.c: the route tree; links methods and functions both ways. */
void sg_plan__build_api(sg_plan_ctx *ctx);

/* iam.c: environment and statements of `fn` (routes must be built). */
void sg_plan__build_access(sg_plan_ctx *ctx, sg_plan_function *fn);
/* policy-too-large when fn's statements would pass IAM's quota on a
 * role's inline policies (sg_plan_policy_size over SG_PLAN_MAX_ROLE_POLICY). */
void sg_plan__check_policy_size(sg_plan_ctx *ctx, const sg_plan_function *fn);

/* alarms.c: the alarm list. */
void sg_plan__build_alarms(sg_plan_ctx *ctx);

/* plan.c: a physical name `<prefix>-<name><suffix>` within `max`, with a
 * "name-shortened" warning at `pos` when it had to be cut. */
const char *sg_plan__physical(sg_plan_ctx *ctx, const char *what, const char *name,
			      const char *suffix, size_t max, sg_pos pos);

/* plan.c: index of a plan function by name, or -1. */
long sg_plan__function_index(const sg_plan *plan, const char *name);

#endif
