/*
 * stamp.c - the regenerate fast path: the inputs stamp on manifest.json
 * and sg_write_uptodate (write.h).
 *
 * A generate that wrote (or found) every file records, in the extended
 * attribute SG_WRITE_STAMP_XATTR of manifest.json, the run's inputs key
 * (sg_emit_inputs: build ID, spec bytes, outputs) and a hash of the tree
 * it left (the manifest's bytes and which generated files are
 * executable: the manifest itself lists every file's content hash).  A
 * later run with the same inputs key then only has to prove the tree is
 * still that one, reading each file once, instead of emitting
 * everything to compare.  Anything unexpected (no stamp, another key, a
 * journal, a temporary, a symbolic link on the way, a file that differs)
 * answers "not fresh", and the caller takes the full path, which decides
 * and reports.  An extended attribute rather than a field or a file: the
 * key changes with every build of svcgen, so in manifest.json it would
 * make the same spec give different bytes, and a file beside it would be
 * one more file in the user's repository; `cp`, `git` and `tar` drop it,
 * which only costs the next run the full path.  Why at all:
 * docs/design-notes.md, "The write path".
 */
#define _GNU_SOURCE /* O_NOFOLLOW with openat */
#include "svcgen/write.h"
#include "write_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "svcgen/error.h"
#include "svcgen/manifest.h"
#include "svcgen/sha256.h"

/*
 * The attribute's value: a line "1 <inputs> <tree>" (a version, then two
 * SHA-256 values in hex), then one line per recorded diagnostic,
 * "<severity> <line> <column> <code> <message>".
 */
#define HEAD_LEN (2 + 2 * (SG_SHA256_HEX_SIZE - 1) + 1)
#define VALUE_MAX 65536 /* Linux's limit for one attribute's value */

void sg_write__tree_begin(sg_sha256_ctx *c, const char *manifest, size_t len)
{
	sg_sha256_init(c);
	sg_sha256_update(c, "svcgen-tree 1", 13);
	sg_sha256_update(c, manifest, len);
}

void sg_write__tree_exec(sg_sha256_ctx *c, const char *path)
{
	sg_sha256_update(c, path, strlen(path) + 1); /* with its NUL: a separator */
}

static void format_head(char out[HEAD_LEN + 1], const char *inputs, sg_sha256_ctx *tree)
{
	uint8_t d[SG_SHA256_SIZE];
	char hex[SG_SHA256_HEX_SIZE];
	sg_sha256_final(d, tree);
	sg_sha256_to_hex(hex, d);
	snprintf(out, HEAD_LEN + 1, "1 %.64s %s", inputs, hex);
}

