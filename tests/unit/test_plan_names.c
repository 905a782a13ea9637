/*
 * test_plan_names.c - names the plan gives out: PascalCase, snake_case and
 * upper-case shapes; CloudFormation logical IDs (alphanumeric, at most 255
 * characters, unique ignoring case, stable); Terraform names; physical
 * names and their AWS length limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_plan_fixture.h"

/* ---- shapes ---------------------------------------------------------------- */

static void test_pascal(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	assert_string_equal(sg_plan_pascal(a, "add_user"), "AddUser");
	assert_string_equal(sg_plan_pascal(a, "orders"), "Orders");
	assert_string_equal(sg_plan_pascal(a, "{proxy+}"), "Proxy");
	assert_string_equal(sg_plan_pascal(a, "{user_id}"), "UserId");
	assert_string_equal(sg_plan_pascal(a, "by-email"), "ByEmail");
	assert_string_equal(sg_plan_pascal(a, "v1.2"), "V12");
	assert_string_equal(sg_plan_pascal(a, "user_2fa"), "User2fa");
	assert_string_equal(sg_plan_pascal(a, "a__b"), "AB");
	/* Idempotent, and the rest of a part keeps its case. */
	assert_string_equal(sg_plan_pascal(a, "AddUser"), "AddUser");
	assert_string_equal(sg_plan_pascal(a, "PK_ID"), "PKID");
	assert_string_equal(sg_plan_pascal(a, ""), "");
	assert_string_equal(sg_plan_pascal(a, "_-_"), "");
	sg_arena_free(a);
}

static void test_snake_and_shout(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	assert_string_equal(sg_plan_snake(a, "add_user"), "add_user");
	assert_string_equal(sg_plan_snake(a, "{proxy+}"), "proxy");
	assert_string_equal(sg_plan_snake(a, "/users/{user_id}/orders"), "users_user_id_orders");
	assert_string_equal(sg_plan_snake(a, "Users/{Id}"), "users_id");
	assert_string_equal(sg_plan_snake(a, "GET"), "get");
	assert_string_equal(sg_plan_snake(a, "v1.2"), "v1_2");
	/* Terraform names start with a letter or "_". */
	assert_string_equal(sg_plan_snake(a, "/2024/report"), "_2024_report");
	assert_string_equal(sg_plan_snake(a, "/"), "");

	assert_string_equal(sg_plan_shout(a, "order_events"), "ORDER_EVENTS");
	assert_string_equal(sg_plan_shout(a, "by-day"), "BY_DAY");
	assert_string_equal(sg_plan_shout(a, "t2"), "T2");
	sg_arena_free(a);
}

/* ---- logical IDs -------------------------------------------------------------------- */

static void test_logical_id_basic(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_plan_names *ids = sg_plan_names_new(a, true);
	assert_string_equal(sg_plan_logical_id(ids, "add_user", "Function"), "AddUserFunction");
	assert_string_equal(sg_plan_logical_id(ids, "add_user", "Role"), "AddUserRole");
	assert_string_equal(sg_plan_logical_id(ids, "orders", "Table"), "OrdersTable");
	assert_string_equal(sg_plan_logical_id(ids, "Api", ""), "Api");
	/* The suffix is filtered too: nothing but letters and digits. */
	assert_string_equal(sg_plan_logical_id(ids, "x", "Stream-Mapping"), "XStreamMapping");
	/* Nothing alphanumeric at all still gives a valid ID. */
	const char *empty = sg_plan_logical_id(ids, "", "");
	assert_true(sg_plan_logical_id_valid(empty));
	assert_true(sg_plan_names_has(ids, "addUSERfunction"));   /* case folded */
	sg_arena_free(a);
}

/* The first claimant keeps the name; later ones get 2, 3, ...  Names that
 * differ only in case clash too. */
static void test_logical_id_collisions(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_plan_names *ids = sg_plan_names_new(a, true);
	assert_string_equal(sg_plan_logical_id(ids, "a_1", "Function"), "A1Function");
	assert_string_equal(sg_plan_logical_id(ids, "a1", "Function"), "A1Function2");
	assert_string_equal(sg_plan_logical_id(ids, "a-1", "Function"), "A1Function3");
	assert_string_equal(sg_plan_logical_id(ids, "AB", ""), "AB");
	assert_string_equal(sg_plan_logical_id(ids, "ab", ""), "Ab2");
	/* A natural name equal to a disambiguated one is itself moved on. */
	assert_string_equal(sg_plan_logical_id(ids, "a1", "Function2"), "A1Function22");
	sg_arena_free(a);

	/* Same claims, same order: same names (stable across runs). */
	for (int run = 0; run < 2; run++) {
		a = sg_arena_new();
		ids = sg_plan_names_new(a, true);
		sg_plan_logical_id(ids, "x", "Table");
		assert_string_equal(sg_plan_logical_id(ids, "x", "Table"), "XTable2");
		sg_arena_free(a);
	}
}

