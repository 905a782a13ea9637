/*
 * tree.c - a file set into an output directory (sg_write_fileset, write.h).
 *
 * Phase 1 looks at everything and writes nothing: each directory the set
 * touches is opened once and listed once (readdir), so a file costs a
 * lookup in that listing, and a read only where a file of that name
 * exists (to tell unchanged bytes, and whose file it is).  Phase 2 writes
 * through the directories' descriptors, so no path is resolved twice and
 * nothing is created per file but the file.  Why each step is where it
 * is: docs/design-notes.md, "The write path".
 */
#define _GNU_SOURCE /* O_PATH-free openat flags, AT_EACCESS */
#include "svcgen/write.h"
#include "write_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "svcgen/error.h"
#include "svcgen/manifest.h"
#include "svcgen/parallel.h"
#include "svcgen/readfile.h"
#include "svcgen/sha256.h"

/* ---- the run's state ---------------------------------------------------------- */

typedef enum { D_UNKNOWN, D_EXISTS, D_ABSENT, D_BAD } dir_state;

typedef struct wdir {
	const char *rel;        /* "" for the root, else "a/b" */
	const char *base;       /* last segment */
	struct wdir *parent;
	int fd;                 /* open while the state is D_EXISTS (or created) */
	dir_state state;
	bool listed;
	bool needed;            /* a file is written into it */
	bool created;           /* by this run */
	bool sync;              /* fsync once the scaffolds are in */
	bool synced_up;         /* (the root) its entry in its parent synced */
	sg_strmap names;        /* name -> entry (listed) */
} wdir;

/* One name found in a listed directory. */
typedef struct entry {
	const char *name;
	unsigned char type;     /* DT_* (DT_UNKNOWN: ask fstatat) */
} entry;

typedef enum { A_UNCHANGED, A_CREATE, A_REPLACE, A_KEEP } action;

typedef struct wfile {
	const sg_file *f;
	wdir *dir;
	const char *name;
	action act;
	bool claim;             /* written at a path the manifest does not list */
} wfile;

typedef struct wremove {
	wdir *dir;
	const char *name;
} wremove;

/* A batch of staged scaffolds and their fsyncs (start_scaffolds). */
typedef struct scaffolds {
	wfile **batch;
	sg_staged *st;
	int *fds;               /* st[k].fd, for the syncer */
	size_t n, max;
	sg_syncer sync;         /* running while n > 0 */
} scaffolds;

typedef struct run {
	sg_arena *arena;
	sg_diags *diags;
	const char *dir;        /* as given */
	const sg_write_opts *opts;
	char root_real[PATH_MAX];
	sg_strmap dirs;         /* rel -> wdir */
	wdir *root;
	sg_manifest *old;       /* DIR's manifest, NULL if none or foreign */
	sg_manifest *journal;   /* DIR's journal, NULL if none */
	bool journal_found;
	wfile *files;
	size_t nfiles;
	wfile *manifest;        /* the entry of manifest.json, or NULL */
	wremove *removes;       /* orphans, then debris */
	size_t nremoves, ndebris, removes_cap;
	size_t bytes;           /* to be written */
	bool failed;
	char *buf;              /* for reading existing files */
	size_t buf_cap;
	scaffolds sc;           /* staged, being made durable */
	sg_write_stats st;
} run;

/* A diagnostic about `rel` (a path under the output directory, "" for the
 * directory itself), named as the user would type it. */
