/*
 * test_plan_iam.c - per-function IAM statements, row by row of DESIGN.md
 * section 3 (specs/reference.md section 10): each access, the access a
 * bare table name derives from each method, index-scoped query and scan,
 * stream events, publishing, logs, X-Ray, the merge rule, and the
 * invariants (no wildcard action, Resource "*" only for X-Ray).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "test_plan_fixture.h"

/* Tables, indexes and a topic every spec below can use. */
#define DATA \
	"svcgen: 1\n" \
	"service: shop\n" \
	"tables:\n" \
	"  orders:\n" \
	"    partition_key: PK\n" \
	"    sort_key: SK\n" \
	"    stream: new_and_old_images\n" \
	"    indexes:\n" \
	"      by_email: {partition_key: Email}\n" \
	"      by_day: {partition_key: Day, sort_key: At:N}\n" \
	"  users:\n" \
	"    partition_key: id\n" \
	"topics:\n" \
	"  order_events: {}\n"

#define ARN_PREFIX "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"

/* ---- the access table ------------------------------------------------------ */

typedef struct access_row {
	const char *access;
	sg_access value;
	const char *actions;   /* sorted, " "-joined */
	const char *sid;
} access_row;

static const access_row rows[] = {
	{"get", SG_ACCESS_GET, "dynamodb:BatchGetItem dynamodb:GetItem", "OrdersTableRead"},
	{"query", SG_ACCESS_QUERY, "dynamodb:Query", "OrdersTableRead"},
	{"scan", SG_ACCESS_SCAN, "dynamodb:Scan", "OrdersTableRead"},
	{"put", SG_ACCESS_PUT,
	 "dynamodb:BatchWriteItem dynamodb:ConditionCheckItem dynamodb:PutItem", "OrdersTableWrite"},
	{"update", SG_ACCESS_UPDATE, "dynamodb:ConditionCheckItem dynamodb:UpdateItem",
	 "OrdersTableWrite"},
	{"delete", SG_ACCESS_DELETE, "dynamodb:BatchWriteItem dynamodb:DeleteItem", "OrdersTableWrite"},
	{"read", SG_ACCESS_READ, "dynamodb:BatchGetItem dynamodb:GetItem dynamodb:Query",
	 "OrdersTableRead"},
	{"write", SG_ACCESS_WRITE,
	 "dynamodb:BatchWriteItem dynamodb:ConditionCheckItem dynamodb:DeleteItem "
	 "dynamodb:PutItem dynamodb:UpdateItem", "OrdersTableWrite"},
	{"crud", SG_ACCESS_CRUD,
	 "dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:ConditionCheckItem "
	 "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query "
	 "dynamodb:UpdateItem", "OrdersTableReadWrite"},
};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* sg_plan_access_actions on its own: the table of DESIGN.md verbatim. */
static void test_access_actions_table(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	for (size_t i = 0; i < ROW_COUNT; i++) {
		const char *out[16];
		size_t n = sg_plan_access_actions(out, 16, rows[i].value);
		char *joined = sg_arena_strdup(a, "");
		for (size_t k = 0; k < n; k++)
			joined = sg_arena_printf(a, "%s%s%s", joined, k ? " " : "", out[k]);
		if (strcmp(joined, rows[i].actions) != 0)
			fail_msg("%s: got '%s', want '%s'", rows[i].access, joined, rows[i].actions);
	}
	const char *out[4];
	assert_int_equal(sg_plan_access_actions(out, 4, SG_ACCESS_PUBLISH), 1);
	assert_string_equal(out[0], "sns:Publish");
	assert_int_equal(sg_plan_access_actions(out, 4, SG_ACCESS_DERIVED), 0);
	/* A short buffer is filled, and the full count still reported. */
	assert_int_equal(sg_plan_access_actions(out, 1, SG_ACCESS_CRUD), 8);
	assert_string_equal(out[0], "dynamodb:BatchGetItem");
	sg_arena_free(a);
}

