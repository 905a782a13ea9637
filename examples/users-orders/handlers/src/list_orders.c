/*
 * list_orders.c - GET /orders/?username=<username>: the user and the
 * user's orders, from one Query.
 *
 * 200 {"message": "orders fetched successfully",
 *      "data": [the user's item, then the orders, newest first],
 *      "next": null | "<token>"}
 * 404 {"message": "User <username> not found"}
 * 400 without a username, or with a `next` that is not a token this
 *     function gave
 *
 * The user (SK=CUSTOMER#<username>) and the orders (SK=#ORDER#<KSUID>)
 * share the partition PK=CUSTOMER#<username>.  Read backwards
 * (ScanIndexForward false), 'C' sorts before '#': the user comes first,
 * then the orders from the newest.  One Query (dynamodb:Query) reads a
 * page of DynamoDB's (up to 1 MB); when more is left, `next` is a token
 * to pass back as ?next= for the following page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int handle_http_list_orders(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	const char *username = lambda_query(req, "username");
	const char *next = lambda_query(req, "next");
	(void)ctx;

	if (!username || !*username || strlen(username) > 64 || strchr(username, '#'))
		return lambda_response_message(res, 400, "username: 1 to 64 characters, no '#'");
	cJSON *start = NULL;
	if (next && !(start = lambda_ddb_page_token_parse(next)))
		return lambda_response_message(res, 400, "next: not a page token");
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		cJSON_Delete(start);
		return lambda_response_message(res, 500, "internal server error");
	}
	char pk[80], msg[128];
	snprintf(pk, sizeof(pk), "CUSTOMER#%s", username);
	int rc = LAMBDA_ENOMEM;
	lambda_aws_error err = {0};
	lambda_ddb_page page = {0};
	cJSON *values = cJSON_CreateObject(), *out = NULL, *data = NULL;
	char *token = NULL;
	if (lambda_ddb_av_put(values, ":pk", lambda_ddb_av_s(pk)) != LAMBDA_OK)
		goto done;
	lambda_ddb_query_opts q = {
		.key_condition = "PK = :pk",
		.expr = {.values = values},
		.descending = true,
		.start_key = start,
	};
	if (lambda_ddb_query(&page, &err, NULL, table, &q) != LAMBDA_OK) {
		rc = lambda_crud_error(res, &err, "Query");
		goto done;
	}
	const char *first = page.count ? lambda_ddb_attr_s(cJSON_GetArrayItem(page.items, 0), "SK") : NULL;
	if (!start && (!first || strncmp(first, "CUSTOMER#", 9))) {
		snprintf(msg, sizeof(msg), "User %s not found", username);
		rc = lambda_response_message(res, 404, msg);
		goto done;
	}
	if (!(out = cJSON_CreateObject()) || !(data = cJSON_AddArrayToObject(out, "data")) ||
	    !cJSON_AddStringToObject(out, "message", "orders fetched successfully"))
		goto done;
	for (const cJSON *item = page.items ? page.items->child : NULL; item; item = item->next) {
		cJSON *plain = lambda_ddb_item_to_plain(item, NULL);
		if (!plain || !cJSON_AddItemToArray(data, plain)) {
			cJSON_Delete(plain);
			goto done;
		}
	}
	if (page.last_key) {
		if (!(token = lambda_ddb_page_token(page.last_key)) || !cJSON_AddStringToObject(out, "next", token))
			goto done;
	} else if (!cJSON_AddNullToObject(out, "next")) {
		goto done;
	}
	rc = lambda_response_json(res, 200, out);
done:
	free(token);
	cJSON_Delete(out);
	cJSON_Delete(values);
	cJSON_Delete(start);
	lambda_ddb_page_free(&page);
	lambda_aws_error_free(&err);
	return rc;
}
