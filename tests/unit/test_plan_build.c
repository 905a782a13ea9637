/*
 * test_plan_build.c - the plan as a whole: service names and tags, function
 * order and effective settings, environment variables, tables, the route
 * tree and its API hash, alarms, and the resource count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_plan_fixture.h"

static void test_usage_errors(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_diags d;
	sg_diags_init(&d, a, "t.yaml");
	sg_spec spec;
	memset(&spec, 0, sizeof(spec));
	sg_plan *p = NULL;
	assert_int_equal(sg_plan_build(NULL, a, &spec, &d), SG_EUSAGE);
	assert_int_equal(sg_plan_build(&p, NULL, &spec, &d), SG_EUSAGE);
	assert_int_equal(sg_plan_build(&p, a, NULL, &d), SG_EUSAGE);
	assert_int_equal(sg_plan_build(&p, a, &spec, NULL), SG_EUSAGE);
	/* An empty model still gives a plan (nothing in it but names). */
	assert_int_equal(sg_plan_build(&p, a, &spec, &d), SG_OK);
	assert_int_equal(p->function_count, 0);
	assert_int_equal(p->resource_count, 0);
	sg_arena_free(a);
}

/* ---- service level ---------------------------------------------------------------- */

static void test_tags(void **state)
{
	(void)state;
	plan_fx fx = fx_build("svcgen: 1\nservice: shop\nstage: qa\n"
			      "tags: {team: shop, cost-center: '4711'}\n"
			      "tables:\n  t: {partition_key: PK}\n");
	const sg_plan *p = fx.plan;
	assert_int_equal(p->tag_count, 4);
	const char *want[4][2] = {{"team", "shop"}, {"cost-center", "4711"},
				  {"svcgen:service", "shop"}, {"svcgen:stage", "qa"}};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(p->tags[i].key, want[i][0]);
		assert_string_equal(p->tags[i].value, want[i][1]);
	}
	fx_free(&fx);

	/* A spec tag with one of svcgen's keys is dropped, with a warning. */
	fx = fx_build_ex("svcgen: 1\nservice: shop\n"
			 "tags: {svcgen:stage: mine, team: shop}\n"
			 "tables:\n  t: {partition_key: PK}\n", false);
	assert_non_null(fx_diag(&fx, "reserved-tag"));
	assert_int_equal(fx.plan->tag_count, 3);
	assert_string_equal(fx.plan->tags[0].key, "team");
	assert_string_equal(fx.plan->tags[2].value, "dev");
	fx_free(&fx);
}

/* ---- functions ------------------------------------------------------------------------ */

/* Route functions in order of first appearance, then the other entries of
 * functions:, in file order; an entry for a route function adds settings. */
