/*
 * suggest.h - "did you mean" for misspelt keys, names and enum values.
 */
#ifndef SVCGEN_SUGGEST_H
#define SVCGEN_SUGGEST_H

#include <stddef.h>

/*
 * Return the candidate closest to `word` by Damerau-Levenshtein distance
 * (adjacent transpositions count as one edit, case differences count as
 * one), or NULL when none is close enough: at most 1 edit for words of up
 * to 4 characters, else at most a third of the length.  `candidates` has
 * `n` entries; NULL entries are skipped.  The result points into
 * `candidates`; nothing is allocated.
 */
const char *sg_suggest(const char *word, const char *const *candidates, size_t n);

/* Edit distance between two strings, capped at `cap` + 1 (for speed). */
size_t sg_edit_distance(const char *a, const char *b, size_t cap);

#endif
