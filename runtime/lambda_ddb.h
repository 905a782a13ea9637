/*
 * lambda_ddb.h - a DynamoDB client for handlers: the generic call,
 * typed helpers for every operation svcgen's access table can grant, and
 * AttributeValue builders, readers and plain-JSON conversion.  Every name
 * here starts with lambda_ddb_ (LAMBDA_DDB_ for constants).  Part of
 * svcgen's handler runtime (runtime/ in svcgen's repository).
 *
 * Wire protocol: awsJson1_0, POST / with X-Amz-Target
 * "DynamoDB_20120810.<Operation>" (Amazon DynamoDB API Reference,
 * "Operations"; the page of operation X is
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_X.html);
 * requests and answers are cJSON values in exactly the shapes the API
 * Reference documents, AttributeValues included ({"S": "alice"},
 * {"N": "42"}, {"M": {...}}: API_AttributeValue.html).
 *
 * IAM: each helper names the one action it needs (dynamodb:<Operation>,
 * on the table, or on table/<name>/index/<index> for a query or scan of
 * an index); svcgen grants a function exactly the actions its spec's
 * `uses` list, in iam/<function>.json.
 *
 * Two ways to write an item or key:
 *   - AttributeValue maps, built with lambda_ddb_av_*  ({"id": {"S": "1"}});
 *   - plain JSON, converted with lambda_ddb_from_plain ({"id": "1"}), as boto3's
 *     resource API takes them: strings are S, numbers N, booleans BOOL,
 *     null NULL, objects M, arrays L.
 *
 * Memory: every cJSON out-parameter is the caller's (cJSON_Delete); inputs
 * are only read.  Errors: LAMBDA_OK, or LAMBDA_EAWS with `err` filled (see
 * lambda_aws.h; a NULL `err` is allowed when the caller does not care).
 * Every call takes `aws`, NULL for the default client.  Table names are the
 * physical names the function's environment gives (TABLE_<NAME>).
 */
#ifndef LAMBDA_DDB_H
#define LAMBDA_DDB_H

#include "lambda_aws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the generic call ------------------------------------------------------ */

/*
 * Call DynamoDB operation `operation` ("GetItem", "TransactWriteItems")
 * with `request` (the API Reference's request JSON, only read; NULL sends
 * {}); `*response` is its answer, a JSON object (the caller's; NULL on
 * failure).  Errors: LAMBDA_EAWS, with LAMBDA_AWS_INVALID_ARGUMENT for an
 * operation name that is not one, LAMBDA_AWS_BAD_RESPONSE for an answer
 * that is not a JSON object, and the service's errors (lambda_aws.h).
 * Everything else in this header is built on it.
 */
int lambda_ddb_call(cJSON **response, lambda_aws_error *err, lambda_aws *aws, const char *operation,
		    const cJSON *request);

/* ---- AttributeValues -------------------------------------------------------- */

/* The data types of an AttributeValue ("Data types", DynamoDB Developer
 * Guide). */
typedef enum lambda_ddb_type {
	LAMBDA_DDB_INVALID = 0, LAMBDA_DDB_S, LAMBDA_DDB_N, LAMBDA_DDB_B, LAMBDA_DDB_BOOL, LAMBDA_DDB_NULL, LAMBDA_DDB_M, LAMBDA_DDB_L, LAMBDA_DDB_SS, LAMBDA_DDB_NS,
	LAMBDA_DDB_BS,
} lambda_ddb_type;

/* Builders: a new AttributeValue (the caller owns it: cJSON_Delete, or
 * hand it to lambda_ddb_av_put), NULL when out of memory or an argument
 * is NULL.  lambda_ddb_av_n takes the number's text as DynamoDB keeps it
 * (up to 38 digits; NULL when it is not a number); lambda_ddb_av_b the raw
 * bytes (sent base64-encoded); the sets copy `count` strings (NULL for an
 * empty set, which DynamoDB refuses, or a member that is NULL or, for
 * NS, not a number). */
cJSON *lambda_ddb_av_s(const char *s);
cJSON *lambda_ddb_av_n(const char *number);
cJSON *lambda_ddb_av_int(long long n);
cJSON *lambda_ddb_av_double(double n);      /* shortest text that reads back as n; NULL for NaN, inf */
cJSON *lambda_ddb_av_b(const void *data, size_t len);
cJSON *lambda_ddb_av_bool(bool b);
cJSON *lambda_ddb_av_null(void);
cJSON *lambda_ddb_av_m(void);               /* {"M": {}}: fill with lambda_ddb_av_put */
cJSON *lambda_ddb_av_l(void);               /* {"L": []}: fill with lambda_ddb_av_append */
cJSON *lambda_ddb_av_ss(const char *const *values, size_t count);
cJSON *lambda_ddb_av_ns(const char *const *numbers, size_t count);

