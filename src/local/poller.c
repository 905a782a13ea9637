/*
 * poller.c - the DynamoDB stream event source mappings, one thread each,
 * doing what Lambda's poller does (Lambda Developer Guide, "Using AWS
 * Lambda with Amazon DynamoDB", "Lambda event filtering", "Configuring
 * partial batch response"):
 *
 *   - it reads the stream as the function: DescribeStream, GetShardIterator
 *     and GetRecords go through the least-privilege proxy with the
 *     function's credentials, so a policy without the stream permissions
 *     fails here as the mapping fails on AWS;
 *   - starting position LATEST or TRIM_HORIZON, then in order;
 *   - the filter pattern drops records that do not match (they count as
 *     processed);
 *   - batches of at most batch_size records, waiting up to the batching
 *     window for a batch to fill;
 *   - the mapping's settings from the plan, as the template sets them:
 *     ReportBatchItemFailures (a partial batch response retries from the
 *     first failed record; without the setting the list is ignored, with
 *     a warning), BisectBatchOnFunctionError (a failing batch is split in
 *     two, using no retry), MaximumRetryAttempts (-1: until the records
 *     expire), then the on-failure destination: the SQS queue bootstrap
 *     created gets Lambda's invocation record of the part given up on,
 *     sent with the function's credentials (sqs:SendMessage), or the
 *     records are discarded and logged as lost with on_failure: none;
 *   - throttling (reserved concurrency) is retried without using a retry.
 * Not emulated: MaximumRecordAgeInSeconds (the plan sets none), the 24 h
 * expiry of records, ParallelizationFactor, more than one shard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "local_int.h"

/* Whether the mapping sets FunctionResponseTypes [ReportBatchItemFailures]
 * (events[].stream.partial_batch_response, default on). */
static bool reports_item_failures(const sg_plan_event *ev)
{
	return ev->report_batch_item_failures;
}

/* ---- filter patterns (EventBridge syntax, as Lambda filters) ------------------------ */

static bool match_value(const cJSON *rule, const cJSON *v);

/* One element of a pattern's array against a scalar `v` (NULL: absent). */
static bool match_one(const cJSON *rule, const cJSON *v)
{
	if (cJSON_IsObject(rule)) {
		const cJSON *c = rule->child;
		if (!c)
			return false;
		if (!strcmp(c->string, "exists"))
			return cJSON_IsTrue(c) ? v != NULL : v == NULL;
		if (!v)
			return false;
		if (!strcmp(c->string, "prefix"))
			return cJSON_IsString(c) && cJSON_IsString(v) &&
			       !strncmp(v->valuestring, c->valuestring, strlen(c->valuestring));
		if (!strcmp(c->string, "anything-but")) {
			if (cJSON_IsArray(c)) {
				const cJSON *e;
				cJSON_ArrayForEach(e, c) if (match_one(e, v)) return false;
				return true;
			}
			return !match_one(c, v);
		}
		if (!strcmp(c->string, "numeric")) {
			double x;
			if (cJSON_IsNumber(v))
				x = v->valuedouble;
			else if (cJSON_IsString(v))
				x = strtod(v->valuestring, NULL);
			else
				return false;
			const cJSON *op = c->child;
			while (op && op->next) {
				const cJSON *num = op->next;
				if (!cJSON_IsString(op) || !cJSON_IsNumber(num))
					return false;
				const char *o = op->valuestring;
				double y = num->valuedouble;
				bool ok = !strcmp(o, "=") ? x == y : !strcmp(o, "<") ? x < y
					  : !strcmp(o, "<=") ? x <= y : !strcmp(o, ">") ? x > y
					  : !strcmp(o, ">=") ? x >= y : false;
				if (!ok)
					return false;
				op = num->next;
			}
			return true;
		}
		return false;
	}
	if (!v)
		return false;
	if (cJSON_IsString(rule))
		return cJSON_IsString(v) && !strcmp(rule->valuestring, v->valuestring);
	if (cJSON_IsNumber(rule))
		return cJSON_IsNumber(v) && rule->valuedouble == v->valuedouble;
	if (cJSON_IsNull(rule))
		return cJSON_IsNull(v);
	if (cJSON_IsBool(rule))
		return cJSON_IsBool(v) && cJSON_IsTrue(rule) == cJSON_IsTrue(v);
	return false;
}

