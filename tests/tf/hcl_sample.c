/*
 * hcl_sample.c - writes a varied .tf file with the HCL writer, for
 * tests/suites/hcl_fmt.sh to check against HCL's own formatter and parser.
 *
 * Usage: hcl_sample OUT.tf EXPECT.json
 *
 * The file uses every expression kind, strings that need every escape,
 * templates with `$` next to interpolations, alignment groups broken by
 * multi-line values and blank lines, nested and empty blocks, quoted object
 * keys with non-ASCII text (alignment counts grapheme clusters), and an IAM
 * policy converted from JSON.  EXPECT.json maps attributes of the `locals`
 * block to the values HCL must read back: the formatter check alone would
 * not notice an escape that is stable but means something else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/hcl.h"

static sg_arena *A;
static cJSON *expect;

/* Stop at the first writer error: the sample must be built in full. */
#define CHECK(call) check((call) == 0, #call, __LINE__)
#define NN(expr) nonnull((expr), #expr, __LINE__)

static void check(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "hcl_sample.c:%d: failed: %s\n", line, what);
		exit(1);
	}
}

static sg_hcl_expr *nonnull(sg_hcl_expr *e, const char *what, int line)
{
	check(e != NULL, what, line);
	return e;
}

/* A local whose value HCL must read back as the JSON `want`. */
static void local(sg_hcl_body *locals, const char *name, sg_hcl_expr *e, const char *want)
{
	CHECK(sg_hcl_attr(locals, name, e));
	cJSON *w = cJSON_Parse(want);
	check(w != NULL, want, __LINE__);
	cJSON_AddItemToObject(expect, name, w);
}

static sg_hcl_expr *ref(const char *t) { return NN(sg_hcl_ref(A, t)); }
static sg_hcl_expr *str(const char *s) { return NN(sg_hcl_str(A, s)); }

static sg_hcl_body *block(sg_hcl_body *parent, const char *type, const char *l1, const char *l2)
{
	const char *labels[2] = {l1, l2};
	size_t n = l2 ? 2 : l1 ? 1 : 0;
	sg_hcl_body *b;
	CHECK(sg_hcl_block_add(&b, parent, type, labels, n));
	return b;
}

static sg_hcl_expr *tmpl(const char *lit1, const char *interp, const char *lit2)
{
	sg_hcl_expr *t = NN(sg_hcl_template(A));
	if (lit1)
		CHECK(sg_hcl_template_lit(t, lit1));
	if (interp)
		CHECK(sg_hcl_template_interp(t, ref(interp)));
	if (lit2)
		CHECK(sg_hcl_template_lit(t, lit2));
	return t;
}

/* Strings "ref:a.b.c" in the policy JSON become references. */
static sg_hcl_expr *policy_hook(void *ctx, sg_arena *a, const cJSON *v)
{
	(void)ctx;
	if (cJSON_IsString(v) && !strncmp(v->valuestring, "ref:", 4))
		return sg_hcl_ref(a, v->valuestring + 4);
	return NULL;
}

static const char policy_json[] =
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Sid\":\"Table\",\"Effect\":\"Allow\","
	"\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
	"\"Resource\":[\"ref:aws_dynamodb_table.orders.arn\",\"arn:aws:dynamodb:*:*:table/x/index/*\"]},"
	"{\"Effect\":\"Allow\",\"Action\":\"xray:PutTraceSegments\",\"Resource\":\"*\","
	"\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:execute-api:${x}\"},"
	"\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3600, \"s3:max-keys\": 2.5},"
	"\"Bool\":{\"aws:SecureTransport\":true},\"Null\":{\"x\":null}}}]}";

static const char policy_expect[] =
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Sid\":\"Table\",\"Effect\":\"Allow\","
	"\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
	"\"Resource\":[\"<aws_dynamodb_table.orders.arn>\",\"arn:aws:dynamodb:*:*:table/x/index/*\"]},"
	"{\"Effect\":\"Allow\",\"Action\":\"xray:PutTraceSegments\",\"Resource\":\"*\","
	"\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:execute-api:${x}\"},"
	"\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3600, \"s3:max-keys\": 2.5},"
	"\"Bool\":{\"aws:SecureTransport\":true},\"Null\":{\"x\":null}}}]}";

