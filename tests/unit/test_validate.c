/*
 * test_validate.c - sg_spec_validate: every semantic rule, each diagnostic
 * code at its exact line and column, plus specs that must stay clean.
 *
 * Most tests parse a small inline spec (so positions are real) and then
 * validate it; a few build the model by hand, and a few call the private
 * pattern helpers of validate_util.c directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "svcgen/buf.h"
#include "svcgen/spec.h"
#include "../../src/spec/validate_int.h"

/* ---- harness ----------------------------------------------------------------- */

typedef struct fixture {
	sg_arena *arena;
	sg_diags diags;
	sg_spec *spec;
	int rc;
} fixture;

static void print_diags(const sg_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		print_message("  %u:%u %s [%s] %s\n", d->items[i].pos.line, d->items[i].pos.col,
			      sg_severity_name(d->items[i].severity), d->items[i].code,
			      d->items[i].message);
}

/* Parse `yaml` (which must parse cleanly), validate it, sort the result. */
static fixture run(const char *yaml)
{
	fixture f;
	f.arena = sg_arena_new();
	sg_diags_init(&f.diags, f.arena, "t.yaml");
	int prc = sg_spec_parse(&f.spec, f.arena, &f.diags, "t.yaml", yaml, strlen(yaml));
	if (prc != SG_OK || f.diags.count) {
		print_message("the parser reported:\n");
		print_diags(&f.diags);
		fail_msg("test spec does not parse cleanly");
	}
	f.rc = sg_spec_validate(f.spec, &f.diags);
	sg_diags_sort(&f.diags);
	return f;
}

static void done(fixture *f)
{
	sg_arena_free(f->arena);
}

typedef struct want {
	const char *code;
	sg_severity sev;
	unsigned line, col;
	const char *needle;   /* a piece of the message, or NULL */
} want;

#define ERR(code, l, c) {code, SG_SEV_ERROR, l, c, NULL}
#define ERRM(code, l, c, m) {code, SG_SEV_ERROR, l, c, m}
#define WARN(code, l, c) {code, SG_SEV_WARNING, l, c, NULL}
#define WARNM(code, l, c, m) {code, SG_SEV_WARNING, l, c, m}

/* Every diagnostic message follows the house style. */
static void check_style(const fixture *f)
{
	for (size_t i = 0; i < f->diags.count; i++) {
		const char *m = f->diags.items[i].message;
		size_t n = strlen(m);
		assert_true(n > 0);
		if ((m[0] >= 'A' && m[0] <= 'Z') || m[n - 1] == '.' || strchr(m, '\n'))
			fail_msg("message breaks the style: '%s'", m);
	}
}

/* The diagnostics, sorted by position, are exactly `w` in order. */
static void check(const fixture *f, const want *w, size_t n)
{
	const sg_diags *d = &f->diags;
	bool ok = d->count == n;
	size_t errors = 0;
	for (size_t i = 0; ok && i < n; i++) {
		const sg_diag *g = &d->items[i];
		ok = strcmp(g->code, w[i].code) == 0 && g->severity == w[i].sev &&
		     g->pos.line == w[i].line && g->pos.col == w[i].col &&
		     (!w[i].needle || strstr(g->message, w[i].needle));
		errors += w[i].sev == SG_SEV_ERROR;
	}
	if (!ok) {
		print_message("expected:\n");
		for (size_t i = 0; i < n; i++)
			print_message("  %u:%u %s [%s] %s\n", w[i].line, w[i].col,
				      sg_severity_name(w[i].sev), w[i].code,
				      w[i].needle ? w[i].needle : "");
		print_message("got:\n");
		print_diags(d);
		fail_msg("diagnostics differ");
	}
	assert_int_equal(f->rc, errors ? SG_EFINDINGS : SG_OK);
	check_style(f);
}

#define EXPECT(f, ...)                                                  \
	do {                                                            \
		const want w_[] = {__VA_ARGS__};                        \
		check(&(f), w_, sizeof(w_) / sizeof(w_[0]));            \
	} while (0)
#define EXPECT_NONE(f) check(&(f), NULL, 0)

/* ---- clean specs ---------------------------------------------------------------- */

/* DESIGN.md's example, with every section, made consistent. */
static const char FULL[] =
	"svcgen: 1\n"
	"service: shop\n"
	"description: Users and orders\n"
	"stage: dev\n"
	"region: us-east-1\n"
	"tags: {team: shop, 'cost center': 'a/b=c+d-e@f.g:h'}\n"
	"defaults:\n"
	"  architecture: arm64\n"
	"  memory: 256\n"
	"  timeout: 10\n"
	"  log_retention: 14\n"
	"  tracing: true\n"
	"  environment: {LOG_LEVEL: info}\n"
	"tables:\n"
	"  orders:\n"
	"    partition_key: PK\n"
	"    sort_key: SK\n"
	"    billing: on_demand\n"
	"    stream: new_and_old_images\n"
	"    ttl: ExpiresAt\n"
	"    point_in_time_recovery: true\n"
	"    indexes:\n"
	"      by_email:\n"
	"        partition_key: Email\n"
	"        sort_key: CreatedAt:N\n"
	"        projection: [Name, Total]\n"
	"  counters:\n"
	"    partition_key: id\n"
	"    billing: provisioned\n"
	"    capacity: {read: 5, write: 5}\n"
	"    indexes:\n"
	"      by_kind: {partition_key: kind, projection: keys_only}\n"
	"topics:\n"
	"  order_events: {}\n"
	"  audit: {fifo: true, display_name: Shop audit}\n"
	"auth:\n"
	"  cognito:\n"
	"    user_pool: shop-users\n"
	"    sign_in: [email]\n"
	"    mfa: on\n"
	"    password_min_length: 12\n"
	"    callback_urls: [https://example.com/callback, http://localhost:3000/cb]\n"
	"    logout_urls: ['https://example.com/?bye=1']\n"
	"    oauth_flows: [code, implicit]\n"
	"    scopes: [openid, email, profile, api/read]\n"
	"    domain_prefix: shop-auth\n"
	"api:\n"
	"  type: rest\n"
	"  auth: cognito\n"
	"  cors: {origins: [https://example.com, 'http://localhost:3000'], max_age: 600,\n"
	"         credentials: true}\n"
	"  throttle: {rate: 50, burst: 100}\n"
	"  access_logs: true\n"
	"  routes:\n"
	"    /:\n"
	"      GET: {function: home, auth: none}\n"
	"    /users:\n"
	"      POST: {function: add_user, uses: [orders:put]}\n"
	"    /users/{username}:\n"
	"      GET:  {function: get_user, uses: [orders, orders.by_email:query], scopes: [email]}\n"
	"      ANY:  {function: get_user, uses: [orders]}\n"
	"    /users/{username}/orders:\n"
	"      GET:  {function: get_user, uses: [orders:query, counters:update]}\n"
	"    /orders/{order_id}:\n"
	"      PUT:  {function: update_order, uses: [orders:update], auth: none}\n"
	"      HEAD: {function: update_order, uses: ['orders:get'], auth: iam}\n"
	"    /files/v1.0/~me/{key+}:\n"
	"      GET:  {function: app}\n"
	"    /{proxy+}:\n"
	"      ANY:  {function: app}\n"
	"functions:\n"
	"  update_order: {memory: 512, timeout: 29, environment: {MODE: fast}}\n"
	"  notify_order:\n"
	"    timeout: 900\n"
	"    events:\n"
	"      - stream: {table: orders, batch_size: 10, starting_position: latest,\n"
	"                 batching_window: 0, retries: -1, filter: {eventName: [INSERT]}}\n"
	"    uses: [order_events:publish, audit, orders.by_email:scan]\n"
	"alarms:\n"
	"  notify: [ops@example.com, first.last+tag@mail.example.co.uk]\n"
	"  functions:\n"
	"    errors: {threshold: 0, period: 10}\n"
	"    throttles: {threshold: 1, period: 30, evaluation_periods: 2880}\n"
	"    duration_p99: {threshold_ms: 3000, period: 86400}\n"
	"  api:\n"
	"    5xx: {threshold: 5, period: 300}\n"
	"    4xx: {threshold: 50}\n"
	"    latency_p99: {threshold_ms: 2000}\n"
	"  tables:\n"
	"    throttles: {threshold: 1}\n";