static void test_function_order_and_settings(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"defaults:\n"
		"  memory: 512\n  log_retention: 14\n  tracing: true\n  timeout: 20\n"
		"tables:\n  orders: {partition_key: PK, stream: new_image}\n"
		"api:\n  routes:\n"
		"    /b:\n      GET: {function: second}\n      POST: {function: first_again}\n"
		"    /a:\n      GET: {function: second}\n"
		"functions:\n"
		"  worker:\n"
		"    architecture: x86_64\n    timeout: 300\n    tracing: false\n"
		"    reserved_concurrency: 0\n    description: Works\n"
		"    events:\n      - stream: {table: orders}\n"
		"  second: {memory: 1024}\n");
	const sg_plan *p = fx.plan;
	assert_int_equal(p->function_count, 3);
	assert_string_equal(p->functions[0].name, "second");
	assert_string_equal(p->functions[1].name, "first_again");
	assert_string_equal(p->functions[2].name, "worker");

	const sg_plan_function *s = &p->functions[0];
	assert_non_null(s->spec);
	assert_int_equal(s->memory, 1024);           /* own */
	assert_int_equal(s->timeout, 20);            /* defaults */
	assert_int_equal(s->log_retention, 14);
	assert_true(s->tracing);
	assert_int_equal(s->architecture, SG_ARCH_ARM64);  /* built in */
	assert_false(s->reserved_concurrency_set);
	assert_int_equal(s->route_count, 2);         /* GET /b and GET /a */
	assert_string_equal(s->routes[0]->route_key, "GET /b");
	assert_string_equal(s->routes[1]->route_key, "GET /a");
	assert_int_equal(s->pos.line, 13);           /* first mention: GET /b */

	const sg_plan_function *r = &p->functions[1];
	assert_null(r->spec);                        /* route only */
	assert_null(r->description);
	assert_int_equal(r->memory, 512);

	const sg_plan_function *w = &p->functions[2];
	assert_int_equal(w->architecture, SG_ARCH_X86_64);
	assert_int_equal(w->timeout, 300);
	assert_false(w->tracing);
	assert_true(w->reserved_concurrency_set);
	assert_int_equal(w->reserved_concurrency, 0);
	assert_string_equal(w->description, "Works");
	assert_int_equal(w->route_count, 0);
	assert_int_equal(w->event_count, 1);
	const sg_plan_event *e = &w->events[0];
	assert_int_equal(e->batch_size, SG_PLAN_DEFAULT_BATCH_SIZE);
	assert_int_equal(e->starting_position, SG_START_LATEST);
	assert_false(e->retries_set);
	assert_false(e->batching_window_set);
	assert_null(e->filter_json);
	assert_string_equal(e->logical_id, "WorkerOrdersStreamMapping");
	assert_string_equal(e->tf_name, "worker_orders");
	fx_free(&fx);

	/* Nothing set anywhere: the built-in defaults. */
	fx = fx_build("svcgen: 1\nservice: shop\nfunctions:\n  f: {}\n");
	const sg_plan_function *f = &fx.plan->functions[0];
	assert_int_equal(f->architecture, SG_ARCH_ARM64);
	assert_int_equal(f->memory, 256);
	assert_int_equal(f->timeout, 10);
	assert_int_equal(f->log_retention, 30);
	assert_false(f->tracing);
	assert_false(f->reserved_concurrency_set);
	fx_free(&fx);
}

static void test_environment(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"defaults:\n  environment: {LOG_LEVEL: info, ZONE: a, MODE: fast}\n"
		"tables:\n"
		"  orders: {partition_key: PK, indexes: {by_day: {partition_key: Day}}}\n"
		"  users: {partition_key: id}\n"
		"topics:\n  events: {}\n"
		"functions:\n"
		"  f:\n"
		"    environment: {LOG_LEVEL: debug, APP: x}\n"
		"    uses: [users:get, orders.by_day:query, events:publish]\n");
	const sg_plan_function *f = fx_fn(&fx, "f");
	static const char *const keys[] = {
		"APP", "INDEX_ORDERS_BY_DAY", "LOG_LEVEL", "MODE", "TABLE_ORDERS",
		"TABLE_USERS", "TOPIC_EVENTS", "ZONE",
	};
	assert_int_equal(f->env_count, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(f->environment[i].key, keys[i]);   /* sorted */
	assert_string_equal(fx_env(f, "LOG_LEVEL")->value.text, "debug");  /* function wins */
	assert_string_equal(fx_env(f, "MODE")->value.text, "fast");
	assert_int_equal(fx_env(f, "TABLE_USERS")->value.kind, SG_PLAN_VAL_TABLE_NAME);
	assert_ptr_equal(fx_env(f, "TABLE_USERS")->value.table, sg_plan_table_by_name(fx.plan, "users"));
	assert_string_equal(fx_env(f, "INDEX_ORDERS_BY_DAY")->value.text, "by_day");
	assert_string_equal(fx_env(f, "TOPIC_EVENTS")->value.text,
		"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:shop-dev-events");
	fx_free(&fx);
}

/* Checks the validator normally makes first: the generated variables win
 * over the user's, and two generated ones with one key are an error. */