static sg_hcl_expr *policy(void)
{
	cJSON *j = cJSON_Parse(policy_json);
	check(j != NULL, "policy_json", __LINE__);
	sg_hcl_expr *e;
	CHECK(sg_hcl_from_json(&e, A, j, policy_hook, NULL));
	cJSON_Delete(j);
	return e;
}

static void write_terraform_block(sg_hcl_body *file)
{
	sg_hcl_body *tf = block(file, "terraform", NULL, NULL);
	CHECK(sg_hcl_attr_str(tf, "required_version", ">= 1.5"));
	sg_hcl_body *rp = block(tf, "required_providers", NULL, NULL);
	sg_hcl_expr *aws = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(aws, "source", str("hashicorp/aws")));
	CHECK(sg_hcl_object_put(aws, "version", str("~> 5.0")));
	CHECK(sg_hcl_attr(rp, "aws", aws));

	sg_hcl_body *prov = block(file, "provider", "aws", NULL);
	CHECK(sg_hcl_attr_ref(prov, "region", "var.region"));
	sg_hcl_body *dt = block(prov, "default_tags", NULL, NULL);
	CHECK(sg_hcl_attr_ref(dt, "tags", "var.tags"));

	sg_hcl_body *v = block(file, "variable", "region", NULL);
	CHECK(sg_hcl_attr_ref(v, "type", "string"));
	CHECK(sg_hcl_attr_str(v, "default", "us-east-1"));
	CHECK(sg_hcl_attr_str(v, "description", "AWS region, e.g. \"us-east-1\""));

	v = block(file, "variable", "tags", NULL);
	CHECK(sg_hcl_attr(v, "type", NN(sg_hcl_call1(A, "map", ref("string")))));
	CHECK(sg_hcl_attr(v, "default", NN(sg_hcl_object(A))));

	block(file, "data", "aws_partition", "current");
	block(file, "data", "aws_region", "current");
}

