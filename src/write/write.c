/*
 * write.c - one file onto the disk, atomically (sg_write_file, write.h,
 * and the writer's system-call layer, write_int.h).
 *
 * A file gets its name only once it is whole.  Where the filesystem has
 * O_TMPFILE (ext4, xfs, btrfs, tmpfs), the bytes go to an unnamed file
 * that linkat(2) then names: a kill before that leaves nothing at all.
 * linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; without it the same
 * file is linked through /proc/self/fd.  A name that exists is replaced by
 * linking under a temporary name and rename(2) over it (POSIX makes the
 * rename atomic; linkat cannot replace).  Without O_TMPFILE (or /proc),
 * the bytes go to a named temporary from the start.  Temporaries are
 * named SG_WRITE_TMP_PREFIX + 6 characters, the one pattern the next run
 * removes (tree.c).
 */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include "svcgen/write.h"
#include "write_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "svcgen/error.h"

/* ---- temporaries ------------------------------------------------------------ */

static const char tmp_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
#define TMP_RANDOM 6

bool sg_write__is_tmp_name(const char *name)
{
	size_t n = strlen(SG_WRITE_TMP_PREFIX);
	if (strncmp(name, SG_WRITE_TMP_PREFIX, n) || strlen(name) != n + TMP_RANDOM)
		return false;
	for (const char *p = name + n; *p; p++)
		if (!strchr(tmp_alphabet, *p))
			return false;
	return true;
}

/* A fresh temporary name into `buf` (at least 32 bytes).  Names need only
 * be unlikely to collide: creation is O_EXCL and retried.  The state is
 * per thread: the tree writer puts files from several (tree.c). */
static void tmp_name(char *buf)
{
	static __thread uint64_t state;
	if (!state) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
			((uint64_t)getpid() << 40) ^ 0x9e3779b97f4a7c15ull;
	}
	size_t n = strlen(SG_WRITE_TMP_PREFIX);
	memcpy(buf, SG_WRITE_TMP_PREFIX, n);
	for (int i = 0; i < TMP_RANDOM; i++) {
		/* xorshift64* */
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		uint64_t r = state * 2685821657736338717ull;
		buf[n + i] = tmp_alphabet[(r >> 33) % (sizeof(tmp_alphabet) - 1)];
	}
	buf[n + TMP_RANDOM] = '\0';
}

static int open_named_tmp(char *name, int dirfd, mode_t mode)
{
	for (int tries = 0; tries < 64; tries++) {
		tmp_name(name);
		int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* ---- linking an unnamed file -------------------------------------------- */

/* Whether linkat(AT_EMPTY_PATH) was refused once (no capability): then
 * /proc/self/fd is used directly; and whether that failed too (no /proc):
 * then unnamed files are not used at all.  Shared by the writer's
 * threads: set once, read relaxed (a thread that has not seen it yet
 * only tries the refused way once more). */
static bool empty_path_refused, proc_refused;

static bool seen(const bool *flag)
{
	return __atomic_load_n(flag, __ATOMIC_RELAXED);
}

static void set(bool *flag)
{
	__atomic_store_n(flag, true, __ATOMIC_RELAXED);
}

static int link_unnamed(int fd, int dirfd, const char *name)
{
	if (!seen(&empty_path_refused)) {
		if (linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno != ENOENT && errno != EPERM)
			return -1;
		set(&empty_path_refused);
	}
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno == ENOENT)
		set(&proc_refused);
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* O_TMPFILE errors that mean "not on this filesystem or kernel". */
static bool no_tmpfile(int e)
{
	return e == EOPNOTSUPP || e == EISDIR || e == EINVAL || e == ENOENT;
}

int sg_write__stage(sg_staged *s, int dirfd, const void *data, size_t len, int flags)
{
	mode_t mode = (flags & SG_PUT_EXEC) ? 0777 : 0666; /* less the umask */
	s->tmp[0] = '\0';
	s->fd = seen(&proc_refused) ? -1 : openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (s->fd < 0) {
		if (!seen(&proc_refused) && !no_tmpfile(errno))
			return errno;
		s->fd = open_named_tmp(s->tmp, dirfd, mode);
		if (s->fd < 0)
			return errno;
	}
	int e = write_all(s->fd, data, len);
	if (e)
		sg_write__abort(s, dirfd);
	return e;
}

int sg_write__sync(sg_staged *s)
{
	return fsync(s->fd) < 0 ? errno : 0;
}

void sg_write__abort(sg_staged *s, int dirfd)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->tmp[0])
		unlinkat(dirfd, s->tmp, 0);
	s->tmp[0] = '\0';
}

/* Give the unnamed file its name.  0, -1 (no way to link it here: stage
 * again, named), or an errno value. */
static int name_unnamed(bool *existed, int fd, int dirfd, const char *name, int flags)
{
	if (flags & (SG_PUT_NEW | SG_PUT_NO_CLOBBER)) {
		if (link_unnamed(fd, dirfd, name) == 0)
			return 0;
		if (seen(&proc_refused))
			return -1;
		if (errno != EEXIST)
			return errno;
		if (flags & SG_PUT_NO_CLOBBER) {
			*existed = true;
			return 0;
		}
	}
	/* linkat cannot replace: link under a temporary name, rename over. */
	char tmp[32];
	for (int tries = 0;; tries++) {
		tmp_name(tmp);
		if (link_unnamed(fd, dirfd, tmp) == 0)
			break;
		if (seen(&proc_refused))
			return -1;
		if (errno != EEXIST || tries == 63)
			return errno;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return e;
	}
	return 0;
}

