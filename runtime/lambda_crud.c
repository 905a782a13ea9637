/*
 * lambda_crud.c - DynamoDB CRUD answered over HTTP (lambda_crud.h).  Part
 * of svcgen's handler runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_crud.h"

static cJSON *attr_value(char type, const char *text)
{
	if (!text)
		return NULL;
	switch (type) {
	case 'N': return lambda_ddb_av_n(text);
	case 'B': return lambda_ddb_av_b(text, strlen(text));
	default: return lambda_ddb_av_s(text);
	}
}

cJSON *lambda_crud_key(const lambda_request *req, const lambda_crud_attr *attrs, size_t count)
{
	cJSON *key = cJSON_CreateObject();
	for (size_t i = 0; key && i < count; i++) {
		const char *v = attrs[i].param ? lambda_path_param(req, attrs[i].param) : attrs[i].value;
		if (!v || !*v || lambda_ddb_av_put(key, attrs[i].name, attr_value(attrs[i].type, v)) != LAMBDA_OK) {
			cJSON_Delete(key);
			return NULL;
		}
	}
	return key;
}

static int missing_table(lambda_response *res)
{
	lambda_log_error("the table's name is not in the environment (TABLE_* variable missing)");
	return lambda_response_message(res, 500, "internal server error");
}

int lambda_crud_error(lambda_response *res, const lambda_aws_error *err, const char *what)
{
	lambda_log_error("%s failed: %s%s%s: %s (HTTP %d, %d attempts, request id %s)", what,
			 lambda_aws_error_kind_name(err->kind), err->code[0] ? " " : "", err->code,
			 err->message, err->status, err->attempts,
			 err->request_id[0] ? err->request_id : "none");
	int status = lambda_aws_http_status(err);
	const char *msg = status == 409 ? "conflict: the item changed or already exists"
			  : status == 429 ? "too many requests"
			  : status == 503 ? "service unavailable"
			  : status == 504 ? "timed out"
					  : "internal server error";
	int rc = lambda_response_message(res, status, msg);
	if (rc == LAMBDA_OK && (status == 429 || status == 503))
		rc = lambda_response_header(res, "Retry-After", "1");
	return rc;
}

/* 200 (or `status`) with `item` (AttributeValues) as plain JSON. */
static int answer_item(lambda_response *res, int status, const cJSON *item)
{
	const char *why = NULL;
	cJSON *plain = lambda_ddb_item_to_plain(item, &why);
	if (!plain) {
		lambda_log_error("cannot answer the item: %s", why);
		return lambda_response_message(res, 500, "internal server error");
	}
	int rc = lambda_response_json(res, status, plain);
	cJSON_Delete(plain);
	return rc;
}

int lambda_crud_get(lambda_response *res, const char *table, cJSON *key)
{
	if (!key) {
		cJSON_Delete(key);
		return lambda_response_message(res, 400, "bad key in the path");
	}
	if (!table) {
		cJSON_Delete(key);
		return missing_table(res);
	}
	cJSON *item = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_get_item(&item, &err, NULL, table, key, false, NULL);
	cJSON_Delete(key);
	if (rc != LAMBDA_OK) {
		rc = lambda_crud_error(res, &err, "GetItem");
	} else if (!item) {
		rc = lambda_response_message(res, 404, "not found");
	} else {
		rc = answer_item(res, 200, item);
	}
	cJSON_Delete(item);
	lambda_aws_error_free(&err);
	return rc;
}

/* The body as a JSON object, or NULL after answering 400. */
static cJSON *body_object(lambda_response *res, const lambda_request *req, int *rc)
{
	cJSON *body = lambda_request_json(req);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		*rc = lambda_response_message(res, 400, "the body must be a JSON object");
		return NULL;
	}
	return body;
}

int lambda_crud_put(lambda_response *res, const lambda_request *req, const char *table,
		    cJSON *key, const lambda_crud_attr *attrs, size_t count, bool create)
{
	int rc = LAMBDA_OK;
	if (!table) {
		cJSON_Delete(key);
		return missing_table(res);
	}
	cJSON *body = body_object(res, req, &rc);
	if (!body) {
		cJSON_Delete(key);
		return rc;
	}
	const char *why = NULL;
	cJSON *item = lambda_ddb_item_from_plain(body, &why);
	cJSON_Delete(body);
	if (!item) {
		cJSON_Delete(key);
		return lambda_response_message(res, 400, why ? why : "the body cannot be stored");
	}
	/* The key from the path wins; without one the body must carry it. */
	for (cJSON *k = key ? key->child : NULL; k; k = k->next)
		lambda_ddb_av_put(item, k->string, cJSON_Duplicate(k, true));
	for (size_t i = 0; !key && i < count; i++) {
		const cJSON *v = lambda_ddb_attr(item, attrs[i].name);
		lambda_ddb_type t = lambda_ddb_av_type(v);
		lambda_ddb_type want = attrs[i].type == 'N' ? LAMBDA_DDB_N : attrs[i].type == 'B' ? LAMBDA_DDB_B : LAMBDA_DDB_S;
		if (t != want) {
			char msg[200];
			snprintf(msg, sizeof(msg), "the body needs the key attribute \"%.100s\" (%s)",
				 attrs[i].name, attrs[i].type == 'N' ? "a number" : "a string");
			cJSON_Delete(item);
			return lambda_response_message(res, 400, msg);
		}
	}
	cJSON_Delete(key);
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	lambda_ddb_expr cond = {0};
	cJSON *names = NULL;
	if (create && count) {
		names = cJSON_CreateObject();
		cJSON_AddStringToObject(names, "#k", attrs[0].name);
		cond.condition = "attribute_not_exists(#k)";
		cond.names = names;
	}
	rc = lambda_ddb_put_item(NULL, &err, NULL, table, item, create && count ? &cond : NULL);
	cJSON_Delete(names);
	if (rc != LAMBDA_OK)
		rc = lambda_crud_error(res, &err, "PutItem");
	else
		rc = answer_item(res, create ? 201 : 200, item);
	cJSON_Delete(item);
	lambda_aws_error_free(&err);
	return rc;
}

