/*
 * gitrev.h - a file as it is at a git revision, read with libgit2.
 *
 * `svcgen diff` compares the spec in the work tree with the spec at a
 * revision.  This module finds the repository that contains the spec
 * (discovery walks up from the spec's directory, so a spec in a
 * subdirectory, a linked worktree or a submodule all work), resolves the
 * revision (any git revision syntax: HEAD~2, main, origin/main, a tag, a
 * commit id; gitrevisions(7)), and reads the spec's blob out of that
 * commit's tree.  It never checks anything out and writes nothing to the
 * repository or the work tree.
 *
 * Bytes are the blob as stored (no .gitattributes filters applied).
 */
#ifndef SVCGEN_GITREV_H
#define SVCGEN_GITREV_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"

/* The spec at one revision.  All strings are arena-owned. */
typedef struct sg_gitrev_file {
	bool found;            /* the path exists at the revision (as a file) */
	const char *data;      /* its bytes, NUL-terminated; NULL when !found */
	size_t len;
	const char *rev;       /* the revision as asked for */
	bool unborn;           /* `rev` is HEAD (or its branch) in a repository
	                          with no commit yet: found is false, commit NULL */
	const char *commit;    /* the commit it names: 40 hex digits; NULL when unborn */
	const char *short_id;  /* its first 7 hex digits; "no commits yet" when unborn */
	const char *path;      /* the spec, relative to the work tree's top, '/'-separated */
	const char *workdir;   /* the work tree's top directory as libgit2 reports
	                          it, without a trailing '/' */
} sg_gitrev_file;

/*
 * Read file `path` (a path on disk, relative to the current directory or
 * absolute; its directory must exist) as it is in revision `rev` of the
 * repository that contains it, into `*out`.  A path that the revision does
 * not hold gives found = false and SG_OK (everything in it is new), and so
 * does HEAD, or the branch HEAD names, in a repository before its first
 * commit (unborn = true).
 * Errors are reported to `diags` and return:
 *   SG_EIO     "git-repo": no repository contains `path` (or it is bare,
 *              or `path` lies outside its work tree); "git": libgit2
 *              could not read the repository
 *   SG_EUSAGE  "git-rev": `rev` names no commit; "git-path": the path at
 *              the revision is not a file (a directory, a submodule or a
 *              symbolic link)
 * Files over `max` bytes are refused ("git-path", SG_EIO).
 */
int sg_gitrev_read(sg_gitrev_file *out, sg_arena *arena, sg_diags *diags, const char *path,
		   const char *rev, size_t max);

#endif