/* Add `value` (taken: owned by the map or list afterwards, freed on
 * failure) under `name` of an item or {"M": ...} map (replacing an
 * attribute of that name) / to an {"L": ...} list.  An item is a plain
 * object of AttributeValues, {"id": {"S": "1"}}.  Returns LAMBDA_OK;
 * LAMBDA_ENOMEM when `value` is NULL (a builder that ran out of memory:
 * calls nest, lambda_ddb_av_put(item, "n", lambda_ddb_av_int(1))) or
 * adding fails; LAMBDA_EINVALID when the target is not an item, map or
 * list, or `name` is NULL. */
int lambda_ddb_av_put(cJSON *item_or_map, const char *name, cJSON *value);
int lambda_ddb_av_append(cJSON *list, cJSON *value);

/* Readers of one AttributeValue.  Strings returned belong to `av` (valid
 * while it lives); NULL or false when `av` is not of the type asked. */
lambda_ddb_type lambda_ddb_av_type(const cJSON *av);
const char *lambda_ddb_av_get_s(const cJSON *av);      /* the S string, or NULL */
const char *lambda_ddb_av_get_n(const cJSON *av);      /* the N text, or NULL */
/* The N value as a double / as a long long (false when not an N, or not
 * an integer in range for the latter). */
bool lambda_ddb_av_get_double(const cJSON *av, double *out);
bool lambda_ddb_av_get_int(const cJSON *av, long long *out);
/* BOOL: false when it is not a BOOL. */
bool lambda_ddb_av_get_bool(const cJSON *av, bool *out);
/* B decoded into a malloc'd buffer (the caller frees it); false when not a
 * B, not base64, or out of memory. */
bool lambda_ddb_av_get_b(const cJSON *av, void **data, size_t *len);

/* The attribute `name` of an item (a map of AttributeValues), or NULL;
 * and the shortcuts for S and N attributes.  Borrowed from `item`. */
const cJSON *lambda_ddb_attr(const cJSON *item, const char *name);
const char *lambda_ddb_attr_s(const cJSON *item, const char *name);
const char *lambda_ddb_attr_n(const cJSON *item, const char *name);

/*
 * Plain JSON <-> AttributeValue.
 *
 * lambda_ddb_from_plain: a plain value as an AttributeValue (string S, number N,
 * true/false BOOL, null NULL, object M, array L).  Numbers keep the text
 * cJSON reads (doubles: 17 significant digits at most; for larger exact
 * numbers build {"N": "..."} with lambda_ddb_av_n).  lambda_ddb_item_from_plain: a plain
 * object as an item (a map of AttributeValues, not wrapped in "M").
 *
 * lambda_ddb_to_plain: an AttributeValue as plain JSON (S string, N number, B its
 * base64 text, BOOL, NULL null, M object, L array, SS/NS/BS arrays).
 * lambda_ddb_item_to_plain: an item as a plain object.
 *
 * Return a new value (the caller's), or NULL when the input is not of the
 * expected shape (`*why`, may be NULL, says why: static text) or out of
 * memory.
 */
cJSON *lambda_ddb_from_plain(const cJSON *plain, const char **why);
cJSON *lambda_ddb_item_from_plain(const cJSON *plain, const char **why);
cJSON *lambda_ddb_to_plain(const cJSON *av, const char **why);
cJSON *lambda_ddb_item_to_plain(const cJSON *item, const char **why);

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
cJSON *lambda_ddb_request_from_plain(const cJSON *params, const char **why);
cJSON *lambda_ddb_response_to_plain(const cJSON *response, const char **why);

/* ---- options shared by the typed helpers ---------------------------------------- */

/*
 * Expressions ("Using expressions in DynamoDB", Developer Guide): the
 * expression strings, and their name and value placeholders:
 * `names` {"#n": "name"}, `values` {":v": {"S": "x"}} (AttributeValues)
 * or `plain_values` {":v": "x"} (converted); NULL for none.
 */
