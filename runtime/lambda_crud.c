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
	case 'N': return ddb_av_n(text);
	case 'B': return ddb_av_b(text, strlen(text));
	default: return ddb_av_s(text);
	}
}

cJSON *lambda_crud_key(const lambda_request *req, const lambda_crud_attr *attrs, size_t count)
{
	cJSON *key = cJSON_CreateObject();
	for (size_t i = 0; key && i < count; i++) {
		const char *v = attrs[i].param ? lambda_path_param(req, attrs[i].param) : attrs[i].value;
		if (!v || !*v || ddb_av_put(key, attrs[i].name, attr_value(attrs[i].type, v)) != LAMBDA_OK) {
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
	cJSON *plain = ddb_item_to_plain(item, &why);
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
	int rc = ddb_get_item(&item, &err, NULL, table, key, false, NULL);
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
	cJSON *item = ddb_item_from_plain(body, &why);
	cJSON_Delete(body);
	if (!item) {
		cJSON_Delete(key);
		return lambda_response_message(res, 400, why ? why : "the body cannot be stored");
	}
	/* The key from the path wins; without one the body must carry it. */
	for (cJSON *k = key ? key->child : NULL; k; k = k->next)
		ddb_av_put(item, k->string, cJSON_Duplicate(k, true));
	for (size_t i = 0; !key && i < count; i++) {
		const cJSON *v = ddb_attr(item, attrs[i].name);
		ddb_type t = ddb_av_type(v);
		ddb_type want = attrs[i].type == 'N' ? DDB_N : attrs[i].type == 'B' ? DDB_B : DDB_S;
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
	ddb_expr cond = {0};
	cJSON *names = NULL;
	if (create && count) {
		names = cJSON_CreateObject();
		cJSON_AddStringToObject(names, "#k", attrs[0].name);
		cond.condition = "attribute_not_exists(#k)";
		cond.names = names;
	}
	rc = ddb_put_item(NULL, &err, NULL, table, item, create && count ? &cond : NULL);
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
	cJSON *fields = ddb_item_from_plain(body, &why);
	cJSON_Delete(body);
	if (!fields) {
		cJSON_Delete(key);
		return lambda_response_message(res, 400, why ? why : "the body cannot be stored");
	}
	cJSON *attrs = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rc = ddb_update_fields(&attrs, &err, NULL, table, key, fields, true);
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
	int rc = ddb_delete_item(NULL, &err, NULL, table, key, NULL);
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
static bool page_params(lambda_response *res, const lambda_request *req, ddb_query_opts *o,
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
		*start = ddb_page_token_parse(next);
		if (!*start) {
			*rc = lambda_response_message(res, 400, "next is not a page token");
			return false;
		}
		o->start_key = *start;
	}
	return true;
}

static int answer_page(lambda_response *res, const ddb_page *page)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(out, "items");
	for (const cJSON *it = page->items->child; items && it; it = it->next) {
		cJSON *plain = ddb_item_to_plain(it, NULL);
		if (plain)
			cJSON_AddItemToArray(items, plain);
	}
	char *token = ddb_page_token(page->last_key);
	if (token)
		cJSON_AddStringToObject(out, "next", token);
	else
		cJSON_AddNullToObject(out, "next");
	free(token);
	int rc = items ? lambda_response_json(res, 200, out) : LAMBDA_ENOMEM;
	cJSON_Delete(out);
	return rc;
}

static int list(lambda_response *res, const lambda_request *req, const char *table,
		const char *index, const char *pk, char pk_type, const char *param, bool query)
{
	int rc = LAMBDA_OK;
	if (!table)
		return missing_table(res);
	ddb_query_opts o;
	memset(&o, 0, sizeof(o));
	o.index = index;
	cJSON *start = NULL, *names = NULL, *values = NULL;
	if (!page_params(res, req, &o, &start, &rc))
		return rc;
	if (query) {
		const char *v = param ? lambda_path_param(req, param) : lambda_query(req, pk);
		cJSON *av = attr_value(pk_type, v);
		if (!av) {
			cJSON_Delete(start);
			char msg[200];
			snprintf(msg, sizeof(msg), "missing or bad %s \"%.100s\"",
				 param ? "path parameter" : "query parameter", param ? param : pk);
			return lambda_response_message(res, 400, msg);
		}
		names = cJSON_CreateObject();
		values = cJSON_CreateObject();
		cJSON_AddStringToObject(names, "#pk", pk);
		ddb_av_put(values, ":pk", av);
		o.key_condition = "#pk = :pk";
		o.expr.names = names;
		o.expr.values = values;
	}
	ddb_page page;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	rc = query ? ddb_query(&page, &err, NULL, table, &o) : ddb_scan(&page, &err, NULL, table, &o);
	cJSON_Delete(start);
	cJSON_Delete(names);
	cJSON_Delete(values);
	if (rc != LAMBDA_OK) {
		rc = lambda_crud_error(res, &err, query ? "Query" : "Scan");
	} else {
		rc = answer_page(res, &page);
		ddb_page_free(&page);
	}
	lambda_aws_error_free(&err);
	return rc;
}

int lambda_crud_query(lambda_response *res, const lambda_request *req, const char *table,
		      const char *index, const char *pk, char pk_type, const char *param)
{
	return list(res, req, table, index, pk, pk_type, param, true);
}

int lambda_crud_scan(lambda_response *res, const lambda_request *req, const char *table,
		     const char *index)
{
	return list(res, req, table, index, NULL, 'S', NULL, false);
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
		cJSON *plain = images[i] ? ddb_item_to_plain(images[i], NULL) : NULL;
		if (plain)
			cJSON_AddItemToObject(msg, names[i], plain);
		else
			cJSON_AddNullToObject(msg, names[i]);
	}
	char *text = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (!text)
		return LAMBDA_ENOMEM;
	sns_attribute attr = {"eventName", "String", rec->event_name ? rec->event_name : "UNKNOWN", 0};
	sns_publish_opts opts = {.attributes = &attr, .attribute_count = 1};
	size_t n = strlen(topic_arn);
	if (n > 5 && !strcmp(topic_arn + n - 5, ".fifo")) {
		opts.group_id = table[0] ? table : "stream";
		opts.deduplication_id = rec->event_id;
	}
	int rc = sns_publish(NULL, err, NULL, topic_arn, text, &opts);
	free(text);
	return rc;
}
