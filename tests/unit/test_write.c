/*
 * test_write.c - the write module (write.h) and the file set's index:
 * unchanged files untouched (mtimes too), every destination checked before
 * the first write (a failed generate changes nothing), files DIR's manifest
 * does not list never overwritten, FIFOs refused without a hang, what an
 * interrupted run leaves cleaned by the next, files no longer generated
 * removed, modes that follow the umask, and the regenerate fast path
 * (sg_write_uptodate): fresh only for the tree its inputs key left, and
 * the syncer (many fsyncs at once, or one syncfs for a large batch, its
 * failures reported by index).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "svcgen/emit.h"
#include "svcgen/fileset.h"
#include "svcgen/manifest.h"
#include "svcgen/readfile.h"
#include "svcgen/sha256.h"
#include "svcgen/write.h"
#include "../../src/write/write_int.h"

#define SPEC_HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct disk {
	sg_arena *arena;
	sg_diags diags;
	char dir[64];
} disk;

static int setup(void **state)
{
	disk *d = calloc(1, sizeof(*d));
	d->arena = sg_arena_new();
	sg_diags_init(&d->diags, d->arena, "t.yaml");
	strcpy(d->dir, "/tmp/svcgen-test-write-XXXXXX");
	if (!mkdtemp(d->dir))
		return -1;
	umask(022);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	disk *d = *state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", d->dir, d->dir);
	if (system(cmd) != 0)
		return -1;
	sg_arena_free(d->arena);
	free(d);
	umask(022);
	return 0;
}

static const char *at(disk *d, const char *rel)
{
	return sg_arena_printf(d->arena, "%s/%s", d->dir, rel);
}

static void put(disk *d, const char *rel, const char *text)
{
	FILE *f = fopen(at(d, rel), "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *slurp(disk *d, const char *rel)
{
	const char *data;
	size_t len;
	sg_diags q;
	sg_diags_init(&q, d->arena, rel);
	if (sg_read_file(&data, &len, NULL, d->arena, &q, at(d, rel), 1u << 20) != SG_OK)
		return NULL;
	return data;
}

static bool exists(disk *d, const char *rel)
{
	struct stat st;
	return lstat(at(d, rel), &st) == 0;
}

/* A small service's file set, version `v`, manifest included. */
static sg_fileset service(disk *d, int v)
{
	sg_fileset fs;
	sg_fileset_init(&fs, d->arena);
	char *tpl = sg_arena_printf(d->arena, "{\"v\": %d}\n", v);
	sg_fileset_add(&fs, "cloudformation/template.json", tpl, strlen(tpl), SG_FILE_GENERATED);
	sg_fileset_add(&fs, "terraform/variables.tf", "variable \"region\" {}\n", 21,
		       SG_FILE_GENERATED);
	sg_fileset_add(&fs, "iam/a.json", "{\"a\": 1}\n", 9, SG_FILE_GENERATED);
	if (v < 3)
		sg_fileset_add(&fs, "iam/b.json", "{\"b\": 1}\n", 9, SG_FILE_GENERATED);
	sg_fileset_add(&fs, "handlers/src/a.c", "int a;\n", 7, SG_FILE_SCAFFOLD);
	sg_fileset_add(&fs, "handlers/build.sh", "#!/bin/sh\n", 10, SG_FILE_GENERATED);
	fs.files[fs.count - 1].executable = true;
	sg_manifest_add(&fs, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&fs);
	return fs;
}

static int gen(disk *d, const sg_fileset *fs, bool force, sg_write_stats *st)
{
	sg_write_opts o = {.force = force};
	return sg_write_fileset(st, fs, d->dir, &o, &d->diags);
}

/* ---- a picture of the tree: every entry, its type, mode, size, mtime and
 * bytes, to tell "nothing changed" exactly. ---------------------------------- */