static void write_locals(sg_hcl_body *file)
{
	sg_hcl_body *l = block(file, "locals", NULL, NULL);

	/* strings: every escape */
	local(l, "s_plain", str("hello"), "\"hello\"");
	local(l, "s_quote", str("say \"hi\""), "\"say \\\"hi\\\"\"");
	local(l, "s_backslash", str("C:\\path\\n"), "\"C:\\\\path\\\\n\"");
	local(l, "s_newlines", str("a\nb\r\tc"), "\"a\\nb\\r\\tc\"");
	local(l, "s_interp", str("${var.x}"), "\"${var.x}\"");
	local(l, "s_directive", str("%{ if true }x%{ endif }"), "\"%{ if true }x%{ endif }\"");
	local(l, "s_doubled", str("$${x} %%{y}"), "\"$${x} %%{y}\"");
	local(l, "s_sigils", str("cost: $5, 100% {ok} $"), "\"cost: $5, 100% {ok} $\"");
	local(l, "s_controls", str("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	/* (cJSON cannot hold the expected value: not read back) */
	CHECK(sg_hcl_attr(l, "s_nul", NN(sg_hcl_strn(A, "a\0b", 3))));
	local(l, "s_unicode", str("h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x89"),
	      "\"h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x89\"");
	local(l, "s_invisible",
	      str("zw\xE2\x80\x8B" "nb\xC2\xA0" "bom\xEF\xBB\xBF" "nel\xC2\x85" "pua\xEE\x80\x80"),
	      "\"zw\\u200bnb\\u00a0bom\\ufeffnel\\u0085pua\\ue000\"");
	local(l, "s_bad_utf8", str("x\xFFy"), "\"x\xEF\xBF\xBDy\"");
	local(l, "s_empty", str(""), "\"\"");

	CHECK(sg_hcl_blank(l));

	/* templates */
	local(l, "t_mixed", tmpl(NULL, "aws_api_gateway_rest_api.api.execution_arn", "/*/GET/users"),
	      "\"<aws_api_gateway_rest_api.api.execution_arn>/*/GET/users\"");
	local(l, "t_dollar", tmpl("price: $", "var.price", " ${not} %{this}"),
	      "\"price: $<var.price> ${not} %{this}\"");
	local(l, "t_dollars", tmpl("$$", "var.a", "$"), "\"$$<var.a>$\"");
	sg_hcl_expr *t = NN(sg_hcl_template(A));
	CHECK(sg_hcl_template_lit(t, "a$"));
	CHECK(sg_hcl_template_lit(t, "{b}"));
	CHECK(sg_hcl_template_interp(t, ref("var.a")));
	CHECK(sg_hcl_template_interp(t, ref("var.b")));
	CHECK(sg_hcl_template_lit(t, "\"q\"\n"));
	local(l, "t_parts", t, "\"a${b}<var.a><var.b>\\\"q\\\"\\n\"");
	t = NN(sg_hcl_template(A));
	CHECK(sg_hcl_template_lit(t, "n="));
	CHECK(sg_hcl_template_interp(t, NN(sg_hcl_int(A, -1))));
	CHECK(sg_hcl_template_lit(t, " j="));
	sg_hcl_expr *o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "a", NN(sg_hcl_int(A, 1))));
	CHECK(sg_hcl_object_put(o, "b", NN(sg_hcl_tuple_strs(A, (const char *[]){"x", "y"}, 2))));
	CHECK(sg_hcl_template_interp(t, NN(sg_hcl_call1(A, "jsonencode", o))));
	local(l, "t_exprs", t, "\"n=-1 j={\\\"a\\\":1,\\\"b\\\":[\\\"x\\\",\\\"y\\\"]}\"");
	local(l, "t_unwrapped", tmpl(NULL, "var.region", NULL), "\"<var.region>\"");
	local(l, "t_empty", NN(sg_hcl_template(A)), "\"\"");
	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "kept", tmpl(NULL, "var.a", NULL)));
	local(l, "t_nested", o, "{\"kept\":\"<var.a>\"}");

	CHECK(sg_hcl_blank(l));

	/* scalars */
	local(l, "n_int", NN(sg_hcl_int(A, 42)), "42");
	local(l, "n_negative", NN(sg_hcl_int(A, -7)), "-7");
	local(l, "n_decimal", NN(sg_hcl_num(A, 2.5)), "2.5");
	local(l, "n_tenth", NN(sg_hcl_num(A, 0.1)), "0.1");
	local(l, "n_huge", NN(sg_hcl_num(A, 1e300)), "1e300");
	local(l, "n_tiny", NN(sg_hcl_num(A, -1.5e-7)), "-1.5e-7");
	local(l, "n_text", NN(sg_hcl_num_text(A, "12.50")), "12.5");
	local(l, "b_true", NN(sg_hcl_bool(A, true)), "true");
	local(l, "b_false", NN(sg_hcl_bool(A, false)), "false");
	local(l, "z_null", NN(sg_hcl_null(A)), "null");

	/* collections */
	local(l, "tuple_inline", NN(sg_hcl_tuple_strs(A, (const char *[]){"a", "b\"c"}, 2)),
	      "[\"a\", \"b\\\"c\"]");
	local(l, "tuple_empty", NN(sg_hcl_tuple(A, NULL, 0)), "[]");
	sg_hcl_expr *tu = NN(sg_hcl_tuple(A, NULL, 0));
	CHECK(sg_hcl_tuple_push(tu, NN(sg_hcl_int(A, -1))));
	CHECK(sg_hcl_tuple_push(tu, ref("var.a")));
	CHECK(sg_hcl_set_layout(tu, SG_HCL_MULTILINE));
	local(l, "tuple_multi", tu, "[-1, \"<var.a>\"]");
	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "k", str("v")));
	CHECK(sg_hcl_object_put(o, "long_key", NN(sg_hcl_int(A, 2))));
	CHECK(sg_hcl_set_layout(o, SG_HCL_ONELINE));
	sg_hcl_expr *o2 = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o2, "deep", NN(sg_hcl_tuple(A, NULL, 0))));
	tu = NN(sg_hcl_tuple(A, (sg_hcl_expr *[]){o, o2}, 2));
	local(l, "tuple_objects", tu, "[{\"k\":\"v\",\"long_key\":2},{\"deep\":[]}]");
	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "a", NN(sg_hcl_int(A, 1))));
	tu = NN(sg_hcl_tuple(A, &o, 1));
	CHECK(sg_hcl_set_layout(tu, SG_HCL_ONELINE));
	local(l, "tuple_hug", tu, "[{\"a\":1}]");

	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "plain", NN(sg_hcl_int(A, 1))));
	CHECK(sg_hcl_object_put(o, "aws:SourceArn", str("arn")));
	CHECK(sg_hcl_object_put(o, "Fn::GetAtt", NN(sg_hcl_int(A, 2))));
	CHECK(sg_hcl_object_put(o, "with space", NN(sg_hcl_int(A, 3))));
	CHECK(sg_hcl_object_put(o, "null", NN(sg_hcl_int(A, 4))));
	CHECK(sg_hcl_object_put(o, "for", NN(sg_hcl_int(A, 5))));
	CHECK(sg_hcl_object_put(o, "dash-ed", NN(sg_hcl_int(A, 6))));
	CHECK(sg_hcl_object_put(o, "\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87", NN(sg_hcl_int(A, 7))));
	CHECK(sg_hcl_object_put(o, "e\xCC\x81\xCC\x81t\xC3\xA9", NN(sg_hcl_int(A, 8))));
	CHECK(sg_hcl_object_put(o, "\xE6\x97\xA5\xE6\x9C\xAC", NN(sg_hcl_int(A, 9))));
	CHECK(sg_hcl_object_put(o, "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA\xF0\x9F\x87\xAB", NN(sg_hcl_int(A, 10))));
	CHECK(sg_hcl_object_put(o, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", NN(sg_hcl_int(A, 11))));
	CHECK(sg_hcl_object_put(o, "${x}\"", NN(sg_hcl_int(A, 12))));
	/* HCL reads strings in NFC: the expected keys 8 and 11 are composed */
	local(l, "object_keys", o,
	      "{\"plain\":1,\"aws:SourceArn\":\"arn\",\"Fn::GetAtt\":2,\"with space\":3,"
	      "\"null\":4,\"for\":5,\"dash-ed\":6,\"\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87\":7,"
	      "\"\xC3\xA9\xCC\x81t\xC3\xA9\":8,\"\xE6\x97\xA5\xE6\x9C\xAC\":9,"
	      "\"\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA\xF0\x9F\x87\xAB\":10,"
	      "\"\xEA\xB0\x81\":11,\"${x}\\\"\":12}");

	/* calls */
	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "Name", str("x")));
	o2 = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o2, "z", NN(sg_hcl_int(A, 0))));
	CHECK(sg_hcl_set_layout(o2, SG_HCL_ONELINE));
	local(l, "call_hug", NN(sg_hcl_call(A, "merge", (sg_hcl_expr *[]){o2, o}, 2)),
	      "{\"z\":0,\"Name\":\"x\"}");
	o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "a", NN(sg_hcl_int(A, 1))));
	o2 = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o2, "b", NN(sg_hcl_int(A, 2))));
	local(l, "call_two_objects", NN(sg_hcl_call(A, "merge", (sg_hcl_expr *[]){o, o2}, 2)),
	      "{\"a\":1,\"b\":2}");
	sg_hcl_expr *c = NN(sg_hcl_call(A, "coalesce", (sg_hcl_expr *[]){NN(sg_hcl_null(A)), ref("var.a"), str("z")}, 3));
	CHECK(sg_hcl_set_layout(c, SG_HCL_MULTILINE));
	local(l, "call_multi", c, "\"<var.a>\"");
	local(l, "call_upper", NN(sg_hcl_call1(A, "upper", str("\xC3\xA9t\xC3\xA9"))),
	      "\"\xC3\x89T\xC3\x89\"");
	local(l, "policy_doc", policy(), policy_expect);
}

