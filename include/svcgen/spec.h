/*
 * spec.h - the service spec model (language version 1, specs/reference.md).
 *
 * sg_spec_parse turns a YAML file into this model; sg_spec_validate checks
 * every semantic rule.  The model holds what the user wrote, not what is
 * derived from it (the plan does that): every value carries the position it
 * came from and whether it was given at all, so any stage can point back at
 * the spec.  All memory belongs to the arena passed to sg_spec_parse.
 *
 * Lists keep the order of the file.  Names are NUL-terminated UTF-8.
 */
#ifndef SVCGEN_SPEC_H
#define SVCGEN_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/error.h"

/* The spec format version this build reads (`svcgen: 1`). */
#define SG_SPEC_VERSION 1

/* Hard bounds that keep any input's cost bounded. */
#define SG_SPEC_MAX_BYTES       (16u * 1024 * 1024) /* file size */
#define SG_SPEC_MAX_DEPTH       64                  /* nesting of collections */
#define SG_SPEC_MAX_NODES       1000000u            /* nodes after alias expansion */

/* ---- values with provenance ------------------------------------------- */

typedef struct sg_str {
	const char *v;   /* NULL when not given */
	sg_pos pos;      /* of the value (or of the key when the value is absent) */
	bool set;
} sg_str;

typedef struct sg_int {
	int64_t v;
	sg_pos pos;
	bool set;
} sg_int;

typedef struct sg_bool {
	bool v;
	sg_pos pos;
	bool set;
} sg_bool;

/* An enumerated value; `v` is one of the enum types below. */
typedef struct sg_enum {
	int v;
	sg_pos pos;
	bool set;
} sg_enum;

typedef struct sg_strlist {
	sg_str *items;
	size_t count;
	sg_pos pos;
	bool set;
} sg_strlist;

typedef struct sg_enumlist {
	sg_enum *items;
	size_t count;
	sg_pos pos;
	bool set;
} sg_enumlist;

/* A string map in file order: tags, environment variables. */
typedef struct sg_kv {
	sg_str key;
	sg_str value;
} sg_kv;

typedef struct sg_kvlist {
	sg_kv *items;
	size_t count;
	sg_pos pos;
	bool set;
} sg_kvlist;

/* ---- enums ------------------------------------------------------------ */

typedef enum { SG_ARCH_ARM64, SG_ARCH_X86_64 } sg_arch;
typedef enum { SG_ATTR_S, SG_ATTR_N, SG_ATTR_B } sg_attr_type;
typedef enum { SG_BILLING_ON_DEMAND, SG_BILLING_PROVISIONED } sg_billing;
typedef enum {
	SG_STREAM_NONE, SG_STREAM_KEYS_ONLY, SG_STREAM_NEW_IMAGE,
	SG_STREAM_OLD_IMAGE, SG_STREAM_NEW_AND_OLD_IMAGES
} sg_stream_view;
typedef enum { SG_PROJ_ALL, SG_PROJ_KEYS_ONLY, SG_PROJ_INCLUDE } sg_projection;
typedef enum { SG_SIGNIN_USERNAME, SG_SIGNIN_EMAIL, SG_SIGNIN_PHONE } sg_sign_in;
typedef enum { SG_MFA_OFF, SG_MFA_OPTIONAL, SG_MFA_ON } sg_mfa;
typedef enum { SG_FLOW_CODE, SG_FLOW_IMPLICIT } sg_oauth_flow;
typedef enum { SG_API_REST, SG_API_HTTP } sg_api_type;
typedef enum { SG_AUTH_NONE, SG_AUTH_COGNITO, SG_AUTH_IAM } sg_auth;
typedef enum {
	SG_METHOD_GET, SG_METHOD_POST, SG_METHOD_PUT, SG_METHOD_PATCH,
	SG_METHOD_DELETE, SG_METHOD_HEAD, SG_METHOD_OPTIONS, SG_METHOD_ANY
} sg_method_verb;
typedef enum { SG_START_LATEST, SG_START_TRIM_HORIZON } sg_start_pos;
/* Where a stream mapping sends the records it gives up on. */
typedef enum { SG_ON_FAILURE_QUEUE, SG_ON_FAILURE_NONE } sg_on_failure;
/* API Gateway's account-level CloudWatch Logs role (REST access logs). */
typedef enum { SG_ACCOUNT_ROLE_CREATE, SG_ACCOUNT_ROLE_EXISTING } sg_account_role;

/*
 * Access named in a `uses` entry.  SG_ACCESS_DERIVED is a bare table name:
 * the access comes from the route's method (DESIGN.md section 3).
 */