static void test_environment_clashes(void **state)
{
	(void)state;
	plan_fx fx = fx_build_ex(
		"svcgen: 1\nservice: shop\n"
		"tables:\n  t: {partition_key: PK}\n"
		"functions:\n  f: {environment: {TABLE_T: mine}, uses: [t:get]}\n", false);
	assert_non_null(fx_diag(&fx, "env-overridden"));
	assert_int_equal(fx_fn(&fx, "f")->env_count, 1);
	assert_string_equal(fx_env(fx_fn(&fx, "f"), "TABLE_T")->value.text, "shop-dev-t");
	fx_free(&fx);

	fx = fx_build_ex(
		"svcgen: 1\nservice: shop\n"
		"tables:\n"
		"  a_b: {partition_key: PK, indexes: {c: {partition_key: X}}}\n"
		"  a: {partition_key: PK, indexes: {b_c: {partition_key: X}}}\n"
		"functions:\n  f: {uses: ['a_b.c:query', 'a.b_c:query']}\n", false);
	const sg_diag *d = fx_diag(&fx, "env-collision");
	assert_non_null(d);
	assert_int_equal(d->severity, SG_SEV_ERROR);
	assert_non_null(strstr(d->message, "INDEX_A_B_C"));
	assert_int_equal(fx.rc, SG_EFINDINGS);
	fx_free(&fx);
}

/* ---- tables ------------------------------------------------------------------------------ */

static void test_tables(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"tables:\n"
		"  orders:\n"
		"    partition_key: PK\n    sort_key: SK:N\n"
		"    billing: provisioned\n    capacity: {read: 5, write: 7}\n"
		"    stream: keys_only\n    ttl: ExpiresAt\n    point_in_time_recovery: false\n"
		"    indexes:\n"
		"      by_email: {partition_key: Email, sort_key: SK:N, projection: keys_only}\n"
		"      by_day: {partition_key: Day:N, projection: [Total, Status],\n"
		"               capacity: {read: 1, write: 2}}\n"
		"  plain: {partition_key: id:B}\n");
	const sg_plan_table *t = &fx.plan->tables[0];
	assert_string_equal(t->partition_key.name, "PK");
	assert_int_equal(t->partition_key.type, SG_ATTR_S);
	assert_string_equal(t->sort_key.name, "SK");
	assert_int_equal(t->sort_key.type, SG_ATTR_N);
	/* Key attributes of table and indexes, each once, sorted by name. */
	assert_int_equal(t->attribute_count, 4);
	assert_string_equal(t->attributes[0].name, "Day");
	assert_int_equal(t->attributes[0].type, SG_ATTR_N);
	assert_string_equal(t->attributes[1].name, "Email");
	assert_string_equal(t->attributes[2].name, "PK");
	assert_string_equal(t->attributes[3].name, "SK");
	assert_int_equal(t->billing, SG_BILLING_PROVISIONED);
	assert_int_equal(t->read_capacity, 5);
	assert_int_equal(t->write_capacity, 7);
	assert_int_equal(t->stream, SG_STREAM_KEYS_ONLY);
	assert_string_equal(t->ttl, "ExpiresAt");
	assert_false(t->point_in_time_recovery);
	assert_int_equal(t->index_count, 2);
	assert_int_equal(t->indexes[0].projection, SG_PROJ_KEYS_ONLY);
	assert_int_equal(t->indexes[0].read_capacity, 5);     /* the table's */
	assert_string_equal(t->indexes[0].env_name, "INDEX_ORDERS_BY_EMAIL");
	assert_ptr_equal(t->indexes[0].table, t);
	assert_int_equal(t->indexes[1].projection, SG_PROJ_INCLUDE);
	assert_int_equal(t->indexes[1].include_count, 2);
	assert_string_equal(t->indexes[1].include[1], "Status");
	assert_int_equal(t->indexes[1].write_capacity, 2);    /* its own */
	assert_null(t->indexes[1].sort_key.name);

	const sg_plan_table *p = &fx.plan->tables[1];
	assert_int_equal(p->billing, SG_BILLING_ON_DEMAND);
	assert_int_equal(p->read_capacity, 0);
	assert_int_equal(p->stream, SG_STREAM_NONE);
	assert_true(p->point_in_time_recovery);               /* default */
	assert_null(p->ttl);
	assert_null(p->sort_key.name);
	assert_int_equal(p->attribute_count, 1);
	assert_int_equal(p->attributes[0].type, SG_ATTR_B);
	fx_free(&fx);
}

