/*
 * manifest.c - manifest.json: building it (pure: file set in, file set
 * out), formatting it (also the writer's journal, write.h), parsing and
 * loading it.  `check` is in check.c.
 */
#include "svcgen/manifest.h"
#include "svcgen/readfile.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/emit.h"
#include "svcgen/json.h"
#include "svcgen/spec.h"

#ifndef SVCGEN_VERSION
#define SVCGEN_VERSION "0"
#endif

/*
 * Output names in sg_emit_what bit order, as `--only` spells them
 * (src/emit/emit.c; test_manifest checks the two agree through
 * sg_emit_parse_only).
 */
static const char *const output_names[] = {"cfn", "tf", "iam", "handlers", "graph"};
#define N_OUTPUTS (sizeof(output_names) / sizeof(output_names[0]))

static const char *kind_name(sg_file_kind k)
{
	return k == SG_FILE_SCAFFOLD ? "scaffold" : "generated";
}

/* ---- building --------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const sg_manifest_file *)a)->path, ((const sg_manifest_file *)b)->path);
}

int sg_manifest_format(const char **data, size_t *len, sg_arena *arena, const char *spec_sha256,
		       unsigned outputs, sg_manifest_file *files, size_t n)
{
	if (!data || !len || !arena || !spec_sha256 || (n && !files))
		return SG_EUSAGE;
	if (n > 1)
		qsort(files, n, sizeof(*files), cmp_entry);
	/*
	 * Written directly in sg_json_write's layout (json.h): a cJSON tree
	 * of every file, built to be printed once, cost more than hashing
	 * them.  test_manifest parses what this writes.
	 */
	sg_buf b = SG_BUF_INIT;
	sg_buf_reserve(&b, 256 + n * (SG_SHA256_HEX_SIZE + 96));
	sg_buf_printf(&b, "{\n  \"manifest_version\": %d,\n  \"svcgen_version\": ",
		      SG_MANIFEST_VERSION);
	sg_json_write_string(&b, SVCGEN_VERSION);
	sg_buf_puts(&b, ",\n  \"spec_sha256\": ");
	sg_json_write_string(&b, spec_sha256);
	sg_buf_puts(&b, ",\n  \"outputs\": ");
	bool any = false;
	for (size_t i = 0; i < N_OUTPUTS; i++) {
		if (!(outputs & (1u << i)))
			continue;
		sg_buf_puts(&b, any ? ",\n    " : "[\n    ");
		sg_json_write_string(&b, output_names[i]);
		any = true;
	}
	sg_buf_puts(&b, any ? "\n  ],\n  \"files\": " : "[],\n  \"files\": ");
	for (size_t i = 0; i < n; i++) {
		/* (a NULL member is left out, as cJSON's tree left it out) */
		const char *const members[3][2] = {{"path", files[i].path},
						   {"kind", kind_name(files[i].kind)},
						   {"sha256", files[i].sha256}};
		sg_buf_puts(&b, i ? ",\n    {" : "[\n    {");
		bool first = true;
		for (size_t k = 0; k < 3; k++) {
			if (!members[k][1])
				continue;
			sg_buf_puts(&b, first ? "\n      \"" : ",\n      \"");
			sg_buf_puts(&b, members[k][0]);
			sg_buf_puts(&b, "\": ");
			sg_json_write_string(&b, members[k][1]);
			first = false;
		}
		sg_buf_puts(&b, "\n    }");
	}
	sg_buf_puts(&b, n ? "\n  ]\n}\n" : "[]\n}\n");
	*data = sg_buf_to_arena(&b, arena, len);
	return SG_OK;
}

int sg_manifest_add(sg_fileset *fs, const char *spec_sha256, unsigned outputs)
{
	if (!fs || !spec_sha256)
		return SG_EUSAGE;
	/* Entries built aside: the caller's order of the set stays. */
	sg_manifest_file *files = sg_arena_calloc(fs->arena, fs->count + 1, sizeof(*files));
	char *hex = sg_arena_alloc(fs->arena, (fs->count + 1) * SG_SHA256_HEX_SIZE);
	size_t n = 0;
	for (size_t i = 0; i < fs->count; i++) {
		const sg_file *f = &fs->files[i];
		if (!strcmp(f->path, SG_MANIFEST_PATH))
			continue;
		const char *h = f->sha256;
		if (!h) {
			char *mine = hex + n * SG_SHA256_HEX_SIZE;
			sg_sha256_hex(mine, f->data, f->len);
			h = mine;
		}
		files[n++] = (sg_manifest_file){f->path, f->kind, h};
	}
	const char *data;
	size_t len;
	int rc = sg_manifest_format(&data, &len, fs->arena, spec_sha256, outputs, files, n);
	if (rc != SG_OK)
		return rc;
	return sg_fileset_add_owned(fs, SG_MANIFEST_PATH, data, len, SG_FILE_GENERATED);
}

/* ---- reading ------------------------------------------------------------------ */

static bool is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Relative, '/'-separated, no empty, "." or ".." segments: a manifest
 * cannot make `check` look outside the directory. */
