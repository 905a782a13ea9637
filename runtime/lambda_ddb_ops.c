/*
 * lambda_ddb_ops.c - DynamoDB operations (Amazon DynamoDB API Reference,
 * "Actions"): the generic call and the typed helpers of lambda_ddb.h,
 * each building the request JSON the API Reference documents.  Part of
 * svcgen's handler runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_ddb.h"

int lambda_ddb_call(cJSON **response, lambda_aws_error *err, lambda_aws *aws, const char *operation,
		    const cJSON *request)
{
	*response = NULL;
	char target[96];
	if (!operation || strlen(operation) > 64 || strpbrk(operation, "\r\n: ")) {
		if (err) {
			lambda_aws_error_free(err);
			err->kind = LAMBDA_AWS_INVALID_ARGUMENT;
			snprintf(err->message, sizeof(err->message), "not a DynamoDB operation name");
		}
		return LAMBDA_EAWS;
	}
	snprintf(target, sizeof(target), "DynamoDB_20120810.%s", operation);
	return lambda_aws_call_json(response, err, aws, "dynamodb", target, request);
}

/* ---- request building -------------------------------------------------------------- */

static int nomem(lambda_aws_error *err)
{
	if (err) {
		lambda_aws_error_free(err);
		err->kind = LAMBDA_AWS_NOMEM;
		snprintf(err->message, sizeof(err->message), "out of memory");
	}
	return LAMBDA_EAWS;
}

static int invalid(lambda_aws_error *err, const char *what)
{
	if (err) {
		lambda_aws_error_free(err);
		err->kind = LAMBDA_AWS_INVALID_ARGUMENT;
		snprintf(err->message, sizeof(err->message), "%s", what);
	}
	return LAMBDA_EAWS;
}

/* Add a copy of `v` (may be NULL: nothing) as `name`. */
static bool add_copy(cJSON *o, const char *name, const cJSON *v)
{
	if (!v)
		return true;
	cJSON *c = cJSON_Duplicate(v, true);
	if (!c || !cJSON_AddItemToObject(o, name, c)) {
		cJSON_Delete(c);
		return false;
	}
	return true;
}

static bool add_str(cJSON *o, const char *name, const char *s)
{
	return !s || cJSON_AddStringToObject(o, name, s) != NULL;
}

/* The expression members of `e` (may be NULL) on request `r`; `cond` says
 * whether ConditionExpression applies, `proj` ProjectionExpression. */
static bool add_expr(cJSON *r, const lambda_ddb_expr *e, bool cond, bool proj, const char **why)
{
	if (!e)
		return true;
	if ((cond && !add_str(r, "ConditionExpression", e->condition)) ||
	    (proj && !add_str(r, "ProjectionExpression", e->projection)) ||
	    !add_copy(r, "ExpressionAttributeNames", e->names))
		return false;
	if (e->values && e->plain_values) {
		*why = "give values or plain_values, not both";
		return false;
	}
	if (e->plain_values) {
		cJSON *v = lambda_ddb_item_from_plain(e->plain_values, why);
		if (!v || !cJSON_AddItemToObject(r, "ExpressionAttributeValues", v)) {
			cJSON_Delete(v);
			return false;
		}
		return true;
	}
	return add_copy(r, "ExpressionAttributeValues", e->values);
}

static cJSON *table_request(const char *table)
{
	cJSON *r = cJSON_CreateObject();
	if (r && !cJSON_AddStringToObject(r, "TableName", table)) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* Call, free the request, and move member `member` of the answer (or
 * NULL when absent) into `*out` (may be NULL). */
static int call_take(cJSON **out, lambda_aws_error *err, lambda_aws *aws, const char *op,
		     cJSON *req, const char *member)
{
	if (out)
		*out = NULL;
	cJSON *res = NULL;
	int rc = lambda_ddb_call(&res, err, aws, op, req);
	cJSON_Delete(req);
	if (rc != LAMBDA_OK)
		return rc;
	if (out && member) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(res, member);
		/* Item and Attributes are maps, Responses a list: a member of
		 * another shape is a broken answer, never handed to the caller
		 * as if it were one. */
		bool list = !strcmp(member, "Responses");
		if (m && !(list ? cJSON_IsArray(m) : cJSON_IsObject(m))) {
			cJSON_Delete(res);
			if (err) {
				lambda_aws_error_free(err);
				err->kind = LAMBDA_AWS_BAD_RESPONSE;
				snprintf(err->message, sizeof(err->message), "%s answered %s that %s",
					 op, member, list ? "is not a list" : "is not a map");
			}
			return LAMBDA_EAWS;
		}
		if (m)
			*out = cJSON_DetachItemViaPointer(res, m);
	}
	cJSON_Delete(res);
	return LAMBDA_OK;
}