/* A table name with "-": the physical name keeps it; the logical ID, the
 * Terraform name (and names built from it) and the environment variable
 * read it as "_". */
static void test_table_name_with_hyphen(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: mgr\nstage: prod\n"
		"tables:\n"
		"  lambda-apigateway: {partition_key: id, stream: new_image}\n"
		"functions:\n"
		"  worker:\n"
		"    events:\n"
		"      - stream: {table: lambda-apigateway}\n");
	const sg_plan_table *t = &fx.plan->tables[0];
	assert_string_equal(t->name, "lambda-apigateway");
	assert_string_equal(t->physical_name, "mgr-prod-lambda-apigateway");
	assert_string_equal(t->logical_id, "LambdaApigatewayTable");
	assert_string_equal(t->tf_name, "lambda_apigateway");
	assert_string_equal(t->env_name, "TABLE_LAMBDA_APIGATEWAY");
	const sg_plan_function *f = fx_fn(&fx, "worker");
	assert_int_equal(f->event_count, 1);
	assert_string_equal(f->events[0].tf_name, "worker_lambda_apigateway");
	assert_string_equal(f->events[0].logical_id, "WorkerLambdaApigatewayStreamMapping");
	fx_free(&fx);
}

/* ---- the API ------------------------------------------------------------------------------ */

#define REST_API \
	"svcgen: 1\nservice: shop\n" \
	"auth:\n  cognito: {user_pool: shop-users}\n" \
	"api:\n" \
	"  auth: cognito\n" \
	"  cors: {origins: [https://example.com]}\n" \
	"  throttle: {rate: 50}\n" \
	"  routes:\n" \
	"    /users/{username}:\n" \
	"      GET: {function: get_user, scopes: [email]}\n" \
	"      DELETE: {function: del_user, auth: iam}\n" \
	"    /users:\n" \
	"      POST: {function: add_user, auth: none}\n" \
	"      OPTIONS: {function: add_user, auth: none}\n" \
	"    /:\n" \
	"      GET: {function: home}\n" \
	"    /files/{key+}:\n" \
	"      ANY: {function: files}\n"

