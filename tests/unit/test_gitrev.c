/*
 * test_gitrev.c - reading the spec at a revision (gitrev.h) from real
 * repositories built here with libgit2: at HEAD and HEAD~1, unaffected by
 * the work tree, in a subdirectory, through a linked worktree, absent at
 * the revision, and the errors: a bad revision, a repository without
 * commits, no repository, a directory where a file was expected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <git2.h>

#include "svcgen/gitrev.h"
#include "svcgen/spec.h"

typedef struct fx {
	sg_arena *arena;
	sg_diags diags;
	char root[64];          /* a temporary directory */
	char *repo_dir;         /* root/repo */
	git_repository *repo;
	unsigned commits;
} fx;

static char *at(fx *f, const char *rel)
{
	return sg_arena_printf(f->arena, "%s/%s", f->repo_dir, rel);
}

static void write_file(fx *f, const char *rel, const char *text)
{
	char *p = at(f, rel);
	/* Create the parent directories. */
	for (char *s = strchr(p + strlen(f->repo_dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Write `rel` (NULL text: remove it) and commit the change. */
static void commit(fx *f, const char *rel, const char *text)
{
	git_index *idx;
	assert_int_equal(git_repository_index(&idx, f->repo), 0);
	if (text) {
		write_file(f, rel, text);
		assert_int_equal(git_index_add_bypath(idx, rel), 0);
	} else {
		remove(at(f, rel));
		assert_int_equal(git_index_remove_bypath(idx, rel), 0);
	}
	assert_int_equal(git_index_write(idx), 0);
	git_oid tree_id, commit_id, parent_id;
	assert_int_equal(git_index_write_tree(&tree_id, idx), 0);
	git_tree *tree;
	assert_int_equal(git_tree_lookup(&tree, f->repo, &tree_id), 0);
	git_signature *sig;
	/* A fixed time: the same test makes the same commits. */
	assert_int_equal(git_signature_new(&sig, "svcgen test", "test@example.com",
					   1700000000 + f->commits, 0), 0);
	git_commit *parent = NULL;
	if (git_reference_name_to_id(&parent_id, f->repo, "HEAD") == 0)
		assert_int_equal(git_commit_lookup(&parent, f->repo, &parent_id), 0);
	const git_commit *parents[1] = {parent};
	assert_int_equal(git_commit_create(&commit_id, f->repo, "HEAD", sig, sig, NULL, "change",
					   tree, parent ? 1 : 0, parents), 0);
	f->commits++;
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	f->arena = sg_arena_new();
	sg_diags_init(&f->diags, f->arena, "s.yaml");
	strcpy(f->root, "/tmp/svcgen-test-gitrev-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	f->repo_dir = sg_arena_printf(f->arena, "%s/repo", f->root);
	git_libgit2_init();
	if (git_repository_init(&f->repo, f->repo_dir, 0) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	git_repository_free(f->repo);
	git_libgit2_shutdown();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	int rc = system(cmd);
	sg_arena_free(f->arena);
	free(f);
	return rc == 0 ? 0 : -1;
}

static int read_at(fx *f, sg_gitrev_file *out, const char *path, const char *rev)
{
	return sg_gitrev_read(out, f->arena, &f->diags, path, rev, SG_SPEC_MAX_BYTES);
}

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

static void test_head_and_older(void **state)
{
	fx *f = *state;
	commit(f, "s.yaml", "one\n");
	commit(f, "s.yaml", "two\n");
	write_file(f, "s.yaml", "work tree\n"); /* never read from the work tree */
	sg_gitrev_file g;
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD"), SG_OK);
	assert_true(g.found);
	assert_string_equal(g.data, "two\n");
	assert_int_equal(g.len, 4);
	assert_string_equal(g.path, "s.yaml");
	assert_string_equal(g.rev, "HEAD");
	assert_true(is_hex(g.commit, 40));
	assert_int_equal(strncmp(g.commit, g.short_id, 7), 0);
	assert_int_equal(strlen(g.short_id), 7);
	const char *head = g.commit;
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD~1"), SG_OK);
	assert_string_equal(g.data, "one\n");
	assert_string_not_equal(g.commit, head);
	/* A commit id works as a revision too. */
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), head), SG_OK);
	assert_string_equal(g.data, "two\n");
	assert_int_equal(f->diags.count, 0);
}

static void test_subdirectory_and_relative_path(void **state)
{
	fx *f = *state;
	commit(f, "services/api/s.yaml", "sub\n");
	sg_gitrev_file g;
	assert_int_equal(read_at(f, &g, at(f, "services/api/s.yaml"), "HEAD"), SG_OK);
	assert_true(g.found);
	assert_string_equal(g.path, "services/api/s.yaml");
	assert_string_equal(g.data, "sub\n");
	/* A path relative to the current directory, with "." and ".." in it. */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(at(f, "services")), 0);
	int rc = read_at(f, &g, "./api/../api/s.yaml", "HEAD");
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, SG_OK);
	assert_string_equal(g.path, "services/api/s.yaml");
	assert_string_equal(g.data, "sub\n");
}

static void test_absent_at_rev(void **state)
{
	fx *f = *state;
	commit(f, "other.yaml", "x\n");
	write_file(f, "s.yaml", "new\n");
	sg_gitrev_file g;
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD"), SG_OK);
	assert_false(g.found);
	assert_null(g.data);
	assert_true(is_hex(g.commit, 40));
	/* Deleted in the last commit: there at HEAD~1, not at HEAD. */
	commit(f, "s.yaml", "was\n");
	commit(f, "s.yaml", NULL);
	write_file(f, "s.yaml", "back\n");
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD"), SG_OK);
	assert_false(g.found);
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD~1"), SG_OK);
	assert_string_equal(g.data, "was\n");
	assert_int_equal(f->diags.count, 0);
}

static void test_linked_worktree(void **state)
{
	fx *f = *state;
	commit(f, "svc/s.yaml", "main\n");
	git_worktree *wt;
	char *wt_dir = sg_arena_printf(f->arena, "%s/wt", f->root);
	assert_int_equal(git_worktree_add(&wt, f->repo, "wt", wt_dir, NULL), 0);
	git_worktree_free(wt);
	sg_gitrev_file g;
	char *spec = sg_arena_printf(f->arena, "%s/svc/s.yaml", wt_dir);
	assert_int_equal(read_at(f, &g, spec, "HEAD"), SG_OK);
	assert_true(g.found);
	assert_string_equal(g.data, "main\n");
	assert_string_equal(g.path, "svc/s.yaml");
	/* The worktree is the work tree reported, not the main checkout. */
	assert_non_null(strstr(g.workdir, "/wt"));
}

static void test_errors(void **state)
{
	fx *f = *state;
	sg_gitrev_file g;
	/* No commits yet: HEAD, and the branch it names, hold nothing. */
	write_file(f, "s.yaml", "x\n");
	size_t before = f->diags.count;
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD"), SG_OK);
	assert_true(g.unborn);
	assert_false(g.found);
	assert_null(g.commit);
	assert_int_equal(f->diags.count, before);
	git_reference *head = NULL;
	assert_int_equal(git_reference_lookup(&head, f->repo, "HEAD"), 0);
	const char *branch = git_reference_symbolic_target(head);
	assert_non_null(branch);
	assert_int_equal(strncmp(branch, "refs/heads/", 11), 0);
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), branch + 11), SG_OK);
	assert_true(g.unborn);
	git_reference_free(head);
	/* Another name still names no commit. */
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "some-tag"), SG_EUSAGE);
	assert_string_equal(f->diags.items[f->diags.count - 1].code, "git-rev");

	commit(f, "s.yaml", "x\n");
	commit(f, "dir/s.yaml", "x\n");
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "no-such-branch"), SG_EUSAGE);
	const sg_diag *d = &f->diags.items[f->diags.count - 1];
	assert_string_equal(d->code, "git-rev");
	assert_non_null(strstr(d->message, "'no-such-branch' is not a commit"));
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "HEAD~5"), SG_EUSAGE);
	assert_int_equal(read_at(f, &g, at(f, "s.yaml"), "@{-1}"), SG_EUSAGE);
	d = &f->diags.items[f->diags.count - 1];
	assert_null(strstr(d->message, "unknown libgit2 error"));
	assert_non_null(strstr(d->message, "reflog does not record a branch checkout"));

	/* A directory at the revision where a file is asked for. */
	assert_int_equal(read_at(f, &g, at(f, "dir"), "HEAD"), SG_EUSAGE);
	assert_string_equal(f->diags.items[f->diags.count - 1].code, "git-path");

	/* Outside any repository. */
	char *outside = sg_arena_printf(f->arena, "%s/loose/s.yaml", f->root);
	mkdir(sg_arena_printf(f->arena, "%s/loose", f->root), 0755);
	assert_int_equal(read_at(f, &g, outside, "HEAD"), SG_EIO);
	assert_string_equal(f->diags.items[f->diags.count - 1].code, "git-repo");

	/* Too large. */
	assert_int_equal(sg_gitrev_read(&g, f->arena, &f->diags, at(f, "s.yaml"), "HEAD", 1), SG_EIO);
	assert_int_equal(sg_gitrev_read(&g, f->arena, &f->diags, NULL, "HEAD", 1), SG_EUSAGE);
	assert_int_equal(sg_gitrev_read(&g, f->arena, &f->diags, "s.yaml", "", 1), SG_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_head_and_older, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subdirectory_and_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_at_rev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linked_worktree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
