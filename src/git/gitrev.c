/*
 * gitrev.c - reading a file at a git revision with libgit2 (gitrev.h).
 *
 * libgit2 calls used, per its API reference: git_repository_open_ext
 * (discovery from the spec's directory; handles ".git" files, so linked
 * worktrees and submodules open as themselves), git_repository_workdir,
 * git_revparse_single + git_object_peel (any revision syntax down to a
 * commit), git_commit_tree, git_tree_entry_bypath and git_blob_lookup.
 * Everything libgit2 hands out is freed before returning; the bytes are
 * copied into the arena first.  The library is initialised and shut down
 * around each call (both are reference counted), so callers need not
 * know about it.
 */
#include "svcgen/gitrev.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "svcgen/spec.h"

static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message && *e->message ? e->message : "libgit2 gave no reason";
}

/*
 * Why `rev` names no commit, in git's terms.  libgit2 leaves no message
 * for some failures (an @{-N} with fewer branch switches in HEAD's reflog
 * than N, for one), so the common revision forms get a reason of their own.
 */
static const char *rev_reason(sg_arena *arena, git_repository *repo, const char *rev)
{
	const git_error *e = git_error_last();
	if (e && e->message && *e->message)
		return e->message;
	if (!strncmp(rev, "@{-", 3))
		return sg_arena_printf(arena, "HEAD's reflog does not record %s branch checkout%s "
					      "before the current one",
				       rev[3] == '1' && rev[4] == '}' ? "a" : "that many",
				       rev[3] == '1' && rev[4] == '}' ? "" : "s");
	if (strstr(rev, "@{"))
		return "the reflog has no such entry";
	(void)repo;
	return "no branch, tag or commit has that name";
}

/* Whether `rev` means the branch HEAD points at, when that branch has no
 * commit yet (a repository before its first commit). */
static bool unborn_head(git_repository *repo, const char *rev)
{
	if (git_repository_head_unborn(repo) != 1)
		return false;
	if (!strcmp(rev, "HEAD") || !strcmp(rev, "@"))
		return true;
	git_reference *head = NULL;
	bool same = false;
	if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *target = git_reference_symbolic_target(head);
		same = target && (!strcmp(target, rev) ||
				  (!strncmp(target, "refs/heads/", 11) && !strcmp(target + 11, rev)));
	}
	git_reference_free(head);
	return same;
}

/* The directory part of `path` ("." when it has none). */
static char *dir_of(sg_arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return sg_arena_strdup(arena, ".");
	if (slash == path)
		return sg_arena_strdup(arena, "/");
	return sg_arena_strndup(arena, path, (size_t)(slash - path));
}

/*
 * The spec's path relative to the work tree, from real paths on both sides
 * (a /tmp that is a symbolic link, or a spec reached through one, must
 * still match the work tree libgit2 reports).
 */
static int relative_to_workdir(const char **out, sg_arena *arena, sg_diags *diags,
			       const char *path, const char *workdir)
{
	char dir_real[PATH_MAX], wd_real[PATH_MAX];
	const char *dir = dir_of(arena, path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!realpath(dir, dir_real)) {
		sg_error(diags, "git-repo", (sg_pos){0, 0}, "cannot resolve '%s': %s", dir,
			 strerror(errno));
		return SG_EIO;
	}
	if (!realpath(workdir, wd_real)) {
		sg_error(diags, "git-repo", (sg_pos){0, 0}, "cannot resolve the work tree '%s': %s",
			 workdir, strerror(errno));
		return SG_EIO;
	}
	size_t n = strlen(wd_real);
	while (n > 1 && wd_real[n - 1] == '/')
		wd_real[--n] = '\0';
	if (strncmp(dir_real, wd_real, n) != 0 || (dir_real[n] != '\0' && dir_real[n] != '/' &&
						   strcmp(wd_real, "/") != 0)) {
		sg_error(diags, "git-repo", (sg_pos){0, 0},
			 "'%s' is outside the work tree '%s' of its repository", path, wd_real);
		return SG_EIO;
	}
	const char *rest = dir_real + n;
	while (*rest == '/')
		rest++;
	*out = *rest ? sg_arena_printf(arena, "%s/%s", rest, base) : sg_arena_strdup(arena, base);
	return SG_OK;
}

