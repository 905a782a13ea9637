/*
 * lambda_ddb_attr.c - DynamoDB AttributeValues ("AttributeValue", Amazon
 * DynamoDB API Reference): builders, readers, and the conversion to and
 * from plain JSON that boto3's resource API does (TypeSerializer and
 * TypeDeserializer), for values, items and whole requests and answers.
 * Pure: no I/O.  Part of svcgen's handler runtime.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_ddb.h"

/* ---- builders ---------------------------------------------------------------- */

static cJSON *wrap(const char *type, cJSON *inner)
{
	if (!inner)
		return NULL;
	cJSON *av = cJSON_CreateObject();
	if (!av || !cJSON_AddItemToObject(av, type, inner)) {
		cJSON_Delete(av);
		cJSON_Delete(inner);
		return NULL;
	}
	return av;
}

cJSON *lambda_ddb_av_s(const char *s)
{
	return s ? wrap("S", cJSON_CreateString(s)) : NULL;
}

/* A DynamoDB number: optional sign, digits, optional fraction and
 * exponent (what the service accepts as N text). */
static bool number_text(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	(void)d;
	return *end == '\0' && strspn(s, "+-0123456789.eE") == strlen(s) && s[0] != '+' &&
	       strcmp(s, "-") != 0;
}

cJSON *lambda_ddb_av_n(const char *number)
{
	return number_text(number) ? wrap("N", cJSON_CreateString(number)) : NULL;
}

cJSON *lambda_ddb_av_int(long long n)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", n);
	return lambda_ddb_av_n(buf);
}

/* The shortest of %.15g..%.17g that reads back as `d`. */
static void format_double(char *buf, size_t size, double d)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

cJSON *lambda_ddb_av_double(double n)
{
	if (!isfinite(n))
		return NULL;
	char buf[40];
	format_double(buf, sizeof(buf), n);
	return lambda_ddb_av_n(buf);
}

cJSON *lambda_ddb_av_b(const void *data, size_t len)
{
	if (!data && len)
		return NULL;
	char *b64 = lambda_base64_encode(data ? data : "", len);
	if (!b64)
		return NULL;
	cJSON *av = wrap("B", cJSON_CreateString(b64));
	free(b64);
	return av;
}

cJSON *lambda_ddb_av_bool(bool b)
{
	return wrap("BOOL", cJSON_CreateBool(b));
}

cJSON *lambda_ddb_av_null(void)
{
	return wrap("NULL", cJSON_CreateTrue());
}

cJSON *lambda_ddb_av_m(void)
{
	return wrap("M", cJSON_CreateObject());
}

cJSON *lambda_ddb_av_l(void)
{
	return wrap("L", cJSON_CreateArray());
}

static cJSON *string_set(const char *type, const char *const *values, size_t count, bool numbers)
{
	if (!values || !count)
		return NULL; /* DynamoDB has no empty set */
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < count; i++) {
		cJSON *s = values[i] && (!numbers || number_text(values[i]))
				   ? cJSON_CreateString(values[i])
				   : NULL;
		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return wrap(type, arr);
}

cJSON *lambda_ddb_av_ss(const char *const *values, size_t count)
{
	return string_set("SS", values, count, false);
}

cJSON *lambda_ddb_av_ns(const char *const *numbers, size_t count)
{
	return string_set("NS", numbers, count, true);
}

