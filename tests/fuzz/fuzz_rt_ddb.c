/*
 * fuzz_rt_ddb.c - libFuzzer harness of the handler runtime's DynamoDB
 * client on arbitrary answers: the bytes are a script of HTTP answers
 * (rt_fuzz.h: blocks "STATUS[ ERROR-TYPE]\nBODY" separated by "\n--\n"),
 * after an optional first line naming the one operation to run (else
 * each runs), from the script's first block: GetItem, PutItem, UpdateItem (and the field helper), DeleteItem,
 * a Query and a Scan page, Query and Scan followed to the end,
 * BatchGetItem and BatchWriteItem with their unprocessed-items loops,
 * TransactWriteItems (cancellation reasons), TransactGetItems, and the
 * generic call with its answer converted to plain JSON.  Each block's
 * body is also read as a JSON error body (lambda_aws_parse_json_error).
 *
 * Properties beyond no crash, leak or hang: the client never makes more
 * exchanges than the standard retry mode's attempts allow (batches: that
 * many per round, that many rounds), never sleeps past the backoff cap,
 * signs every attempt; a failure always has a kind, a success leaves no
 * error; codes and messages are NUL-terminated and free of control
 * characters; what an operation returns has the documented shape (an
 * item is an object, a page's count is its length, a last key is an
 * object whose page token reads back as the same key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_ddb.h"
#include "rt_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ATTEMPTS LAMBDA_AWS_DEFAULT_ATTEMPTS

static void check_item(const cJSON *item)
{
	if (item && !cJSON_IsObject(item))
		abort();
	/* Whatever came back, reading it as plain JSON either works or says
	 * why; it never crashes. */
	const char *why = NULL;
	cJSON *plain = item ? lambda_ddb_item_to_plain(item, &why) : NULL;
	if (item && !plain && !why)
		abort();
	cJSON_Delete(plain);
}

