/*
 * create_order.c - POST /orders/: place an order for an existing user.
 *
 * Body: {"amount": 5.5, "numItems": 2, "username": "john"}
 * 200 {"message": "Order placed successfully", "success": true,
 *      "data": {"PK": "CUSTOMER#john", "SK": "#ORDER#<id>", "OrderId": "<id>",
 *               "CreatedAt": "2024-05-01T12:00:00.123Z", "Status": "PLACED",
 *               "Amount": 5.5, "NumberItems": 2}}
 * 404 {"message": "User john not found", "success": false}
 * 400 for a body that is not such an object
 *
 * The order id is a KSUID: 4 bytes of seconds since 2014-05-13T16:53:20Z
 * and 16 random bytes, as 27 base62 digits (0-9A-Za-z, zero-padded).
 * Digits in ASCII order make the text sort as the number does, so ids
 * sort by creation second and SK = #ORDER#<id> lists a user's orders in
 * time order (within one second, in random order).
 *
 * One TransactWriteItems: a ConditionCheck that the user exists
 * (dynamodb:ConditionCheckItem) and the Put of the order on a new key
 * (dynamodb:PutItem); both on the table, both granted by `shop:put`.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "handlers.h"

#define KSUID_EPOCH 1400000000LL   /* KSUID's epoch, Unix seconds */
#define KSUID_BYTES 20
#define KSUID_LEN 27               /* base62 digits of 2^160 - 1 */

/* `n` random bytes from the kernel; false when it has none to give. */
static bool random_bytes(unsigned char *out, size_t n)
{
	while (n > 0) {
		ssize_t got = getrandom(out, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		out += got;
		n -= (size_t)got;
	}
	return true;
}

/*
 * The KSUID of Unix second `unix_s` and the 16 bytes `payload` as 27
 * base62 digits and a NUL in `out`.  Seconds before the epoch or past its
 * 136 years are clamped (never happens on a sane clock).
 */
static void ksuid_format(char out[KSUID_LEN + 1], long long unix_s, const unsigned char payload[16])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	long long t = unix_s - KSUID_EPOCH;
	if (t < 0)
		t = 0;
	if (t > 0xffffffffLL)
		t = 0xffffffffLL;
	unsigned char n[KSUID_BYTES] = {(unsigned char)(t >> 24), (unsigned char)(t >> 16),
					(unsigned char)(t >> 8), (unsigned char)t};
	memcpy(n + 4, payload, 16);
	/* Long division of the 160-bit big-endian number by 62, digit by
	 * digit from the lowest. */
	for (int pos = KSUID_LEN - 1; pos >= 0; pos--) {
		unsigned rem = 0;
		for (int i = 0; i < KSUID_BYTES; i++) {
			unsigned cur = rem * 256 + n[i];
			n[i] = (unsigned char)(cur / 62);
			rem = cur % 62;
		}
		out[pos] = digits[rem];
	}
	out[KSUID_LEN] = '\0';
}

/* A new KSUID for now, and `created` the same instant as ISO 8601 UTC
 * with milliseconds; false when the kernel gave no random bytes. */
