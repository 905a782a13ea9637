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
	bool maximum;              /* Statistic Maximum (ms when `ms`) */
	bool ms;                   /* threshold in milliseconds */
} alarm_kind;

static const alarm_kind kinds[] = {
	{SG_PLAN_ALARM_FN_ERRORS, "errors", "ErrorsAlarm", "AWS/Lambda", "Errors", NULL, false, false, false},
	{SG_PLAN_ALARM_FN_THROTTLES, "throttles", "ThrottlesAlarm", "AWS/Lambda", "Throttles", NULL, false, false, false},
	{SG_PLAN_ALARM_FN_DURATION_P99, "duration-p99", "DurationP99Alarm", "AWS/Lambda", "Duration", NULL, true, false, false},
	{SG_PLAN_ALARM_API_5XX, "5xx", "5xxAlarm", "AWS/ApiGateway", "5XXError", "5xx", false, false, false},
	{SG_PLAN_ALARM_API_4XX, "4xx", "4xxAlarm", "AWS/ApiGateway", "4XXError", "4xx", false, false, false},
	{SG_PLAN_ALARM_API_LATENCY_P99, "latency-p99", "LatencyP99Alarm", "AWS/ApiGateway", "Latency", "Latency", true, false, false},
	{SG_PLAN_ALARM_TABLE_READ_THROTTLES, "read-throttles", "ReadThrottlesAlarm", "AWS/DynamoDB", "ReadThrottleEvents", NULL, false, false, false},
	{SG_PLAN_ALARM_TABLE_WRITE_THROTTLES, "write-throttles", "WriteThrottlesAlarm", "AWS/DynamoDB", "WriteThrottleEvents", NULL, false, false, false},
	{SG_PLAN_ALARM_INDEX_READ_THROTTLES, "read-throttles", "ReadThrottlesAlarm", "AWS/DynamoDB", "ReadThrottleEvents", NULL, false, false, false},
	{SG_PLAN_ALARM_INDEX_WRITE_THROTTLES, "write-throttles", "WriteThrottlesAlarm", "AWS/DynamoDB", "WriteThrottleEvents", NULL, false, false, false},
	{SG_PLAN_ALARM_STREAM_ITERATOR_AGE, "iterator-age", "IteratorAgeAlarm", "AWS/Lambda", "IteratorAge", NULL, false, true, true},
	{SG_PLAN_ALARM_QUEUE_FAILED_RECORDS, "failed-records", "FailedRecordsAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", NULL, false, true, false},
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
	} else if (k->maximum) {
		al->statistic = "Maximum";
		al->unit = k->ms ? "Milliseconds" : NULL;
		al->comparison = k->ms ? "GreaterThanThreshold" : "GreaterThanOrEqualToThreshold";
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
	bool ms = k->p99 || k->ms;
	al->description = sg_arena_printf(a, "%s %s of %s %s %lld%s over %lld x %lld s",
		al->metric, al->extended_statistic ? al->extended_statistic
			  : k->maximum ? "maximum" : "sum", subject,
		ms ? ">" : ">=", (long long)al->threshold, ms ? " ms" : "",
		(long long)al->evaluation_periods, (long long)al->period);
	return al;
}

static void dim(sg_plan_alarm *al, const char *name, sg_plan_value v)
{
	al->dimensions[al->dimension_count].name = name;
	al->dimensions[al->dimension_count++].value = v;
}

/* A rule of alarms.streams, or its built-in default. */
static sg_alarm_rule stream_rule(const sg_alarm_rule *given, int64_t threshold, int64_t period)
{
	if (given->set)
		return *given;
	sg_alarm_rule r;
	memset(&r, 0, sizeof(r));
	r.set = true;
	r.threshold.set = true;
	r.threshold.v = threshold;
	r.period.set = true;
	r.period.v = period;
	return r;
}

/*
 * Stream functions always get their two alarms, whether or not the spec
 * has `alarms:`: a stream that stops draining, or records given up on,
 * fail silently otherwise.  alarms.streams changes the thresholds.
 */