static bool match_value(const cJSON *rule, const cJSON *v)
{
	if (cJSON_IsObject(rule)) {
		/* Every key of the pattern must match. */
		const cJSON *k;
		cJSON_ArrayForEach(k, rule)
		{
			const cJSON *sub = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, k->string)
							     : NULL;
			if (cJSON_IsObject(k)) {
				if (!cJSON_IsObject(sub) || !match_value(k, sub))
					return false;
			} else if (!match_value(k, sub)) {
				return false;
			}
		}
		return true;
	}
	if (cJSON_IsArray(rule)) {
		const cJSON *e;
		cJSON_ArrayForEach(e, rule)
		{
			if (cJSON_IsArray(v)) {
				const cJSON *x;
				cJSON_ArrayForEach(x, v) if (match_one(e, x)) return true;
			} else if (match_one(e, v)) {
				return true;
			}
		}
		return false;
	}
	return false;
}

/* ---- polling ------------------------------------------------------------------------ */

typedef struct pending {
	cJSON *records;   /* array, owned */
	int64_t first_ms; /* when the oldest pending record arrived (monotonic) */
} pending;

/* A call through the proxy as the mapping's function; the parsed answer. */
static cJSON *stream_call(local_stream *s, const char *op, cJSON *body, bool *denied)
{
	char *b = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	local_reply r;
	char target[64];
	snprintf(target, sizeof(target), "DynamoDBStreams_20120810.%s", op);
	int rc = local_aws_json(s->ctx, s->fn, "dynamodb", target, b, &r);
	cJSON_free(b);
	cJSON *doc = rc == 0 && r.status == 200 ? cJSON_ParseWithLength(r.body, r.len) : NULL;
	*denied = rc == 0 && r.status != 200;
	if (!doc && !(s->ctx->stop && *s->ctx->stop))
		local_log("[stream] %s on %s: %s failed: %.300s", s->fn->name, s->event->table->name,
			  op, rc ? r.error : r.body);
	local_reply_free(&r);
	return doc;
}

static void sleep_ms(local_stream *s, int64_t ms)
{
	int64_t end = local_mono_ms() + ms;
	while (local_mono_ms() < end && !*s->ctx->stop && s->running) {
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static bool alive(local_stream *s)
{
	return !*s->ctx->stop && s->running;
}

/* ---- delivery: retries, partial batch responses, bisection, on-failure ---------- */

/* A part of a batch still to deliver: its records (an owned array), the
 * retries it has used and the invocations its records have been in. */
typedef struct segment {
	cJSON *records;
	int64_t attempts;
	int invokes;
} segment;

static const char *record_seq(const cJSON *rec)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(rec, "dynamodb"), "SequenceNumber");
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * The answer's batchItemFailures against `records`: -1 when the list is
 * absent or empty (a success), the index of the record to retry from (the
 * lowest sequence number listed), or `n` (the record count) when an
 * itemIdentifier is missing, empty or names no record of the batch, which
 * Lambda takes for a failure of the whole batch.
 */
static int first_failed(const cJSON *answer, const cJSON *records)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(answer, "batchItemFailures");
	int n = cJSON_GetArraySize(records);
	if (!cJSON_IsArray(f) || !cJSON_GetArraySize(f))
		return -1;
	int lowest = n;
	const cJSON *e;
	cJSON_ArrayForEach(e, f)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "itemIdentifier");
		if (!cJSON_IsString(id) || !id->valuestring[0])
			return n;
		int at = -1, i = 0;
		const cJSON *rec;
		cJSON_ArrayForEach(rec, records)
		{
			const char *seq = record_seq(rec);
			if (seq && !strcmp(seq, id->valuestring)) {
				at = i;
				break;
			}
			i++;
		}
		if (at < 0)
			return n;
		if (at < lowest)
			lowest = at; /* records are in sequence order */
	}
	return lowest;
}

/* ISO 8601 UTC of `ms` since the epoch, with milliseconds when `with_ms`. */
static void iso_time(char out[32], int64_t ms, bool with_ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	if (with_ms)
		snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
	else
		snprintf(out + n, 32 - n, "Z");
}

