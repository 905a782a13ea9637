/*
 * plan.h - everything derived once from a validated spec (DESIGN.md section 1).
 *
 * sg_plan_build turns a spec that passed sg_spec_validate into a plan:
 * physical names, CloudFormation logical IDs, Terraform resource names,
 * effective function settings (defaults applied), environment variables,
 * the API route tree, per-function IAM statements, the alarm list and an
 * estimate of the template's resource count.  The CloudFormation, Terraform,
 * IAM-JSON and handler emitters read only the plan for anything derived, so
 * they cannot disagree.
 *
 * Memory: every object and string of a plan lives in the arena given to
 * sg_plan_build and dies with it.  Pointers into the spec (the `spec`
 * members) stay valid as long as the spec's arena does.
 *
 * Order: every list is deterministic.  Spec lists keep file order; things
 * the spec gives no order for are sorted (byte order of names).  The same
 * spec always gives the same plan, whatever the machine.
 *
 * Naming rules (one place, used by every emitter):
 *
 *   prefix            <service>-<stage>                      shop-dev
 *   function          <prefix>-<name>                        shop-dev-add_user
 *                     Underscores are kept: Lambda allows them, and the
 *                     function name, the C identifier, the handler file
 *                     name and the physical name then all share one
 *                     spelling.  Lambda allows 64 characters.
 *   role              the function's physical name           (IAM: 64)
 *   inline policy     <prefix>-<name>-policy                 (IAM: 128)
 *   log group         /aws/lambda/<function physical name>   (Lambda's own)
 *   table             <prefix>-<name>                        (DynamoDB: 255)
 *   topic             <prefix>-<name>[.fifo]                 (SNS: 256)
 *   alarm topic       <prefix>-alarms
 *   API               <prefix>-api
 *   API access logs   /aws/apigateway/<prefix>-api
 *   alarm             <prefix>-<function|table|api>-<rule>   shop-dev-add_user-errors
 *
 * The validator rejects physical names over their AWS limits
 * ("name-too-long"); should one reach the plan all the same, it is
 * shortened deterministically (sg_plan_shorten) with a "name-shortened"
 * warning, so the output is still valid.
 *
 * Logical IDs are PascalCase of the name plus a kind suffix (add_user ->
 * AddUserFunction, AddUserRole, AddUserLogGroup; orders -> OrdersTable;
 * /users/{username} -> ApiUsersUsernameResource).  They are alphanumeric, at
 * most 255 characters, and unique in the whole template ignoring case;
 * on a clash the one registered later gets a numeric suffix (see names).
 * Terraform names are the spec names (snake_case already), unique per
 * resource kind, with "_2", "_3"... on a clash.
 *
 * Tags: the spec's tags in file order, then svcgen:service and
 * svcgen:stage (see sg_plan_tag).
 */
#ifndef SVCGEN_PLAN_H
#define SVCGEN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/spec.h"

/* CloudFormation quota: resources per template. */
#define SG_PLAN_MAX_RESOURCES 500
/* IAM quota (hard): characters of a role's inline policies together,
 * whitespace not counted (IAM and AWS STS quotas, "Role policy size"). */
#define SG_PLAN_MAX_ROLE_POLICY 10240
/* CloudFormation: logical IDs are alphanumeric, at most 255 characters. */
#define SG_PLAN_LOGICAL_ID_MAX 255

/* AWS name length limits the plan shortens to. */
#define SG_PLAN_LAMBDA_NAME_MAX  64   /* Lambda FunctionName */
#define SG_PLAN_ROLE_NAME_MAX    64   /* IAM RoleName */
#define SG_PLAN_POLICY_NAME_MAX 128   /* IAM inline PolicyName */
#define SG_PLAN_TABLE_NAME_MAX  255   /* DynamoDB TableName */
#define SG_PLAN_TOPIC_NAME_MAX  256   /* SNS TopicName, with ".fifo" */
#define SG_PLAN_ALARM_NAME_MAX  255   /* CloudWatch AlarmName */

/* Effective defaults for function settings (DESIGN.md section 3). */
#define SG_PLAN_DEFAULT_MEMORY        256  /* MB */
#define SG_PLAN_DEFAULT_TIMEOUT        10  /* s */
#define SG_PLAN_DEFAULT_LOG_RETENTION  30  /* days */
#define SG_PLAN_DEFAULT_BATCH_SIZE    100  /* stream records; Lambda's default */
#define SG_PLAN_DEFAULT_ALARM_PERIOD   60  /* s */

