/*
 * readfile.c - bounded whole-file reads into an arena (see readfile.h).
 */
#include "svcgen/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svcgen/buf.h"

static int io_error(sg_diags *d, const char *what, const char *path, int err)
{
	sg_error(d, "io", (sg_pos){0, 0}, "cannot %s '%s': %s", what, path, strerror(err));
	return SG_EIO;
}

int sg_read_file(const char **data, size_t *len, bool *missing, sg_arena *arena,
			  sg_diags *diags, const char *path, size_t max)
{
	*data = NULL;
	*len = 0;
	if (missing)
		*missing = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing && (errno == ENOENT || errno == ENOTDIR)) {
			*missing = true;
			return SG_OK;
		}
		return io_error(diags, "open", path, errno);
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return io_error(diags, "read", path, e);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return io_error(diags, "read", path, EISDIR);
	}
	/* Regular files are sized up front; pipes are read until EOF under
	 * the same bound. */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		close(fd);
		sg_error(diags, "io", (sg_pos){0, 0}, "'%s' is %lld bytes; the limit is %zu", path,
			 (long long)st.st_size, max);
		return SG_EIO;
	}
	sg_buf b = SG_BUF_INIT;
	char chunk[65536];
	for (;;) {
		size_t want = sizeof(chunk) < cap ? sizeof(chunk) : cap;
		ssize_t n = read(fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			sg_buf_free(&b);
			close(fd);
			return io_error(diags, "read", path, e);
		}
		if (n == 0)
			break;
		sg_buf_put(&b, chunk, (size_t)n);
		if (b.len > max) {
			sg_buf_free(&b);
			close(fd);
			sg_error(diags, "io", (sg_pos){0, 0}, "'%s' is larger than the limit of %zu bytes",
				 path, max);
			return SG_EIO;
		}
	}
	close(fd);
	if (!b.ptr)
		sg_buf_puts(&b, ""); /* an empty file is "", not NULL */
	*data = sg_buf_to_arena(&b, arena, len);
	return SG_OK;
}
