/*
 * load.c - reading a spec file from disk (sg_spec_load, see spec.h).
 */
#include <errno.h>
#include <fcntl.h>
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

int sg_spec_load(sg_spec **out, sg_arena *arena, sg_diags *diags, const char *path)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_error(diags, "open", path, errno);
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
	/* Regular files are sized up front; pipes (e.g. /dev/stdin) are read
	 * until EOF, under the same bound. */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > SG_SPEC_MAX_BYTES) {
		close(fd);
		sg_error(diags, "io", (sg_pos){0, 0}, "'%s' is %lld bytes; specs are limited to %u",
			 path, (long long)st.st_size, SG_SPEC_MAX_BYTES);
		return SG_EIO;
	}
	char *data = malloc(cap);
	if (!data) {
		close(fd);
		return io_error(diags, "read", path, ENOMEM);
	}
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (cap > SG_SPEC_MAX_BYTES) {
				free(data);
				close(fd);
				sg_error(diags, "io", (sg_pos){0, 0},
					 "'%s' is larger than the %u-byte limit for specs", path,
					 SG_SPEC_MAX_BYTES);
				return SG_EIO;
			}
			char *p = realloc(data, cap * 2);
			if (!p) {
				free(data);
				close(fd);
				return io_error(diags, "read", path, ENOMEM);
			}
			data = p;
			cap *= 2;
		}
		ssize_t n = read(fd, data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(data);
			close(fd);
			return io_error(diags, "read", path, e);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > SG_SPEC_MAX_BYTES) {
		free(data);
		sg_error(diags, "io", (sg_pos){0, 0}, "'%s' is larger than the %u-byte limit for specs",
			 path, SG_SPEC_MAX_BYTES);
		return SG_EIO;
	}
	int rc = sg_spec_parse(out, arena, diags, path, data, len);
	free(data);
	return rc;
}