static int64_t arrival_ms(const cJSON *rec)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(rec, "dynamodb"), "ApproximateCreationDateTime");
	return cJSON_IsNumber(v) ? (int64_t)(v->valuedouble * 1000) : local_now_ms();
}

/*
 * What the mapping gives up on: with an on-failure queue, the invocation
 * record Lambda sends for a stream source (Lambda Developer Guide,
 * "Retaining discarded records for a DynamoDB event source"): the
 * request and response context and DDBStreamBatchInfo (shard, first and
 * last sequence numbers, arrival times, size, stream), never the records
 * themselves.  Sent with the function's credentials through the proxy, as
 * Lambda sends it with the execution role (sqs:SendMessage).
 */
static void give_up(local_stream *s, const segment *seg, const char *request_id,
		    bool function_error)
{
	const sg_plan_event *ev = s->event;
	int n = cJSON_GetArraySize(seg->records);
	const char *url = NULL;
	const sg_plan *plan = s->ctx->plan;
	for (size_t i = 0; ev->on_failure && i < plan->queue_count; i++)
		if (&plan->queues[i] == ev->on_failure)
			url = s->ctx->queue_urls[i];
	if (!url) {
		local_log("[stream] %s: batch of %d records failed %lld times (MaximumRetryAttempts "
			  "%lld); discarded: the mapping has no on-failure destination",
			  s->fn->name, n, (long long)seg->attempts, (long long)ev->retries);
		return;
	}
	const cJSON *first = cJSON_GetArrayItem(seg->records, 0);
	const cJSON *last = cJSON_GetArrayItem(seg->records, n - 1);
	char t_now[32], t_first[32], t_last[32];
	iso_time(t_now, local_now_ms(), true);
	iso_time(t_first, arrival_ms(first), false);
	iso_time(t_last, arrival_ms(last), false);
	cJSON *o = cJSON_CreateObject();
	cJSON *rq = cJSON_AddObjectToObject(o, "requestContext");
	cJSON_AddStringToObject(rq, "requestId", request_id);
	cJSON_AddStringToObject(rq, "functionArn", s->fn->arn);
	cJSON_AddStringToObject(rq, "condition", "RetryAttemptsExhausted");
	cJSON_AddNumberToObject(rq, "approximateInvokeCount", seg->invokes);
	cJSON *rs = cJSON_AddObjectToObject(o, "responseContext");
	cJSON_AddNumberToObject(rs, "statusCode", 200);
	cJSON_AddStringToObject(rs, "executedVersion", "$LATEST");
	if (function_error)
		cJSON_AddStringToObject(rs, "functionError", "Unhandled");
	cJSON_AddStringToObject(o, "version", "1.0");
	cJSON_AddStringToObject(o, "timestamp", t_now);
	cJSON *bi = cJSON_AddObjectToObject(o, "DDBStreamBatchInfo");
	cJSON_AddStringToObject(bi, "shardId", s->shard_id ? s->shard_id : "");
	cJSON_AddStringToObject(bi, "startSequenceNumber", record_seq(first) ? record_seq(first) : "");
	cJSON_AddStringToObject(bi, "endSequenceNumber", record_seq(last) ? record_seq(last) : "");
	cJSON_AddStringToObject(bi, "approximateArrivalOfFirstRecord", t_first);
	cJSON_AddStringToObject(bi, "approximateArrivalOfLastRecord", t_last);
	cJSON_AddNumberToObject(bi, "batchSize", n);
	cJSON_AddStringToObject(bi, "streamArn", s->stream_arn);
	char *msg = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	cJSON *send = cJSON_CreateObject();
	cJSON_AddStringToObject(send, "QueueUrl", url);
	cJSON_AddStringToObject(send, "MessageBody", msg);
	char *body = cJSON_PrintUnformatted(send);
	cJSON_Delete(send);
	cJSON_free(msg);
	local_reply r;
	int rc = local_aws_json(s->ctx, s->fn, "sqs", "AmazonSQS.SendMessage", body, &r);
	cJSON_free(body);
	if (rc == 0 && r.status == 200)
		local_log("[stream] %s: batch of %d records failed %lld times (MaximumRetryAttempts "
			  "%lld); sent to the on-failure queue %s",
			  s->fn->name, n, (long long)seg->attempts, (long long)ev->retries,
			  ev->on_failure->physical_name);
	else
		local_log("[stream] %s: batch of %d records failed %lld times; sending it to the "
			  "on-failure queue %s failed, records lost: %.300s",
			  s->fn->name, n, (long long)seg->attempts, ev->on_failure->physical_name,
			  rc ? r.error : r.body);
	local_reply_free(&r);
}