/* ---- single items ------------------------------------------------------------------ */

int lambda_ddb_get_item(cJSON **item, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const cJSON *key, bool consistent_read, const lambda_ddb_expr *expr)
{
	*item = NULL;
	if (!table || !cJSON_IsObject(key))
		return invalid(err, "GetItem needs a table and a key object");
	const char *why = "out of memory";
	cJSON *r = table_request(table);
	if (!r || !add_copy(r, "Key", key) ||
	    (consistent_read && !cJSON_AddTrueToObject(r, "ConsistentRead")) ||
	    !add_expr(r, expr, false, true, &why)) {
		cJSON_Delete(r);
		return r ? invalid(err, why) : nomem(err);
	}
	return call_take(item, err, aws, "GetItem", r, "Item");
}

int lambda_ddb_put_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const cJSON *item, const lambda_ddb_expr *expr)
{
	if (old)
		*old = NULL;
	if (!table || !cJSON_IsObject(item))
		return invalid(err, "PutItem needs a table and an item object");
	const char *why = "out of memory";
	cJSON *r = table_request(table);
	if (!r || !add_copy(r, "Item", item) || !add_expr(r, expr, true, false, &why) ||
	    (old && !cJSON_AddStringToObject(r, "ReturnValues", "ALL_OLD"))) {
		cJSON_Delete(r);
		return r ? invalid(err, why) : nomem(err);
	}
	return call_take(old, err, aws, "PutItem", r, "Attributes");
}

int lambda_ddb_update_item(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
			   const cJSON *key, const char *update, const lambda_ddb_expr *expr)
{
	if (attrs)
		*attrs = NULL;
	if (!table || !cJSON_IsObject(key))
		return invalid(err, "UpdateItem needs a table and a key object");
	const char *why = "out of memory";
	cJSON *r = table_request(table);
	if (!r || !add_copy(r, "Key", key) || !add_str(r, "UpdateExpression", update) ||
	    !add_expr(r, expr, true, false, &why) ||
	    (attrs && !cJSON_AddStringToObject(r, "ReturnValues", "ALL_NEW"))) {
		cJSON_Delete(r);
		return r ? invalid(err, why) : nomem(err);
	}
	return call_take(attrs, err, aws, "UpdateItem", r, "Attributes");
}

int lambda_ddb_update_fields(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
			     const cJSON *key, const cJSON *fields, bool must_exist)
{
	if (attrs)
		*attrs = NULL;
	if (!cJSON_IsObject(key) || !key->child || !cJSON_IsObject(fields))
		return invalid(err, "UpdateItem needs a key and an object of fields");
	lambda_strbuf set = LAMBDA_STRBUF_INIT;
	cJSON *names = cJSON_CreateObject();
	cJSON *values = cJSON_CreateObject();
	bool ok = names && values;
	int n = 0;
	for (const cJSON *f = fields->child; ok && f; f = f->next) {
		if (cJSON_GetObjectItemCaseSensitive(key, f->string))
			continue; /* a key attribute cannot be SET */
		char nm[24], vl[24];
		snprintf(nm, sizeof(nm), "#f%d", n);
		snprintf(vl, sizeof(vl), ":f%d", n);
		n++;
		ok = lambda_strbuf_printf(&set, "%s%s = %s", n > 1 ? ", " : "SET ", nm, vl) ==
			     LAMBDA_OK &&
		     cJSON_AddStringToObject(names, nm, f->string) && add_copy(values, vl, f);
	}
	/* Nothing to set: no UpdateExpression at all (an UpdateItem with
	 * only its key still checks the condition and answers the item; a
	 * SET of a key attribute, even to itself, is refused). */
	if (ok && must_exist)
		ok = cJSON_AddStringToObject(names, "#k0", key->child->string) != NULL;
	int rc;
	if (!ok) {
		rc = nomem(err);
	} else {
		lambda_ddb_expr e = {
			.condition = must_exist ? "attribute_exists(#k0)" : NULL,
			.names = names->child ? names : NULL,
			.values = n ? values : NULL,
		};
		rc = lambda_ddb_update_item(attrs, err, aws, table, key, n ? set.ptr : NULL, &e);
	}
	lambda_strbuf_free(&set);
	cJSON_Delete(names);
	cJSON_Delete(values);
	return rc;
}