static bool relative_path(const char *p)
{
	if (!*p || *p == '/')
		return false;
	for (const char *seg = p;;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
			return false;
		if (!seg[n])
			return true;
		seg += n + 1;
	}
}

static const char *string_member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void delete_json(void *p)
{
	cJSON_Delete(p);
}

int sg_manifest_parse(sg_manifest **out, const char **why, sg_arena *arena, const char *data,
		      size_t len)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*out = NULL;
	cJSON *root = cJSON_ParseWithLength(data, len);
	if (!root) {
		*why = "not JSON";
		return SG_EFINDINGS;
	}
	sg_arena_defer(arena, delete_json, root);
	if (!cJSON_IsObject(root)) {
		*why = "not a JSON object";
		return SG_EFINDINGS;
	}
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "manifest_version");
	if (!cJSON_IsNumber(ver)) {
		*why = "no manifest_version";
		return SG_EFINDINGS;
	}
	if (ver->valuedouble != SG_MANIFEST_VERSION) {
		*why = "a manifest_version this svcgen does not read";
		return SG_EFINDINGS;
	}
	sg_manifest *m = sg_arena_alloc(arena, sizeof(*m));
	m->version = SG_MANIFEST_VERSION;
	m->svcgen_version = sg_arena_strdup(arena, string_member(root, "svcgen_version"));
	m->spec_sha256 = sg_arena_strdup(arena, string_member(root, "spec_sha256"));

	const cJSON *outs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
	if (cJSON_IsArray(outs)) {
		m->outputs_known = true;
		const cJSON *o;
		cJSON_ArrayForEach(o, outs) {
			bool found = false;
			for (size_t i = 0; cJSON_IsString(o) && i < N_OUTPUTS; i++)
				if (!strcmp(o->valuestring, output_names[i])) {
					m->outputs |= 1u << i;
					found = true;
				}
			if (!found)
				m->outputs_known = false;
		}
	}

	const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
	if (!cJSON_IsArray(files)) {
		*why = "no files array";
		return SG_EFINDINGS;
	}
	size_t n = (size_t)cJSON_GetArraySize(files);
	m->files = sg_arena_calloc(arena, n ? n : 1, sizeof(*m->files));
	const cJSON *f;
	cJSON_ArrayForEach(f, files) {
		const char *path = string_member(f, "path");
		const char *kind = string_member(f, "kind");
		const char *sha = string_member(f, "sha256");
		if (!path || !relative_path(path) || !kind || !is_hex64(sha) ||
		    (strcmp(kind, "generated") && strcmp(kind, "scaffold"))) {
			*why = "a files entry without a relative path, a kind (generated or "
			       "scaffold) or a sha256";
			return SG_EFINDINGS;
		}
		sg_manifest_file *mf = &m->files[m->count++];
		mf->path = sg_arena_strdup(arena, path);
		mf->kind = strcmp(kind, "scaffold") ? SG_FILE_GENERATED : SG_FILE_SCAFFOLD;
		mf->sha256 = sg_arena_strdup(arena, sha);
	}
	/* Sorted for sg_manifest_find; svcgen writes them sorted already.
	 * A path listed twice keeps one entry (the first in sorted order). */
	if (m->count > 1) {
		qsort(m->files, m->count, sizeof(*m->files), cmp_entry);
		size_t k = 1;
		for (size_t i = 1; i < m->count; i++)
			if (strcmp(m->files[i].path, m->files[k - 1].path))
				m->files[k++] = m->files[i];
		m->count = k;
	}
	*out = m;
	return SG_OK;
}

const sg_manifest_file *sg_manifest_find(const sg_manifest *m, const char *path)
{
	if (!m || !m->count)
		return NULL;
	sg_manifest_file key = {path, SG_FILE_GENERATED, NULL};
	return bsearch(&key, m->files, m->count, sizeof(*m->files), cmp_entry);
}

int sg_manifest_load_file(sg_manifest **out, const char **why, sg_arena *arena,
			  sg_diags *diags, const char *path)
{
	*out = NULL;
	if (why)
		*why = NULL;
	const char *data;
	size_t len;
	bool missing;
	/* A manifest lists at most tens of thousands of files: 64 MiB is
	 * generous, and bounds what a stray file there costs. */
	int rc = sg_read_file(&data, &len, &missing, arena, diags, path, 64u << 20);
	if (rc != SG_OK || missing)
		return rc;
	const char *w = NULL;
	if (sg_manifest_parse(out, &w, arena, data, len) != SG_OK && why)
		*why = w;
	return SG_OK;
}

int sg_manifest_load(sg_manifest **out, sg_arena *arena, sg_diags *diags, const char *dir)
{
	const char *path = sg_arena_printf(arena, "%s/%s", dir, SG_MANIFEST_PATH);
	const char *why = NULL;
	int rc = sg_manifest_load_file(out, &why, arena, diags, path);
	if (rc == SG_OK && why)
		sg_warning(diags, "manifest-unreadable", (sg_pos){0, 0},
			   "'%s' is not a svcgen manifest (%s); hand-edited files cannot be told "
			   "from stale ones", path, why);
	return rc;
}