int sg_write__name(bool *existed, sg_staged *s, int dirfd, const char *name, int flags)
{
	bool dummy;
	if (!existed)
		existed = &dummy;
	*existed = false;
	int e;
	if (!s->tmp[0]) {
		e = name_unnamed(existed, s->fd, dirfd, name, flags);
		if (e < 0) {
			sg_write__abort(s, dirfd);
			return -1;
		}
	} else if (flags & SG_PUT_NO_CLOBBER) {
		/* link() fails if the target exists: never clobber. */
		e = linkat(dirfd, s->tmp, dirfd, name, 0) < 0 ? errno : 0;
		if (e == EEXIST) {
			*existed = true;
			e = 0;
		}
		unlinkat(dirfd, s->tmp, 0);
	} else {
		e = renameat(dirfd, s->tmp, dirfd, name) < 0 ? errno : 0;
		if (e)
			unlinkat(dirfd, s->tmp, 0);
	}
	s->tmp[0] = '\0';
	if (close(s->fd) < 0 && !e)
		e = errno;
	s->fd = -1;
	return e;
}

int sg_write__put(bool *existed, int dirfd, const char *name, const void *data, size_t len,
		  int flags)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		sg_staged s;
		int e = sg_write__stage(&s, dirfd, data, len, flags);
		if (!e && (flags & SG_PUT_DURABLE))
			e = sg_write__sync(&s);
		if (e) {
			sg_write__abort(&s, dirfd);
			return e;
		}
		e = sg_write__name(existed, &s, dirfd, name, flags);
		if (e >= 0)
			return e;
		/* -1: unnamed files cannot be linked here; now named. */
	}
	return EOPNOTSUPP;
}

int sg_write__read_fd(char **buf, size_t *cap, size_t *len, struct stat *st, int fd,
		      size_t limit)
{
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode))
		return 0;
	size_t size = (size_t)st->st_size;
	*len = size;
	if (size > limit) /* differs whatever it holds; nothing to read */
		return 2;
	if (size + 1 > *cap) {
		free(*buf);
		*cap = size + 1 < 65536 ? 65536 : size + 1;
		*buf = malloc(*cap);
		if (!*buf) {
			fputs("svcgen: out of memory\n", stderr);
			abort();
		}
	}
	size_t got = 0;
	for (;;) { /* one byte more than the size: a file still growing reads longer */
		ssize_t n = read(fd, *buf + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || (got += (size_t)n) > size)
			break;
	}
	*len = got;
	return 1;
}

bool sg_write__is_old_tmp_name(size_t *stem, const char *name)
{
	size_t n = strlen(name);
	if (n <= 11 || strncmp(name + n - 11, ".tmp-", 5))
		return false;
	for (const char *p = name + n - 6; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return false;
	*stem = n - 11;
	return true;
}

int sg_write__sync_dir(int dirfd)
{
	return fsync(dirfd) < 0 && errno != EINVAL && errno != EROFS ? errno : 0;
}

/* ---- one file by path ----------------------------------------------------- */

static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

int sg_write_file(bool *written, sg_diags *diags, const char *path, const void *data,
		  size_t len, int flags)
{
	if (written)
		*written = false;
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	const char *name = path;
	if (slash) {
		size_t n = (size_t)(slash - path);
		if (n >= sizeof(dir))
			return io_error(diags, "write", path, ENAMETOOLONG);
		memcpy(dir, path, n);
		dir[n ? n : 1] = '\0';
		if (!n)
			dir[0] = '/';
		name = slash + 1;
	} else {
		strcpy(dir, ".");
	}
	if (!*name)
		return io_error(diags, "write", path, EISDIR);
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return io_error(diags, "write", path, errno);
	int pf = ((flags & SG_WRITE_NO_OVERWRITE) ? SG_PUT_NO_CLOBBER : 0) |
		 ((flags & SG_WRITE_EXECUTABLE) ? SG_PUT_EXEC : 0) |
		 ((flags & SG_WRITE_DURABLE) ? SG_PUT_DURABLE : 0);
	bool existed = false;
	int e = sg_write__put(&existed, dirfd, name, data, len, pf);
	if (!e && !existed && (flags & SG_WRITE_DURABLE))
		e = sg_write__sync_dir(dirfd);
	close(dirfd);
	if (e)
		return io_error(diags, "write", path, e);
	if (written)
		*written = !existed;
	return SG_OK;
}

/* ---- string map -------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void sg_strmap_init(sg_strmap *m, sg_arena *arena)
{
	memset(m, 0, sizeof(*m));
	m->arena = arena;
}

static size_t strmap_slot(const sg_strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)hash_str(key) & mask;; i = (i + 1) & mask)
		if (!m->keys[i] || !strcmp(m->keys[i], key))
			return i;
}

void *sg_strmap_get(const sg_strmap *m, const char *key)
{
	if (!m->count)
		return NULL;
	size_t i = strmap_slot(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

void sg_strmap_put(sg_strmap *m, const char *key, void *val)
{
	if (2 * (m->count + 1) > m->cap) {
		sg_strmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->keys = sg_arena_calloc(m->arena, m->cap, sizeof(*m->keys));
		m->vals = sg_arena_calloc(m->arena, m->cap, sizeof(*m->vals));
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				size_t j = strmap_slot(m, old.keys[i]);
				m->keys[j] = old.keys[i];
				m->vals[j] = old.vals[i];
			}
	}
	size_t i = strmap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->count++;
	}
	m->vals[i] = val;
}