/* Open `name` in `dirfd` to read, following no link, blocking on nothing. */
static int open_at(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

void sg_write__stamp(int rootfd, const char *inputs, sg_sha256_ctx *tree, const sg_diag *notes,
		     size_t nnotes)
{
	char head[HEAD_LEN + 1];
	format_head(head, inputs, tree);
	sg_buf want = SG_BUF_INIT;
	sg_buf_puts(&want, head);
	for (size_t i = 0; i < nnotes; i++) {
		const sg_diag *d = &notes[i];
		/* One line each, or no stamp at all (the full path then runs). */
		if (d->severity == SG_SEV_ERROR || strpbrk(d->code, " \n") ||
		    strchr(d->message, '\n')) {
			sg_buf_free(&want);
			return;
		}
		sg_buf_printf(&want, "\n%d %u %u %s %s", (int)d->severity, (unsigned)d->pos.line,
			      (unsigned)d->pos.col, d->code, d->message);
	}
	int fd = want.len <= VALUE_MAX ? open_at(rootfd, SG_MANIFEST_PATH) : -1;
	if (fd >= 0) {
		char *have = malloc(want.len + 1);
		ssize_t n = have ? fgetxattr(fd, SG_WRITE_STAMP_XATTR, have, want.len + 1) : -1;
		/* Set only when it differs: an unchanged regenerate changes
		 * nothing, not even the manifest's ctime.  Failure (no extended
		 * attributes here, a file not ours to change, a value too long
		 * for the filesystem) only costs the fast path. */
		if (n != (ssize_t)want.len || memcmp(have, want.ptr, want.len))
			fsetxattr(fd, SG_WRITE_STAMP_XATTR, want.ptr, want.len, 0);
		free(have);
		close(fd);
	}
	sg_buf_free(&want);
}

/* ---- the proof ------------------------------------------------------------------ */

typedef struct proof {
	sg_arena *arena;
	int rootfd;
	sg_strmap dirs;  /* rel -> (int fd) + 1, opened and listed */
	char *buf;       /* sg_write__read_fd's */
	size_t cap;
} proof;

/* Whether a directory listing holds a leftover of an interrupted run:
 * a temporary of ours, or svcgen 0.1's "<name>.tmp-XXXXXX". */
static bool debris_in(int fd)
{
	int dup_fd = dup(fd);
	DIR *dp = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!dp) {
		if (dup_fd >= 0)
			close(dup_fd);
		return true;
	}
	bool found = false;
	struct dirent *de;
	size_t stem;
	while (!found && (de = readdir(dp)) != NULL)
		found = sg_write__is_tmp_name(de->d_name) ||
			sg_write__is_old_tmp_name(&stem, de->d_name);
	closedir(dp);
	return found;
}

/* The descriptor of directory `rel` (length `len`), every component
 * opened without following symbolic links (the full path decides
 * about those) and listed once for debris; -1 when that fails. */
static int dir_fd(proof *p, const char *rel, size_t len)
{
	if (len == 0)
		return p->rootfd;
	char *key = sg_arena_strndup(p->arena, rel, len);
	intptr_t v = (intptr_t)sg_strmap_get(&p->dirs, key);
	if (v)
		return (int)(v - 1);
	const char *slash = strrchr(key, '/');
	int parent = dir_fd(p, key, slash ? (size_t)(slash - key) : 0);
	if (parent < 0)
		return -1;
	int fd = openat(parent, slash ? slash + 1 : key,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && debris_in(fd)) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		sg_strmap_put(&p->dirs, key, (void *)(intptr_t)(fd + 1));
	return fd;
}

/* Read regular file `fd` (closed here) whole into p->buf.  -1 if it is
 * not one, cannot be read, or is not the size fstat said. */
static ssize_t read_whole(proof *p, int fd, struct stat *st)
{
	if (fd < 0)
		return -1;
	size_t len;
	int got = sg_write__read_fd(&p->buf, &p->cap, &len, st, fd, SIZE_MAX - 1);
	close(fd);
	return got == 1 && len == (size_t)st->st_size ? (ssize_t)len : -1;
}

/* The recorded diagnostics (the value after its first line) added to
 * `replay`; false if one is malformed (then none is added: the caller
 * takes the full path, which reports them itself). */
static bool replay_notes(sg_diags *replay, char *v)
{
	size_t first = replay->count, warnings = replay->warnings;
	for (char *line = v; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		int sev, used = 0;
		unsigned ln, col;
		if (sscanf(line, "%d %u %u %n", &sev, &ln, &col, &used) != 3 || !used ||
		    (sev != SG_SEV_WARNING && sev != SG_SEV_NOTE)) {
			replay->count = first;
			replay->warnings = warnings;
			return false;
		}
		char *code = line + used, *msg = strchr(code, ' ');
		if (!msg || msg == code) {
			replay->count = first;
			replay->warnings = warnings;
			return false;
		}
		*msg++ = '\0';
		sg_diag_add(replay, (sg_severity)sev, sg_arena_strdup(replay->arena, code),
			    (sg_pos){ln, col}, "%s", msg);
		line = end ? end + 1 : NULL;
	}
	return true;
}