/* Each access written out on a route: one statement on the table ARN. */
static void test_each_access_in_a_plan(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	char *yaml = sg_arena_printf(a, "%sapi:\n  routes:\n", DATA);
	for (size_t i = 0; i < ROW_COUNT; i++)
		yaml = sg_arena_printf(a, "%s    /%s:\n      POST: {function: f_%s, uses: [orders:%s]}\n",
				       yaml, rows[i].access, rows[i].access, rows[i].access);
	plan_fx fx = fx_build(yaml);
	for (size_t i = 0; i < ROW_COUNT; i++) {
		const sg_plan_function *f = fx_fn(&fx, sg_arena_printf(a, "f_%s", rows[i].access));
		assert_int_equal(f->statement_count, 2);   /* the table, Logs */
		const sg_plan_statement *st = fx_stmt(f, rows[i].sid);
		if (!st)
			fail_msg("%s: no statement %s, have %s", rows[i].access, rows[i].sid,
				 fx_sids(&fx, f));
		assert_string_equal(fx_actions(&fx, st), rows[i].actions);
		assert_int_equal(st->resource.kind, SG_PLAN_ARN_TABLE);
		assert_string_equal(fx_resource(&fx, st), ARN_PREFIX "shop-dev-orders");
		/* The function is told the table's name. */
		const sg_plan_env *e = fx_env(f, "TABLE_ORDERS");
		assert_non_null(e);
		assert_int_equal(e->value.kind, SG_PLAN_VAL_TABLE_NAME);
		assert_string_equal(e->value.text, "shop-dev-orders");
	}
	fx_free(&fx);
	sg_arena_free(a);
}

/* crud never includes Scan; listing scan as well adds it. */
static void test_crud_without_and_with_scan(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"api:\n  routes:\n"
		"    /a:\n      POST: {function: crud_only, uses: [orders:crud]}\n"
		"    /b:\n      POST: {function: crud_scan, uses: [orders:crud, orders:scan]}\n");
	const char *crud = fx_actions(&fx, fx_stmt(fx_fn(&fx, "crud_only"), "OrdersTableReadWrite"));
	assert_null(strstr(crud, "Scan"));
	assert_string_equal(fx_actions(&fx, fx_stmt(fx_fn(&fx, "crud_scan"), "OrdersTableReadWrite")),
		"dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:ConditionCheckItem "
		"dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query "
		"dynamodb:Scan dynamodb:UpdateItem");
	fx_free(&fx);
}

/* ---- deriving access from the method ------------------------------------------------ */

static void test_derive_access_function(void **state)
{
	(void)state;
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/orders/{id}"), SG_ACCESS_GET);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/{proxy+}"), SG_ACCESS_GET);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/orders"), SG_ACCESS_QUERY);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/users/{id}/orders"), SG_ACCESS_QUERY);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/"), SG_ACCESS_QUERY);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_POST, "/orders"), SG_ACCESS_PUT);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_POST, "/orders/{id}"), SG_ACCESS_PUT);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_PUT, "/orders/{id}"), SG_ACCESS_UPDATE);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_PATCH, "/orders/{id}"), SG_ACCESS_UPDATE);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_DELETE, "/orders/{id}"), SG_ACCESS_DELETE);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_ANY, "/orders"), SG_ACCESS_CRUD);
	/* HEAD and OPTIONS derive nothing (specs/reference.md section 10). */
	assert_int_equal(sg_plan_derive_access(SG_METHOD_HEAD, "/orders/{id}"), SG_ACCESS_DERIVED);
	assert_int_equal(sg_plan_derive_access(SG_METHOD_OPTIONS, "/orders"), SG_ACCESS_DERIVED);
	/* A trailing slash does not hide the parameter. */
	assert_int_equal(sg_plan_derive_access(SG_METHOD_GET, "/orders/{id}/"), SG_ACCESS_GET);
}

