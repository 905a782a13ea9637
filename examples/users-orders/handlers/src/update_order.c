/*
 * update_order.c - PUT /orders/{order_id}: change an order's status.
 *
 * Body: {"username": "john", "status": "CANCEL"}
 * 200 {"message": "Order updated successfully", "success": true,
 *      "data": the order after the update, with Status and UpdatedAt}
 * 404 {"message": "Order <order_id> not found", "success": false}
 * 400 for another body, or a status not in PLACED, PAID, SHIPPED,
 *     DELIVERED, CANCEL
 *
 * One UpdateItem (dynamodb:UpdateItem) of PK=CUSTOMER#<username>,
 * SK=#ORDER#<order_id>: SET Status (a reserved word: written #s) and
 * UpdatedAt, on the condition that the order exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"

static const char *const statuses[] = {"PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCEL"};

static bool known_status(const char *s)
{
	for (size_t i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(s, statuses[i]))
			return true;
	return false;
}

static int answer(lambda_response *res, int status, const char *message, bool success, cJSON *data)
{
	cJSON *out = cJSON_CreateObject();
	int rc = LAMBDA_ENOMEM;
	if (out && cJSON_AddStringToObject(out, "message", message) &&
	    cJSON_AddBoolToObject(out, "success", success) &&
	    (!data || cJSON_AddItemToObject(out, "data", data))) {
		data = NULL;
		rc = lambda_response_json(res, status, out);
	}
	cJSON_Delete(data);
	cJSON_Delete(out);
	return rc;
}

int handle_http_update_order(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	const char *order_id = lambda_path_param(req, "order_id");
	(void)ctx;

	cJSON *body = lambda_request_json(req);
	const char *username = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "username"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "status"));
	int rc;
	if (!order_id || !*order_id || strlen(order_id) > 64 || !username || !*username ||
	    strlen(username) > 64 || strchr(username, '#') || !known_status(status)) {
		rc = answer(res, 400, "the body must be a JSON object with username and status "
			    "(PLACED, PAID, SHIPPED, DELIVERED or CANCEL)", false, NULL);
		cJSON_Delete(body);
		return rc;
	}
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		cJSON_Delete(body);
		return lambda_response_message(res, 500, "internal server error");
	}

	char pk[80], sk[80], now[32], msg[128];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(now, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(now + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
	snprintf(pk, sizeof(pk), "CUSTOMER#%s", username);
	snprintf(sk, sizeof(sk), "#ORDER#%s", order_id);

	rc = LAMBDA_ENOMEM;
	lambda_aws_error err = {0};
	cJSON *key = cJSON_CreateObject(), *names = cJSON_CreateObject(), *values = cJSON_CreateObject();
	cJSON *attrs = NULL, *plain = NULL;
	if (lambda_ddb_av_put(key, "PK", lambda_ddb_av_s(pk)) != LAMBDA_OK ||
	    lambda_ddb_av_put(key, "SK", lambda_ddb_av_s(sk)) != LAMBDA_OK ||
	    !cJSON_AddStringToObject(names, "#s", "Status") ||
	    lambda_ddb_av_put(values, ":s", lambda_ddb_av_s(status)) != LAMBDA_OK ||
	    lambda_ddb_av_put(values, ":u", lambda_ddb_av_s(now)) != LAMBDA_OK)
		goto done;
	lambda_ddb_expr expr = {.condition = "attribute_exists(PK)", .names = names, .values = values};
	if (lambda_ddb_update_item(&attrs, &err, NULL, table, key, "SET #s = :s, UpdatedAt = :u", &expr) !=
	    LAMBDA_OK) {
		if (err.kind == LAMBDA_AWS_CONDITION_FAILED) {
			snprintf(msg, sizeof(msg), "Order %s not found", order_id);
			rc = answer(res, 404, msg, false, NULL);
		} else {
			rc = lambda_crud_error(res, &err, "UpdateItem");
		}
		goto done;
	}
	lambda_log_info("order %s of %s: %s", order_id, username, status);
	plain = lambda_ddb_item_to_plain(attrs, NULL);
	rc = plain ? answer(res, 200, "Order updated successfully", true, plain) : LAMBDA_ENOMEM;
done:
	cJSON_Delete(attrs);
	cJSON_Delete(values);
	cJSON_Delete(names);
	cJSON_Delete(key);
	cJSON_Delete(body);
	lambda_aws_error_free(&err);
	return rc;
}