typedef struct sg_plan sg_plan;
typedef struct sg_plan_table sg_plan_table;
typedef struct sg_plan_index sg_plan_index;
typedef struct sg_plan_topic sg_plan_topic;
typedef struct sg_plan_function sg_plan_function;
typedef struct sg_plan_node sg_plan_node;
typedef struct sg_plan_method sg_plan_method;

/* ---- values that may be references -------------------------------------- */

/*
 * A value an emitter writes either as a literal or as a reference to another
 * resource of the same template (a Ref/GetAtt in CloudFormation, a resource
 * attribute in Terraform), so deployment order follows the dependency.
 * `text` is always the literal form when one exists: a physical name, or an
 * ARN with ${AWS::Partition}-style placeholders (sg_plan_arn_literal).
 */
typedef enum sg_plan_value_kind {
	SG_PLAN_VAL_LITERAL,       /* `text` as is */
	SG_PLAN_VAL_FUNCTION_NAME, /* `function`'s name: CFN Ref XFunction */
	SG_PLAN_VAL_TABLE_NAME,    /* `table`'s name: CFN Ref XTable */
	SG_PLAN_VAL_TOPIC_ARN,     /* `topic`'s ARN: CFN Ref XTopic */
	SG_PLAN_VAL_API_NAME,      /* the API's Name (`text`) */
	SG_PLAN_VAL_API_ID,        /* the API's id; `text` is NULL (not known
	                              before deployment): CFN Ref Api */
} sg_plan_value_kind;

typedef struct sg_plan_value {
	sg_plan_value_kind kind;
	const char *text;
	const sg_plan_table *table;
	const sg_plan_topic *topic;
	const sg_plan_function *function;
} sg_plan_value;

/* ---- ARNs ----------------------------------------------------------------- */

/*
 * A resource in an IAM statement, kept structured so each emitter renders it
 * its own way: CloudFormation with Fn::Sub (sg_plan_arn_literal) or GetAtt,
 * Terraform with data sources or resource attributes, iam/<fn>.json with the
 * literal form.  Formats follow the Service Authorization Reference:
 *
 *   TABLE       arn:P:dynamodb:R:A:table/<table>
 *   INDEX       arn:P:dynamodb:R:A:table/<table>/index/<index>
 *   STREAM      the table's latest stream ARN,
 *               arn:P:dynamodb:R:A:table/<table>/stream/<label>; the label is
 *               only known once the stream exists, so it is rendered as an
 *               attribute reference: "${OrdersTable.StreamArn}" in the
 *               CloudFormation style (Fn::Sub resolves it, and iam/<fn>.json
 *               shows it as written), "${aws_dynamodb_table.orders.stream_arn}"
 *               in the Terraform style.  Exact, never a pattern.
 *   TOPIC       arn:P:sns:R:A:<topic>
 *   LOG_GROUP   arn:P:logs:R:A:log-group:/aws/lambda/<function>:<star>
 *               (":<star>" covers the group's log streams, which
 *               CreateLogStream and PutLogEvents act on)
 *   EXECUTE_API arn:P:execute-api:R:A:<api-id>/<stage>/<METHOD>/<path>
 *               (API Gateway's execute-api format, for Lambda permissions)
 *   STAR        "*" - only for X-Ray, which has no resource-level permissions
 * where P, R, A are partition, region and account (<star> is "*").
 */
typedef enum sg_plan_arn_kind {
	SG_PLAN_ARN_TABLE,
	SG_PLAN_ARN_INDEX,
	SG_PLAN_ARN_STREAM,
	SG_PLAN_ARN_TOPIC,
	SG_PLAN_ARN_LOG_GROUP,
	SG_PLAN_ARN_EXECUTE_API,
	SG_PLAN_ARN_STAR,
} sg_plan_arn_kind;

typedef struct sg_plan_arn {
	sg_plan_arn_kind kind;
	const sg_plan_table *table;       /* TABLE, INDEX, STREAM */
	const sg_plan_index *index;       /* INDEX */
	const sg_plan_topic *topic;       /* TOPIC */
	const sg_plan_function *function; /* LOG_GROUP */
	const sg_plan_method *method;     /* EXECUTE_API */
} sg_plan_arn;

/*
 * How to spell the parts of an ARN only known at deployment.  `api_id` may
 * be NULL: the CloudFormation form "${<api logical id>}" is used then.
 */
typedef enum sg_plan_arn_flavor {
	SG_PLAN_ARN_FLAVOR_CFN, /* attribute references as ${Logical.Attr} */
	SG_PLAN_ARN_FLAVOR_TF,  /* attribute references as ${type.name.attr} */
} sg_plan_arn_flavor;

