/*
 * add_user.c - POST /add_user/: add a user whose username and e-mail
 * address are both unique.
 *
 * Body: {"email": "test@gmail.com", "name": "Test Name", "username": "test111"}
 * 200 {"message": "User test111 with added successfully"}
 * 409 {"message": "User test111 not added: the transaction was canceled (...)"}
 *     when the username or the e-mail address is already taken
 * 400 for a body that is not such an object
 *
 * One TransactWriteItems (dynamodb:PutItem on the table, the action each
 * Put needs) writes two items, each only when its key is new:
 *   the user   PK=CUSTOMER#<username>  SK=CUSTOMER#<username>
 *   a guard    PK=USEREMAIL#<e-mail>   SK=USEREMAIL#<e-mail>  (lower case)
 * so a second user with either value cancels the whole transaction: no
 * half-written user, whichever request comes first.  The cancellation
 * reasons (one per Put, in order) say which value was taken.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

#define MAX_USERNAME 64
#define MAX_EMAIL 254   /* RFC 5321's limit on a forward path */

/* A username: 1..64 of [A-Za-z0-9._-] (no '#', which separates key parts). */
static bool valid_username(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > MAX_USERNAME)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

/* An e-mail address, loosely: printable, no space, one '@' inside. */
static bool valid_email(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	const char *at = s ? strchr(s, '@') : NULL;
	if (n < 3 || n > MAX_EMAIL || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static const char *string_member(const cJSON *obj, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
	return s && *s ? s : NULL;
}

/* An item of two key attributes PK = SK = `prefix` + `value`; NULL when out
 * of memory. */
static cJSON *keyed_item(const char *prefix, const char *value)
{
	char key[16 + MAX_EMAIL + 1];
	snprintf(key, sizeof(key), "%s%s", prefix, value);
	cJSON *item = cJSON_CreateObject();
	if (lambda_ddb_av_put(item, "PK", lambda_ddb_av_s(key)) != LAMBDA_OK ||
	    lambda_ddb_av_put(item, "SK", lambda_ddb_av_s(key)) != LAMBDA_OK) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

static int answer(lambda_response *res, int status, const char *fmt, const char *a, const char *b)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, a, b);
	return lambda_response_message(res, status, msg);
}

int handle_http_add_user(const lambda_request *req, lambda_response *res,
	const lambda_context *ctx)
{
	const char *table = getenv("TABLE_SHOP"); /* DynamoDB table shop */
	(void)ctx;

	cJSON *body = lambda_request_json(req);
	const char *username = string_member(body, "username");
	const char *email = string_member(body, "email");
	const char *name = string_member(body, "name");
	int rc;
	if (!cJSON_IsObject(body) || !username || !email || !name) {
		rc = lambda_response_message(res, 400,
			"the body must be a JSON object with the strings email, name and username");
		cJSON_Delete(body);
		return rc;
	}
	if (!valid_username(username) || !valid_email(email)) {
		rc = lambda_response_message(res, 400, !valid_username(username)
			? "username: 1 to 64 letters, digits, '.', '_' or '-'"
			: "email: not an e-mail address");
		cJSON_Delete(body);
		return rc;
	}
	if (!table) {
		lambda_log_error("TABLE_SHOP is not set");
		cJSON_Delete(body);
		return lambda_response_message(res, 500, "internal server error");
	}

	/* Addresses are unique whatever their case. */
	char lower[MAX_EMAIL + 1];
	size_t i;
	for (i = 0; email[i]; i++)
		lower[i] = (char)tolower((unsigned char)email[i]);
	lower[i] = '\0';

	rc = LAMBDA_ENOMEM;
	cJSON *user = keyed_item("CUSTOMER#", username);
	cJSON *guard = keyed_item("USEREMAIL#", lower);
	cJSON *items = cJSON_CreateArray();
	lambda_aws_error err = {0};
	if (!user || !guard || !items ||
	    lambda_ddb_av_put(user, "Username", lambda_ddb_av_s(username)) != LAMBDA_OK ||
	    lambda_ddb_av_put(user, "Email", lambda_ddb_av_s(email)) != LAMBDA_OK ||
	    lambda_ddb_av_put(user, "Name", lambda_ddb_av_s(name)) != LAMBDA_OK ||
	    lambda_ddb_av_put(guard, "Username", lambda_ddb_av_s(username)) != LAMBDA_OK ||
	    !cJSON_AddItemToArray(items, lambda_ddb_tx_put(table, user, "attribute_not_exists(PK)", NULL, NULL)) ||
	    !cJSON_AddItemToArray(items, lambda_ddb_tx_put(table, guard, "attribute_not_exists(PK)", NULL, NULL)))
		goto done;

	if (lambda_ddb_transact_write(&err, NULL, items, NULL) == LAMBDA_OK) {
		lambda_log_info("user %s added", username);
		rc = answer(res, 200, "User %s with added successfully", username, "");
	} else if (err.kind == LAMBDA_AWS_TRANSACTION_CANCELED) {
		const char *c0 = lambda_aws_cancellation_code(&err, 0);
		const char *c1 = lambda_aws_cancellation_code(&err, 1);
		bool user_taken = c0 && !strcmp(c0, "ConditionalCheckFailed");
		bool email_taken = c1 && !strcmp(c1, "ConditionalCheckFailed");
		lambda_log_info("user %s not added: transaction canceled (%s, %s)", username,
				c0 ? c0 : "?", c1 ? c1 : "?");
		rc = answer(res, 409, user_taken && email_taken
			? "User %s not added: the transaction was canceled (username and e-mail address %s are taken)"
			: user_taken ? "User %s not added: the transaction was canceled (username taken)%s"
			: email_taken ? "User %s not added: the transaction was canceled (e-mail address %s is taken)"
			: "User %s not added: the transaction was canceled%s",
			username, email_taken ? email : "");
	} else {
		rc = lambda_crud_error(res, &err, "TransactWriteItems");
	}
done:
	lambda_aws_error_free(&err);
	cJSON_Delete(items);
	cJSON_Delete(user);
	cJSON_Delete(guard);
	cJSON_Delete(body);
	return rc;
}