static bool prove(proof *p, sg_write_stats *st, sg_diags *replay, const char *inputs)
{
	/* A journal means an interrupted run: its claims are the full path's. */
	struct stat sb;
	if (fstatat(p->rootfd, SG_MANIFEST_JOURNAL_PATH, &sb, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT || debris_in(p->rootfd))
		return false;
	int mfd = open_at(p->rootfd, SG_MANIFEST_PATH);
	if (mfd < 0)
		return false;
	char *value = sg_arena_alloc(p->arena, VALUE_MAX + 1);
	ssize_t n = fgetxattr(mfd, SG_WRITE_STAMP_XATTR, value, VALUE_MAX);
	if (n < HEAD_LEN || strncmp(value, "1 ", 2) || strncmp(value + 2, inputs, 64) ||
	    (n > HEAD_LEN && value[HEAD_LEN] != '\n')) {
		close(mfd);
		return false;
	}
	value[n] = '\0';
	ssize_t mlen = read_whole(p, mfd, &sb); /* the same file the stamp came from */
	if (mlen < 0)
		return false;
	sg_manifest *m = NULL;
	if (sg_manifest_parse(&m, NULL, p->arena, p->buf, (size_t)mlen) != SG_OK || !m)
		return false;
	sg_sha256_ctx tree;
	sg_write__tree_begin(&tree, p->buf, (size_t)mlen);
	size_t generated = 0, scaffolds = 0;
	for (size_t i = 0; i < m->count; i++) {
		const sg_manifest_file *f = &m->files[i];
		const char *slash = strrchr(f->path, '/');
		int dfd = dir_fd(p, f->path, slash ? (size_t)(slash - f->path) : 0);
		const char *name = slash ? slash + 1 : f->path;
		if (dfd < 0)
			return false;
		if (f->kind == SG_FILE_SCAFFOLD) {
			/* The user's once written: it need only be there, and not
			 * be a directory (the full path refuses that). */
			if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(sb.st_mode))
				return false;
			scaffolds++;
			continue;
		}
		ssize_t len = read_whole(p, open_at(dfd, name), &sb);
		if (len < 0)
			return false;
		char hex[SG_SHA256_HEX_SIZE];
		sg_sha256_hex(hex, p->buf, (size_t)len);
		if (strcmp(hex, f->sha256))
			return false;
		if (sb.st_mode & S_IXUSR)
			sg_write__tree_exec(&tree, f->path);
		generated++;
	}
	char head[HEAD_LEN + 1];
	format_head(head, inputs, &tree);
	if (memcmp(value, head, HEAD_LEN))
		return false; /* the manifest or an executable bit changed */
	if (!replay_notes(replay, value + HEAD_LEN + (n > HEAD_LEN)))
		return false;
	st->unchanged = generated + 1; /* manifest.json too, as the full path counts */
	st->kept = scaffolds;
	return true;
}

int sg_write_uptodate(bool *fresh, sg_write_stats *stats, sg_diags *replay, const char *dir,
		      const char *inputs)
{
	if (!fresh)
		return SG_EUSAGE;
	*fresh = false;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!replay || !dir || !*dir || !inputs || strlen(inputs) != SG_SHA256_HEX_SIZE - 1)
		return SG_EUSAGE;
	proof p = {.arena = sg_arena_new(), .rootfd = -1};
	if (!p.arena)
		return SG_EUSAGE;
	sg_strmap_init(&p.dirs, p.arena);
	sg_write_stats st = {0};
	p.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.rootfd >= 0 && prove(&p, &st, replay, inputs)) {
		*fresh = true;
		if (stats)
			*stats = st;
	}
	for (size_t i = 0; i < p.dirs.cap; i++)
		if (p.dirs.keys[i])
			close((int)((intptr_t)p.dirs.vals[i] - 1));
	if (p.rootfd >= 0)
		close(p.rootfd);
	free(p.buf);
	sg_arena_free(p.arena);
	return SG_OK;
}