static bool new_order_id(char id[KSUID_LEN + 1], char created[32])
{
	struct timespec ts;
	struct tm tm;
	unsigned char payload[16];
	if (!random_bytes(payload, sizeof(payload)))
		return false;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(created, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(created + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
	ksuid_format(id, (long long)ts.tv_sec, payload);
	return true;
}

static cJSON *key_of(const char *pk, const char *sk)
{
	cJSON *key = cJSON_CreateObject();
	if (lambda_ddb_av_put(key, "PK", lambda_ddb_av_s(pk)) != LAMBDA_OK ||
	    lambda_ddb_av_put(key, "SK", lambda_ddb_av_s(sk)) != LAMBDA_OK) {
		cJSON_Delete(key);
		return NULL;
	}
	return key;
}

int handle_http_create_order(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	(void)ctx;

	cJSON *body = lambda_request_json(req);
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(body, "amount");
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(body, "numItems");
	const char *username = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "username"));
	int rc;
	if (!cJSON_IsObject(body) || !cJSON_IsNumber(amount) || !cJSON_IsNumber(count) || !username ||
	    !*username || strlen(username) > 64 || strchr(username, '#') ||
	    !isfinite(amount->valuedouble) || amount->valuedouble < 0 ||
	    count->valuedouble < 1 || count->valuedouble > 1e6 ||
	    count->valuedouble != floor(count->valuedouble)) {
		rc = lambda_response_message(res, 400, "the body must be a JSON object with amount "
			"(a number >= 0), numItems (an integer >= 1) and username");
		cJSON_Delete(body);
		return rc;
	}
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		cJSON_Delete(body);
		return lambda_response_message(res, 500, "internal server error");
	}

	char id[KSUID_LEN + 1], created[32], pk[80], sk[8 + KSUID_LEN + 1];
	if (!new_order_id(id, created)) {
		lambda_log_error("getrandom: %s", strerror(errno));
		cJSON_Delete(body);
		return lambda_response_message(res, 500, "internal server error");
	}
	snprintf(pk, sizeof(pk), "CUSTOMER#%s", username);
	snprintf(sk, sizeof(sk), "#ORDER#%s", id);

	rc = LAMBDA_ENOMEM;
	lambda_aws_error err = {0};
	cJSON *user_key = key_of(pk, pk), *order = key_of(pk, sk), *items = cJSON_CreateArray();
	cJSON *plain = NULL, *out = NULL;
	if (!user_key || !order || !items ||
	    lambda_ddb_av_put(order, "OrderId", lambda_ddb_av_s(id)) != LAMBDA_OK ||
	    lambda_ddb_av_put(order, "CreatedAt", lambda_ddb_av_s(created)) != LAMBDA_OK ||
	    lambda_ddb_av_put(order, "Status", lambda_ddb_av_s("PLACED")) != LAMBDA_OK ||
	    lambda_ddb_av_put(order, "Amount", lambda_ddb_from_plain(amount, NULL)) != LAMBDA_OK ||
	    lambda_ddb_av_put(order, "NumberItems", lambda_ddb_av_int((long long)count->valuedouble)) != LAMBDA_OK ||
	    !cJSON_AddItemToArray(items, lambda_ddb_tx_condition(table, user_key, "attribute_exists(PK)", NULL, NULL)) ||
	    !cJSON_AddItemToArray(items, lambda_ddb_tx_put(table, order, "attribute_not_exists(PK)", NULL, NULL)))
		goto done;

	if (lambda_ddb_transact_write(&err, NULL, items, NULL) != LAMBDA_OK) {
		const char *c0 = lambda_aws_cancellation_code(&err, 0);
		if (err.kind == LAMBDA_AWS_TRANSACTION_CANCELED && c0 && !strcmp(c0, "ConditionalCheckFailed")) {
			char msg[128];
			snprintf(msg, sizeof(msg), "User %s not found", username);
			if (!(out = cJSON_CreateObject()) || !cJSON_AddStringToObject(out, "message", msg) ||
			    !cJSON_AddFalseToObject(out, "success"))
				goto done;
			rc = lambda_response_json(res, 404, out);
		} else {
			rc = lambda_crud_error(res, &err, "TransactWriteItems");
		}
		goto done;
	}
	lambda_log_info("order %s placed for %s", id, username);
	if (!(plain = lambda_ddb_item_to_plain(order, NULL)) || !(out = cJSON_CreateObject()) ||
	    !cJSON_AddStringToObject(out, "message", "Order placed successfully") ||
	    !cJSON_AddTrueToObject(out, "success"))
		goto done;
	cJSON_AddItemToObject(out, "data", plain);
	plain = NULL;
	rc = lambda_response_json(res, 200, out);
done:
	cJSON_Delete(out);
	cJSON_Delete(plain);
	cJSON_Delete(items);
	cJSON_Delete(order);
	cJSON_Delete(user_key);
	cJSON_Delete(body);
	lambda_aws_error_free(&err);
	return rc;
}
