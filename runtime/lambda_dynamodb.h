/*
 * lambda_dynamodb.h - a DynamoDB client for handlers: the generic call,
 * typed helpers for every operation svcgen's access table can grant, and
 * AttributeValue builders, readers and plain-JSON conversion.  Part of
 * svcgen's handler runtime (runtime/ in svcgen's repository).
 *
 * Wire protocol: awsJson1_0, POST / with X-Amz-Target
 * "DynamoDB_20120810.<Operation>" (Amazon DynamoDB API Reference,
 * "Operations"); requests and answers are cJSON values in exactly the
 * shapes the API Reference documents, AttributeValues included
 * ({"S": "alice"}, {"N": "42"}, {"M": {...}}).
 *
 * Two ways to write an item or key:
 *   - AttributeValue maps, built with ddb_av_*  ({"id": {"S": "1"}});
 *   - plain JSON, converted with ddb_from_plain ({"id": "1"}), as boto3's
 *     resource API takes them: strings are S, numbers N, booleans BOOL,
 *     null NULL, objects M, arrays L.
 *
 * Memory: every cJSON out-parameter is the caller's (cJSON_Delete); inputs
 * are only read.  Errors: LAMBDA_OK, or LAMBDA_EAWS with `err` filled (see
 * lambda_aws.h; a NULL `err` is allowed when the caller does not care).
 * Every call takes `aws`, NULL for the default client.  Table names are the
 * physical names the function's environment gives (TABLE_<NAME>).
 */
#ifndef LAMBDA_DYNAMODB_H
#define LAMBDA_DYNAMODB_H

#include "lambda_aws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the generic call ------------------------------------------------------ */

/*
 * Call DynamoDB operation `operation` ("GetItem", "TransactWriteItems")
 * with `request` (the API Reference's request JSON); `*response` is its
 * answer.  Everything else in this header is built on it.
 */
int ddb_call(cJSON **response, lambda_aws_error *err, lambda_aws *aws, const char *operation,
	     const cJSON *request);

/* ---- AttributeValues -------------------------------------------------------- */

/* The data types of an AttributeValue ("Data types", DynamoDB Developer
 * Guide). */
typedef enum ddb_type {
	DDB_INVALID = 0, DDB_S, DDB_N, DDB_B, DDB_BOOL, DDB_NULL, DDB_M, DDB_L, DDB_SS, DDB_NS,
	DDB_BS,
} ddb_type;

/* Builders: a new AttributeValue (the caller owns it), NULL when out of
 * memory or an argument is NULL.  ddb_av_n takes the number's text as
 * DynamoDB keeps it (up to 38 digits); ddb_av_b the raw bytes (sent
 * base64-encoded). */
cJSON *ddb_av_s(const char *s);
cJSON *ddb_av_n(const char *number);
cJSON *ddb_av_int(long long n);
cJSON *ddb_av_double(double n);      /* shortest text that reads back as n; NULL for NaN, inf */
cJSON *ddb_av_b(const void *data, size_t len);
cJSON *ddb_av_bool(bool b);
cJSON *ddb_av_null(void);
cJSON *ddb_av_m(void);               /* {"M": {}}: fill with ddb_av_put */
cJSON *ddb_av_l(void);               /* {"L": []}: fill with ddb_av_append */
cJSON *ddb_av_ss(const char *const *values, size_t count);
cJSON *ddb_av_ns(const char *const *numbers, size_t count);

/* Add `value` (taken: owned by the map or list afterwards, freed on
 * failure) under `name` of an item or {"M": ...} map / to an {"L": ...}
 * list.  An item is a plain object of AttributeValues, {"id": {"S": "1"}}.
 * Returns LAMBDA_OK, LAMBDA_ENOMEM, or LAMBDA_EINVALID. */
int ddb_av_put(cJSON *item_or_map, const char *name, cJSON *value);
int ddb_av_append(cJSON *list, cJSON *value);

/* Readers of one AttributeValue. */
ddb_type ddb_av_type(const cJSON *av);
const char *ddb_av_get_s(const cJSON *av);      /* the S string, or NULL */
const char *ddb_av_get_n(const cJSON *av);      /* the N text, or NULL */
/* The N value as a double / as a long long (false when not an N, or not
 * an integer in range for the latter). */
bool ddb_av_get_double(const cJSON *av, double *out);
bool ddb_av_get_int(const cJSON *av, long long *out);
/* BOOL: false when it is not a BOOL. */
bool ddb_av_get_bool(const cJSON *av, bool *out);
/* B decoded into a malloc'd buffer (the caller frees it); false when not a
 * B, not base64, or out of memory. */
bool ddb_av_get_b(const cJSON *av, void **data, size_t *len);