static void build_stream_alarms(sg_plan_ctx *ctx, const sg_plan_function *f)
{
	const sg_alarms *sa = &ctx->spec->alarms;
	if (f->event_count == 0)
		return;
	sg_alarm_rule age = stream_rule(&sa->stream_iterator_age, SG_PLAN_DEFAULT_ITERATOR_AGE_MS,
					SG_PLAN_DEFAULT_ALARM_PERIOD);
	sg_plan_alarm *al = add_alarm(ctx, &kinds[10], &age, f->name, f->name);
	al->function = f;
	sg_plan_value v = {.kind = SG_PLAN_VAL_FUNCTION_NAME, .text = f->physical_name, .function = f};
	dim(al, "FunctionName", v);

	sg_alarm_rule failed = stream_rule(&sa->stream_failed_records, SG_PLAN_DEFAULT_FAILED_RECORDS,
					   SG_PLAN_DEFAULT_FAILED_PERIOD);
	for (size_t e = 0; e < f->event_count; e++) {
		const sg_plan_queue *q = f->events[e].on_failure;
		if (!q)
			continue;
		const char *subject = sg_arena_printf(ctx->arena, "%s-%s", f->name,
						      f->events[e].table->name);
		sg_plan_alarm *qa = add_alarm(ctx, &kinds[11], &failed, subject,
					      sg_arena_printf(ctx->arena, "%s_%s", f->name,
							      f->events[e].table->name));
		qa->function = f;
		qa->queue = q;
		sg_plan_value qv = {.kind = SG_PLAN_VAL_QUEUE_NAME, .text = q->physical_name,
				    .queue = q};
		dim(qa, "QueueName", qv);
	}
}

void sg_plan__build_alarms(sg_plan_ctx *ctx)
{
	const sg_alarms *sa = &ctx->spec->alarms;
	sg_plan *plan = ctx->plan;
	const sg_alarm_rule *fn_rules[] = {&sa->fn_errors, &sa->fn_throttles, &sa->fn_duration_p99};
	const sg_alarm_rule *api_rules[] = {&sa->api_5xx, &sa->api_4xx, &sa->api_latency_p99};

	size_t cap = plan->function_count * 4 + plan->queue_count + 3;
	for (size_t i = 0; i < plan->table_count; i++)
		cap += 2 + 2 * plan->tables[i].index_count;
	plan->alarms = sg_arena_calloc(ctx->arena, cap, sizeof(*plan->alarms));

	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *f = &plan->functions[i];
		for (size_t r = 0; r < 3 && sa->present; r++) {
			if (!fn_rules[r]->set)
				continue;
			sg_plan_alarm *al = add_alarm(ctx, &kinds[r], fn_rules[r], f->name, f->name);
			al->function = f;
			sg_plan_value v = {.kind = SG_PLAN_VAL_FUNCTION_NAME, .text = f->physical_name,
					   .function = f};
			dim(al, "FunctionName", v);
		}
		build_stream_alarms(ctx, f);
	}
	if (!sa->present)
		return;

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
			sg_plan_value tv = {.kind = SG_PLAN_VAL_TABLE_NAME, .text = t->physical_name,
					    .table = t};
			for (size_t r = 0; r < 2; r++) {
				sg_plan_alarm *al = add_alarm(ctx, &kinds[6 + r], &sa->table_throttles,
							      t->name, t->logical_id);
				al->table = t;
				dim(al, "TableName", tv);
			}
			/* An index throttles on its own capacity (and throttles
			 * the table's writes with it): its metrics carry
			 * GlobalSecondaryIndexName and are not in the table's. */
			for (size_t x = 0; x < t->index_count; x++) {
				const sg_plan_index *ix = &t->indexes[x];
				const char *subject = sg_arena_printf(ctx->arena, "%s-%s", t->name, ix->name);
				const char *id = sg_arena_printf(ctx->arena, "%s_%s_index", t->name, ix->name);
				for (size_t r = 0; r < 2; r++) {
					sg_plan_alarm *al = add_alarm(ctx, &kinds[8 + r], &sa->table_throttles,
								      subject, id);
					al->table = t;
					al->index = ix;
					dim(al, "TableName", tv);
					sg_plan_value iv = {.kind = SG_PLAN_VAL_LITERAL, .text = ix->name};
					dim(al, "GlobalSecondaryIndexName", iv);
				}
			}
		}
}
