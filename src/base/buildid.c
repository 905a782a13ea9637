/*
 * buildid.c - the main executable's NT_GNU_BUILD_ID note (buildid.h),
 * found in its loaded program headers (dl_iterate_phdr(3)): no file is
 * read.  Note layout: the ELF gABI, "Note Section" (namesz, descsz, type,
 * then name and descriptor, each padded to the segment's alignment).
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "svcgen/buildid.h"

#include <elf.h>
#include <link.h>
#include <string.h>

#include "svcgen/error.h"

typedef struct found {
	const unsigned char *id;
	size_t len;
} found;

/* Name and descriptor are padded to the segment's alignment: 4, or 8 in
 * the segments of 8-aligned notes (.note.gnu.property). */
static size_t pad(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

static const unsigned char *note_id(const unsigned char *p, size_t size, size_t align,
				    size_t *len)
{
	while (size >= sizeof(ElfW(Nhdr))) {
		const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
		size_t name = pad(nh->n_namesz, align), desc = pad(nh->n_descsz, align);
		size_t whole = sizeof(*nh) + name + desc;
		if (whole > size)
			return NULL;
		const char *owner = (const char *)(p + sizeof(*nh));
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(owner, "GNU", 4) &&
		    nh->n_descsz) {
			*len = nh->n_descsz;
			return p + sizeof(*nh) + name;
		}
		p += whole;
		size -= whole;
	}
	return NULL;
}

/* The first object dl_iterate_phdr reports is the main program. */
static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	found *f = data;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum && !f->id; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_NOTE)
			f->id = note_id((const unsigned char *)(info->dlpi_addr + ph->p_vaddr),
					ph->p_memsz, ph->p_align == 8 ? 8 : 4, &f->len);
	}
	return 1;
}

int sg_build_id(const unsigned char **id, size_t *len)
{
	static found f;
	static int done;
	if (!done) {
		dl_iterate_phdr(first_object, &f);
		done = 1;
	}
	*id = f.id;
	*len = f.id ? f.len : 0;
	return f.id ? SG_OK : SG_EUSAGE;
}