int lambda_ddb_av_put(cJSON *item_or_map, const char *name, cJSON *value)
{
	cJSON *target = item_or_map;
	cJSON *m = cJSON_GetObjectItemCaseSensitive(item_or_map, "M");
	if (cJSON_IsObject(m) && cJSON_GetArraySize(item_or_map) == 1)
		target = m;
	if (!cJSON_IsObject(target) || !name || !value) {
		cJSON_Delete(value);
		return value ? LAMBDA_EINVALID : LAMBDA_ENOMEM;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(target, name);
	if (!cJSON_AddItemToObject(target, name, value)) {
		cJSON_Delete(value);
		return LAMBDA_ENOMEM;
	}
	return LAMBDA_OK;
}

int lambda_ddb_av_append(cJSON *list, cJSON *value)
{
	cJSON *l = cJSON_GetObjectItemCaseSensitive(list, "L");
	if (!cJSON_IsArray(l) || !value) {
		cJSON_Delete(value);
		return value ? LAMBDA_EINVALID : LAMBDA_ENOMEM;
	}
	if (!cJSON_AddItemToArray(l, value)) {
		cJSON_Delete(value);
		return LAMBDA_ENOMEM;
	}
	return LAMBDA_OK;
}

/* ---- readers ---------------------------------------------------------------------- */

lambda_ddb_type lambda_ddb_av_type(const cJSON *av)
{
	if (!cJSON_IsObject(av) || !av->child || av->child->next || !av->child->string)
		return LAMBDA_DDB_INVALID;
	const cJSON *v = av->child;
	const char *t = v->string;
	if (!strcmp(t, "S"))
		return cJSON_IsString(v) ? LAMBDA_DDB_S : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "N"))
		return cJSON_IsString(v) ? LAMBDA_DDB_N : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "B"))
		return cJSON_IsString(v) ? LAMBDA_DDB_B : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "BOOL"))
		return cJSON_IsBool(v) ? LAMBDA_DDB_BOOL : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "NULL"))
		return cJSON_IsTrue(v) ? LAMBDA_DDB_NULL : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "M"))
		return cJSON_IsObject(v) ? LAMBDA_DDB_M : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "L"))
		return cJSON_IsArray(v) ? LAMBDA_DDB_L : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "SS"))
		return cJSON_IsArray(v) ? LAMBDA_DDB_SS : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "NS"))
		return cJSON_IsArray(v) ? LAMBDA_DDB_NS : LAMBDA_DDB_INVALID;
	if (!strcmp(t, "BS"))
		return cJSON_IsArray(v) ? LAMBDA_DDB_BS : LAMBDA_DDB_INVALID;
	return LAMBDA_DDB_INVALID;
}

const char *lambda_ddb_av_get_s(const cJSON *av)
{
	return lambda_ddb_av_type(av) == LAMBDA_DDB_S ? av->child->valuestring : NULL;
}

const char *lambda_ddb_av_get_n(const cJSON *av)
{
	return lambda_ddb_av_type(av) == LAMBDA_DDB_N ? av->child->valuestring : NULL;
}

bool lambda_ddb_av_get_double(const cJSON *av, double *out)
{
	const char *n = lambda_ddb_av_get_n(av);
	if (!n)
		return false;
	char *end;
	double d = strtod(n, &end);
	if (*end != '\0' || end == n)
		return false;
	*out = d;
	return true;
}

bool lambda_ddb_av_get_int(const cJSON *av, long long *out)
{
	const char *n = lambda_ddb_av_get_n(av);
	if (!n)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(n, &end, 10);
	if (*end != '\0' || end == n || errno == ERANGE)
		return false;
	*out = v;
	return true;
}

bool lambda_ddb_av_get_bool(const cJSON *av, bool *out)
{
	if (lambda_ddb_av_type(av) != LAMBDA_DDB_BOOL)
		return false;
	*out = cJSON_IsTrue(av->child);
	return true;
}

bool lambda_ddb_av_get_b(const cJSON *av, void **data, size_t *len)
{
	if (lambda_ddb_av_type(av) != LAMBDA_DDB_B)
		return false;
	lambda_pool *pool = lambda_pool_new();
	char *dec = NULL;
	size_t n = 0;
	const char *s = av->child->valuestring;
	bool ok = pool && lambda_base64_decode(&dec, &n, pool, s, strlen(s)) == LAMBDA_OK;
	void *copy = ok ? malloc(n + 1) : NULL;
	if (copy) {
		memcpy(copy, dec, n);
		((char *)copy)[n] = '\0';
		*data = copy;
		*len = n;
	}
	lambda_pool_free(pool);
	return copy != NULL;
}

const cJSON *lambda_ddb_attr(const cJSON *item, const char *name)
{
	return name && cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, name) : NULL;
}

const char *lambda_ddb_attr_s(const cJSON *item, const char *name)
{
	return lambda_ddb_av_get_s(lambda_ddb_attr(item, name));
}

const char *lambda_ddb_attr_n(const cJSON *item, const char *name)
{
	return lambda_ddb_av_get_n(lambda_ddb_attr(item, name));
}

/* ---- plain JSON -> AttributeValue ------------------------------------------------------ */

/* Nesting bound: DynamoDB allows 32 levels; deeper input is refused
 * rather than recursed into. */
#define MAX_DEPTH 32

static cJSON *from_plain(const cJSON *v, const char **why, int depth);

static cJSON *map_from_plain(const cJSON *obj, const char **why, int depth)
{
	cJSON *m = cJSON_CreateObject();
	for (const cJSON *c = obj->child; m && c; c = c->next) {
		cJSON *av = from_plain(c, why, depth + 1);
		if (!av || !cJSON_AddItemToObject(m, c->string, av)) {
			cJSON_Delete(av);
			cJSON_Delete(m);
			return NULL;
		}
	}
	return m;
}