int lambda_ddb_delete_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
			   const cJSON *key, const lambda_ddb_expr *expr)
{
	if (old)
		*old = NULL;
	if (!table || !cJSON_IsObject(key))
		return invalid(err, "DeleteItem needs a table and a key object");
	const char *why = "out of memory";
	cJSON *r = table_request(table);
	if (!r || !add_copy(r, "Key", key) || !add_expr(r, expr, true, false, &why) ||
	    (old && !cJSON_AddStringToObject(r, "ReturnValues", "ALL_OLD"))) {
		cJSON_Delete(r);
		return r ? invalid(err, why) : nomem(err);
	}
	return call_take(old, err, aws, "DeleteItem", r, "Attributes");
}

/* ---- queries and scans ---------------------------------------------------------------- */

void lambda_ddb_page_free(lambda_ddb_page *page)
{
	if (!page)
		return;
	cJSON_Delete(page->response);
	memset(page, 0, sizeof(*page));
}

static int page_call(lambda_ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *op,
		     const char *table, const lambda_ddb_query_opts *o)
{
	memset(page, 0, sizeof(*page));
	bool query = !strcmp(op, "Query");
	if (!table || (query && (!o || !o->key_condition)))
		return invalid(err, query ? "Query needs a table and a key condition"
					  : "Scan needs a table");
	const char *why = "out of memory";
	cJSON *r = table_request(table);
	bool ok = r != NULL;
	if (ok && o) {
		ok = add_str(r, "IndexName", o->index) &&
		     (!query || add_str(r, "KeyConditionExpression", o->key_condition)) &&
		     add_str(r, "FilterExpression", o->filter) &&
		     add_expr(r, &o->expr, false, true, &why) &&
		     (o->limit <= 0 || cJSON_AddNumberToObject(r, "Limit", o->limit)) &&
		     (!query || !o->descending || cJSON_AddFalseToObject(r, "ScanIndexForward")) &&
		     (!o->consistent_read || cJSON_AddTrueToObject(r, "ConsistentRead")) &&
		     add_copy(r, "ExclusiveStartKey", o->start_key);
	}
	if (!ok) {
		cJSON_Delete(r);
		return r ? invalid(err, why) : nomem(err);
	}
	cJSON *res = NULL;
	int rc = lambda_ddb_call(&res, err, aws, op, r);
	cJSON_Delete(r);
	if (rc != LAMBDA_OK)
		return rc;
	cJSON *items = cJSON_GetObjectItemCaseSensitive(res, "Items");
	if (!items) {
		items = cJSON_AddArrayToObject(res, "Items");
		if (!items) {
			cJSON_Delete(res);
			return nomem(err);
		}
	}
	if (!cJSON_IsArray(items)) {
		cJSON_Delete(res);
		if (err) {
			lambda_aws_error_free(err);
			err->kind = LAMBDA_AWS_BAD_RESPONSE;
			snprintf(err->message, sizeof(err->message), "%s answered Items that are not a list",
				 op);
		}
		return LAMBDA_EAWS;
	}
	page->response = res;
	page->items = items;
	page->count = (size_t)cJSON_GetArraySize(items);
	cJSON *last = cJSON_GetObjectItemCaseSensitive(res, "LastEvaluatedKey");
	page->last_key = cJSON_IsObject(last) ? last : NULL;
	return LAMBDA_OK;
}

int lambda_ddb_query(lambda_ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
		     const lambda_ddb_query_opts *opts)
{
	return page_call(page, err, aws, "Query", table, opts);
}

int lambda_ddb_scan(lambda_ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
		    const lambda_ddb_query_opts *opts)
{
	return page_call(page, err, aws, "Scan", table, opts);
}

static int all_pages(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *op,
		     const char *table, const lambda_ddb_query_opts *opts, size_t max_items)
{
	*items = cJSON_CreateArray();
	if (!*items)
		return nomem(err);
	lambda_ddb_query_opts o;
	memset(&o, 0, sizeof(o));
	if (opts)
		o = *opts;
	cJSON *start = NULL;
	size_t n = 0;
	for (;;) {
		o.start_key = start;
		lambda_ddb_page page;
		int rc = page_call(&page, err, aws, op, table, &o);
		cJSON_Delete(start);
		start = NULL;
		if (rc != LAMBDA_OK) {
			cJSON_Delete(*items);
			*items = NULL;
			return rc;
		}
		while (page.items->child && (max_items == 0 || n < max_items)) {
			cJSON *it = cJSON_DetachItemViaPointer(page.items, page.items->child);
			cJSON_AddItemToArray(*items, it);
			n++;
		}
		if (page.last_key && (max_items == 0 || n < max_items))
			start = cJSON_Duplicate(page.last_key, true);
		bool more = page.last_key && (max_items == 0 || n < max_items);
		lambda_ddb_page_free(&page);
		if (!more)
			return LAMBDA_OK;
		if (!start) {
			cJSON_Delete(*items);
			*items = NULL;
			return nomem(err);
		}
	}
}

