/*
 * list_items.c - the handler of function list_items.
 *
 * Lists the items, a page at a time
 *
 * Routes (API Gateway HTTP API, payload format 2.0):
 *   GET /items
 *
 * A scaffold: svcgen wrote it once and never overwrites it; it is yours.
 * Its permissions are in iam/list_items.json; the runtime API is in
 * runtime/lambda_runtime.h.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int handle_http_list_items(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	/* The resources this function may use, named by its environment. */
	const char *table_items = getenv("TABLE_ITEMS"); /* DynamoDB table items */
	(void)table_items;
	(void)ctx;

	if (lambda_route_is(req, "GET", "/items")) {
		/* Scan on table items (runtime/lambda_crud.h). */
		return lambda_crud_scan(res, req, table_items, NULL);
	}
	return lambda_response_message(res, 404, "no such route");
}
