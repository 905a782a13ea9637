/*
 * update_item.c - the handler of function update_item.
 *
 * Routes (API Gateway HTTP API, payload format 2.0):
 *   PUT /items/{id}
 *
 * A scaffold: svcgen wrote it once and never overwrites it; it is yours.
 * Its permissions are in iam/update_item.json; the runtime API is in
 * runtime/lambda_runtime.h.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int handle_http_update_item(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	/* The resources this function may use, named by its environment. */
	const char *table_items = getenv("TABLE_ITEMS"); /* DynamoDB table items */
	(void)table_items;
	(void)ctx;

	if (lambda_route_is(req, "PUT", "/items/{id}")) {
		/* UpdateItem on table items (runtime/lambda_crud.h). */
		static const lambda_crud_attr key[] = {
			{"id", 'S', "id", NULL},
		};
		return lambda_crud_update(res, req, table_items, lambda_crud_key(req, key, 1));
	}
	return lambda_response_message(res, 404, "no such route");
}
