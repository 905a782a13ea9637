/*
 * fuzz_spec.c - libFuzzer harness of the spec pipeline: bytes as a spec
 * file, through everything `svcgen generate` does in memory (parse,
 * validate, plan, every emitter, the diagnostics in both forms), with the
 * sanitizers watching.
 *
 * Beyond "no crash, no leak, no hang" it checks one property of the
 * output: every JSON file an emitter produces (the CloudFormation
 * template, the IAM policies, the sample events, the manifest is not built
 * here) parses back as JSON.  A failure aborts, so libFuzzer keeps the
 * input.
 *
 * Built by `make fuzz` (tests/suites/fuzz.sh runs it in the sanitizer pass,
 * README "Fuzzing" says how to run it longer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"
#include "svcgen/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SG_SPEC_MAX_BYTES)
		return 0;
	sg_arena *arena = sg_arena_new();
	/* The file reader hands the parser NUL-terminated bytes; so does this. */
	char *text = sg_arena_strndup(arena, (const char *)data, size);
	sg_diags diags;
	sg_diags_init(&diags, arena, "fuzz.yaml");
	sg_spec *spec = NULL;
	if (sg_spec_parse(&spec, arena, &diags, "fuzz.yaml", text, size) == SG_OK &&
	    sg_spec_validate(spec, &diags) == SG_OK) {
		sg_plan *plan = NULL;
		if (sg_plan_build(&plan, arena, spec, &diags) == SG_OK) {
			sg_fileset fs;
			sg_fileset_init(&fs, arena);
			if (sg_emit_run(&fs, NULL, plan, SG_EMIT_ALL, &diags) == SG_OK) {
				for (size_t i = 0; i < fs.count; i++) {
					if (!ends_with(fs.files[i].path, ".json"))
						continue;
					cJSON *j = cJSON_ParseWithLength(fs.files[i].data,
									 fs.files[i].len);
					if (!j)
						abort(); /* an emitter wrote JSON that is not */
					cJSON_Delete(j);
				}
			}
		}
	}
	sg_diags_sort(&diags);
	sg_buf json = SG_BUF_INIT;
	sg_diags_write_json(&diags, &json);
	if (json.ptr) {
		cJSON *j = cJSON_ParseWithLength(json.ptr, json.len);
		if (!j)
			abort(); /* diagnostics JSON must parse whatever the spec says */
		cJSON_Delete(j);
	}
	sg_buf_free(&json);
	sg_arena_free(arena);
	return 0;
}
