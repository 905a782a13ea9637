/*
 * test_manifest.c - manifest.json (built deterministic, sorted, without
 * itself; read back; malformed ones refused) and `check` on a real
 * directory: up to date, and each of stale, missing, hand-edited and
 * orphaned, scaffolds, the user's own files, a missing directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/manifest.h"
#include "svcgen/readfile.h"
#include "svcgen/sha256.h"
#include "svcgen/write.h"

#define SPEC_HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A small output: generated files in two directories, a scaffold, and a
 * generated file at the top. */
static void fill(sg_fileset *fs, const char *template_text)
{
	sg_fileset_add(fs, "iam/b.json", "{\"b\": 1}\n", 9, SG_FILE_GENERATED);
	sg_fileset_add(fs, "cloudformation/template.json", template_text, strlen(template_text),
		       SG_FILE_GENERATED);
	sg_fileset_add(fs, "iam/a.json", "{\"a\": 1}\n", 9, SG_FILE_GENERATED);
	sg_fileset_add(fs, "handlers/src/a.c", "int a;\n", 7, SG_FILE_SCAFFOLD);
	sg_fileset_add(fs, "handlers/Makefile", "all:\n", 5, SG_FILE_GENERATED);
	sg_fileset_add(fs, "diagram.mmd", "flowchart LR\n", 13, SG_FILE_GENERATED);
}

static void test_build(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_fileset fs;
	sg_fileset_init(&fs, a);
	fill(&fs, "{}\n");
	assert_int_equal(sg_manifest_add(&fs, SPEC_HASH, SG_EMIT_CFN | SG_EMIT_IAM), SG_OK);
	/* The set's own order is left alone; the manifest comes last. */
	assert_string_equal(fs.files[0].path, "iam/b.json");
	const sg_file *m = sg_fileset_get(&fs, SG_MANIFEST_PATH);
	assert_non_null(m);
	assert_int_equal(m->kind, SG_FILE_GENERATED);

	char ha[65], hb[65], ht[65], hs[65], hm[65], hd[65];
	sg_sha256_hex(ha, "{\"a\": 1}\n", 9);
	sg_sha256_hex(hb, "{\"b\": 1}\n", 9);
	sg_sha256_hex(ht, "{}\n", 3);
	sg_sha256_hex(hs, "int a;\n", 7);
	sg_sha256_hex(hm, "all:\n", 5);
	sg_sha256_hex(hd, "flowchart LR\n", 13);
	char *want = sg_arena_printf(a,
		"{\n"
		"  \"manifest_version\": 1,\n"
		"  \"svcgen_version\": \"%s\",\n"
		"  \"spec_sha256\": \"" SPEC_HASH "\",\n"
		"  \"outputs\": [\n    \"cfn\",\n    \"iam\"\n  ],\n"
		"  \"files\": [\n"
		"    {\n      \"path\": \"cloudformation/template.json\",\n      \"kind\": \"generated\",\n      \"sha256\": \"%s\"\n    },\n"
		"    {\n      \"path\": \"diagram.mmd\",\n      \"kind\": \"generated\",\n      \"sha256\": \"%s\"\n    },\n"
		"    {\n      \"path\": \"handlers/Makefile\",\n      \"kind\": \"generated\",\n      \"sha256\": \"%s\"\n    },\n"
		"    {\n      \"path\": \"handlers/src/a.c\",\n      \"kind\": \"scaffold\",\n      \"sha256\": \"%s\"\n    },\n"
		"    {\n      \"path\": \"iam/a.json\",\n      \"kind\": \"generated\",\n      \"sha256\": \"%s\"\n    },\n"
		"    {\n      \"path\": \"iam/b.json\",\n      \"kind\": \"generated\",\n      \"sha256\": \"%s\"\n    }\n"
		"  ]\n"
		"}\n", SVCGEN_VERSION, ht, hd, hm, hs, ha, hb);
	assert_string_equal(m->data, want);

	/* Deterministic: the same set in another order gives the same bytes,
	 * and adding it again replaces it rather than listing itself. */
	sg_fileset fs2;
	sg_fileset_init(&fs2, a);
	sg_fileset_add(&fs2, "diagram.mmd", "flowchart LR\n", 13, SG_FILE_GENERATED);
	sg_fileset_add(&fs2, "handlers/src/a.c", "int a;\n", 7, SG_FILE_SCAFFOLD);
	sg_fileset_add(&fs2, "iam/a.json", "{\"a\": 1}\n", 9, SG_FILE_GENERATED);
	sg_fileset_add(&fs2, "handlers/Makefile", "all:\n", 5, SG_FILE_GENERATED);
	sg_fileset_add(&fs2, "cloudformation/template.json", "{}\n", 3, SG_FILE_GENERATED);
	sg_fileset_add(&fs2, "iam/b.json", "{\"b\": 1}\n", 9, SG_FILE_GENERATED);
	assert_int_equal(sg_manifest_add(&fs2, SPEC_HASH, SG_EMIT_CFN | SG_EMIT_IAM), SG_OK);
	assert_int_equal(sg_manifest_add(&fs2, SPEC_HASH, SG_EMIT_CFN | SG_EMIT_IAM), SG_OK);
	assert_int_equal(fs2.count, 7);
	assert_string_equal(sg_fileset_get(&fs2, SG_MANIFEST_PATH)->data, want);

	assert_int_equal(sg_manifest_add(NULL, SPEC_HASH, 0), SG_EUSAGE);
	sg_arena_free(a);
}