static void test_logical_id_length(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_plan_names *ids = sg_plan_names_new(a, true);
	char base1[301], base2[301];
	memset(base1, 'a', 300);
	base1[300] = '\0';
	memcpy(base2, base1, sizeof(base1));
	base2[299] = 'b';
	const char *id1 = sg_plan_logical_id(ids, base1, "Resource");
	const char *id2 = sg_plan_logical_id(ids, base2, "Resource");
	const char *id3 = sg_plan_logical_id(ids, base1, "Resource");
	for (const char *id, *const *p = (const char *const[]){id1, id2, id3, NULL}; (id = *p); p++) {
		assert_true(sg_plan_logical_id_valid(id));
		assert_true(strlen(id) <= SG_PLAN_LOGICAL_ID_MAX);
		/* The kind suffix survives the cut. */
		assert_non_null(strstr(id, "Resource"));
	}
	/* Cut names that differ only past the cut stay distinct (the hash). */
	assert_string_not_equal(id1, id2);
	assert_string_not_equal(id1, id3);
	/* Deterministic. */
	sg_plan_names *again = sg_plan_names_new(a, true);
	assert_string_equal(sg_plan_logical_id(again, base1, "Resource"), id1);

	/* Exactly at the limit, minus the counter room, nothing is cut. */
	char fit[251];
	memset(fit, 'B', 250);
	fit[250] = '\0';
	assert_string_equal(sg_plan_logical_id(ids, fit, ""), fit);
	/* Many clashes on a long name: still within the limit. */
	for (int i = 0; i < 50; i++)
		assert_true(strlen(sg_plan_logical_id(ids, fit, "")) <= SG_PLAN_LOGICAL_ID_MAX);
	sg_arena_free(a);
}

static void test_logical_id_valid(void **state)
{
	(void)state;
	char long_id[257];
	memset(long_id, 'A', 256);
	long_id[256] = '\0';
	assert_false(sg_plan_logical_id_valid(NULL));
	assert_false(sg_plan_logical_id_valid(""));
	assert_false(sg_plan_logical_id_valid("Add-User"));
	assert_false(sg_plan_logical_id_valid("Add_User"));
	assert_false(sg_plan_logical_id_valid(long_id));
	long_id[255] = '\0';
	assert_true(sg_plan_logical_id_valid(long_id));
	assert_true(sg_plan_logical_id_valid("ApiDeployment0123abcd"));
}

static void test_names_claim_with_separator(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_plan_names *tf = sg_plan_names_new(a, false);
	assert_string_equal(sg_plan_names_claim(tf, "users_id", "_"), "users_id");
	assert_string_equal(sg_plan_names_claim(tf, "users_id", "_"), "users_id_2");
	assert_string_equal(sg_plan_names_claim(tf, "users_id", "_"), "users_id_3");
	/* Without case folding, case matters. */
	assert_string_equal(sg_plan_names_claim(tf, "Users_id", "_"), "Users_id");
	/* The table grows past its first size. */
	for (int i = 0; i < 500; i++)
		sg_plan_names_claim(tf, sg_arena_printf(a, "n%d", i), "_");
	assert_true(sg_plan_names_has(tf, "n0"));
	assert_true(sg_plan_names_has(tf, "n499"));
	assert_false(sg_plan_names_has(tf, "n500"));
	assert_true(sg_plan_names_has(tf, "users_id_2"));
	sg_arena_free(a);
}

static void test_shorten(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	assert_string_equal(sg_plan_shorten(a, "shop-dev-add_user", 64), "shop-dev-add_user");
	char name1[81], name2[81];
	memset(name1, 'x', 80);
	name1[80] = '\0';
	memcpy(name2, name1, sizeof(name1));
	name2[79] = 'y';
	char *s1 = sg_plan_shorten(a, name1, 64);
	char *s2 = sg_plan_shorten(a, name2, 64);
	assert_int_equal(strlen(s1), 64);
	assert_int_equal(strlen(s2), 64);
	assert_string_not_equal(s1, s2);
	assert_memory_equal(s1, name1, 55);
	assert_int_equal(s1[55], '-');
	assert_string_equal(sg_plan_shorten(a, name1, 64), s1);
	sg_arena_free(a);
}