typedef struct sg_plan_arn_style {
	const char *partition;
	const char *region;
	const char *account;
	const char *api_id;
	sg_plan_arn_flavor flavor;
} sg_plan_arn_style;

/*
 * CloudFormation pseudo parameters: "${AWS::Partition}", "${AWS::Region}",
 * "${AWS::AccountId}" - the string is usable as is in Fn::Sub, and is the
 * form iam/<function>.json shows.
 */
extern const sg_plan_arn_style sg_plan_arn_style_cfn;

/*
 * Render `arn` with `style`.  Returns an arena string; "*" for STAR.
 * `plan` is needed for EXECUTE_API (the API's logical ID).
 */
char *sg_plan_arn_render(sg_arena *arena, const sg_plan *plan,
			 const sg_plan_arn *arn, const sg_plan_arn_style *style);

/*
 * The literal form: sg_plan_arn_render with sg_plan_arn_style_cfn, e.g.
 * "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/shop-dev-orders".
 * The same string goes into CloudFormation (Fn::Sub) and iam/<fn>.json.
 */
char *sg_plan_arn_literal(sg_arena *arena, const sg_plan *plan, const sg_plan_arn *arn);

/* ---- IAM -------------------------------------------------------------------- */

/*
 * One statement of a function's identity policy (IAM JSON policy reference):
 * Effect is always Allow.  Merging rule: one statement per resource, with
 * that resource's actions sorted (byte order) and unique.  Statements come
 * in a fixed order: per table in spec order its table, then its indexes in
 * spec order, then its stream; then topics in spec order; then Logs; then
 * XRay.  `sid` is alphanumeric and unique in the policy:
 *
 *   <TableLogicalId>Read|Write|ReadWrite      OrdersTableReadWrite
 *   <TableLogicalId><Index>IndexRead          OrdersTableByEmailIndexRead
 *   <TableLogicalId>StreamRead                OrdersTableStreamRead
 *   <TopicLogicalId>Publish                   OrderEventsTopicPublish
 *   Logs, XRay
 *
 * ("Read" when every action reads, "Write" when every action writes.)
 * `actions` are full action names ("dynamodb:GetItem"); never a wildcard.
 */
typedef struct sg_plan_statement {
	const char *sid;
	const char *const *actions;
	size_t action_count;
	sg_plan_arn resource;
} sg_plan_statement;

/*
 * The access a bare table name means on a route (DESIGN.md section 3,
 * specs/reference.md section 10): GET on a path whose last segment is a
 * parameter -> GET, other GET -> QUERY, POST -> PUT, PUT/PATCH -> UPDATE,
 * DELETE -> DELETE, ANY -> CRUD.  HEAD and OPTIONS derive no access (the
 * validator rejects a bare name there): the result is then
 * SG_ACCESS_DERIVED, meaning "nothing".  `path` is the route path.
 */
sg_access sg_plan_derive_access(sg_method_verb verb, const char *path);

/*
 * The actions one access grants, sorted, into `out` (room for `cap`);
 * returns how many there are (which may exceed `cap`: then only `cap` were
 * stored).  DynamoDB accesses give dynamodb:* item actions per DESIGN.md's
 * table; PUBLISH gives sns:Publish; DERIVED gives none.
 */
size_t sg_plan_access_actions(const char **out, size_t cap, sg_access access);

/* ---- service-level ---------------------------------------------------------- */

/*
 * A tag on every taggable resource.  Order: the spec's tags in file order,
 * then "svcgen:service" = service and "svcgen:stage" = stage.  A spec tag
 * with one of those two keys is dropped (warning "reserved-tag").
 */
typedef struct sg_plan_tag {
	const char *key;
	const char *value;
} sg_plan_tag;

/* A name and a value, in a fixed order. */
typedef struct sg_plan_pair {
	const char *key;
	const char *value;
} sg_plan_pair;

/* ---- tables ---------------------------------------------------------------- */

/* A key attribute (DynamoDB KeySchema / AttributeDefinitions entry). */
typedef struct sg_plan_key {
	const char *name;      /* NULL when absent (no sort key) */
	sg_attr_type type;
} sg_plan_key;

/* A global secondary index (DynamoDB GlobalSecondaryIndexes entry). */
struct sg_plan_index {
	const char *name;             /* "by_email" */
	const sg_plan_table *table;
	sg_plan_key partition_key;
	sg_plan_key sort_key;
	sg_projection projection;
	const char *const *include;   /* with SG_PROJ_INCLUDE, spec order */
	size_t include_count;
	int64_t read_capacity;        /* provisioned only; else 0 */
	int64_t write_capacity;
	const char *env_name;         /* "INDEX_ORDERS_BY_EMAIL" */
	const sg_index *spec;
};

