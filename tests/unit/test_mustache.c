/*
 * test_mustache.c - the Mustache engine beyond what the spec's tests cover:
 * syntax errors as diagnostics with template:line:col, bounded recursion,
 * escaping callbacks, value printing, template sets and their directory
 * overrides, repeatable rendering.  (tests/unit/test_mustache_spec.c runs
 * the spec itself.)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcgen/mustache.h"

/* ---- helpers ------------------------------------------------------------- */

typedef struct fixture {
	sg_arena *arena;
	sg_diags diags;
	sg_mustache_set *set;
	sg_mustache_tpl *tpl;
	sg_buf out;
	int rc;
} fixture;

static void setup_fx(fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->arena = sg_arena_new();
	sg_diags_init(&f->diags, f->arena, "unused");
	assert_int_equal(sg_mustache_set_new(&f->set, f->arena), SG_OK);
}

static void teardown_fx(fixture *f)
{
	sg_buf_free(&f->out);
	sg_arena_free(f->arena);
}

static void add(fixture *f, const char *name, const char *src)
{
	assert_int_equal(sg_mustache_set_add(f->set, name, NULL, src, strlen(src)), SG_OK);
}

static int compile(fixture *f, const char *src)
{
	f->rc = sg_mustache_compile(&f->tpl, f->arena, &f->diags, "t.mustache", src, strlen(src));
	return f->rc;
}

/* Compile and render `src` against the JSON text `json` (NULL: no context). */
static int render_with(fixture *f, const char *src, const char *json,
		       sg_mustache_escape_fn escape, void *payload)
{
	if (compile(f, src) != SG_OK)
		return f->rc;
	cJSON *ctx = json ? cJSON_Parse(json) : NULL;
	if (json)
		assert_non_null(ctx);
	sg_mustache_opts opts = {.partials = f->set, .escape = escape, .escape_payload = payload};
	sg_buf_clear(&f->out);
	f->rc = sg_mustache_render(&f->out, f->tpl, ctx, &opts, &f->diags);
	cJSON_Delete(ctx);
	return f->rc;
}

static int render(fixture *f, const char *src, const char *json)
{
	return render_with(f, src, json, NULL, NULL);
}

static const char *output(const fixture *f)
{
	return f->out.ptr ? f->out.ptr : "";
}

static void expect_diag(const fixture *f, size_t i, const char *code, const char *file,
			unsigned line, unsigned col, const char *needle)
{
	assert_true(i < f->diags.count);
	const sg_diag *d = &f->diags.items[i];
	assert_string_equal(d->code, code);
	assert_string_equal(d->file, file);
	assert_int_equal(d->severity, SG_SEV_ERROR);
	assert_int_equal(d->pos.line, line);
	assert_int_equal(d->pos.col, col);
	if (needle && !strstr(d->message, needle))
		fail_msg("message '%s' lacks '%s'", d->message, needle);
}

/* A template that must not compile, with its one diagnostic. */
static void expect_syntax_error(const char *src, unsigned line, unsigned col, const char *needle)
{
	fixture f;
	setup_fx(&f);
	assert_int_equal(compile(&f, src), SG_EFINDINGS);
	assert_null(f.tpl);
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "template-syntax", "t.mustache", line, col, needle);
	teardown_fx(&f);
}

/* ---- syntax errors ------------------------------------------------------------ */

static void test_unclosed_section(void **state)
{
	(void)state;
	expect_syntax_error("a\n  {{#s}}x", 2, 3, "section 's' is never closed");
	expect_syntax_error("{{^s}}", 1, 1, "inverted section 's' is never closed");
	expect_syntax_error("x {{$b}}", 1, 3, "block 'b' is never closed");
	expect_syntax_error("{{<p}}\n", 1, 1, "parent 'p' is never closed");
}

static void test_every_unclosed_section_is_reported(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(compile(&f, "{{#a}}\n{{#b}}\n"), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 2);
	sg_diags_sort(&f.diags);
	expect_diag(&f, 0, "template-syntax", "t.mustache", 1, 1, "'a'");
	expect_diag(&f, 1, "template-syntax", "t.mustache", 2, 1, "'b'");
	teardown_fx(&f);
}

