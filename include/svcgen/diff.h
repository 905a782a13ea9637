/*
 * diff.h - what a change of the spec does to the infrastructure and to
 * its permissions (`svcgen diff`).
 *
 * Two plans (before and after) are compared two ways:
 *
 *  - resources: the CloudFormation templates both plans emit (the root and
 *    every nested stack's, as one set), resource by resource (logical ID):
 *    added, removed, or changed (type, a property or a resource attribute
 *    such as DependsOn differs).  A resource whose type changes is removed
 *    and added.  A changed resource is also *replaced* when it moves to
 *    another stack (CloudFormation deletes it from one and creates it in
 *    the other) or when a property whose update requires replacement
 *    differs (the resource type reference's "Update requires:
 *    Replacement"); the tables, queues and the user pool are *stateful*:
 *    replacing one leaves its data behind.  Comparing the emitted templates
 *    rather than the plans makes the diff exact: whatever would change in
 *    the template is reported, and nothing else.  Each resource also gets
 *    its Terraform address(es) (tfmap.h).
 *  - IAM: every function's policy as a set of (action, resource) pairs,
 *    resources in the literal form of sg_plan_arn_literal; a pair only in
 *    "after" is added (+, the policy widens), only in "before" removed (-).
 *
 * Either plan may be NULL: a spec that did not exist at the revision is an
 * empty "before", so everything is added.
 *
 * Order (deterministic): resources by logical ID (byte order); IAM rows by
 * function name, resource, action, removed before added.
 */
#ifndef SVCGEN_DIFF_H
#define SVCGEN_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/diag.h"
#include "svcgen/plan.h"

typedef enum sg_diff_change {
	SG_DIFF_ADDED,
	SG_DIFF_REMOVED,
	SG_DIFF_CHANGED,      /* resources only */
} sg_diff_change;

/* "added", "removed", "changed". */
const char *sg_diff_change_name(sg_diff_change c);

/* One resource that differs. */
typedef struct sg_diff_resource {
	sg_diff_change change;
	const char *logical_id;           /* CloudFormation logical ID */
	const char *cfn_type;             /* "AWS::Lambda::Function" */
	/*
	 * Terraform addresses ("aws_iam_role_policy.get_user"): for added and
	 * removed resources the resource and each companion present (an IAM
	 * role with inline policies is aws_iam_role + aws_iam_role_policy);
	 * for changed ones those the changed properties land in.
	 */
	const char *const *terraform;
	size_t terraform_count;
	/* Changed only: the differing top-level properties and resource
	 * attributes, sorted; empty otherwise. */
	const char *const *properties;
	size_t property_count;
	/* The template it is in, "template.json" or "stacks/<name>.json"
	 * (after; before for removed ones), and before, for changed ones. */
	const char *stack;
	const char *stack_before;
	bool moved;                       /* changed: another stack */
	/* Changed: CloudFormation replaces it (a move, or replaced_by). */
	bool replaced;
	const char *const *replaced_by;   /* the properties that force it, sorted */
	size_t replaced_by_count;
	bool stateful;                    /* a table, queue or user pool */
} sg_diff_resource;

/* One permission granted or revoked. */
typedef struct sg_diff_iam {
	sg_diff_change change;            /* SG_DIFF_ADDED or SG_DIFF_REMOVED */
	const char *function;             /* spec name, "get_user" */
	const char *action;               /* "dynamodb:GetItem" */
	const char *resource;             /* literal ARN, or "*" */
} sg_diff_iam;

/* The comparison.  Arena-owned. */
typedef struct sg_diff {
	sg_diff_resource *resources;
	size_t resource_count;
	sg_diff_iam *iam;
	size_t iam_count;
	size_t added, removed, changed;   /* resources */
	size_t replaced, replaced_stateful; /* of the changed */
	size_t iam_added, iam_removed;    /* permissions */
} sg_diff;

/*
 * Compare `before` with `after` (either may be NULL) into `*out`,
 * allocating from `arena`.  The templates are emitted in memory; their own
 * notes (template size) are not reported again.  Returns SG_OK, or
 * SG_EUSAGE for NULL `out`/`arena`.
 */
int sg_diff_plans(sg_diff **out, sg_arena *arena, const sg_plan *before, const sg_plan *after);

/* Whether nothing changed. */
bool sg_diff_empty(const sg_diff *d);

/*
 * Append the diff as text, in the spirit of `terraform plan`:
 *
 *   Resource changes (CloudFormation logical ID, Terraform address):
 *     + GetOrderFunction  aws_lambda_function.get_order
 *     ~ ShopTable         aws_dynamodb_table.shop  (GlobalSecondaryIndexes)
 *     - OldRole           aws_iam_role.old, aws_iam_role_policy.old
 *
 *   IAM changes (+ granted, - revoked):
 *     FUNCTION   ACTION               RESOURCE
 *     get_order  + dynamodb:GetItem   arn:${AWS::Partition}:dynamodb:...
 *
 *   Summary: 3 to add, 1 to change, 1 to destroy; IAM: 1 added, 0 removed.
 *
 * A replaced resource's line starts "-/+" and names why ("moves from
 * stacks/a.json to stacks/b.json", "replaced: KeySchema"), with
 * "STATEFUL: its data stays in the old resource" for a stateful one; the
 * summary then says "(N replaced, M of them stateful)".
 *
 * A section with nothing in it is left out; with no change at all the
 * text is the one line "No changes: resources and permissions are the
 * same."  Columns are aligned with spaces.
 */
void sg_diff_write_text(sg_buf *out, const sg_diff *d);

/*
 * Add the diff's members to the JSON object `obj` (a cJSON object):
 *   "resources": [{"change", "logical_id", "type", "terraform": [...],
 *                  "properties": [...], "stack", "stack_before" (changed),
 *                  "moved", "replaced", "replaced_by": [...], "stateful"}],
 *   "iam": [{"function", "change", "action", "resource"}],
 *   "summary": {"added", "changed", "removed", "replaced", "replaced_stateful",
 *               "iam_added", "iam_removed"}
 * with "change" as sg_diff_change_name.  The members belong to `obj`.
 */
struct cJSON;
void sg_diff_add_json(struct cJSON *obj, const sg_diff *d);

#endif