static void test_route_tree(void **state)
{
	(void)state;
	plan_fx fx = fx_build(REST_API);
	const sg_plan_api *api = &fx.plan->api;
	assert_true(api->present);
	assert_int_equal(api->type, SG_API_REST);
	assert_string_equal(api->stage_name, "dev");
	assert_int_equal(api->node_count, 5);

	/* Root first, then segments as first met; parents before children. */
	static const struct { const char *path, *part, *id, *tf; int parent; } want[] = {
		{"/", "", NULL, "root", -1},
		{"/users", "users", "ApiUsersResource", "users", 0},
		{"/users/{username}", "{username}", "ApiUsersUsernameResource", "users_username", 1},
		{"/files", "files", "ApiFilesResource", "files", 0},
		{"/files/{key+}", "{key+}", "ApiFilesKeyResource", "files_key", 3},
	};
	for (size_t i = 0; i < 5; i++) {
		const sg_plan_node *n = &api->nodes[i];
		assert_string_equal(n->path, want[i].path);
		assert_string_equal(n->path_part, want[i].part);
		if (want[i].id)
			assert_string_equal(n->logical_id, want[i].id);
		else
			assert_null(n->logical_id);
		assert_string_equal(n->tf_name, want[i].tf);
		if (want[i].parent < 0)
			assert_null(n->parent);
		else
			assert_ptr_equal(n->parent, &api->nodes[want[i].parent]);
	}
	assert_true(api->nodes[2].param);
	assert_false(api->nodes[2].greedy);
	assert_true(api->nodes[4].greedy);
	assert_int_equal(api->nodes[2].depth, 2);

	/* Methods: spec order, effective auth, scopes, IDs, permissions. */
	assert_int_equal(api->method_count, 6);
	const sg_plan_method *get = api->methods[0];
	assert_ptr_equal(get->node, &api->nodes[2]);
	assert_string_equal(get->verb_name, "GET");
	assert_int_equal(get->auth, SG_AUTH_COGNITO);         /* api default */
	assert_int_equal(get->scope_count, 1);
	assert_string_equal(get->scopes[0], "email");
	assert_string_equal(get->logical_id, "ApiUsersUsernameGetMethod");
	assert_string_equal(get->permission_logical_id, "ApiUsersUsernameGetPermission");
	assert_string_equal(get->tf_name, "users_username_get");
	assert_string_equal(get->route_key, "GET /users/{username}");
	assert_string_equal(get->source_arn_suffix, "dev/GET/users/*");
	assert_ptr_equal(get->function, fx_fn(&fx, "get_user"));
	assert_int_equal(api->methods[1]->auth, SG_AUTH_IAM);  /* own */
	assert_int_equal(api->methods[2]->auth, SG_AUTH_NONE);

	const sg_plan_method *home = api->methods[4];
	assert_string_equal(home->logical_id, "ApiRootGetMethod");
	assert_string_equal(home->tf_name, "root_get");
	assert_string_equal(home->source_arn_suffix, "dev/GET/");
	const sg_plan_method *files = api->methods[5];
	assert_string_equal(files->source_arn_suffix, "dev/*/files/*");
	assert_string_equal(files->logical_id, "ApiFilesKeyAnyMethod");

	/* The function serving two methods lists both. */
	assert_int_equal(fx_fn(&fx, "add_user")->route_count, 2);

	/* Authorizer for cognito methods; stage settings. */
	assert_true(api->cognito_authorizer);
	assert_string_equal(api->authorizer_logical_id, "ApiCognitoAuthorizer");
	assert_true(api->throttle_set);
	assert_int_equal(api->throttle_rate, 50);
	assert_int_equal(api->throttle_burst, -1);
	assert_true(api->access_logs);                         /* default on */
	assert_string_equal(api->access_log_group_logical_id, "ApiAccessLogs");
	assert_string_equal(api->access_log_group_tf_name, "api_access");
	assert_string_equal(api->deployment_logical_id,
			    sg_arena_printf(fx.arena, "ApiDeployment%s", api->hash_hex));
	assert_int_equal(strlen(api->hash_hex), 16);
	fx_free(&fx);
}