static void say(run *r, sg_severity sev, const char *code, const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void say(run *r, sg_severity sev, const char *code, const char *rel, const char *fmt, ...)
{
	sg_arena *a = r->diags->arena; /* the message outlives this run's arena */
	const char *file = *rel ? sg_arena_printf(a, "%s/%s", r->dir, rel) : sg_arena_strdup(a, r->dir);
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(r->diags, sev, code, file, (sg_pos){0, 0}, fmt, ap);
	va_end(ap);
	if (sev == SG_SEV_ERROR)
		r->failed = true;
}

static void conflict(run *r, const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void conflict(run *r, const char *rel, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = sg_arena_vprintf(r->diags->arena, fmt, ap);
	va_end(ap);
	say(r, SG_SEV_ERROR, "output-conflict", rel, "%s", msg);
}

static void io_fail(run *r, const char *rel, const char *what, int err)
{
	say(r, SG_SEV_ERROR, "io", rel, "cannot %s: %s", what, strerror(err));
}

static const char *join(run *r, const wdir *d, const char *name)
{
	return *d->rel ? sg_arena_printf(r->arena, "%s/%s", d->rel, name) : name;
}

static const char *full_path(run *r, const char *rel)
{
	return *rel ? sg_arena_printf(r->arena, "%s/%s", r->dir, rel) : r->dir;
}

/* ---- directories -------------------------------------------------------------- */

static void list_dir(run *r, wdir *d)
{
	if (d->listed || d->state != D_EXISTS)
		return;
	d->listed = true;
	sg_strmap_init(&d->names, r->arena);
	int fd = dup(d->fd);
	DIR *dp = fd < 0 ? NULL : fdopendir(fd);
	if (!dp) {
		if (fd >= 0)
			close(fd);
		io_fail(r, d->rel, "read the directory", errno);
		return;
	}
	struct dirent *de;
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		entry *e = sg_arena_alloc(r->arena, sizeof(*e));
		e->name = sg_arena_strdup(r->arena, de->d_name);
		e->type = de->d_type;
		sg_strmap_put(&d->names, e->name, e);
	}
	closedir(dp);
}

/* The type of `name` in `d` (a listed, existing directory): DT_* or
 * DT_UNKNOWN when absent. */
static unsigned char type_of(run *r, wdir *d, const char *name, bool *present)
{
	list_dir(r, d);
	entry *e = d->listed ? sg_strmap_get(&d->names, name) : NULL;
	*present = e != NULL;
	if (!e)
		return DT_UNKNOWN;
	if (e->type == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			e->type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR :
				  S_ISLNK(st.st_mode) ? DT_LNK : S_ISFIFO(st.st_mode) ? DT_FIFO :
				  S_ISSOCK(st.st_mode) ? DT_SOCK : S_ISCHR(st.st_mode) ? DT_CHR : DT_BLK;
		else
			*present = false;
	}
	return e->type;
}

static const char *dt_name(unsigned char t)
{
	switch (t) {
	case DT_REG: return "a regular file";
	case DT_DIR: return "a directory";
	case DT_LNK: return "a symbolic link";
	case DT_FIFO: return "a FIFO";
	case DT_SOCK: return "a socket";
	case DT_CHR: return "a character device";
	case DT_BLK: return "a block device";
	}
	return "not a regular file";
}

/* Whether real path `p` is the root or under it. */
static bool inside(const run *r, const char *p)
{
	size_t n = strlen(r->root_real);
	if (n == 1) /* the root is "/" */
		return true;
	return !strncmp(p, r->root_real, n) && (p[n] == '\0' || p[n] == '/');
}

static void resolve(run *r, wdir *d)
{
	if (d->state != D_UNKNOWN)
		return;
	wdir *p = d->parent;
	resolve(r, p);
	if (p->state != D_EXISTS) {
		d->state = p->state == D_ABSENT ? D_ABSENT : D_BAD;
		return;
	}
	bool present;
	unsigned char t = type_of(r, p, d->base, &present);
	if (!present) {
		d->state = D_ABSENT;
		return;
	}
	if (t == DT_DIR) {
		d->fd = openat(p->fd, d->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else if (t == DT_LNK) {
		/* A symbolic link is followed only to a directory inside DIR. */
		const char *full = full_path(r, d->rel);
		char real[PATH_MAX];
		struct stat st;
		if (!realpath(full, real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
			conflict(r, d->rel, "a symbolic link that leads to no directory, where svcgen "
					    "writes a directory");
			d->state = D_BAD;
			return;
		}
		if (!inside(r, real)) {
			conflict(r, d->rel, "a symbolic link to '%s', outside '%s': svcgen writes "
					    "only inside its output directory", real, r->dir);
			d->state = D_BAD;
			return;
		}
		d->fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		conflict(r, d->rel, "%s, where svcgen writes a directory; move it away", dt_name(t));
		d->state = D_BAD;
		return;
	}
	if (d->fd < 0) {
		io_fail(r, d->rel, "open the directory", errno);
		d->state = D_BAD;
		return;
	}
	d->state = D_EXISTS;
}

/* The directory of relative path `rel` ("" for the root), made on first
 * use, parents first. */
static wdir *dir_of(run *r, const char *rel, size_t len)
{
	char *key = sg_arena_strndup(r->arena, rel, len);
	wdir *d = sg_strmap_get(&r->dirs, key);
	if (d)
		return d;
	d = sg_arena_alloc(r->arena, sizeof(*d));
	d->rel = key;
	d->fd = -1;
	const char *slash = strrchr(key, '/');
	d->base = slash ? slash + 1 : key;
	d->parent = len ? dir_of(r, key, slash ? (size_t)(slash - key) : 0) : NULL;
	sg_strmap_put(&r->dirs, key, d);
	return d;
}

/* ---- reading what is there ---------------------------------------------------- */

/* Read `name` in `d` into r->buf.  1: read (*len, *mode); 2: larger
 * than `limit` (*len, *mode; nothing read); 0: not a regular file after
 * all; -1: error (reported). */
static int read_existing(run *r, wdir *d, const char *name, size_t *len, mode_t *mode,
			 size_t limit)
{
	int fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENXIO)
			return 0;
		io_fail(r, join(r, d, name), "read", errno);
		return -1;
	}
	struct stat st;
	int got = sg_write__read_fd(&r->buf, &r->buf_cap, len, &st, fd, limit);
	int e = errno;
	close(fd);
	if (got < 0)
		io_fail(r, join(r, d, name), "read", e);
	if (got > 0)
		*mode = st.st_mode;
	return got;
}

static void hex_of(char hex[SG_SHA256_HEX_SIZE], const char *data, size_t len)
{
	sg_sha256_hex(hex, data, len);
}

static void add_remove(run *r, wdir *d, const char *name)
{
	if (r->nremoves == r->removes_cap) {
		size_t cap = r->removes_cap ? r->removes_cap * 2 : 16;
		r->removes = sg_arena_grow(r->arena, r->removes, r->nremoves, cap, sizeof(*r->removes));
		r->removes_cap = cap;
	}
	r->removes[r->nremoves++] = (wremove){d, name};
}

/* ---- phase 1 ------------------------------------------------------------------ */

static int open_root(run *r)
{
	struct stat st;
	if (stat(r->dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			conflict(r, "", "%s, not a directory: svcgen writes a directory here",
				 sg_file_type_name((unsigned)st.st_mode));
			return SG_EIO;
		}
		r->root->fd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (r->root->fd < 0 || !realpath(r->dir, r->root_real)) {
			io_fail(r, "", "open the directory", errno);
			return SG_EIO;
		}
		r->root->state = D_EXISTS;
		return SG_OK;
	}
	if (errno != ENOENT) {
		io_fail(r, "", "open the directory", errno);
		return SG_EIO;
	}
	/* Absent: its nearest existing ancestor must be a directory we may
	 * write into, or creating it fails after all the checks. */
	char anc[PATH_MAX];
	if (snprintf(anc, sizeof(anc), "%s", r->dir) >= (int)sizeof(anc)) {
		io_fail(r, "", "create the directory", ENAMETOOLONG);
		return SG_EIO;
	}
	for (;;) {
		char *slash = strrchr(anc, '/');
		while (slash && slash > anc && slash[1] == '\0') { /* trailing '/' */
			*slash = '\0';
			slash = strrchr(anc, '/');
		}
		if (!slash) {
			strcpy(anc, ".");
		} else if (slash == anc) {
			anc[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (stat(anc, &st) == 0)
			break;
		if (errno != ENOENT || !strcmp(anc, ".") || !strcmp(anc, "/")) {
			io_fail(r, "", "create the directory", errno);
			return SG_EIO;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		conflict(r, "", "cannot be created: '%s' is %s, not a directory", anc,
			 sg_file_type_name((unsigned)st.st_mode));
		return SG_EIO;
	}
	if (access(anc, W_OK | X_OK) < 0) {
		io_fail(r, "", "create the directory", errno);
		return SG_EIO;
	}
	r->root->state = D_ABSENT;
	return SG_OK;
}

/* manifest.json and the journal, when the root exists. */
static int load_records(run *r)
{
	if (r->root->state != D_EXISTS)
		return SG_OK;
	const char *why = NULL;
	const char *mpath = full_path(r, SG_MANIFEST_PATH);
	if (sg_manifest_load_file(&r->old, &why, r->arena, r->diags, mpath) != SG_OK) {
		r->failed = true;
		return SG_EIO;
	}
	bool present;
	type_of(r, r->root, SG_MANIFEST_PATH, &present);
	if (present && !r->old && !(r->opts && r->opts->force)) {
		conflict(r, SG_MANIFEST_PATH, "not a svcgen manifest (%s): svcgen did not write "
			 "this directory and will not overwrite it; use --force to write into it "
			 "anyway", why ? why : "unreadable");
		return SG_EIO;
	}
	bool journal;
	type_of(r, r->root, SG_MANIFEST_JOURNAL_PATH, &journal);
	if (journal) {
		r->journal_found = true;
		sg_diags quiet;
		sg_diags_init(&quiet, r->arena, r->dir);
		if (sg_manifest_load_file(&r->journal, NULL, r->arena, &quiet,
					  full_path(r, SG_MANIFEST_JOURNAL_PATH)) != SG_OK)
			r->journal = NULL;
	}
	/* A directory no generate has written into is not refused as a whole:
	 * its files are the user's (a repository's README, its spec, the
	 * scaffolds it committed), and each destination is checked on its own
	 * (plan_file): a file where svcgen writes one is refused, a scaffold
	 * kept, every other name left alone. */
	return SG_OK;
}

/* Whether the file at `rel`, whose bytes are in r->buf[0..len), is
 * svcgen's to overwrite. */
static bool owned(run *r, const char *rel, size_t len)
{
	if (sg_manifest_find(r->old, rel) || (r->opts && r->opts->force))
		return true;
	if (!strcmp(rel, SG_MANIFEST_PATH)) /* it does not list itself */
		return r->old != NULL;
	const sg_manifest_file *j = sg_manifest_find(r->journal, rel);
	if (!j || len == SIZE_MAX)
		return false;
	char hex[SG_SHA256_HEX_SIZE];
	hex_of(hex, r->buf, len);
	return !strcmp(hex, j->sha256);
}

static void plan_file(run *r, wfile *w)
{
	const sg_file *f = w->f;
	const char *slash = strrchr(f->path, '/');
	w->dir = dir_of(r, f->path, slash ? (size_t)(slash - f->path) : 0);
	w->name = slash ? slash + 1 : f->path;
	resolve(r, w->dir);
	w->claim = !sg_manifest_find(r->old, f->path) && strcmp(f->path, SG_MANIFEST_PATH);
	if (w->dir->state == D_BAD)
		return;
	w->act = A_CREATE;
	if (w->dir->state == D_ABSENT)
		goto write;
	bool present;
	unsigned char t = type_of(r, w->dir, w->name, &present);
	if (!present)
		goto write;
	if (t == DT_DIR) {
		conflict(r, f->path, "a directory, where svcgen writes a file; move it away");
		return;
	}
	if (f->kind == SG_FILE_SCAFFOLD) {
		w->act = A_KEEP; /* the user's once written, whatever it is now */
		return;
	}
	if (t != DT_REG) {
		conflict(r, f->path, "%s, where svcgen writes a regular file: not replaced; "
			 "move it away", dt_name(t));
		return;
	}
	size_t len = 0;
	mode_t mode = 0;
	int got = read_existing(r, w->dir, w->name, &len, &mode, f->len + (16u << 20));
	if (got < 0)
		return;
	if (got == 0) {
		conflict(r, f->path, "not a regular file: not replaced; move it away");
		return;
	}
	bool exec_ok = !!(mode & S_IXUSR) == f->executable;
	if (got == 1 && len == f->len && exec_ok && !memcmp(r->buf, f->data, len)) {
		w->act = A_UNCHANGED;
		return;
	}
	if (!owned(r, f->path, got == 1 ? len : SIZE_MAX)) {
		if (r->old)
			conflict(r, f->path, "exists and is not svcgen's (%s/%s does not list "
				 "it): not overwritten; move it away, or use --force", r->dir,
				 SG_MANIFEST_PATH);
		else
			conflict(r, f->path, "exists and is not svcgen's (%s has no %s): not "
				 "overwritten; move it away, or use --force", r->dir,
				 SG_MANIFEST_PATH);
		return;
	}
	w->act = A_REPLACE;
write:
	w->dir->needed = true;
	/* What must be writable: the directory, or the nearest one that
	 * exists, where the missing ones are made. */
	wdir *d = w->dir;
	while (d->state == D_ABSENT && d->parent)
		d = d->parent;
	d->needed = true;
	r->bytes += f->len;
}

/* Files the last generate (or an interrupted one) wrote that nothing
 * generates now. */
static void plan_orphans(run *r, const sg_fileset *fs, const sg_manifest *m, bool journal)
{
	for (size_t i = 0; m && i < m->count; i++) {
		const sg_manifest_file *mf = &m->files[i];
		if (sg_fileset_get(fs, mf->path) || !strcmp(mf->path, SG_MANIFEST_PATH))
			continue;
		if (journal && sg_manifest_find(r->old, mf->path))
			continue; /* the manifest's entry decides */
		const char *slash = strrchr(mf->path, '/');
		wdir *d = dir_of(r, mf->path, slash ? (size_t)(slash - mf->path) : 0);
		const char *name = slash ? slash + 1 : mf->path;
		resolve(r, d);
		if (d->state != D_EXISTS)
			continue;
		bool present;
		unsigned char t = type_of(r, d, name, &present);
		if (!present)
			continue;
		if (mf->kind == SG_FILE_SCAFFOLD && !journal) {
			say(r, SG_SEV_NOTE, "scaffold-orphaned", mf->path,
			    "no function of the spec has this scaffold any more; it is your code, "
			    "so it stays (delete it when you no longer need it)");
			continue;
		}
		size_t len;
		mode_t mode;
		int got = t == DT_REG ? read_existing(r, d, name, &len, &mode, 64u << 20) : 0;
		if (got < 0)
			return;
		char hex[SG_SHA256_HEX_SIZE] = "";
		if (got == 1)
			hex_of(hex, r->buf, len);
		if (got == 1 && !strcmp(hex, mf->sha256)) {
			add_remove(r, d, name);
		} else if (!journal) {
			r->st.orphans_kept++;
			say(r, SG_SEV_WARNING, "orphan-kept", mf->path,
			    "svcgen no longer generates this file, and it was changed since svcgen "
			    "wrote it: kept, and no longer svcgen's (delete it if nothing needs it)");
		}
	}
}

/* Leftovers of interrupted runs in the listed directories: svcgen's
 * temporaries, and those of svcgen before 0.2 ("<file>.tmp-XXXXXX", for a
 * file it writes there). */
static bool old_tmp_name(run *r, const sg_fileset *fs, const wdir *d, const char *name)
{
	size_t stem;
	if (!sg_write__is_old_tmp_name(&stem, name))
		return false;
	const char *target = join(r, d, sg_arena_strndup(r->arena, name, stem));
	return sg_fileset_get(fs, target) || sg_manifest_find(r->old, target);
}

static void plan_debris(run *r, const sg_fileset *fs)
{
	size_t first = r->nremoves;
	for (size_t i = 0; i < r->dirs.cap; i++) {
		wdir *d = r->dirs.keys[i] ? r->dirs.vals[i] : NULL;
		if (!d || d->state != D_EXISTS)
			continue;
		list_dir(r, d);
		for (size_t k = 0; d->listed && k < d->names.cap; k++) {
			entry *e = d->names.keys[k] ? d->names.vals[k] : NULL;
			if (e && e->type != DT_DIR &&
			    (sg_write__is_tmp_name(e->name) || old_tmp_name(r, fs, d, e->name)))
				add_remove(r, d, e->name);
		}
	}
	r->ndebris = r->nremoves - first;
}

static void check_space(run *r)
{
	/* Writable directories, and room for the bytes: found here, not after
	 * half the files are replaced. */
	for (size_t i = 0; i < r->dirs.cap; i++) {
		wdir *d = r->dirs.keys[i] ? r->dirs.vals[i] : NULL;
		if (d && d->needed && d->state == D_EXISTS &&
		    faccessat(d->fd, ".", W_OK | X_OK, AT_EACCESS) < 0)
			io_fail(r, d->rel, "write into the directory", errno);
	}
	struct statvfs sv;
	if (r->root->state == D_EXISTS && fstatvfs(r->root->fd, &sv) == 0 && sv.f_frsize &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize < (unsigned long long)r->bytes) {
		say(r, SG_SEV_ERROR, "io", "", "cannot write %zu bytes: the filesystem has %llu "
		    "free", r->bytes, (unsigned long long)sv.f_bavail * sv.f_frsize);
	}
}

/* ---- phase 2 ------------------------------------------------------------------ */

/* mkdir -p: one mkdir where the parent exists (the usual case), more
 * only for missing parents.  0 or an errno value. */
static int mkdir_p(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return errno;
	char parent[PATH_MAX];
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof(parent))
		return ENOENT;
	memcpy(parent, path, n);
	parent[n] = '\0';
	int e = mkdir_p(parent);
	if (e)
		return e;
	return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : errno;
}

static int make_dir(run *r, wdir *d)
{
	if (d->state == D_EXISTS)
		return 0;
	if (d == r->root) {
		/* The root and its missing parents, by path. */
		int e = mkdir_p(r->dir);
		if (e)
			return e;
		d->fd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d->fd < 0 || !realpath(r->dir, r->root_real))
			return errno;
	} else {
		int e = make_dir(r, d->parent);
		if (e)
			return e;
		if (mkdirat(d->parent->fd, d->base, 0777) < 0 && errno != EEXIST)
			return errno;
		d->fd = openat(d->parent->fd, d->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			       O_CLOEXEC);
		if (d->fd < 0)
			return errno;
	}
	d->state = D_EXISTS;
	d->created = true;
	return 0;
}

/* sg_write__put's flags for `w`, beside `extra`. */
static int put_flags(const wfile *w, int extra)
{
	return extra | (w->f->executable ? SG_PUT_EXEC : 0) | (w->act == A_CREATE ? SG_PUT_NEW : 0);
}

static int put(run *r, wfile *w, int extra)
{
	int e = make_dir(r, w->dir);
	if (e) {
		io_fail(r, w->dir->rel, "create the directory", e);
		return SG_EIO;
	}
	bool existed = false;
	e = sg_write__put(&existed, w->dir->fd, w->name, w->f->data, w->f->len, put_flags(w, extra));
	if (e) {
		io_fail(r, w->f->path, "write", e);
		return SG_EIO;
	}
	if (existed)
		r->st.kept++;
	else
		r->st.written++;
	return SG_OK;
}

/* fsync the directories marked, parents of created ones included, all
 * at once. */
static int sync_dirs(run *r)
{
	for (size_t i = 0; i < r->dirs.cap; i++) {
		wdir *d = r->dirs.keys[i] ? r->dirs.vals[i] : NULL;
		for (; d && d->sync && d->created && d->parent; d = d->parent)
			d->parent->sync = true;
	}
	wdir **marked = sg_arena_calloc(r->arena, r->dirs.count + 2, sizeof(*marked));
	int *fds = sg_arena_calloc(r->arena, r->dirs.count + 2, sizeof(*fds));
	size_t n = 0;
	for (size_t i = 0; i < r->dirs.cap; i++) {
		wdir *d = r->dirs.keys[i] ? r->dirs.vals[i] : NULL;
		if (!d || !d->sync || d->state != D_EXISTS)
			continue;
		marked[n] = d;
		fds[n++] = d->fd;
		d->sync = false;
	}
	int up = -1; /* the root's entry in its parent */
	if (r->root->created && !r->root->synced_up) {
		up = openat(r->root->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (up >= 0)
			fds[n] = up;
		r->root->synced_up = true;
	}
	sg_syncer s;
	sg_write__sync_start(&s, fds, n + (up >= 0), true);
	size_t bad;
	int e = sg_write__sync_wait(&s, &bad);
	if (up >= 0)
		close(up);
	if (e && bad < n) {
		io_fail(r, marked[bad]->rel, "sync the directory", e);
		return SG_EIO;
	}
	return SG_OK; /* DIR's parent is not ours: its failure is not reported */
}

/* Name the staged batch (made durable: `err` is 0), or remove it all
 * (`err` set, already reported). */
static int name_scaffolds(run *r, int err)
{
	scaffolds *sc = &r->sc;
	int rc = err ? SG_EIO : SG_OK;
	for (size_t k = 0; k < sc->n; k++) {
		wfile *w = sc->batch[k];
		if (rc != SG_OK) {
			sg_write__abort(&sc->st[k], w->dir->fd);
			continue;
		}
		bool existed = false;
		int e = sg_write__name(&existed, &sc->st[k], w->dir->fd, w->name, SG_PUT_NO_CLOBBER);
		if (e < 0) { /* cannot link unnamed files here after all */
			if (put(r, w, SG_PUT_NO_CLOBBER | SG_PUT_DURABLE) != SG_OK)
				rc = SG_EIO;
		} else if (e) {
			io_fail(r, w->f->path, "write", e);
			rc = SG_EIO;
		} else if (existed) {
			r->st.kept++;
		} else {
			r->st.written++;
		}
		w->dir->sync = true;
	}
	sc->n = 0;
	return rc;
}

/* Wait for the staged batch's fsyncs, then name it.  `abandon`: the run
 * failed elsewhere; remove the batch instead. */
static int finish_scaffolds(run *r, bool abandon)
{
	scaffolds *sc = &r->sc;
	if (!sc->n)
		return SG_OK;
	size_t bad;
	int e = sg_write__sync_wait(&sc->sync, &bad);
	if (e && !abandon)
		io_fail(r, sc->batch[bad]->f->path, "write", e);
	return name_scaffolds(r, abandon ? ECANCELED : e);
}

/*
 * Scaffolds, durable: svcgen never rewrites one that exists, so one whose
 * bytes a crash lost would stay empty.  Each is staged (written, with no
 * name yet) and fsynced in the background (syncer.c); it gets its name
 * only once durable.  Full batches (the descriptor limit) are finished
 * here; the last is left syncing while the generated files are written,
 * and finish_scaffolds names it.
 */
static int start_scaffolds(run *r)
{
	scaffolds *sc = &r->sc;
	struct rlimit rl;
	sc->max = 64; /* as many open at once as the descriptor limit comfortably allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 256)
		sc->max = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 8192 ? 4096
									     : (size_t)(rl.rlim_cur / 2);
	sc->batch = sg_arena_calloc(r->arena, sc->max, sizeof(*sc->batch));
	sc->st = sg_arena_calloc(r->arena, sc->max, sizeof(*sc->st));
	sc->fds = sg_arena_calloc(r->arena, sc->max, sizeof(*sc->fds));
	for (size_t i = 0; i < r->nfiles; i++) {
		wfile *w = &r->files[i];
		if (w->f->kind != SG_FILE_SCAFFOLD || w->act != A_CREATE)
			continue;
		int e = make_dir(r, w->dir);
		if (e) {
			io_fail(r, w->dir->rel, "create the directory", e);
			name_scaffolds(r, e);
			return SG_EIO;
		}
		sg_staged *st = &sc->st[sc->n];
		e = sg_write__stage(st, w->dir->fd, w->f->data, w->f->len,
				    w->f->executable ? SG_PUT_EXEC : 0);
		if (e) {
			io_fail(r, w->f->path, "write", e);
			name_scaffolds(r, e);
			return SG_EIO;
		}
		sc->batch[sc->n] = w;
		sc->fds[sc->n++] = st->fd;
		if (sc->n == sc->max) {
			sg_write__sync_start(&sc->sync, sc->fds, sc->n, false);
			if (finish_scaffolds(r, false) != SG_OK)
				return SG_EIO;
		}
	}
	if (sc->n)
		sg_write__sync_start(&sc->sync, sc->fds, sc->n, false);
	return SG_OK;
}

/*
 * Step 4, the generated files, put by several threads.  They are
 * independent of one another once their directories exist, and the
 * kernel's work per file (an inode, its pages, a directory entry) is most
 * of a large generate's time: it runs on every core (up to four) instead
 * of one.  Entries of one directory still take that directory's lock in
 * the kernel, one at a time.  Small sets are put by the caller alone.
 */
typedef struct putters {
	wfile **todo;
	size_t n;
	size_t *runs;           /* run k is todo[runs[k], runs[k + 1]): one directory */
	size_t nruns;
	size_t next;            /* atomic: the next run to put */
	size_t written;         /* atomic */
	size_t failed;          /* atomic: SIZE_MAX, or the first failure's index */
	int err;
} putters;

/* A thread takes a directory's files at a time: two threads linking into
 * one directory wait for each other on its lock. */
static void put_some(putters *p)
{
	for (;;) {
		size_t k = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		if (k >= p->nruns)
			return;
		for (size_t i = p->runs[k]; i < p->runs[k + 1]; i++) {
			if (__atomic_load_n(&p->failed, __ATOMIC_RELAXED) != SIZE_MAX)
				return;
			const wfile *w = p->todo[i];
			int e = sg_write__put(NULL, w->dir->fd, w->name, w->f->data, w->f->len,
					      put_flags(w, 0));
			if (!e)
				__atomic_fetch_add(&p->written, 1, __ATOMIC_RELAXED);
			else
				sg_write__fail_once(&p->failed, &p->err, i, e);
		}
	}
}

/* Order the files by directory and cut them into runs, a large
 * directory into several (so no thread is left with all of it), each a
 * directory's files only. */
static int by_dir(const void *a, const void *b)
{
	const wfile *x = *(wfile *const *)a, *y = *(wfile *const *)b;
	int c = strcmp(x->dir->rel, y->dir->rel);
	return c ? c : strcmp(x->name, y->name);
}

static void cut_runs(run *r, putters *p, size_t threads)
{
	qsort(p->todo, p->n, sizeof(*p->todo), by_dir);
	size_t most = p->n / (2 * threads) + 1;
	p->runs = sg_arena_calloc(r->arena, p->n + 2, sizeof(*p->runs));
	for (size_t i = 0; i < p->n; i++)
		if (i == 0 || p->todo[i]->dir != p->todo[i - 1]->dir ||
		    i - p->runs[p->nruns - 1] >= most)
			p->runs[p->nruns++] = i;
	p->runs[p->nruns] = p->n;
}

static void *put_worker(void *arg)
{
	put_some(arg);
	return NULL;
}

static int put_generated(run *r)
{
	putters p = {.todo = sg_arena_calloc(r->arena, r->nfiles + 1, sizeof(wfile *)),
		     .failed = SIZE_MAX};
	for (size_t i = 0; i < r->nfiles; i++) {
		wfile *w = &r->files[i];
		if (w->f->kind == SG_FILE_SCAFFOLD || w == r->manifest ||
		    (w->act != A_CREATE && w->act != A_REPLACE))
			continue;
		int e = make_dir(r, w->dir); /* here, on one thread */
		if (e) {
			io_fail(r, w->dir->rel, "create the directory", e);
			return SG_EIO;
		}
		p.todo[p.n++] = w;
	}
	size_t width = p.n >= 128 ? sg_parallel_width(p.n) : 1;
	cut_runs(r, &p, width);
	sg_parallel_run(put_worker, &p, width);
	r->st.written += p.written;
	if (p.failed != SIZE_MAX) {
		io_fail(r, p.todo[p.failed]->f->path, "write", p.err);
		return SG_EIO;
	}
	return SG_OK;
}

/* The journal: every path this run claims, with the hash of what it
 * writes there, and what an earlier interrupted run claimed that this one
 * does not write. */
static int write_journal(run *r, const sg_fileset *fs)
{
	sg_manifest *next = NULL;
	const sg_file *mf = sg_fileset_get(fs, SG_MANIFEST_PATH);
	if (mf)
		sg_manifest_parse(&next, NULL, r->arena, mf->data, mf->len);
	size_t n = 0, cap = r->nfiles + (r->journal ? r->journal->count : 0) + 1;
	sg_manifest_file *e = sg_arena_calloc(r->arena, cap, sizeof(*e));
	for (size_t i = 0; i < r->nfiles; i++) {
		const wfile *w = &r->files[i];
		if (!w->claim || w == r->manifest || (w->act != A_CREATE && w->act != A_REPLACE))
			continue;
		const sg_manifest_file *known = sg_manifest_find(next, w->f->path);
		const char *sha = known ? known->sha256 : NULL;
		if (!sha) {
			char *h = sg_arena_alloc(r->arena, SG_SHA256_HEX_SIZE);
			hex_of(h, w->f->data, w->f->len);
			sha = h;
		}
		e[n++] = (sg_manifest_file){w->f->path, w->f->kind, sha};
	}
	for (size_t i = 0; r->journal && i < r->journal->count; i++)
		if (!sg_fileset_get(fs, r->journal->files[i].path))
			e[n++] = r->journal->files[i];
	const char *data;
	size_t len;
	sg_manifest_format(&data, &len, r->arena, next && next->spec_sha256 ? next->spec_sha256 : "",
			   next ? next->outputs : 0, e, n);
	int err = sg_write__put(NULL, r->root->fd, SG_MANIFEST_JOURNAL_PATH, data, len,
				SG_PUT_DURABLE);
	if (!err)
		err = sg_write__sync_dir(r->root->fd);
	if (err) {
		io_fail(r, SG_MANIFEST_JOURNAL_PATH, "write", err);
		return SG_EIO;
	}
	r->journal_found = true;
	return SG_OK;
}

static int commit(run *r, const sg_fileset *fs)
{
	/* 1. What interrupted runs left. */
	for (size_t i = r->nremoves - r->ndebris; i < r->nremoves; i++)
		if (unlinkat(r->removes[i].dir->fd, r->removes[i].name, 0) == 0)
			r->st.debris++;
	bool claims = false, work = false;
	for (size_t i = 0; i < r->nfiles; i++) {
		const wfile *w = &r->files[i];
		if (w->act == A_CREATE || w->act == A_REPLACE) {
			work = true;
			if (w->claim && w != r->manifest)
				claims = true;
		}
	}
	if (!work && r->nremoves == r->ndebris && !r->journal_found)
		return SG_OK;
	/* 2. The journal, before the first new path appears. */
	int e = make_dir(r, r->root);
	if (e) {
		io_fail(r, "", "create the directory", e);
		return SG_EIO;
	}
	if (claims && write_journal(r, fs) != SG_OK)
		return SG_EIO;
	/* 3. Scaffolds, durable (start_scaffolds), their fsyncs running
	 * during 4. */
	if (start_scaffolds(r) != SG_OK)
		return SG_EIO;
	/* 4. Generated files: the spec makes them again, no fsync. */
	if (put_generated(r) != SG_OK) {
		finish_scaffolds(r, true);
		return SG_EIO;
	}
	/* 3, finished: the scaffolds named, then their directories synced. */
	if (finish_scaffolds(r, false) != SG_OK || sync_dirs(r) != SG_OK)
		return SG_EIO;
	/* 5. Files no longer generated, and directories they leave empty. */
	for (size_t i = 0; i < r->nremoves - r->ndebris; i++) {
		wremove *x = &r->removes[i];
		if (unlinkat(x->dir->fd, x->name, 0) < 0 && errno != ENOENT) {
			io_fail(r, join(r, x->dir, x->name), "remove", errno);
			return SG_EIO;
		}
		r->st.removed++;
		for (wdir *d = x->dir; d != r->root && !d->needed; d = d->parent)
			if (unlinkat(d->parent->fd, d->base, AT_REMOVEDIR) < 0)
				break;
	}
	/* 6. manifest.json last, durable: it says which files are svcgen's. */
	if (r->manifest && (r->manifest->act == A_CREATE || r->manifest->act == A_REPLACE)) {
		if (put(r, r->manifest, SG_PUT_DURABLE) != SG_OK)
			return SG_EIO;
		r->root->sync = true;
		if (sync_dirs(r) != SG_OK)
			return SG_EIO;
	}
	/* 7. The journal has done its work. */
	if (r->journal_found && unlinkat(r->root->fd, SG_MANIFEST_JOURNAL_PATH, 0) < 0 &&
	    errno != ENOENT) {
		io_fail(r, SG_MANIFEST_JOURNAL_PATH, "remove", errno);
		return SG_EIO;
	}
	return SG_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The inputs stamp (stamp.c), once every file is in place: the tree is
 * the manifest's bytes and the executable generated files in the
 * manifest's order (by path, strcmp), whatever the set's order. */
static void stamp(run *r)
{
	const char **exec = sg_arena_calloc(r->arena, r->nfiles + 1, sizeof(*exec));
	size_t n = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const sg_file *f = r->files[i].f;
		if (f->kind == SG_FILE_GENERATED && f->executable && &r->files[i] != r->manifest)
			exec[n++] = f->path;
	}
	qsort(exec, n, sizeof(*exec), cmp_str);
	sg_sha256_ctx tree;
	sg_write__tree_begin(&tree, r->manifest->f->data, r->manifest->f->len);
	for (size_t i = 0; i < n; i++)
		sg_write__tree_exec(&tree, exec[i]);
	sg_write__stamp(r->root->fd, r->opts->inputs, &tree, r->opts->notes, r->opts->nnotes);
}

/* ---- the whole ------------------------------------------------------------------ */

static void finish(run *r)
{
	for (size_t i = 0; i < r->dirs.cap; i++) {
		wdir *d = r->dirs.keys[i] ? r->dirs.vals[i] : NULL;
		if (d && d->fd >= 0)
			close(d->fd);
	}
	free(r->buf);
}

int sg_write_fileset(sg_write_stats *stats, const sg_fileset *fs, const char *dir,
		     const sg_write_opts *opts, sg_diags *diags)
{
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!fs || !dir || !*dir || !diags)
		return SG_EUSAGE;
	sg_arena *arena = sg_arena_new();
	if (!arena)
		return SG_EUSAGE;
	run rr = {.arena = arena, .diags = diags, .dir = dir, .opts = opts};
	run *r = &rr;
	sg_strmap_init(&r->dirs, arena);
	r->root = dir_of(r, "", 0);
	r->files = sg_arena_calloc(arena, fs->count + 1, sizeof(*r->files));

	int rc = open_root(r);
	if (rc == SG_OK)
		rc = load_records(r);
	if (rc == SG_OK) {
		for (size_t i = 0; i < fs->count; i++) {
			wfile *w = &r->files[r->nfiles++];
			w->f = &fs->files[i];
			plan_file(r, w);
			if (!strcmp(w->f->path, SG_MANIFEST_PATH))
				r->manifest = w;
		}
		plan_orphans(r, fs, r->old, false);
		plan_orphans(r, fs, r->journal, true);
		plan_debris(r, fs);
		check_space(r);
		rc = r->failed ? SG_EIO : SG_OK;
	}
	/* Phase 2 only when phase 1 found nothing wrong: a failed generate
	 * changes nothing. */
	if (rc == SG_OK) {
		rc = commit(r, fs);
		if (r->failed)
			rc = SG_EIO;
	}
	if (rc == SG_OK && opts && opts->inputs && r->manifest)
		stamp(r);
	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].act == A_UNCHANGED && !r->failed)
			r->st.unchanged++;
		else if (r->files[i].act == A_KEEP)
			r->st.kept++;
	if (stats)
		*stats = r->st;
	finish(r);
	sg_arena_free(arena);
	return rc;
}