/* The names the manifest writes are the ones `--only` reads, bit for bit. */
static void test_output_names(void **state)
{
	(void)state;
	for (unsigned bit = 1; bit <= SG_EMIT_GRAPH; bit <<= 1) {
		sg_arena *a = sg_arena_new();
		sg_fileset fs;
		sg_fileset_init(&fs, a);
		assert_int_equal(sg_manifest_add(&fs, SPEC_HASH, bit), SG_OK);
		const sg_file *f = sg_fileset_get(&fs, SG_MANIFEST_PATH);
		cJSON *j = cJSON_Parse(f->data);
		const cJSON *outs = cJSON_GetObjectItem(j, "outputs");
		assert_int_equal(cJSON_GetArraySize(outs), 1);
		unsigned got = 0;
		const char *bad;
		size_t bad_len;
		assert_int_equal(sg_emit_parse_only(&got, &bad, &bad_len,
						    cJSON_GetArrayItem(outs, 0)->valuestring), SG_OK);
		assert_int_equal(got, bit);
		sg_manifest *m;
		assert_int_equal(sg_manifest_parse(&m, NULL, a, f->data, f->len), SG_OK);
		assert_true(m->outputs_known);
		assert_int_equal(m->outputs, bit);
		cJSON_Delete(j);
		sg_arena_free(a);
	}
}

static void test_parse(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_fileset fs;
	sg_fileset_init(&fs, a);
	fill(&fs, "{}\n");
	sg_manifest_add(&fs, SPEC_HASH, SG_EMIT_ALL);
	const sg_file *f = sg_fileset_get(&fs, SG_MANIFEST_PATH);
	sg_manifest *m = NULL;
	assert_int_equal(sg_manifest_parse(&m, NULL, a, f->data, f->len), SG_OK);
	assert_int_equal(m->version, 1);
	assert_string_equal(m->svcgen_version, SVCGEN_VERSION);
	assert_string_equal(m->spec_sha256, SPEC_HASH);
	assert_int_equal(m->outputs, SG_EMIT_ALL);
	assert_int_equal(m->count, 6);
	assert_string_equal(m->files[0].path, "cloudformation/template.json");
	const sg_manifest_file *s = sg_manifest_find(m, "handlers/src/a.c");
	assert_non_null(s);
	assert_int_equal(s->kind, SG_FILE_SCAFFOLD);
	char h[65];
	sg_sha256_hex(h, "int a;\n", 7);
	assert_string_equal(s->sha256, h);
	assert_null(sg_manifest_find(m, SG_MANIFEST_PATH));
	assert_null(sg_manifest_find(NULL, "x"));

	static const char *const bad[] = {
		"", "[]", "not json", "{\"files\": []}",
		"{\"manifest_version\": 2, \"files\": []}",
		"{\"manifest_version\": 1}",
		"{\"manifest_version\": 1, \"files\": [{\"path\": \"a\", \"kind\": \"generated\", \"sha256\": \"00\"}]}",
		"{\"manifest_version\": 1, \"files\": [{\"path\": \"a\", \"kind\": \"other\", \"sha256\": \"" SPEC_HASH "\"}]}",
		"{\"manifest_version\": 1, \"files\": [{\"path\": \"/etc/passwd\", \"kind\": \"generated\", \"sha256\": \"" SPEC_HASH "\"}]}",
		"{\"manifest_version\": 1, \"files\": [{\"path\": \"iam/../../x\", \"kind\": \"generated\", \"sha256\": \"" SPEC_HASH "\"}]}",
		"{\"manifest_version\": 1, \"files\": [{\"kind\": \"generated\", \"sha256\": \"" SPEC_HASH "\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		m = (sg_manifest *)1;
		assert_int_equal(sg_manifest_parse(&m, &why, a, bad[i], strlen(bad[i])), SG_EFINDINGS);
		assert_null(m);
		assert_non_null(why);
	}
	/* Unknown outputs are tolerated but make the list unknown. */
	const char *odd = "{\"manifest_version\": 1, \"outputs\": [\"cfn\", \"rust\"], \"files\": []}";
	assert_int_equal(sg_manifest_parse(&m, NULL, a, odd, strlen(odd)), SG_OK);
	assert_false(m->outputs_known);
	sg_arena_free(a);
}

