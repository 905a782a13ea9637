/*
 * aws_authz.h - which IAM permissions an AWS API request needs.
 *
 * For `svcgen local`'s least-privilege proxy: from a request's service (the
 * SigV4 credential scope's), its operation and its body, every (action,
 * resource ARN) pair IAM authorizes it by, as the Service Authorization
 * Reference and the services' developer guides describe:
 *
 * DynamoDB (JSON 1.0, X-Amz-Target "DynamoDB_20120810.<Operation>"):
 *   GetItem PutItem UpdateItem DeleteItem       dynamodb:<Op> on the table
 *   Query Scan                                  dynamodb:<Op> on the table, or on
 *                                               table/<t>/index/<IndexName>
 *   BatchGetItem BatchWriteItem                 dynamodb:<Op> on each table of
 *                                               RequestItems
 *   TransactGetItems                            dynamodb:GetItem per Get item, on
 *                                               its table
 *   TransactWriteItems                          per item: Put -> PutItem, Update ->
 *                                               UpdateItem, Delete -> DeleteItem,
 *                                               ConditionCheck -> ConditionCheckItem,
 *                                               each on its own table
 *   DescribeTable, DescribeTimeToLive, ...      dynamodb:<Op> on the table
 *   ListTables                                  dynamodb:ListTables on "*"
 *   TableName may be a name or a table ARN.
 * DynamoDB Streams (X-Amz-Target "DynamoDBStreams_20120810.<Operation>"):
 *   DescribeStream GetShardIterator             dynamodb:<Op> on StreamArn
 *   GetRecords                                  dynamodb:GetRecords on the stream ARN
 *                                               that begins the ShardIterator
 *   ListStreams                                 dynamodb:ListStreams on "*"
 * SNS (Query protocol, form-encoded Action=...):
 *   Publish                                     sns:Publish on TopicArn or TargetArn
 *   PublishBatch                                sns:Publish on TopicArn
 * SQS (JSON 1.0, X-Amz-Target "AmazonSQS.<Operation>", or Query):
 *   SendMessage SendMessageBatch                sqs:SendMessage on the queue of
 *                                               QueueUrl (.../<account>/<name>)
 *
 * Anything else (another service, an operation not listed, a body that
 * cannot be read) is "not understood": the proxy denies it.
 *
 * Memory: results live in the arena given.
 */
#ifndef SVCGEN_AWS_AUTHZ_H
#define SVCGEN_AWS_AUTHZ_H

#include <stddef.h>

#include "svcgen/arena.h"

/* One permission a request needs. */
typedef struct sg_aws_need {
	const char *action;    /* "dynamodb:PutItem" */
	const char *resource;  /* "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-shop" */
} sg_aws_need;

/* The request, as the proxy received it. */
typedef struct sg_aws_call {
	const char *service;   /* SigV4 credential scope service: "dynamodb", "sns", "sqs" */
	const char *target;    /* X-Amz-Target, or NULL */
	const char *body;
	size_t body_len;
	/* Where resources named by short name live. */
	const char *partition; /* "aws" */
	const char *region;
	const char *account;
} sg_aws_call;

typedef struct sg_aws_needs {
	const char *protocol;   /* "json" (DynamoDB, Streams, SQS) or "query" (SNS, SQS) */
	const char *operation;  /* "PutItem", "Publish"; NULL when not understood */
	sg_aws_need *items;     /* in the order the request names them, unique */
	size_t count;
	const char *error;      /* not understood: why (then count is 0) */
} sg_aws_needs;

/*
 * Work out what `call` needs into `*out`.  Returns 0 when understood, -1
 * when not (out->error says why; out->protocol is still set when the
 * service is known, so the refusal can be spelled in its protocol).
 */
int sg_aws_needs_of(sg_aws_needs *out, sg_arena *arena, const sg_aws_call *call);

/*
 * The value of form field `name` in an application/x-www-form-urlencoded
 * body (decoded, '+' as space), arena-owned, or NULL.
 */
const char *sg_aws_form_value(sg_arena *arena, const char *body, size_t len, const char *name);

#endif