static sg_buf *snap_buf;
static size_t snap_root;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	sg_buf_printf(snap_buf, "%s %o %lld %lld.%09ld", path + snap_root, (unsigned)st->st_mode,
		      (long long)st->st_size, (long long)st->st_mtim.tv_sec,
		      st->st_mtim.tv_nsec);
	if (S_ISREG(st->st_mode)) {
		FILE *f = fopen(path, "rb");
		char buf[4096];
		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		char hex[SG_SHA256_HEX_SIZE];
		sg_sha256_hex(hex, buf, n);
		sg_buf_printf(snap_buf, " %s", hex);
	}
	sg_buf_puts(snap_buf, "\n");
	return 0;
}

static const char *snapshot(disk *d)
{
	sg_buf b = SG_BUF_INIT;
	snap_buf = &b;
	snap_root = strlen(d->dir);
	assert_int_equal(nftw(d->dir, snap_one, 16, FTW_PHYS), 0);
	size_t len;
	return sg_buf_to_arena(&b, d->arena, &len);
}

/* Every file's mtime one hour back, so a rewrite shows. */
static int age_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	struct timeval tv[2];
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= 3600;
	tv[1] = tv[0];
	lutimes(path, tv);
	return 0;
}

static void age(disk *d)
{
	nftw(d->dir, age_one, 16, FTW_PHYS);
}

static bool has_code(const disk *d, const char *code)
{
	for (size_t i = 0; i < d->diags.count; i++)
		if (!strcmp(d->diags.items[i].code, code))
			return true;
	return false;
}

/* ---- the file set ---------------------------------------------------------------- */

static void test_fileset_index(void **state)
{
	(void)state;
	sg_arena *a = sg_arena_new();
	sg_fileset fs;
	sg_fileset_init(&fs, a);
	assert_null(sg_fileset_get(&fs, "x"));
	enum { N = 20000 };
	for (int i = N - 1; i >= 0; i--) {
		char p[64];
		snprintf(p, sizeof(p), "handlers/src/fn_%05d.c", i);
		assert_int_equal(sg_fileset_add(&fs, p, p, strlen(p), SG_FILE_SCAFFOLD), SG_OK);
	}
	assert_int_equal(fs.count, N);
	/* Adding a path again replaces it. */
	assert_int_equal(sg_fileset_add(&fs, "handlers/src/fn_00007.c", "new", 3,
					SG_FILE_GENERATED), SG_OK);
	assert_int_equal(fs.count, N);
	assert_string_equal(sg_fileset_get(&fs, "handlers/src/fn_00007.c")->data, "new");
	assert_int_equal(sg_fileset_get(&fs, "handlers/src/fn_00007.c")->kind, SG_FILE_GENERATED);
	sg_fileset_sort(&fs);
	assert_string_equal(fs.files[0].path, "handlers/src/fn_00000.c");
	for (int i = 0; i < N; i++) {
		char p[64];
		snprintf(p, sizeof(p), "handlers/src/fn_%05d.c", i);
		const sg_file *f = sg_fileset_get(&fs, p);
		assert_non_null(f);
		assert_string_equal(f->path, p);
	}
	assert_null(sg_fileset_get(&fs, "handlers/src/fn_20000.c"));
	assert_int_equal(sg_fileset_add(&fs, "../x", "", 0, SG_FILE_GENERATED), SG_EUSAGE);
	sg_arena_free(a);
}

/* ---- unchanged bytes, unchanged files --------------------------------------------- */

static void test_unchanged_writes_nothing(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	sg_write_stats st;
	assert_int_equal(gen(d, &v1, false, &st), SG_OK);
	assert_int_equal(st.written, v1.count);
	age(d);
	const char *before = snapshot(d);
	assert_int_equal(gen(d, &v1, false, &st), SG_OK);
	assert_int_equal(st.written, 0);
	assert_int_equal(st.unchanged, v1.count - 1);
	assert_int_equal(st.kept, 1);
	assert_string_equal(snapshot(d), before);

	/* A change rewrites exactly the files whose bytes changed. */
	sg_fileset v2 = service(d, 2);
	assert_int_equal(gen(d, &v2, false, &st), SG_OK);
	assert_int_equal(st.written, 2); /* the template and the manifest */
	struct stat a, t;
	assert_int_equal(stat(at(d, "iam/a.json"), &a), 0);
	assert_int_equal(stat(at(d, "cloudformation/template.json"), &t), 0);
	assert_true(t.st_mtime > a.st_mtime + 1800);
	assert_string_equal(slurp(d, "cloudformation/template.json"), "{\"v\": 2}\n");
	assert_int_equal(d->diags.errors, 0);
}