/* ---- check on disk --------------------------------------------------------------------- */

typedef struct disk {
	sg_arena *arena;
	sg_diags diags;
	char dir[64];
} disk;

static int setup(void **state)
{
	disk *d = calloc(1, sizeof(*d));
	d->arena = sg_arena_new();
	sg_diags_init(&d->diags, d->arena, "t.yaml");
	strcpy(d->dir, "/tmp/svcgen-test-manifest-XXXXXX");
	if (!mkdtemp(d->dir))
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	disk *d = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	if (system(cmd) != 0)
		return -1;
	sg_arena_free(d->arena);
	free(d);
	return 0;
}

/* The expected set for `template_text`, manifest included. */
static sg_fileset expected(disk *d, const char *template_text)
{
	sg_fileset fs;
	sg_fileset_init(&fs, d->arena);
	fill(&fs, template_text);
	sg_manifest_add(&fs, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&fs);
	return fs;
}

/* Generate into the directory, as `generate` would. */
static void generate(disk *d, const sg_fileset *fs)
{
	assert_int_equal(sg_write_fileset(NULL, fs, d->dir, NULL, &d->diags), SG_OK);
}

static sg_check_report check(disk *d, const sg_fileset *fs)
{
	sg_manifest *old = NULL;
	assert_int_equal(sg_manifest_load(&old, d->arena, &d->diags, d->dir), SG_OK);
	sg_check_report r;
	assert_int_equal(sg_manifest_check(&r, d->arena, &d->diags, fs, d->dir, old), SG_OK);
	return r;
}

/* The report as "status path" lines. */
static const char *lines(disk *d, const sg_check_report *r)
{
	char *out = sg_arena_strdup(d->arena, "");
	for (size_t i = 0; i < r->count; i++)
		out = sg_arena_printf(d->arena, "%s%s %s\n", out,
				      sg_check_status_name(r->items[i].status), r->items[i].path);
	return out;
}