static cJSON *from_plain(const cJSON *v, const char **why, int depth)
{
	if (depth > MAX_DEPTH) {
		if (why)
			*why = "nested deeper than DynamoDB allows (32 levels)";
		return NULL;
	}
	if (cJSON_IsString(v))
		return lambda_ddb_av_s(v->valuestring);
	if (cJSON_IsBool(v))
		return lambda_ddb_av_bool(cJSON_IsTrue(v));
	if (cJSON_IsNull(v))
		return lambda_ddb_av_null();
	if (cJSON_IsNumber(v)) {
		cJSON *av = lambda_ddb_av_double(v->valuedouble);
		if (!av && why)
			*why = "a number DynamoDB cannot store";
		return av;
	}
	if (cJSON_IsObject(v))
		return wrap("M", map_from_plain(v, why, depth));
	if (cJSON_IsArray(v)) {
		cJSON *l = cJSON_CreateArray();
		for (const cJSON *c = v->child; l && c; c = c->next) {
			cJSON *av = from_plain(c, why, depth + 1);
			if (!av || !cJSON_AddItemToArray(l, av)) {
				cJSON_Delete(av);
				cJSON_Delete(l);
				return NULL;
			}
		}
		return wrap("L", l);
	}
	if (why)
		*why = "a value with no DynamoDB form";
	return NULL;
}

cJSON *lambda_ddb_from_plain(const cJSON *plain, const char **why)
{
	if (why)
		*why = "out of memory";
	return plain ? from_plain(plain, why, 0) : NULL;
}

cJSON *lambda_ddb_item_from_plain(const cJSON *plain, const char **why)
{
	if (why)
		*why = "out of memory";
	if (!cJSON_IsObject(plain)) {
		if (why)
			*why = "an item must be a JSON object";
		return NULL;
	}
	return map_from_plain(plain, why, 0);
}

/* ---- AttributeValue -> plain JSON ------------------------------------------------------ */

static cJSON *to_plain(const cJSON *av, const char **why, int depth);