/* ---- phase 1: nothing changes when any destination is wrong ------------------------ */

static void test_failed_generate_changes_nothing(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	/* terraform/ must be a directory: make it a plain file. */
	assert_int_equal(system(sg_arena_printf(d->arena, "rm -rf '%s'", at(d, "terraform"))), 0);
	put(d, "terraform", "not a directory\n");
	put(d, ".svcgen-tmp.AbC123", "debris"); /* not even cleaned on failure */
	age(d);
	const char *before = snapshot(d);
	sg_fileset v2 = service(d, 2);
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_true(has_code(d, "output-conflict"));
	assert_string_equal(snapshot(d), before);
	/* The template (sorted before terraform/) was not replaced, nor the
	 * manifest. */
	assert_string_equal(slurp(d, "cloudformation/template.json"), "{\"v\": 1}\n");
}

static void test_fifo_destinations(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	/* A FIFO where a generated file goes: refused, not opened for a read
	 * that would wait for a writer. */
	assert_int_equal(unlink(at(d, "iam/a.json")), 0);
	assert_int_equal(mkfifo(at(d, "iam/a.json"), 0644), 0);
	const char *before = snapshot(d);
	sg_fileset v2 = service(d, 2);
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_string_equal(snapshot(d), before);
	assert_int_equal(unlink(at(d, "iam/a.json")), 0);
	/* manifest.json a FIFO: an "io" error, at once. */
	assert_int_equal(unlink(at(d, SG_MANIFEST_PATH)), 0);
	assert_int_equal(mkfifo(at(d, SG_MANIFEST_PATH), 0644), 0);
	d->diags.count = d->diags.errors = 0;
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_true(has_code(d, "io"));
	assert_non_null(strstr(d->diags.items[0].message, "FIFO"));
	/* check reads the manifest and generated files the same way. */
	sg_manifest *m = NULL;
	assert_int_equal(sg_manifest_load(&m, d->arena, &d->diags, d->dir), SG_EIO);
}

static void test_read_file_refuses_special(void **state)
{
	disk *d = *state;
	const char *data;
	size_t len;
	assert_int_equal(mkfifo(at(d, "spec.yaml"), 0644), 0);
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, at(d, "spec.yaml"),
				      100), SG_EIO);
	assert_non_null(strstr(d->diags.items[0].message, "a FIFO, not a regular file"));
	assert_int_equal(sg_read_file(&data, &len, NULL, d->arena, &d->diags, "/dev/null", 100),
			 SG_EIO);
	assert_non_null(strstr(d->diags.items[1].message, "a character device"));
}

/* ---- whose files ---------------------------------------------------------------------- */

static void test_never_overwrites_users_files(void **state)
{
	disk *d = *state;
	/* A directory no generate wrote, with a file where svcgen writes one:
	 * refused, nothing changed. */
	assert_int_equal(mkdir(at(d, "terraform"), 0755), 0);
	put(d, "terraform/variables.tf", "mine\n");
	put(d, "terraform/main.tf", "mine too\n");
	const char *before = snapshot(d);
	sg_fileset v1 = service(d, 1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_EIO);
	assert_true(has_code(d, "output-conflict"));
	assert_string_equal(snapshot(d), before);
	/* --force writes into it. */
	d->diags.count = d->diags.errors = 0;
	assert_int_equal(gen(d, &v1, true, NULL), SG_OK);
	assert_string_equal(slurp(d, "terraform/main.tf"), "mine too\n");
	/* With a manifest: a file it does not list is the user's. */
	put(d, "iam/c.json", "mine\n");
	sg_fileset v2 = service(d, 2);
	sg_fileset_add(&v2, "iam/c.json", "{}\n", 3, SG_FILE_GENERATED);
	sg_manifest_add(&v2, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&v2);
	before = snapshot(d);
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_string_equal(snapshot(d), before);
	/* ... unless it already holds exactly svcgen's bytes. */
	put(d, "iam/c.json", "{}\n");
	d->diags.count = d->diags.errors = 0;
	assert_int_equal(gen(d, &v2, false, NULL), SG_OK);
	assert_int_equal(d->diags.errors, 0);
	/* A manifest.json that is not svcgen's is not overwritten. */
	put(d, SG_MANIFEST_PATH, "{\"name\": \"my package\"}\n");
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_string_equal(slurp(d, SG_MANIFEST_PATH), "{\"name\": \"my package\"}\n");
}

