/*
 * manifest.c - manifest.json and `check` (see manifest.h).
 *
 * Building the manifest is pure (file set in, file set out); reading a
 * directory back for `check` is the only disk access here, and it only
 * reads: `check` must be safe to run on any tree, any number of times.
 */
#include "svcgen/manifest.h"
#include "svcgen/readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int cmp_file_ptr(const void *a, const void *b)
{
	return strcmp((*(const sg_file *const *)a)->path, (*(const sg_file *const *)b)->path);
}

int sg_manifest_add(sg_fileset *fs, const char *spec_sha256, unsigned outputs)
{
	if (!fs || !spec_sha256)
		return SG_EUSAGE;
	/* Sorted through pointers: the caller's order of the set stays. */
	const sg_file **sorted = sg_arena_calloc(fs->arena, fs->count + 1, sizeof(*sorted));
	size_t n = 0;
	for (size_t i = 0; i < fs->count; i++)
		if (strcmp(fs->files[i].path, SG_MANIFEST_PATH) != 0)
			sorted[n++] = &fs->files[i];
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), cmp_file_ptr);

	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "manifest_version", SG_MANIFEST_VERSION);
	cJSON_AddStringToObject(root, "svcgen_version", SVCGEN_VERSION);
	cJSON_AddStringToObject(root, "spec_sha256", spec_sha256);
	cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
	for (size_t i = 0; i < N_OUTPUTS; i++)
		if (outputs & (1u << i))
			cJSON_AddItemToArray(outs, cJSON_CreateString(output_names[i]));
	cJSON *files = cJSON_AddArrayToObject(root, "files");
	for (size_t i = 0; i < n; i++) {
		char hex[SG_SHA256_HEX_SIZE];
		sg_sha256_hex(hex, sorted[i]->data, sorted[i]->len);
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "path", sorted[i]->path);
		cJSON_AddStringToObject(f, "kind", kind_name(sorted[i]->kind));
		cJSON_AddStringToObject(f, "sha256", hex);
		cJSON_AddItemToArray(files, f);
	}
	sg_buf b = SG_BUF_INIT;
	sg_json_write(&b, root);
	cJSON_Delete(root);
	size_t len;
	char *data = sg_buf_to_arena(&b, fs->arena, &len);
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
	*out = m;
	return SG_OK;
}

const sg_manifest_file *sg_manifest_find(const sg_manifest *m, const char *path)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->count; i++)
		if (!strcmp(m->files[i].path, path))
			return &m->files[i];
	return NULL;
}

static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

int sg_manifest_load(sg_manifest **out, sg_arena *arena, sg_diags *diags, const char *dir)
{
	*out = NULL;
	const char *path = sg_arena_printf(arena, "%s/%s", dir, SG_MANIFEST_PATH);
	const char *data;
	size_t len;
	bool missing;
	/* A manifest lists at most a few thousand files: 64 MiB is generous. */
	int rc = sg_read_file(&data, &len, &missing, arena, diags, path, 64u << 20);
	if (rc != SG_OK || missing)
		return rc;
	const char *why = NULL;
	if (sg_manifest_parse(out, &why, arena, data, len) != SG_OK)
		sg_warning(diags, "manifest-unreadable", (sg_pos){0, 0},
			   "'%s' is not a svcgen manifest (%s); hand-edited files cannot be told "
			   "from stale ones", path, why);
	return SG_OK;
}

/* ---- check ---------------------------------------------------------------- */

const char *sg_check_status_name(sg_check_status s)
{
	switch (s) {
	case SG_CHECK_STALE: return "stale";
	case SG_CHECK_MISSING: return "missing";
	case SG_CHECK_HAND_EDITED: return "hand-edited";
	case SG_CHECK_ORPHANED: return "orphaned";
	}
	return "?";
}

typedef struct checker {
	sg_arena *arena;
	sg_diags *diags;
	const char *dir;
	sg_check_report *r;
	size_t cap;
} checker;

static void report(checker *c, const char *path, sg_check_status st, sg_file_kind kind)
{
	sg_check_report *r = c->r;
	for (size_t i = 0; i < r->count; i++)
		if (!strcmp(r->items[i].path, path))
			return; /* one verdict per file */
	if (r->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		r->items = sg_arena_grow(c->arena, r->items, r->count, cap, sizeof(*r->items));
		c->cap = cap;
	}
	r->items[r->count++] = (sg_check_item){sg_arena_strdup(c->arena, path), st, kind};
	r->counts[st]++;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Files tools other than svcgen put into its directories, which belong to
 * the user (terraform init/plan/apply, editors' dot files). */
static bool users_file(const char *name)
{
	return name[0] == '.' || !strncmp(name, "terraform.tfstate", 17) ||
	       ends_with(name, ".tfplan") || ends_with(name, ".tfvars") ||
	       ends_with(name, ".tfvars.json") || !strcmp(name, "override.tf") ||
	       ends_with(name, "_override.tf");
}

/*
 * Whether directory `d` (relative, no trailing '/') is a generated
 * directory of `fs`: some expected file lies under it, and all of them
 * are generated.
 */
static bool generated_dir(const sg_fileset *fs, const char *d)
{
	size_t n = strlen(d);
	bool any = false;
	for (size_t i = 0; i < fs->count; i++) {
		const sg_file *f = &fs->files[i];
		if (strncmp(f->path, d, n) || f->path[n] != '/')
			continue;
		if (f->kind != SG_FILE_GENERATED)
			return false;
		any = true;
	}
	return any;
}

static bool seen_dir(const char *const *dirs, size_t n, const char *d)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(dirs[i], d))
			return true;
	return false;
}

