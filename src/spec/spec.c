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
#include "spell.h"

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

/* Index `v` into a spelling; "?" for a value outside the enum, so a
 * corrupted model shows up in output instead of crashing. */
static const char *pick(const sg_spelling *sp, int v)
{
	if (v < 0 || (size_t)v >= sp->n)
		return "?";
	return sp->names[v];
}

#define SPELLING(id, what, ...)                                                     \
	static const char *const id##_names[] = {__VA_ARGS__};                      \
	const sg_spelling sg_spell_##id = {what, id##_names,                        \
					   sizeof(id##_names) / sizeof(id##_names[0])}

SPELLING(arch, "architecture", "arm64", "x86_64");
SPELLING(attr, "attribute type", "S", "N", "B");
SPELLING(billing, "billing mode", "on_demand", "provisioned");
SPELLING(stream, "stream view", "none", "keys_only", "new_image", "old_image", "new_and_old_images");
SPELLING(projection, "projection", "all", "keys_only", "include");
SPELLING(auth, "authorization", "none", "cognito", "iam");
SPELLING(api_type, "API type", "rest", "http");
SPELLING(method, "HTTP method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
SPELLING(access, "access", "derived", "get", "query", "scan", "put", "update", "delete", "read", "write", "crud", "publish");
SPELLING(start_pos, "starting position", "latest", "trim_horizon");
SPELLING(on_failure, "on-failure destination", "queue", "none");
SPELLING(account_role, "account log role", "create", "existing");
SPELLING(mfa, "MFA setting", "off", "optional", "on");
SPELLING(sign_in, "sign-in attribute", "username", "email", "phone");
SPELLING(oauth_flow, "OAuth flow", "code", "implicit");

const char *sg_arch_name(sg_arch v) { return pick(&sg_spell_arch, (int)v); }
const char *sg_attr_type_name(sg_attr_type v) { return pick(&sg_spell_attr, (int)v); }
const char *sg_billing_name(sg_billing v) { return pick(&sg_spell_billing, (int)v); }
const char *sg_stream_view_name(sg_stream_view v) { return pick(&sg_spell_stream, (int)v); }
const char *sg_projection_name(sg_projection v) { return pick(&sg_spell_projection, (int)v); }
const char *sg_auth_name(sg_auth v) { return pick(&sg_spell_auth, (int)v); }
const char *sg_api_type_name(sg_api_type v) { return pick(&sg_spell_api_type, (int)v); }
const char *sg_method_name(sg_method_verb v) { return pick(&sg_spell_method, (int)v); }
const char *sg_access_name(sg_access v) { return pick(&sg_spell_access, (int)v); }
const char *sg_start_pos_name(sg_start_pos v) { return pick(&sg_spell_start_pos, (int)v); }
const char *sg_mfa_name(sg_mfa v) { return pick(&sg_spell_mfa, (int)v); }
const char *sg_sign_in_name(sg_sign_in v) { return pick(&sg_spell_sign_in, (int)v); }
const char *sg_oauth_flow_name(sg_oauth_flow v) { return pick(&sg_spell_oauth_flow, (int)v); }
const char *sg_on_failure_name(sg_on_failure v) { return pick(&sg_spell_on_failure, (int)v); }
const char *sg_account_role_name(sg_account_role v) { return pick(&sg_spell_account_role, (int)v); }