/* A directory no generate wrote that is its user's repository (the spec,
 * a README, a .gitignore, a committed scaffold): written into, the user's
 * files untouched, the scaffold kept; and generated again as any other. */
static void test_users_repository(void **state)
{
	disk *d = *state;
	put(d, "service.yaml", "svcgen: 1\n");
	put(d, "README.md", "# mine\n");
	put(d, ".gitignore", "/iam/\n");
	assert_int_equal(mkdir(at(d, "handlers"), 0755), 0);
	assert_int_equal(mkdir(at(d, "handlers/src"), 0755), 0);
	put(d, "handlers/src/a.c", "int mine;\n");
	sg_fileset v1 = service(d, 1);
	sg_write_stats st;
	assert_int_equal(gen(d, &v1, false, &st), SG_OK);
	assert_int_equal(d->diags.errors, 0);
	assert_string_equal(slurp(d, "service.yaml"), "svcgen: 1\n");
	assert_string_equal(slurp(d, "README.md"), "# mine\n");
	assert_string_equal(slurp(d, ".gitignore"), "/iam/\n");
	assert_string_equal(slurp(d, "handlers/src/a.c"), "int mine;\n");
	assert_string_equal(slurp(d, "iam/a.json"), "{\"a\": 1}\n");
	/* The next generate removes what the spec no longer makes, and only that. */
	sg_fileset v3 = service(d, 3);
	assert_int_equal(gen(d, &v3, false, NULL), SG_OK);
	assert_int_equal(d->diags.errors, 0);
	assert_int_equal(access(at(d, "iam/b.json"), F_OK), -1);
	assert_string_equal(slurp(d, "README.md"), "# mine\n");
	assert_string_equal(slurp(d, "service.yaml"), "svcgen: 1\n");
}

