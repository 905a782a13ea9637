/*
 * ytree.h - a YAML document as a small positioned tree (private to src/spec).
 *
 * libyaml gives a stream of events; the spec reader wants to look keys up and
 * report positions, so the events are folded into this tree first.  Scalars
 * keep their text exactly as written (no YAML 1.1 type guessing: `off` stays
 * the string "off"), their style (plain or quoted) and their position.
 */
#ifndef SVCGEN_SPEC_YTREE_H
#define SVCGEN_SPEC_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "svcgen/arena.h"
#include "svcgen/diag.h"

typedef enum { SG_Y_SCALAR, SG_Y_MAP, SG_Y_SEQ } sg_ykind;

typedef struct sg_ynode sg_ynode;

typedef struct sg_ypair {
	sg_ynode *key;
	sg_ynode *value;
} sg_ypair;

struct sg_ynode {
	sg_ykind kind;
	sg_pos pos;            /* first character of the node */
	bool plain;            /* scalar: written without quotes or block style */
	bool open;             /* collection still being read (recursion guard) */
	bool duplicate;        /* map key: repeats an earlier key (reported); readers skip it */
	const char *text;      /* scalar: NUL-terminated text */
	size_t len;            /* scalar: bytes */
	sg_ypair *pairs;       /* map: in file order */
	sg_ynode **items;      /* seq: in file order */
	size_t count;          /* pairs or items */
	size_t cap;
	size_t weight;         /* nodes in the subtree once aliases are expanded */
};

/*
 * Parse `len` bytes of YAML into `*root` (arena-owned).  Checks UTF-8,
 * rejects empty input and multiple documents, reports duplicate keys and
 * non-scalar keys, expands aliases while the expanded tree stays under
 * SG_SPEC_MAX_NODES nodes and SG_SPEC_MAX_DEPTH levels.  Returns 0 with
 * `*root` set, or -1 after reporting the reason to `diags` (`*root` NULL).
 */
int sg_ytree_parse(sg_ynode **root, sg_arena *arena, sg_diags *diags,
		   const char *data, size_t len);

/* True for a plain scalar that YAML reads as null: "", "~", "null". */
bool sg_ynode_is_null(const sg_ynode *n);

/* "a mapping", "a list", "a string" ... for messages. */
const char *sg_ynode_kind_name(const sg_ynode *n);

#endif
