/*
 * templates.h - the stock Mustache templates and the handler runtime,
 * compiled into the binary.
 *
 * Both tables are generated at build time by scripts/embed.c: the
 * templates from the .mustache files in templates/ (a template's name is
 * its file name without ".mustache"), the runtime from the files of
 * runtime/ (C sources and scripts copied verbatim into every handler
 * project's runtime/; a name is the file name).
 */
#ifndef SVCGEN_TEMPLATES_H
#define SVCGEN_TEMPLATES_H

#include <stddef.h>

typedef struct sg_embedded_file {
	const char *name;  /* e.g. "handler.c" for templates/handler.c.mustache */
	const char *data;  /* the bytes, NUL-terminated for convenience */
	size_t len;        /* length in bytes, without the NUL */
} sg_embedded_file;

/* Every stock template, ending with an entry whose name is NULL. */
extern const sg_embedded_file sg_embedded_templates[];

/* Every file of the handler runtime (runtime/ of svcgen's repository),
 * ending with an entry whose name is NULL. */
extern const sg_embedded_file sg_embedded_runtime[];

/*
 * The spec language's JSON Schema, specs/svcgen.schema.json, as one entry
 * named "svcgen.schema.json" (then the NULL entry): `svcgen init` writes it
 * beside a new spec so editors complete keys without a network.
 */
extern const sg_embedded_file sg_embedded_schema[];

#endif