static void test_symlink_outside_refused(void **state)
{
	disk *d = *state;
	char other[64];
	strcpy(other, "/tmp/svcgen-test-elsewhere-XXXXXX");
	assert_non_null(mkdtemp(other));
	sg_fileset v1 = service(d, 1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	assert_int_equal(system(sg_arena_printf(d->arena, "rm -rf '%s'", at(d, "iam"))), 0);
	assert_int_equal(symlink(other, at(d, "iam")), 0);
	assert_int_equal(gen(d, &v1, false, NULL), SG_EIO);
	assert_true(has_code(d, "output-conflict"));
	struct stat st;
	assert_int_equal(stat(sg_arena_printf(d->arena, "%s/a.json", other), &st), -1);
	/* A link to a directory inside the output is followed. */
	assert_int_equal(unlink(at(d, "iam")), 0);
	assert_int_equal(mkdir(at(d, "policies"), 0755), 0);
	assert_int_equal(symlink("policies", at(d, "iam")), 0);
	d->diags.count = d->diags.errors = 0;
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	assert_true(exists(d, "policies/a.json"));
	rmdir(other);
}

/* ---- interrupted runs ------------------------------------------------------------------ */

static void test_interrupted_run_recovered(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	/* What a run writing v2 plus a new file leaves when killed after the
	 * journal and the new file, before the manifest: the journal says the
	 * new file is svcgen's. */
	sg_fileset v2 = service(d, 2);
	sg_fileset_add(&v2, "iam/new.json", "{\"n\": 1}\n", 9, SG_FILE_GENERATED);
	sg_manifest_add(&v2, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&v2);
	const sg_file *m2 = sg_fileset_get(&v2, SG_MANIFEST_PATH);
	FILE *f = fopen(at(d, SG_MANIFEST_JOURNAL_PATH), "wb");
	fwrite(m2->data, 1, m2->len, f);
	fclose(f);
	put(d, "iam/new.json", "{\"n\": 1}\n");
	/* Temporaries of this svcgen and of earlier ones, and look-alikes
	 * that are the user's. */
	put(d, "iam/.svcgen-tmp.Zx81Qa", "{\"half");
	put(d, ".svcgen-tmp.00000a", "{");
	put(d, "iam/a.json.tmp-AbC123", "{\"a\"");
	put(d, "iam/.svcgen-tmp.notmine", "mine");
	put(d, "iam/mine.json.tmp-AbC123", "mine");

	/* check meanwhile: the new file is svcgen's (not hand-edited). */
	sg_manifest *old = NULL;
	assert_int_equal(sg_manifest_load(&old, d->arena, &d->diags, d->dir), SG_OK);
	sg_check_report r;
	assert_int_equal(sg_manifest_check(&r, d->arena, &d->diags, &v2, d->dir, old), SG_OK);
	assert_int_equal(r.counts[SG_CHECK_HAND_EDITED], 0);

	sg_write_stats st;
	assert_int_equal(gen(d, &v2, false, &st), SG_OK);
	assert_int_equal(d->diags.errors, 0);
	assert_int_equal(st.debris, 3);
	assert_false(exists(d, "iam/.svcgen-tmp.Zx81Qa"));
	assert_false(exists(d, ".svcgen-tmp.00000a"));
	assert_false(exists(d, "iam/a.json.tmp-AbC123"));
	assert_true(exists(d, "iam/.svcgen-tmp.notmine"));
	assert_true(exists(d, "iam/mine.json.tmp-AbC123"));
	assert_false(exists(d, SG_MANIFEST_JOURNAL_PATH));
	assert_int_equal(sg_manifest_load(&old, d->arena, &d->diags, d->dir), SG_OK);
	assert_non_null(sg_manifest_find(old, "iam/new.json"));
	assert_int_equal(sg_manifest_check(&r, d->arena, &d->diags, &v2, d->dir, old), SG_OK);
	assert_int_equal(r.count, 0);

	/* A first generate killed before its manifest: the directory holds
	 * files and a journal, and the next run takes it without --force. */
	assert_int_equal(system(sg_arena_printf(d->arena, "rm -rf '%s'/*", d->dir)), 0);
	assert_int_equal(mkdir(at(d, "iam"), 0755), 0);
	put(d, "iam/a.json", "{\"a\": 1}\n");
	f = fopen(at(d, SG_MANIFEST_JOURNAL_PATH), "wb");
	fwrite(m2->data, 1, m2->len, f);
	fclose(f);
	assert_int_equal(gen(d, &v2, false, NULL), SG_OK);
	assert_false(exists(d, SG_MANIFEST_JOURNAL_PATH));
	/* ... but a file of the user's is still refused. */
	assert_int_equal(system(sg_arena_printf(d->arena, "rm -rf '%s'/* '%s'/.svcgen*", d->dir,
						d->dir)), 0);
	assert_int_equal(mkdir(at(d, "iam"), 0755), 0);
	put(d, "iam/a.json", "mine\n");
	f = fopen(at(d, SG_MANIFEST_JOURNAL_PATH), "wb");
	fwrite(m2->data, 1, m2->len, f);
	fclose(f);
	assert_int_equal(gen(d, &v2, false, NULL), SG_EIO);
	assert_string_equal(slurp(d, "iam/a.json"), "mine\n");
}

/* ---- the regenerate fast path --------------------------------------------------------- */

#define KEY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static int gen_keyed(disk *d, const sg_fileset *fs, const char *key)
{
	static const sg_diag note = {"t.yaml", {0, 0}, SG_SEV_NOTE, "template-size",
				     "the template is 2 bytes: deploy it through S3"};
	sg_write_opts o = {.inputs = key, .notes = &note, .nnotes = 1};
	return sg_write_fileset(NULL, fs, d->dir, &o, &d->diags);
}

/* Whether the fast path takes `dir` as what `key` made; the diagnostics
 * it replays go to a list of their own. */
static bool fresh(disk *d, const char *key, sg_write_stats *st, sg_diags *replay)
{
	sg_diags own;
	sg_diags_init(&own, d->arena, "t.yaml");
	bool yes = true;
	assert_int_equal(sg_write_uptodate(&yes, st, replay ? replay : &own, d->dir, key), SG_OK);
	if (!yes)
		assert_int_equal((replay ? replay : &own)->count, 0);
	return yes;
}

static void test_fast_path(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	assert_false(fresh(d, KEY_A, NULL, NULL)); /* nothing there yet */
	assert_int_equal(gen_keyed(d, &v1, KEY_A), SG_OK);
	char v[256];
	if (getxattr(at(d, SG_MANIFEST_PATH), "user.svcgen.stamp", v, sizeof(v)) < 0) {
		/* A filesystem without user extended attributes: the fast path
		 * never applies there, which is all it may do. */
		assert_false(fresh(d, KEY_A, NULL, NULL));
		skip();
	}
	sg_write_stats st;
	sg_diags replay;
	sg_diags_init(&replay, d->arena, "t.yaml");
	assert_true(fresh(d, KEY_A, &st, &replay));
	assert_int_equal(st.unchanged, 6); /* five generated files and the manifest */
	assert_int_equal(st.kept, 1);
	assert_int_equal(replay.count, 1);
	assert_int_equal(replay.items[0].severity, SG_SEV_NOTE);
	assert_string_equal(replay.items[0].code, "template-size");
	assert_string_equal(replay.items[0].message, "the template is 2 bytes: deploy it through S3");
	assert_false(fresh(d, KEY_B, NULL, NULL));

	/* The same inputs once more: nothing written, not even the stamp. */
	age(d);
	const char *before = snapshot(d);
	struct stat m0, m1;
	assert_int_equal(stat(at(d, SG_MANIFEST_PATH), &m0), 0);
	assert_int_equal(gen_keyed(d, &v1, KEY_A), SG_OK);
	assert_string_equal(snapshot(d), before);
	assert_int_equal(stat(at(d, SG_MANIFEST_PATH), &m1), 0);
	assert_int_equal(m0.st_ctim.tv_nsec, m1.st_ctim.tv_nsec);

	/* Each change the full path would repair makes the tree not fresh;
	 * the full path's run makes it fresh again. */
	const char *breaks[] = {
		"printf '{\"v\": 9}\\n' > cloudformation/template.json", /* same length */
		"chmod a-x handlers/build.sh",
		"chmod u+x iam/a.json",
		"rm handlers/src/a.c",
		"rm handlers/src/a.c && mkdir handlers/src/a.c",
		"rm iam/b.json",
		": > iam/.svcgen-tmp.Zx81Qa",
		": > iam/a.json.tmp-AbC123",
		"cp manifest.json .svcgen-journal.json",
		"mv iam iam.real && ln -s iam.real iam",
		/* manifest.json edited in place (its attribute stays): the
		 * hash of one file changed to another file's */
		("perl -0pe 's/(\"sha256\": \")(.)/$1.($2 eq \"0\" ? \"1\" : \"0\")/e' manifest.json"
		 " > m.tmp && cat m.tmp > manifest.json && rm m.tmp"),
	};
	for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		assert_int_equal(system(sg_arena_printf(d->arena, "cd '%s' && %s", d->dir, breaks[i])), 0);
		assert_false(fresh(d, KEY_A, NULL, NULL));
		/* Undo what the writer leaves to the user (a directory where a
		 * scaffold goes, a symbolic link it follows) and rewrite. */
		assert_int_equal(system(sg_arena_printf(d->arena, "cd '%s' && "
			"{ [ ! -d handlers/src/a.c ] || rmdir handlers/src/a.c; } && "
			"{ [ ! -L iam ] || { rm iam && mv iam.real iam; }; }", d->dir)), 0);
		if (gen_keyed(d, &v1, KEY_A) != SG_OK) {
			sg_diags_print_text(&d->diags, stderr);
			fail_msg("break %zu: %s", i, breaks[i]);
		}
		assert_true(fresh(d, KEY_A, NULL, NULL));
	}

	/* A scaffold is the user's: editing it keeps the tree fresh. */
	put(d, "handlers/src/a.c", "int a = 42; /* mine */\n");
	assert_true(fresh(d, KEY_A, NULL, NULL));

	/* Another key's run that changes files restamps; a run without a
	 * key that changes them leaves a manifest with no stamp. */
	sg_fileset v2 = service(d, 2);
	assert_int_equal(gen_keyed(d, &v2, KEY_B), SG_OK);
	assert_false(fresh(d, KEY_A, NULL, NULL));
	assert_true(fresh(d, KEY_B, NULL, NULL));
	sg_fileset v3 = service(d, 3);
	assert_int_equal(gen(d, &v3, false, NULL), SG_OK);
	assert_false(fresh(d, KEY_B, NULL, NULL));
	assert_true(getxattr(at(d, SG_MANIFEST_PATH), "user.svcgen.stamp", v, sizeof(v)) < 0);

	bool yes;
	assert_int_equal(sg_write_uptodate(&yes, NULL, &d->diags, d->dir, "short"), SG_EUSAGE);
	assert_false(yes);
}