static void put(disk *d, const char *rel, const char *text)
{
	char *p = sg_arena_printf(d->arena, "%s/%s", d->dir, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm(disk *d, const char *rel)
{
	assert_int_equal(unlink(sg_arena_printf(d->arena, "%s/%s", d->dir, rel)), 0);
}

static void test_check_clean(void **state)
{
	disk *d = *state;
	sg_fileset fs = expected(d, "{}\n");
	generate(d, &fs);
	sg_check_report r = check(d, &fs);
	assert_string_equal(lines(d, &r), "");
	assert_int_equal(r.checked, 7);
	/* The user's edits to a scaffold are theirs, and the user's own
	 * files outside generated directories are none of check's business. */
	put(d, "handlers/src/a.c", "int a = 42;\n");
	put(d, "README.txt", "mine\n");
	put(d, "handlers/notes.txt", "mine\n");
	r = check(d, &fs);
	assert_string_equal(lines(d, &r), "");
	assert_int_equal(d->diags.count, 0);
}

static void test_check_each_kind(void **state)
{
	disk *d = *state;
	sg_fileset v1 = expected(d, "{\"v\": 1}\n");
	generate(d, &v1);

	/* The spec changed: the template and the manifest are stale. */
	sg_fileset v2 = expected(d, "{\"v\": 2}\n");
	sg_check_report r = check(d, &v2);
	assert_string_equal(lines(d, &r), "stale cloudformation/template.json\n"
					  "stale manifest.json\n");
	assert_int_equal(r.counts[SG_CHECK_STALE], 2);

	/* Someone edited a generated file: hand-edited (not merely stale),
	 * whether or not the spec changed too. */
	put(d, "iam/a.json", "{\"a\": 2}\n");
	r = check(d, &v1);
	assert_string_equal(lines(d, &r), "hand-edited iam/a.json\n");
	assert_int_equal(r.counts[SG_CHECK_HAND_EDITED], 1);
	assert_int_equal(r.items[0].kind, SG_FILE_GENERATED);
	r = check(d, &v2);
	assert_string_equal(lines(d, &r), "stale cloudformation/template.json\n"
					  "hand-edited iam/a.json\n"
					  "stale manifest.json\n");
	put(d, "iam/a.json", "{\"a\": 1}\n");

	/* Missing: a generated file and a scaffold. */
	rm(d, "iam/b.json");
	rm(d, "handlers/src/a.c");
	r = check(d, &v1);
	assert_string_equal(lines(d, &r), "missing handlers/src/a.c\nmissing iam/b.json\n");
	assert_int_equal(r.counts[SG_CHECK_MISSING], 2);
	assert_int_equal(r.items[0].kind, SG_FILE_SCAFFOLD);
	generate(d, &v1);

	/* Orphaned: a file the manifest lists that is no longer generated.
	 * Files the manifest does not list are the user's wherever they are
	 * (a stray file in a generated directory, dot files, Terraform's
	 * state): check neither reports them nor asks to delete them. */
	sg_fileset v3;
	sg_fileset_init(&v3, d->arena);
	for (size_t i = 0; i < v1.count; i++)
		if (strcmp(v1.files[i].path, "iam/b.json") && strcmp(v1.files[i].path, SG_MANIFEST_PATH))
			sg_fileset_add(&v3, v1.files[i].path, v1.files[i].data, v1.files[i].len,
				       v1.files[i].kind);
	sg_manifest_add(&v3, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&v3);
	put(d, "iam/stray.json", "{}\n");
	put(d, "iam/.keep", "");
	put(d, "iam/terraform.tfstate", "{}\n");
	put(d, "iam/x_override.tf", "\n");
	r = check(d, &v3);
	assert_string_equal(lines(d, &r), "orphaned iam/b.json\n"
					  "stale manifest.json\n");
	assert_int_equal(r.counts[SG_CHECK_ORPHANED], 1);
	assert_int_equal(r.counts[SG_CHECK_STALE], 1);
	assert_int_equal(d->diags.count, 0);
}

/* Without a manifest in the directory a differing file cannot be called
 * hand-edited: it is stale; an unreadable manifest says so. */
static void test_check_without_manifest(void **state)
{
	disk *d = *state;
	sg_fileset v1 = expected(d, "{\"v\": 1}\n");
	generate(d, &v1);
	put(d, "iam/a.json", "{\"a\": 2}\n");
	put(d, SG_MANIFEST_PATH, "garbage");
	sg_check_report r = check(d, &v1);
	assert_string_equal(lines(d, &r), "stale iam/a.json\nstale manifest.json\n");
	assert_int_equal(d->diags.warnings, 1);
	assert_string_equal(d->diags.items[0].code, "manifest-unreadable");
	rm(d, SG_MANIFEST_PATH);
	r = check(d, &v1);
	assert_string_equal(lines(d, &r), "stale iam/a.json\nmissing manifest.json\n");
}

/* A directory that does not exist: everything is missing, nothing fails. */
static void test_check_no_directory(void **state)
{
	disk *d = *state;
	sg_fileset v1 = expected(d, "{}\n");
	char *dir = sg_arena_printf(d->arena, "%s/nope", d->dir);
	sg_manifest *old = (sg_manifest *)1;
	assert_int_equal(sg_manifest_load(&old, d->arena, &d->diags, dir), SG_OK);
	assert_null(old);
	sg_check_report r;
	assert_int_equal(sg_manifest_check(&r, d->arena, &d->diags, &v1, dir, NULL), SG_OK);
	assert_int_equal(r.count, 7);
	assert_int_equal(r.counts[SG_CHECK_MISSING], 7);
	assert_int_equal(d->diags.count, 0);
}

/* read_file: missing files on request, sizes bounded, empty files "". */
static void test_read_file(void **state)
{
	disk *d = *state;
	const char *data;
	size_t len;
	bool missing;
	char *p = sg_arena_printf(d->arena, "%s/f", d->dir);
	assert_int_equal(sg_read_file(&data, &len, &missing, d->arena, &d->diags, p, 10),
			 SG_OK);
	assert_true(missing);
	assert_null(data);
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, p, 10), SG_EIO);
	assert_string_equal(d->diags.items[0].code, "io");
	put(d, "f", "");
	assert_int_equal(sg_read_file(&data, &len, &missing, d->arena, &d->diags, p, 10),
			 SG_OK);
	assert_false(missing);
	assert_string_equal(data, "");
	assert_int_equal(len, 0);
	put(d, "f", "0123456789A");
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, p, 10), SG_EIO);
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, p, 11), SG_OK);
	assert_int_equal(len, 11);
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, d->dir, 11),
			 SG_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_output_names),
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_check_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_each_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_without_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_no_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