/* Records [from, end) of `a`, detached into a new array (`a` keeps the rest). */
static cJSON *split_off(cJSON *a, int from)
{
	cJSON *tail = cJSON_CreateArray();
	while (cJSON_GetArraySize(a) > from)
		cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(a, from));
	return tail;
}

/*
 * Deliver `batch` (owned) as Lambda's stream poller does (Lambda Developer
 * Guide, "Configuring partial batch response", "Retaining discarded
 * records"):
 *   - success: done; with ReportBatchItemFailures a non-empty
 *     batchItemFailures checkpoints before the lowest failed record and
 *     retries from it (only it and the records after it), an unusable
 *     itemIdentifier fails the whole batch; without the setting the list
 *     is ignored (logged);
 *   - a function error (error, crash, timeout): with bisection a batch of
 *     two or more records is split in two and the halves delivered in
 *     order, which uses no retry; else a retry;
 *   - throttling (reserved concurrency) happens before the invocation:
 *     retried without using a retry;
 *   - past MaximumRetryAttempts (-1: no limit) the part that failed goes
 *     to the on-failure queue, or is discarded without one.
 */
static void deliver(local_stream *s, cJSON *batch)
{
	const sg_plan_event *ev = s->event;
	size_t cap = 8, n = 1;
	segment *todo = malloc(cap * sizeof(*todo)); /* a stack: todo[n - 1] is next */
	if (!todo) {
		cJSON_Delete(batch);
		return;
	}
	todo[0] = (segment){batch, 0, 0};
	while (n && alive(s)) {
		segment cur = todo[--n];
		bool done = false;
		while (!done && alive(s)) {
			cJSON *event = cJSON_CreateObject();
			cJSON_AddItemReferenceToObject(event, "Records", cur.records);
			char *text = cJSON_PrintUnformatted(event);
			cJSON_Delete(event);
			local_result res;
			local_fn_invoke(s->fn, text, strlen(text), 0, &res);
			cJSON_free(text);
			int size = cJSON_GetArraySize(cur.records);
			bool function_error = false, failed = false;
			if (res.outcome == LOCAL_OUT_SHUTDOWN) {
				local_result_free(&res);
				break;
			}
			if (res.outcome == LOCAL_OUT_THROTTLED) {
				local_result_free(&res);
				local_log("[stream] %s: throttled; the batch of %d records waits", s->fn->name,
					  size);
				sleep_ms(s, 1000);
				continue;
			}
			cur.invokes++;
			if (res.outcome == LOCAL_OUT_OK) {
				cJSON *ans = cJSON_ParseWithLength(res.payload ? res.payload : "", res.len);
				int at = first_failed(ans, cur.records);
				cJSON_Delete(ans);
				if (at >= 0 && !reports_item_failures(ev)) {
					local_log("[stream] %s: the answer lists batchItemFailures, but the "
						  "mapping does not report batch item failures "
						  "(FunctionResponseTypes), so Lambda ignores them and moves on",
						  s->fn->name);
				} else if (at > 0 && at < size) {
					/* Checkpoint before the first failed record. */
					cJSON *rest = split_off(cur.records, at);
					cJSON_Delete(cur.records);
					cur.records = rest;
					local_log("[stream] %s: %d of %d records reported failed; retrying "
						  "from sequence number %s",
						  s->fn->name, size - at, size, record_seq(rest->child));
					failed = true;
				} else if (at >= 0) {
					failed = true;
				}
			} else {
				function_error = failed = true;
			}
			if (!failed) {
				local_result_free(&res);
				cJSON_Delete(cur.records);
				done = true;
				break;
			}
			size = cJSON_GetArraySize(cur.records);
			if (function_error && ev->bisect && size > 1) {
				if (n + 2 > cap) {
					segment *t = realloc(todo, 2 * cap * sizeof(*todo));
					if (!t) {
						local_result_free(&res);
						break; /* cur.records freed below */
					}
					todo = t;
					cap *= 2;
				}
				cJSON *second = split_off(cur.records, size / 2);
				todo[n++] = (segment){second, cur.attempts, cur.invokes};
				todo[n++] = (segment){cur.records, cur.attempts, cur.invokes};
				local_log("[stream] %s: batch of %d records failed; bisected into %d and %d",
					  s->fn->name, size, size / 2, size - size / 2);
				local_result_free(&res);
				done = true;
				break;
			}
			cur.attempts++;
			if (ev->retries >= 0 && cur.attempts > ev->retries) {
				give_up(s, &cur, res.request_id, function_error);
				local_result_free(&res);
				cJSON_Delete(cur.records);
				done = true;
				break;
			}
			local_result_free(&res);
			local_log("[stream] %s: batch of %d records failed; retry %lld", s->fn->name, size,
				  (long long)cur.attempts);
			sleep_ms(s, cur.attempts < 5 ? 200LL << cur.attempts : 6400);
		}
		if (!done)
			cJSON_Delete(cur.records);
	}
	while (n)
		cJSON_Delete(todo[--n].records);
	free(todo);
}