/* A bare table name on every deriving method, through the whole plan. */
static void test_bare_name_per_method(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"api:\n  routes:\n"
		"    /:\n      GET: {function: root_get, uses: [orders]}\n"
		"    /orders:\n"
		"      GET: {function: list, uses: [orders]}\n"
		"      POST: {function: create, uses: [orders]}\n"
		"    /orders/{id}:\n"
		"      GET: {function: get, uses: [orders]}\n"
		"      PUT: {function: put, uses: [orders]}\n"
		"      PATCH: {function: patch, uses: [orders]}\n"
		"      DELETE: {function: del, uses: [orders]}\n"
		"    /users/{id}/orders:\n      GET: {function: nested, uses: [orders]}\n"
		"    /all:\n      ANY: {function: any, uses: [orders]}\n"
		"    /{proxy+}:\n      GET: {function: proxy, uses: [orders]}\n");
	static const struct { const char *fn, *sid, *actions; } want[] = {
		{"root_get", "OrdersTableRead", "dynamodb:Query"},
		{"list", "OrdersTableRead", "dynamodb:Query"},
		{"create", "OrdersTableWrite",
		 "dynamodb:BatchWriteItem dynamodb:ConditionCheckItem dynamodb:PutItem"},
		{"get", "OrdersTableRead", "dynamodb:BatchGetItem dynamodb:GetItem"},
		{"put", "OrdersTableWrite", "dynamodb:ConditionCheckItem dynamodb:UpdateItem"},
		{"patch", "OrdersTableWrite", "dynamodb:ConditionCheckItem dynamodb:UpdateItem"},
		{"del", "OrdersTableWrite", "dynamodb:BatchWriteItem dynamodb:DeleteItem"},
		{"nested", "OrdersTableRead", "dynamodb:Query"},
		{"any", "OrdersTableReadWrite",
		 "dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:ConditionCheckItem "
		 "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query "
		 "dynamodb:UpdateItem"},
		{"proxy", "OrdersTableRead", "dynamodb:BatchGetItem dynamodb:GetItem"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const sg_plan_function *f = fx_fn(&fx, want[i].fn);
		const sg_plan_statement *st = fx_stmt(f, want[i].sid);
		if (!st)
			fail_msg("%s: no %s, have %s", want[i].fn, want[i].sid, fx_sids(&fx, f));
		assert_string_equal(fx_actions(&fx, st), want[i].actions);
	}
	/* The method records what a bare name means there. */
	assert_int_equal(fx_fn(&fx, "get")->routes[0]->derived_access, SG_ACCESS_GET);
	assert_int_equal(fx_fn(&fx, "list")->routes[0]->derived_access, SG_ACCESS_QUERY);
	fx_free(&fx);
}

/* Where nothing can be derived the validator objects; should such a spec
 * reach the plan, the bare name grants nothing and is warned about. */
static void test_underivable_grants_nothing(void **state)
{
	(void)state;
	plan_fx fx = fx_build_ex(DATA
		"api:\n  routes:\n"
		"    /orders/{id}:\n      HEAD: {function: head, uses: [orders]}\n"
		"functions:\n  worker: {uses: [users]}\n", false);
	assert_non_null(fx_diag(&fx, "underivable-access"));
	assert_string_equal(fx_sids(&fx, fx_fn(&fx, "head")), "Logs");
	assert_string_equal(fx_sids(&fx, fx_fn(&fx, "worker")), "Logs");
	assert_null(fx_env(fx_fn(&fx, "head"), "TABLE_ORDERS"));
	fx_free(&fx);
}

/* ---- indexes, streams, topics ---------------------------------------------------------- */

static void test_index_scoped_query_and_scan(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"api:\n  routes:\n"
		"    /by-email:\n      GET: {function: by_email, uses: [orders.by_email:query]}\n"
		"    /by-day:\n      GET: {function: by_day, uses: [orders.by_day:scan, orders.by_day:query]}\n");
	const sg_plan_function *f = fx_fn(&fx, "by_email");
	/* Only the index: no statement on the table itself. */
	assert_string_equal(fx_sids(&fx, f), "OrdersTableByEmailIndexRead Logs");
	const sg_plan_statement *st = fx_stmt(f, "OrdersTableByEmailIndexRead");
	assert_string_equal(fx_actions(&fx, st), "dynamodb:Query");
	assert_int_equal(st->resource.kind, SG_PLAN_ARN_INDEX);
	assert_string_equal(fx_resource(&fx, st), ARN_PREFIX "shop-dev-orders/index/by_email");
	/* Query on an index needs the table name and the index name. */
	assert_string_equal(fx_env(f, "TABLE_ORDERS")->value.text, "shop-dev-orders");
	const sg_plan_env *ie = fx_env(f, "INDEX_ORDERS_BY_EMAIL");
	assert_non_null(ie);
	assert_int_equal(ie->value.kind, SG_PLAN_VAL_LITERAL);
	assert_string_equal(ie->value.text, "by_email");
	assert_null(fx_env(f, "INDEX_ORDERS_BY_DAY"));

	f = fx_fn(&fx, "by_day");
	st = fx_stmt(f, "OrdersTableByDayIndexRead");
	assert_string_equal(fx_actions(&fx, st), "dynamodb:Query dynamodb:Scan");
	assert_string_equal(fx_resource(&fx, st), ARN_PREFIX "shop-dev-orders/index/by_day");
	fx_free(&fx);
}