static void test_full_spec_is_clean(void **state)
{
	(void)state;
	fixture f = run(FULL);
	EXPECT_NONE(f);
	done(&f);
}

static void test_defaults_filled_in(void **state)
{
	(void)state;
	fixture f = run("svcgen: 1\nservice: tiny\n");
	EXPECT_NONE(f);
	assert_string_equal(f.spec->stage.v, "dev");
	assert_string_equal(f.spec->region.v, "us-east-1");
	assert_false(f.spec->stage.set);
	assert_int_equal(f.spec->stage.pos.line, 0);
	done(&f);

	/* Given values are kept. */
	f = run("svcgen: 1\nservice: tiny\nstage: prod2\nregion: us-gov-west-1\n");
	EXPECT_NONE(f);
	assert_string_equal(f.spec->stage.v, "prod2");
	assert_string_equal(f.spec->region.v, "us-gov-west-1");
	done(&f);
}

/* The shipped examples must stay free of errors and warnings (reference
 * section 13).  Run from the repository root, as tests/run.sh does. */
static void test_examples_are_clean(void **state)
{
	(void)state;
	DIR *dir = opendir("examples");
	if (!dir)
		skip();
	struct dirent *e;
	size_t seen = 0;
	while ((e = readdir(dir))) {
		/* One directory per example, its spec in service.yaml. */
		char path[512];
		snprintf(path, sizeof(path), "examples/%s/service.yaml", e->d_name);
		if (e->d_name[0] == '.' || access(path, F_OK) != 0)
			continue;
		sg_arena *a = sg_arena_new();
		sg_diags d;
		sg_diags_init(&d, a, path);
		sg_spec *s = NULL;
		int rc = sg_spec_load(&s, a, &d, path);
		if (rc == SG_OK)
			rc = sg_spec_validate(s, &d);
		if (rc != SG_OK || d.count) {
			print_message("%s:\n", path);
			print_diags(&d);
			fail_msg("example %s is not clean", path);
		}
		sg_arena_free(a);
		seen++;
	}
	closedir(dir);
	if (!seen)
		skip();
}

/* ---- top level ------------------------------------------------------------------- */

static void test_missing_top_keys(void **state)
{
	(void)state;
	/* Missing top-level keys point at the top of the document. */
	fixture f = run("# a comment first\ndescription: nothing else\n");
	EXPECT(f, ERRM("missing-key", 2, 1, "'svcgen: 1'"),
	       ERRM("missing-key", 2, 1, "'service'"));
	done(&f);
}

static void test_unsupported_version(void **state)
{
	(void)state;
	fixture f = run("svcgen: 2\nservice: shop\n");
	EXPECT(f, ERRM("unsupported-version", 1, 9, "version 2"));
	done(&f);
}

static void test_top_names(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: Shop\n"                 /* 2:10 upper case */
		"stage: Prod\n"                   /* 3:8 upper case */
		"region: mars-north-1a\n");       /* 4:9 */
	EXPECT(f, ERRM("bad-name", 2, 10, "^[a-z][a-z0-9-]{1,30}$"),
	       ERRM("bad-name", 3, 8, "^[a-z0-9]{1,10}$"),
	       ERRM("bad-value", 4, 9, "region 'mars-north-1a'"));
	done(&f);

	/* One letter is too short; a trailing '-' is fine by the pattern. */
	f = run("svcgen: 1\nservice: s\n");
	EXPECT(f, ERR("bad-name", 2, 10));
	done(&f);
	f = run("svcgen: 1\nservice: a-\nregion: cn-northwest-1\n");
	EXPECT_NONE(f);
	done(&f);
}

static void test_tags(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tags:\n"
		"  AWS:owner: me\n"              /* 4:3 reserved prefix, any case */
		"  'a#b': x\n"                    /* 5:3 bad character */
		"  ok: 'semi;colon'\n"            /* 6:7 bad character in a value */
		"  café: 'naïve value'\n"         /* fine: non-ASCII letters */
		"  empty: ''\n");                 /* fine: values may be empty */
	EXPECT(f, ERRM("bad-tag", 4, 3, "'aws:'"), ERRM("bad-tag", 5, 3, "'#'"),
	       ERRM("bad-tag", 6, 7, "';'"));
	done(&f);

	/* Lengths: a 129-character key, a 257-character value (in characters,
	 * not bytes: 128 two-byte letters are fine). */
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntags:\n  ");
	sg_buf_pad(&b, 'k', 129);
	sg_buf_puts(&b, ": v\n  ok: ");
	sg_buf_pad(&b, 'v', 257);
	sg_buf_puts(&b, "\n  ");
	for (int i = 0; i < 128; i++)
		sg_buf_puts(&b, "é");
	sg_buf_puts(&b, ": v\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("bad-tag", 4, 3, "1 to 128"), ERRM("bad-tag", 5, 7, "at most 256"));
	done(&f);

	/* At most 48 tags (svcgen adds two, AWS allows 50): the 49th is
	 * pointed at, and 48 pass. */
	sg_buf_clear(&b);
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntags:\n");
	for (int i = 0; i < 48; i++)
		sg_buf_printf(&b, "  t%d: v\n", i);
	f = run(b.ptr);
	assert_int_equal(f.diags.count, 0);
	done(&f);
	sg_buf_puts(&b, "  t48: v\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("too-many", 52, 3, "49 tags"));
	done(&f);
	sg_buf_free(&b);
}

/* ---- function settings --------------------------------------------------------- */

static void test_settings_ranges(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"defaults:\n"
		"  memory: 127\n"                 /* 4:11 */
		"  timeout: 0\n"                  /* 5:12 */
		"  log_retention: 2\n"            /* 6:18 */
		"  reserved_concurrency: 1001\n"  /* 7:25 */
		"functions:\n"
		"  worker:\n"
		"    memory: 10241\n"             /* 10:13 */
		"    timeout: 901\n"              /* 11:14 */
		"    log_retention: 3653\n"
		"    reserved_concurrency: -1\n"  /* 13:27 */
		"    events: [{stream: {table: t}}]\n"
		"tables:\n"
		"  t: {partition_key: id, stream: keys_only}\n");
	EXPECT(f, ERRM("out-of-range", 4, 11, "128 to 10240"),
	       ERRM("out-of-range", 5, 12, "1 to 900"),
	       ERRM("bad-value", 6, 18, "1, 3, 5, 7, 14"),
	       ERRM("out-of-range", 7, 25, "0 to 1000"),
	       ERR("out-of-range", 10, 13), ERR("out-of-range", 11, 14),
	       ERR("out-of-range", 13, 27));
	done(&f);
}