int lambda_crud_update(lambda_response *res, const lambda_request *req, const char *table,
		       cJSON *key)
{
	int rc = LAMBDA_OK;
	if (!key)
		return lambda_response_message(res, 400, "bad key in the path");
	if (!table) {
		cJSON_Delete(key);
		return missing_table(res);
	}
	/* No body sets nothing: the answer is the item as it is. */
	cJSON *body = req->body_len ? body_object(res, req, &rc) : cJSON_CreateObject();
	if (!body) {
		cJSON_Delete(key);
		return rc;
	}
	const char *why = NULL;
	cJSON *fields = lambda_ddb_item_from_plain(body, &why);
	cJSON_Delete(body);
	if (!fields) {
		cJSON_Delete(key);
		return lambda_response_message(res, 400, why ? why : "the body cannot be stored");
	}
	cJSON *attrs = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rc = lambda_ddb_update_fields(&attrs, &err, NULL, table, key, fields, true);
	cJSON_Delete(fields);
	cJSON_Delete(key);
	if (rc != LAMBDA_OK && err.kind == LAMBDA_AWS_CONDITION_FAILED)
		rc = lambda_response_message(res, 404, "not found");
	else if (rc != LAMBDA_OK)
		rc = lambda_crud_error(res, &err, "UpdateItem");
	else
		rc = answer_item(res, 200, attrs);
	cJSON_Delete(attrs);
	lambda_aws_error_free(&err);
	return rc;
}

int lambda_crud_delete(lambda_response *res, const char *table, cJSON *key)
{
	if (!key)
		return lambda_response_message(res, 400, "bad key in the path");
	if (!table) {
		cJSON_Delete(key);
		return missing_table(res);
	}
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_delete_item(NULL, &err, NULL, table, key, NULL);
	cJSON_Delete(key);
	if (rc != LAMBDA_OK) {
		rc = lambda_crud_error(res, &err, "DeleteItem");
	} else {
		res->status = 204;
		rc = LAMBDA_OK;
	}
	lambda_aws_error_free(&err);
	return rc;
}

/* limit and next of the query string into `o`; false after answering 400. */
static bool page_params(lambda_response *res, const lambda_request *req, lambda_ddb_query_opts *o,
			cJSON **start, int *rc)
{
	o->limit = 100;
	const char *limit = lambda_query(req, "limit");
	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (*end || n < 1 || n > 1000) {
			*rc = lambda_response_message(res, 400, "limit must be a number from 1 to 1000");
			return false;
		}
		o->limit = (int)n;
	}
	const char *next = lambda_query(req, "next");
	if (next) {
		*start = lambda_ddb_page_token_parse(next);
		if (!*start) {
			*rc = lambda_response_message(res, 400, "next is not a page token");
			return false;
		}
		o->start_key = *start;
	}
	return true;
}

static int answer_page(lambda_response *res, const lambda_ddb_page *page)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(out, "items");
	for (const cJSON *it = page->items->child; items && it; it = it->next) {
		cJSON *plain = lambda_ddb_item_to_plain(it, NULL);
		if (plain)
			cJSON_AddItemToArray(items, plain);
	}
	char *token = lambda_ddb_page_token(page->last_key);
	if (token)
		cJSON_AddStringToObject(out, "next", token);
	else
		cJSON_AddNullToObject(out, "next");
	free(token);
	int rc = items ? lambda_response_json(res, 200, out) : LAMBDA_ENOMEM;
	cJSON_Delete(out);
	return rc;
}

/* What a list request asks, as Query or Scan options; list_free releases
 * what list_opts made. */
typedef struct list_req {
	lambda_ddb_query_opts o;
	cJSON *start, *names, *values;
} list_req;

static void list_free(list_req *l)
{
	cJSON_Delete(l->start);
	cJSON_Delete(l->names);
	cJSON_Delete(l->values);
}

/* The options of a list request; with `pk`, the key condition of a query
 * on it.  False after answering 400 (or failing, `*rc`). */