static void test_stream_event(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"functions:\n"
		"  notify:\n"
		"    events:\n"
		"      - stream: {table: orders, batch_size: 10}\n");
	const sg_plan_function *f = fx_fn(&fx, "notify");
	assert_string_equal(fx_sids(&fx, f), "OrdersTableStreamRead Logs");
	const sg_plan_statement *st = fx_stmt(f, "OrdersTableStreamRead");
	assert_string_equal(fx_actions(&fx, st),
		"dynamodb:DescribeStream dynamodb:GetRecords dynamodb:GetShardIterator "
		"dynamodb:ListStreams");
	assert_int_equal(st->resource.kind, SG_PLAN_ARN_STREAM);
	/* The exact stream ARN, as an attribute reference: no pattern. */
	assert_string_equal(fx_resource(&fx, st), "${OrdersTable.StreamArn}");
	sg_plan_arn_style tf = {"P", "R", "A", NULL, SG_PLAN_ARN_FLAVOR_TF};
	assert_string_equal(sg_plan_arn_render(fx.arena, fx.plan, &st->resource, &tf),
			    "${aws_dynamodb_table.orders.stream_arn}");
	/* The event carries the same resource, for emitters that want it. */
	assert_int_equal(f->event_count, 1);
	assert_int_equal(f->events[0].stream.kind, SG_PLAN_ARN_STREAM);
	assert_ptr_equal(f->events[0].table, sg_plan_table_by_name(fx.plan, "orders"));
	/* Reading the stream is not using the table. */
	assert_null(fx_env(f, "TABLE_ORDERS"));
	fx_free(&fx);
}

static void test_publish(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"functions:\n  notify: {uses: [order_events:publish]}\n");
	const sg_plan_function *f = fx_fn(&fx, "notify");
	const sg_plan_statement *st = fx_stmt(f, "OrderEventsTopicPublish");
	assert_string_equal(fx_actions(&fx, st), "sns:Publish");
	assert_int_equal(st->resource.kind, SG_PLAN_ARN_TOPIC);
	assert_string_equal(fx_resource(&fx, st),
		"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:shop-dev-order_events");
	const sg_plan_env *e = fx_env(f, "TOPIC_ORDER_EVENTS");
	assert_non_null(e);
	assert_int_equal(e->value.kind, SG_PLAN_VAL_TOPIC_ARN);
	assert_string_equal(e->value.text, fx_resource(&fx, st));
	assert_ptr_equal(e->value.topic, sg_plan_topic_by_name(fx.plan, "order_events"));
	fx_free(&fx);
}

/* ---- logs and X-Ray ------------------------------------------------------------------------ */

static void test_logs_on_own_group_only(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA "functions:\n  a: {}\n  b: {}\n");
	for (size_t i = 0; i < fx.plan->function_count; i++) {
		const sg_plan_function *f = &fx.plan->functions[i];
		const sg_plan_statement *st = fx_stmt(f, "Logs");
		assert_non_null(st);
		assert_string_equal(fx_actions(&fx, st), "logs:CreateLogStream logs:PutLogEvents");
		assert_int_equal(st->resource.kind, SG_PLAN_ARN_LOG_GROUP);
		assert_ptr_equal(st->resource.function, f);
		assert_string_equal(fx_resource(&fx, st), sg_arena_printf(fx.arena,
			"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:"
			"log-group:/aws/lambda/shop-dev-%s:*", f->name));
	}
	fx_free(&fx);
}

static void test_xray_on_and_off(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"defaults: {tracing: true}\n"
		"functions:\n  traced: {}\n  untraced: {tracing: false}\n");
	const sg_plan_function *t = fx_fn(&fx, "traced");
	assert_true(t->tracing);
	const sg_plan_statement *st = fx_stmt(t, "XRay");
	assert_non_null(st);
	assert_string_equal(fx_actions(&fx, st), "xray:PutTelemetryRecords xray:PutTraceSegments");
	assert_int_equal(st->resource.kind, SG_PLAN_ARN_STAR);
	assert_string_equal(fx_resource(&fx, st), "*");
	/* X-Ray comes last. */
	assert_ptr_equal(st, &t->statements[t->statement_count - 1]);

	const sg_plan_function *u = fx_fn(&fx, "untraced");
	assert_false(u->tracing);
	assert_null(fx_stmt(u, "XRay"));
	fx_free(&fx);

	/* Tracing is off unless asked for. */
	fx = fx_build(DATA "functions:\n  plain: {}\n");
	assert_null(fx_stmt(fx_fn(&fx, "plain"), "XRay"));
	fx_free(&fx);
}