static void test_environment_names(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  orders:\n"
		"    partition_key: PK\n"
		"    indexes: {by_user: {partition_key: U}}\n"
		"topics: {order_events: }\n"
		"defaults:\n"
		"  environment:\n"
		"    AWS_REGION: x\n"             /* 10:5 reserved by Lambda */
		"    _X: 1\n"                     /* 11:5 must start with a letter */
		"    TABLE_ORDERS: x\n"           /* 12:5 svcgen's */
		"    TABLE_orders: x\n"           /* fine: not the upper-case name */
		"    TABLE_USERS: x\n"            /* fine: no such table */
		"functions:\n"
		"  f:\n"
		"    uses: [orders:read]\n"
		"    events: [{stream: {table: orders}}]\n"
		"    environment:\n"
		"      INDEX_ORDERS_BY_USER: 1\n" /* 20:7 */
		"      TOPIC_ORDER_EVENTS: 2\n"   /* 21:7 */
		"      with-dash: 3\n");          /* 22:7 */
	EXPECT(f, ERRM("bad-env", 10, 5, "AWS_"), ERRM("bad-env", 11, 5, "^[A-Za-z][A-Za-z0-9_]*$"),
	       ERRM("bad-env", 12, 5, "table 'orders'"),
	       ERRM("stream-disabled", 18, 31, "new_and_old_images"),
	       ERRM("bad-env", 20, 7, "index 'by_user' of table 'orders'"),
	       ERRM("bad-env", 21, 7, "topic 'order_events'"),
	       ERR("bad-env", 22, 7));
	done(&f);
}

static void test_environment_size(void **state)
{
	(void)state;
	/* 4000 bytes of defaults fit; a route function also gets TABLE_ORDERS
	 * (12 + 15 bytes: "shop-dev-orders"), the event-only one does not. */
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntables: {orders: {partition_key: PK}}\n"
			"defaults:\n  environment:\n    BIG: ");
	sg_buf_pad(&b, 'x', 4096 - 3 - 20);
	sg_buf_puts(&b, "\n"                                 /* line 6 */
			"api:\n"
			"  routes:\n"
			"    /a:\n"
			"      GET: {function: reader, uses: [orders:get]}\n"   /* 10 */
			"functions:\n"
			"  quiet: {events: [{stream: {table: orders}}]}\n"
			"  loud:\n"
			"    uses: [orders:get]\n"
			"    environment: {BIG: short, EXTRA: '0123456789012345678901234567890'}\n");
	fixture f = run(b.ptr);
	/* reader: defaults 4076 + 27 > 4096, reported at the defaults' map;
	 * loud overrides BIG, so it is small; quiet has no table variable. */
	EXPECT(f, ERRM("bad-env", 6, 5, "function 'reader' would be 4103 bytes"),
	       ERRM("stream-disabled", 12, 37, "'orders'"),
	       WARN("unused-function", 13, 3));
	done(&f);

	/* Defaults alone over the limit: said once, not per function. */
	sg_buf_clear(&b);
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ndefaults:\n  environment: {A: ");
	sg_buf_pad(&b, 'x', 4096);
	sg_buf_puts(&b, "}\napi: {routes: {/a: {GET: {function: one}}, /b: {GET: {function: two}}}}\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("bad-env", 4, 16, "defaults environment is 4097 bytes"));
	done(&f);
	sg_buf_free(&b);
}

/* ---- tables ------------------------------------------------------------------------ */

static void test_table_keys(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  Orders:\n"                     /* 4:3 bad name */
		"    partition_key: 'P K'\n"      /* 5:20 bad attribute name */
		"  users:\n"                      /* 6:3 no partition_key */
		"    sort_key: SK\n"
		"  items:\n"
		"    partition_key: id\n"
		"    sort_key: id:N\n"            /* 10:15 same as the partition key */
		"    ttl: id\n"                   /* 11:10 a key attribute */
		"  logs:\n"
		"    partition_key: id\n"
		"    ttl: 'exp ires'\n");         /* 14:10 bad attribute name */
	EXPECT(f, ERRM("bad-name", 4, 3, "table name 'Orders'"),
	       ERRM("bad-name", 5, 20, "^[A-Za-z0-9_.-]{1,255}$"),
	       ERRM("missing-key", 6, 3, "table 'users' has no partition_key"),
	       ERRM("bad-value", 10, 15, "also its partition_key"),
	       ERRM("bad-value", 11, 10, "ttl attribute 'id'"),
	       ERR("bad-name", 14, 10));
	done(&f);
}

/* Table names may hold "-" as DynamoDB's do; "-" and "_" read alike in
 * what cannot hold "-" (TABLE_A_B, a_b), so names differing only there are
 * refused; "." separates a table from its index in `uses`. */
static void test_table_names(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  lambda-apigateway: {partition_key: id}\n"
		"  a_b: {partition_key: id}\n"
		"  a-b: {partition_key: id}\n"          /* 6:3 collides with a_b */
		"  x.y: {partition_key: id}\n"          /* 7:3 */
		"  -x: {partition_key: id}\n"           /* 8:3 */
		"api:\n"
		"  type: rest\n"
		"  routes:\n"
		"    /m:\n"
		"      POST: {function: m, uses: [lambda-apigateway:crud, a_b:get, a-b:get]}\n");
	EXPECT(f, ERRM("duplicate-name", 6, 3, "table 'a-b' differs from table 'a_b' only in "
		       "'-' and '_'; both would be TABLE_A_B to handlers and 'a_b' to Terraform"),
	       ERRM("bad-name", 7, 3, "^[a-z][a-z0-9_-]{0,30}$"),
	       ERRM("bad-name", 8, 3, "table name '-x'"));
	done(&f);
}

static void test_capacity(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  a:\n"
		"    partition_key: id\n"
		"    billing: provisioned\n"      /* 6:14 no capacity */
		"  b:\n"
		"    partition_key: id\n"
		"    capacity: {read: 1, write: 1}\n"   /* 9:5 on demand by default */
		"  c:\n"
		"    partition_key: id\n"
		"    billing: on_demand\n"
		"    capacity: {read: 1}\n"       /* 13:5 */
		"    indexes:\n"
		"      i: {partition_key: x, capacity: {read: 1, write: 1}}\n"  /* 15:29 */
		"  d:\n"
		"    partition_key: id\n"
		"    billing: provisioned\n"
		"    capacity: {read: 0, write: 1}\n"   /* 19:22 */
		"    indexes:\n"
		"      i: {partition_key: x}\n"         /* inherits the table's */
		"      j: {partition_key: y, capacity: {write: 0}}\n");  /* 22:29, 22:47 */
	EXPECT(f, ERRM("missing-capacity", 6, 14, "table 'a' has provisioned billing"),
	       ERRM("capacity-without-provisioned", 9, 5, "table 'b'"),
	       ERRM("capacity-without-provisioned", 13, 5, "table 'c'"),
	       ERRM("capacity-without-provisioned", 15, 29, "index 'i' of table 'c'"),
	       ERRM("out-of-range", 19, 22, "read capacity 0"),
	       ERRM("missing-capacity", 22, 29, "needs read"),
	       ERRM("out-of-range", 22, 47, "write capacity 0"));
	done(&f);
}