/* Move up to batch_size pending records into a batch, and deliver it. */
static void flush(local_stream *s, pending *p)
{
	int64_t size = s->event->batch_size;
	cJSON *batch = cJSON_CreateArray();
	while (p->records->child && cJSON_GetArraySize(batch) < size)
		cJSON_AddItemToArray(batch, cJSON_DetachItemFromArray(p->records, 0));
	p->first_ms = p->records->child ? local_mono_ms() : 0;
	deliver(s, batch);
}

static void *poller_main(void *arg)
{
	local_stream *s = arg;
	const sg_plan_event *ev = s->event;
	cJSON *pattern = ev->filter_json ? cJSON_Parse(ev->filter_json) : NULL;
	pending p = {cJSON_CreateArray(), 0};
	char *iterator = NULL;
	char *last_seq = NULL;
	bool warned = false;
	int64_t got_iterator_ms = 0;
	while (alive(s)) {
		bool denied = false;
		if (!iterator) {
			cJSON *b = cJSON_CreateObject();
			cJSON_AddStringToObject(b, "StreamArn", s->stream_arn);
			cJSON *d = stream_call(s, "DescribeStream", b, &denied);
			const cJSON *shards = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(d, "StreamDescription"), "Shards");
			const cJSON *sh, *open = NULL;
			cJSON_ArrayForEach(sh, shards) open = sh; /* the newest shard */
			const cJSON *sid = cJSON_GetObjectItemCaseSensitive(open, "ShardId");
			if (cJSON_IsString(sid)) {
				free(s->shard_id);
				s->shard_id = strdup(sid->valuestring);
				b = cJSON_CreateObject();
				cJSON_AddStringToObject(b, "StreamArn", s->stream_arn);
				cJSON_AddStringToObject(b, "ShardId", sid->valuestring);
				if (last_seq) {
					cJSON_AddStringToObject(b, "ShardIteratorType", "AFTER_SEQUENCE_NUMBER");
					cJSON_AddStringToObject(b, "SequenceNumber", last_seq);
				} else {
					cJSON_AddStringToObject(b, "ShardIteratorType",
								ev->starting_position == SG_START_TRIM_HORIZON
									? "TRIM_HORIZON"
									: "LATEST");
				}
				cJSON *it = stream_call(s, "GetShardIterator", b, &denied);
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "ShardIterator");
				if (cJSON_IsString(v))
					iterator = strdup(v->valuestring);
				cJSON_Delete(it);
			}
			cJSON_Delete(d);
			if (!iterator) {
				if (denied && !warned)
					local_log("[stream] %s: the mapping cannot read the stream of table "
						  "'%s' (see the [iam] line above); retrying every 10 s",
						  s->fn->name, ev->table->name);
				warned = true;
				sleep_ms(s, denied ? 10000 : 1000);
				continue;
			}
			if (warned)
				local_log("[stream] %s: reading the stream of table '%s'", s->fn->name,
					  ev->table->name);
			warned = false;
			got_iterator_ms = local_mono_ms();
		}
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "ShardIterator", iterator);
		cJSON_AddNumberToObject(b, "Limit", 1000);
		cJSON *r = stream_call(s, "GetRecords", b, &denied);
		free(iterator);
		iterator = NULL;
		if (!r) {
			sleep_ms(s, 1000);
			continue;
		}
		const cJSON *next = cJSON_GetObjectItemCaseSensitive(r, "NextShardIterator");
		if (cJSON_IsString(next))
			iterator = strdup(next->valuestring);
		cJSON *records = cJSON_GetObjectItemCaseSensitive(r, "Records");
		int got = 0;
		while (records && records->child) {
			cJSON *rec = cJSON_DetachItemFromArray(records, 0);
			const cJSON *seq = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(rec, "dynamodb"), "SequenceNumber");
			if (cJSON_IsString(seq)) {
				free(last_seq);
				last_seq = strdup(seq->valuestring);
			}
			got++;
			if (pattern && !match_value(pattern, rec)) {
				cJSON_Delete(rec);
				continue;
			}
			cJSON_DeleteItemFromObjectCaseSensitive(rec, "eventSourceARN");
			cJSON_AddStringToObject(rec, "eventSourceARN", s->stream_arn);
			if (!p.records->child)
				p.first_ms = local_mono_ms();
			cJSON_AddItemToArray(p.records, rec);
		}
		cJSON_Delete(r);
		int64_t window = ev->batching_window_set ? ev->batching_window * 1000 : 0;
		while (p.records->child &&
		       (cJSON_GetArraySize(p.records) >= ev->batch_size ||
			local_mono_ms() - p.first_ms >= window) &&
		       alive(s))
			flush(s, &p);
		/*
		 * moto rolls a failed TransactWriteItems back by putting back
		 * copies of the tables, stream included: an iterator taken before
		 * reads the old copy, which never gets another record.  So after
		 * a second of nothing the iterator is taken again after the last
		 * record read (or from the trim horizon when none was, which is
		 * where it started), which reads the table's stream as it is now.
		 * With LATEST and no record read yet it is kept: taking LATEST
		 * again could skip a record.
		 */
		if (!got && iterator && local_mono_ms() - got_iterator_ms >= 1000 &&
		    (last_seq || ev->starting_position == SG_START_TRIM_HORIZON)) {
			free(iterator);
			iterator = NULL;
		}
		if (!got)
			sleep_ms(s, 250); /* Lambda polls a shard four times a second */
	}
	free(iterator);
	free(last_seq);
	free(s->shard_id);
	s->shard_id = NULL;
	cJSON_Delete(p.records);
	cJSON_Delete(pattern);
	return NULL;
}