/*
 * A DynamoDB table (AWS::DynamoDB::Table / aws_dynamodb_table).  Capacity
 * fields matter only with provisioned billing (CreateTable's
 * ProvisionedThroughput); the stream view maps to StreamSpecification.
 */
struct sg_plan_table {
	const char *name;             /* "orders" */
	const char *physical_name;    /* "shop-dev-orders" */
	const char *logical_id;       /* "OrdersTable" */
	const char *tf_name;          /* "orders" */
	const char *env_name;         /* "TABLE_ORDERS" */
	sg_plan_key partition_key;
	sg_plan_key sort_key;
	/* AttributeDefinitions: key attributes of the table and every index,
	 * each once, sorted by name. */
	const sg_plan_key *attributes;
	size_t attribute_count;
	sg_billing billing;
	int64_t read_capacity;        /* provisioned only; else 0 */
	int64_t write_capacity;
	sg_stream_view stream;        /* SG_STREAM_NONE: no stream */
	const char *ttl;              /* attribute name or NULL */
	bool point_in_time_recovery;  /* default true */
	sg_plan_index *indexes;       /* spec order */
	size_t index_count;
	const sg_table *spec;
};

/* ---- topics ---------------------------------------------------------------- */

/*
 * An SNS topic (AWS::SNS::Topic / aws_sns_topic).  SNS requires FIFO topic
 * names to end in ".fifo" (CreateTopic), so the physical name does.
 */
struct sg_plan_topic {
	const char *name;             /* "order_events"; "alarms" for the alarm topic */
	const char *physical_name;    /* "shop-dev-order_events", FIFO ends ".fifo" */
	const char *logical_id;       /* "OrderEventsTopic", "AlarmTopic" */
	const char *tf_name;          /* "order_events", "alarms" */
	const char *env_name;         /* "TOPIC_ORDER_EVENTS"; NULL for alarms */
	bool fifo;
	const char *display_name;     /* or NULL */
	bool alarm_topic;             /* generated for alarms.notify */
	const sg_topic *spec;         /* NULL for the alarm topic */
};

/* An e-mail subscription of the alarm topic. */
typedef struct sg_plan_subscription {
	const char *email;
	const char *logical_id;       /* "AlarmTopicSubscription1", ... */
	const char *tf_name;          /* "alarm_email_1", ... */
} sg_plan_subscription;

/* ---- functions ---------------------------------------------------------- */

/* An environment variable (Lambda Environment.Variables); see
 * sg_plan_function.environment for which and in what order. */
typedef struct sg_plan_env {
	const char *key;
	sg_plan_value value;
} sg_plan_env;

/* A DynamoDB stream event source (AWS::Lambda::EventSourceMapping /
 * aws_lambda_event_source_mapping); defaults are Lambda's own. */
typedef struct sg_plan_event {
	const sg_plan_table *table;
	sg_plan_arn stream;           /* STREAM of `table`, for the IAM side */
	int64_t batch_size;           /* default SG_PLAN_DEFAULT_BATCH_SIZE */
	sg_start_pos starting_position;
	bool batching_window_set;
	int64_t batching_window;      /* s */
	bool retries_set;             /* unset: Lambda's default (retry until expiry) */
	int64_t retries;
	const char *filter_json;      /* pattern JSON text, or NULL */
	const char *logical_id;       /* "NotifyOrderOrdersStreamMapping" */
	const char *tf_name;          /* "notify_order_orders" */
	const sg_event *spec;
} sg_plan_event;

/*
 * A Lambda function with its execution role (inline policy) and log group:
 * AWS::Lambda::Function + AWS::IAM::Role + AWS::Logs::LogGroup, runtime
 * provided.al2023 (DESIGN.md section 4).
 */
struct sg_plan_function {
	const char *name;             /* "add_user" (spec name) */
	const char *c_name;           /* C identifier and file name: same as name */
	const char *description;      /* or NULL */
	const char *physical_name;    /* "shop-dev-add_user" */
	const char *role_name;        /* "shop-dev-add_user" (= physical_name) */
	const char *policy_name;      /* "shop-dev-add_user-policy" */
	const char *log_group_name;   /* "/aws/lambda/shop-dev-add_user" */
	const char *logical_id;       /* "AddUserFunction" */
	const char *role_logical_id;  /* "AddUserRole" */
	const char *log_group_logical_id; /* "AddUserLogGroup" */
	/* HTTP API only, for functions behind routes: AWS::ApiGatewayV2::Integration. */
	const char *integration_logical_id; /* "AddUserIntegration" or NULL */
	const char *tf_name;          /* "add_user" */

