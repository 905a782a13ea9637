/*
 * alarms.c - the CloudWatch alarms the spec's `alarms:` rules ask for (see
 * plan.h, sg_plan_alarm).
 *
 * A rule under alarms.functions applies to every function, one under
 * alarms.api to the API, one under alarms.tables to every table; the plan
 * expands them into one alarm each, with metric, statistic, dimensions and
 * comparison fixed here so CloudFormation and Terraform cannot differ.
 * Metric names and dimensions follow the CloudWatch metric references of
 * Lambda, API Gateway (REST and HTTP APIs name their metrics differently)
 * and DynamoDB.
 */
#include "plan_int.h"

#include <string.h>

/* One kind of alarm: how a rule becomes CloudWatch settings. */
typedef struct alarm_kind {
	sg_plan_alarm_kind kind;
	const char *name_suffix;   /* "errors" -> shop-dev-add_user-errors */
	const char *id_suffix;     /* "ErrorsAlarm" */
	const char *metric_namespace;
	const char *metric;        /* REST API's metric for API kinds */
	const char *http_metric;   /* HTTP API's metric, API kinds only */
	bool p99;                  /* ExtendedStatistic p99 in ms, else Sum */
} alarm_kind;

static const alarm_kind kinds[] = {
	{SG_PLAN_ALARM_FN_ERRORS, "errors", "ErrorsAlarm", "AWS/Lambda", "Errors", NULL, false},
	{SG_PLAN_ALARM_FN_THROTTLES, "throttles", "ThrottlesAlarm", "AWS/Lambda", "Throttles", NULL, false},
	{SG_PLAN_ALARM_FN_DURATION_P99, "duration-p99", "DurationP99Alarm", "AWS/Lambda", "Duration", NULL, true},
	{SG_PLAN_ALARM_API_5XX, "5xx", "5xxAlarm", "AWS/ApiGateway", "5XXError", "5xx", false},
	{SG_PLAN_ALARM_API_4XX, "4xx", "4xxAlarm", "AWS/ApiGateway", "4XXError", "4xx", false},
	{SG_PLAN_ALARM_API_LATENCY_P99, "latency-p99", "LatencyP99Alarm", "AWS/ApiGateway", "Latency", "Latency", true},
	{SG_PLAN_ALARM_TABLE_READ_THROTTLES, "read-throttles", "ReadThrottlesAlarm", "AWS/DynamoDB", "ReadThrottleEvents", NULL, false},
	{SG_PLAN_ALARM_TABLE_WRITE_THROTTLES, "write-throttles", "WriteThrottlesAlarm", "AWS/DynamoDB", "WriteThrottleEvents", NULL, false},
};

/*
 * Fill the parts every alarm shares.  `subject` names what is watched in
 * the physical name ("add_user", "api", "orders"); `id_base` starts its
 * logical ID.  The validator requires a threshold; the fallbacks (1 for
 * counts, 1000 ms for p99) only keep an unchecked spec meaningful.
 */