typedef enum {
	SG_ACCESS_DERIVED,
	SG_ACCESS_GET, SG_ACCESS_QUERY, SG_ACCESS_SCAN,
	SG_ACCESS_PUT, SG_ACCESS_UPDATE, SG_ACCESS_DELETE,
	SG_ACCESS_READ, SG_ACCESS_WRITE, SG_ACCESS_CRUD,
	SG_ACCESS_PUBLISH
} sg_access;

/* ---- the model ---------------------------------------------------------- */

/* Lambda settings: `defaults:` and each entry of `functions:`. */
typedef struct sg_fn_settings {
	sg_enum architecture;   /* sg_arch */
	sg_int memory;          /* MB */
	sg_int timeout;         /* seconds */
	sg_int log_retention;   /* days */
	sg_bool tracing;
	sg_kvlist environment;
	sg_int reserved_concurrency;
} sg_fn_settings;

/* `NAME` or `NAME:S|N|B`. */
typedef struct sg_key_attr {
	sg_str name;
	sg_attr_type type;
	bool set;
	sg_pos pos;
} sg_key_attr;

typedef struct sg_index {
	sg_str name;
	sg_key_attr partition_key;
	sg_key_attr sort_key;
	sg_enum projection;        /* sg_projection */
	sg_strlist include;        /* attributes, with SG_PROJ_INCLUDE */
	sg_int read_capacity, write_capacity; /* with provisioned billing */
	sg_pos capacity_pos;       /* of `capacity:`; line 0 when absent */
	sg_pos pos;
} sg_index;

typedef struct sg_table {
	sg_str name;
	sg_key_attr partition_key;
	sg_key_attr sort_key;
	sg_enum billing;           /* sg_billing */
	sg_int read_capacity, write_capacity;
	sg_pos capacity_pos;       /* of `capacity:`; line 0 when absent */
	sg_enum stream;            /* sg_stream_view */
	sg_str ttl;
	sg_bool point_in_time_recovery;
	sg_index *indexes;
	size_t index_count;
	sg_pos pos;
} sg_table;

typedef struct sg_topic {
	sg_str name;
	sg_bool fifo;
	sg_str display_name;
	sg_pos pos;
} sg_topic;

typedef struct sg_cognito {
	bool present;
	sg_pos pos;
	sg_str user_pool;
	sg_enumlist sign_in;       /* sg_sign_in */
	sg_enum mfa;               /* sg_mfa */
	sg_int password_min_length;
	sg_strlist callback_urls;
	sg_strlist logout_urls;
	sg_enumlist oauth_flows;   /* sg_oauth_flow */
	sg_strlist scopes;
	sg_str domain_prefix;
	/* `email:`: Cognito's messages sent through SES instead of Cognito's
	 * own low-quota sender (EmailConfiguration, DEVELOPER account). */
	bool email_set;
	sg_pos email_pos;
	sg_str ses_identity;       /* verified SES identity: a domain or an address */
	sg_str email_from;         /* From address, optional */
	sg_str email_reply_to;     /* Reply-To address, optional */
} sg_cognito;

/*
 * One `uses` entry: `TABLE[:ACCESS]`, `TABLE.INDEX:query|scan`,
 * `TOPIC:publish`.  `target` is the table or topic name; `index` is set for
 * the dotted form.
 */
typedef struct sg_use {
	const char *raw;
	const char *target;
	const char *index;         /* NULL unless TABLE.INDEX */
	sg_access access;
	sg_pos pos;
} sg_use;

typedef struct sg_method {
	sg_enum verb;              /* sg_method_verb */
	sg_str function;
	sg_use *uses;
	size_t use_count;
	sg_enum auth;              /* sg_auth; unset: the API's default */
	sg_strlist scopes;         /* OAuth scopes required (cognito auth) */
	sg_pos pos;                /* of the method key */
} sg_method;

typedef struct sg_route {
	sg_str path;
	sg_method *methods;
	size_t method_count;
	sg_pos pos;
} sg_route;

typedef struct sg_cors {
	bool set;
	sg_pos pos;
	sg_strlist origins;
	sg_strlist headers;
	sg_int max_age;            /* seconds */
	sg_bool credentials;
} sg_cors;

typedef struct sg_api {
	bool present;
	sg_pos pos;
	sg_enum type;              /* sg_api_type; default rest */
	sg_enum auth;              /* sg_auth; default none */
	sg_cors cors;
	sg_int throttle_rate, throttle_burst;
	sg_pos throttle_pos;
	sg_bool access_logs;
	sg_enum account_log_role;  /* sg_account_role; default create */
	sg_route *routes;
	size_t route_count;
	sg_pos routes_pos;
} sg_api;

