/*
 * dynamodb_manager.c - the handler of function dynamodb_manager: one
 * endpoint, the operation in the body.
 *
 * Routes (API Gateway REST API, payload format 1.0):
 *   POST /DynamoDBManager
 *
 * The body is {"operation": ..., "tableName": ..., "payload": {...}}:
 *
 *   create  PutItem     payload {"Item": {...}, "ConditionExpression": ...}
 *   read    GetItem     payload {"Key": {...}, "ProjectionExpression": ...}
 *   update  UpdateItem  payload {"Key": {...}, "UpdateExpression": ...,
 *                                "ExpressionAttributeValues": {...}, ...}
 *   delete  DeleteItem  payload {"Key": {...}}
 *   list    Scan        payload {} or {"FilterExpression": ..., "Limit": ...}
 *   echo    -           answers the payload
 *   ping    -           answers "pong"
 *
 * The payload is the call's parameters as boto3's resource API takes them:
 * items, keys and expression values in plain JSON ({"id": "1"}), which the
 * runtime converts to AttributeValues; the answer is what the call returns,
 * in plain JSON too.  `tableName` is the table's name as service.yaml
 * writes it ("lambda-apigateway"); svcgen gives the function the physical
 * name of each table it uses in TABLE_<NAME> ("-" read as "_").  A name
 * that is not one of them is tried as a physical name: the function's
 * policy grants none but its own tables, so DynamoDB (and svcgen local)
 * refuse it with AccessDeniedException, answered as 403.
 *
 * Started from svcgen's scaffold; svcgen never overwrites it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* An operation of the body and the DynamoDB call it makes. */
typedef struct operation {
	const char *name;
	const char *call;
} operation;

static const operation operations[] = {
	{"create", "PutItem"},
	{"read", "GetItem"},
	{"update", "UpdateItem"},
	{"delete", "DeleteItem"},
	{"list", "Scan"},
};

/* The physical name of table `name` (as the spec writes it): the value of
 * TABLE_<NAME> when the function has it, else `name` itself.  `buf` holds
 * the variable's name. */
static const char *physical_table(const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "TABLE_%s", name);
	if (n < 0 || (size_t)n >= size)
		return name;
	for (char *p = buf + 6; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
	}
	const char *physical = getenv(buf);
	return physical && *physical ? physical : name;
}

/* The status a failed call answers: the caller's mistakes as 4xx, the
 * rest as the runtime suggests (lambda_aws.h). */
static int failed_status(const lambda_aws_error *err)
{
	switch (err->kind) {
	case LAMBDA_AWS_ACCESS_DENIED:
		return 403;
	case LAMBDA_AWS_VALIDATION:
	case LAMBDA_AWS_INVALID_ARGUMENT:
		return 400;
	case LAMBDA_AWS_NOT_FOUND:
		return 404;
	default:
		return lambda_aws_http_status(err);
	}
}

static int answer_error(lambda_response *res, int status, const char *code, const char *message)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "message", message) ||
	    (code && *code && !cJSON_AddStringToObject(o, "error", code))) {
		cJSON_Delete(o);
		return lambda_response_message(res, 500, "out of memory");
	}
	int rc = lambda_response_json(res, status, o);
	cJSON_Delete(o);
	return rc;
}

/* Run `op` on table `table_name` with `payload` (plain JSON parameters). */
static int run_call(lambda_response *res, const operation *op, const char *table_name,
	const cJSON *payload)
{
	const char *why = NULL;
	cJSON *empty = NULL;
	if (!payload) {
		empty = cJSON_CreateObject();
		payload = empty;
	}
	cJSON *request = lambda_ddb_request_from_plain(payload, &why);
	cJSON_Delete(empty);
	if (!request)
		return answer_error(res, 400, "ValidationException",
				    why ? why : "payload has no DynamoDB form");
	char var[300];
	const char *table = physical_table(table_name, var, sizeof(var));
	cJSON_DeleteItemFromObjectCaseSensitive(request, "TableName");
	if (!cJSON_AddStringToObject(request, "TableName", table)) {
		cJSON_Delete(request);
		return lambda_response_message(res, 500, "out of memory");
	}

	cJSON *response = NULL;
	lambda_aws_error err = {0};
	int rc = lambda_ddb_call(&response, &err, NULL, op->call, request);
	cJSON_Delete(request);
	if (rc != LAMBDA_OK) {
		lambda_log_error("%s on %s failed: %s %s: %s", op->call, table,
				 lambda_aws_error_kind_name(err.kind), err.code, err.message);
		int st = failed_status(&err);
		rc = answer_error(res, st, err.code, *err.message ? err.message : op->call);
		lambda_aws_error_free(&err);
		return rc;
	}
	cJSON *plain = lambda_ddb_response_to_plain(response, &why);
	cJSON_Delete(response);
	if (!plain)
		return answer_error(res, 502, NULL, why ? why : "unreadable DynamoDB answer");
	rc = lambda_response_json(res, 200, plain);
	cJSON_Delete(plain);
	return rc;
}

int handle_http_dynamodb_manager(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	(void)ctx;
	cJSON *body = lambda_request_json(req);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		return lambda_response_message(res, 400, "the body must be a JSON object with an operation");
	}
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "operation"));
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(body, "payload");
	int rc;
	if (!name) {
		rc = lambda_response_message(res, 400, "the body names no operation");
	} else if (!strcmp(name, "echo")) {
		cJSON *empty = cJSON_CreateObject();
		rc = lambda_response_json(res, 200, payload ? payload : empty);
		cJSON_Delete(empty);
	} else if (!strcmp(name, "ping")) {
		cJSON *pong = cJSON_CreateString("pong");
		rc = lambda_response_json(res, 200, pong);
		cJSON_Delete(pong);
	} else {
		const operation *op = NULL;
		for (size_t i = 0; i < sizeof(operations) / sizeof(operations[0]); i++)
			if (!strcmp(operations[i].name, name))
				op = &operations[i];
		const char *table = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "tableName"));
		if (!op) {
			char msg[200];
			snprintf(msg, sizeof(msg), "unknown operation '%.100s' (expected create, read, "
				 "update, delete, list, echo or ping)", name);
			rc = lambda_response_message(res, 400, msg);
		} else if (!table || !*table) {
			rc = lambda_response_message(res, 400, "the body names no tableName");
		} else if (payload && !cJSON_IsObject(payload)) {
			rc = lambda_response_message(res, 400, "payload must be a JSON object");
		} else {
			rc = run_call(res, op, table, payload);
		}
	}
	cJSON_Delete(body);
	return rc;
}
