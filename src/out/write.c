/*
 * write.c - atomic file writes (see out.h).
 */
#include "svcgen/out.h"
#include "svcgen/fileset.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svcgen/error.h"

static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

int sg_out_mkdirs(sg_diags *diags, const char *dir)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);
	if (len == 0)
		return SG_OK;
	if (len >= sizeof(path))
		return io_error(diags, "create directory", dir, ENAMETOOLONG);
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return io_error(diags, "create directory", path, errno);
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			return io_error(diags, "create directory", path, ENOTDIR);
		*p = saved;
		if (saved == '\0')
			break;
	}
	return SG_OK;
}

int sg_out_write_file(bool *written, sg_diags *diags, const char *path, const void *data,
		      size_t len, int flags)
{
	if (written)
		*written = false;
	if (flags & SG_OUT_NO_OVERWRITE) {
		struct stat st;
		if (lstat(path, &st) == 0)
			return SG_OK;
	}
	char dir[PATH_MAX];
	size_t plen = strlen(path);
	if (plen + 16 >= sizeof(dir))
		return io_error(diags, "write", path, ENAMETOOLONG);
	const char *slash = strrchr(path, '/');
	if (slash) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		if (sg_out_mkdirs(diags, dir) != SG_OK)
			return SG_EIO;
	}
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return io_error(diags, "write", path, errno);
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return io_error(diags, "write", path, e);
		}
		p += n;
		left -= (size_t)n;
	}
	mode_t mode = (flags & SG_OUT_EXECUTABLE) ? 0755 : 0644;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		return io_error(diags, "write", path, e);
	}
	if (flags & SG_OUT_NO_OVERWRITE) {
		/* link() fails if the target appeared meanwhile: never clobber. */
		if (link(tmp, path) < 0) {
			int e = errno;
			unlink(tmp);
			if (e == EEXIST)
				return SG_OK;
			return io_error(diags, "write", path, e);
		}
		unlink(tmp);
	} else if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return io_error(diags, "write", path, e);
	}
	if (written)
		*written = true;
	return SG_OK;
}

/*
 * The output directory's real path, and a check that `path`'s parent
 * resolves inside it: a symbolic link planted in the output tree must not
 * send a write elsewhere.
 */
static bool inside(const char *root_real, const char *path)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	char real[PATH_MAX];
	if (!realpath(parent, real))
		return false;
	size_t n = strlen(root_real);
	return !strncmp(real, root_real, n) && (real[n] == '\0' || real[n] == '/');
}

int sg_fileset_write(size_t *written, size_t *kept, const sg_fileset *fs, const char *dir,
		     sg_diags *diags)
{
	size_t w = 0, k = 0;
	int rc = sg_out_mkdirs(diags, dir);
	char root[PATH_MAX];
	if (rc == SG_OK && !realpath(dir, root))
		rc = io_error(diags, "resolve", dir, errno);
	for (size_t i = 0; rc == SG_OK && i < fs->count; i++) {
		const sg_file *f = &fs->files[i];
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, f->path) >= sizeof(path)) {
			rc = io_error(diags, "write", f->path, ENAMETOOLONG);
			break;
		}
		/* Create the parent first so it can be resolved and checked. */
		char parent[PATH_MAX];
		snprintf(parent, sizeof(parent), "%s", path);
		*strrchr(parent, '/') = '\0';
		if ((rc = sg_out_mkdirs(diags, parent)) != SG_OK)
			break;
		if (!inside(root, path)) {
			sg_error(diags, "io", (sg_pos){0, 0},
				 "refusing to write '%s': it resolves outside '%s'", path, dir);
			rc = SG_EIO;
			break;
		}
		int flags = (f->kind == SG_FILE_SCAFFOLD ? SG_OUT_NO_OVERWRITE : 0) |
			    (f->executable ? SG_OUT_EXECUTABLE : 0);
		bool did = false;
		rc = sg_out_write_file(&did, diags, path, f->data, f->len, flags);
		if (did)
			w++;
		else if (rc == SG_OK)
			k++;
	}
	if (written)
		*written = w;
	if (kept)
		*kept = k;
	return rc;
}
