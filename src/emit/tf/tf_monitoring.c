/*
 * tf_monitoring.c - Terraform for monitoring: the alarm topic
 * (aws_sns_topic) with its e-mail subscriptions
 * (aws_sns_topic_subscription) and the CloudWatch alarms
 * (aws_cloudwatch_metric_alarm) of the plan.
 *
 * Mirrors the alarm topic part of src/emit/cfn/cfn_data.c and
 * cfn_emit_alarms: the plan decides metric, dimensions, statistic, period
 * and threshold; this file only spells them the AWS provider's way.
 */
#include <cjson/cJSON.h>

#include "tf_int.h"
#include "svcgen/spec.h"

static void emit_alarm_topic(tf_ctx *c)
{
	const sg_plan *plan = c->plan;
	const sg_plan_topic *t = plan->alarm_topic;
	if (!t)
		return;
	/* CloudWatch cannot publish to a topic under alias/aws/sns: the topic
	 * has a key whose policy lets it (sg_emit_alarm_key_policy_json). */
	sg_hcl_body *k = tf_resource(c, TF_MONITORING, "aws_kms_key", plan->alarm_key_tf_name);
	sg_hcl_attr_str(k, "description",
			sg_arena_printf(c->arena, "Encrypts the SNS topic %s, which CloudWatch alarms "
					"publish to", t->physical_name));
	sg_hcl_attr_bool(k, "enable_key_rotation", true);
	sg_hcl_attr_int(k, "deletion_window_in_days", 7);
	cJSON *doc = sg_emit_alarm_key_policy_json(plan, c->arena, &c->arn_style, false);
	sg_hcl_attr(k, "policy", tf_jsonencode_policy(c, doc));
	cJSON_Delete(doc);

	sg_hcl_body *r = tf_resource(c, TF_MONITORING, "aws_sns_topic", t->tf_name);
	sg_hcl_attr_str(r, "name", t->physical_name);
	if (t->display_name)
		sg_hcl_attr_str(r, "display_name", t->display_name);
	sg_hcl_attr(r, "kms_master_key_id", tf_ref(c, "aws_kms_key.%s.id", plan->alarm_key_tf_name));
	for (size_t i = 0; i < plan->subscription_count; i++) {
		const sg_plan_subscription *s = &plan->subscriptions[i];
		sg_hcl_body *sub = tf_resource(c, TF_MONITORING, "aws_sns_topic_subscription", s->tf_name);
		sg_hcl_attr(sub, "topic_arn", tf_ref(c, "aws_sns_topic.%s.arn", t->tf_name));
		sg_hcl_attr_str(sub, "protocol", "email");
		sg_hcl_attr_str(sub, "endpoint", s->email);
	}
	tf_output(c, sg_arena_printf(c->arena, "%s_topic_arn", t->tf_name),
		  "SNS topic the alarms notify", tf_ref(c, "aws_sns_topic.%s.arn", t->tf_name));
}

static void emit_alarm(tf_ctx *c, const sg_plan_alarm *a)
{
	const sg_plan *plan = c->plan;
	sg_hcl_body *r = tf_resource(c, TF_MONITORING, "aws_cloudwatch_metric_alarm", a->tf_name);
	sg_hcl_attr_str(r, "alarm_name", a->name);
	if (a->description)
		sg_hcl_attr_str(r, "alarm_description", a->description);
	sg_hcl_attr_str(r, "namespace", a->metric_namespace);
	sg_hcl_attr_str(r, "metric_name", a->metric);
	if (a->extended_statistic)
		sg_hcl_attr_str(r, "extended_statistic", a->extended_statistic);
	else
		sg_hcl_attr_str(r, "statistic", a->statistic);
	sg_hcl_attr_int(r, "period", a->period);
	sg_hcl_attr_int(r, "evaluation_periods", a->evaluation_periods);
	sg_hcl_attr_int(r, "threshold", a->threshold);
	sg_hcl_attr_str(r, "comparison_operator", a->comparison);
	sg_hcl_attr_str(r, "treat_missing_data", a->treat_missing_data);
	if (plan->alarm_topic) {
		const char *topic = sg_arena_printf(c->arena, "aws_sns_topic.%s.arn",
						    plan->alarm_topic->tf_name);
		sg_hcl_attr(r, "alarm_actions", tf_refs(c, &topic, 1));
		sg_hcl_attr(r, "ok_actions", tf_refs(c, &topic, 1));
	}
	/* Last: a multi-line value would end the `=` alignment above. */
	sg_hcl_blank(r);
	sg_hcl_expr *dims = sg_hcl_object(c->arena);
	for (size_t k = 0; k < a->dimension_count; k++)
		sg_hcl_object_put(dims, a->dimensions[k].name, tf_value(c, &a->dimensions[k].value));
	sg_hcl_attr(r, "dimensions", dims);
}

void tf_emit_alarms(tf_ctx *c)
{
	emit_alarm_topic(c);
	for (size_t i = 0; i < c->plan->alarm_count; i++)
		emit_alarm(c, &c->plan->alarms[i]);
}
