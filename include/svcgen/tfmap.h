/*
 * tfmap.h - CloudFormation resources and their Terraform counterparts.
 *
 * One table, the only place that says which AWS provider resource type
 * (Terraform AWS provider documentation, "Resources") stands for which
 * CloudFormation resource type (CloudFormation resource type reference).
 * Some CloudFormation resources carry in a property what Terraform models
 * as a resource of its own: an AWS::IAM::Role's inline Policies are an
 * aws_iam_role_policy, an AWS::ApiGateway::Method's Integration is an
 * aws_api_gateway_integration.  The table lists those as companion rows
 * keyed by the property.
 *
 * Users: `svcgen diff` (the Terraform address of each changed resource),
 * the Terraform emitter and its equivalence test ("the same resources as
 * the CloudFormation template, type for type", DESIGN.md section 5).
 *
 * Names: a Terraform resource is named by the plan's tf_name of what it
 * stands for (function, table, method, ...); companions share the name of
 * their resource.  What the plan gives no name of its own: the REST API's
 * deployment and stage (and method settings) take the API's ("api"), the
 * authorizer is "cognito", API Gateway's account setting "main" and its
 * CloudWatch role "api_gateway_cloudwatch" ("_2", ... should a function
 * have that name), as src/emit/tf/ names them.  sg_tfmap_resources says,
 * for every resource the CloudFormation template of a plan holds, which
 * names those are.
 */
#ifndef SVCGEN_TFMAP_H
#define SVCGEN_TFMAP_H

#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/plan.h"

/*
 * One row of the table.  `property` is NULL for the resource itself (its
 * primary Terraform type); otherwise a property path of the CloudFormation
 * resource, '.'-separated ("Integration.IntegrationResponses"), whose
 * presence means one more Terraform resource of type `tf_type`.
 */
typedef struct sg_tfmap_entry {
	const char *cfn_type;   /* "AWS::IAM::Role" */
	const char *property;   /* NULL, or "Policies" */
	const char *tf_type;    /* "aws_iam_role", "aws_iam_role_policy" */
} sg_tfmap_entry;

/*
 * The whole table, grouped by CloudFormation type, the primary row first.
 * Static storage; `*count` receives the number of rows.
 */
const sg_tfmap_entry *sg_tfmap_entries(size_t *count);

/* The primary Terraform type of `cfn_type`, or NULL for a type svcgen
 * never emits.  Static storage. */
const char *sg_tfmap_type(const char *cfn_type);

/*
 * The Terraform type a change of property `property` (a top-level
 * property name of a `cfn_type` resource, or a resource attribute such as
 * "DependsOn") lands in: the companion type keyed by that property (or by
 * a path below it), else the primary type.  NULL for an unknown cfn_type.
 */
const char *sg_tfmap_type_of_property(const char *cfn_type, const char *property);

/* One CloudFormation resource of a plan and its Terraform name. */
typedef struct sg_tfmap_resource {
	const char *logical_id; /* "GetUserFunction" */
	const char *cfn_type;   /* "AWS::Lambda::Function" */
	const char *tf_type;    /* primary: "aws_lambda_function" */
	const char *tf_name;    /* "get_user" */
} sg_tfmap_resource;

/*
 * Every resource the CloudFormation template of `plan` holds, in template
 * order, each with its primary Terraform type and name (the address is
 * "<tf_type>.<tf_name>").  The list is derived from the plan the way
 * src/emit/cfn/ emits it (test_diff checks that the two agree for every
 * example).  The array lives in `arena`; `*count` receives its length.
 * Returns SG_OK, or SG_EUSAGE for NULL arguments.
 */
int sg_tfmap_resources(const sg_tfmap_resource **out, size_t *count, sg_arena *arena,
		       const sg_plan *plan);

/* The entry of `logical_id` in a list from sg_tfmap_resources, or NULL. */
const sg_tfmap_resource *sg_tfmap_find(const sg_tfmap_resource *list, size_t count,
				       const char *logical_id);

#endif
