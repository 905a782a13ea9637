/*
 * get_user.c - GET /users/{username}: the user's item.
 *
 * 200 the item as plain JSON ({"PK": "CUSTOMER#test111", "SK": ...,
 *     "Username", "Email", "Name", and "Address" once set)
 * 404 {"message": "User <username> not found"}
 *
 * One GetItem (dynamodb:GetItem) of PK = SK = CUSTOMER#<username>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int handle_http_get_user(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	const char *username = lambda_path_param(req, "username");
	(void)ctx;

	if (!username || !*username || strlen(username) > 64 || strchr(username, '#'))
		return lambda_response_message(res, 400, "username: 1 to 64 characters, no '#'");
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		return lambda_response_message(res, 500, "internal server error");
	}
	char pk[80], msg[128];
	snprintf(pk, sizeof(pk), "CUSTOMER#%s", username);
	cJSON *key = cJSON_CreateObject();
	if (lambda_ddb_av_put(key, "PK", lambda_ddb_av_s(pk)) != LAMBDA_OK ||
	    lambda_ddb_av_put(key, "SK", lambda_ddb_av_s(pk)) != LAMBDA_OK) {
		cJSON_Delete(key);
		return LAMBDA_ENOMEM;
	}
	cJSON *item = NULL, *plain = NULL;
	lambda_aws_error err = {0};
	int rc;
	if (lambda_ddb_get_item(&item, &err, NULL, table, key, false, NULL) != LAMBDA_OK) {
		rc = lambda_crud_error(res, &err, "GetItem");
	} else if (!item) {
		snprintf(msg, sizeof(msg), "User %s not found", username);
		rc = lambda_response_message(res, 404, msg);
	} else if (!(plain = lambda_ddb_item_to_plain(item, NULL))) {
		rc = LAMBDA_ENOMEM;
	} else {
		rc = lambda_response_json(res, 200, plain);
	}
	cJSON_Delete(plain);
	cJSON_Delete(item);
	cJSON_Delete(key);
	lambda_aws_error_free(&err);
	return rc;
}
