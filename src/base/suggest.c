/*
 * suggest.c - nearest-candidate search for did-you-mean hints.
 */
#include "svcgen/suggest.h"

#include <strings.h>
#include <string.h>

#define MAXLEN 64

size_t sg_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAXLEN || lb > MAXLEN)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	/* Optimal string alignment distance over three rolling rows. */
	size_t rows[3][MAXLEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cost;
			if (a[i - 1] == b[j - 1])
				cost = 0;
			else
				cost = 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *sg_suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word);
	size_t cap = len <= 4 ? 1 : len / 3;
	const char *best = NULL;
	size_t best_d = cap + 1;
	for (size_t i = 0; i < n; i++) {
		const char *c = candidates[i];
		if (!c)
			continue;
		if (strcasecmp(c, word) == 0 && strcmp(c, word) != 0)
			return c; /* only the case differs: the best hint there is */
		size_t d = sg_edit_distance(word, c, cap);
		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best;
}