static void test_indexes(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  t:\n"
		"    partition_key: PK\n"
		"    sort_key: SK:N\n"
		"    indexes:\n"
		"      By_x: {partition_key: X}\n"             /* 8:7 bad name */
		"      by_pk: {partition_key: SK}\n"           /* 9:30 S here, N in the table */
		"      by_y:\n"
		"        partition_key: Y:B\n"
		"        sort_key: Y:B\n"                      /* 12:19 same as the partition key */
		"      by_y2: {partition_key: 'Y:N'}\n"        /* 13:30 B in by_y (the quote) */
		"      by_z:\n"
		"        partition_key: Z\n"
		"        projection: [Name, PK, Z, Name, 'a b']\n"  /* 16:28, 16:32, 16:35, 16:41 */
		"      by_w: {partition_key: W, projection: []}\n"  /* 17:44 */
		"      no_pk: {projection: keys_only}\n");     /* 18:7 */
	EXPECT(f, ERRM("bad-name", 8, 7, "index name 'By_x'"),
	       ERRM("bad-value", 9, 30, "'SK' is S here but N as the sort_key of table 't'"),
	       ERRM("bad-value", 12, 19, "also its partition_key"),
	       ERRM("bad-value", 13, 30, "as the partition_key of index 'by_y'"),
	       ERRM("bad-value", 16, 28, "key attribute of table 't'"),
	       ERRM("bad-value", 16, 32, "key attribute of index 'by_z'"),
	       ERRM("bad-value", 16, 35, "projected twice"),
	       ERR("bad-name", 16, 41),
	       ERRM("bad-value", 17, 44, "lists no attributes"),
	       ERRM("missing-key", 18, 7, "index 'no_pk' of table 't' has no partition_key"));
	done(&f);
}

static void test_index_limits(void **state)
{
	(void)state;
	/* 21 indexes; 101 projected attributes over the first two. */
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntables:\n  t:\n    partition_key: PK\n"
			"    indexes:\n");
	sg_buf_puts(&b, "      i0:\n        partition_key: A\n        projection: [");
	for (int i = 0; i < 60; i++)
		sg_buf_printf(&b, "%sa%d", i ? ", " : "", i);
	sg_buf_puts(&b, "]\n      i1:\n        partition_key: A\n        projection: [");
	for (int i = 0; i < 41; i++)
		sg_buf_printf(&b, "%sb%d", i ? ", " : "", i);
	sg_buf_puts(&b, "]\n");                                   /* lines 7..12 */
	for (int i = 2; i < 21; i++)
		sg_buf_printf(&b, "      i%d: {partition_key: A}\n", i);   /* lines 13..31 */
	fixture f = run(b.ptr);
	EXPECT(f, ERRM("out-of-range", 12, 21, "101 attributes"),
	       ERRM("too-many", 31, 7, "21 indexes"));
	done(&f);

	/* 101 attributes in one index. */
	sg_buf_clear(&b);
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntables:\n  t:\n    partition_key: PK\n"
			"    indexes:\n      i:\n        partition_key: A\n        projection: [");
	for (int i = 0; i < 101; i++)
		sg_buf_printf(&b, "%sa%d", i ? ", " : "", i);
	sg_buf_puts(&b, "]\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("out-of-range", 9, 21, "at most 100"));
	done(&f);
	sg_buf_free(&b);
}

/* ---- topics and cognito ------------------------------------------------------------ */

static void test_topics(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables: {orders: {partition_key: PK}}\n"
		"topics:\n"
		"  orders: {}\n"                          /* 5:3 the name of a table */
		"  Events: {}\n"                          /* 6:3 */
		"  named: {display_name: ''}\n"           /* 7:25 */
		"  long: {display_name: "
		"'0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890'}\n"    /* 8:24, 101 characters */
		"  ok: {display_name: 'ünïcödé'}\n");
	EXPECT(f, ERRM("duplicate-name", 5, 3, "topic 'orders'"),
	       ERRM("bad-name", 6, 3, "topic name 'Events'"),
	       ERRM("bad-value", 7, 25, "1 to 100"), ERRM("bad-value", 8, 24, "it has 101"));
	done(&f);
}

static void test_cognito(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"auth:\n"
		"  cognito:\n"                                   /* 4:3 no user_pool */
		"    password_min_length: 100\n"                 /* 5:26 */
		"    callback_urls:\n"
		"      - http://example.com/cb\n"                /* 7:9 not https */
		"      - https://example.com/cb#top\n"           /* 8:9 fragment */
		"      - https://\n"                             /* 9:9 no host */
		"      - example.com/cb\n"                       /* 10:9 no scheme */
		"      - http://localhost:8080/cb\n"             /* fine */
		"      - 'https://exa mple.com'\n"               /* 12:9 space */
		"    logout_urls: ['https://user@example.com/']\n"   /* 13:19 not a host */
		"    domain_prefix: -shop\n"                     /* 14:20 */
		"    scopes: [openid, '', 'two words']\n"        /* 15:22, 15:26 */
		"    sign_in: []\n"                              /* 16:14 */
		"    oauth_flows: []\n");                        /* 17:18 */
	EXPECT(f, ERRM("missing-key", 4, 3, "user_pool"),
	       ERRM("out-of-range", 5, 26, "6 to 99"),
	       ERRM("bad-url", 7, 9, "https://"), ERRM("bad-url", 8, 9, "fragment"),
	       ERRM("bad-url", 9, 9, "no host"), ERRM("bad-url", 10, 9, "scheme"),
	       ERRM("bad-url", 12, 9, "space"), ERRM("bad-url", 13, 19, "host"),
	       ERRM("bad-name", 14, 20, "domain_prefix '-shop'"),
	       ERR("bad-value", 15, 22), ERR("bad-value", 15, 26),
	       ERRM("bad-value", 16, 14, "sign_in"), ERRM("bad-value", 17, 18, "oauth_flows"));
	done(&f);

	f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"auth:\n"
		"  cognito:\n"
		"    user_pool: 'shop users (prod)'\n"           /* 5:16 parentheses */
		"    domain_prefix: my-amazon-login\n"           /* 6:20 reserved word */
		"    password_min_length: 6\n"
		"    mfa: optional\n"
		"    oauth_flows: [implicit]\n");
	EXPECT(f, ERRM("bad-name", 5, 16, "user_pool"),
	       ERRM("bad-name", 6, 20, "'aws', 'amazon' or 'cognito'"));
	done(&f);
}

/* ---- api ------------------------------------------------------------------------------ */