/* The attribute `name` of an item (a map of AttributeValues), or NULL;
 * and the shortcuts for S and N attributes. */
const cJSON *ddb_attr(const cJSON *item, const char *name);
const char *ddb_attr_s(const cJSON *item, const char *name);
const char *ddb_attr_n(const cJSON *item, const char *name);

/*
 * Plain JSON <-> AttributeValue.
 *
 * ddb_from_plain: a plain value as an AttributeValue (string S, number N,
 * true/false BOOL, null NULL, object M, array L).  Numbers keep the text
 * cJSON reads (doubles: 17 significant digits at most; for larger exact
 * numbers build {"N": "..."} with ddb_av_n).  ddb_item_from_plain: a plain
 * object as an item (a map of AttributeValues, not wrapped in "M").
 *
 * ddb_to_plain: an AttributeValue as plain JSON (S string, N number, B its
 * base64 text, BOOL, NULL null, M object, L array, SS/NS/BS arrays).
 * ddb_item_to_plain: an item as a plain object.
 *
 * Return a new value (the caller's), or NULL when the input is not of the
 * expected shape (`*why`, may be NULL, says why: static text) or out of
 * memory.
 */
cJSON *ddb_from_plain(const cJSON *plain, const char **why);
cJSON *ddb_item_from_plain(const cJSON *plain, const char **why);
cJSON *ddb_to_plain(const cJSON *av, const char **why);
cJSON *ddb_item_to_plain(const cJSON *item, const char **why);

/*
 * A whole request in boto3 resource style -> the wire's: in a copy of
 * `params`, every Item, Key, ExpressionAttributeValues, ExclusiveStartKey
 * (and those of RequestItems, TransactItems and their Put/Update/Delete/
 * ConditionCheck/Get entries) is converted from plain JSON.  And an
 * answer back: Item, Items, Attributes, LastEvaluatedKey, Responses,
 * UnprocessedKeys/UnprocessedItems to plain JSON.  NULL when a value has
 * no AttributeValue form (`*why`) or out of memory.  This is what a
 * "DynamoDB manager" endpoint taking operation and payload needs.
 */
cJSON *ddb_request_from_plain(const cJSON *params, const char **why);
cJSON *ddb_response_to_plain(const cJSON *response, const char **why);

/* ---- options shared by the typed helpers ---------------------------------------- */

/*
 * Expressions ("Using expressions in DynamoDB", Developer Guide): the
 * expression strings, and their name and value placeholders:
 * `names` {"#n": "name"}, `values` {":v": {"S": "x"}} (AttributeValues)
 * or `plain_values` {":v": "x"} (converted); NULL for none.
 */
typedef struct ddb_expr {
	const char *condition;       /* ConditionExpression */
	const char *projection;      /* ProjectionExpression (get, query, scan) */
	const cJSON *names;
	const cJSON *values;
	const cJSON *plain_values;
} ddb_expr;

/* ---- single items -------------------------------------------------------------- */

/*
 * GetItem (API Reference: GetItem).  `key` is the item's key as an
 * AttributeValue map.  `*item` is the item (AttributeValues), or NULL when
 * there is none: that is LAMBDA_OK, not an error.
 */
int ddb_get_item(cJSON **item, lambda_aws_error *err, lambda_aws *aws, const char *table,
		 const cJSON *key, bool consistent_read, const ddb_expr *expr);

/*
 * PutItem (API Reference: PutItem).  `item` as AttributeValues.  With
 * `expr->condition` the write happens only when it holds; otherwise
 * kind LAMBDA_AWS_CONDITION_FAILED.  `old` (may be NULL) gets the replaced
 * item (ReturnValues ALL_OLD), NULL when there was none.
 */
int ddb_put_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
		 const cJSON *item, const ddb_expr *expr);

/*
 * UpdateItem (API Reference: UpdateItem) with `update` as the
 * UpdateExpression ("SET #a = :a REMOVE b").  `attrs` (may be NULL) gets
 * the item after the update (ReturnValues ALL_NEW).
 */
int ddb_update_item(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
		    const cJSON *key, const char *update, const ddb_expr *expr);

/*
 * UpdateItem that sets every attribute of `fields` (an AttributeValue
 * map; attributes of the key are skipped), building the expression with
 * placeholders, so attribute names need no escaping.  With `must_exist`
 * the item must already exist (condition on the first key attribute):
 * otherwise LAMBDA_AWS_CONDITION_FAILED.  `attrs` as ddb_update_item.
 */
int ddb_update_fields(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
		      const cJSON *key, const cJSON *fields, bool must_exist);

/* DeleteItem (API Reference: DeleteItem); `old` (may be NULL) gets the
 * deleted item, NULL when there was none. */