/* ---- merging and order ------------------------------------------------------------------------ */

/* Entries on one table merge into one statement, actions unique and
 * sorted, whatever their order and whether they come from routes or from
 * functions:; statements follow the spec's table order, not the uses'. */
static void test_merge_is_deterministic(void **state)
{
	(void)state;
	plan_fx a = fx_build(DATA
		"api:\n  routes:\n"
		"    /o:\n      POST: {function: f, uses: [orders:put, orders:update, orders:write]}\n"
		"functions:\n  f: {uses: [users:read, orders:get]}\n");
	plan_fx b = fx_build(DATA
		"api:\n  routes:\n"
		"    /o:\n      POST: {function: f, uses: [orders:write, orders:update, orders:put]}\n"
		"functions:\n  f: {uses: [orders:get, users:get, users:query]}\n");
	const sg_plan_function *fa = fx_fn(&a, "f");
	assert_string_equal(fx_sids(&a, fa), "OrdersTableReadWrite UsersTableRead Logs");
	/* put, update and write overlap: each action once. */
	assert_string_equal(fx_actions(&a, fx_stmt(fa, "OrdersTableReadWrite")),
		"dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:ConditionCheckItem "
		"dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:UpdateItem");
	assert_string_equal(fx_policy_text(&a, fa), fx_policy_text(&b, fx_fn(&b, "f")));
	fx_free(&a);
	fx_free(&b);
}

/* The full order: per table its table, indexes, stream; topics; Logs; XRay. */
static void test_statement_order(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"functions:\n"
		"  f:\n"
		"    tracing: true\n"
		"    uses: [order_events:publish, users:get, orders.by_day:query,\n"
		"           orders.by_email:query, orders:put]\n"
		"    events:\n      - stream: {table: orders}\n");
	assert_string_equal(fx_sids(&fx, fx_fn(&fx, "f")),
		"OrdersTableWrite OrdersTableByEmailIndexRead OrdersTableByDayIndexRead "
		"OrdersTableStreamRead UsersTableRead OrderEventsTopicPublish Logs XRay");
	fx_free(&fx);
}

/* Two builds of one spec give the same policy, byte for byte. */
static void test_same_spec_same_policy(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	const char *text[2][FX_EXAMPLE_COUNT];
	for (int run = 0; run < 2; run++)
		for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
			char *yaml = fx_read_file(keep, fx_examples[e]);
			if (!yaml)
				fail_msg("cannot read %s (run from the repository root)", fx_examples[e]);
			plan_fx fx = fx_build(yaml);
			char *all = sg_arena_strdup(keep, "");
			for (size_t i = 0; i < fx.plan->function_count; i++)
				all = sg_arena_printf(keep, "%s%s\n%s", all, fx.plan->functions[i].name,
						      fx_policy_text(&fx, &fx.plan->functions[i]));
			text[run][e] = all;
			fx_free(&fx);
		}
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++)
		assert_string_equal(text[0][e], text[1][e]);
	sg_arena_free(keep);
}

/* ---- IAM's size quota ------------------------------------------------------------------------ */

/* `text` with each placeholder at its longest value: what IAM would count. */
static size_t worst_length(const char *text)
{
	static const char *const vars[] = {"${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}"};
	static const size_t worst[] = {10, 14, 12};
	size_t n = 0;
	while (*text) {
		size_t i = 0;
		while (i < 3 && strncmp(text, vars[i], strlen(vars[i])))
			i++;
		n += i < 3 ? worst[i] : 1;
		text += i < 3 ? strlen(vars[i]) : 1;
	}
	return n;
}

/* The estimate bounds the emitted policy, minified, from above, and by
 * little: two characters a statement at most (a lone action written as a
 * string instead of a list), on every function of every example. */
