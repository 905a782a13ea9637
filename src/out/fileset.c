/*
 * fileset.c - the in-memory file set (see fileset.h).
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

int sg_fileset_add_owned(sg_fileset *fs, const char *path, const char *data, size_t len,
			 sg_file_kind kind)
{
	if (!safe_path(path))
		return SG_EUSAGE;
	for (size_t i = 0; i < fs->count; i++)
		if (!strcmp(fs->files[i].path, path)) {
			fs->files[i].data = data;
			fs->files[i].len = len;
			fs->files[i].kind = kind;
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
	return SG_OK;
}

int sg_fileset_add(sg_fileset *fs, const char *path, const void *data, size_t len,
		   sg_file_kind kind)
{
	return sg_fileset_add_owned(fs, path, sg_arena_strndup(fs->arena, data, len), len, kind);
}

const sg_file *sg_fileset_get(const sg_fileset *fs, const char *path)
{
	for (size_t i = 0; i < fs->count; i++)
		if (!strcmp(fs->files[i].path, path))
			return &fs->files[i];
	return NULL;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const sg_file *)a)->path, ((const sg_file *)b)->path);
}

void sg_fileset_sort(sg_fileset *fs)
{
	if (fs->count > 1)
		qsort(fs->files, fs->count, sizeof(*fs->files), cmp_path);
}
