/*
 * fuzz_rt_attr.c - libFuzzer harness of the handler runtime's
 * AttributeValue code (lambda_ddb_attr.c): the bytes are read as JSON and
 * taken as a plain value, an item, an AttributeValue, a whole request and
 * an answer; the text itself is also read as a page token.
 *
 * Properties beyond no crash, leak or hang:
 *   - plain -> AttributeValue -> plain gives the value back (values and
 *     items), and the only refusals are the documented ones (a number
 *     DynamoDB cannot store, nesting deeper than 32);
 *   - a request converted from plain JSON converts back, as an answer, to
 *     the same JSON (the two walks are mirror images);
 *   - the readers agree with lambda_ddb_av_type (a reader answers exactly
 *     for its own type), and an N read as a double or integer is the
 *     number its text says;
 *   - a key's page token is base64url and reads back as the same key, and
 *     no text that is not a token reads as one that holds a non-key.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_ddb.h"
#include "rt_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same JSON, member for member in the same order (cJSON_Compare is
 * quadratic in an object's size, and blind to duplicate names). */
static bool same(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xff) != (b->type & 0xff))
		return false;
	if (cJSON_IsNumber(a))
		return a->valuedouble == b->valuedouble;
	if (cJSON_IsString(a))
		return !strcmp(a->valuestring, b->valuestring);
	if (!cJSON_IsArray(a) && !cJSON_IsObject(a))
		return true;
	const cJSON *x = a->child, *y = b->child;
	for (; x && y; x = x->next, y = y->next)
		if ((cJSON_IsObject(a) && strcmp(x->string, y->string)) || !same(x, y))
			return false;
	return !x && !y;
}

/* A refusal must be one of the documented ones, never "out of memory". */
static void check_refusal(const char *why)
{
	if (!why || !strcmp(why, "out of memory"))
		abort();
}

static void check_readers(const cJSON *av)
{
	lambda_ddb_type t = lambda_ddb_av_type(av);
	const char *s = lambda_ddb_av_get_s(av);
	const char *n = lambda_ddb_av_get_n(av);
	if ((s != NULL) != (t == LAMBDA_DDB_S) || (n != NULL) != (t == LAMBDA_DDB_N))
		abort();
	bool b;
	if (lambda_ddb_av_get_bool(av, &b) != (t == LAMBDA_DDB_BOOL))
		abort();
	double d;
	if (lambda_ddb_av_get_double(av, &d) && (t != LAMBDA_DDB_N || d != strtod(n, NULL)))
		abort();
	long long i;
	if (lambda_ddb_av_get_int(av, &i) && (t != LAMBDA_DDB_N || i != strtoll(n, NULL, 10)))
		abort();
	void *bytes = NULL;
	size_t len = 0;
	if (lambda_ddb_av_get_b(av, &bytes, &len)) {
		if (t != LAMBDA_DDB_B || ((char *)bytes)[len] != '\0')
			abort(); /* decoded, and NUL-terminated past its length */
		free(bytes);
	}
	/* Text read as a number: the builder agrees with the reader. */
	if (s) {
		cJSON *num = lambda_ddb_av_n(s);
		if (num && !lambda_ddb_av_get_n(num))
			abort();
		cJSON_Delete(num);
	}
}

/* An object whose members are all AttributeValues (a key or an item). */
static bool is_item(const cJSON *j)
{
	if (!cJSON_IsObject(j) || !j->child)
		return false;
	for (const cJSON *c = j->child; c; c = c->next)
		if (lambda_ddb_av_type(c) == LAMBDA_DDB_INVALID)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	rt_fuzz_quiet();

	/* The text as a page token: it reads as a key or not at all. */
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	cJSON *tk = lambda_ddb_page_token_parse(text);
	if (tk && !is_item(tk))
		abort();
	cJSON_Delete(tk);
	free(text);

	cJSON *j = cJSON_ParseWithLength((const char *)data, size);
	if (!j)
		return 0;
	const char *why = NULL;

	/* As a plain value, and as an item. */
	cJSON *av = lambda_ddb_from_plain(j, &why);
	if (av) {
		cJSON *back = lambda_ddb_to_plain(av, &why);
		if (!back || !same(back, j))
			abort();
		cJSON_Delete(back);
		check_readers(av);
	} else {
		check_refusal(why);
	}
	cJSON_Delete(av);
	if (cJSON_IsObject(j)) {
		cJSON *item = lambda_ddb_item_from_plain(j, &why);
		if (item) {
			cJSON *back = lambda_ddb_item_to_plain(item, &why);
			if (!back || !same(back, j))
				abort();
			cJSON_Delete(back);
		} else {
			check_refusal(why);
		}
		cJSON_Delete(item);
	}

	/* As an AttributeValue: read it, and each member of it. */
	check_readers(j);
	for (const cJSON *c = cJSON_IsObject(j) ? j->child : NULL; c; c = c->next)
		check_readers(c);
	cJSON *plain = lambda_ddb_to_plain(j, &why);
	if (!plain && lambda_ddb_av_type(j) != LAMBDA_DDB_INVALID)
		check_refusal(why);
	cJSON_Delete(plain);
	plain = lambda_ddb_item_to_plain(j, &why);
	cJSON_Delete(plain);

	/* As a request and an answer: the walks mirror each other. */
	cJSON *req = lambda_ddb_request_from_plain(j, &why);
	if (req) {
		cJSON *back = lambda_ddb_response_to_plain(req, &why);
		if (!back || !same(back, j))
			abort();
		cJSON_Delete(back);
	} else if (cJSON_IsObject(j)) {
		check_refusal(why);
	}
	cJSON_Delete(req);
	cJSON *res = lambda_ddb_response_to_plain(j, &why);
	cJSON_Delete(res);

	/* As a key: its page token. */
	if (is_item(j)) {
		char *token = lambda_ddb_page_token(j);
		if (!token || strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					    "0123456789-_") != strlen(token))
			abort();
		cJSON *back = lambda_ddb_page_token_parse(token);
		/* The key as its JSON text reads back: the token carries that
		 * text, and cJSON writes a number past a double's range (1e400)
		 * as null. */
		char *text_j = cJSON_PrintUnformatted(j);
		cJSON *want = text_j ? cJSON_Parse(text_j) : NULL;
		/* Tokens are bounded (8 KiB); a key that large has none. */
		if (strlen(token) <= 8192 && want && (!back || !same(back, want)))
			abort();
		cJSON_Delete(want);
		cJSON_free(text_j);
		cJSON_Delete(back);
		free(token);
	}
	cJSON_Delete(j);
	return 0;
}