	/* Effective settings: the function's, else defaults:, else built in. */
	sg_arch architecture;         /* default arm64 */
	int64_t memory;               /* MB, default 256 */
	int64_t timeout;              /* s, default 10 */
	int64_t log_retention;        /* days, default 30 */
	bool tracing;                 /* default false */
	bool reserved_concurrency_set;
	int64_t reserved_concurrency;

	/*
	 * defaults.environment, overlaid by the function's own (function wins),
	 * plus TABLE_<T> (table name) for every table in `uses`,
	 * INDEX_<T>_<I> (index name) for every index in `uses`, TOPIC_<T>
	 * (topic ARN) for every topic in `uses`; the generated ones win over
	 * a user variable of the same key (warning "env-overridden").
	 * Sorted by key (byte order).
	 */
	const sg_plan_env *environment;
	size_t env_count;

	/* The API methods this function serves, in spec order. */
	const sg_plan_method *const *routes;
	size_t route_count;
	/* Stream event sources, spec order. */
	const sg_plan_event *events;
	size_t event_count;
	/* Its IAM policy (see sg_plan_statement). */
	const sg_plan_statement *statements;
	size_t statement_count;

	const sg_function *spec;      /* its `functions:` entry, or NULL */
	sg_pos pos;                   /* where it first appears in the spec */
};

/* ---- API ------------------------------------------------------------------ */

/* One method of one route (REST: AWS::ApiGateway::Method; HTTP: a Route). */
struct sg_plan_method {
	sg_method_verb verb;
	const char *verb_name;        /* "GET", ..., "ANY" */
	const sg_plan_node *node;
	const sg_plan_function *function;
	sg_auth auth;                 /* method's auth, else api.auth */
	const char *const *scopes;    /* OAuth scopes (cognito), spec order */
	size_t scope_count;
	sg_access derived_access;     /* what a bare table name means here */
	const char *route_key;        /* "GET /users/{username}" (HTTP RouteKey) */
	const char *logical_id;       /* REST "ApiUsersGetMethod", HTTP "ApiUsersGetRoute" */
	const char *tf_name;          /* "users_get" */
	/* AWS::Lambda::Permission letting API Gateway invoke the function. */
	const char *permission_logical_id; /* "ApiUsersGetPermission" */
	/*
	 * The part after "<api-id>/" of the permission's SourceArn
	 * (execute-api format): "<stage>/<METHOD>/<path>", with every path
	 * parameter as "*", ANY as "*", and "*" as stage for HTTP APIs
	 * ($default stage): "dev/GET/users/" + "*".  Whole ARN: sg_plan_arn_render
	 * of an EXECUTE_API arn.
	 */
	const char *source_arn_suffix;
	const sg_method *spec;
};

/*
 * One path segment of the route tree.  The root ("/") is the REST API's
 * root resource and has no logical ID of its own.
 */
struct sg_plan_node {
	const char *path_part;        /* "{username}"; "" for the root */
	const char *path;             /* "/users/{username}"; "/" for the root */
	const sg_plan_node *parent;   /* NULL for the root */
	size_t depth;                 /* 0 for the root */
	bool param;                   /* "{x}" or "{x+}" */
	bool greedy;                  /* "{x+}" */
	const char *logical_id;       /* REST: "ApiUsersUsernameResource"; NULL for
	                                 the root and on HTTP APIs */
	const char *tf_name;          /* "users_username"; "root" */
	sg_plan_method *methods;      /* spec order */
	size_t method_count;
	/* REST + CORS: a mock OPTIONS method answering preflights, on nodes
	 * with methods and no OPTIONS of their own. */
	bool cors_preflight;
	const char *preflight_logical_id; /* "ApiUsersOptionsMethod" or NULL */
	const char *preflight_tf_name;    /* "users_options" or NULL */
	/* The verbs of this node for Access-Control-Allow-Methods, e.g.
	 * "GET,OPTIONS,POST" (sorted, OPTIONS included; ANY expands). */
	const char *cors_methods;
};

/*
 * The API: REST (AWS::ApiGateway::RestApi, Resource, Method, Deployment,
 * Stage) or HTTP (AWS::ApiGatewayV2::Api, Route, Integration, Stage with
 * AutoDeploy).  `present` is false when the spec has no api:.
 */