static void test_cors_preflight(void **state)
{
	(void)state;
	plan_fx fx = fx_build(REST_API);
	const sg_plan_api *api = &fx.plan->api;
	assert_true(api->cors);
	assert_int_equal(api->cors_origin_count, 1);
	assert_int_equal(api->cors_header_count, 2);           /* default */
	assert_string_equal(api->cors_headers[0], "Authorization");
	assert_string_equal(api->cors_methods, "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
	/* A mock OPTIONS per resource with methods, unless it has its own. */
	assert_false(api->nodes[1].cors_preflight);            /* /users has OPTIONS */
	assert_null(api->nodes[1].preflight_logical_id);
	assert_true(api->nodes[2].cors_preflight);
	assert_string_equal(api->nodes[2].preflight_logical_id, "ApiUsersUsernameOptionsMethod");
	assert_string_equal(api->nodes[2].preflight_tf_name, "users_username_options");
	assert_string_equal(api->nodes[2].cors_methods, "DELETE,GET,OPTIONS");
	assert_true(api->nodes[0].cors_preflight);             /* root has GET */
	assert_string_equal(api->nodes[0].preflight_logical_id, "ApiRootOptionsMethod");
	assert_false(api->nodes[3].cors_preflight);            /* /files: no methods */
	assert_string_equal(api->nodes[4].cors_methods, "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
	fx_free(&fx);
}

static void test_http_api(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: items\n"
		"defaults: {tracing: true}\n"
		"api:\n"
		"  type: http\n  auth: iam\n  access_logs: false\n"
		"  cors: {origins: ['*']}\n"
		"  routes:\n"
		"    /items:\n      GET: {function: list}\n      POST: {function: list}\n"
		"    /items/{id}:\n      ANY: {function: one}\n");
	const sg_plan_api *api = &fx.plan->api;
	assert_int_equal(api->type, SG_API_HTTP);
	assert_string_equal(api->stage_name, "$default");
	assert_null(api->deployment_logical_id);               /* auto-deployed */
	assert_false(api->tracing);                            /* no X-Ray on HTTP */
	assert_false(api->access_logs);
	assert_null(api->access_log_group_logical_id);
	assert_null(api->authorizer_logical_id);
	/* No resources per segment; routes instead of methods. */
	for (size_t i = 0; i < api->node_count; i++) {
		assert_null(api->nodes[i].logical_id);
		assert_false(api->nodes[i].cors_preflight);
	}
	assert_string_equal(api->methods[0]->logical_id, "ApiItemsGetRoute");
	assert_string_equal(api->methods[0]->route_key, "GET /items");
	assert_string_equal(api->methods[0]->source_arn_suffix, "*/GET/items");
	assert_string_equal(api->methods[2]->route_key, "ANY /items/{id}");
	assert_string_equal(api->methods[2]->source_arn_suffix, "*/*/items/*");
	/* One integration per routed function. */
	assert_string_equal(fx_fn(&fx, "list")->integration_logical_id, "ListIntegration");
	assert_string_equal(fx_fn(&fx, "one")->integration_logical_id, "OneIntegration");
	fx_free(&fx);

	/* The REST stage traces when the defaults do. */
	fx = fx_build("svcgen: 1\nservice: items\ndefaults: {tracing: true}\n"
		      "api:\n  routes:\n    /:\n      GET: {function: f}\n");
	assert_true(fx.plan->api.tracing);
	assert_null(fx_fn(&fx, "f")->integration_logical_id);
	fx_free(&fx);
}

/* The hash changes with what a Deployment snapshots, and only with that. */
static void test_api_hash(void **state)
{
	(void)state;
	static const char *const variants[] = {
		/* 0: base */
		"api:\n  routes:\n    /a:\n      GET: {function: f}\n",
		/* 1: same API, other stage settings -> same hash */
		("api:\n  throttle: {rate: 5, burst: 5}\n  access_logs: false\n"
		 "  routes:\n    /a:\n      GET: {function: f}\n"),
		/* 2: another function -> other hash */
		"api:\n  routes:\n    /a:\n      GET: {function: g}\n",
		/* 3: another path */
		"api:\n  routes:\n    /b:\n      GET: {function: f}\n",
		/* 4: another method */
		"api:\n  routes:\n    /a:\n      POST: {function: f}\n",
		/* 5: another auth */
		"api:\n  auth: iam\n  routes:\n    /a:\n      GET: {function: f}\n",
		/* 6: CORS */
		("api:\n  cors: {origins: [https://x.example]}\n"
		 "  routes:\n    /a:\n      GET: {function: f}\n"),
	};
	const char *hash[7];
	sg_arena *keep = sg_arena_new();
	for (size_t i = 0; i < 7; i++) {
		plan_fx fx = fx_build(sg_arena_printf(keep, "svcgen: 1\nservice: shop\n%s", variants[i]));
		hash[i] = sg_arena_strdup(keep, fx.plan->api.hash_hex);
		fx_free(&fx);
	}
	assert_string_equal(hash[0], hash[1]);
	for (size_t i = 2; i < 7; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(hash[i], hash[j]) == 0)
				fail_msg("variants %zu and %zu have one hash", i, j);
	sg_arena_free(keep);
}

/* ---- alarms ------------------------------------------------------------------------------------- */

static void test_alarms_rest(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"tables:\n  orders: {partition_key: PK}\n"
		"api:\n  routes:\n    /a:\n      GET: {function: f}\n"
		"alarms:\n"
		"  notify: [ops@example.com, dev@example.com]\n"
		"  functions:\n"
		"    errors: {threshold: 1}\n"
		"    duration_p99: {threshold_ms: 3000, period: 300, evaluation_periods: 2}\n"
		"  api:\n    5xx: {threshold: 5, period: 300}\n    latency_p99: {threshold_ms: 2000}\n"
		"  tables:\n    throttles: {threshold: 2}\n");
	const sg_plan *p = fx.plan;
	assert_int_equal(p->alarm_count, 6);

	const sg_plan_alarm *al = &p->alarms[0];
	assert_int_equal(al->kind, SG_PLAN_ALARM_FN_ERRORS);
	assert_string_equal(al->name, "shop-dev-f-errors");
	assert_string_equal(al->logical_id, "FErrorsAlarm");
	assert_string_equal(al->tf_name, "f_errors");
	assert_string_equal(al->metric_namespace, "AWS/Lambda");
	assert_string_equal(al->metric, "Errors");
	assert_string_equal(al->statistic, "Sum");
	assert_null(al->extended_statistic);
	assert_string_equal(al->comparison, "GreaterThanOrEqualToThreshold");
	assert_string_equal(al->treat_missing_data, "notBreaching");
	assert_int_equal(al->threshold, 1);
	assert_int_equal(al->period, 60);
	assert_int_equal(al->evaluation_periods, 1);
	assert_int_equal(al->dimension_count, 1);
	assert_string_equal(al->dimensions[0].name, "FunctionName");
	assert_int_equal(al->dimensions[0].value.kind, SG_PLAN_VAL_FUNCTION_NAME);
	assert_string_equal(al->dimensions[0].value.text, "shop-dev-f");
	assert_ptr_equal(al->function, fx_fn(&fx, "f"));

	al = &p->alarms[1];
	assert_int_equal(al->kind, SG_PLAN_ALARM_FN_DURATION_P99);
	assert_string_equal(al->name, "shop-dev-f-duration-p99");
	assert_string_equal(al->metric, "Duration");
	assert_null(al->statistic);
	assert_string_equal(al->extended_statistic, "p99");
	assert_string_equal(al->unit, "Milliseconds");
	assert_string_equal(al->comparison, "GreaterThanThreshold");
	assert_int_equal(al->threshold, 3000);
	assert_int_equal(al->period, 300);
	assert_int_equal(al->evaluation_periods, 2);

	al = &p->alarms[2];
	assert_int_equal(al->kind, SG_PLAN_ALARM_API_5XX);
	assert_string_equal(al->name, "shop-dev-api-5xx");
	assert_string_equal(al->logical_id, "Api5xxAlarm");
	assert_string_equal(al->metric_namespace, "AWS/ApiGateway");
	assert_string_equal(al->metric, "5XXError");
	assert_int_equal(al->dimension_count, 2);
	assert_string_equal(al->dimensions[0].name, "ApiName");
	assert_string_equal(al->dimensions[0].value.text, "shop-dev-api");
	assert_string_equal(al->dimensions[1].name, "Stage");
	assert_string_equal(al->dimensions[1].value.text, "dev");
	assert_string_equal(p->alarms[3].metric, "Latency");
	assert_string_equal(p->alarms[3].extended_statistic, "p99");

	al = &p->alarms[4];
	assert_int_equal(al->kind, SG_PLAN_ALARM_TABLE_READ_THROTTLES);
	assert_string_equal(al->name, "shop-dev-orders-read-throttles");
	assert_string_equal(al->logical_id, "OrdersTableReadThrottlesAlarm");
	assert_string_equal(al->metric_namespace, "AWS/DynamoDB");
	assert_string_equal(al->metric, "ReadThrottleEvents");
	assert_string_equal(al->dimensions[0].name, "TableName");
	assert_string_equal(al->dimensions[0].value.text, "shop-dev-orders");
	assert_int_equal(al->threshold, 2);
	assert_string_equal(p->alarms[5].metric, "WriteThrottleEvents");

	/* The alarm topic and its subscriptions. */
	assert_int_equal(p->subscription_count, 2);
	assert_string_equal(p->subscriptions[1].email, "dev@example.com");
	assert_string_equal(p->subscriptions[1].logical_id, "AlarmTopicSubscription2");
	assert_string_equal(p->subscriptions[1].tf_name, "alarm_email_2");
	fx_free(&fx);
}