int lambda_ddb_query_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
			 const lambda_ddb_query_opts *opts, size_t max_items)
{
	return all_pages(items, err, aws, "Query", table, opts, max_items);
}

int lambda_ddb_scan_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const lambda_ddb_query_opts *opts, size_t max_items)
{
	return all_pages(items, err, aws, "Scan", table, opts, max_items);
}

/* ---- page tokens ---------------------------------------------------------------------- */

char *lambda_ddb_page_token(const cJSON *last_key)
{
	if (!last_key)
		return NULL;
	char *json = cJSON_PrintUnformatted(last_key);
	if (!json)
		return NULL;
	char *b64 = lambda_base64_encode(json, strlen(json));
	free(json);
	if (!b64)
		return NULL;
	/* base64url without padding: safe in a query string as it is. */
	size_t n = strlen(b64);
	while (n && b64[n - 1] == '=')
		b64[--n] = '\0';
	for (char *p = b64; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	return b64;
}

cJSON *lambda_ddb_page_token_parse(const char *token)
{
	if (!token || !*token || strlen(token) > 8192)
		return NULL;
	size_t n = strlen(token);
	char *b64 = malloc(n + 4);
	if (!b64)
		return NULL;
	for (size_t i = 0; i < n; i++)
		b64[i] = token[i] == '-' ? '+' : token[i] == '_' ? '/' : token[i];
	while (n % 4)
		b64[n++] = '=';
	b64[n] = '\0';
	lambda_pool *pool = lambda_pool_new();
	char *json = NULL;
	size_t len = 0;
	cJSON *key = NULL;
	if (pool && lambda_base64_decode(&json, &len, pool, b64, n) == LAMBDA_OK)
		key = cJSON_ParseWithLength(json, len);
	lambda_pool_free(pool);
	free(b64);
	/* A key is an object of AttributeValues, nothing else. */
	for (const cJSON *c = cJSON_IsObject(key) ? key->child : NULL; c; c = c->next)
		if (lambda_ddb_av_type(c) == LAMBDA_DDB_INVALID) {
			cJSON_Delete(key);
			return NULL;
		}
	if (key && (!cJSON_IsObject(key) || !key->child)) {
		cJSON_Delete(key);
		return NULL;
	}
	return key;
}

/* ---- batches --------------------------------------------------------------------- */

/* Merge the Responses {"t": [items]} of `res` into `acc`. */
static void merge_responses(cJSON *acc, cJSON *res)
{
	cJSON *r = cJSON_GetObjectItemCaseSensitive(res, "Responses");
	for (cJSON *t = r ? r->child : NULL; t; t = t->next) {
		if (!cJSON_IsArray(t))
			continue;
		cJSON *list = cJSON_GetObjectItemCaseSensitive(acc, t->string);
		if (!list)
			list = cJSON_AddArrayToObject(acc, t->string);
		while (list && t->child)
			cJSON_AddItemToArray(list, cJSON_DetachItemViaPointer(t, t->child));
	}
}

/* Batch calls: send, then send what stayed unprocessed again, with the
 * retry mode's backoff, within its attempts and the deadline. */
static int batch(cJSON **responses, lambda_aws_error *err, lambda_aws *aws, const char *op,
		 const cJSON *request_items, const char *unprocessed)
{
	if (!cJSON_IsObject(request_items) || !request_items->child)
		return invalid(err, "a batch needs request items");
	if (responses && !(*responses = cJSON_CreateObject()))
		return nomem(err);
	cJSON *pending = cJSON_Duplicate(request_items, true);
	lambda_aws_retry retry;
	lambda_aws_retry_init(&retry, lambda_aws_max_attempts(aws));
	for (int attempt = 1; pending; attempt++) {
		cJSON *req = cJSON_CreateObject();
		if (!req || !cJSON_AddItemToObject(req, "RequestItems", pending)) {
			cJSON_Delete(req);
			cJSON_Delete(pending);
			return nomem(err);
		}
		cJSON *res = NULL;
		int rc = lambda_ddb_call(&res, err, aws, op, req);
		cJSON_Delete(req);
		pending = NULL;
		if (rc != LAMBDA_OK)
			return rc;
		if (responses)
			merge_responses(*responses, res);
		cJSON *left = cJSON_GetObjectItemCaseSensitive(res, unprocessed);
		if (cJSON_IsObject(left) && left->child)
			pending = cJSON_DetachItemViaPointer(res, left);
		cJSON_Delete(res);
		if (!pending)
			return LAMBDA_OK;
		/* Unprocessed work is DynamoDB throttling the batch. */
		lambda_aws_error thr;
		memset(&thr, 0, sizeof(thr));
		thr.kind = LAMBDA_AWS_THROTTLED;
		thr.retryable = true;
		if (lambda_aws_backoff(aws, &retry, &thr, attempt) != LAMBDA_OK) {
			cJSON_Delete(pending);
			if (err) {
				lambda_aws_error_free(err);
				err->kind = LAMBDA_AWS_THROTTLED;
				err->attempts = attempt;
				snprintf(err->code, sizeof(err->code), "%s", unprocessed);
				snprintf(err->message, sizeof(err->message),
					 "%s: items stayed unprocessed after %d attempts", op, attempt);
			}
			return LAMBDA_EAWS;
		}
	}
	return LAMBDA_OK;
}

int lambda_ddb_batch_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
			 const cJSON *request_items)
{
	*responses = NULL;
	return batch(responses, err, aws, "BatchGetItem", request_items, "UnprocessedKeys");
}

