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
 *   - an error (function error, crash, timeout) retries the batch, at most
 *     `retries` times when the mapping sets MaximumRetryAttempts (else
 *     until the records would expire), then discards it: the generated
 *     mapping has no on-failure destination, so the records are logged as
 *     lost, as they would be;
 *   - batchItemFailures in the answer count only when the mapping reports
 *     batch item failures (FunctionResponseTypes ReportBatchItemFailures);
 *     the generated mapping does not set it, so they are ignored and a
 *     warning says so, as Lambda ignores them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "local_int.h"

/* Whether the generated mapping sets ReportBatchItemFailures: the plan has
 * no such setting, and the emitters write none (so Lambda ignores them). */
static bool reports_item_failures(const sg_plan_event *ev)
{
	(void)ev;
	return false;
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

/* Invoke with `batch` (owned) until it succeeds or its retries are spent. */
static void deliver(local_stream *s, cJSON *batch)
{
	const sg_plan_event *ev = s->event;
	int attempt = 0;
	while (alive(s)) {
		cJSON *event = cJSON_CreateObject();
		cJSON_AddItemReferenceToObject(event, "Records", batch);
		char *text = cJSON_PrintUnformatted(event);
		cJSON_Delete(event);
		local_result res;
		local_fn_invoke(s->fn, text, strlen(text), 0, &res);
		cJSON_free(text);
		bool ok = res.outcome == LOCAL_OUT_OK;
		if (ok) {
			cJSON *ans = cJSON_ParseWithLength(res.payload ? res.payload : "", res.len);
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(ans, "batchItemFailures");
			if (cJSON_IsArray(f) && cJSON_GetArraySize(f) > 0) {
				if (reports_item_failures(ev))
					ok = false; /* retried from the first failed record */
				else
					local_log("[stream] %s: the answer lists %d batchItemFailures, but "
						  "the mapping does not report batch item failures "
						  "(FunctionResponseTypes), so Lambda ignores them and "
						  "moves on",
						  s->fn->name, cJSON_GetArraySize(f));
			}
			cJSON_Delete(ans);
		}
		local_result_free(&res);
		if (ok || res.outcome == LOCAL_OUT_SHUTDOWN)
			break;
		attempt++;
		if (ev->retries_set && attempt > ev->retries) {
			local_log("[stream] %s: batch of %d records failed %d times "
				  "(MaximumRetryAttempts %lld); discarded: the mapping has no "
				  "on-failure destination",
				  s->fn->name, cJSON_GetArraySize(batch), attempt,
				  (long long)ev->retries);
			break;
		}
		local_log("[stream] %s: batch of %d records failed; retry %d", s->fn->name,
			  cJSON_GetArraySize(batch), attempt);
		sleep_ms(s, attempt < 5 ? 200LL << attempt : 6400);
	}
	cJSON_Delete(batch);
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