typedef struct sg_plan_api {
	bool present;
	sg_api_type type;
	const char *name;             /* "shop-dev-api" */
	const char *logical_id;       /* "Api" */
	const char *tf_name;          /* "api" */
	/* REST: the spec's stage; HTTP: "$default" (auto-deployed). */
	const char *stage_name;
	const char *stage_logical_id; /* "ApiStage" */
	/*
	 * FNV-1a 64 of the API definition (paths, methods, integrations,
	 * auth, scopes, CORS): REST Deployments are immutable, so a changed
	 * API needs a new Deployment logical ID.
	 */
	uint64_t hash;
	const char *hash_hex;         /* 16 lowercase hex digits */
	const char *deployment_logical_id; /* "ApiDeployment<hash_hex>", REST only */
	sg_auth auth;                 /* default for methods */
	bool cognito_authorizer;      /* some method uses cognito */
	const char *authorizer_logical_id; /* "ApiCognitoAuthorizer" or NULL */

	bool cors;
	const char *const *cors_origins;
	size_t cors_origin_count;
	const char *const *cors_headers;  /* default Authorization, Content-Type */
	size_t cors_header_count;
	const char *cors_header_list; /* cors_headers joined with ",": Access-Control-Allow-Headers */
	/*
	 * REST preflights with several origins: the mapping template (VTL) of
	 * the MOCK integration's response that echoes the request's Origin
	 * when it is one of them (a static header can name only one).  NULL
	 * with one origin.
	 */
	const char *cors_origin_template;
	const char *cors_methods;     /* every verb used + OPTIONS, sorted, "," */
	bool cors_max_age_set;
	int64_t cors_max_age;         /* s */
	bool cors_credentials;

	bool throttle_set;            /* rate or burst given */
	int64_t throttle_rate;        /* requests per second; -1 when not given */
	int64_t throttle_burst;       /* requests; -1 when not given */

	/* REST stage TracingEnabled: defaults.tracing (HTTP APIs have no X-Ray). */
	bool tracing;

	bool access_logs;             /* default true */
	/*
	 * The access log format: one JSON object per request with these
	 * members (name, $context variable; API Gateway's access logging
	 * reference).  REST and HTTP APIs have different variables.
	 */
	const sg_plan_pair *access_log_fields;
	size_t access_log_field_count;
	const char *access_log_group_name;       /* "/aws/apigateway/shop-dev-api" */
	const char *access_log_group_logical_id; /* "ApiAccessLogs" */
	const char *access_log_group_tf_name;    /* "api_access" */
	int64_t access_log_retention;            /* days: defaults.log_retention */

	/* nodes[0] is the root; parents come before children; spec order. */
	sg_plan_node *nodes;
	size_t node_count;
	/* Every method in spec order (the same objects as in the nodes). */
	const sg_plan_method *const *methods;
	size_t method_count;
} sg_plan_api;

/* ---- Cognito ------------------------------------------------------------- */

/* The Cognito user pool (auth.cognito): AWS::Cognito::UserPool, its
 * UserPoolClient and, with domain_prefix, a UserPoolDomain. */
typedef struct sg_plan_cognito {
	bool present;
	const char *user_pool_name;   /* `user_pool` as written, else "<prefix>-users" */
	const char *client_name;      /* "<prefix>-client" */
	const char *domain_prefix;    /* as written, or NULL */
	const char *user_pool_logical_id;   /* "UserPool" */
	const char *client_logical_id;      /* "UserPoolClient" */
	const char *domain_logical_id;      /* "UserPoolDomain" or NULL */
	const char *tf_name;                /* "main" */
} sg_plan_cognito;

/* ---- alarms ------------------------------------------------------------------ */

/* Which rule an alarm comes from (sg_alarms: functions, api, tables). */
typedef enum sg_plan_alarm_kind {
	SG_PLAN_ALARM_FN_ERRORS,
	SG_PLAN_ALARM_FN_THROTTLES,
	SG_PLAN_ALARM_FN_DURATION_P99,
	SG_PLAN_ALARM_API_5XX,
	SG_PLAN_ALARM_API_4XX,
	SG_PLAN_ALARM_API_LATENCY_P99,
	SG_PLAN_ALARM_TABLE_READ_THROTTLES,
	SG_PLAN_ALARM_TABLE_WRITE_THROTTLES,
} sg_plan_alarm_kind;

/* One CloudWatch metric dimension: name and (maybe referenced) value. */
typedef struct sg_plan_dimension {
	const char *name;             /* "FunctionName", "ApiName", "Stage", ... */
	sg_plan_value value;
} sg_plan_dimension;

