/*
 * check.c - `check`: a directory against the file set a generate would
 * write (see sg_manifest_check in manifest.h).
 *
 * It only reads: `check` must be safe to run on any tree, any number of
 * times.  Which files are svcgen's is what the directory's manifest says
 * (and the journal of an interrupted generate, write.h): a file that
 * neither lists is the user's, whatever directory it sits in, and is none
 * of check's business.
 */
#include "svcgen/manifest.h"
#include "svcgen/readfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

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
	sg_check_report *r;
	size_t cap;
} checker;

static void report(checker *c, const char *path, sg_check_status st, sg_file_kind kind)
{
	sg_check_report *r = c->r;
	if (r->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		r->items = sg_arena_grow(c->arena, r->items, r->count, cap, sizeof(*r->items));
		c->cap = cap;
	}
	r->items[r->count++] = (sg_check_item){sg_arena_strdup(c->arena, path), st, kind};
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const sg_check_item *)a)->path, ((const sg_check_item *)b)->path);
}

/* Whether `path`'s bytes on disk hash to `sha256` (false when unreadable). */
static bool disk_has(sg_arena *arena, const char *path, const char *sha256)
{
	const char *data;
	size_t len;
	bool missing;
	sg_diags quiet;
	sg_diags_init(&quiet, arena, path);
	if (sg_read_file(&data, &len, &missing, arena, &quiet, path, 64u << 20) != SG_OK || missing)
		return false;
	char hex[SG_SHA256_HEX_SIZE];
	sg_sha256_hex(hex, data, len);
	return !strcmp(hex, sha256);
}

int sg_manifest_check(sg_check_report *out, sg_arena *arena, sg_diags *diags,
		      const sg_fileset *expected, const char *dir, const sg_manifest *old)
{
	memset(out, 0, sizeof(*out));
	checker c = {arena, out, 0};
	/* The journal of an interrupted generate: what it was writing. */
	sg_manifest *journal = NULL;
	const char *jpath = sg_arena_printf(arena, "%s/%s", dir, SG_MANIFEST_JOURNAL_PATH);
	sg_diags quiet;
	sg_diags_init(&quiet, arena, jpath);
	if (sg_manifest_load_file(&journal, NULL, arena, &quiet, jpath) != SG_OK)
		journal = NULL;

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
		sg_check_status st = SG_CHECK_STALE;
		if (strcmp(f->path, SG_MANIFEST_PATH) != 0) {
			const sg_manifest_file *was = sg_manifest_find(old, f->path);
			const sg_manifest_file *wrote = sg_manifest_find(journal, f->path);
			char hex[SG_SHA256_HEX_SIZE];
			sg_sha256_hex(hex, data, len);
			/* Hand-edited: neither what the last generate recorded
			 * nor what an interrupted one was writing. */
			if (was && strcmp(hex, was->sha256) != 0 &&
			    !(wrote && !strcmp(hex, wrote->sha256)))
				st = SG_CHECK_HAND_EDITED;
		}
		report(&c, f->path, st, f->kind);
	}
	/* Orphaned: generated files svcgen wrote that nothing generates now.
	 * Scaffolds are the user's code once written: never orphans. */
	for (size_t i = 0; old && i < old->count; i++) {
		const sg_manifest_file *mf = &old->files[i];
		if (mf->kind != SG_FILE_GENERATED || sg_fileset_get(expected, mf->path))
			continue;
		struct stat st;
		const char *path = sg_arena_printf(arena, "%s/%s", dir, mf->path);
		if (lstat(path, &st) == 0)
			report(&c, mf->path, SG_CHECK_ORPHANED, mf->kind);
	}
	for (size_t i = 0; journal && i < journal->count; i++) {
		const sg_manifest_file *jf = &journal->files[i];
		if (jf->kind != SG_FILE_GENERATED || sg_fileset_get(expected, jf->path) ||
		    sg_manifest_find(old, jf->path))
			continue;
		const char *path = sg_arena_printf(arena, "%s/%s", dir, jf->path);
		if (disk_has(arena, path, jf->sha256))
			report(&c, jf->path, SG_CHECK_ORPHANED, jf->kind);
	}
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), cmp_item);
	/* One verdict per file (a journal can repeat what the manifest says). */
	size_t k = 0;
	for (size_t i = 0; i < out->count; i++)
		if (!k || strcmp(out->items[i].path, out->items[k - 1].path))
			out->items[k++] = out->items[i];
	out->count = k;
	for (size_t i = 0; i < out->count; i++)
		out->counts[out->items[i].status]++;
	return SG_OK;
}