/* Files directly inside generated directories that nothing generates. */
static int scan_generated_dirs(checker *c, const sg_fileset *fs)
{
	const char **dirs = sg_arena_calloc(c->arena, fs->count + 1, sizeof(*dirs));
	size_t nd = 0;
	for (size_t i = 0; i < fs->count; i++) {
		const char *slash = strrchr(fs->files[i].path, '/');
		if (!slash)
			continue; /* the output root also holds the user's scaffolds */
		char *d = sg_arena_strndup(c->arena, fs->files[i].path,
					   (size_t)(slash - fs->files[i].path));
		if (seen_dir(dirs, nd, d) || !generated_dir(fs, d))
			continue;
		dirs[nd++] = d;
	}
	for (size_t i = 0; i < nd; i++) {
		const char *full = sg_arena_printf(c->arena, "%s/%s", c->dir, dirs[i]);
		DIR *dp = opendir(full);
		if (!dp) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue; /* its files are reported missing */
			return io_error(c->diags, "read directory", full, errno);
		}
		struct dirent *de;
		while ((de = readdir(dp)) != NULL) {
			if (users_file(de->d_name))
				continue;
			const char *rel = sg_arena_printf(c->arena, "%s/%s", dirs[i], de->d_name);
			if (sg_fileset_get(fs, rel))
				continue;
			struct stat st;
			const char *p = sg_arena_printf(c->arena, "%s/%s", c->dir, rel);
			if (lstat(p, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
				report(c, rel, SG_CHECK_ORPHANED, SG_FILE_GENERATED);
		}
		closedir(dp);
	}
	return SG_OK;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const sg_check_item *)a)->path, ((const sg_check_item *)b)->path);
}

int sg_manifest_check(sg_check_report *out, sg_arena *arena, sg_diags *diags,
		      const sg_fileset *expected, const char *dir, const sg_manifest *old)
{
	memset(out, 0, sizeof(*out));
	checker c = {arena, diags, dir, out, 0};
	for (size_t i = 0; i < expected->count; i++) {
		const sg_file *f = &expected->files[i];
		const char *path = sg_arena_printf(arena, "%s/%s", dir, f->path);
		out->checked++;
		if (f->kind == SG_FILE_SCAFFOLD) {
			/* The user's once written: only its presence is svcgen's
			 * business. */
			struct stat st;
			if (lstat(path, &st) < 0) {
				if (errno != ENOENT && errno != ENOTDIR)
					return io_error(diags, "read", path, errno);
				report(&c, f->path, SG_CHECK_MISSING, f->kind);
			}
			continue;
		}
		const char *data;
		size_t len;
		bool missing;
		/* A file much larger than expected differs whatever it holds;
		 * the bound keeps a stray huge file from being read whole. */
		size_t max = f->len + (16u << 20);
		if (sg_read_file(&data, &len, &missing, arena, diags, path, max) != SG_OK)
			return SG_EIO;
		if (missing) {
			report(&c, f->path, SG_CHECK_MISSING, f->kind);
			continue;
		}
		if (len == f->len && !memcmp(data, f->data, len))
			continue;
		const sg_manifest_file *was = sg_manifest_find(old, f->path);
		sg_check_status st = SG_CHECK_STALE;
		if (was && strcmp(f->path, SG_MANIFEST_PATH) != 0) {
			char hex[SG_SHA256_HEX_SIZE];
			sg_sha256_hex(hex, data, len);
			if (strcmp(hex, was->sha256) != 0)
				st = SG_CHECK_HAND_EDITED;
		}
		report(&c, f->path, st, f->kind);
	}
	for (size_t i = 0; old && i < old->count; i++) {
		const sg_manifest_file *mf = &old->files[i];
		if (sg_fileset_get(expected, mf->path))
			continue;
		struct stat st;
		const char *path = sg_arena_printf(arena, "%s/%s", dir, mf->path);
		if (lstat(path, &st) == 0)
			report(&c, mf->path, SG_CHECK_ORPHANED, mf->kind);
	}
	if (scan_generated_dirs(&c, expected) != SG_OK)
		return SG_EIO;
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), cmp_item);
	return SG_OK;
}
