/*
 * fileset.c - the in-memory file set (see fileset.h).
 *
 * The files are an array (the order emitters added them, or sorted by
 * path); beside it an open-addressing hash index from path to position, so
 * that adding (which replaces a path already there) and looking up are
 * constant time on average.  A 600-route service has thousands of files:
 * linear scans made emitting quadratic in the size of the service.
 */
#include "svcgen/fileset.h"

#include <stdlib.h>
#include <string.h>

#include "svcgen/error.h"

void sg_fileset_init(sg_fileset *fs, sg_arena *arena)
{
	memset(fs, 0, sizeof(*fs));
	fs->arena = arena;
}

/* Relative, no "." or ".." segments, no empty segments, no backslashes. */
static bool safe_path(const char *p)
{
	if (!*p || *p == '/')
		return false;
	const char *seg = p;
	for (const char *s = p;; s++) {
		if (*s == '\\')
			return false;
		if (*s == '/' || *s == '\0') {
			size_t n = (size_t)(s - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return false;
			if (*s == '\0')
				return true;
			seg = s + 1;
		}
	}
}

/* FNV-1a, 64 bits: short keys, no adversary (paths come from the plan). */
static uint64_t hash_path(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot that holds `path`, or the empty slot where it would go. */
static size_t find_slot(const sg_fileset *fs, const char *path)
{
	size_t mask = fs->index_cap - 1;
	for (size_t i = (size_t)hash_path(path) & mask;; i = (i + 1) & mask) {
		uint32_t v = fs->index[i];
		if (v == 0 || !strcmp(fs->files[v - 1].path, path))
			return i;
	}
}

/* (Re)build the index for `cap` slots (a power of two > 2 * count). */
static void rebuild_index(sg_fileset *fs, size_t cap)
{
	fs->index = sg_arena_calloc(fs->arena, cap, sizeof(*fs->index));
	fs->index_cap = cap;
	for (size_t k = 0; k < fs->count; k++)
		fs->index[find_slot(fs, fs->files[k].path)] = (uint32_t)(k + 1);
}

int sg_fileset_add_owned(sg_fileset *fs, const char *path, const char *data, size_t len,
			 sg_file_kind kind)
{
	if (!safe_path(path))
		return SG_EUSAGE;
	if (fs->count >= UINT32_MAX - 1)
		return SG_EUSAGE;
	if (2 * (fs->count + 1) > fs->index_cap)
		rebuild_index(fs, fs->index_cap ? fs->index_cap * 2 : 64);
	size_t slot = find_slot(fs, path);
	if (fs->index[slot]) {
		sg_file *f = &fs->files[fs->index[slot] - 1];
		f->data = data;
		f->len = len;
		f->kind = kind;
		f->sha256 = NULL;
		return SG_OK;
	}
	if (fs->count == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 32;
		fs->files = sg_arena_grow(fs->arena, fs->files, fs->count, cap, sizeof(*fs->files));
		fs->cap = cap;
	}
	sg_file *f = &fs->files[fs->count++];
	f->path = sg_arena_strdup(fs->arena, path);
	f->data = data;
	f->len = len;
	f->kind = kind;
	f->executable = false;
	f->sha256 = NULL;
	fs->index[slot] = (uint32_t)fs->count;
	return SG_OK;
}

int sg_fileset_add(sg_fileset *fs, const char *path, const void *data, size_t len,
		   sg_file_kind kind)
{
	return sg_fileset_add_owned(fs, path, sg_arena_strndup(fs->arena, data, len), len, kind);
}

const sg_file *sg_fileset_get(const sg_fileset *fs, const char *path)
{
	if (!fs->count)
		return NULL;
	uint32_t v = fs->index[find_slot(fs, path)];
	return v ? &fs->files[v - 1] : NULL;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const sg_file *)a)->path, ((const sg_file *)b)->path);
}

void sg_fileset_sort(sg_fileset *fs)
{
	if (fs->count < 2)
		return;
	qsort(fs->files, fs->count, sizeof(*fs->files), cmp_path);
	rebuild_index(fs, fs->index_cap);
}