typedef struct lambda_ddb_expr {
	const char *condition;       /* ConditionExpression */
	const char *projection;      /* ProjectionExpression (get, query, scan) */
	const cJSON *names;
	const cJSON *values;
	const cJSON *plain_values;
} lambda_ddb_expr;

/* ---- single items -------------------------------------------------------------- */

/*
 * GetItem (API Reference: API_GetItem.html; IAM dynamodb:GetItem).  `key`
 * is the item's key as an AttributeValue map; `expr` (may be NULL) gives
 * ProjectionExpression and its names.  `*item` is the item
 * (AttributeValues, the caller's), or NULL when there is none: that is
 * LAMBDA_OK, not an error.
 */
int lambda_ddb_get_item(cJSON **item, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const cJSON *key, bool consistent_read, const lambda_ddb_expr *expr);

/*
 * PutItem (API Reference: API_PutItem.html; IAM dynamodb:PutItem).
 * `item` as AttributeValues.  With
 * `expr->condition` the write happens only when it holds; otherwise
 * kind LAMBDA_AWS_CONDITION_FAILED.  `old` (may be NULL) gets the replaced
 * item (ReturnValues ALL_OLD), NULL when there was none.
 */
int lambda_ddb_put_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const cJSON *item, const lambda_ddb_expr *expr);

/*
 * UpdateItem (API Reference: API_UpdateItem.html; IAM
 * dynamodb:UpdateItem) with `update` as the UpdateExpression
 * ("SET #a = :a REMOVE b"; NULL for none: the item is created with only
 * its key when absent, unless `expr->condition` says otherwise).  `attrs`
 * (may be NULL) gets the item after the update (ReturnValues ALL_NEW; the
 * caller's).  A failed condition is LAMBDA_AWS_CONDITION_FAILED.
 */
int lambda_ddb_update_item(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
			   const cJSON *key, const char *update, const lambda_ddb_expr *expr);

/*
 * UpdateItem that sets every attribute of `fields` (an AttributeValue
 * map; attributes of the key are skipped), building the expression with
 * placeholders, so attribute names need no escaping.  With `must_exist`
 * the item must already exist (condition on the first key attribute):
 * otherwise LAMBDA_AWS_CONDITION_FAILED.  `attrs` as lambda_ddb_update_item.
 */
int lambda_ddb_update_fields(cJSON **attrs, lambda_aws_error *err, lambda_aws *aws, const char *table,
			     const cJSON *key, const cJSON *fields, bool must_exist);

/* DeleteItem (API Reference: API_DeleteItem.html; IAM
 * dynamodb:DeleteItem); `old` (may be NULL) gets the deleted item (the
 * caller's), NULL when there was none. */
int lambda_ddb_delete_item(cJSON **old, lambda_aws_error *err, lambda_aws *aws, const char *table,
			   const cJSON *key, const lambda_ddb_expr *expr);

/* ---- queries and scans ------------------------------------------------------------ */

typedef struct lambda_ddb_query_opts {
	const char *index;           /* IndexName, or NULL for the table */
	const char *key_condition;   /* KeyConditionExpression (Query only) */
	const char *filter;          /* FilterExpression */
	lambda_ddb_expr expr;               /* projection, names, values */
	int limit;                   /* Limit per page, 0: DynamoDB's 1 MB page */
	bool descending;             /* ScanIndexForward false (Query only) */
	bool consistent_read;
	const cJSON *start_key;      /* ExclusiveStartKey: a page's last_key */
} lambda_ddb_query_opts;

/* One page of a Query or Scan: the caller frees it with lambda_ddb_page_free. */
typedef struct lambda_ddb_page {
	cJSON *items;                /* array of items (AttributeValues) */
	size_t count;
	cJSON *last_key;             /* LastEvaluatedKey: pass as start_key for
	                                the next page; NULL on the last page */
	cJSON *response;             /* the whole answer (owns items, last_key) */
} lambda_ddb_page;

void lambda_ddb_page_free(lambda_ddb_page *page);

/* Query / Scan: one page (API Reference: API_Query.html, API_Scan.html;
 * IAM dynamodb:Query / dynamodb:Scan on the table, or on the index when
 * `opts->index` names one).  Query needs `opts->key_condition`; Scan's
 * `opts` may be NULL.  Pagination is the caller's: loop while
 * page.last_key, passing it as start_key.  On failure `*page` is empty
 * (lambda_ddb_page_free is harmless); an answer whose Items is not a
 * list is LAMBDA_AWS_BAD_RESPONSE. */
