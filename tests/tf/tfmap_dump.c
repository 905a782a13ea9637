/*
 * tfmap_dump.c - prints svcgen's CloudFormation -> Terraform mapping
 * (svcgen/tfmap.h) for one spec as JSON, for tests/tf/equivalence.py.
 *
 * Usage: tfmap_dump SPEC.yaml
 *
 * Output: {"entries": [{"cfn_type", "property", "tf_type"}, ...],
 *          "resources": [{"logical_id", "cfn_type", "tf_type", "tf_name"}, ...]}
 * "entries" is the type table (property null for a primary row);
 * "resources" every resource of the spec's template with the Terraform
 * name its counterpart carries.  Exit 1 when the spec does not load,
 * validate or plan.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "svcgen/plan.h"
#include "svcgen/spec.h"
#include "svcgen/tfmap.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tfmap_dump SPEC.yaml\n");
		return 2;
	}
	sg_arena *arena = sg_arena_new();
	sg_diags diags;
	sg_diags_init(&diags, arena, argv[1]);
	sg_spec *spec = NULL;
	sg_plan *plan = NULL;
	int rc = sg_spec_load(&spec, arena, &diags, argv[1]);
	if (rc == SG_OK)
		rc = sg_spec_validate(spec, &diags);
	if (rc == SG_OK)
		rc = sg_plan_build(&plan, arena, spec, &diags);
	const sg_tfmap_resource *res = NULL;
	size_t nres = 0;
	if (rc == SG_OK)
		rc = sg_tfmap_resources(&res, &nres, arena, plan);
	if (rc != SG_OK) {
		sg_diags_print_text(&diags, stderr);
		sg_arena_free(arena);
		return 1;
	}

	cJSON *out = cJSON_CreateObject();
	cJSON *entries = cJSON_AddArrayToObject(out, "entries");
	size_t n;
	const sg_tfmap_entry *e = sg_tfmap_entries(&n);
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "cfn_type", e[i].cfn_type);
		if (e[i].property)
			cJSON_AddStringToObject(o, "property", e[i].property);
		else
			cJSON_AddNullToObject(o, "property");
		cJSON_AddStringToObject(o, "tf_type", e[i].tf_type);
		cJSON_AddItemToArray(entries, o);
	}
	cJSON *resources = cJSON_AddArrayToObject(out, "resources");
	for (size_t i = 0; i < nres; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "logical_id", res[i].logical_id);
		cJSON_AddStringToObject(o, "cfn_type", res[i].cfn_type);
		if (res[i].tf_type)
			cJSON_AddStringToObject(o, "tf_type", res[i].tf_type);
		else
			cJSON_AddNullToObject(o, "tf_type");
		cJSON_AddStringToObject(o, "tf_name", res[i].tf_name ? res[i].tf_name : "");
		cJSON_AddItemToArray(resources, o);
	}
	char *text = cJSON_Print(out);
	puts(text);
	cJSON_free(text);
	cJSON_Delete(out);
	sg_arena_free(arena);
	return 0;
}
