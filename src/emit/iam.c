/*
 * iam.c - per-function policy documents: iam/<function>.json, and the one
 * builder of the document every output uses (sg_emit_policy_json).
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/json.h"
#include "svcgen/spec.h"

cJSON *sg_emit_policy_json(const sg_plan *plan, const sg_plan_function *fn, sg_arena *arena,
			   const sg_plan_arn_style *style, bool cfn_sub)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON *stmts = cJSON_AddArrayToObject(doc, "Statement");
	for (size_t i = 0; i < fn->statement_count; i++) {
		const sg_plan_statement *st = &fn->statements[i];
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "Sid", st->sid);
		cJSON_AddStringToObject(s, "Effect", "Allow");
		cJSON *actions = cJSON_AddArrayToObject(s, "Action");
		for (size_t k = 0; k < st->action_count; k++)
			cJSON_AddItemToArray(actions, cJSON_CreateString(st->actions[k]));
		const char *res = style ? sg_plan_arn_render(arena, plan, &st->resource, style)
					: sg_plan_arn_literal(arena, plan, &st->resource);
		if (cfn_sub && st->resource.kind != SG_PLAN_ARN_STAR) {
			cJSON *sub = cJSON_CreateObject();
			cJSON_AddStringToObject(sub, "Fn::Sub", res);
			cJSON_AddItemToObject(s, "Resource", sub);
		} else {
			cJSON_AddStringToObject(s, "Resource", res);
		}
		cJSON_AddItemToArray(stmts, s);
	}
	return doc;
}

cJSON *sg_emit_alarm_key_policy_json(const sg_plan *plan, sg_arena *arena,
				    const sg_plan_arn_style *style, bool cfn_sub)
{
	(void)plan;
	const sg_plan_arn_style *st = style ? style : &sg_plan_arn_style_cfn;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON *stmts = cJSON_AddArrayToObject(doc, "Statement");

	/* The key policy's default statement (KMS developer guide, "Default
	 * key policy"): the account's IAM policies decide who administers
	 * the key, so it never becomes unmanageable. */
	cJSON *admin = cJSON_CreateObject();
	cJSON_AddStringToObject(admin, "Sid", "AccountAdministers");
	cJSON_AddStringToObject(admin, "Effect", "Allow");
	cJSON *principal = cJSON_AddObjectToObject(admin, "Principal");
	const char *root = sg_arena_printf(arena, "arn:%s:iam::%s:root", st->partition, st->account);
	if (cfn_sub)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(principal, "AWS"), "Fn::Sub", root);
	else
		cJSON_AddStringToObject(principal, "AWS", root);
	cJSON_AddStringToObject(admin, "Action", "kms:*");
	cJSON_AddStringToObject(admin, "Resource", "*");
	cJSON_AddItemToArray(stmts, admin);

	/* CloudWatch publishes alarm notifications to the encrypted topic
	 * (SNS developer guide, "Enable compatibility between event sources
	 * from AWS services and encrypted topics"). */
	cJSON *cw = cJSON_CreateObject();
	cJSON_AddStringToObject(cw, "Sid", "CloudWatchAlarmsPublish");
	cJSON_AddStringToObject(cw, "Effect", "Allow");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(cw, "Principal"), "Service",
				"cloudwatch.amazonaws.com");
	cJSON *acts = cJSON_AddArrayToObject(cw, "Action");
	cJSON_AddItemToArray(acts, cJSON_CreateString("kms:Decrypt"));
	cJSON_AddItemToArray(acts, cJSON_CreateString("kms:GenerateDataKey*"));
	cJSON_AddStringToObject(cw, "Resource", "*");
	cJSON_AddItemToArray(stmts, cw);
	return doc;
}

int sg_emit_iam(sg_fileset *fs, const sg_plan *plan, sg_diags *diags)
{
	(void)diags;
	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *fn = &plan->functions[i];
		cJSON *doc = sg_emit_policy_json(plan, fn, fs->arena, NULL, false);
		sg_buf b = SG_BUF_INIT;
		sg_json_write(&b, doc);
		cJSON_Delete(doc);
		size_t len;
		char *data = sg_buf_to_arena(&b, fs->arena, &len);
		char *path = sg_arena_printf(fs->arena, "iam/%s.json", fn->c_name);
		sg_fileset_add_owned(fs, path, data, len, SG_FILE_GENERATED);
	}
	return SG_OK;
}