static void test_mismatched_close(void **state)
{
	(void)state;
	expect_syntax_error("{{#a}}{{/b}}", 1, 7, "closing tag 'b' does not match section 'a' opened at 1:1");
	expect_syntax_error("{{#a}}\n{{#b}}\n  {{/a}}\n", 3, 3, "does not match section 'b' opened at 2:1");
	expect_syntax_error("x\n{{/a}}", 2, 1, "closing tag 'a' has no open section");
}

static void test_bad_delimiter_tags(void **state)
{
	(void)state;
	expect_syntax_error("{{=<% %>}}", 1, 1, "must end with '='");
	expect_syntax_error("ab {{=<%%>=}}", 1, 4, "two delimiters");
	expect_syntax_error("{{= =}}", 1, 1, "two delimiters");
	expect_syntax_error("{{=a b c=}}", 1, 1, "two delimiters");
	expect_syntax_error("{{=<= =>=}}", 1, 1, "may not contain '='");
	expect_syntax_error("x\n{{=<% %>=", 2, 1, "not closed");
	/* The new delimiters are in force for the errors that follow. */
	expect_syntax_error("{{=<% %>=}}\n<%name", 2, 1, "expected '%>'");
}

static void test_unclosed_tag(void **state)
{
	(void)state;
	expect_syntax_error("{{name", 1, 1, "tag is not closed: expected '}}'");
	expect_syntax_error("line\nhello {{name", 2, 7, "not closed");
	expect_syntax_error("{{{name}}", 1, 1, "expected '}}}'");
	expect_syntax_error("{{a {{b}}", 1, 1, "not closed");
	expect_syntax_error("{{! comment", 1, 1, "not closed");
}

static void test_bad_names(void **state)
{
	(void)state;
	expect_syntax_error("{{}}", 1, 1, "no name");
	expect_syntax_error("{{#}}{{/}}", 1, 1, "no name");
	expect_syntax_error("{{>*}}", 1, 1, "no name");
	expect_syntax_error("{{a b}}", 1, 1, "contains blanks");
	expect_syntax_error("{{a..b}}", 1, 1, "not a valid dotted name");
	expect_syntax_error("{{#.a}}{{/.a}}", 1, 1, "not a valid dotted name");
}

static void test_columns_count_characters(void **state)
{
	(void)state;
	/* "é" is two bytes, one character. */
	expect_syntax_error("\xc3\xa9 {{#a}}", 1, 3, "never closed");
}

static void test_nesting_limit(void **state)
{
	(void)state;
	sg_buf src = SG_BUF_INIT;
	for (int i = 0; i <= SG_MUSTACHE_MAX_NESTING; i++)
		sg_buf_puts(&src, "{{#a}}");
	fixture f;
	setup_fx(&f);
	assert_int_equal(compile(&f, src.ptr), SG_EFINDINGS);
	expect_diag(&f, 0, "template-limit", "t.mustache", 1,
		    1 + 6 * SG_MUSTACHE_MAX_NESTING, "nested");
	teardown_fx(&f);
	sg_buf_free(&src);
}

static void test_usage_errors(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(sg_mustache_compile(NULL, f.arena, &f.diags, "t", "", 0), SG_EUSAGE);
	assert_int_equal(sg_mustache_compile(&f.tpl, f.arena, &f.diags, NULL, "", 0), SG_EUSAGE);
	assert_int_equal(sg_mustache_render(&f.out, NULL, NULL, NULL, &f.diags), SG_EUSAGE);
	assert_int_equal(sg_mustache_set_add(f.set, NULL, NULL, "", 0), SG_EUSAGE);
	assert_int_equal(f.diags.count, 0);
	teardown_fx(&f);
}

/* ---- partials --------------------------------------------------------------------- */

static void test_missing_partial_renders_empty(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(render(&f, "[{{>nope}}]\n  {{>nope}}\n[{{<nope}}{{$a}}x{{/a}}{{/nope}}]",
				"{}"), SG_OK);
	assert_string_equal(output(&f), "[]\n[]");
	assert_int_equal(f.diags.count, 0);
	/* Without a set, every partial is missing. */
	assert_int_equal(compile(&f, "[{{>p}}]"), SG_OK);
	sg_buf_clear(&f.out);
	assert_int_equal(sg_mustache_render(&f.out, f.tpl, NULL, NULL, &f.diags), SG_OK);
	assert_string_equal(output(&f), "[]");
	teardown_fx(&f);
}

