/*
 * tf_int.h - shared helpers of the Terraform emitter (src/emit/tf/).
 *
 * The configuration is built as one HCL document model per .tf file (see
 * svcgen/hcl.h) and serialized once at the end by tf.c.  Each tf_*.c file
 * adds the resources of one concern, resource for resource what the
 * matching src/emit/cfn/cfn_*.c file puts in the CloudFormation template,
 * so both outputs describe the same infrastructure.
 *
 * Strings from the spec (names, descriptions, environment values, URLs,
 * e-mail addresses) only ever become quoted HCL strings, which the writer
 * escapes (`${` becomes `$${`): they are never interpolated.  The only
 * templates are ARNs and URLs built from plan names (tf_tmpl), whose
 * interpolations are references to data sources and resource attributes.
 *
 * Writer errors are sticky (svcgen/hcl.h): the helpers here do not check
 * every call, tf.c checks sg_hcl_write's result once per file.
 */
#ifndef SVCGEN_EMIT_TF_INT_H
#define SVCGEN_EMIT_TF_INT_H

#include <stdbool.h>

#include "svcgen/emit.h"
#include "svcgen/hcl.h"
#include "svcgen/plan.h"

struct cJSON;

/* The files of terraform/, in the order they are listed. */
typedef enum tf_file {
	TF_VERSIONS,   /* terraform { required_version, required_providers } */
	TF_PROVIDERS,  /* provider "aws", the data sources ARNs are built from */
	TF_VARIABLES,  /* region, artifacts_dir */
	TF_DYNAMODB,   /* tables */
	TF_SNS,        /* the service's own topics */
	TF_SQS,        /* the stream mappings' on-failure queues */
	TF_IAM,        /* execution roles and their inline policies */
	TF_LAMBDA,     /* log groups, functions, event source mappings */
	TF_API,        /* the REST or HTTP API, its permissions and access logs */
	TF_AUTH,       /* the Cognito user pool, client, domain */
	TF_MONITORING, /* the alarm topic, its subscriptions, alarms */
	TF_OUTPUTS,    /* outputs */
	TF_FILE_COUNT,
} tf_file;

/* Data sources the configuration may use; a bit each, for tf_ctx.data. */
enum {
	TF_DATA_PARTITION = 1 << 0, /* data.aws_partition.current */
	TF_DATA_REGION = 1 << 1,    /* data.aws_region.current */
	TF_DATA_ACCOUNT = 1 << 2,   /* data.aws_caller_identity.current */
};

typedef struct tf_ctx {
	const sg_plan *plan;
	sg_arena *arena;
	sg_diags *diags;
	sg_hcl_body *files[TF_FILE_COUNT];
	unsigned data;                 /* TF_DATA_* bits referenced so far */
	sg_plan_arn_style arn_style;   /* Terraform spelling of ARN parts */
} tf_ctx;

/* References to the data sources (AWS provider: aws_partition, aws_region,
 * aws_caller_identity data sources). */
#define TF_PARTITION "data.aws_partition.current.partition"
#define TF_REGION "data.aws_region.current.region"
#define TF_ACCOUNT "data.aws_caller_identity.current.account_id"

/* The root body of `file`. */
sg_hcl_body *tf_file_body(tf_ctx *c, tf_file file);

/* Append `resource "type" "name" {}` to `file`; returns its body. */
sg_hcl_body *tf_resource(tf_ctx *c, tf_file file, const char *type, const char *name);

/* Append a nested block without labels to `parent`; returns its body. */
sg_hcl_body *tf_block(sg_hcl_body *parent, const char *type);

/* A reference built with printf, e.g. tf_ref(c, "aws_iam_role.%s.arn", n). */
sg_hcl_expr *tf_ref(tf_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A template from `text` in which every "${traversal}" becomes an
 * interpolation of that reference and the rest literal text.  Only for
 * text built from plan names (ARNs, URLs): spec text goes through
 * sg_hcl_str.  Marks the data sources it references as used.  A text that
 * is one lone "${x}" gives the bare reference.
 */
sg_hcl_expr *tf_tmpl(tf_ctx *c, const char *text);

/* sg_plan_arn_render in the Terraform style, as a template (tf_tmpl). */
sg_hcl_expr *tf_arn(tf_ctx *c, const sg_plan_arn *arn);

/* A value of the plan: a literal string or the attribute it stands for. */
sg_hcl_expr *tf_value(tf_ctx *c, const sg_plan_value *v);

/* A tuple of quoted strings. */
sg_hcl_expr *tf_strs(tf_ctx *c, const char *const *items, size_t n);

/* A tuple of references, one per line: `depends_on = [...]` lists. */
sg_hcl_expr *tf_refs(tf_ctx *c, const char *const *traversals, size_t n);

/*
 * `jsonencode(...)` of a JSON document (a trust policy, a filter pattern,
 * an access log format): objects keep their key order, every string stays
 * literal.  NULL when the document cannot be converted.
 */
sg_hcl_expr *tf_jsonencode(tf_ctx *c, const struct cJSON *doc);

/*
 * The same for an IAM policy svcgen built: string values under a
 * "Resource" key are read as tf_tmpl templates (ARNs rendered from plan
 * names in the Terraform style); every other string stays literal.
 */
sg_hcl_expr *tf_jsonencode_policy(tf_ctx *c, const struct cJSON *doc);

/* `depends_on = [...]` as the body's last attribute, after a blank line:
 * ordering Terraform cannot see from the references. */
void tf_depends_on(tf_ctx *c, sg_hcl_body *body, const char *const *traversals, size_t n);

/* `lifecycle { <setting> = true }` (prevent_destroy, create_before_destroy). */
void tf_lifecycle(sg_hcl_body *body, const char *setting);

/* The trust policy letting `service` ("lambda.amazonaws.com") assume a role. */
sg_hcl_expr *tf_trust_policy(tf_ctx *c, const char *service);

/* `output "name" { description, value }` in outputs.tf. */
void tf_output(tf_ctx *c, const char *name, const char *description, sg_hcl_expr *value);

/* The concerns, in the order of the CloudFormation template. */
void tf_emit_tables(tf_ctx *c);
void tf_emit_topics(tf_ctx *c);
void tf_emit_queues(tf_ctx *c);
void tf_emit_cognito(tf_ctx *c);
void tf_emit_functions(tf_ctx *c);
void tf_emit_api(tf_ctx *c);
void tf_emit_alarms(tf_ctx *c);

#endif