/* ---- the syncer: many fsyncs at once ------------------------------------------------- */

static void test_syncer(void **state)
{
	disk *d = *state;
	enum { N = 40 };
	int fds[N];
	for (int i = 0; i < N; i++) {
		fds[i] = open(at(d, sg_arena_printf(d->arena, "f%d", i)), O_WRONLY | O_CREAT, 0644);
		assert_true(fds[i] >= 0);
		assert_int_equal(write(fds[i], "x", 1), 1);
	}
	sg_syncer s;
	size_t bad = 0;
	sg_write__sync_start(&s, fds, N, false);
	assert_int_equal(sg_write__sync_wait(&s, &bad), 0);
	assert_int_equal(bad, SIZE_MAX);
	/* One descriptor that cannot be synced: its error and its index,
	 * whichever thread met it; the others are still synced. */
	int bad_fd = fds[27];
	fds[27] = 1000000; /* EBADF */
	sg_write__sync_start(&s, fds, N, true);
	assert_int_equal(sg_write__sync_wait(&s, &bad), EBADF);
	assert_int_equal(bad, 27);
	fds[27] = bad_fd;
	/* None at all. */
	sg_write__sync_start(&s, fds, 0, false);
	assert_int_equal(sg_write__sync_wait(&s, NULL), 0);
	for (int i = 0; i < N; i++)
		close(fds[i]);

	/* A large batch goes through syncfs: the same answers. */
	int *many = calloc(SG_SYNC_WHOLE, sizeof(*many));
	for (int i = 0; i < SG_SYNC_WHOLE; i++) {
		many[i] = open(at(d, sg_arena_printf(d->arena, "m%d", i)), O_WRONLY | O_CREAT, 0644);
		assert_true(many[i] >= 0);
		assert_int_equal(write(many[i], "y", 1), 1);
	}
	sg_write__sync_start(&s, many, SG_SYNC_WHOLE, false);
	assert_int_equal(sg_write__sync_wait(&s, &bad), 0);
	assert_int_equal(bad, SIZE_MAX);
	bad_fd = many[300];
	many[300] = 1000000;
	sg_write__sync_start(&s, many, SG_SYNC_WHOLE, false);
	assert_int_equal(sg_write__sync_wait(&s, &bad), EBADF);
	assert_int_equal(bad, 300);
	many[300] = bad_fd;
	for (int i = 0; i < SG_SYNC_WHOLE; i++)
		close(many[i]);
	free(many);
}