static void test_api_auth(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  auth: cognito\n"                                      /* 4:9 */
		"  routes:\n"
		"    /a:\n"
		"      GET: {function: a, scopes: [read]}\n"             /* api default: fine */
		"      POST: {function: a, auth: iam, scopes: [write]}\n"   /* 8:46 */
		"      PUT: {function: a, auth: cognito}\n"              /* 9:32 */
		"      DELETE: {function: a, auth: none, scopes: []}\n");   /* 10:49 */
	EXPECT(f, ERRM("missing-cognito", 4, 9, "auth.cognito"),
	       ERRM("scopes-without-cognito", 8, 46, "its auth is iam"),
	       ERRM("missing-cognito", 9, 32, "method 'PUT /a'"),
	       ERRM("scopes-without-cognito", 10, 49, "its auth is none"));
	done(&f);

	/* Scopes without any auth at all, and an empty scope list. */
	f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"auth: {cognito: {user_pool: p}}\n"
		"api:\n"
		"  routes:\n"
		"    /a:\n"
		"      GET: {function: a, scopes: [x]}\n"               /* 7:34 */
		"      POST: {function: a, auth: cognito, scopes: []}\n"   /* 8:50 */
		"      PUT: {function: a, auth: cognito, scopes: ['a b']}\n");   /* 9:50 */
	EXPECT(f, ERRM("scopes-without-cognito", 7, 34, "its auth is none"),
	       ERRM("bad-value", 8, 50, "no scopes"), ERRM("bad-value", 9, 50, "'a b'"));
	done(&f);
}

static void test_api_settings(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  cors:\n"
		"    origins:\n"
		"      - '*'\n"
		"      - https://example.com/\n"                  /* 7:9 path */
		"      - https://example.com:0\n"                 /* 8:9 port */
		"      - ftp://files.example.com:2121\n"          /* fine */
		"    max_age: -1\n"                               /* 10:14 */
		"    credentials: true\n"                         /* 11:18 with '*' */
		"  throttle: {rate: 1, burst: 0}\n"              /* 12:30 */
		"  routes:\n"
		"    /a: {GET: {function: a}}\n");
	EXPECT(f, ERRM("bad-url", 7, 9, "cors origin"), ERRM("bad-url", 8, 9, "port"),
	       ERRM("out-of-range", 10, 14, "0 to 86400"),
	       ERRM("bad-value", 11, 18, "origin '*'"),
	       ERRM("out-of-range", 12, 30, "when a rate is set"));
	done(&f);

	/* Burst 0 alone is fine; rate 0 is not; no routes; no origins. */
	f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"                                          /* 3:1 no routes */
		"  cors: {max_age: 0}\n"                          /* 4:3 no origins */
		"  throttle: {burst: 0}\n");
	EXPECT(f, ERRM("missing-key", 3, 1, "no routes"), ERRM("missing-key", 4, 3, "no origins"));
	done(&f);
	f = run("svcgen: 1\nservice: shop\napi:\n  throttle: {rate: 0}\n"
		"  routes: {/a: {GET: {function: a}}}\n");
	EXPECT(f, ERRM("out-of-range", 4, 20, "at least 1"));
	done(&f);
}

static void test_paths(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  routes:\n"
		"    users:\n"                                    /* 5:5 no leading / */
		"      GET: {function: a}\n"
		"    /users/:\n"                                  /* 7:5 trailing / */
		"      GET: {function: a}\n"
		"    /a//b:\n"                                    /* 9:5 empty segment */
		"      GET: {function: a}\n"
		"    /a/b c:\n"                                   /* 11:5 bad literal */
		"      GET: {function: a}\n"
		"    /a/{1x}:\n"                                  /* 13:5 bad parameter */
		"      GET: {function: a}\n"
		"    /a/x{id}:\n"                                 /* 15:5 brace inside */
		"      GET: {function: a}\n"
		"    /{proxy+}/tail:\n"                           /* 17:5 greedy not last */
		"      GET: {function: a}\n"
		"    /p/{id}/q/{id}:\n"                           /* 19:5 repeated parameter */
		"      GET: {function: a}\n"
		"    /empty: {}\n"                                /* 21:5 no methods */
		"    /:\n"                                        /* fine: the root */
		"      GET: {function: a}\n");
	EXPECT(f, ERRM("bad-path", 5, 5, "must start with '/'"),
	       ERRM("bad-path", 7, 5, "must not end with '/'"),
	       ERRM("bad-path", 9, 5, "empty segment"),
	       ERRM("bad-path", 11, 5, "segment 'b c'"),
	       ERRM("bad-path", 13, 5, "path parameter '1x'"),
	       ERRM("bad-path", 15, 5, "segment 'x{id}'"),
	       ERRM("proxy-not-last", 17, 5, "'{proxy+}'"),
	       ERRM("bad-path", 19, 5, "'id' appears twice"),
	       ERRM("missing-key", 21, 5, "no methods"));
	done(&f);

	/* Over 1024 characters. */
	sg_buf b = SG_BUF_INIT;
	/* (YAML limits implicit keys to 1024 characters: an explicit key.) */
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\napi:\n  routes:\n    ? /");
	sg_buf_pad(&b, 'a', 1024);
	sg_buf_puts(&b, "\n    : {GET: {function: a}}\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("bad-path", 5, 7, "1025 characters"));
	done(&f);
	sg_buf_free(&b);
}

static void test_rest_sibling_variables(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  routes:\n"
		"    /users/{id}:\n"
		"      GET: {function: a}\n"
		"      ANY: {function: a}\n"                      /* ANY beside GET: fine */
		"    /users/{user_id}:\n"                         /* 8:5 */
		"      DELETE: {function: a}\n"
		"    /users/{uid}/orders:\n"                      /* 10:5 */
		"      GET: {function: a}\n"
		"    /users/me:\n"                                /* literal sibling: fine */
		"      GET: {function: a}\n"
		"    /{proxy+}:\n"
		"      ANY: {function: a}\n"
		"    /{id}:\n"                                    /* 16:5 beside {proxy+} */
		"      GET: {function: a}\n");
	EXPECT(f, ERRM("bad-path", 8, 5, "conflicts with '/users/{id}'"),
	       ERRM("bad-path", 10, 5, "conflicts with '/users/{id}'"),
	       ERRM("bad-path", 16, 5, "conflicts with '/{proxy+}'"));
	done(&f);
}

static void test_http_duplicate_routes(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  type: http\n"
		"  routes:\n"
		"    /users/{id}:\n"
		"      GET: {function: a}\n"
		"      ANY: {function: a}\n"
		"    /users/{user_id}:\n"
		"      GET: {function: b}\n"                      /* 10:7 */
		"      DELETE: {function: b}\n"                   /* another method: fine */
		"    /users/{user_id}/x:\n"
		"      GET: {function: b}\n"                      /* other shape: fine */
		"    /users/{key+}:\n"
		"      GET: {function: b}\n");                    /* greedy: another shape */
	EXPECT(f, ERRM("duplicate-route", 10, 7,
		       "route 'GET /users/{user_id}' is the same as 'GET /users/{id}'"));
	done(&f);
}

static void test_method_function(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"api:\n"
		"  routes:\n"
		"    /a:\n"
		"      GET: {auth: none}\n"                       /* 6:7 */
		"      POST: {function: Add-User}\n"              /* 7:24 */
		"      PUT: {function: a_function_name_that_is_way_over_forty_chars}\n");  /* 8:23 */
	EXPECT(f, ERRM("missing-key", 6, 7, "method 'GET /a' has no function"),
	       ERRM("bad-name", 7, 24, "^[a-z][a-z0-9_]{0,39}$"), ERR("bad-name", 8, 23));
	done(&f);
}

/* ---- uses ---------------------------------------------------------------------------------- */

