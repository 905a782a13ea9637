/*
 * test_emit_tf.c - the Terraform emitter: strings from the spec arrive
 * intact and are never interpolated, the output is deterministic, files and
 * data sources appear only when something needs them, and generated names
 * keep clear of the spec's.
 *
 * What HCL itself reads back is checked outside C: with SG_TF_DUMP=DIR this
 * test also writes the tricky spec's configuration to DIR/ and the values
 * HashiCorp's parser must read from it to DIR/expect.json, and
 * tests/suites/tf_schema.sh runs tests/tf/readback.py on them (and the
 * formatter and schema checks besides).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/spec.h"

/* Every awkward kind of text a spec may hold (as in test_emit_cfn.c). */
#define TRICKY_DESC "Orders \"API\" with ${NotAVar} and back\\slash, caf\xc3\xa9 \xe2\x82\xac"
#define TRICKY_ENV "line1\nline2 \"q\" 'a' ${AWS::Region} %{x} \\n \xf0\x9f\x9a\x80"
#define TRICKY_FILTER "${x} %{if y} back\\slash \"q\" $${z}"

static const char tricky_yaml[] =
	"svcgen: 1\n"
	"service: shop\n"
	"description: \"Orders \\\"API\\\" with ${NotAVar} and back\\\\slash, caf\xc3\xa9 \xe2\x82\xac\"\n"
	"tags: {team: \"caf\xc3\xa9 ops\", \"cost:center\": \"a/b=c+d @x\"}\n"
	"defaults:\n"
	"  environment:\n"
	"    TRICKY: \"line1\\nline2 \\\"q\\\" 'a' ${AWS::Region} %{x} \\\\n \xf0\x9f\x9a\x80\"\n"
	"tables:\n"
	"  orders: {partition_key: PK, sort_key: SK, stream: new_image}\n"
	"topics: {events: {display_name: \"Events ${x} %{y}\"}}\n"
	"api:\n"
	"  routes:\n"
	"    /orders/{id}:\n"
	"      GET: {function: get_order, uses: [orders]}\n"
	"functions:\n"
	"  notify:\n"
	"    description: \"tab\\there\"\n"
	"    events:\n"
	"      - stream:\n"
	"          table: orders\n"
	"          filter: {eventName: [INSERT], dynamodb: {NewImage: {Note: {S:\n"
	"                   [\"${x} %{if y} back\\\\slash \\\"q\\\" $${z}\"]}}}}\n"
	"    uses: [events:publish]\n";

typedef struct run {
	sg_arena *arena;
	sg_fileset fs;
	sg_diags diags;
	int rc;
} run;

static run generate(const char *yaml, unsigned what)
{
	run r;
	r.arena = sg_arena_new();
	sg_diags_init(&r.diags, r.arena, "t.yaml");
	sg_spec *spec;
	sg_plan *plan;
	assert_int_equal(sg_spec_parse(&spec, r.arena, &r.diags, "t.yaml", yaml, strlen(yaml)), SG_OK);
	int rc = sg_spec_validate(spec, &r.diags);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, r.arena, spec, &r.diags);
	if (rc != SG_OK)
		sg_diags_print_text(&r.diags, stderr);
	assert_int_equal(rc, SG_OK);
	sg_fileset_init(&r.fs, r.arena);
	r.rc = sg_emit_run(&r.fs, NULL, plan, what, &r.diags);
	if (r.diags.errors)
		sg_diags_print_text(&r.diags, stderr);
	assert_int_equal(r.rc, SG_OK);
	assert_int_equal(r.diags.errors, 0);
	return r;
}

static const char *file(const run *r, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "terraform/%s", name);
	const sg_file *f = sg_fileset_get(&r->fs, path);
	return f ? f->data : NULL;
}

static void assert_contains(const char *text, const char *needle)
{
	assert_non_null(text);
	if (!strstr(text, needle))
		fail_msg("expected to find\n  %s\nin\n%s", needle, text);
}

/* ---- SG_TF_DUMP: what HCL must read back --------------------------------- */

static cJSON *readback_check(cJSON *checks, const char *kind, const char *type, const char *name,
			   const char *path)
{
	cJSON *c = cJSON_CreateObject();
	cJSON *blk = cJSON_AddArrayToObject(c, "block");
	cJSON_AddItemToArray(blk, cJSON_CreateString(kind));
	cJSON_AddItemToArray(blk, cJSON_CreateString(type));
	if (name)
		cJSON_AddItemToArray(blk, cJSON_CreateString(name));
	cJSON_AddStringToObject(c, "path", path);
	cJSON_AddItemToArray(checks, c);
	return c;
}