static cJSON *map_to_plain(const cJSON *m, const char **why, int depth)
{
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *c = m->child; o && c; c = c->next) {
		cJSON *v = to_plain(c, why, depth + 1);
		if (!v || !cJSON_AddItemToObject(o, c->string, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static cJSON *number(const char *text)
{
	char *end;
	double d = strtod(text, &end);
	return *end == '\0' && end != text ? cJSON_CreateNumber(d) : NULL;
}

static cJSON *to_plain(const cJSON *av, const char **why, int depth)
{
	if (depth > MAX_DEPTH) {
		if (why)
			*why = "nested deeper than DynamoDB allows (32 levels)";
		return NULL;
	}
	lambda_ddb_type t = lambda_ddb_av_type(av);
	const cJSON *v = t == LAMBDA_DDB_INVALID ? NULL : av->child;
	switch (t) {
	case LAMBDA_DDB_S:
	case LAMBDA_DDB_B: return cJSON_CreateString(v->valuestring);
	case LAMBDA_DDB_N: {
		cJSON *n = number(v->valuestring);
		if (!n && why)
			*why = "an N value that is not a number";
		return n;
	}
	case LAMBDA_DDB_BOOL: return cJSON_CreateBool(cJSON_IsTrue(v));
	case LAMBDA_DDB_NULL: return cJSON_CreateNull();
	case LAMBDA_DDB_M: return map_to_plain(v, why, depth);
	case LAMBDA_DDB_L:
	case LAMBDA_DDB_SS:
	case LAMBDA_DDB_NS:
	case LAMBDA_DDB_BS: {
		cJSON *arr = cJSON_CreateArray();
		for (const cJSON *c = v->child; arr && c; c = c->next) {
			cJSON *e = NULL;
			if (t == LAMBDA_DDB_L)
				e = to_plain(c, why, depth + 1);
			else if (cJSON_IsString(c))
				e = t == LAMBDA_DDB_NS ? number(c->valuestring) : cJSON_CreateString(c->valuestring);
			if (!e || !cJSON_AddItemToArray(arr, e)) {
				if (!e && why && t != LAMBDA_DDB_L)
					*why = "a set member of the wrong type";
				cJSON_Delete(e);
				cJSON_Delete(arr);
				return NULL;
			}
		}
		return arr;
	}
	case LAMBDA_DDB_INVALID: break;
	}
	if (why)
		*why = "not an AttributeValue";
	return NULL;
}

cJSON *lambda_ddb_to_plain(const cJSON *av, const char **why)
{
	if (why)
		*why = "out of memory";
	return to_plain(av, why, 0);
}

cJSON *lambda_ddb_item_to_plain(const cJSON *item, const char **why)
{
	if (why)
		*why = "out of memory";
	if (!cJSON_IsObject(item)) {
		if (why)
			*why = "an item must be a JSON object";
		return NULL;
	}
	return map_to_plain(item, why, 0);
}

/* ---- whole requests and answers ------------------------------------------------------ */

/* The members holding items or AttributeValue maps, wherever they sit in
 * a request or answer of the data plane. */
static const char *const map_members[] = {
	"Item", "Key", "ExpressionAttributeValues", "ExclusiveStartKey", "LastEvaluatedKey",
	"Attributes", NULL,
};
/* Members holding arrays of items. */
static const char *const list_members[] = {"Items", "Keys", NULL};
/* Members whose children are walked for the above. */
static const char *const walk_members[] = {
	"RequestItems", "TransactItems", "Put", "Update", "Delete", "ConditionCheck", "Get",
	"PutRequest", "DeleteRequest", "Responses", "UnprocessedKeys", "UnprocessedItems",
	"CancellationReasons", NULL,
};

static bool listed(const char *name, const char *const *list)
{
	for (; name && *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/* Convert, in place, the members of `node` (an object or array) that hold
 * items; `to_av` says which way.  Returns false with `*why` on a value
 * that does not convert. */
static bool convert(cJSON *node, bool to_av, bool in_table_map, const char **why, int depth)
{
	if (depth > 8)
		return true;
	for (cJSON *c = node ? node->child : NULL; c; c = c->next) {
		const char *name = cJSON_IsObject(node) ? c->string : NULL;
		bool walk = in_table_map || listed(name, walk_members) || cJSON_IsArray(node);
		if (listed(name, map_members) && cJSON_IsObject(c)) {
			cJSON *conv = to_av ? lambda_ddb_item_from_plain(c, why) : lambda_ddb_item_to_plain(c, why);
			/* This very member (an object may repeat a name), under its
			 * name: ReplaceItemViaPointer keeps the replacement's. */
			char *copy = conv ? malloc(strlen(name) + 1) : NULL;
			if (!copy) {
				cJSON_Delete(conv);
				return false;
			}
			conv->string = strcpy(copy, name);
			cJSON_ReplaceItemViaPointer(node, c, conv);
			c = conv;
		} else if (listed(name, list_members) && cJSON_IsArray(c)) {
			for (cJSON *e = c->child; e; e = e->next) {
				cJSON *conv = to_av ? lambda_ddb_item_from_plain(e, why) : lambda_ddb_item_to_plain(e, why);
				if (!conv || !cJSON_ReplaceItemViaPointer(c, e, conv)) {
					cJSON_Delete(conv);
					return false;
				}
				e = conv;
			}
		} else if (walk && (cJSON_IsObject(c) || cJSON_IsArray(c))) {
			/* RequestItems / Responses / Unprocessed*: keyed by table. */
			bool table_map = listed(name, (const char *const[]){"RequestItems", "Responses",
									     "UnprocessedKeys",
									     "UnprocessedItems", NULL});
			if (table_map && cJSON_IsObject(c)) {
				for (cJSON *t = c->child; t; t = t->next) {
					if (cJSON_IsArray(t) && !strcmp(name, "Responses")) {
						for (cJSON *e = t->child; e; e = e->next) {
							cJSON *conv = to_av ? lambda_ddb_item_from_plain(e, why)
									    : lambda_ddb_item_to_plain(e, why);
							if (!conv || !cJSON_ReplaceItemViaPointer(t, e, conv)) {
								cJSON_Delete(conv);
								return false;
							}
							e = conv;
						}
					} else if (!convert(t, to_av, false, why, depth + 1)) {
						return false;
					}
				}
			} else if (!convert(c, to_av, false, why, depth + 1)) {
				return false;
			}
		}
	}
	return true;
}

cJSON *lambda_ddb_request_from_plain(const cJSON *params, const char **why)
{
	if (why)
		*why = "out of memory";
	if (!cJSON_IsObject(params)) {
		if (why)
			*why = "the parameters must be a JSON object";
		return NULL;
	}
	cJSON *copy = cJSON_Duplicate(params, true);
	if (!copy || !convert(copy, true, false, why, 0)) {
		cJSON_Delete(copy);
		return NULL;
	}
	return copy;
}

cJSON *lambda_ddb_response_to_plain(const cJSON *response, const char **why)
{
	if (why)
		*why = "out of memory";
	if (!cJSON_IsObject(response)) {
		if (why)
			*why = "the answer must be a JSON object";
		return NULL;
	}
	cJSON *copy = cJSON_Duplicate(response, true);
	if (!copy || !convert(copy, false, false, why, 0)) {
		cJSON_Delete(copy);
		return NULL;
	}
	return copy;
}
