/*
 * edit_address.c - POST /edit-address?username=<username>&new_address=<address>:
 * add or replace the user's address.
 *
 * 200 {"message": "Address updated successfully", "success": true,
 *      "data": the user's item after the update}
 * 404 {"message": "User <username> not found"}
 * 400 when a parameter is missing or too long
 *
 * One UpdateItem (dynamodb:UpdateItem) of PK = SK = CUSTOMER#<username>:
 * SET Address, on the condition that the user exists (an UpdateItem would
 * otherwise create an item holding only the key and the address).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

#define MAX_ADDRESS 512

int handle_http_edit_address(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	const char *username = lambda_query(req, "username");
	const char *address = lambda_query(req, "new_address");
	(void)ctx;

	if (!username || !*username || strlen(username) > 64 || strchr(username, '#'))
		return lambda_response_message(res, 400, "username: 1 to 64 characters, no '#'");
	if (!address || !*address || strlen(address) > MAX_ADDRESS)
		return lambda_response_message(res, 400, "new_address: 1 to 512 characters");
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		return lambda_response_message(res, 500, "internal server error");
	}
	char pk[80], msg[128];
	snprintf(pk, sizeof(pk), "CUSTOMER#%s", username);
	cJSON *key = cJSON_CreateObject(), *values = cJSON_CreateObject();
	cJSON *attrs = NULL, *plain = NULL, *out = NULL;
	lambda_aws_error err = {0};
	int rc = LAMBDA_ENOMEM;
	if (lambda_ddb_av_put(key, "PK", lambda_ddb_av_s(pk)) != LAMBDA_OK ||
	    lambda_ddb_av_put(key, "SK", lambda_ddb_av_s(pk)) != LAMBDA_OK ||
	    lambda_ddb_av_put(values, ":a", lambda_ddb_av_s(address)) != LAMBDA_OK)
		goto done;
	lambda_ddb_expr expr = {.condition = "attribute_exists(PK)", .values = values};
	if (lambda_ddb_update_item(&attrs, &err, NULL, table, key, "SET Address = :a", &expr) != LAMBDA_OK) {
		if (err.kind == LAMBDA_AWS_CONDITION_FAILED) {
			snprintf(msg, sizeof(msg), "User %s not found", username);
			rc = lambda_response_message(res, 404, msg);
		} else {
			rc = lambda_crud_error(res, &err, "UpdateItem");
		}
		goto done;
	}
	if (!(plain = lambda_ddb_item_to_plain(attrs, NULL)) || !(out = cJSON_CreateObject()) ||
	    !cJSON_AddStringToObject(out, "message", "Address updated successfully") ||
	    !cJSON_AddTrueToObject(out, "success"))
		goto done;
	cJSON_AddItemToObject(out, "data", plain);
	plain = NULL;
	rc = lambda_response_json(res, 200, out);
done:
	cJSON_Delete(out);
	cJSON_Delete(plain);
	cJSON_Delete(attrs);
	cJSON_Delete(values);
	cJSON_Delete(key);
	lambda_aws_error_free(&err);
	return rc;
}
