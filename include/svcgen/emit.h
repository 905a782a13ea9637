/*
 * emit.h - emitters: plan -> in-memory files.
 *
 * Every emitter is pure: it reads a plan and adds files to a sg_fileset; it
 * never touches the disk and never re-derives what the plan holds, so the
 * outputs cannot disagree.  Output is deterministic: the same plan gives the
 * same bytes (no timestamps, stable order).
 */
#ifndef SVCGEN_EMIT_H
#define SVCGEN_EMIT_H

#include <stdbool.h>

#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"
#include "svcgen/sha256.h"

/* What `generate --only` selects; combine with |. */
typedef enum sg_emit_what {
	SG_EMIT_CFN = 1 << 0,      /* cloudformation/template.json */
	SG_EMIT_TF = 1 << 1,       /* terraform/ *.tf */
	SG_EMIT_IAM = 1 << 2,      /* iam/<function>.json */
	SG_EMIT_HANDLERS = 1 << 3, /* handlers/ (C project) */
	SG_EMIT_GRAPH = 1 << 4,    /* diagram.mmd */
	SG_EMIT_ALL = 0x1f,
} sg_emit_what;

/*
 * Parse a comma-separated list of "cfn", "tf", "iam", "handlers", "graph"
 * into `*out`.  Returns SG_OK, or SG_EUSAGE naming the first unknown word in
 * `*bad` (pointing into `list`, up to the next comma).
 */
int sg_emit_parse_only(unsigned *out, const char **bad, size_t *bad_len, const char *list);

/*
 * The CloudFormation template (AWS CloudFormation template anatomy and
 * resource type reference): cloudformation/template.json, JSON with
 * two-space indentation and a trailing newline.  Reports "template-too-large"
 * when the body is over CloudFormation's 1 MB limit for templates read from
 * S3 (51,200 bytes inline: a warning that says to deploy through S3).
 * Returns SG_OK or SG_EFINDINGS.
 */
int sg_emit_cfn(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

/*
 * The Terraform configuration (Terraform language documentation; AWS
 * provider hashicorp/aws 6.x resource documentation):
 * terraform/<concern>.tf, one file per concern (versions, providers,
 * variables, dynamodb, sns, iam, lambda, api, auth, monitoring, outputs;
 * each only when it has content),
 * laid out exactly as `terraform fmt` writes it (svcgen/hcl.h).  The
 * resources are the CloudFormation template's, resource for resource, read
 * from the same plan; policies hold the same statements as
 * iam/<function>.json.  Function code is read from
 * ${var.artifacts_dir}/<function>.zip (default ../handlers/build).  Files
 * and text live in `fs`'s arena.  Returns SG_OK; SG_EFINDINGS (with an
 * "internal" diagnostic) should the emitter ever build invalid HCL;
 * SG_EUSAGE for NULL arguments.
 */
int sg_emit_tf(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

/*
 * iam/<function>.json: each function's identity policy as a standalone IAM
 * policy document (IAM JSON policy reference, Version 2012-10-17), with
 * ARNs in the literal form of sg_plan_arn_literal.  Returns SG_OK.
 */
int sg_emit_iam(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

/*
 * A function's policy document as cJSON (the object with Version and
 * Statement), the one builder behind iam/<function>.json, the
 * CloudFormation role and the Terraform role policy, so all three carry the
 * same statements.  Resources are rendered with `style` (NULL: the literal
 * form of sg_plan_arn_literal); with `cfn_sub` each one except "*" is
 * wrapped in {"Fn::Sub": ...} so CloudFormation resolves the placeholders.
 * The caller owns the result (cJSON_Delete).
 */
struct cJSON;
struct cJSON *sg_emit_policy_json(const sg_plan *plan, const sg_plan_function *fn,
				  sg_arena *arena, const sg_plan_arn_style *style, bool cfn_sub);

/*
 * The key policy of the alarm topic's KMS key (plan->alarm_key_logical_id):
 * the account's default administration statement (its root principal,
 * "kms:*" on the key: IAM policies of the account then decide, as in KMS's
 * default key policy) and kms:Decrypt + kms:GenerateDataKey* for
 * cloudwatch.amazonaws.com, which publishes the alarms.  The root ARN uses
 * `style` (NULL: CloudFormation's pseudo parameters) and, with `cfn_sub`,
 * is wrapped in Fn::Sub.  One builder for both outputs.  The caller owns
 * the result.
 */
struct cJSON *sg_emit_alarm_key_policy_json(const sg_plan *plan, sg_arena *arena,
					    const sg_plan_arn_style *style, bool cfn_sub);

/*
 * Run the emitters selected in `what` (sg_emit_what bits) that this build
 * has, in a fixed order.  `*missing` (optional) receives the selected bits
 * this build cannot emit yet.  Returns SG_OK or SG_EFINDINGS.
 */
int sg_emit_run(sg_fileset *fs, unsigned *missing, const sg_plan *plan, unsigned what,
		sg_diags *diags);

/*
 * Options of sg_emit_run_opts.  A zeroed struct (or NULL) means the
 * defaults.
 */
typedef struct sg_emit_opts {
	/*
	 * The Mustache templates of the emitters that render templates (the
	 * handler project, svcgen/handlers.h): the stock templates overridden
	 * by `generate --templates DIR`, as sg_mustache_set_open builds them.
	 * NULL: the stock templates embedded in the binary.  Not owned; loading
	 * the directory (read-only I/O) is the caller's, before emitting, so
	 * the emitters stay pure.
	 */
	struct sg_mustache_set *templates;
} sg_emit_opts;

/*
 * sg_emit_run with options (`opts` may be NULL: sg_emit_run's behaviour).
 * Returns SG_OK or SG_EFINDINGS.
 */
int sg_emit_run_opts(sg_fileset *fs, unsigned *missing, const sg_plan *plan, unsigned what,
		     const sg_emit_opts *opts, sg_diags *diags);

/* The bits of sg_emit_what this build can emit. */
unsigned sg_emit_available(void);

/*
 * The inputs key of a run: SHA-256, in hex into `hex`, of everything the
 * file set sg_emit_run (plus the manifest) makes depends on: this
 * executable's build ID (buildid.h: its code and embedded templates), the
 * spec's `len` bytes `spec`, and the `what` bits.  The emitters are pure,
 * so the same key means the same bytes; the writer records it
 * (sg_write_opts.inputs) and a regenerate with the same key need not emit
 * (sg_write_uptodate).  Runs with `--templates DIR` have no key: the
 * directory is another input.  Returns SG_OK, or SG_EUSAGE when this
 * executable has no build ID (then there is no key and `hex` is "").
 */
int sg_emit_inputs(char hex[SG_SHA256_HEX_SIZE], const char *spec, size_t len, unsigned what);

#endif
