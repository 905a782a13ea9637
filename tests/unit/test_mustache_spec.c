/*
 * test_mustache_spec.c - runs the Mustache specification's own tests
 * against the engine: every JSON file of $SHARED/testdata/mustache-spec
 * (SHARED defaults to ../shared; run from the repository root).
 *
 * Prints a line per failing test, then "N passed, N failed" on the last
 * line.  The optional ~dynamic-names module is counted on its own line
 * before that and does not make the program fail; every other file does.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/mustache.h"

#define DYNAMIC_PREFIX "~dynamic-names"

typedef struct counts {
	int passed, failed;
} counts;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *p = realloc(buf, cap * 2);
		if (!p) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = p;
		cap *= 2;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* A string as a JSON literal, so failures show blanks and line breaks. */
static void print_quoted(const char *label, const char *s)
{
	cJSON *str = cJSON_CreateString(s ? s : "");
	char *q = str ? cJSON_PrintUnformatted(str) : NULL;
	printf("    %-9s %s\n", label, q ? q : "?");
	cJSON_free(q);
	cJSON_Delete(str);
}

/* One test: true when the output is the expected one. */
static bool run_test(const char *file, const cJSON *test)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(test, "name"));
	const char *tmpl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(test, "template"));
	const char *want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(test, "expected"));
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(test, "data");
	const cJSON *partials = cJSON_GetObjectItemCaseSensitive(test, "partials");
	if (!name || !tmpl || !want) {
		printf("FAIL %s: malformed test %s\n", file, name ? name : "(no name)");
		return false;
	}

	sg_arena *arena = sg_arena_new();
	sg_diags diags;
	sg_diags_init(&diags, arena, name);
	sg_mustache_set *set = NULL;
	sg_mustache_set_new(&set, arena);
	const cJSON *p;
	cJSON_ArrayForEach(p, partials) {
		const char *src = cJSON_GetStringValue(p);
		if (p->string && src)
			sg_mustache_set_add(set, p->string, NULL, src, strlen(src));
	}

	sg_buf out = SG_BUF_INIT;
	sg_mustache_tpl *tpl = NULL;
	int rc = sg_mustache_compile(&tpl, arena, &diags, name, tmpl, strlen(tmpl));
	if (rc == SG_OK) {
		sg_mustache_opts opts = {.partials = set};
		rc = sg_mustache_render(&out, tpl, data, &opts, &diags);
	}
	bool ok = rc == SG_OK && out.len == strlen(want) && !memcmp(out.ptr ? out.ptr : "", want, out.len);
	if (!ok) {
		printf("FAIL %s: %s\n", file, name);
		print_quoted("template", tmpl);
		print_quoted("expected", want);
		print_quoted("got", out.ptr);
		if (diags.count) {
			printf("    diagnostics:\n");
			fflush(stdout);
			sg_diags_print_text(&diags, stdout);
		}
	}
	sg_buf_free(&out);
	sg_arena_free(arena);
	return ok;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *shared = getenv("SHARED");
	if (!shared || !*shared)
		shared = "../shared";
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/testdata/mustache-spec", shared);

	DIR *d = opendir(dir);
	if (!d) {
		printf("cannot open %s (set SHARED)\n0 passed, 1 failed\n", dir);
		return 1;
	}
	char *names[256];
	size_t count = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && count < sizeof(names) / sizeof(names[0])) {
		size_t n = strlen(de->d_name);
		if (n > 5 && !strcmp(de->d_name + n - 5, ".json"))
			names[count++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), cmp_names);

	counts main_counts = {0, 0}, dyn_counts = {0, 0};
	bool seen_dynamic = false;
	for (size_t i = 0; i < count; i++) {
		bool dynamic = !strncmp(names[i], DYNAMIC_PREFIX, strlen(DYNAMIC_PREFIX));
		counts *c = dynamic ? &dyn_counts : &main_counts;
		seen_dynamic |= dynamic;
		char path[4352];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		size_t len = 0;
		char *text = slurp(path, &len);
		cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
		const cJSON *tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
		if (!cJSON_IsArray(tests)) {
			printf("FAIL %s: cannot read the tests of this file\n", names[i]);
			c->failed++;
		}
		const cJSON *t;
		cJSON_ArrayForEach(t, tests) {
			if (run_test(names[i], t))
				c->passed++;
			else
				c->failed++;
		}
		cJSON_Delete(root);
		free(text);
		free(names[i]);
	}
	if (seen_dynamic)
		printf("%s (optional, not counted below): %d passed, %d failed\n", DYNAMIC_PREFIX,
		       dyn_counts.passed, dyn_counts.failed);
	printf("%d passed, %d failed\n", main_counts.passed, main_counts.failed);
	return main_counts.failed || !main_counts.passed ? 1 : 0;
}