/* ---- files no longer generated ----------------------------------------------------------- */

static void test_orphans(void **state)
{
	disk *d = *state;
	sg_fileset v1 = service(d, 1);
	sg_fileset_add(&v1, "cloudformation/stacks/s1.json", "{}\n", 3, SG_FILE_GENERATED);
	sg_fileset_add(&v1, "handlers/src/b.c", "int b;\n", 7, SG_FILE_SCAFFOLD);
	sg_manifest_add(&v1, SPEC_HASH, SG_EMIT_ALL);
	sg_fileset_sort(&v1);
	assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
	put(d, "iam/b.json", "{\"b\": \"edited\"}\n"); /* edited: kept */
	sg_fileset v3 = service(d, 3);              /* no b.json, stacks, b.c */
	sg_write_stats st;
	assert_int_equal(gen(d, &v3, false, &st), SG_OK);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.orphans_kept, 1);
	assert_false(exists(d, "cloudformation/stacks/s1.json"));
	assert_false(exists(d, "cloudformation/stacks")); /* left empty: removed */
	assert_true(exists(d, "iam/b.json"));
	assert_true(exists(d, "handlers/src/b.c"));       /* the user's code */
	assert_true(has_code(d, "orphan-kept"));
	assert_true(has_code(d, "scaffold-orphaned"));
	assert_int_equal(d->diags.errors, 0);
}

