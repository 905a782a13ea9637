/*
 * create_item.c - the handler of function create_item.
 *
 * Routes (API Gateway HTTP API, payload format 2.0):
 *   POST /items
 *
 * A scaffold: svcgen wrote it once and never overwrites it; it is yours.
 * Its permissions are in iam/create_item.json; the runtime API is in
 * runtime/lambda_runtime.h.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int handle_http_create_item(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	/* The resources this function may use, named by its environment. */
	const char *table_items = getenv("TABLE_ITEMS"); /* DynamoDB table items */
	(void)table_items;
	(void)ctx;

	if (lambda_route_is(req, "POST", "/items")) {
		/* PutItem on table items (runtime/lambda_crud.h). */
		static const lambda_crud_attr key[] = {
			{"id", 'S', NULL, "TODO"},
		};
		return lambda_crud_put(res, req, table_items, NULL, key, 1, true);
	}
	return lambda_response_message(res, 404, "no such route");
}