/* `- stream: {...}` */
typedef struct sg_event {
	sg_pos pos;
	sg_str table;
	sg_int batch_size;
	sg_enum starting_position; /* sg_start_pos; default latest */
	sg_int batching_window;    /* seconds */
	sg_int retries;            /* default 3 */
	sg_bool bisect;            /* BisectBatchOnFunctionError, default true */
	sg_bool partial_batch_response; /* ReportBatchItemFailures, default true */
	sg_enum on_failure;        /* sg_on_failure; default queue */
	/* EventBridge-style filter pattern as JSON text; NULL when absent. */
	const char *filter_json;
	sg_pos filter_pos;
} sg_event;

typedef struct sg_function {
	sg_str name;
	sg_str description;
	sg_fn_settings settings;
	sg_event *events;
	size_t event_count;
	sg_use *uses;
	size_t use_count;
	sg_pos pos;
} sg_function;

/* `threshold` is a count or, for the *_p99 rules, milliseconds. */
typedef struct sg_alarm_rule {
	bool set;
	sg_pos pos;
	sg_int threshold;
	sg_int period;             /* seconds; default 60 */
	sg_int evaluation_periods; /* default 1 */
} sg_alarm_rule;

typedef struct sg_alarms {
	bool present;
	sg_pos pos;
	sg_strlist notify;         /* e-mail addresses */
	sg_alarm_rule fn_errors, fn_throttles, fn_duration_p99;
	sg_alarm_rule api_5xx, api_4xx, api_latency_p99;
	sg_alarm_rule table_throttles;
	/* alarms.streams: defaults apply when absent (stream functions always
	 * get both alarms). */
	sg_alarm_rule stream_iterator_age, stream_failed_records;
} sg_alarms;

typedef struct sg_spec {
	const char *file;          /* path as given */
	sg_pos pos;                /* the top-level mapping (where missing keys belong) */
	sg_int version;            /* `svcgen:` */
	sg_str service;
	sg_str description;
	sg_str stage;              /* default "dev" after validation */
	sg_str region;             /* default "us-east-1" after validation */
	sg_kvlist tags;
	sg_fn_settings defaults;
	sg_table *tables;
	size_t table_count;
	sg_topic *topics;
	size_t topic_count;
	sg_cognito cognito;
	sg_api api;
	sg_function *functions;
	size_t function_count;
	sg_alarms alarms;
} sg_spec;

/* ---- entry points ------------------------------------------------------- */

/*
 * Parse the YAML text `data` (`len` bytes, need not be NUL-terminated) into
 * `*out`, allocating from `arena`; `file` names the text in diagnostics.
 * Shape errors (YAML syntax, unknown or duplicate keys, wrong types, bad enum
 * values, bad UTF-8, anchors over the bounds) go to `diags`; parsing goes on
 * after an error so one run reports them all.
 *
 * Returns SG_OK, or SG_EFINDINGS when any error was reported (`*out` is then
 * still set, holding what could be read).
 */
int sg_spec_parse(sg_spec **out, sg_arena *arena, sg_diags *diags,
		  const char *file, const char *data, size_t len);

/*
 * Read `path` and parse it (see sg_spec_parse).  A missing or unreadable
 * file, or one over SG_SPEC_MAX_BYTES, is reported as a diagnostic with
 * code "io" and returns SG_EIO.
 */
int sg_spec_load(sg_spec **out, sg_arena *arena, sg_diags *diags, const char *path);

/*
 * Check every semantic rule of the language (names, ranges, references,
 * limits; specs/reference.md) and fill in defaults that later stages rely
 * on (stage, region).  Reports into `diags`.  Returns SG_OK, or SG_EFINDINGS
 * when any error was reported.  Warnings alone return SG_OK.
 */
int sg_spec_validate(sg_spec *spec, sg_diags *diags);

/* ---- lookups and names (spec.c) --------------------------------------- */

const sg_table *sg_spec_table(const sg_spec *spec, const char *name);
const sg_index *sg_table_index(const sg_table *table, const char *name);
const sg_topic *sg_spec_topic(const sg_spec *spec, const char *name);
/* The `functions:` entry with this name, or NULL (route-only functions have none). */
const sg_function *sg_spec_function(const sg_spec *spec, const char *name);

/* Spellings as written in the spec, e.g. "new_and_old_images", "GET". */
const char *sg_arch_name(sg_arch v);
const char *sg_attr_type_name(sg_attr_type v);
const char *sg_billing_name(sg_billing v);
const char *sg_stream_view_name(sg_stream_view v);
const char *sg_projection_name(sg_projection v);
const char *sg_auth_name(sg_auth v);
const char *sg_api_type_name(sg_api_type v);
const char *sg_method_name(sg_method_verb v);
const char *sg_access_name(sg_access v);
const char *sg_start_pos_name(sg_start_pos v);
const char *sg_mfa_name(sg_mfa v);
const char *sg_sign_in_name(sg_sign_in v);
const char *sg_oauth_flow_name(sg_oauth_flow v);
const char *sg_on_failure_name(sg_on_failure v);
const char *sg_account_role_name(sg_account_role v);

#endif
