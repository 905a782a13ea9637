/*
 * lambda_aws_retry.c - the AWS SDKs' standard retry mode ("Retry behavior", AWS
 * SDKs and Tools Reference Guide; botocore's retries/standard.py), bounded
 * by the invocation's deadline.  Pure functions: the client passes the
 * clock and the jitter draw, so tests use a fake clock.  Part of svcgen's
 * handler runtime.
 */
#include <math.h>

#include "lambda_aws.h"

void lambda_aws_retry_init(lambda_aws_retry *r, int max_attempts)
{
	r->max_attempts = max_attempts >= 1 && max_attempts <= 10 ? max_attempts
								  : LAMBDA_AWS_DEFAULT_ATTEMPTS;
	r->quota = LAMBDA_AWS_RETRY_QUOTA;
}

int64_t lambda_aws_retry_next(lambda_aws_retry *r, const lambda_aws_error *err, int attempt,
			      int64_t now_ms, int64_t deadline_ms, double random01,
			      bool *deadline_stop)
{
	if (deadline_stop)
		*deadline_stop = false;
	if (!err->retryable || attempt >= r->max_attempts)
		return -1;
	int cost = err->kind == LAMBDA_AWS_NETWORK ? LAMBDA_AWS_TIMEOUT_RETRY_COST
						   : LAMBDA_AWS_RETRY_COST;
	if (r->quota < cost)
		return -1;
	if (random01 < 0 || random01 >= 1)
		random01 = 0;
	/* Full jitter: random * base^(attempt-1) seconds, base 2, cap 20 s. */
	double cap = LAMBDA_AWS_MAX_BACKOFF_MS;
	double wait = random01 * 1000.0 * pow(2.0, attempt - 1);
	int64_t delay = (int64_t)(wait < cap ? wait : cap);
	if (deadline_ms > 0 && now_ms + delay + LAMBDA_AWS_MIN_ATTEMPT_MS > deadline_ms) {
		if (deadline_stop)
			*deadline_stop = true;
		return -1;
	}
	r->quota -= cost;
	return delay;
}

void lambda_aws_retry_success(lambda_aws_retry *r, int attempts)
{
	/* botocore refunds the retry's cost when a retried call succeeds and
	 * one token otherwise (NO_RETRY_INCREMENT). */
	r->quota += attempts > 1 ? LAMBDA_AWS_RETRY_COST : 1;
	if (r->quota > LAMBDA_AWS_RETRY_QUOTA)
		r->quota = LAMBDA_AWS_RETRY_QUOTA;
}