/* ---- physical names in a plan ---------------------------------------------------- */

static void test_physical_names(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\n"
		"service: shop\n"
		"stage: prod\n"
		"tables:\n  orders: {partition_key: PK}\n"
		"topics:\n  order_events: {}\n  audit: {fifo: true}\n"
		"api:\n  routes:\n    /users:\n      POST: {function: add_user}\n"
		"alarms:\n  notify: [ops@example.com]\n");
	const sg_plan *p = fx.plan;
	assert_string_equal(p->prefix, "shop-prod");
	const sg_plan_function *f = fx_fn(&fx, "add_user");
	/* Underscores are kept: one spelling for function, C name, file, AWS. */
	assert_string_equal(f->physical_name, "shop-prod-add_user");
	assert_string_equal(f->c_name, "add_user");
	/* Role names are global: the region keeps regions apart. */
	assert_string_equal(f->role_name_prefix, "shop-prod-add_user");
	assert_string_equal(f->role_name, "shop-prod-add_user-${AWS::Region}");
	assert_string_equal(f->log_group_name, "/aws/lambda/shop-prod-add_user");
	assert_string_equal(f->logical_id, "AddUserFunction");
	assert_string_equal(f->role_logical_id, "AddUserRole");
	assert_string_equal(f->log_group_logical_id, "AddUserLogGroup");
	assert_string_equal(f->tf_name, "add_user");

	const sg_plan_table *t = sg_plan_table_by_name(p, "orders");
	assert_string_equal(t->physical_name, "shop-prod-orders");
	assert_string_equal(t->logical_id, "OrdersTable");
	assert_string_equal(t->tf_name, "orders");
	assert_string_equal(t->env_name, "TABLE_ORDERS");

	const sg_plan_topic *tp = sg_plan_topic_by_name(p, "order_events");
	assert_string_equal(tp->physical_name, "shop-prod-order_events");
	assert_string_equal(tp->logical_id, "OrderEventsTopic");
	assert_string_equal(tp->env_name, "TOPIC_ORDER_EVENTS");
	/* SNS requires FIFO topic names to end in ".fifo". */
	tp = sg_plan_topic_by_name(p, "audit");
	assert_true(tp->fifo);
	assert_string_equal(tp->physical_name, "shop-prod-audit.fifo");

	assert_non_null(p->alarm_topic);
	assert_string_equal(p->alarm_topic->physical_name, "shop-prod-alarms");
	assert_string_equal(p->alarm_topic->logical_id, "AlarmTopic");
	assert_null(sg_plan_topic_by_name(p, "alarms"));   /* not a spec topic */
	assert_ptr_equal(p->alarm_topic, &p->topics[p->topic_count - 1]);

	assert_string_equal(p->api.name, "shop-prod-api");
	assert_string_equal(p->api.logical_id, "Api");
	assert_string_equal(p->api.access_log_group_name, "/aws/apigateway/shop-prod-api");
	fx_free(&fx);
}

/* stage and region default when the spec leaves them out. */
static void test_default_stage(void **state)
{
	(void)state;
	plan_fx fx = fx_build("svcgen: 1\nservice: shop\ntables:\n  t: {partition_key: PK}\n");
	assert_string_equal(fx.plan->stage, "dev");
	assert_string_equal(fx.plan->region, "us-east-1");
	assert_string_equal(fx.plan->tables[0].physical_name, "shop-dev-t");
	fx_free(&fx);
}

/* The validator rejects names over the AWS limits; should one reach the
 * plan, it is cut to fit, with a warning, and everything stays consistent. */