static void dump(const run *r)
{
	const char *dir = getenv("SG_TF_DUMP");
	if (!dir)
		return;
	char path[4096];
	for (size_t i = 0; i < r->fs.count; i++) {
		const sg_file *f = &r->fs.files[i];
		if (strncmp(f->path, "terraform/", 10))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, f->path + 10);
		FILE *out = fopen(path, "wb");
		assert_non_null(out);
		assert_int_equal(fwrite(f->data, 1, f->len, out), f->len);
		assert_int_equal(fclose(out), 0);
	}
	cJSON *checks = cJSON_CreateArray();
	cJSON_AddStringToObject(readback_check(checks, "resource", "aws_api_gateway_rest_api", "api",
					     "description"), "want", TRICKY_DESC);
	cJSON *c = readback_check(checks, "resource", "aws_lambda_function", "get_order",
				"environment.variables");
	cJSON_AddStringToObject(c, "key", "TRICKY");
	cJSON_AddStringToObject(c, "want", TRICKY_ENV);
	cJSON_AddStringToObject(readback_check(checks, "resource", "aws_lambda_function", "notify",
					     "description"), "want", "tab\there");
	cJSON_AddStringToObject(readback_check(checks, "resource", "aws_sns_topic", "events",
					     "display_name"), "want", "Events ${x} %{y}");
	c = readback_check(checks, "provider", "aws", NULL, "default_tags.tags");
	cJSON_AddStringToObject(c, "key", "team");
	cJSON_AddStringToObject(c, "want", "caf\xc3\xa9 ops");
	c = readback_check(checks, "provider", "aws", NULL, "default_tags.tags");
	cJSON_AddStringToObject(c, "key", "cost:center");
	cJSON_AddStringToObject(c, "want", "a/b=c+d @x");
	c = readback_check(checks, "resource", "aws_lambda_event_source_mapping", "notify_orders",
			 "filter_criteria.filter.pattern");
	cJSON_AddBoolToObject(c, "json", true);
	cJSON *pat = cJSON_Parse("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":"
				 "{\"Note\":{\"S\":[\"\"]}}}}");
	cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(pat, "dynamodb"), "NewImage"), "Note"), "S"), 0);
	cJSON_SetValuestring(s, TRICKY_FILTER);
	cJSON_AddItemToObject(c, "want", pat);
	char *text = cJSON_Print(checks);
	snprintf(path, sizeof(path), "%s/expect.json", dir);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
	cJSON_free(text);
	cJSON_Delete(checks);
}

/* ---- tests ----------------------------------------------------------------- */

/* Spec strings are quoted and escaped: `${` and `%{` doubled, quotes,
 * backslashes and newlines escaped, UTF-8 kept as it is. */
static void test_strings_escaped(void **state)
{
	(void)state;
	run r = generate(tricky_yaml, SG_EMIT_TF);
	dump(&r);
	const char *api = file(&r, "api.tf");
	assert_contains(api, "description = \"Orders \\\"API\\\" with $${NotAVar} and back\\\\slash, "
			     "caf\xc3\xa9 \xe2\x82\xac\"");
	const char *lambda = file(&r, "lambda.tf");
	assert_contains(lambda, "TRICKY       = \"line1\\nline2 \\\"q\\\" 'a' $${AWS::Region} %%{x} "
				"\\\\n \xf0\x9f\x9a\x80\"");
	assert_contains(lambda, "description      = \"tab\\there\"");
	assert_contains(lambda, "S = [\"$${x} %%{if y} back\\\\slash \\\"q\\\" $$${z}\"]");
	assert_contains(file(&r, "sns.tf"), "display_name      = \"Events $${x} %%{y}\"");
	const char *prov = file(&r, "providers.tf");
	assert_contains(prov, "team             = \"caf\xc3\xa9 ops\"");
	assert_contains(prov, "\"cost:center\"    = \"a/b=c+d @x\"");
	sg_arena_free(r.arena);
}

/* Nothing from the spec is ever interpolated: every `${` that is not an
 * escape opens a reference svcgen built (a data source, a variable or a
 * resource attribute). */
static void test_only_references_interpolated(void **state)
{
	(void)state;
	run r = generate(tricky_yaml, SG_EMIT_TF);
	size_t interps = 0;
	for (size_t i = 0; i < r.fs.count; i++) {
		const char *t = r.fs.files[i].data;
		for (const char *p = strstr(t, "${"); p; p = strstr(p + 2, "${")) {
			/* "$${" is an escaped, literal "${" (and the writer spells
			 * a "$" right before an interpolation ${"$"}), so a "${"
			 * after a "$" never opens an interpolation. */
			if (p > t && p[-1] == '$')
				continue;
			interps++;
			if (strncmp(p + 2, "data.aws_", 9) && strncmp(p + 2, "aws_", 4) &&
			    strncmp(p + 2, "var.", 4))
				fail_msg("%s: unexpected interpolation %.40s", r.fs.files[i].path, p);
		}
	}
	assert_true(interps > 0);
	sg_arena_free(r.arena);
}

static void test_deterministic(void **state)
{
	(void)state;
	run a = generate(tricky_yaml, SG_EMIT_TF), b = generate(tricky_yaml, SG_EMIT_TF);
	assert_int_equal(a.fs.count, b.fs.count);
	for (size_t i = 0; i < a.fs.count; i++) {
		const sg_file *fb = sg_fileset_get(&b.fs, a.fs.files[i].path);
		assert_non_null(fb);
		assert_int_equal(a.fs.files[i].len, fb->len);
		assert_memory_equal(a.fs.files[i].data, fb->data, fb->len);
	}
	sg_arena_free(a.arena);
	sg_arena_free(b.arena);
}

