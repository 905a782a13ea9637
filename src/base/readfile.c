/*
 * readfile.c - bounded whole-file reads into an arena (see readfile.h).
 *
 * Files are opened O_NONBLOCK and checked with fstat before the first
 * read: open(2) of a FIFO without it waits for a writer forever, and a
 * read of one waits for data.  Only regular files are read.
 */
#include "svcgen/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

const char *sg_file_type_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFLNK: return "a symbolic link";
	}
	return "not a file";
}

int sg_open_regular(int *fd_out, struct stat *st, bool *missing, sg_diags *diags,
		    const char *path)
{
	*fd_out = -1;
	if (missing)
		*missing = false;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (missing && (errno == ENOENT || errno == ENOTDIR)) {
			*missing = true;
			return SG_OK;
		}
		return io_error(diags, "open", path, errno);
	}
	if (fstat(fd, st) < 0) {
		int e = errno;
		close(fd);
		return io_error(diags, "read", path, e);
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		sg_error(diags, "io", (sg_pos){0, 0},
			 "cannot read '%s': it is %s, not a regular file", path,
			 sg_file_type_name((unsigned)st->st_mode));
		return SG_EIO;
	}
	*fd_out = fd;
	return SG_OK;
}

int sg_read_file(const char **data, size_t *len, bool *missing, sg_arena *arena,
		 sg_diags *diags, const char *path, size_t max)
{
	*data = NULL;
	*len = 0;
	int fd;
	struct stat st;
	int rc = sg_open_regular(&fd, &st, missing, diags, path);
	if (rc != SG_OK || fd < 0)
		return rc;
	if ((size_t)st.st_size > max) {
		close(fd);
		sg_error(diags, "io", (sg_pos){0, 0}, "'%s' is %lld bytes; the limit is %zu", path,
			 (long long)st.st_size, max);
		return SG_EIO;
	}
	/* Sized up front; a file that grows while read stops at the bound. */
	size_t cap = (size_t)st.st_size;
	char *buf = sg_arena_alloc(arena, cap + 1);
	size_t got = 0;
	for (;;) {
		size_t want = cap + 1 - got; /* one more byte: did it grow? */
		ssize_t n = read(fd, buf + got, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return io_error(diags, "read", path, e);
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > cap) {
			close(fd);
			sg_error(diags, "io", (sg_pos){0, 0},
				 "cannot read '%s': it changed while read", path);
			return SG_EIO;
		}
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return SG_OK;
}