static void write_resources(sg_hcl_body *file)
{
	sg_hcl_body *r = block(file, "resource", "aws_iam_role", "add_user");
	CHECK(sg_hcl_attr_str(r, "name", "shop-dev-add_user"));
	sg_hcl_expr *assume = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(assume, "Version", str("2012-10-17")));
	sg_hcl_expr *stmt = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(stmt, "Effect", str("Allow")));
	sg_hcl_expr *principal = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(principal, "Service", str("lambda.amazonaws.com")));
	CHECK(sg_hcl_object_put(stmt, "Principal", principal));
	CHECK(sg_hcl_object_put(stmt, "Action", str("sts:AssumeRole")));
	CHECK(sg_hcl_object_put(assume, "Statement", NN(sg_hcl_tuple(A, &stmt, 1))));
	CHECK(sg_hcl_attr(r, "assume_role_policy", NN(sg_hcl_call1(A, "jsonencode", assume))));

	r = block(file, "resource", "aws_iam_role_policy", "add_user");
	CHECK(sg_hcl_attr_str(r, "name", "least-privilege"));
	CHECK(sg_hcl_attr_ref(r, "role", "aws_iam_role.add_user.id"));
	CHECK(sg_hcl_attr(r, "policy", NN(sg_hcl_call1(A, "jsonencode", policy()))));

	r = block(file, "resource", "aws_lambda_function", "add_user");
	CHECK(sg_hcl_attr_str(r, "function_name", "shop-dev-add_user"));
	CHECK(sg_hcl_attr_ref(r, "role", "aws_iam_role.add_user.arn"));
	CHECK(sg_hcl_attr_str(r, "handler", "bootstrap"));
	CHECK(sg_hcl_attr_str(r, "runtime", "provided.al2023"));
	CHECK(sg_hcl_attr(r, "architectures", NN(sg_hcl_tuple_strs(A, (const char *[]){"arm64"}, 1))));
	CHECK(sg_hcl_attr_int(r, "memory_size", 256));
	CHECK(sg_hcl_attr_int(r, "timeout", 10));
	CHECK(sg_hcl_blank(r));
	CHECK(sg_hcl_attr_str(r, "filename", "build/add_user.zip"));
	CHECK(sg_hcl_attr(r, "source_code_hash",
	                  NN(sg_hcl_call1(A, "filebase64sha256", str("build/add_user.zip")))));
	sg_hcl_body *env = block(r, "environment", NULL, NULL);
	sg_hcl_expr *vars = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(vars, "TABLE_ORDERS", ref("aws_dynamodb_table.orders.name")));
	CHECK(sg_hcl_object_put(vars, "LOG_LEVEL", str("info")));
	CHECK(sg_hcl_attr(env, "variables", vars));
	sg_hcl_body *tc = block(r, "tracing_config", NULL, NULL);
	CHECK(sg_hcl_attr_str(tc, "mode", "Active"));
	sg_hcl_expr *tag = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(tag, "Function", str("add_user")));
	CHECK(sg_hcl_attr(r, "tags", NN(sg_hcl_call(A, "merge", (sg_hcl_expr *[]){ref("var.tags"), tag}, 2))));
	CHECK(sg_hcl_attr_bool(r, "publish", false));
	CHECK(sg_hcl_attr_ref(r, "kms_key_arn", "data.aws_partition.current.partition"));

	/* alignment groups ended by multi-line values */
	r = block(file, "resource", "aws_dynamodb_table", "orders");
	CHECK(sg_hcl_attr_str(r, "name", "shop-dev-orders"));
	CHECK(sg_hcl_attr_str(r, "billing_mode", "PAY_PER_REQUEST"));
	sg_hcl_expr *ttl = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(ttl, "x", NN(sg_hcl_int(A, 1))));
	CHECK(sg_hcl_attr(r, "a_multi_line_value", ttl));
	CHECK(sg_hcl_attr_str(r, "hash_key", "PK"));
	CHECK(sg_hcl_attr_str(r, "range_key", "SK"));
	sg_hcl_expr *lst = NN(sg_hcl_tuple_strs(A, (const char *[]){"a", "b"}, 2));
	CHECK(sg_hcl_set_layout(lst, SG_HCL_MULTILINE));
	CHECK(sg_hcl_attr(r, "multi_list", lst));
	CHECK(sg_hcl_attr_bool(r, "stream_enabled", true));
	CHECK(sg_hcl_attr_str(r, "stream_view_type", "NEW_AND_OLD_IMAGES"));
	const char *attrs[][2] = {{"PK", "S"}, {"SK", "S"}, {"Email", "S"}};
	for (size_t i = 0; i < 3; i++) {
		sg_hcl_body *ab = block(r, "attribute", NULL, NULL);
		CHECK(sg_hcl_attr_str(ab, "name", attrs[i][0]));
		CHECK(sg_hcl_attr_str(ab, "type", attrs[i][1]));
	}
	sg_hcl_body *gsi = block(r, "global_secondary_index", NULL, NULL);
	CHECK(sg_hcl_attr_str(gsi, "name", "by_email"));
	CHECK(sg_hcl_attr_str(gsi, "hash_key", "Email"));
	CHECK(sg_hcl_attr_str(gsi, "projection_type", "INCLUDE"));
	CHECK(sg_hcl_attr(gsi, "non_key_attributes",
	                  NN(sg_hcl_tuple_strs(A, (const char *[]){"Name", "CreatedAt"}, 2))));
	sg_hcl_body *deep = block(gsi, "nested", "one", NULL);
	deep = block(deep, "deeper", "two", "three");
	CHECK(sg_hcl_attr_int(deep, "level", 3));
	block(deep, "empty", NULL, NULL);
	sg_hcl_body *ttlb = block(r, "ttl", NULL, NULL);
	CHECK(sg_hcl_attr_str(ttlb, "attribute_name", "ExpiresAt"));
	CHECK(sg_hcl_attr_bool(ttlb, "enabled", true));

	r = block(file, "resource", "aws_lambda_permission", "api");
	CHECK(sg_hcl_attr_str(r, "statement_id", "AllowAPIGateway"));
	CHECK(sg_hcl_attr_str(r, "action", "lambda:InvokeFunction"));
	CHECK(sg_hcl_attr_ref(r, "function_name", "aws_lambda_function.add_user.function_name"));
	CHECK(sg_hcl_attr_str(r, "principal", "apigateway.amazonaws.com"));
	CHECK(sg_hcl_attr(r, "source_arn",
	                  tmpl(NULL, "aws_api_gateway_rest_api.api.execution_arn", "/*/POST/users")));

	/* references of every shape, a namespaced function, odd labels */
	r = block(file, "resource", "null_resource", "we\"ird {label} \\ \xC3\xA9\xE2\x80\x8B\t\n");
	CHECK(sg_hcl_attr_ref(r, "count_ref", "count.index"));
	CHECK(sg_hcl_attr_ref(r, "index", "aws_instance.x[0].id"));
	CHECK(sg_hcl_attr_ref(r, "splat", "aws_subnet.s[*].id"));
	CHECK(sg_hcl_attr_ref(r, "attr_splat", "aws_subnet.s.*.id"));
	CHECK(sg_hcl_attr_ref(r, "key", "each.value[\"name\"]"));
	CHECK(sg_hcl_attr_ref(r, "legacy", "aws_instance.x.0.id"));
	CHECK(sg_hcl_attr(r, "arn", NN(sg_hcl_call1(A, "provider::aws::arn_parse", str("arn:aws:s3:::b")))));
	sg_hcl_expr *o = NN(sg_hcl_object(A));
	CHECK(sg_hcl_object_put(o, "neg", NN(sg_hcl_int(A, -3))));
	CHECK(sg_hcl_set_layout(o, SG_HCL_ONELINE));
	sg_hcl_expr *args[] = {NN(sg_hcl_int(A, -1)), o, NN(sg_hcl_tuple(A, NULL, 0)), NN(sg_hcl_object(A))};
	CHECK(sg_hcl_attr(r, "mixed", NN(sg_hcl_call(A, "f", args, 4))));

	CHECK(sg_hcl_attr(r, "now", NN(sg_hcl_call(A, "timestamp", NULL, 0))));

	block(file, "resource", "aws_sns_topic", "empty");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hcl_sample OUT.tf EXPECT.json\n");
		return 2;
	}
	A = sg_arena_new();
	expect = cJSON_CreateObject();
	sg_hcl_body *file = sg_hcl_body_new(A);

	write_terraform_block(file);
	write_locals(file);
	write_resources(file);

	sg_buf out = SG_BUF_INIT;
	CHECK(sg_hcl_write(&out, file));
	char *json = cJSON_Print(expect);
	FILE *f = fopen(argv[1], "wb");
	FILE *j = fopen(argv[2], "wb");
	if (!f || !j || fwrite(out.ptr, 1, out.len, f) != out.len || fputs(json, j) < 0 ||
	    fclose(f) || fclose(j)) {
		perror("hcl_sample");
		return 1;
	}
	free(json);
	cJSON_Delete(expect);
	sg_buf_free(&out);
	sg_arena_free(A);
	return 0;
}