static void test_uses_references(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  orders:\n"
		"    partition_key: PK\n"
		"    indexes: {by_email: {partition_key: E}}\n"
		"topics: {order_events: }\n"
		"api:\n"
		"  routes:\n"
		"    /a:\n"
		"      GET:\n"
		"        function: a\n"
		"        uses:\n"
		"          - order\n"                           /* 14:13 */
		"          - order_event:publish\n"             /* 15:13 */
		"          - orders.by_emial:query\n"           /* 16:13 */
		"          - orders.by_email:get\n"             /* 17:13 */
		"          - orders.by_email\n"                 /* 18:13 */
		"          - orders:publish\n"                  /* 19:13 */
		"          - order_events:read\n"               /* 20:13 */
		"          - order_events.x:query\n"            /* 21:13 */
		"          - order_events\n"                    /* fine: publish */
		"          - zzz:get\n"                         /* 23:13 no hint */
		"      HEAD: {function: a, uses: [orders]}\n"   /* 24:34 */
		"      OPTIONS: {function: a, uses: ['orders:get']}\n"
		"functions:\n"
		"  a:\n"
		"    uses: [orders, 'orders:read', order_events]\n");   /* 28:12 */
	EXPECT(f, ERRM("undeclared-table", 14, 13, "table 'order' is not declared (did you mean 'orders'?)"),
	       ERRM("undeclared-topic", 15, 13, "(did you mean 'order_events'?)"),
	       ERRM("undeclared-index", 16, 13, "no index 'by_emial' (did you mean 'by_email'?)"),
	       ERRM("bad-access", 17, 13, "query or scan"),
	       ERRM("bad-access", 18, 13, "query or scan"),
	       ERRM("bad-access", 19, 13, "publish is for topics"),
	       ERRM("bad-access", 20, 13, "only 'publish'"),
	       ERRM("bad-access", 21, 13, "is a topic"),
	       ERRM("undeclared-table", 23, 13, "table 'zzz' is not declared"),
	       ERRM("bad-access", 24, 34, "HEAD derives no access"),
	       ERRM("bad-access", 28, 12, "no route method to derive access from"));
	/* No hint when nothing is close. */
	for (size_t i = 0; i < f.diags.count; i++)
		if (f.diags.items[i].pos.line == 23)
			assert_null(strstr(f.diags.items[i].message, "did you mean"));
	done(&f);
}

/* ---- events ----------------------------------------------------------------------------------- */

static void test_events(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables:\n"
		"  orders: {partition_key: PK, stream: new_image}\n"
		"  plain: {partition_key: PK}\n"
		"  off: {partition_key: PK, stream: none}\n"
		"functions:\n"
		"  f:\n"
		"    events:\n"
		"      - stream: {table: ordres}\n"                    /* 10:25 */
		"      - stream: {table: plain}\n"                     /* 11:25 */
		"      - stream: {table: off}\n"                       /* 12:25 */
		"      - stream: {table: orders, batch_size: 10001, batching_window: -1, retries: 10001}\n"
		/* 13:45, 13:69, 13:82 */
		"      - stream: {batch_size: 1}\n"                    /* 14:9 */
		"      - stream: {table: orders, batching_window: 300, retries: -1}\n");   /* 15:9, the sixth */
	EXPECT(f, ERRM("undeclared-table", 10, 25, "(did you mean 'orders'?)"),
	       ERRM("stream-disabled", 11, 25, "'stream: new_and_old_images'"),
	       ERRM("stream-disabled", 12, 25, "table 'off'"),
	       ERRM("out-of-range", 13, 45, "1 to 10000"),
	       ERRM("out-of-range", 13, 69, "0 to 300"),
	       ERRM("out-of-range", 13, 82, "-1 to 10000"),
	       ERRM("missing-key", 14, 9, "no table"),
	       ERRM("too-many", 15, 9, "6 events; at most 5"));
	done(&f);

	/* At most 5 events: the sixth is pointed at. */
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntables: {t: {partition_key: id, stream: keys_only}}\n"
			"functions:\n  f:\n    events:\n");
	for (int i = 0; i < 6; i++)
		sg_buf_puts(&b, "      - stream: {table: t}\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("too-many", 12, 9, "6 events"));
	done(&f);
	sg_buf_free(&b);
}

/* ---- cross-section rules ---------------------------------------------------------------------- */

static void test_timeout_behind_api(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables: {t: {partition_key: id, stream: keys_only}}\n"
		"defaults: {timeout: 30}\n"                           /* 4:21 */
		"api:\n"
		"  routes:\n"
		"    /a: {GET: {function: a}, POST: {function: b}}\n"
		"    /c: {GET: {function: c}}\n"
		"functions:\n"
		"  b: {timeout: 29}\n"                                /* fine */
		"  c: {timeout: 900}\n"                               /* 11:16 */
		"  d: {timeout: 900, events: [{stream: {table: t}}]}\n");   /* fine: no route */
	EXPECT(f, ERRM("timeout-over-api-limit", 4, 21, "(from defaults) of function 'a'"),
	       ERRM("timeout-over-api-limit", 11, 16, "timeout 900 seconds of function 'c'"));
	done(&f);

	/* Out of range is reported once, as out-of-range. */
	f = run("svcgen: 1\nservice: shop\ndefaults: {timeout: 901}\n"
		"api: {routes: {/a: {GET: {function: a}}}}\n");
	EXPECT(f, ERR("out-of-range", 3, 21));
	done(&f);
}

static void test_xray_on_http_api(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"defaults: {tracing: true}\n"
		"api:\n"
		"  type: http\n"                                      /* 5:9 */
		"  routes: {/a: {GET: {function: a}}}\n"
		"functions:\n"
		"  a: {tracing: true}\n");
	EXPECT(f, WARNM("xray-http-api", 5, 9, "an HTTP API has no X-Ray"));
	done(&f);

	/* Off everywhere, or a REST API: nothing to say. */
	f = run("svcgen: 1\nservice: shop\ndefaults: {tracing: false}\n"
		"api: {type: http, routes: {/a: {GET: {function: a}}}}\n");
	EXPECT_NONE(f);
	done(&f);
	f = run("svcgen: 1\nservice: shop\nfunctions: {a: {tracing: true}}\n"
		"api: {type: rest, routes: {/a: {GET: {function: a}}}}\n");
	EXPECT_NONE(f);
	done(&f);
}

static void test_physical_names(void **state)
{
	(void)state;
	/* 31 + 10 + 40 + 2 = 83 > 64; 31 + 10 + 21 + 2 = 64 fits. */
	fixture f = run(
		"svcgen: 1\n"
		"service: abcdefghij-abcdefghij-abcdefghi\n"
		"stage: abcdefghij\n"
		"api:\n"
		"  routes:\n"
		"    /a:\n"
		"      GET: {function: abcdefghij_abcdefghij_abcdefghij_abcdefg}\n"   /* 7:23 */
		"      POST: {function: abcdefghij_abcdefghij}\n"        /* 64: fits */
		"functions:\n"
		"  abcdefghij_abcdefghijk: {}\n");                    /* 10:3, 65 */
	EXPECT(f, ERRM("name-too-long", 7, 23,
		       "'abcdefghij-abcdefghij-abcdefghi-abcdefghij-"
		       "abcdefghij_abcdefghij_abcdefghij_abcdefg' is 83 characters"),
	       WARN("unused-function", 10, 3),
	       ERRM("name-too-long", 10, 3, "is 65 characters; Lambda function and IAM role "
					    "names allow 64"));
	done(&f);

	/* A bad service name is reported once, not once per resource. */
	f = run("svcgen: 1\nservice: abcdefghij-abcdefghij-abcdefghij-abcdefghij\n"
		"api: {routes: {/a: {GET: {function: abcdefghij_abcdefghij_abcdefghij}}}}\n");
	EXPECT(f, ERR("bad-name", 2, 10));
	done(&f);
}