static void test_partial_recursion_is_bounded(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* `a` is found again in the root context at every level: never ends. */
	assert_int_equal(sg_mustache_set_add(f.set, "p", "p.mustache", "x\n {{#a}}{{>p}}{{/a}}", 21),
			 SG_OK);
	assert_int_equal(render(&f, "{{>p}}", "{\"a\": true}"), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "template-recursion", "p.mustache", 2, 8, "nested more than 64");
	teardown_fx(&f);
}

static void test_standalone_partial_recursion_is_bounded(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* Standalone: the indentation grows at every level too. */
	add(&f, "p", "line\n  {{>p}}\n");
	assert_int_equal(render(&f, "{{>p}}", NULL), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "template-recursion", "p", 2, 3, NULL);
	teardown_fx(&f);
}

static void test_parent_recursion_is_bounded(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	add(&f, "p", "{{<p}}{{$b}}x{{/b}}{{/p}}");
	assert_int_equal(render(&f, "{{<p}}{{/p}}", NULL), SG_EFINDINGS);
	expect_diag(&f, 0, "template-recursion", "p", 1, 1, NULL);
	teardown_fx(&f);
}

static void test_block_recursion_is_bounded(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* The argument `a` holds a block `a`, which the argument overrides... */
	add(&f, "p", "{{$a}}{{/a}}");
	assert_int_equal(render(&f, "{{<p}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/p}}", NULL), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	assert_string_equal(f.diags.items[0].code, "template-recursion");
	teardown_fx(&f);
}

static void test_work_is_bounded(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* p0 includes p1 twice, p1 p2 twice...: 2^40 expansions, never deeper
	 * than 41, no output. */
	char name[16], src[64];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(src, sizeof(src), "{{>p%d}}{{>p%d}}", i + 1, i + 1);
		add(&f, name, src);
	}
	assert_int_equal(compile(&f, "{{>p0}}"), SG_OK);
	sg_mustache_opts opts = {.partials = f.set, .max_steps = 10000};
	assert_int_equal(sg_mustache_render(&f.out, f.tpl, NULL, &opts, &f.diags), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	assert_string_equal(f.diags.items[0].code, "template-limit");
	assert_non_null(strstr(f.diags.items[0].message, "over 10000 steps"));
	assert_int_equal(f.diags.items[0].file[0], 'p');

	/* Output: a list of 1000 items, 8 bytes each, against a 4 KiB bound. */
	sg_buf json = SG_BUF_INIT;
	sg_buf_puts(&json, "{\"l\": [0");
	for (int i = 1; i < 1000; i++)
		sg_buf_puts(&json, ",0");
	sg_buf_puts(&json, "]}");
	cJSON *ctx = cJSON_Parse(json.ptr);
	sg_buf_free(&json);
	assert_int_equal(compile(&f, "{{#l}}1234567\n{{/l}}"), SG_OK);
	opts = (sg_mustache_opts){.max_output = 4096};
	sg_buf_clear(&f.out);
	assert_int_equal(sg_mustache_render(&f.out, f.tpl, ctx, &opts, &f.diags), SG_EFINDINGS);
	/* Text has no position of its own: the section tag around it. */
	expect_diag(&f, 1, "template-limit", "t.mustache", 1, 1, "output is over 4096 bytes");
	assert_true(f.out.len <= 4096 + 8);
	cJSON_Delete(ctx);
	teardown_fx(&f);
}

static void test_partial_syntax_error_names_the_partial(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(sg_mustache_set_add(f.set, "p", "dir/p.mustache", "ok\n{{#x}}", 9), SG_OK);
	assert_int_equal(render(&f, "a{{>p}}b", NULL), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "template-syntax", "dir/p.mustache", 2, 1, "never closed");
	/* Compiled once: the second rendering fails without a second report. */
	sg_buf_clear(&f.out);
	assert_int_equal(sg_mustache_render(&f.out, f.tpl, NULL,
					    &(sg_mustache_opts){.partials = f.set}, &f.diags),
			 SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	teardown_fx(&f);
}

static void test_indentation_skips_empty_lines(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	add(&f, "p", "a\n\n{{#s}}\nb\n{{/s}}\n\tc {{x}}\n");
	assert_int_equal(render(&f, "{\n  {{>p}}\n}\n", "{\"s\": true, \"x\": \"1\\n2\"}"), SG_OK);
	/* Interpolated line breaks are not indented; template lines are. */
	assert_string_equal(output(&f), "{\n  a\n\n  b\n  \tc 1\n2\n}\n");
	teardown_fx(&f);
}

static void test_inline_partial_keeps_outer_indentation(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* `q` is inline in `wrap`, so its lines are not indented, but its first
	 * output still starts the line `wrap` indents. */
	add(&f, "wrap", "{{>q}} end\n");
	add(&f, "q", "{{#s}}\nfoo\n{{/s}}");
	assert_int_equal(render(&f, "  {{>wrap}}\n", "{\"s\": [1, 2]}"), SG_OK);
	assert_string_equal(output(&f), "  foo\nfoo\n end\n");
	teardown_fx(&f);
}

/* ---- escaping ------------------------------------------------------------------------ */

static void test_default_escape_is_html(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(render(&f, "{{x}}|{{{x}}}|{{&x}}", "{\"x\": \"<a href=\\\"q\\\">&'\"}"),
			 SG_OK);
	assert_string_equal(output(&f), "&lt;a href=&quot;q&quot;&gt;&amp;'|<a href=\"q\">&'|<a href=\"q\">&'");
	teardown_fx(&f);
}

typedef struct bracket {
	int calls;
} bracket;

static void bracket_escape(sg_buf *out, const char *s, size_t len, void *payload)
{
	((bracket *)payload)->calls++;
	sg_buf_putc(out, '[');
	sg_buf_put(out, s, len);
	sg_buf_putc(out, ']');
}

static void test_escape_callback(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	bracket b = {0};
	assert_int_equal(render_with(&f, "{{x}} {{{x}}} {{&x}} {{n}} {{missing}}{{#l}}{{.}}{{/l}}",
				     "{\"x\": \"<&>\", \"n\": 7, \"l\": [\"a\", \"b\"]}",
				     bracket_escape, &b), SG_OK);
	/* Only {{name}} with something to print reaches the escaper. */
	assert_string_equal(output(&f), "[<&>] <&> <&> [7] [a][b]");
	assert_int_equal(b.calls, 4);
	teardown_fx(&f);
}

static void test_escape_none_and_c(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	/* "?\?" in these literals: "??=" would be a trigraph under -std=c11. */
	const char *ctx = "{\"x\": \"a\\\"b\\\\c\\nd\\te?\?=f?\?\?g\\u0001h\\u007f\\u00e9<&>\"}";
	assert_int_equal(render_with(&f, "\"{{x}}\"", ctx, sg_mustache_escape_c, NULL), SG_OK);
	assert_string_equal(output(&f), "\"a\\\"b\\\\c\\nd\\te?\\?=f?\\?\\?g\\001h\\177\xc3\xa9<&>\"");
	assert_int_equal(render_with(&f, "{{x}}", ctx, sg_mustache_escape_none, NULL), SG_OK);
	assert_string_equal(output(&f), "a\"b\\c\nd\te?\?=f?\?\?g\x01h\x7f\xc3\xa9<&>");
	teardown_fx(&f);
}

/* ---- values ---------------------------------------------------------------------------- */

static void test_value_printing(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(render_with(&f,
		"{{i}} {{f}} {{neg}} {{e}} {{big}} {{z}} {{t}} {{no}} [{{n}}] {{arr}} {{obj}} {{tiny}}",
		"{\"i\": 85, \"f\": 1.210, \"neg\": -3.5, \"e\": 1e21, \"big\": 9007199254740991,"
		" \"z\": -0.0, \"t\": true, \"no\": false, \"n\": null, \"arr\": [1, \"a\"],"
		" \"obj\": {\"k\": {}}, \"tiny\": 0.1}",
		sg_mustache_escape_none, NULL), SG_OK);
	assert_string_equal(output(&f),
		"85 1.21 -3.5 1e+21 9007199254740991 0 true false [] [1,\"a\"] {\"k\":{}} 0.1");
	teardown_fx(&f);
}

static void test_truthiness(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	assert_int_equal(render(&f,
		"{{#empty}}E{{/empty}}{{^empty}}e{{/empty}}"
		"{{#zero}}Z{{.}}{{/zero}}{{#obj}}O{{/obj}}{{#list}}L{{/list}}{{^list}}l{{/list}}"
		"{{#null}}N{{/null}}{{^missing}}m{{/missing}}{{#s}}<{{.}}>{{/s}}",
		"{\"empty\": \"\", \"zero\": 0, \"obj\": {}, \"list\": [], \"null\": null, \"s\": \"v\"}"),
		SG_OK);
	assert_string_equal(output(&f), "eZ0Olm<v>");
	teardown_fx(&f);
}

/* ---- rendering twice ------------------------------------------------------------------- */

static void test_render_twice_same_bytes(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	add(&f, "row", "  - {{name}}{{#tags}} #{{.}}{{/tags}}\n");
	add(&f, "layout", "<{{$body}}default{{/body}}>\n");
	const char *src = "{{<layout}}{{$body}}\n{{#items}}\n  {{>row}}\n{{/items}}\n{{/body}}{{/layout}}"
			  "{{=<% %>=}}<%n%>\n";
	cJSON *ctx = cJSON_Parse("{\"n\": 2.50, \"items\": [{\"name\": \"a\", \"tags\": [\"x\", \"y\"]},"
				 " {\"name\": \"b&c\"}]}");
	assert_non_null(ctx);
	assert_int_equal(compile(&f, src), SG_OK);
	sg_mustache_opts opts = {.partials = f.set};
	sg_buf a = SG_BUF_INIT, b = SG_BUF_INIT;
	assert_int_equal(sg_mustache_render(&a, f.tpl, ctx, &opts, &f.diags), SG_OK);
	assert_int_equal(sg_mustache_render(&b, f.tpl, ctx, &opts, &f.diags), SG_OK);
	assert_string_equal(a.ptr, "<    - a #x #y\n    - b&amp;c\n>\n2.5\n");
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	/* Rendering appends. */
	sg_buf c = SG_BUF_INIT;
	sg_buf_puts(&c, "head:");
	assert_int_equal(sg_mustache_render(&c, f.tpl, ctx, &opts, &f.diags), SG_OK);
	assert_int_equal(c.len, 5 + a.len);
	assert_memory_equal(c.ptr + 5, a.ptr, a.len);
	sg_buf_free(&a);
	sg_buf_free(&b);
	sg_buf_free(&c);
	cJSON_Delete(ctx);
	assert_string_equal(sg_mustache_tpl_name(f.tpl), "t.mustache");
	teardown_fx(&f);
}

/* ---- template sets ------------------------------------------------------------------------ */

static const sg_embedded_file stock[] = {
	{"main", "A{{>part}}|{{>extra}}", 21},
	{"part", "stock part", 10},
	{"broken", "{{#x}}", 6},
	{NULL, NULL, 0},
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void remove_file(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void test_set_embedded_only(void **state)
{
	(void)state;
	fixture f;
	setup_fx(&f);
	sg_mustache_set *set = NULL;
	assert_int_equal(sg_mustache_set_open(&set, f.arena, &f.diags, stock, NULL), SG_OK);
	assert_int_equal(sg_mustache_set_render(&f.out, set, "main", NULL, NULL, &f.diags), SG_OK);
	assert_string_equal(output(&f), "Astock part|");
	/* Compiled once, then cached. */
	const sg_mustache_tpl *t1 = NULL, *t2 = NULL;
	assert_int_equal(sg_mustache_set_get(&t1, set, &f.diags, "part"), SG_OK);
	assert_int_equal(sg_mustache_set_get(&t2, set, &f.diags, "part"), SG_OK);
	assert_non_null(t1);
	assert_ptr_equal(t1, t2);
	assert_int_equal(sg_mustache_set_get(&t1, set, &f.diags, "none"), SG_OK);
	assert_null(t1);
	/* A broken template reports once, however often it is asked for. */
	assert_int_equal(sg_mustache_set_get(&t1, set, &f.diags, "broken"), SG_EFINDINGS);
	assert_int_equal(sg_mustache_set_get(&t1, set, &f.diags, "broken"), SG_EFINDINGS);
	assert_int_equal(f.diags.count, 1);
	expect_diag(&f, 0, "template-syntax", "broken", 1, 1, NULL);
	teardown_fx(&f);
}

static void test_set_directory_overrides_embedded(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char dir[512];
#ifdef P_tmpdir
	if (!tmp || !*tmp)
		tmp = P_tmpdir;
#endif
	snprintf(dir, sizeof(dir), "%s/svcgen-mustache-XXXXXX", tmp && *tmp ? tmp : ".");
	assert_non_null(mkdtemp(dir));
	write_file(dir, "part.mustache", "user part");
	write_file(dir, "extra.mustache", "extra {{x}}");
	write_file(dir, "notes.txt", "ignored");
	write_file(dir, ".hidden.mustache", "ignored");
	write_file(dir, "bad.mustache", "\n  {{/x}}");

	fixture f;
	setup_fx(&f);
	sg_mustache_set *set = NULL;
	assert_int_equal(sg_mustache_set_open(&set, f.arena, &f.diags, stock, dir), SG_OK);
	cJSON *ctx = cJSON_Parse("{\"x\": \"<1>\"}");
	assert_int_equal(sg_mustache_set_render(&f.out, set, "main", ctx, NULL, &f.diags), SG_OK);
	assert_string_equal(output(&f), "Auser part|extra &lt;1&gt;");
	const sg_mustache_tpl *t = NULL;
	assert_int_equal(sg_mustache_set_get(&t, set, &f.diags, "notes"), SG_OK);
	assert_null(t);
	assert_int_equal(sg_mustache_set_get(&t, set, &f.diags, ".hidden"), SG_OK);
	assert_null(t);
	/* Diagnostics of a file name its path. */
	assert_int_equal(sg_mustache_set_get(&t, set, &f.diags, "bad"), SG_EFINDINGS);
	char path[1024];
	snprintf(path, sizeof(path), "%s/bad.mustache", dir);
	expect_diag(&f, 0, "template-syntax", path, 2, 3, "no open section");
	/* Asking for a template the set lacks is the caller's error. */
	sg_buf_clear(&f.out);
	assert_int_equal(sg_mustache_set_render(&f.out, set, "nothing", ctx, NULL, &f.diags),
			 SG_EUSAGE);
	expect_diag(&f, 1, "template-missing", "nothing", 0, 0, "no template named 'nothing'");
	cJSON_Delete(ctx);
	teardown_fx(&f);

	remove_file(dir, "part.mustache");
	remove_file(dir, "extra.mustache");
	remove_file(dir, "notes.txt");
	remove_file(dir, ".hidden.mustache");
	remove_file(dir, "bad.mustache");
	assert_int_equal(rmdir(dir), 0);

	/* A directory that is not there. */
	setup_fx(&f);
	assert_int_equal(sg_mustache_set_open(&set, f.arena, &f.diags, stock, dir), SG_EIO);
	assert_non_null(set);
	expect_diag(&f, 0, "io", dir, 0, 0, "cannot open template directory");
	teardown_fx(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unclosed_section),
		cmocka_unit_test(test_every_unclosed_section_is_reported),
		cmocka_unit_test(test_mismatched_close),
		cmocka_unit_test(test_bad_delimiter_tags),
		cmocka_unit_test(test_unclosed_tag),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_columns_count_characters),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_missing_partial_renders_empty),
		cmocka_unit_test(test_partial_recursion_is_bounded),
		cmocka_unit_test(test_standalone_partial_recursion_is_bounded),
		cmocka_unit_test(test_parent_recursion_is_bounded),
		cmocka_unit_test(test_block_recursion_is_bounded),
		cmocka_unit_test(test_work_is_bounded),
		cmocka_unit_test(test_partial_syntax_error_names_the_partial),
		cmocka_unit_test(test_indentation_skips_empty_lines),
		cmocka_unit_test(test_inline_partial_keeps_outer_indentation),
		cmocka_unit_test(test_default_escape_is_html),
		cmocka_unit_test(test_escape_callback),
		cmocka_unit_test(test_escape_none_and_c),
		cmocka_unit_test(test_value_printing),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_render_twice_same_bytes),
		cmocka_unit_test(test_set_embedded_only),
		cmocka_unit_test(test_set_directory_overrides_embedded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
