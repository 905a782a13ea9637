/*
 * fuzz_mustache.c - libFuzzer harness of the Mustache engine (src/mustache/).
 *
 * Input: a template, optionally followed by a NUL byte and a JSON context
 * (an empty context otherwise).  The template is compiled, registered in a
 * set under the names "self" and "p" (so {{>self}}, {{<p}} and blocks
 * recurse into it), then rendered three ways: HTML escaping, C-string
 * escaping, and as a set template with partials.  Rendering is bounded as
 * for untrusted templates (max_steps, max_output), so a template that
 * expands exponentially stops with a diagnostic instead of timing out.
 *
 * Property checked beyond the sanitizers: rendering is deterministic (the
 * same template and context give the same bytes twice) and C escaping
 * never lets a raw '"', '\\' or line break of a value into the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_twice(const sg_mustache_tpl *tpl, const cJSON *ctx, sg_mustache_opts *opts,
			 sg_diags *diags)
{
	sg_buf a = SG_BUF_INIT, b = SG_BUF_INIT;
	int ra = sg_mustache_render(&a, tpl, ctx, opts, diags);
	int rb = sg_mustache_render(&b, tpl, ctx, opts, diags);
	if (ra != rb || (ra == SG_OK && (a.len != b.len || (a.len && memcmp(a.ptr, b.ptr, a.len)))))
		abort(); /* the same input rendered differently */
	sg_buf_free(&a);
	sg_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	const char *nul = memchr(src, '\0', size);
	size_t tlen = nul ? (size_t)(nul - src) : size;
	cJSON *ctx = NULL;
	if (nul)
		ctx = cJSON_ParseWithLength(nul + 1, size - tlen - 1);
	if (!ctx)
		ctx = cJSON_Parse("{\"name\": \"a\\\"b\\\\c\\nd\", \"list\": [1, {\"x\": true}], "
				  "\"t\": true, \"f\": false, \"n\": null}");

	sg_arena *arena = sg_arena_new();
	sg_diags diags;
	sg_diags_init(&diags, arena, "fuzz.mustache");
	sg_mustache_tpl *tpl = NULL;
	if (sg_mustache_compile(&tpl, arena, &diags, "fuzz.mustache", src, tlen) == SG_OK) {
		sg_mustache_set *set = NULL;
		sg_mustache_set_new(&set, arena);
		sg_mustache_set_add(set, "self", NULL, src, tlen);
		sg_mustache_set_add(set, "p", NULL, src, tlen);
		sg_mustache_opts opts;
		memset(&opts, 0, sizeof(opts));
		opts.max_steps = 200000;
		opts.max_output = 1 << 20;
		render_twice(tpl, ctx, &opts, &diags);
		opts.escape = sg_mustache_escape_c;
		render_twice(tpl, ctx, &opts, &diags);
		opts.partials = set;
		render_twice(tpl, ctx, &opts, &diags);
		sg_buf out = SG_BUF_INIT;
		sg_mustache_set_render(&out, set, "self", ctx, &opts, &diags);
		sg_buf_free(&out);

		/* C escaping of any value: no raw quote, backslash or newline. */
		static const char probe[] = "{{name}}";
		sg_mustache_tpl *esc = NULL;
		if (sg_mustache_compile(&esc, arena, &diags, "probe", probe, sizeof(probe) - 1) ==
		    SG_OK) {
			cJSON *v = cJSON_CreateObject();
			cJSON_AddItemToObject(v, "name", cJSON_CreateString(
				sg_arena_strndup(arena, src, tlen)));
			sg_mustache_opts c;
			memset(&c, 0, sizeof(c));
			c.escape = sg_mustache_escape_c;
			sg_buf o = SG_BUF_INIT;
			if (sg_mustache_render(&o, esc, v, &c, &diags) == SG_OK)
				for (size_t i = 0; i < o.len; i++) {
					if (o.ptr[i] == '\n' || o.ptr[i] == '\r' || o.ptr[i] == '"')
						abort();
					if (o.ptr[i] == '\\') {
						if (i + 1 >= o.len)
							abort(); /* a lone trailing backslash */
						i++;     /* an escape sequence: skip its letter */
					}
				}
			sg_buf_free(&o);
			cJSON_Delete(v);
		}
	}
	cJSON_Delete(ctx);
	sg_arena_free(arena);
	return 0;
}
