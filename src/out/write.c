/*
 * write.c - atomic file writes (see out.h).
 */
#include "svcgen/out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svcgen/spec.h"

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