int sg_gitrev_read(sg_gitrev_file *out, sg_arena *arena, sg_diags *diags, const char *path,
		   const char *rev, size_t max)
{
	memset(out, 0, sizeof(*out));
	if (!path || !rev || !*path || !*rev)
		return SG_EUSAGE;
	out->rev = sg_arena_strdup(arena, rev);

	git_repository *repo = NULL;
	git_object *obj = NULL, *peeled = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int rc = SG_OK;

	git_libgit2_init();
	const char *dir = dir_of(arena, path);
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0) {
		sg_error(diags, "git-repo", (sg_pos){0, 0},
			 "'%s' is not in a git repository (%s)", path, git_message());
		rc = SG_EIO;
		goto done;
	}
	const char *workdir = git_repository_workdir(repo);
	if (!workdir) {
		sg_error(diags, "git-repo", (sg_pos){0, 0},
			 "the repository of '%s' is bare: it has no work tree to compare with", path);
		rc = SG_EIO;
		goto done;
	}
	/* libgit2 ends the work dir with '/'; messages read better without. */
	size_t wl = strlen(workdir);
	out->workdir = sg_arena_strndup(arena, workdir, wl > 1 && workdir[wl - 1] == '/' ? wl - 1 : wl);
	if ((rc = relative_to_workdir(&out->path, arena, diags, path, workdir)) != SG_OK)
		goto done;

	if (unborn_head(repo, rev)) {
		/* No commit yet: everything in the spec is new. */
		out->unborn = true;
		out->short_id = "no commits yet";
		goto done;
	}
	git_error_clear();
	if (git_revparse_single(&obj, repo, rev) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		sg_error(diags, "git-rev", (sg_pos){0, 0},
			 "'%s' is not a commit in the repository at '%s' (%s)", rev, out->workdir,
			 rev_reason(arena, repo, rev));
		rc = SG_EUSAGE;
		goto done;
	}
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), git_object_id(peeled));
	out->commit = sg_arena_strdup(arena, hex);
	out->short_id = sg_arena_strndup(arena, hex, 7);

	if (git_commit_tree(&tree, (git_commit *)peeled) < 0) {
		sg_error(diags, "git", (sg_pos){0, 0}, "cannot read the tree of %s: %s", out->short_id,
			 git_message());
		rc = SG_EIO;
		goto done;
	}
	int e = git_tree_entry_bypath(&entry, tree, out->path);
	if (e == GIT_ENOTFOUND) {
		git_error_clear();
		goto done; /* not there at REV: found stays false */
	}
	if (e < 0) {
		sg_error(diags, "git", (sg_pos){0, 0}, "cannot look up '%s' at %s: %s", out->path,
			 out->short_id, git_message());
		rc = SG_EIO;
		goto done;
	}
	/* A symbolic link is a blob too, holding the link's target: not a
	 * spec. */
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
		sg_error(diags, "git-path", (sg_pos){0, 0}, "'%s' is not a file at %s (%s)", out->path,
			 rev, out->short_id);
		rc = SG_EUSAGE;
		goto done;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		sg_error(diags, "git", (sg_pos){0, 0}, "cannot read '%s' at %s: %s", out->path,
			 out->short_id, git_message());
		rc = SG_EIO;
		goto done;
	}
	git_object_size_t size = git_blob_rawsize(blob);
	if (size > (git_object_size_t)max) {
		sg_error(diags, "git-path", (sg_pos){0, 0}, "'%s' at %s is %llu bytes; the limit is %zu",
			 out->path, out->short_id, (unsigned long long)size, max);
		rc = SG_EIO;
		goto done;
	}
	out->len = (size_t)size;
	out->data = sg_arena_strndup(arena, git_blob_rawcontent(blob), out->len);
	out->found = true;

done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_object_free(peeled);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
