/*
 * registry.c - sg_mustache_set: the named templates partials and parents
 * refer to.  svcgen fills one with its stock templates and then the files
 * of `--templates DIR`, which replace stock templates of the same name.
 * Each template is compiled the first time it is asked for, so a broken
 * override nobody uses costs nothing, and is compiled at most once.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "mustache_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svcgen/readfile.h"

#define SUFFIX ".mustache"

typedef struct entry {
	const char *name;
	const char *file;          /* for diagnostics */
	const char *src;
	size_t len;
	bool compiled;
	int rc;                    /* of the compilation */
	sg_mustache_tpl *tpl;
} entry;

struct sg_mustache_set {
	sg_arena *arena;
	entry *items;              /* few templates: a list searched in order */
	size_t count, cap;
};

int sg_mustache_set_new(sg_mustache_set **out, sg_arena *arena)
{
	if (!out || !arena)
		return SG_EUSAGE;
	sg_mustache_set *set = sg_arena_alloc(arena, sizeof(*set));
	set->arena = arena;
	*out = set;
	return SG_OK;
}

static entry *find(const sg_mustache_set *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++)
		if (!strcmp(set->items[i].name, name))
			return &set->items[i];
	return NULL;
}

/* Store a template whose strings already live long enough (arena or
 * static storage), replacing one of the same name. */
static void put(sg_mustache_set *set, const char *name, const char *file, const char *src,
		size_t len)
{
	entry *e = find(set, name);
	if (!e) {
		if (set->count == set->cap) {
			size_t cap = set->cap ? set->cap * 2 : 32;
			set->items = sg_arena_grow(set->arena, set->items, set->count, cap,
						   sizeof(*set->items));
			set->cap = cap;
		}
		e = &set->items[set->count++];
	}
	*e = (entry){.name = name, .file = file, .src = src, .len = len};
}

int sg_mustache_set_add(sg_mustache_set *set, const char *name, const char *file,
			const char *src, size_t len)
{
	if (!set || !name || (!src && len))
		return SG_EUSAGE;
	const char *n = sg_arena_strdup(set->arena, name);
	put(set, n, file ? sg_arena_strdup(set->arena, file) : n,
	    sg_arena_strndup(set->arena, src ? src : "", len), len);
	return SG_OK;
}

int sg_mustache_set_add_embedded(sg_mustache_set *set, const sg_embedded_file *files)
{
	if (!set || !files)
		return SG_EUSAGE;
	for (const sg_embedded_file *f = files; f->name; f++)
		put(set, f->name, f->name, f->data ? f->data : "", f->data ? f->len : 0);
	return SG_OK;
}

/* A diagnostic about a whole file (position 0:0). */
static void report(sg_diags *diags, const char *code, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(sg_diags *diags, const char *code, const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(diags, SG_SEV_ERROR, code, file, (sg_pos){0, 0}, fmt, ap);
	va_end(ap);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read `path` into the arena.  Only a regular file is read (sg_open_regular:
 * a FIFO named *.mustache is refused, never waited on).  Returns SG_OK or
 * SG_EIO (reported).
 */
static int read_file(sg_mustache_set *set, sg_diags *diags, const char *path,
		     const char **data, size_t *len)
{
	int fd;
	struct stat sb;
	if (sg_open_regular(&fd, &sb, NULL, diags, path) != SG_OK)
		return SG_EIO;
	if (sb.st_size > (off_t)SG_MUSTACHE_MAX_FILE_BYTES) {
		close(fd);
		report(diags, "template-limit", path, "template is over %u bytes",
		       (unsigned)SG_MUSTACHE_MAX_FILE_BYTES);
		return SG_EIO;
	}
	size_t cap = (size_t)sb.st_size;
	char *buf = sg_arena_alloc(set->arena, cap + 1);
	size_t n = 0;
	int err = 0;
	for (;;) {
		/* One byte more than its size: a file that grew is refused. */
		ssize_t r = read(fd, buf + n, cap + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = errno;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n > cap)
			break;
	}
	close(fd);
	if (err || n > cap) {
		report(diags, "io", path, "cannot read template: %s",
		       err ? strerror(err) : "file changed while read");
		return SG_EIO;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return SG_OK;
}

int sg_mustache_set_load_dir(sg_mustache_set *set, sg_diags *diags, const char *dir)
{
	if (!set || !diags || !dir)
		return SG_EUSAGE;
	DIR *d = opendir(dir);
	if (!d) {
		report(diags, "io", dir, "cannot open template directory: %s", strerror(errno));
		return SG_EIO;
	}
	/* Sorted, so diagnostics come out in the same order on every system. */
	char **names = NULL;
	size_t count = 0, cap = 0;
	const size_t slen = strlen(SUFFIX);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= slen || strcmp(de->d_name + n - slen, SUFFIX))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = realloc(names, cap * sizeof(*names));
			if (!p) {
				fputs("svcgen: out of memory\n", stderr);
				abort();
			}
			names = p;
		}
		names[count++] = sg_arena_strdup(set->arena, de->d_name);
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), cmp_names);

	int rc = SG_OK;
	for (size_t i = 0; i < count; i++) {
		const char *path = sg_arena_printf(set->arena, "%s/%s", dir, names[i]);
		const char *data = NULL;
		size_t len = 0;
		if (read_file(set, diags, path, &data, &len) != SG_OK) {
			rc = SG_EIO;
			continue;
		}
		if (data)
			put(set, sg_arena_strndup(set->arena, names[i], strlen(names[i]) - slen),
			    path, data, len);
	}
	free(names);
	return rc;
}

int sg_mustache_set_open(sg_mustache_set **out, sg_arena *arena, sg_diags *diags,
			 const sg_embedded_file *embedded, const char *dir)
{
	int rc = sg_mustache_set_new(out, arena);
	if (rc != SG_OK)
		return rc;
	if (embedded)
		sg_mustache_set_add_embedded(*out, embedded);
	if (dir)
		rc = sg_mustache_set_load_dir(*out, diags, dir);
	return rc;
}

int sg_mustache_set_get(const sg_mustache_tpl **out, sg_mustache_set *set, sg_diags *diags,
			const char *name)
{
	if (!out || !set || !diags || !name)
		return SG_EUSAGE;
	*out = NULL;
	entry *e = find(set, name);
	if (!e)
		return SG_OK;
	if (!e->compiled) {
		e->rc = sg_mustache_compile(&e->tpl, set->arena, diags, e->file, e->src, e->len);
		e->compiled = true;
	}
	*out = e->tpl;
	return e->rc;
}

int sg_mustache_set_render(sg_buf *out, sg_mustache_set *set, const char *name,
			   const cJSON *context, const sg_mustache_opts *opts, sg_diags *diags)
{
	if (!out || !set || !name || !diags)
		return SG_EUSAGE;
	const sg_mustache_tpl *tpl;
	int rc = sg_mustache_set_get(&tpl, set, diags, name);
	if (rc != SG_OK)
		return rc;
	if (!tpl) {
		report(diags, "template-missing", name, "no template named '%s'", name);
		return SG_EUSAGE;
	}
	sg_mustache_opts o = {0};
	if (opts)
		o = *opts;
	if (!o.partials)
		o.partials = set;
	return sg_mustache_render(out, tpl, context, &o, diags);
}