static void test_alarms_http_and_none(void **state)
{
	(void)state;
	plan_fx fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"api:\n  type: http\n  routes:\n    /a:\n      GET: {function: f}\n"
		"alarms:\n  api:\n    4xx: {threshold: 10}\n");
	assert_int_equal(fx.plan->alarm_count, 1);
	const sg_plan_alarm *al = &fx.plan->alarms[0];
	assert_string_equal(al->metric, "4xx");
	assert_string_equal(al->dimensions[0].name, "ApiId");
	assert_int_equal(al->dimensions[0].value.kind, SG_PLAN_VAL_API_ID);
	assert_null(al->dimensions[0].value.text);
	assert_string_equal(al->dimensions[1].value.text, "$default");
	/* No notify: no topic. */
	assert_null(fx.plan->alarm_topic);
	assert_int_equal(fx.plan->topic_count, 0);
	fx_free(&fx);

	fx = fx_build("svcgen: 1\nservice: shop\napi:\n  routes:\n    /a:\n      GET: {function: f}\n");
	assert_int_equal(fx.plan->alarm_count, 0);
	fx_free(&fx);
}

/* ---- resource count -------------------------------------------------------------------------------- */

static void test_resource_count(void **state)
{
	(void)state;
	plan_fx fx = fx_build(REST_API);
	/* 5 functions x 3; user pool + client; RestApi, Stage, Deployment,
	 * Authorizer, access LogGroup; 4 resources; 6 methods x (Method +
	 * Permission); preflights on /, /users/{username}, /files/{key+}. */
	assert_int_equal(fx.plan->resource_count, 15 + 2 + 5 + 4 + 12 + 3);
	assert_int_equal(sg_plan_resource_count(fx.plan), fx.plan->resource_count);
	fx_free(&fx);

	fx = fx_build(
		"svcgen: 1\nservice: shop\n"
		"tables:\n  t: {partition_key: PK, stream: new_image}\n"
		"api:\n  type: http\n  access_logs: false\n"
		"  routes:\n    /a:\n      GET: {function: f}\n      POST: {function: f}\n"
		"functions:\n  w:\n    events:\n      - stream: {table: t}\n"
		"alarms:\n  notify: [a@example.com]\n  functions:\n    errors: {threshold: 1}\n");
	/* 2 functions x 3 + 1 mapping; table; alarm topic + subscription; Api,
	 * Stage, 1 integration, 2 x (Route + Permission); 2 alarms. */
	assert_int_equal(fx.plan->resource_count, 7 + 1 + 2 + 2 + 1 + 4 + 2);
	fx_free(&fx);
}