static sg_plan_alarm *add_alarm(sg_plan_ctx *ctx, const alarm_kind *k, const sg_alarm_rule *rule,
				const char *subject, const char *id_base)
{
	sg_plan *plan = ctx->plan;
	sg_arena *a = ctx->arena;
	sg_plan_alarm *al = &plan->alarms[plan->alarm_count++];
	al->kind = k->kind;
	al->pos = rule->pos;
	al->name = sg_plan__physical(ctx, "alarm", sg_arena_printf(a, "%s-%s", subject, k->name_suffix),
				     NULL, SG_PLAN_ALARM_NAME_MAX, rule->pos);
	al->logical_id = sg_plan_logical_id(ctx->ids, id_base, k->id_suffix);
	al->tf_name = sg_plan_names_claim(ctx->tf_alarms,
		sg_plan_snake(a, sg_arena_printf(a, "%s_%s", subject, k->name_suffix)), "_");
	al->metric_namespace = k->metric_namespace;
	al->metric = (plan->api.type == SG_API_HTTP && k->http_metric) ? k->http_metric : k->metric;
	if (k->p99) {
		al->extended_statistic = "p99";
		al->unit = "Milliseconds";
		/* A p99 threshold is the slowest still acceptable. */
		al->comparison = "GreaterThanThreshold";
	} else {
		al->statistic = "Sum";
		/* Counts: threshold 1 means "any". */
		al->comparison = "GreaterThanOrEqualToThreshold";
	}
	al->threshold = rule->threshold.set ? rule->threshold.v : (k->p99 ? 1000 : 1);
	al->period = rule->period.set ? rule->period.v : SG_PLAN_DEFAULT_ALARM_PERIOD;
	al->evaluation_periods = rule->evaluation_periods.set ? rule->evaluation_periods.v : 1;
	/* No traffic is no trouble. */
	al->treat_missing_data = "notBreaching";
	al->description = sg_arena_printf(a, "%s %s of %s %s %lld%s over %lld x %lld s",
		al->metric, al->extended_statistic ? al->extended_statistic : "sum", subject,
		k->p99 ? ">" : ">=", (long long)al->threshold, k->p99 ? " ms" : "",
		(long long)al->evaluation_periods, (long long)al->period);
	return al;
}

static void dim(sg_plan_alarm *al, const char *name, sg_plan_value v)
{
	al->dimensions[al->dimension_count].name = name;
	al->dimensions[al->dimension_count++].value = v;
}

void sg_plan__build_alarms(sg_plan_ctx *ctx)
{
	const sg_alarms *sa = &ctx->spec->alarms;
	sg_plan *plan = ctx->plan;
	if (!sa->present)
		return;
	const sg_alarm_rule *fn_rules[] = {&sa->fn_errors, &sa->fn_throttles, &sa->fn_duration_p99};
	const sg_alarm_rule *api_rules[] = {&sa->api_5xx, &sa->api_4xx, &sa->api_latency_p99};

	size_t cap = plan->function_count * 3 + 3 + plan->table_count * 2;
	plan->alarms = sg_arena_calloc(ctx->arena, cap, sizeof(*plan->alarms));

	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *f = &plan->functions[i];
		for (size_t r = 0; r < 3; r++) {
			if (!fn_rules[r]->set)
				continue;
			sg_plan_alarm *al = add_alarm(ctx, &kinds[r], fn_rules[r], f->name, f->name);
			al->function = f;
			sg_plan_value v = {.kind = SG_PLAN_VAL_FUNCTION_NAME, .text = f->physical_name,
					   .function = f};
			dim(al, "FunctionName", v);
		}
	}

	const sg_plan_api *api = &plan->api;
	if (api->present) {
		for (size_t r = 0; r < 3; r++) {
			if (!api_rules[r]->set)
				continue;
			sg_plan_alarm *al = add_alarm(ctx, &kinds[3 + r], api_rules[r], "api", "Api");
			if (api->type == SG_API_REST) {
				sg_plan_value v = {.kind = SG_PLAN_VAL_API_NAME, .text = api->name};
				dim(al, "ApiName", v);
			} else {
				sg_plan_value v = {.kind = SG_PLAN_VAL_API_ID};
				dim(al, "ApiId", v);
			}
			sg_plan_value st = {.kind = SG_PLAN_VAL_LITERAL, .text = api->stage_name};
			dim(al, "Stage", st);
		}
	}

	if (sa->table_throttles.set)
		for (size_t i = 0; i < plan->table_count; i++) {
			const sg_plan_table *t = &plan->tables[i];
			for (size_t r = 0; r < 2; r++) {
				sg_plan_alarm *al = add_alarm(ctx, &kinds[6 + r], &sa->table_throttles,
							      t->name, t->logical_id);
				al->table = t;
				sg_plan_value v = {.kind = SG_PLAN_VAL_TABLE_NAME, .text = t->physical_name,
						   .table = t};
				dim(al, "TableName", v);
			}
		}
}