/* A service of tables only: no IAM, Lambda or API files, no artifacts_dir,
 * no data sources (nothing builds an ARN). */
static void test_files_only_with_content(void **state)
{
	(void)state;
	static const char yaml[] =
		"svcgen: 1\n"
		"service: store\n"
		"region: eu-north-1\n"
		"tables:\n"
		"  things: {partition_key: id, billing: provisioned, capacity: {read: 2, write: 1},\n"
		"           point_in_time_recovery: false, indexes: {by_kind: {partition_key: kind,\n"
		"           sort_key: at:N, projection: keys_only, capacity: {read: 1, write: 1}}}}\n";
	run r = generate(yaml, SG_EMIT_TF);
	static const char *const absent[] = {"iam.tf", "lambda.tf", "api.tf", "auth.tf",
					     "monitoring.tf", "sns.tf"};
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (file(&r, absent[i]))
			fail_msg("terraform/%s written for a spec without its resources", absent[i]);
	const char *vars = file(&r, "variables.tf");
	assert_contains(vars, "default     = \"eu-north-1\"");
	assert_null(strstr(vars, "artifacts_dir"));
	assert_null(strstr(file(&r, "providers.tf"), "data \""));
	const char *db = file(&r, "dynamodb.tf");
	assert_contains(db, "billing_mode   = \"PROVISIONED\"");
	assert_contains(db, "    key_schema {\n      attribute_name = \"at\"\n      key_type       = \"RANGE\"\n");
	assert_contains(db, "  point_in_time_recovery {\n    enabled = false\n  }");
	assert_contains(db, "  lifecycle {\n    prevent_destroy = true\n  }");
	assert_non_null(file(&r, "versions.tf"));
	assert_non_null(file(&r, "outputs.tf"));
	sg_arena_free(r.arena);
}

/* The API Gateway CloudWatch role keeps clear of a function of that name. */
static void test_generated_names_clear_of_spec_names(void **state)
{
	(void)state;
	static const char yaml[] =
		"svcgen: 1\n"
		"service: names\n"
		"api:\n"
		"  access_logs: true\n"
		"  routes:\n"
		"    /a: {GET: {function: api_gateway_cloudwatch}}\n";
	run r = generate(yaml, SG_EMIT_TF | SG_EMIT_CFN);
	assert_contains(file(&r, "iam.tf"), "resource \"aws_iam_role\" \"api_gateway_cloudwatch\" {");
	const char *api = file(&r, "api.tf");
	assert_contains(api, "resource \"aws_iam_role\" \"api_gateway_cloudwatch_2\" {");
	assert_contains(api, "cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch_2.arn");
	sg_arena_free(r.arena);
}

/* An HTTP API with a Cognito JWT authorizer: issuer and audience built from
 * the pool and client, routes scoped. */
static void test_http_jwt(void **state)
{
	(void)state;
	static const char yaml[] =
		"svcgen: 1\n"
		"service: jwt\n"
		"auth: {cognito: {user_pool: jwt-users, sign_in: [username, email], mfa: on}}\n"
		"api:\n"
		"  type: http\n"
		"  auth: cognito\n"
		"  routes:\n"
		"    /me: {GET: {function: me, scopes: [openid]}}\n";
	run r = generate(yaml, SG_EMIT_TF);
	const char *api = file(&r, "api.tf");
	assert_contains(api, "issuer   = \"https://cognito-idp.${data.aws_region.current.region}"
			     ".amazonaws.com/${aws_cognito_user_pool.main.id}\"");
	assert_contains(api, "audience = [aws_cognito_user_pool_client.main.id]");
	assert_contains(api, "authorizer_id        = aws_apigatewayv2_authorizer.cognito.id");
	assert_contains(api, "authorization_scopes = [\"openid\"]");
	const char *auth = file(&r, "auth.tf");
	assert_contains(auth, "alias_attributes         = [\"email\"]");
	assert_contains(auth, "mfa_configuration        = \"ON\"");
	assert_contains(auth, "  software_token_mfa_configuration {\n    enabled = true\n  }");
	assert_contains(file(&r, "providers.tf"), "data \"aws_region\" \"current\" {}");
	sg_arena_free(r.arena);
}

static void test_usage_errors(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_fileset fs;
	sg_fileset_init(&fs, a);
	sg_diags d;
	sg_diags_init(&d, a, "t.yaml");
	assert_int_equal(sg_emit_tf(&fs, NULL, &d), SG_EUSAGE);
	assert_int_equal(sg_emit_tf(NULL, NULL, &d), SG_EUSAGE);
	assert_int_equal(fs.count, 0);
	sg_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_escaped),
		cmocka_unit_test(test_only_references_interpolated),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_files_only_with_content),
		cmocka_unit_test(test_generated_names_clear_of_spec_names),
		cmocka_unit_test(test_http_jwt),
		cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests_name("emit_tf", tests, NULL, NULL);
}