/*
 * One CloudWatch alarm (AWS::CloudWatch::Alarm).  Metrics and dimensions
 * follow the CloudWatch metric references of Lambda (AWS/Lambda Errors,
 * Throttles, Duration by FunctionName), API Gateway (REST: 5XXError,
 * 4XXError, Latency by ApiName + Stage; HTTP: 5xx, 4xx, Latency by ApiId +
 * Stage) and DynamoDB (ReadThrottleEvents, WriteThrottleEvents by
 * TableName).  Counts use Statistic "Sum" and GreaterThanOrEqualToThreshold
 * (threshold 1 = "any"); p99 rules use ExtendedStatistic "p99" in
 * milliseconds and GreaterThanThreshold (the threshold is the ceiling still
 * allowed).  Missing data is notBreaching: an idle function is healthy.
 * Actions: the alarm topic when alarms.notify is set.
 */
typedef struct sg_plan_alarm {
	sg_plan_alarm_kind kind;
	const char *name;             /* "shop-dev-add_user-errors" */
	const char *logical_id;       /* "AddUserErrorsAlarm" */
	const char *tf_name;          /* "add_user_errors" */
	const char *description;
	const char *metric_namespace; /* "AWS/Lambda" */
	const char *metric;           /* "Errors" */
	const char *statistic;        /* "Sum", or NULL with extended_statistic */
	const char *extended_statistic; /* "p99" or NULL */
	const char *unit;             /* "Milliseconds" for p99 rules, else NULL */
	sg_plan_dimension dimensions[2];
	size_t dimension_count;
	int64_t threshold;
	int64_t period;               /* s, default 60 */
	int64_t evaluation_periods;   /* default 1 */
	const char *comparison;       /* "GreaterThanOrEqualToThreshold", ... */
	const char *treat_missing_data; /* "notBreaching" */
	const sg_plan_function *function; /* FN_* */
	const sg_plan_table *table;       /* TABLE_* */
	sg_pos pos;                   /* the rule in the spec */
} sg_plan_alarm;

/* ---- the plan ---------------------------------------------------------------- */

/* The plan: everything emitters need beyond the spec itself. */
struct sg_plan {
	const sg_spec *spec;
	const char *service;          /* "shop" */
	const char *stage;            /* "dev" */
	const char *region;           /* "us-east-1" (Terraform provider default) */
	const char *prefix;           /* "shop-dev" */
	const char *description;      /* or NULL */
	const sg_plan_tag *tags;
	size_t tag_count;

	/* Route functions in order of first appearance, then the remaining
	 * `functions:` entries in file order. */
	sg_plan_function *functions;
	size_t function_count;
	sg_plan_table *tables;        /* spec order */
	size_t table_count;
	/* Spec topics in order, then the alarm topic when there is one. */
	sg_plan_topic *topics;
	size_t topic_count;
	const sg_plan_topic *alarm_topic;   /* or NULL */
	const sg_plan_subscription *subscriptions; /* alarms.notify order */
	size_t subscription_count;

	sg_plan_cognito cognito;
	sg_plan_api api;
	/* Per function (plan order) its rules, then API rules, then per table
	 * (spec order) its rules; rules in sg_plan_alarm_kind order. */
	sg_plan_alarm *alarms;
	size_t alarm_count;

	/*
	 * CloudFormation resources the template will hold (see
	 * sg_plan_resource_count for what is counted).
	 */
	size_t resource_count;
};

/*
 * Build the plan of `spec` (which passed sg_spec_validate; stage and region
 * default to "dev" and "us-east-1" when unset) into `*out`, allocating from
 * `arena`.  Problems only the plan can see go to `diags`:
 *   error   "too-many-resources"  more than SG_PLAN_MAX_RESOURCES
 *   error   "name-collision"      a spec topic named like the alarm topic
 *   error   "env-collision"       two generated variables with one key
 *   error   "policy-too-large"    a function's role policy over
 *                                 SG_PLAN_MAX_ROLE_POLICY characters
 *   warning "name-shortened"      a physical name over its AWS limit
 *   warning "reserved-tag"        a spec tag svcgen sets itself
 *   warning "env-overridden"      a user variable named like a generated one
 *   warning "underivable-access"  a bare table name in functions.<f>.uses or on
 *                                 HEAD/OPTIONS (the validator rejects these;
 *                                 the plan grants nothing for them)
 * Returns SG_OK; SG_EFINDINGS when an error was reported (`*out` is set
 * and complete all the same); SG_EUSAGE for NULL arguments.
 */
int sg_plan_build(sg_plan **out, sg_arena *arena, const sg_spec *spec, sg_diags *diags);