int ddb_delete_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
		    const cJSON *key, const ddb_expr *expr);

/* ---- queries and scans ------------------------------------------------------------ */

typedef struct ddb_query_opts {
	const char *index;           /* IndexName, or NULL for the table */
	const char *key_condition;   /* KeyConditionExpression (Query only) */
	const char *filter;          /* FilterExpression */
	ddb_expr expr;               /* projection, names, values */
	int limit;                   /* Limit per page, 0: DynamoDB's 1 MB page */
	bool descending;             /* ScanIndexForward false (Query only) */
	bool consistent_read;
	const cJSON *start_key;      /* ExclusiveStartKey: a page's last_key */
} ddb_query_opts;

/* One page of a Query or Scan: the caller frees it with ddb_page_free. */
typedef struct ddb_page {
	cJSON *items;                /* array of items (AttributeValues) */
	size_t count;
	cJSON *last_key;             /* LastEvaluatedKey: pass as start_key for
	                                the next page; NULL on the last page */
	cJSON *response;             /* the whole answer (owns items, last_key) */
} ddb_page;

void ddb_page_free(ddb_page *page);

/* Query / Scan: one page (API Reference: Query, Scan).  Pagination is
 * the caller's: loop while page.last_key, passing it as start_key. */
int ddb_query(ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
	      const ddb_query_opts *opts);
int ddb_scan(ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
	     const ddb_query_opts *opts);

/* Every page, followed to the end or until `max_items` (0: no bound)
 * items: `*items` is one array of them (the caller's). */
int ddb_query_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
		  const ddb_query_opts *opts, size_t max_items);
int ddb_scan_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
		 const ddb_query_opts *opts, size_t max_items);

/*
 * A page's last_key as an opaque token for an API's clients (base64url
 * of its JSON, no padding; malloc'd, the caller frees it; NULL when
 * `last_key` is NULL or out of memory), and back (NULL when `token` is
 * not one: answer 400).
 */
char *ddb_page_token(const cJSON *last_key);
cJSON *ddb_page_token_parse(const char *token);

/* ---- batches and transactions ------------------------------------------------------ */

/*
 * BatchGetItem (API Reference: BatchGetItem): `request_items` as the API
 * takes it ({"<table>": {"Keys": [...]}}).  UnprocessedKeys are requested
 * again (with the retry mode's backoff) until none are left or the
 * attempts or the deadline run out; `*responses` is {"<table>": [items]}.
 * When keys stay unprocessed: LAMBDA_EAWS, kind LAMBDA_AWS_THROTTLED, and
 * `*responses` still holds what was read.
 */
int ddb_batch_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
		  const cJSON *request_items);

/* BatchWriteItem (API Reference: BatchWriteItem): `request_items`
 * {"<table>": [{"PutRequest": {"Item": ...}} | {"DeleteRequest": {"Key":
 * ...}}]} (at most 25 requests), UnprocessedItems sent again likewise. */
int ddb_batch_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *request_items);

/*
 * TransactWriteItems (API Reference: TransactWriteItems): `items` is the
 * TransactItems array ([{"Put": {...}}, {"Update": ...}, {"Delete": ...},
 * {"ConditionCheck": ...}], at most 100).  `client_token` (may be NULL)
 * makes retries idempotent.  A failed condition cancels the whole
 * transaction: kind LAMBDA_AWS_TRANSACTION_CANCELED, and
 * lambda_aws_cancellation_code(err, i) says which action failed
 * ("ConditionalCheckFailed") and which did not ("None").
 */
int ddb_transact_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *items,
		       const char *client_token);

/* TransactGetItems (API Reference: TransactGetItems): `items`
 * [{"Get": {"TableName": ..., "Key": ...}}]; `*responses` is the answer's
 * Responses array ([{"Item": ...} or {} per Get], in order). */
int ddb_transact_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
		     const cJSON *items);

/* Helpers for building TransactItems entries: {"Put": {"TableName",
 * "Item", "ConditionExpression"?}} and so on.  `condition` may be NULL;
 * `values` (AttributeValues, may be NULL) is copied.  NULL when out of
 * memory. */
cJSON *ddb_tx_put(const char *table, const cJSON *item, const char *condition,
		  const cJSON *names, const cJSON *values);
cJSON *ddb_tx_delete(const char *table, const cJSON *key, const char *condition,
		     const cJSON *names, const cJSON *values);
cJSON *ddb_tx_update(const char *table, const cJSON *key, const char *update,
		     const char *condition, const cJSON *names, const cJSON *values);
cJSON *ddb_tx_condition(const char *table, const cJSON *key, const char *condition,
			const cJSON *names, const cJSON *values);

#ifdef __cplusplus
}
#endif

#endif
