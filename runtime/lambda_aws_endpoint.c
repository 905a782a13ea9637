/*
 * lambda_aws_endpoint.c - where a service's requests go: the configured endpoint
 * URLs of the AWS SDKs ("Service-specific endpoints", AWS SDKs and Tools
 * Reference Guide) or the partition's regional endpoint (the partitions
 * of the SDKs' endpoint rules, partitions.json).  Part of svcgen's handler
 * runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_internal.h"
#include "lambda_aws.h"

static const char *env(const char *(*getenv_fn)(const char *, void *), void *ud, const char *name)
{
	const char *v = getenv_fn ? getenv_fn(name, ud) : getenv(name);
	return v && *v ? v : NULL;
}

static bool is_true(const char *v)
{
	return v && lambda_ieq(v, "true");
}

/* Region prefix -> partition and DNS suffix, most specific first. */
static const struct partition {
	const char *prefix;
	const char *name;
	const char *suffix;
} partitions[] = {
	{"us-isob-", "aws-iso-b", "sc2s.sgov.gov"},
	{"us-isof-", "aws-iso-f", "csp.hci.ic.gov"},
	{"us-iso-", "aws-iso", "c2s.ic.gov"},
	{"eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"},
	{"us-gov-", "aws-us-gov", "amazonaws.com"},
	{"cn-", "aws-cn", "amazonaws.com.cn"},
};

static const struct partition *partition_of(const char *region)
{
	for (size_t i = 0; region && i < sizeof(partitions) / sizeof(partitions[0]); i++)
		if (!strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)))
			return &partitions[i];
	return NULL;
}

const char *lambda_aws_partition(const char *region)
{
	const struct partition *p = partition_of(region);
	return p ? p->name : "aws";
}

/* A region is a DNS label list: letters, digits, hyphens. */
static bool valid_region(const char *r)
{
	if (!r || !*r || strlen(r) > 64)
		return false;
	for (const char *p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

int lambda_aws_endpoint(char *out, size_t size, const char *service, const char *region,
			const char *(*getenv_fn)(const char *name, void *ud), void *ud)
{
	if (!out || size == 0 || !service)
		return LAMBDA_EINVALID;
	out[0] = '\0';
	if (!is_true(env(getenv_fn, ud, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
		/* AWS_ENDPOINT_URL_<SERVICE ID>: the service id upper-cased,
		 * spaces and hyphens as underscores. */
		char name[96];
		int n = snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", service);
		if (n < 0 || (size_t)n >= sizeof(name))
			return LAMBDA_EINVALID;
		for (char *p = name; *p; p++) {
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
			else if (*p == '-' || *p == ' ')
				*p = '_';
		}
		const char *url = env(getenv_fn, ud, name);
		if (!url)
			url = env(getenv_fn, ud, "AWS_ENDPOINT_URL");
		if (url) {
			if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
				return LAMBDA_EINVALID;
			if (strpbrk(url, " \t\r\n?#"))
				return LAMBDA_EINVALID;
			size_t len = strlen(url);
			while (len > 8 && url[len - 1] == '/')
				len--;
			if (len + 1 > size)
				return LAMBDA_EINVALID;
			memcpy(out, url, len);
			out[len] = '\0';
			return LAMBDA_OK;
		}
	}
	if (!valid_region(region))
		return LAMBDA_EINVALID;
	const struct partition *p = partition_of(region);
	bool fips = is_true(env(getenv_fn, ud, "AWS_USE_FIPS_ENDPOINT"));
	int n = snprintf(out, size, "https://%s%s.%s.%s", service, fips ? "-fips" : "", region,
			 p ? p->suffix : "amazonaws.com");
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return LAMBDA_EINVALID;
	}
	return LAMBDA_OK;
}