static void test_too_many_resources(void **state)
{
	(void)state;
	sg_arena *keep = sg_arena_new();
	/* 170 functions x (Function, Role, LogGroup) = 510 > 500. */
	char *yaml = sg_arena_strdup(keep, "svcgen: 1\nservice: shop\nfunctions:\n");
	for (int i = 0; i < 170; i++)
		yaml = sg_arena_printf(keep, "%s  f%d: {}\n", yaml, i);
	plan_fx fx = fx_build_ex(yaml, true);
	const sg_diag *d = fx_diag(&fx, "too-many-resources");
	assert_non_null(d);
	assert_int_equal(d->severity, SG_SEV_ERROR);
	assert_non_null(strstr(d->message, "510"));
	assert_int_equal(fx.plan->resource_count, 510);
	assert_int_equal(fx.rc, SG_EFINDINGS);
	fx_free(&fx);

	/* 166 x 3 = 498 is fine. */
	yaml = sg_arena_strdup(keep, "svcgen: 1\nservice: shop\nfunctions:\n");
	for (int i = 0; i < 166; i++)
		yaml = sg_arena_printf(keep, "%s  f%d: {}\n", yaml, i);
	fx = fx_build_ex(yaml, true);
	assert_null(fx_diag(&fx, "too-many-resources"));
	assert_int_equal(fx.rc, SG_OK);
	fx_free(&fx);
	sg_arena_free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_function_order_and_settings),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_environment_clashes),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_table_name_with_hyphen),
		cmocka_unit_test(test_route_tree),
		cmocka_unit_test(test_cors_preflight),
		cmocka_unit_test(test_http_api),
		cmocka_unit_test(test_api_hash),
		cmocka_unit_test(test_alarms_rest),
		cmocka_unit_test(test_alarms_http_and_none),
		cmocka_unit_test(test_resource_count),
		cmocka_unit_test(test_too_many_resources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