static void test_overlong_physical_name(void **state)
{
	(void)state;
	plan_fx fx = fx_build_ex(
		"svcgen: 1\n"
		"service: abcdefghijklmnopqrstuvwxyz01234\n"    /* 31 */
		"stage: abcdefghij\n"                           /* 10 */
		"functions:\n"
		"  a_function_name_that_is_forty_chars_long: {}\n", false);
	const sg_plan_function *f = &fx.plan->functions[0];
	assert_int_equal(strlen(f->physical_name), SG_PLAN_LAMBDA_NAME_MAX);
	/* The role's prefix is cut further, so any region fits in 64. */
	assert_int_equal(strlen(f->role_name_prefix), SG_PLAN_ROLE_PREFIX_MAX);
	assert_true(strlen(f->role_name_prefix) + 1 + strlen("ap-southeast-5") <= 64);
	assert_int_equal(strncmp(f->role_name_prefix, f->physical_name, SG_PLAN_ROLE_PREFIX_MAX - 9), 0);
	assert_string_equal(f->log_group_name,
			    sg_arena_printf(fx.arena, "/aws/lambda/%s", f->physical_name));
	assert_non_null(fx_diag(&fx, "name-shortened"));
	assert_int_equal(fx.rc, SG_OK);   /* a warning, not an error */
	fx_free(&fx);
}

/* ---- uniqueness over whole plans --------------------------------------------------------------- */

static void claim_id(sg_plan_names *seen, const char *id, const char *what)
{
	if (!id)
		return;
	if (!sg_plan_logical_id_valid(id))
		fail_msg("%s: invalid logical ID '%s'", what, id);
	if (sg_plan_names_has(seen, id))
		fail_msg("%s: logical ID '%s' twice", what, id);
	sg_plan_names_claim(seen, id, "");
}

/* Every logical ID of a plan, each checked valid and unique. */
static void check_logical_ids(const plan_fx *fx, const char *what)
{
	const sg_plan *p = fx->plan;
	sg_plan_names *seen = sg_plan_names_new(fx->arena, true);
	for (size_t i = 0; i < p->table_count; i++)
		claim_id(seen, p->tables[i].logical_id, what);
	for (size_t i = 0; i < p->topic_count; i++)
		claim_id(seen, p->topics[i].logical_id, what);
	for (size_t i = 0; i < p->subscription_count; i++)
		claim_id(seen, p->subscriptions[i].logical_id, what);
	for (size_t i = 0; i < p->function_count; i++) {
		const sg_plan_function *f = &p->functions[i];
		claim_id(seen, f->logical_id, what);
		claim_id(seen, f->role_logical_id, what);
		claim_id(seen, f->log_group_logical_id, what);
		claim_id(seen, f->integration_logical_id, what);
		for (size_t e = 0; e < f->event_count; e++)
			claim_id(seen, f->events[e].logical_id, what);
	}
	if (p->cognito.present) {
		claim_id(seen, p->cognito.user_pool_logical_id, what);
		claim_id(seen, p->cognito.client_logical_id, what);
		claim_id(seen, p->cognito.domain_logical_id, what);
	}
	const sg_plan_api *api = &p->api;
	if (api->present) {
		claim_id(seen, api->logical_id, what);
		claim_id(seen, api->stage_logical_id, what);
		claim_id(seen, api->deployment_logical_id, what);
		claim_id(seen, api->authorizer_logical_id, what);
		claim_id(seen, api->access_log_group_logical_id, what);
		for (size_t i = 0; i < api->node_count; i++) {
			claim_id(seen, api->nodes[i].logical_id, what);
			claim_id(seen, api->nodes[i].preflight_logical_id, what);
		}
		for (size_t i = 0; i < api->method_count; i++) {
			claim_id(seen, api->methods[i]->logical_id, what);
			claim_id(seen, api->methods[i]->permission_logical_id, what);
		}
	}
	for (size_t i = 0; i < p->alarm_count; i++)
		claim_id(seen, p->alarms[i].logical_id, what);
}

static void test_examples_have_unique_ids(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
		char *yaml = fx_read_file(keep, fx_examples[e]);
		if (!yaml)
			fail_msg("cannot read %s (run from the repository root)", fx_examples[e]);
		plan_fx fx = fx_build(yaml);
		check_logical_ids(&fx, fx_examples[e]);
		fx_free(&fx);
	}
	sg_arena_free(keep);
}

/* Names built to clash: the plan must still give distinct IDs, the
 * earlier claimant keeping the plain one. */