static void test_unused_function(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"tables: {t: {partition_key: id, stream: keys_only}}\n"
		"api: {routes: {/a: {GET: {function: routed}}}}\n"
		"functions:\n"
		"  routed: {memory: 512}\n"
		"  driven: {events: [{stream: {table: t}}]}\n"
		"  idle: {memory: 512}\n");                           /* 8:3 */
	EXPECT(f, WARNM("unused-function", 8, 3, "function 'idle' has no route and no event"));
	done(&f);
}

static void test_too_many_functions_and_routes(void **state)
{
	(void)state;
	/* 150 route functions + 51 declared ones = 201. */
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\ntables: {t: {partition_key: id, stream: keys_only}}\n"
			"api:\n  routes:\n");
	for (int i = 0; i < 150; i++)
		sg_buf_printf(&b, "    /r%d: {GET: {function: f%d}}\n", i, i);   /* lines 6..155 */
	sg_buf_puts(&b, "functions:\n");
	for (int i = 0; i < 51; i++)
		sg_buf_printf(&b, "  e%d: {events: [{stream: {table: t}}]}\n", i);   /* 157.. */
	fixture f = run(b.ptr);
	/* Declared functions come first: the 201st is route function f149. */
	EXPECT(f, ERRM("too-many", 155, 29, "201 functions; at most 200"));
	done(&f);

	/* 3001 routes served by one function. */
	sg_buf_clear(&b);
	sg_buf_puts(&b, "svcgen: 1\nservice: shop\napi:\n  routes:\n");
	for (int i = 0; i < 1000; i++)
		sg_buf_printf(&b, "    /r%d: {GET: {function: f}, PUT: {function: f}, POST: {function: f}}\n", i);
	sg_buf_puts(&b, "    /last: {GET: {function: f}}\n");
	f = run(b.ptr);
	EXPECT(f, ERRM("too-many", 4, 3, "3001 routes"));
	done(&f);
	sg_buf_free(&b);
}

static void test_alarms(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: shop\n"
		"alarms:\n"
		"  notify: [ops@example.com, ops, ops@localhost, 'a b@example.com', x@example.c0m]\n"
		"  functions:\n"
		"    errors: {period: 60}\n"                                   /* 6:5 */
		"    throttles: {threshold: -1, period: 0, evaluation_periods: 0}\n"
		"    duration_p99: {threshold_ms: 0, period: 120, evaluation_periods: 721}\n"
		"  api:\n"
		"    5xx: {threshold: 1}\n"                                    /* 10:5 */
		"    latency_p99: {threshold_ms: 1, period: 90}\n"             /* 11:44 */
		"  tables:\n"
		"    throttles: {threshold: 1, period: 86460}\n");            /* 13:5, 13:39 */
	EXPECT(f, ERRM("bad-email", 4, 29, "'ops'"), ERR("bad-email", 4, 34),
	       ERR("bad-email", 4, 49), ERR("bad-email", 4, 68),
	       ERRM("missing-key", 6, 5, "no threshold"),
	       ERRM("out-of-range", 7, 28, "at least 0"),
	       ERRM("bad-value", 7, 40, "10, 30 or a multiple of 60"),
	       ERRM("out-of-range", 7, 63, "at least 1"),
	       ERRM("out-of-range", 8, 34, "at least 1 ms"),
	       ERRM("out-of-range", 8, 70, "120 x 721"),
	       ERRM("alarm-without-target", 10, 5, "api alarms need an api"),
	       ERRM("bad-value", 11, 44, "period 90"),
	       WARNM("alarm-without-target", 13, 5, "no table"),
	       ERRM("out-of-range", 13, 39, "86460 x 1"));
	done(&f);
}

/* ---- reporting ------------------------------------------------------------------------------- */

/* One run reports every error, in every section; the file name is the
 * spec's; messages quote safely. */
static void test_reports_everything(void **state)
{
	(void)state;
	fixture f = run(
		"svcgen: 1\n"
		"service: Bad\n"
		"defaults: {memory: 1}\n"
		"tables: {T: {partition_key: id}}\n"
		"api: {routes: {/a/: {GET: {function: a, uses: [nope]}}}}\n");
	EXPECT(f, ERR("bad-name", 2, 10), ERR("out-of-range", 3, 20), ERR("bad-name", 4, 10),
	       ERR("bad-path", 5, 16), ERR("undeclared-table", 5, 48));
	for (size_t i = 0; i < f.diags.count; i++)
		assert_string_equal(f.diags.items[i].file, "t.yaml");
	assert_int_equal(f.diags.errors, 5);
	done(&f);

	/* A quoted value with a quote and a newline stays one line. */
	f = run("svcgen: 1\nservice: \"it's\\nbad\"\n");
	EXPECT(f, ERRM("bad-name", 2, 10, "'it\\'s\\nbad'"));
	done(&f);
}

/* ---- a model built by hand (no parser) ------------------------------------------------------ */

static void test_hand_built_model(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_diags d;
	sg_diags_init(&d, a, "hand.yaml");
	sg_spec *s = sg_arena_alloc(a, sizeof(*s));
	s->version = (sg_int){1, {1, 9}, true};
	s->service = (sg_str){"shop", {2, 10}, true};
	s->table_count = 1;
	s->tables = sg_arena_calloc(a, 1, sizeof(sg_table));
	s->tables[0].name = (sg_str){"orders", {4, 3}, true};
	s->tables[0].partition_key = (sg_key_attr){{"PK", {5, 20}, true}, SG_ATTR_S, true, {5, 20}};
	s->api.present = true;
	s->api.pos = (sg_pos){6, 1};
	s->api.route_count = 1;
	s->api.routes = sg_arena_calloc(a, 1, sizeof(sg_route));
	sg_route *r = &s->api.routes[0];
	r->path = (sg_str){"/orders/{id}", {8, 5}, true};
	r->method_count = 1;
	r->methods = sg_arena_calloc(a, 1, sizeof(sg_method));
	r->methods[0].verb = (sg_enum){SG_METHOD_GET, {9, 7}, true};
	r->methods[0].function = (sg_str){"get_order", {9, 22}, true};
	r->methods[0].use_count = 2;
	r->methods[0].uses = sg_arena_calloc(a, 2, sizeof(sg_use));
	r->methods[0].uses[0] = (sg_use){"orders", "orders", NULL, SG_ACCESS_DERIVED, {9, 40}};
	r->methods[0].uses[1] = (sg_use){"orderz:get", "orderz", NULL, SG_ACCESS_GET, {9, 48}};

	assert_int_equal(sg_spec_validate(s, &d), SG_EFINDINGS);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].code, "undeclared-table");
	assert_string_equal(d.items[0].file, "hand.yaml");
	assert_int_equal(d.items[0].pos.line, 9);
	assert_int_equal(d.items[0].pos.col, 48);
	assert_non_null(strstr(d.items[0].message, "(did you mean 'orders'?)"));
	assert_string_equal(s->stage.v, "dev");
	assert_string_equal(s->region.v, "us-east-1");

	/* An empty model: only the two required keys are missing. */
	sg_spec *empty = sg_arena_alloc(a, sizeof(*empty));
	sg_diags d2;
	sg_diags_init(&d2, a, "empty.yaml");
	assert_int_equal(sg_spec_validate(empty, &d2), SG_EFINDINGS);
	assert_int_equal(d2.count, 2);
	assert_string_equal(d2.items[0].code, "missing-key");
	assert_string_equal(d2.items[1].code, "missing-key");
	sg_arena_free(a);
}