int lambda_ddb_batch_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *request_items)
{
	return batch(NULL, err, aws, "BatchWriteItem", request_items, "UnprocessedItems");
}

/* ---- transactions ------------------------------------------------------------------ */

int lambda_ddb_transact_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *items,
			      const char *client_token)
{
	if (!cJSON_IsArray(items) || !items->child)
		return invalid(err, "TransactWriteItems needs a list of actions");
	cJSON *r = cJSON_CreateObject();
	if (!r || !add_copy(r, "TransactItems", items) ||
	    !add_str(r, "ClientRequestToken", client_token)) {
		cJSON_Delete(r);
		return nomem(err);
	}
	return call_take(NULL, err, aws, "TransactWriteItems", r, NULL);
}

int lambda_ddb_transact_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
			    const cJSON *items)
{
	*responses = NULL;
	if (!cJSON_IsArray(items) || !items->child)
		return invalid(err, "TransactGetItems needs a list of gets");
	cJSON *r = cJSON_CreateObject();
	if (!r || !add_copy(r, "TransactItems", items)) {
		cJSON_Delete(r);
		return nomem(err);
	}
	int rc = call_take(responses, err, aws, "TransactGetItems", r, "Responses");
	if (rc == LAMBDA_OK && !*responses && !(*responses = cJSON_CreateArray()))
		return nomem(err);
	return rc;
}

static cJSON *tx(const char *action, const char *table, const char *key_member, const cJSON *key,
		 const char *update, const char *condition, const cJSON *names, const cJSON *values)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *a = table_request(table);
	if (!o || !a || !add_copy(a, key_member, key) || !add_str(a, "UpdateExpression", update) ||
	    !add_str(a, "ConditionExpression", condition) ||
	    !add_copy(a, "ExpressionAttributeNames", names) ||
	    !add_copy(a, "ExpressionAttributeValues", values) ||
	    !cJSON_AddItemToObject(o, action, a)) {
		cJSON_Delete(o);
		cJSON_Delete(a);
		return NULL;
	}
	return o;
}

cJSON *lambda_ddb_tx_put(const char *table, const cJSON *item, const char *condition,
			 const cJSON *names, const cJSON *values)
{
	return table && item ? tx("Put", table, "Item", item, NULL, condition, names, values) : NULL;
}

cJSON *lambda_ddb_tx_delete(const char *table, const cJSON *key, const char *condition,
			    const cJSON *names, const cJSON *values)
{
	return table && key ? tx("Delete", table, "Key", key, NULL, condition, names, values) : NULL;
}

cJSON *lambda_ddb_tx_update(const char *table, const cJSON *key, const char *update,
			    const char *condition, const cJSON *names, const cJSON *values)
{
	return table && key && update ? tx("Update", table, "Key", key, update, condition, names, values)
				      : NULL;
}

cJSON *lambda_ddb_tx_condition(const char *table, const cJSON *key, const char *condition,
			       const cJSON *names, const cJSON *values)
{
	return table && key && condition
		       ? tx("ConditionCheck", table, "Key", key, NULL, condition, names, values)
		       : NULL;
}