static void check_page(const lambda_ddb_page *page, int rc)
{
	if (rc != LAMBDA_OK) {
		if (page->items || page->response || page->last_key || page->count)
			abort();
		return;
	}
	if (!cJSON_IsArray(page->items) || (size_t)cJSON_GetArraySize(page->items) != page->count)
		abort();
	for (const cJSON *it = page->items->child; it; it = it->next)
		check_item(cJSON_IsObject(it) ? it : NULL);
	if (page->last_key) {
		if (!cJSON_IsObject(page->last_key))
			abort();
		/* The token of a key reads back as that key, when it is one. */
		char *token = lambda_ddb_page_token(page->last_key);
		cJSON *back = token ? lambda_ddb_page_token_parse(token) : NULL;
		if (back && !cJSON_Compare(back, page->last_key, true))
			abort();
		if (token && strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789-_") != strlen(token))
			abort(); /* base64url, no padding: safe in a query string */
		cJSON_Delete(back);
		free(token);
	}
}

/* The operations, each run from the script's first block. */
typedef struct fixture {
	cJSON *key, *item;
} fixture;

static void op_get(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_get_item(&out, &err, aws, "t", f->key, true, NULL);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	if (s->exchanges && strcmp(s->last_target, "DynamoDB_20120810.GetItem"))
		abort();
	if (rc != LAMBDA_OK && out)
		abort();
	check_item(out);
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

static void op_put(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	lambda_ddb_expr cond = {.condition = "attribute_not_exists(id)"};
	int rc = lambda_ddb_put_item(&out, &err, aws, "t", f->item, &cond);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	check_item(out);
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

static void op_update(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	cJSON *one = cJSON_Parse("{\":one\": 1}");
	int rc = lambda_ddb_update_item(&out, &err, aws, "t", f->key, "SET n = n + :one",
					&(lambda_ddb_expr){.plain_values = one});
	cJSON_Delete(one);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	check_item(out);
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

static void op_update_fields(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_update_fields(&out, &err, aws, "t", f->key, f->item, true);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	check_item(out);
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

static void op_delete(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_delete_item(&out, &err, aws, "t", f->key, NULL);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	check_item(out);
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

/* A query on an index, one page or (`all`) every page. */
static void query(rt_fuzz_script *s, lambda_aws *aws, bool scan, bool all)
{
	lambda_ddb_query_opts qo = {.key_condition = "id = :v", .limit = 10, .index = "by_x"};
	cJSON *values = cJSON_CreateObject();
	lambda_ddb_av_put(values, ":v", lambda_ddb_av_s("k1"));
	qo.expr.values = values;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc;
	if (all) {
		cJSON *out = NULL;
		/* One request per page: as many pages as the script answers. */
		rc = scan ? lambda_ddb_scan_all(&out, &err, aws, "t", NULL, 3)
			  : lambda_ddb_query_all(&out, &err, aws, "t", &qo, 0);
		rt_fuzz_check_call(s, rc, &err, (s->count + 1) * ATTEMPTS);
		if ((rc == LAMBDA_OK) != cJSON_IsArray(out) || (scan && cJSON_GetArraySize(out) > 3))
			abort(); /* max_items bounds what is kept */
		cJSON_Delete(out);
	} else {
		lambda_ddb_page page;
		rc = scan ? lambda_ddb_scan(&page, &err, aws, "t", NULL)
			  : lambda_ddb_query(&page, &err, aws, "t", &qo);
		rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
		check_page(&page, rc);
		lambda_ddb_page_free(&page);
	}
	lambda_aws_error_free(&err);
	cJSON_Delete(values);
}

static void op_query(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	(void)f;
	query(s, aws, false, false);
}

static void op_scan(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	(void)f;
	query(s, aws, true, false);
}

static void op_query_all(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	(void)f;
	query(s, aws, false, true);
}

static void op_scan_all(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	(void)f;
	query(s, aws, true, true);
}

/* Batches: unprocessed work is sent again, at most ATTEMPTS rounds of at
 * most ATTEMPTS attempts. */
static void op_batch_get(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *keys = cJSON_CreateObject();
	cJSON *t = cJSON_AddObjectToObject(keys, "t");
	cJSON *list = cJSON_AddArrayToObject(t, "Keys");
	cJSON_AddItemToArray(list, cJSON_Duplicate(f->key, true));
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_batch_get(&out, &err, aws, keys);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS * ATTEMPTS);
	if (!cJSON_IsObject(out))
		abort(); /* what was read, also after a failure */
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
	cJSON_Delete(keys);
}

static void op_batch_write(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *writes = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(writes, "t");
	cJSON *put = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(put, "PutRequest"), "Item",
			      cJSON_Duplicate(f->item, true));
	cJSON_AddItemToArray(list, put);
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_batch_write(&err, aws, writes);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS * ATTEMPTS);
	lambda_aws_error_free(&err);
	cJSON_Delete(writes);
}

static void op_transact_write(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *tx = cJSON_CreateArray();
	cJSON_AddItemToArray(tx, lambda_ddb_tx_put("t", f->item, "attribute_not_exists(id)", NULL,
						   NULL));
	cJSON_AddItemToArray(tx, lambda_ddb_tx_condition("t", f->key, "attribute_exists(id)", NULL,
							 NULL));
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_transact_write(&err, aws, tx, "token-1");
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	const cJSON *reasons = lambda_aws_cancellation_reasons(&err);
	if (reasons && err.kind != LAMBDA_AWS_TRANSACTION_CANCELED)
		abort();
	for (size_t i = 0; reasons && i <= (size_t)cJSON_GetArraySize(reasons); i++)
		(void)lambda_aws_cancellation_code(&err, i);
	lambda_aws_error_free(&err);
	cJSON_Delete(tx);
}

static void op_transact_get(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	cJSON *gets = cJSON_CreateArray();
	cJSON *get = cJSON_CreateObject();
	cJSON *g = cJSON_AddObjectToObject(get, "Get");
	cJSON_AddStringToObject(g, "TableName", "t");
	cJSON_AddItemToObject(g, "Key", cJSON_Duplicate(f->key, true));
	cJSON_AddItemToArray(gets, get);
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_transact_get(&out, &err, aws, gets);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	if ((rc == LAMBDA_OK) != (out != NULL))
		abort();
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
	cJSON_Delete(gets);
}

/* The generic call, its answer as plain JSON. */
static void op_call(rt_fuzz_script *s, lambda_aws *aws, const fixture *f)
{
	(void)f;
	cJSON *out = NULL;
	lambda_aws_error err;
	memset(&err, 0, sizeof(err));
	int rc = lambda_ddb_call(&out, &err, aws, "DescribeTable", NULL);
	rt_fuzz_check_call(s, rc, &err, ATTEMPTS);
	if ((rc == LAMBDA_OK) != cJSON_IsObject(out))
		abort();
	if (out) {
		const char *why = NULL;
		cJSON *plain = lambda_ddb_response_to_plain(out, &why);
		if (!plain && !why)
			abort();
		cJSON_Delete(plain);
	}
	cJSON_Delete(out);
	lambda_aws_error_free(&err);
}

static const struct {
	const char *name;
	void (*run)(rt_fuzz_script *, lambda_aws *, const fixture *);
} ops[] = {
	{"GetItem", op_get},
	{"PutItem", op_put},
	{"UpdateItem", op_update},
	{"UpdateFields", op_update_fields},
	{"DeleteItem", op_delete},
	{"Query", op_query},
	{"Scan", op_scan},
	{"QueryAll", op_query_all},
	{"ScanAll", op_scan_all},
	{"BatchGetItem", op_batch_get},
	{"BatchWriteItem", op_batch_write},
	{"TransactWriteItems", op_transact_write},
	{"TransactGetItems", op_transact_get},
	{"Call", op_call},
};

/* Each block's body read as a JSON error body, with the block's status. */
static void error_bodies(const rt_fuzz_script *s)
{
	for (size_t i = 0; i < s->count; i++) {
		lambda_aws_error e;
		memset(&e, 0, sizeof(e));
		const char *nl = memchr(s->block[i], '\n', s->len[i]);
		const char *body = nl ? nl + 1 : s->block[i];
		size_t len = s->len[i] - (size_t)(body - s->block[i]);
		int status = 400;
		const char *d = s->block[i];
		if (s->len[i] >= 3 && d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' &&
		    d[2] >= '0' && d[2] <= '9')
			status = (s->block[i][0] - '0') * 100 + (s->block[i][1] - '0') * 10 +
				 (s->block[i][2] - '0');
		lambda_aws_parse_json_error(&e, status, body, len, i & 1 ? "ns#FuzzCode" : NULL);
		if (e.kind == LAMBDA_AWS_OK || (e.details && e.kind != LAMBDA_AWS_TRANSACTION_CANCELED &&
						 e.kind != LAMBDA_AWS_CONDITION_FAILED))
			abort();
		rt_fuzz_check_text(e.code, sizeof(e.code));
		rt_fuzz_check_text(e.message, sizeof(e.message));
		for (size_t k = 0; k < 4; k++)
			(void)lambda_aws_cancellation_code(&e, k);
		lambda_aws_error_free(&e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	rt_fuzz_quiet();
	/* A first line naming an operation runs that one on the rest (the
	 * seeds do: it keeps each input cheap); otherwise every one runs on
	 * the whole input. */
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t which = sizeof(ops) / sizeof(ops[0]);
	for (size_t i = 0; nl && i < sizeof(ops) / sizeof(ops[0]); i++)
		if ((size_t)(nl - text) == strlen(ops[i].name) &&
		    !memcmp(text, ops[i].name, (size_t)(nl - text)))
			which = i;
	if (which < sizeof(ops) / sizeof(ops[0])) {
		size -= (size_t)(nl + 1 - text);
		text = nl + 1;
	}
	rt_fuzz_script s;
	rt_fuzz_script_init(&s, text, size);
	error_bodies(&s);

	lambda_aws *aws = rt_fuzz_client(&s);
	fixture f = {cJSON_CreateObject(), NULL};
	lambda_ddb_av_put(f.key, "id", lambda_ddb_av_s("k1"));
	f.item = cJSON_Duplicate(f.key, true);
	lambda_ddb_av_put(f.item, "n", lambda_ddb_av_int(7));
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (which < sizeof(ops) / sizeof(ops[0]) && i != which)
			continue;
		rt_fuzz_rewind(&s);
		ops[i].run(&s, aws, &f);
	}
	cJSON_Delete(f.item);
	cJSON_Delete(f.key);
	lambda_aws_free(aws);
	return 0;
}