static bool list_opts(list_req *l, lambda_response *res, const lambda_request *req,
		      const char *index, const char *pk, char pk_type, const char *param, int *rc)
{
	memset(l, 0, sizeof(*l));
	l->o.index = index;
	if (!page_params(res, req, &l->o, &l->start, rc))
		return false;
	if (!pk)
		return true;
	const char *v = param ? lambda_path_param(req, param) : lambda_query(req, pk);
	cJSON *av = attr_value(pk_type, v);
	if (!av) {
		char msg[200];
		snprintf(msg, sizeof(msg), "missing or bad %s \"%.100s\"",
			 param ? "path parameter" : "query parameter", param ? param : pk);
		*rc = lambda_response_message(res, 400, msg);
		return false;
	}
	l->values = cJSON_CreateObject();
	l->names = cJSON_CreateObject();
	if (lambda_ddb_av_put(l->values, ":pk", av) != LAMBDA_OK || !l->names ||
	    !cJSON_AddStringToObject(l->names, "#pk", pk)) {
		*rc = LAMBDA_ENOMEM;
		return false;
	}
	l->o.key_condition = "#pk = :pk";
	l->o.expr.names = l->names;
	l->o.expr.values = l->values;
	return true;
}

/* The answer to a list call that returned `rc`. */
static int list_answer(lambda_response *res, int rc, lambda_ddb_page *page,
		       lambda_aws_error *err, const char *what)
{
	if (rc != LAMBDA_OK) {
		rc = lambda_crud_error(res, err, what);
	} else {
		rc = answer_page(res, page);
		lambda_ddb_page_free(page);
	}
	lambda_aws_error_free(err);
	return rc;
}

/* Each of these makes one kind of call, and only that: the IAM action
 * a scaffold is granted is visible at its call site. */
int lambda_crud_query(lambda_response *res, const lambda_request *req, const char *table,
		      const char *index, const char *pk, char pk_type, const char *param)
{
	int rc = LAMBDA_OK;
	if (!table)
		return missing_table(res);
	if (!pk) {
		lambda_log_error("a query needs the name of the partition key");
		return lambda_response_message(res, 500, "internal server error");
	}
	list_req l;
	if (!list_opts(&l, res, req, index, pk, pk_type, param, &rc)) {
		list_free(&l);
		return rc;
	}
	lambda_ddb_page page;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rc = lambda_ddb_query(&page, &err, NULL, table, &l.o);
	list_free(&l);
	return list_answer(res, rc, &page, &err, "Query");
}

int lambda_crud_scan(lambda_response *res, const lambda_request *req, const char *table,
		     const char *index)
{
	int rc = LAMBDA_OK;
	if (!table)
		return missing_table(res);
	list_req l;
	if (!list_opts(&l, res, req, index, NULL, 'S', NULL, &rc)) {
		list_free(&l);
		return rc;
	}
	lambda_ddb_page page;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rc = lambda_ddb_scan(&page, &err, NULL, table, &l.o);
	list_free(&l);
	return list_answer(res, rc, &page, &err, "Scan");
}

int lambda_crud_publish_record(lambda_aws_error *err, const char *topic_arn,
			       const lambda_stream_record *rec)
{
	if (!topic_arn) {
		lambda_log_error("the topic's ARN is not in the environment (TOPIC_* variable missing)");
		if (err) {
			lambda_aws_error_free(err);
			err->kind = LAMBDA_AWS_CONFIG;
			snprintf(err->message, sizeof(err->message), "no topic ARN");
		}
		return LAMBDA_EAWS;
	}
	/* The table's name: arn:...:table/<name>/stream/<label>. */
	char table[256] = "";
	const char *t = rec->event_source_arn ? strstr(rec->event_source_arn, ":table/") : NULL;
	if (t) {
		t += 7;
		size_t n = strcspn(t, "/");
		snprintf(table, sizeof(table), "%.*s", (int)(n < 255 ? n : 255), t);
	}
	cJSON *msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "eventName", rec->event_name ? rec->event_name : "");
	cJSON_AddStringToObject(msg, "eventID", rec->event_id ? rec->event_id : "");
	cJSON_AddStringToObject(msg, "table", table);
	const cJSON *images[] = {rec->keys, rec->new_image, rec->old_image};
	const char *names[] = {"keys", "newImage", "oldImage"};
	for (int i = 0; i < 3; i++) {
		cJSON *plain = images[i] ? lambda_ddb_item_to_plain(images[i], NULL) : NULL;
		if (plain)
			cJSON_AddItemToObject(msg, names[i], plain);
		else
			cJSON_AddNullToObject(msg, names[i]);
	}
	char *text = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (!text)
		return LAMBDA_ENOMEM;
	lambda_sns_attribute attr = {"eventName", "String", rec->event_name ? rec->event_name : "UNKNOWN", 0};
	lambda_sns_publish_opts opts = {.attributes = &attr, .attribute_count = 1};
	size_t n = strlen(topic_arn);
	if (n > 5 && !strcmp(topic_arn + n - 5, ".fifo")) {
		opts.group_id = table[0] ? table : "stream";
		opts.deduplication_id = rec->event_id;
	}
	int rc = lambda_sns_publish(NULL, err, NULL, topic_arn, text, &opts);
	free(text);
	return rc;
}