int lambda_ddb_query(lambda_ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
		     const lambda_ddb_query_opts *opts);
int lambda_ddb_scan(lambda_ddb_page *page, lambda_aws_error *err, lambda_aws *aws, const char *table,
		    const lambda_ddb_query_opts *opts);

/* Every page, followed to the end or until `max_items` (0: no bound)
 * items: `*items` is one array of them (the caller's). */
int lambda_ddb_query_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
			 const lambda_ddb_query_opts *opts, size_t max_items);
int lambda_ddb_scan_all(cJSON **items, lambda_aws_error *err, lambda_aws *aws, const char *table,
			const lambda_ddb_query_opts *opts, size_t max_items);

/*
 * A page's last_key as an opaque token for an API's clients (base64url
 * of its JSON, no padding; malloc'd, the caller frees it; NULL when
 * `last_key` is NULL or out of memory), and back (NULL when `token` is
 * not one: answer 400).
 */
char *lambda_ddb_page_token(const cJSON *last_key);
cJSON *lambda_ddb_page_token_parse(const char *token);

/* ---- batches and transactions ------------------------------------------------------ */

/*
 * BatchGetItem (API Reference: API_BatchGetItem.html; IAM
 * dynamodb:BatchGetItem on every table named): `request_items` as the API
 * takes it ({"<table>": {"Keys": [...]}}).  UnprocessedKeys are requested
 * again (with the retry mode's backoff) until none are left or the
 * attempts or the deadline run out; `*responses` is {"<table>": [items]}.
 * When keys stay unprocessed: LAMBDA_EAWS, kind LAMBDA_AWS_THROTTLED, and
 * `*responses` still holds what was read.
 */
int lambda_ddb_batch_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
			 const cJSON *request_items);

/* BatchWriteItem (API Reference: API_BatchWriteItem.html; IAM
 * dynamodb:BatchWriteItem on every table named): `request_items`
 * {"<table>": [{"PutRequest": {"Item": ...}} | {"DeleteRequest": {"Key":
 * ...}}]} (at most 25 requests), UnprocessedItems sent again likewise. */
int lambda_ddb_batch_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *request_items);

/*
 * TransactWriteItems (API Reference: API_TransactWriteItems.html; IAM:
 * each action's own, dynamodb:PutItem, UpdateItem, DeleteItem or
 * ConditionCheckItem on its table): `items` is the
 * TransactItems array ([{"Put": {...}}, {"Update": ...}, {"Delete": ...},
 * {"ConditionCheck": ...}], at most 100).  `client_token` (may be NULL)
 * makes retries idempotent.  A failed condition cancels the whole
 * transaction: kind LAMBDA_AWS_TRANSACTION_CANCELED, and
 * lambda_aws_cancellation_code(err, i) says which action failed
 * ("ConditionalCheckFailed") and which did not ("None").
 */
int lambda_ddb_transact_write(lambda_aws_error *err, lambda_aws *aws, const cJSON *items,
			      const char *client_token);

/* TransactGetItems (API Reference: API_TransactGetItems.html; IAM
 * dynamodb:GetItem on each table): `items`
 * [{"Get": {"TableName": ..., "Key": ...}}]; `*responses` is the answer's
 * Responses array ([{"Item": ...} or {} per Get], in order). */
int lambda_ddb_transact_get(cJSON **responses, lambda_aws_error *err, lambda_aws *aws,
			    const cJSON *items);

/* Helpers for building TransactItems entries: {"Put": {"TableName",
 * "Item", "ConditionExpression"?}} and so on.  `condition` may be NULL;
 * `values` (AttributeValues, may be NULL) is copied.  NULL when out of
 * memory. */
cJSON *lambda_ddb_tx_put(const char *table, const cJSON *item, const char *condition,
			 const cJSON *names, const cJSON *values);
cJSON *lambda_ddb_tx_delete(const char *table, const cJSON *key, const char *condition,
			    const cJSON *names, const cJSON *values);
cJSON *lambda_ddb_tx_update(const char *table, const cJSON *key, const char *update,
			    const char *condition, const cJSON *names, const cJSON *values);
cJSON *lambda_ddb_tx_condition(const char *table, const cJSON *key, const char *condition,
			       const cJSON *names, const cJSON *values);

#ifdef __cplusplus
}
#endif

#endif
