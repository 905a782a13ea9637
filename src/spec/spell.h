/*
 * spell.h - the spellings of the spec language's enums (private to src/spec).
 *
 * One table per enum, indexed by the enum's value.  The parser reads these
 * words and the *_name functions of spec.h print them, so what svcgen
 * accepts and what it writes back cannot drift apart.
 */
#ifndef SVCGEN_SPEC_SPELL_H
#define SVCGEN_SPEC_SPELL_H

#include <stddef.h>

typedef struct sg_spelling {
	const char *what;           /* "architecture": names the enum in messages */
	const char *const *names;   /* index = enum value */
	size_t n;
} sg_spelling;

extern const sg_spelling sg_spell_arch;
extern const sg_spelling sg_spell_attr;
extern const sg_spelling sg_spell_billing;
extern const sg_spelling sg_spell_stream;
extern const sg_spelling sg_spell_projection;
extern const sg_spelling sg_spell_auth;
extern const sg_spelling sg_spell_api_type;
extern const sg_spelling sg_spell_method;
extern const sg_spelling sg_spell_access;
extern const sg_spelling sg_spell_start_pos;
extern const sg_spelling sg_spell_mfa;
extern const sg_spelling sg_spell_sign_in;
extern const sg_spelling sg_spell_oauth_flow;
extern const sg_spelling sg_spell_on_failure;
extern const sg_spelling sg_spell_account_role;

/*
 * Notes: sg_spell_projection's last word, "include", is never written (a
 * list of attributes means it); sg_spell_access's first, "derived", neither
 * (a bare table name means it).  The parser reads only the words before
 * them, resp. after.
 */

#endif
