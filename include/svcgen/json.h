/*
 * json.h - JSON text from cJSON trees, laid out for people and diffs.
 *
 * cJSON_Print indents with tabs and formats numbers its own way; generated
 * files want a stable, reviewable layout: two-space indentation, one member
 * per line, "key": value with one space, empty objects and arrays as {} and
 * [], integers without a fraction, non-ASCII UTF-8 passed through, and the
 * control characters, '"' and '\\' escaped per RFC 8259.
 */
#ifndef SVCGEN_JSON_H
#define SVCGEN_JSON_H

#include <cjson/cJSON.h>

#include "svcgen/buf.h"

/* Append `item` as indented JSON followed by a newline. */
void sg_json_write(sg_buf *out, const cJSON *item);

/* Append `s` as a JSON string literal (with the quotes). */
void sg_json_write_string(sg_buf *out, const char *s);

#endif