/* ---- modes ---------------------------------------------------------------------------------- */

static void test_umask(void **state)
{
	disk *d = *state;
	static const mode_t masks[] = {022, 077, 002};
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		assert_int_equal(system(sg_arena_printf(d->arena, "rm -rf '%s'/*", d->dir)), 0);
		umask(masks[i]);
		sg_fileset v1 = service(d, 1);
		assert_int_equal(gen(d, &v1, false, NULL), SG_OK);
		struct stat st;
		assert_int_equal(stat(at(d, "iam/a.json"), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
		assert_int_equal(stat(at(d, "handlers/src/a.c"), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
		assert_int_equal(stat(at(d, SG_MANIFEST_PATH), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
		assert_int_equal(stat(at(d, "handlers/build.sh"), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0777 & ~masks[i]);
		assert_int_equal(stat(at(d, "iam"), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0777 & ~masks[i]);
		/* Replacing a file: the new one follows the umask too. */
		sg_fileset v2 = service(d, 2);
		assert_int_equal(gen(d, &v2, false, NULL), SG_OK);
		assert_int_equal(stat(at(d, "cloudformation/template.json"), &st), 0);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
	}
	umask(022);
}

/* sg_write_file: one file, never clobbering when asked. */
static void test_write_file(void **state)
{
	disk *d = *state;
	bool written = false;
	assert_int_equal(sg_write_file(&written, &d->diags, at(d, "s.yaml"), "a\n", 2,
				       SG_WRITE_NO_OVERWRITE | SG_WRITE_DURABLE), SG_OK);
	assert_true(written);
	assert_int_equal(sg_write_file(&written, &d->diags, at(d, "s.yaml"), "b\n", 2,
				       SG_WRITE_NO_OVERWRITE), SG_OK);
	assert_false(written);
	assert_string_equal(slurp(d, "s.yaml"), "a\n");
	assert_int_equal(sg_write_file(&written, &d->diags, at(d, "s.yaml"), "c\n", 2, 0), SG_OK);
	assert_true(written);
	assert_string_equal(slurp(d, "s.yaml"), "c\n");
	assert_int_equal(sg_write_file(&written, &d->diags, at(d, "no/such/dir/x"), "c", 1, 0),
			 SG_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fileset_index),
		cmocka_unit_test_setup_teardown(test_unchanged_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_generate_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_destinations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_refuses_special, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_overwrites_users_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_repository, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_outside_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_run_recovered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syncer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
