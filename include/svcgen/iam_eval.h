/*
 * iam_eval.h - evaluating an identity-based IAM policy for one request.
 *
 * `svcgen local` decides, for each (action, resource) a function's AWS call
 * needs, whether the function's policy allows it, the way IAM does for the
 * policies svcgen writes (IAM User Guide, "Policy evaluation logic" and "IAM
 * JSON policy elements: Action, NotAction, Resource, NotResource, Effect"):
 *
 *   - an explicit Deny that matches wins; else an Allow that matches allows;
 *     else the request is implicitly denied (no allow, no access);
 *   - actions match case-insensitively, with "*" and "?" wildcards;
 *   - resources match case-sensitively: an ARN pattern is compared segment
 *     by segment for its first five ":"-separated parts (arn, partition,
 *     service, region, account), each a glob, and the rest (the resource
 *     part, which may itself hold ":" and "/") as one glob in which "*"
 *     spans any characters; a pattern of "*" matches every resource.
 *
 * Where it knowingly differs (docs/design-notes.md, "svcgen local"):
 * statements with a Condition cannot be judged without the request context
 * AWS has, so an Allow with a Condition never applies and a Deny with one
 * always does (never more permissive than AWS).  Policy variables are not
 * substituted.  Only one policy is evaluated (no SCPs, boundaries, session
 * or resource policies: svcgen writes none of them).
 *
 * Memory: a parsed policy lives in the arena it was parsed into.
 */
#ifndef SVCGEN_IAM_EVAL_H
#define SVCGEN_IAM_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"

typedef struct sg_iam_policy sg_iam_policy;

typedef enum sg_iam_decision {
	SG_IAM_IMPLICIT_DENY = 0, /* no statement allows it */
	SG_IAM_ALLOW,
	SG_IAM_EXPLICIT_DENY,     /* a Deny statement matches */
} sg_iam_decision;

/*
 * Parse the policy document `json` (`len` bytes): an object with Statement
 * (one statement or an array), each with Effect Allow|Deny, Action or
 * NotAction, Resource or NotResource (a string or an array of strings),
 * optional Sid and Condition.  Returns 0, or -1 with `*why` (static text)
 * for a document IAM would refuse.
 */
int sg_iam_policy_parse(sg_iam_policy **out, sg_arena *arena, const char *json, size_t len,
			const char **why);

/*
 * The decision for `action` ("dynamodb:GetItem") on `resource` (an ARN).
 * `*sid` (optional) is the Sid of the deciding statement ("" without one,
 * NULL for an implicit deny).
 */
sg_iam_decision sg_iam_evaluate(const sg_iam_policy *policy, const char *action,
				const char *resource, const char **sid);

/*
 * IAM's glob: "*" any run of characters, "?" any one character, everything
 * else literal; `fold` compares ASCII case-insensitively.
 */
bool sg_iam_glob(const char *pattern, const char *value, bool fold);

/* Whether resource pattern `pattern` matches ARN `arn` (rules above). */
bool sg_iam_resource_match(const char *pattern, const char *arn);

#endif