/*
 * The CloudFormation resources the plan implies, the figure checked against
 * SG_PLAN_MAX_RESOURCES.  Counted: per function Function + Role + LogGroup
 * (the policy is inline in the Role), one EventSourceMapping per event;
 * tables; topics (with the alarm topic) and its subscriptions; Cognito
 * UserPool + UserPoolClient (+ UserPoolDomain); REST: RestApi, Deployment,
 * Stage, a Resource per non-root node, per method a Method + Permission, a
 * preflight Method per CORS node, the Authorizer, the access LogGroup;
 * HTTP: Api, Stage, an Integration per routed function, per method a Route +
 * Permission, the Authorizer, the access LogGroup; alarms.
 */
size_t sg_plan_resource_count(const sg_plan *plan);

/*
 * The characters IAM counts in `fn`'s identity policy (its statements as
 * minified JSON, Sid, Effect, Action list and Resource each), with the
 * partition, region and account of every ARN at their longest, so that the
 * figure is an upper bound of what any deployment sends.  Scratch strings
 * come from `arena`.  Compared with SG_PLAN_MAX_ROLE_POLICY by the plan.
 */
size_t sg_plan_policy_size(sg_arena *arena, const sg_plan *plan, const sg_plan_function *fn);

/* Lookups by spec name; NULL when absent. */
const sg_plan_function *sg_plan_function_by_name(const sg_plan *plan, const char *name);
const sg_plan_table *sg_plan_table_by_name(const sg_plan *plan, const char *name);
const sg_plan_topic *sg_plan_topic_by_name(const sg_plan *plan, const char *name);

/* ---- names (names.c) ---------------------------------------------------------- */

/*
 * A set of names already given out, for making names unique.  With
 * `fold_case` two names that differ only in ASCII case count as equal
 * (used for logical IDs, so no two differ only in case).  Arena-owned.
 */
typedef struct sg_plan_names sg_plan_names;

/* An empty set whose names live in `arena`. */
sg_plan_names *sg_plan_names_new(sg_arena *arena, bool fold_case);

/* Whether `name` was given out. */
bool sg_plan_names_has(const sg_plan_names *names, const char *name);

/*
 * Give out `want` if free, else `want` + `sep` + "2", "3", ... (the first
 * free one), and remember it.  Returns the arena copy.
 */
const char *sg_plan_names_claim(sg_plan_names *names, const char *want, const char *sep);

/*
 * PascalCase: split at every character that is not an ASCII letter or
 * digit, upper-case the first letter of each part, keep the rest, drop the
 * separators.  "add_user" -> "AddUser", "{proxy+}" -> "Proxy",
 * "by-email" -> "ByEmail", "AddUser" -> "AddUser" (idempotent).
 */
char *sg_plan_pascal(sg_arena *arena, const char *name);

/*
 * snake_case for Terraform names: ASCII letters lower-cased, digits kept,
 * every run of other characters one "_", none at either end; a leading
 * digit gets a "_" prefix (Terraform names start with a letter or "_").
 * "{proxy+}" -> "proxy", "Users/{id}" -> "users_id".
 */
char *sg_plan_snake(sg_arena *arena, const char *name);

/*
 * "<SHOUT>" for environment variable names: ASCII letters upper-cased,
 * digits kept, anything else "_".  "order_events" -> "ORDER_EVENTS".
 */
char *sg_plan_shout(sg_arena *arena, const char *name);

/*
 * `name` if at most `max` bytes, else its first `max` - 9 bytes, "-" and 8
 * lowercase hex digits of FNV-1a 32 of the whole name: deterministic, and
 * two long names that share a start stay distinct.  `max` >= 16.
 */
char *sg_plan_shorten(sg_arena *arena, const char *name, size_t max);

/*
 * A CloudFormation logical ID: sg_plan_pascal(`base`) + `suffix` (suffix
 * taken as is), claimed in `ids` (which should fold case).  A result over
 * SG_PLAN_LOGICAL_ID_MAX is cut, keeping a hash of the whole base so it
 * stays distinct; room is kept for the collision counter.  Always
 * alphanumeric; an empty base gives just the suffix.
 * sg_plan_logical_id(ids, "add_user", "Function") -> "AddUserFunction",
 * then again -> "AddUserFunction2".
 */
const char *sg_plan_logical_id(sg_plan_names *ids, const char *base, const char *suffix);

/* Whether `id` is a valid logical ID: 1..255 ASCII letters and digits. */
bool sg_plan_logical_id_valid(const char *id);

/* FNV-1a 64 of `len` bytes, continuing from `h` (start with SG_PLAN_FNV64_INIT). */
#define SG_PLAN_FNV64_INIT 0xcbf29ce484222325ULL
uint64_t sg_plan_fnv1a64(uint64_t h, const void *data, size_t len);

#endif
