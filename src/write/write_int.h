/*
 * write_int.h - what the files of src/write/ share (not installed).
 *
 * The system-call layer of the writer (write.c): one file put into a
 * directory, given as an open descriptor, atomically; and a small string
 * map (arena-backed) for the tree writer's directories and listings
 * (tree.c).
 */
#ifndef SVCGEN_WRITE_INT_H
#define SVCGEN_WRITE_INT_H

#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"
#include "svcgen/sha256.h"

/* Flags of sg_write__put. */
enum {
	SG_PUT_NEW = 1 << 0,        /* the target is believed absent: link it in
	                               directly (a file found there is replaced,
	                               unless SG_PUT_NO_CLOBBER) */
	SG_PUT_NO_CLOBBER = 1 << 1, /* never replace: an existing target wins */
	SG_PUT_EXEC = 1 << 2,       /* mode 0777 (less the umask), else 0666 */
	SG_PUT_DURABLE = 1 << 3,    /* fsync the bytes before they get a name */
};

/*
 * Put `len` bytes of `data` at `name` in directory `dirfd`, atomically:
 * an unnamed file (O_TMPFILE) linked in whole where the filesystem allows,
 * else a temporary SG_WRITE_TMP_PREFIX file renamed over the target.
 * Returns 0, or an errno value (nothing is left behind but, after a kill,
 * a temporary of that pattern).  `*existed` (SG_PUT_NO_CLOBBER) is set
 * when a file was there and was kept.
 */
int sg_write__put(bool *existed, int dirfd, const char *name, const void *data, size_t len,
		  int flags);

/*
 * The same in steps, so that many files can be made durable together
 * (their fsyncs after all their writes: one journal commit serves them
 * all): stage writes the bytes to a file with no final name yet, sync
 * fsyncs it, name gives it `name` (and closes it).  name returns -1 when
 * the staged file cannot be linked here after all (no /proc): stage again.
 * abort closes and removes a staged file.  Errors are errno values.
 */
typedef struct sg_staged {
	int fd;
	char tmp[32];   /* its temporary name, or "" for an unnamed file */
} sg_staged;

int sg_write__stage(sg_staged *s, int dirfd, const void *data, size_t len, int flags);
int sg_write__sync(sg_staged *s);
int sg_write__name(bool *existed, sg_staged *s, int dirfd, const char *name, int flags);
void sg_write__abort(sg_staged *s, int dirfd);

/*
 * fsync `n` descriptors together (syncer.c): start fsyncs them on up to
 * SG_SYNC_THREADS threads while the caller goes on; wait (which works
 * too, so it finishes even when no thread could start) returns 0 or the
 * errno of one failed fsync, `*failed` (optional) its index, or SIZE_MAX.
 * `fds` must stay valid and open until wait returns.  `lenient`: EINVAL
 * and EROFS are not failures (directories on filesystems that cannot
 * sync them).  From SG_SYNC_WHOLE descriptors on, one syncfs per
 * filesystem does it instead (syncer.c says why).
 */
/* Record failure `e` of item `i` unless one was recorded: across the
 * threads sharing `*failed` (SIZE_MAX until then), the first is kept;
 * `*err` is read once they are joined. */
static inline void sg_write__fail_once(size_t *failed, int *err, size_t i, int e)
{
	size_t none = SIZE_MAX;
	if (__atomic_compare_exchange_n(failed, &none, i, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED))
		*err = e;
}

#define SG_SYNC_THREADS 16
#define SG_SYNC_WHOLE 512  /* from this many (not lenient): syncfs instead */
typedef struct sg_syncer {
	const int *fds;
	size_t n;
	bool lenient;
	size_t next;            /* atomic */
	size_t failed;          /* atomic: SIZE_MAX, or the first failure's index */
	int err;
	size_t nthreads;
	pthread_t threads[SG_SYNC_THREADS];
} sg_syncer;

void sg_write__sync_start(sg_syncer *s, const int *fds, size_t n, bool lenient);
int sg_write__sync_wait(sg_syncer *s, size_t *failed);

/* Whether `name` is a temporary of svcgen's: SG_WRITE_TMP_PREFIX and six
 * characters of [A-Za-z0-9], nothing else. */
bool sg_write__is_tmp_name(const char *name);

/* fsync a directory by descriptor; 0 or an errno value. */
int sg_write__sync_dir(int dirfd);

/*
 * Read the file open as `fd` whole into `*buf` (malloc'd, grown as
 * needed, `*cap` bytes; aborts when out of memory, as the arena does).
 * Returns 1: read, `*len` bytes (one more is asked for, so a file still
 * growing reads longer than `st_size`); 0: not a regular file; 2: larger
 * than `limit`, nothing read (`*len` its size); -1: a read failed
 * (errno).  `*st` is the file's fstat.
 */
int sg_write__read_fd(char **buf, size_t *cap, size_t *len, struct stat *st, int fd,
		      size_t limit);

/* Whether `name` is a temporary of svcgen 0.1, "<stem>.tmp-XXXXXX" (six of
 * [A-Za-z0-9]); `*stem` is then the length of the name it stood for. */
bool sg_write__is_old_tmp_name(size_t *stem, const char *name);

/*
 * The inputs stamp (stamp.c): the extended attribute of manifest.json
 * that says which inputs key made the tree (sg_write_opts.inputs) and
 * which tree that was.  The tree hash is manifest.json's bytes, then the
 * path (with its NUL) of each generated file that is executable, in the
 * manifest's order (by path, byte order): tree_begin, tree_exec for
 * each, then stamp, which sets the attribute on `rootfd`'s manifest.json
 * with the key, the tree and the emitters' diagnostics `notes` where it
 * differs (failures ignored: it is a cache).
 */
#define SG_WRITE_STAMP_XATTR "user.svcgen.stamp"
void sg_write__tree_begin(sg_sha256_ctx *c, const char *manifest, size_t len);
void sg_write__tree_exec(sg_sha256_ctx *c, const char *path);
void sg_write__stamp(int rootfd, const char *inputs, sg_sha256_ctx *tree, const sg_diag *notes,
		     size_t nnotes);

/* A map from NUL-terminated strings (not copied) to pointers. */
typedef struct sg_strmap {
	sg_arena *arena;
	const char **keys;
	void **vals;
	size_t count, cap;   /* cap: 0 or a power of two, >= 2 * count */
} sg_strmap;

void sg_strmap_init(sg_strmap *m, sg_arena *arena);
/* The value of `key`, or NULL. */
void *sg_strmap_get(const sg_strmap *m, const char *key);
/* Set `key` (kept by pointer: it must outlive the map) to `val`. */
void sg_strmap_put(sg_strmap *m, const char *key, void *val);

#endif
