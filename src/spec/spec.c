/*
 * spec.c - lookups in the spec model and the spellings of its enums.
 *
 * The lookups are linear: specs hold a handful of tables, topics and
 * functions, and every caller that needs many lookups over a large spec
 * (the validator) builds its own index.  The *_name functions return the
 * spelling the spec language uses (DESIGN.md section 3), so messages and
 * generated files can quote a value exactly as the user writes it.
 */
#include "svcgen/spec.h"

#include <string.h>

const sg_table *sg_spec_table(const sg_spec *spec, const char *name)
{
	if (!spec || !name)
		return NULL;
	for (size_t i = 0; i < spec->table_count; i++)
		if (spec->tables[i].name.v && strcmp(spec->tables[i].name.v, name) == 0)
			return &spec->tables[i];
	return NULL;
}

const sg_index *sg_table_index(const sg_table *table, const char *name)
{
	if (!table || !name)
		return NULL;
	for (size_t i = 0; i < table->index_count; i++)
		if (table->indexes[i].name.v && strcmp(table->indexes[i].name.v, name) == 0)
			return &table->indexes[i];
	return NULL;
}

const sg_topic *sg_spec_topic(const sg_spec *spec, const char *name)
{
	if (!spec || !name)
		return NULL;
	for (size_t i = 0; i < spec->topic_count; i++)
		if (spec->topics[i].name.v && strcmp(spec->topics[i].name.v, name) == 0)
			return &spec->topics[i];
	return NULL;
}

const sg_function *sg_spec_function(const sg_spec *spec, const char *name)
{
	if (!spec || !name)
		return NULL;
	for (size_t i = 0; i < spec->function_count; i++)
		if (spec->functions[i].name.v && strcmp(spec->functions[i].name.v, name) == 0)
			return &spec->functions[i];
	return NULL;
}

/* Index `v` into `names` (n entries); "?" for a value outside the enum, so
 * a corrupted model shows up in output instead of crashing. */
static const char *pick(const char *const *names, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n)
		return "?";
	return names[v];
}

#define PICK(names, v) pick((names), sizeof(names) / sizeof((names)[0]), (int)(v))

const char *sg_arch_name(sg_arch v)
{
	static const char *const names[] = {"arm64", "x86_64"};
	return PICK(names, v);
}

const char *sg_attr_type_name(sg_attr_type v)
{
	static const char *const names[] = {"S", "N", "B"};
	return PICK(names, v);
}

const char *sg_billing_name(sg_billing v)
{
	static const char *const names[] = {"on_demand", "provisioned"};
	return PICK(names, v);
}

const char *sg_stream_view_name(sg_stream_view v)
{
	static const char *const names[] = {
		"none", "keys_only", "new_image", "old_image", "new_and_old_images",
	};
	return PICK(names, v);
}

const char *sg_projection_name(sg_projection v)
{
	/* SG_PROJ_INCLUDE is written as a list of attributes, not a word. */
	static const char *const names[] = {"all", "keys_only", "include"};
	return PICK(names, v);
}

const char *sg_auth_name(sg_auth v)
{
	static const char *const names[] = {"none", "cognito", "iam"};
	return PICK(names, v);
}

const char *sg_api_type_name(sg_api_type v)
{
	static const char *const names[] = {"rest", "http"};
	return PICK(names, v);
}

const char *sg_method_name(sg_method_verb v)
{
	static const char *const names[] = {
		"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
	};
	return PICK(names, v);
}

const char *sg_access_name(sg_access v)
{
	/* SG_ACCESS_DERIVED is a bare name in the spec: no access is written. */
	static const char *const names[] = {
		"derived", "get", "query", "scan", "put", "update", "delete",
		"read", "write", "crud", "publish",
	};
	return PICK(names, v);
}

const char *sg_start_pos_name(sg_start_pos v)
{
	static const char *const names[] = {"latest", "trim_horizon"};
	return PICK(names, v);
}

const char *sg_mfa_name(sg_mfa v)
{
	static const char *const names[] = {"off", "optional", "on"};
	return PICK(names, v);
}

const char *sg_sign_in_name(sg_sign_in v)
{
	static const char *const names[] = {"username", "email", "phone"};
	return PICK(names, v);
}

const char *sg_oauth_flow_name(sg_oauth_flow v)
{
	static const char *const names[] = {"code", "implicit"};
	return PICK(names, v);
}