static void test_clashing_names(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n  x: {partition_key: PK}\n"
		"api:\n"
		"  cors: {origins: [https://example.com]}\n"
		"  routes:\n"
		"    /users/{id}:\n      GET: {function: a_1}\n"
		"    /users/id:\n      GET: {function: a1}\n"
		"    /api/access:\n      GET: {function: api_access}\n"
		"functions:\n  x_table_read: {}\n"
		"alarms:\n"
		"  functions:\n    throttles: {threshold: 1}\n"
		"  tables:\n    throttles: {threshold: 1}\n");
	check_logical_ids(&fx, "clashes");
	assert_string_equal(fx_fn(&fx, "a_1")->logical_id, "A1Function");
	assert_string_equal(fx_fn(&fx, "a1")->logical_id, "A1Function2");
	assert_string_equal(fx_fn(&fx, "a1")->role_logical_id, "A1Role2");

	/* /users/{id} and /users/id: same PascalCase, distinct resources. */
	const sg_plan_api *api = &fx.plan->api;
	assert_string_equal(api->nodes[2].path, "/users/{id}");
	assert_string_equal(api->nodes[2].logical_id, "ApiUsersIdResource");
	assert_string_equal(api->nodes[3].path, "/users/id");
	assert_string_equal(api->nodes[3].logical_id, "ApiUsersIdResource2");
	assert_string_equal(api->nodes[2].tf_name, "users_id");
	assert_string_equal(api->nodes[3].tf_name, "users_id_2");
	assert_string_equal(api->methods[1]->tf_name, "users_id_2_get");

	/* Function x_table_read's throttles alarm was claimed before table x's
	 * read-throttles alarm, which has the same natural ID. */
	const sg_plan_alarm *fn_alarm = NULL, *table_alarm = NULL;
	for (size_t i = 0; i < fx.plan->alarm_count; i++) {
		const sg_plan_alarm *al = &fx.plan->alarms[i];
		if (al->function && strcmp(al->function->name, "x_table_read") == 0)
			fn_alarm = al;
		if (al->kind == SG_PLAN_ALARM_TABLE_READ_THROTTLES)
			table_alarm = al;
	}
	assert_non_null(fn_alarm);
	assert_non_null(table_alarm);
	assert_string_equal(fn_alarm->logical_id, "XTableReadThrottlesAlarm");
	assert_string_equal(table_alarm->logical_id, "XTableReadThrottlesAlarm2");
	/* Terraform and physical names differ anyway (x_table_read vs x). */
	assert_string_equal(fn_alarm->name, "shop-dev-x_table_read-throttles");
	assert_string_equal(table_alarm->name, "shop-dev-x-read-throttles");
	assert_string_equal(fn_alarm->tf_name, "x_table_read_throttles");
	assert_string_equal(table_alarm->tf_name, "x_read_throttles");

	/* The API access log group gives way to a function named api_access in
	 * Terraform (both are aws_cloudwatch_log_group). */
	assert_string_equal(fx_fn(&fx, "api_access")->tf_name, "api_access");
	assert_string_equal(api->access_log_group_tf_name, "api_access_2");
	fx_free(&fx);
}

/* A spec topic named like the alarm topic is an error. */
static void test_alarm_topic_name_collision(void **state)
{
	(void)state;
	plan_fx fx = fx_build_ex(
		"svcgen: 1\n"
		"service: shop\n"
		"topics:\n  alarms: {}\n"
		"functions:\n  f: {uses: [alarms:publish]}\n"
		"alarms:\n  notify: [ops@example.com]\n", true);
	const sg_diag *d = fx_diag(&fx, "name-collision");
	assert_non_null(d);
	assert_int_equal(d->severity, SG_SEV_ERROR);
	assert_int_equal(d->pos.line, 4);
	assert_int_equal(fx.rc, SG_EFINDINGS);
	/* Terraform names still differ, so the plan stays usable. */
	assert_string_not_equal(fx.plan->topics[0].tf_name, fx.plan->alarm_topic->tf_name);
	assert_string_not_equal(fx.plan->topics[0].logical_id, fx.plan->alarm_topic->logical_id);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pascal),
		cmocka_unit_test(test_snake_and_shout),
		cmocka_unit_test(test_logical_id_basic),
		cmocka_unit_test(test_logical_id_collisions),
		cmocka_unit_test(test_logical_id_length),
		cmocka_unit_test(test_logical_id_valid),
		cmocka_unit_test(test_names_claim_with_separator),
		cmocka_unit_test(test_shorten),
		cmocka_unit_test(test_physical_names),
		cmocka_unit_test(test_default_stage),
		cmocka_unit_test(test_overlong_physical_name),
		cmocka_unit_test(test_examples_have_unique_ids),
		cmocka_unit_test(test_clashing_names),
		cmocka_unit_test(test_alarm_topic_name_collision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