/* ---- lookups and names (spec.c) ------------------------------------------------------------ */

static void test_lookups_and_names(void **state)
{
	(void)state;
	fixture f = run(FULL);
	const sg_table *t = sg_spec_table(f.spec, "orders");
	assert_non_null(t);
	assert_ptr_equal(t, &f.spec->tables[0]);
	assert_null(sg_spec_table(f.spec, "order"));
	assert_null(sg_spec_table(f.spec, NULL));
	assert_non_null(sg_table_index(t, "by_email"));
	assert_null(sg_table_index(t, "by_kind"));
	assert_ptr_equal(sg_spec_topic(f.spec, "audit"), &f.spec->topics[1]);
	assert_null(sg_spec_topic(f.spec, "orders"));
	assert_ptr_equal(sg_spec_function(f.spec, "notify_order"), &f.spec->functions[1]);
	assert_null(sg_spec_function(f.spec, "get_user")); /* route-only */
	done(&f);

	assert_string_equal(sg_arch_name(SG_ARCH_X86_64), "x86_64");
	assert_string_equal(sg_attr_type_name(SG_ATTR_B), "B");
	assert_string_equal(sg_billing_name(SG_BILLING_ON_DEMAND), "on_demand");
	assert_string_equal(sg_stream_view_name(SG_STREAM_NEW_AND_OLD_IMAGES), "new_and_old_images");
	assert_string_equal(sg_projection_name(SG_PROJ_KEYS_ONLY), "keys_only");
	assert_string_equal(sg_auth_name(SG_AUTH_COGNITO), "cognito");
	assert_string_equal(sg_api_type_name(SG_API_HTTP), "http");
	assert_string_equal(sg_method_name(SG_METHOD_ANY), "ANY");
	assert_string_equal(sg_method_name(SG_METHOD_GET), "GET");
	assert_string_equal(sg_access_name(SG_ACCESS_CRUD), "crud");
	assert_string_equal(sg_access_name(SG_ACCESS_PUBLISH), "publish");
	assert_string_equal(sg_start_pos_name(SG_START_TRIM_HORIZON), "trim_horizon");
	assert_string_equal(sg_mfa_name(SG_MFA_OFF), "off");
	assert_string_equal(sg_sign_in_name(SG_SIGNIN_PHONE), "phone");
	assert_string_equal(sg_oauth_flow_name(SG_FLOW_IMPLICIT), "implicit");
	assert_string_equal(sg_method_name((sg_method_verb)99), "?");
}

/* ---- the pattern helpers ------------------------------------------------------------------- */

static void test_helpers(void **state)
{
	(void)state;
	const char *ok_regions[] = {"us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1",
				    "us-iso-east-1", "us-isob-east-1", "cn-northwest-1",
				    "us-gov-1"};
	for (size_t i = 0; i < sizeof(ok_regions) / sizeof(ok_regions[0]); i++)
		assert_true(sg_v_region_ok(ok_regions[i]));
	const char *bad_regions[] = {"", "us", "us-east", "us-east-10", "US-east-1", "u-east-1",
				     "us-east-1a", "us--1", "us-gov-west-1-", "useast-1"};
	for (size_t i = 0; i < sizeof(bad_regions) / sizeof(bad_regions[0]); i++)
		assert_false(sg_v_region_ok(bad_regions[i]));

	const char *why = NULL;
	assert_true(sg_v_callback_url_ok("https://a.example.com/cb?x=1", &why));
	assert_true(sg_v_callback_url_ok("http://localhost", &why));
	assert_true(sg_v_callback_url_ok("http://localhost:65535/", &why));
	assert_false(sg_v_callback_url_ok("http://localhost.evil.com/", &why));
	assert_false(sg_v_callback_url_ok("https://a.example.com:65536", &why));
	assert_false(sg_v_callback_url_ok("https://a.example.com:", &why));
	assert_false(sg_v_callback_url_ok("HTTPS://a.example.com", &why));
	assert_false(sg_v_callback_url_ok("https://-a.com", &why));

	assert_true(sg_v_origin_ok("*", &why));
	assert_true(sg_v_origin_ok("https://a.example.com", &why));
	assert_true(sg_v_origin_ok("http://localhost:3000", &why));
	assert_false(sg_v_origin_ok("https://a.example.com/", &why));
	assert_false(sg_v_origin_ok("https://*.example.com", &why));
	assert_false(sg_v_origin_ok("example.com", &why));

	assert_true(sg_v_email_ok("a@b.co"));
	assert_true(sg_v_email_ok("first.last+tag@sub.example.org"));
	assert_false(sg_v_email_ok("a@b"));
	assert_false(sg_v_email_ok("@b.co"));
	assert_false(sg_v_email_ok("a@@b.co"));
	assert_false(sg_v_email_ok("a@b..co"));
	assert_false(sg_v_email_ok("a@-b.co"));
	assert_false(sg_v_email_ok("a@b.c"));
	assert_false(sg_v_email_ok("a b@c.co"));

	assert_true(sg_v_match("abc_1", "a-z", "a-z0-9_", 1, 5));
	assert_false(sg_v_match("abc_12", "a-z", "a-z0-9_", 1, 5));
	assert_false(sg_v_match("1abc", "a-z", "a-z0-9_", 1, 5));
	assert_true(sg_v_match("a-b.c", "a-z", "a-z.-", 1, 9)); /* trailing '-' is literal */
	assert_int_equal(sg_v_utf8_len("h\xc3\xa9llo"), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_spec_is_clean),
		cmocka_unit_test(test_defaults_filled_in),
		cmocka_unit_test(test_examples_are_clean),
		cmocka_unit_test(test_missing_top_keys),
		cmocka_unit_test(test_unsupported_version),
		cmocka_unit_test(test_top_names),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_settings_ranges),
		cmocka_unit_test(test_environment_names),
		cmocka_unit_test(test_environment_size),
		cmocka_unit_test(test_table_keys),
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_indexes),
		cmocka_unit_test(test_index_limits),
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_cognito),
		cmocka_unit_test(test_api_auth),
		cmocka_unit_test(test_api_settings),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_rest_sibling_variables),
		cmocka_unit_test(test_http_duplicate_routes),
		cmocka_unit_test(test_method_function),
		cmocka_unit_test(test_uses_references),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_timeout_behind_api),
		cmocka_unit_test(test_xray_on_http_api),
		cmocka_unit_test(test_physical_names),
		cmocka_unit_test(test_unused_function),
		cmocka_unit_test(test_too_many_functions_and_routes),
		cmocka_unit_test(test_alarms),
		cmocka_unit_test(test_reports_everything),
		cmocka_unit_test(test_hand_built_model),
		cmocka_unit_test(test_lookups_and_names),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