int local_pollers_start(local_ctx *ctx, char *err, size_t err_len)
{
	size_t n = 0;
	for (size_t i = 0; i < ctx->fn_count; i++)
		n += ctx->fns[i].plan->event_count;
	ctx->streams = sg_arena_calloc(ctx->arena, n ? n : 1, sizeof(*ctx->streams));
	for (size_t i = 0; i < ctx->fn_count; i++) {
		local_fn *fn = &ctx->fns[i];
		for (size_t e = 0; e < fn->plan->event_count; e++) {
			const sg_plan_event *ev = &fn->plan->events[e];
			const char *arn = NULL;
			for (size_t t = 0; t < ctx->plan->table_count; t++)
				if (&ctx->plan->tables[t] == ev->table)
					arn = ctx->table_stream_arns[t];
			if (!arn) {
				snprintf(err, err_len, "table %s has no stream for %s", ev->table->name,
					 fn->name);
				return -1;
			}
			local_stream *s = &ctx->streams[ctx->stream_count];
			s->ctx = ctx;
			s->fn = fn;
			s->event = ev;
			s->stream_arn = arn;
			s->running = true;
			if (pthread_create(&s->thread, NULL, poller_main, s) != 0) {
				s->running = false;
				snprintf(err, err_len, "cannot start the stream poller of %s", fn->name);
				return -1;
			}
			ctx->stream_count++;
		}
	}
	return 0;
}

void local_pollers_stop(local_ctx *ctx)
{
	for (size_t i = 0; i < ctx->stream_count; i++)
		ctx->streams[i].running = false;
	for (size_t i = 0; i < ctx->stream_count; i++)
		pthread_join(ctx->streams[i].thread, NULL);
	ctx->stream_count = 0;
}