static void test_policy_size_bounds_the_emitted_policy(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
		plan_fx fx = fx_build(fx_read_file(keep, fx_examples[e]));
		for (size_t i = 0; i < fx.plan->function_count; i++) {
			const sg_plan_function *f = &fx.plan->functions[i];
			cJSON *doc = sg_emit_policy_json(fx.plan, f, fx.arena, NULL, false);
			char *text = cJSON_PrintUnformatted(doc);
			assert_non_null(text);
			size_t got = worst_length(text);
			size_t est = sg_plan_policy_size(fx.arena, fx.plan, f);
			if (est < got || est > got + 2 * f->statement_count)
				fail_msg("%s: %s: estimate %zu, emitted %zu", fx_examples[e], f->name, est, got);
			free(text);
			cJSON_Delete(doc);
		}
		fx_free(&fx);
	}
	sg_arena_free(keep);
}

/* A spec of `tables` tables with two indexes each, and one function
 * reading them all (table and indexes: three statements a table). */
static char *many_tables_spec(sg_arena *a, int tables)
{
	char *y = sg_arena_strdup(a, "svcgen: 1\nservice: wide\ntables:\n");
	char *uses = sg_arena_strdup(a, "");
	for (int t = 0; t < tables; t++) {
		y = sg_arena_printf(a, "%s  table_number_%02d:\n    partition_key: PK\n"
				    "    indexes:\n"
				    "      by_customer: {partition_key: C}\n"
				    "      by_created_at: {partition_key: D}\n", y, t);
		uses = sg_arena_printf(a, "%s%stable_number_%02d:read, table_number_%02d.by_customer:query, "
				       "table_number_%02d.by_created_at:query", uses, t ? ", " : "", t, t, t);
	}
	y = sg_arena_printf(a, "%sfunctions:\n  reader:\n    uses: [%s]\n", y, uses);
	return y;
}

/* Past IAM's 10,240 characters the plan refuses the function, naming it;
 * a few tables fewer it does not. */
static void test_policy_too_large(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	int small = 0, large = 0;
	for (int t = 2; t <= 60 && !large; t++) {
		plan_fx fx = fx_build_ex(many_tables_spec(a, t), true);
		const sg_diag *d = fx_diag(&fx, "policy-too-large");
		size_t est = fx.plan ? sg_plan_policy_size(fx.arena, fx.plan, fx_fn(&fx, "reader")) : 0;
		if (d) {
			assert_true(est > SG_PLAN_MAX_ROLE_POLICY);
			assert_non_null(strstr(d->message, "'reader'"));
			assert_int_equal(d->severity, SG_SEV_ERROR);
			large = t;
		} else {
			assert_true(fx.plan && est <= SG_PLAN_MAX_ROLE_POLICY);
			small = t;
		}
		fx_free(&fx);
	}
	assert_true(large > 2 && small == large - 1);
	sg_arena_free(a);
}

/* ---- invariants over every example and a spec using everything -------------------------------- */

static void check_invariants(const plan_fx *fx, const char *what)
{
	for (size_t i = 0; i < fx->plan->function_count; i++) {
		const sg_plan_function *f = &fx->plan->functions[i];
		sg_plan_names *sids = sg_plan_names_new(fx->arena, true);
		for (size_t s = 0; s < f->statement_count; s++) {
			const sg_plan_statement *st = &f->statements[s];
			if (!sg_plan_logical_id_valid(st->sid))
				fail_msg("%s/%s: Sid '%s' is not alphanumeric", what, f->name, st->sid);
			if (sg_plan_names_has(sids, st->sid))
				fail_msg("%s/%s: Sid '%s' twice", what, f->name, st->sid);
			sg_plan_names_claim(sids, st->sid, "");
			assert_true(st->action_count > 0);
			for (size_t k = 0; k < st->action_count; k++) {
				if (strchr(st->actions[k], '*') || !strchr(st->actions[k], ':'))
					fail_msg("%s/%s: action '%s'", what, f->name, st->actions[k]);
				if (k > 0 && strcmp(st->actions[k - 1], st->actions[k]) >= 0)
					fail_msg("%s/%s: actions of %s not sorted and unique", what,
						 f->name, st->sid);
			}
			const char *res = sg_plan_arn_literal(fx->arena, fx->plan, &st->resource);
			bool star = strcmp(res, "*") == 0;
			if (star != (strcmp(st->sid, "XRay") == 0))
				fail_msg("%s/%s: Resource '%s' on %s", what, f->name, res, st->sid);
			/* An ARN, or (streams) the exact StreamArn attribute. */
			bool stream_attr = st->resource.kind == SG_PLAN_ARN_STREAM &&
					   strstr(res, ".StreamArn}") && res[0] == '$';
			if (!star && !stream_attr && strncmp(res, "arn:${AWS::Partition}:", 22) != 0)
				fail_msg("%s/%s: Resource '%s'", what, f->name, res);
			if (!star && strchr(res, '*') && st->resource.kind != SG_PLAN_ARN_LOG_GROUP)
				fail_msg("%s/%s: Resource pattern '%s'", what, f->name, res);
		}
		/* Every function may log, to its own group. */
		assert_non_null(fx_stmt(f, "Logs"));
		assert_ptr_equal(fx_stmt(f, "Logs")->resource.function, f);
	}
}

