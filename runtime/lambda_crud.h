/*
 * lambda_crud.h - the HTTP side of DynamoDB CRUD for handlers: build a key
 * from a route's path parameters, make the call, answer API Gateway with
 * the item as plain JSON and a status that fits (lambda_aws_http_status).
 * The scaffolds svcgen writes for routes keyed by their path parameters
 * are made of these calls; they are as usable in code written by hand.
 * Part of svcgen's handler runtime (runtime/ in svcgen's repository).
 *
 * Every function fills `res` and returns LAMBDA_OK (AWS errors become
 * responses: 400 for a bad body or key, 404 for no item, 409 for a
 * condition failure, 429/503/504, 500 for the rest, with the details in
 * the log, never in the body), or LAMBDA_ENOMEM.  `table` is the table's
 * physical name (getenv("TABLE_<NAME>")); NULL answers 500 and logs that
 * the variable is missing.  `key` arguments are taken: the function frees
 * them (a NULL key, what lambda_crud_key gives for a bad path, answers
 * 400).  `req` and `res` are the handler's.
 *
 * IAM: each function makes exactly one kind of AWS call, named below, and
 * nothing else; svcgen's scaffolds call only those their route's `uses`
 * grant (tests/suites/handlers_iam.sh in svcgen checks every call site
 * against iam/<function>.json).
 */
#ifndef LAMBDA_CRUD_H
#define LAMBDA_CRUD_H

#include "lambda_ddb.h"
#include "lambda_sns.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One key attribute and where its value comes from. */
typedef struct lambda_crud_attr {
	const char *name;    /* the attribute ("id") */
	char type;           /* its type in the table: 'S', 'N' or 'B' */
	const char *param;   /* the path parameter holding it, or NULL */
	const char *value;   /* the value when `param` is NULL */
} lambda_crud_attr;

/*
 * The key of `count` attributes, as an AttributeValue map: each from its
 * path parameter (URL-decoded by API Gateway), or its fixed value.  NULL
 * when a parameter is missing or not of the attribute's type (an N that is
 * not a number): the functions below then answer 400.
 */
cJSON *lambda_crud_key(const lambda_request *req, const lambda_crud_attr *attrs, size_t count);

/* GetItem (dynamodb:GetItem on `table`): 200 with the item, 404 when
 * there is none. */
int lambda_crud_get(lambda_response *res, const char *table, cJSON *key);

/*
 * PutItem (dynamodb:PutItem on `table`; `create` adds a condition, which
 * needs no other action) of the request's JSON object body (400 when it
 * is not one),
 * with the attributes of `key` set from it (a key in the path wins over
 * the body's).  With `key` NULL (the key is the body's, or the path's
 * could not be read) the body must hold the key attributes `attrs` (400
 * naming the missing one).  `create` writes only when no item
 * has that key (409 otherwise) and answers 201; else 200.  The answer is
 * the stored item.
 */
int lambda_crud_put(lambda_response *res, const lambda_request *req, const char *table,
		    cJSON *key, const lambda_crud_attr *attrs, size_t count, bool create);

/* UpdateItem (dynamodb:UpdateItem on `table`) setting every attribute of
 * the JSON object body (key attributes excepted; no body sets nothing) on
 * an existing item: 200 with the updated item, 404 when there is no item
 * with that key, 400 for a body that is not a JSON object. */
int lambda_crud_update(lambda_response *res, const lambda_request *req, const char *table,
		       cJSON *key);

/* DeleteItem (dynamodb:DeleteItem on `table`): 204, also when there was
 * no such item (DELETE is idempotent). */
int lambda_crud_delete(lambda_response *res, const char *table, cJSON *key);

/*
 * Query (dynamodb:Query on `table`, or on its index `index`) on the
 * partition key `pk` (type 'S', 'N' or 'B') of `table` or of
 * its index `index` (NULL: the table), with the value of path parameter
 * `param` (or, when NULL, of the query string parameter named `pk`), one
 * page: 200 {"items": [...], "next": "<token>" | null}.  The query string
 * takes `limit` (1..1000, default 100) and `next` (the token of the
 * previous page; 400 when it is not one).
 */
int lambda_crud_query(lambda_response *res, const lambda_request *req, const char *table,
		      const char *index, const char *pk, char pk_type, const char *param);

/* Scan (dynamodb:Scan on `table`, or on its index `index`; NULL: the
 * table), one page, answered as lambda_crud_query answers. */
int lambda_crud_scan(lambda_response *res, const lambda_request *req, const char *table,
		     const char *index);

/* The response for a failed call `what` ("GetItem", for the log; `err`
 * only read): the status of lambda_aws_http_status with a message that
 * reveals nothing (and Retry-After: 1 with 429 and 503); logs the error's
 * kind, code, message and request id.  No AWS call. */
int lambda_crud_error(lambda_response *res, const lambda_aws_error *err, const char *what);

/*
 * Publish (sns:Publish on `topic_arn`) a DynamoDB Streams record to
 * `topic_arn` as JSON {"eventName",
 * "eventID", "table", "keys", "newImage", "oldImage"} with images as plain
 * JSON, and the message attribute eventName.  On a FIFO topic (".fifo")
 * the group is the table and the deduplication id the record's event id.
 * LAMBDA_OK, LAMBDA_ENOMEM, or LAMBDA_EAWS (`err`, may be NULL; a NULL
 * `topic_arn` is LAMBDA_AWS_CONFIG, and is logged).
 */
int lambda_crud_publish_record(lambda_aws_error *err, const char *topic_arn,
			       const lambda_stream_record *rec);

#ifdef __cplusplus
}
#endif

#endif