static void test_no_wildcard_action_ever(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	for (size_t e = 0; e < FX_EXAMPLE_COUNT; e++) {
		plan_fx fx = fx_build(fx_read_file(keep, fx_examples[e]));
		check_invariants(&fx, fx_examples[e]);
		fx_free(&fx);
	}
	plan_fx fx = fx_build(DATA
		"defaults: {tracing: true}\n"
		"api:\n  routes:\n"
		"    /{proxy+}:\n      ANY: {function: app, uses: [orders, users:crud, users:scan]}\n"
		"functions:\n"
		"  app:\n"
		"    uses: [order_events:publish, orders.by_email:query, orders.by_day:scan]\n"
		"    events:\n      - stream: {table: orders}\n");
	check_invariants(&fx, "everything");
	fx_free(&fx);
	sg_arena_free(keep);
}

/* ---- ARN rendering styles --------------------------------------------------------------------- */

static void test_arn_styles(void **state)
{
	(void)state;
	plan_fx fx = fx_build(DATA
		"api:\n  routes:\n"
		"    /orders/{id}:\n      GET: {function: get, uses: [orders.by_email:query]}\n");
	const sg_plan_statement *st = fx_stmt(fx_fn(&fx, "get"), "OrdersTableByEmailIndexRead");
	const sg_plan_arn_style tf = {
		"${data.aws_partition.current.partition}", "${data.aws_region.current.name}",
		"${data.aws_caller_identity.current.account_id}",
		"${aws_api_gateway_rest_api.api.id}", SG_PLAN_ARN_FLAVOR_TF,
	};
	assert_string_equal(sg_plan_arn_render(fx.arena, fx.plan, &st->resource, &tf),
		"arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.name}:"
		"${data.aws_caller_identity.current.account_id}:table/shop-dev-orders/index/by_email");

	/* Execute-api: the method's SourceArn, API id from the style or the
	 * CloudFormation ${Api}. */
	sg_plan_arn ex = {.kind = SG_PLAN_ARN_EXECUTE_API, .method = fx.plan->api.methods[0]};
	assert_string_equal(sg_plan_arn_literal(fx.arena, fx.plan, &ex),
		"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/dev/GET/orders/*");
	assert_string_equal(sg_plan_arn_render(fx.arena, fx.plan, &ex, &tf),
		"arn:${data.aws_partition.current.partition}:execute-api:${data.aws_region.current.name}:"
		"${data.aws_caller_identity.current.account_id}:${aws_api_gateway_rest_api.api.id}"
		"/dev/GET/orders/*");
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_actions_table),
		cmocka_unit_test(test_each_access_in_a_plan),
		cmocka_unit_test(test_crud_without_and_with_scan),
		cmocka_unit_test(test_derive_access_function),
		cmocka_unit_test(test_bare_name_per_method),
		cmocka_unit_test(test_underivable_grants_nothing),
		cmocka_unit_test(test_index_scoped_query_and_scan),
		cmocka_unit_test(test_stream_event),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_logs_on_own_group_only),
		cmocka_unit_test(test_xray_on_and_off),
		cmocka_unit_test(test_merge_is_deterministic),
		cmocka_unit_test(test_statement_order),
		cmocka_unit_test(test_same_spec_same_policy),
		cmocka_unit_test(test_no_wildcard_action_ever),
		cmocka_unit_test(test_arn_styles),
		cmocka_unit_test(test_policy_size_bounds_the_emitted_policy),
		cmocka_unit_test(test_policy_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
