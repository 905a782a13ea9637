/*
 * test_hcl.c - the HCL writer (include/svcgen/hcl.h): exact output for
 * escaping, alignment groups, blocks, objects, tuples, calls, templates,
 * numbers, references, JSON conversion, and every way to misuse the API.
 *
 * Expected texts are what `terraform fmt` leaves unchanged; the layouts
 * were cross-checked with hclwrite v2.23.0 (tests/suites/hcl_fmt.sh checks
 * a larger sample automatically).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "svcgen/arena.h"
#include "svcgen/buf.h"
#include "svcgen/hcl.h"
#include "svcgen/spec.h"

static int setup(void **state)
{
	*state = sg_arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	sg_arena_free(*state);
	return 0;
}

/*
 * With SG_HCL_DUMP=DIR every successful render is also written to
 * DIR/NNN.tf, so tests/suites/hcl_fmt.sh can run HCL's formatter over the
 * exact texts these tests expect.
 */
static void dump(const sg_buf *out)
{
	static int n;
	const char *dir = getenv("SG_HCL_DUMP");
	if (!dir)
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/%03d.tf", dir, n++);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (out->len)
		assert_int_equal(fwrite(out->ptr, 1, out->len, f), out->len);
	assert_int_equal(fclose(f), 0);
}

/* sg_hcl_write into a string owned by the arena; NULL on error. */
static const char *render(sg_arena *a, const sg_hcl_body *b)
{
	sg_buf out = SG_BUF_INIT;
	if (sg_hcl_write(&out, b) != SG_OK) {
		sg_buf_free(&out);
		return NULL;
	}
	dump(&out);
	if (!out.ptr)
		return "";
	return sg_buf_to_arena(&out, a, NULL);
}

static const char *escape(sg_arena *a, const char *s, size_t len)
{
	sg_buf out = SG_BUF_INIT;
	sg_hcl_escape(&out, s, len);
	if (!out.ptr)
		return "";
	return sg_buf_to_arena(&out, a, NULL);
}

#define ESC(s) escape(a, (s), sizeof(s) - 1)

static sg_hcl_body *block(sg_hcl_body *parent, const char *type, const char *l1, const char *l2)
{
	const char *labels[2] = {l1, l2};
	sg_hcl_body *b = NULL;
	assert_int_equal(sg_hcl_block_add(&b, parent, type, labels, l2 ? 2 : l1 ? 1 : 0), SG_OK);
	assert_non_null(b);
	return b;
}

static sg_hcl_expr *obj1(sg_arena *a, const char *k, sg_hcl_expr *v)
{
	sg_hcl_expr *o = sg_hcl_object(a);
	assert_int_equal(sg_hcl_object_put(o, k, v), SG_OK);
	return o;
}

/* ---- text ----------------------------------------------------------------- */

static void test_escape_specials(void **state)
{
	sg_arena *a = *state;
	assert_string_equal(ESC(""), "");
	assert_string_equal(ESC("plain text"), "plain text");
	assert_string_equal(ESC("a\"b\\c"), "a\\\"b\\\\c");
	assert_string_equal(ESC("l1\nl2\r\n\tx"), "l1\\nl2\\r\\n\\tx");
	/* template introducers are doubled; lone sigils stay */
	assert_string_equal(ESC("${var.x}"), "$${var.x}");
	assert_string_equal(ESC("%{ if x }"), "%%{ if x }");
	assert_string_equal(ESC("$${x}"), "$$${x}");
	assert_string_equal(ESC("%%{x}"), "%%%{x}");
	assert_string_equal(ESC("$x $ 100% {} %"), "$x $ 100% {} %");
	assert_string_equal(ESC("$"), "$");
	assert_string_equal(ESC("a${"), "a$${");
	assert_string_equal(ESC("{${}"), "{$${}");
}

static void test_escape_unprintable(void **state)
{
	sg_arena *a = *state;
	assert_string_equal(ESC("\x01\x1f\x7f"), "\\u0001\\u001f\\u007f");
	assert_string_equal(escape(a, "a\0b", 3), "a\\u0000b");
	assert_string_equal(ESC("\xC2\x85"), "\\u0085");             /* C1 control NEL */
	assert_string_equal(ESC("\xC2\xA0"), "\\u00a0");             /* no-break space */
	assert_string_equal(ESC("\xC2\xAD"), "\\u00ad");             /* soft hyphen */
	assert_string_equal(ESC("\xE2\x80\x8B"), "\\u200b");         /* zero width space */
	assert_string_equal(ESC("\xE2\x80\x8D"), "\\u200d");         /* zero width joiner */
	assert_string_equal(ESC("\xE2\x80\xA8"), "\\u2028");         /* line separator */
	assert_string_equal(ESC("\xE2\x80\xAE"), "\\u202e");         /* bidi override */
	assert_string_equal(ESC("\xE3\x80\x80"), "\\u3000");         /* ideographic space */
	assert_string_equal(ESC("\xEF\xBB\xBF"), "\\ufeff");         /* BOM */
	assert_string_equal(ESC("\xEE\x80\x80"), "\\ue000");         /* private use */
	assert_string_equal(ESC("\xEF\xBF\xBF"), "\\uffff");         /* noncharacter */
	assert_string_equal(ESC("\xCD\xB8"), "\\u0378");             /* unassigned */
	assert_string_equal(ESC("\xF3\xB0\x80\x80"), "\\U000f0000"); /* plane 15 */
	assert_string_equal(ESC("\xF3\xA0\x80\x81"), "\\U000e0001"); /* language tag */
}

static void test_escape_unicode_passes(void **state)
{
	sg_arena *a = *state;
	const char *s = "h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x89 e\xCC\x81 \xD8\xB9";
	assert_string_equal(escape(a, s, strlen(s)), s);
	/* U+FFFD itself is printable */
	assert_string_equal(ESC("\xEF\xBF\xBD"), "\xEF\xBF\xBD");
}

static void test_escape_invalid_utf8(void **state)
{
	sg_arena *a = *state;
#define FFFD "\xEF\xBF\xBD"
	assert_string_equal(ESC("x\xFFy"), "x" FFFD "y");
	assert_string_equal(ESC("\xC3"), FFFD);                    /* truncated */
	assert_string_equal(ESC("\xC3("), FFFD "(");               /* bad continuation */
	assert_string_equal(ESC("\xC0\xAF"), FFFD FFFD);           /* overlong */
	assert_string_equal(ESC("\xE0\x80\xAF"), FFFD FFFD FFFD);  /* overlong */
	assert_string_equal(ESC("\xED\xA0\x80"), FFFD FFFD FFFD);  /* surrogate */
	assert_string_equal(ESC("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD); /* > U+10FFFF */
	assert_string_equal(ESC("\x80"), FFFD);                    /* lone continuation */
#undef FFFD
}

static void test_columns(void **state)
{
	(void)state;
#define COLS(s) sg_hcl_columns((s), sizeof(s) - 1)
	assert_int_equal(COLS(""), 0);
	assert_int_equal(COLS("abc"), 3);
	assert_int_equal(COLS("\"a\\n\""), 5);
	assert_int_equal(COLS("\xC3\xA9"), 1);                       /* é */
	assert_int_equal(COLS("e\xCC\x81\xCC\x81x"), 2);             /* e + 2 marks, x */
	assert_int_equal(COLS("\xE6\x97\xA5\xE6\x9C\xAC"), 2);       /* wide, still 1 each */
	assert_int_equal(COLS("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"), 1); /* emoji + skin tone */
	assert_int_equal(COLS("\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA\xF0\x9F\x87\xAB"), 2); /* 3 RI */
	assert_int_equal(COLS("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), 1); /* Hangul L V T */
	assert_int_equal(COLS("\xE0\xA4\x95\xE0\xA4\xBF"), 1);       /* Devanagari ki */
	assert_int_equal(COLS("\r\n"), 1);
	assert_int_equal(COLS("\xFF\xFE"), 2);
#undef COLS
}

static void test_is_ident(void **state)
{
	(void)state;
	assert_true(sg_hcl_is_ident("a"));
	assert_true(sg_hcl_is_ident("_x"));
	assert_true(sg_hcl_is_ident("function_name"));
	assert_true(sg_hcl_is_ident("a-b-1"));
	assert_true(sg_hcl_is_ident("Fn"));
	assert_false(sg_hcl_is_ident(NULL));
	assert_false(sg_hcl_is_ident(""));
	assert_false(sg_hcl_is_ident("1a"));
	assert_false(sg_hcl_is_ident("-a"));
	assert_false(sg_hcl_is_ident("a b"));
	assert_false(sg_hcl_is_ident("a.b"));
	assert_false(sg_hcl_is_ident("a:b"));
	assert_false(sg_hcl_is_ident("\xC3\xA9t\xC3\xA9"));
}

/* ---- bodies and layout ---------------------------------------------------- */

static void test_strings_written(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	assert_int_equal(sg_hcl_attr_str(f, "q", "say \"hi\" to C:\\"), SG_OK);
	assert_int_equal(sg_hcl_attr_str(f, "interp", "${not} %{this} $${x} $5"), SG_OK);
	assert_int_equal(sg_hcl_attr_str(f, "lines", "a\nb"), SG_OK);
	assert_int_equal(sg_hcl_attr_str(f, "empty", ""), SG_OK);
	assert_int_equal(sg_hcl_attr(f, "nul", sg_hcl_strn(a, "\0", 1)), SG_OK);
	assert_string_equal(render(a, f),
		"q      = \"say \\\"hi\\\" to C:\\\\\"\n"
		"interp = \"$${not} %%{this} $$${x} $5\"\n"
		"lines  = \"a\\nb\"\n"
		"empty  = \"\"\n"
		"nul    = \"\\u0000\"\n");
}

static void test_alignment_groups(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr_int(f, "a", 1);
	sg_hcl_attr_int(f, "bbb", 2);
	sg_hcl_blank(f);
	sg_hcl_attr_int(f, "cc", 3);
	/* a value spanning lines: its first line is not part of any group */
	sg_hcl_attr(f, "multi_line", obj1(a, "x", sg_hcl_int(a, 1)));
	sg_hcl_attr_int(f, "d", 4);
	sg_hcl_attr_int(f, "eeee", 5);
	sg_hcl_expr *t = sg_hcl_tuple_strs(a, (const char *[]){"p", "q"}, 2);
	sg_hcl_set_layout(t, SG_HCL_MULTILINE);
	sg_hcl_attr(f, "list", t);
	/* a one-line object is a single-line attribute like any other */
	sg_hcl_expr *o = obj1(a, "k", sg_hcl_str(a, "v"));
	sg_hcl_set_layout(o, SG_HCL_ONELINE);
	sg_hcl_attr(f, "inline_object", o);
	sg_hcl_attr_bool(f, "f", false);
	assert_string_equal(render(a, f),
		"a   = 1\n"
		"bbb = 2\n"
		"\n"
		"cc = 3\n"
		"multi_line = {\n"
		"  x = 1\n"
		"}\n"
		"d    = 4\n"
		"eeee = 5\n"
		"list = [\n"
		"  \"p\",\n"
		"  \"q\",\n"
		"]\n"
		"inline_object = { k = \"v\" }\n"
		"f             = false\n");
}

static void test_blank_lines(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_blank(f);                       /* leading: dropped */
	sg_hcl_attr_int(f, "a", 1);
	sg_hcl_blank(f);
	sg_hcl_blank(f);                       /* repeated: one */
	sg_hcl_attr_int(f, "b", 2);
	sg_hcl_blank(f);                       /* next to a block: one */
	sg_hcl_body *b = block(f, "x", NULL, NULL);
	sg_hcl_blank(b);
	sg_hcl_attr_int(b, "in", 1);
	sg_hcl_blank(b);                       /* trailing: dropped */
	sg_hcl_blank(f);
	sg_hcl_attr_int(f, "c", 3);
	sg_hcl_blank(f);
	assert_string_equal(render(a, f),
		"a = 1\n"
		"\n"
		"b = 2\n"
		"\n"
		"x {\n"
		"  in = 1\n"
		"}\n"
		"\n"
		"c = 3\n");
}

static void test_nested_blocks(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_body *r = block(f, "resource", "aws_lambda_function", "add_user");
	sg_hcl_attr_str(r, "function_name", "shop-dev-add_user");
	sg_hcl_attr_ref(r, "role", "aws_iam_role.add_user.arn");
	sg_hcl_body *env = block(r, "environment", NULL, NULL);
	sg_hcl_expr *vars = sg_hcl_object(a);
	sg_hcl_object_put(vars, "TABLE_ORDERS", sg_hcl_ref(a, "aws_dynamodb_table.orders.name"));
	sg_hcl_object_put(vars, "LOG_LEVEL", sg_hcl_str(a, "info"));
	sg_hcl_attr(env, "variables", vars);
	sg_hcl_body *n = block(r, "nested", "one", NULL);
	n = block(n, "deeper", "two", "three");
	sg_hcl_attr_int(n, "level", 3);
	block(n, "empty", NULL, NULL);
	sg_hcl_attr_int(r, "timeout", 10);
	block(f, "data", "aws_partition", "current");
	block(f, "resource", "x", "we\"ird \\ \xC3\xA9\xE2\x80\x8B");
	assert_string_equal(render(a, f),
		"resource \"aws_lambda_function\" \"add_user\" {\n"
		"  function_name = \"shop-dev-add_user\"\n"
		"  role          = aws_iam_role.add_user.arn\n"
		"\n"
		"  environment {\n"
		"    variables = {\n"
		"      TABLE_ORDERS = aws_dynamodb_table.orders.name\n"
		"      LOG_LEVEL    = \"info\"\n"
		"    }\n"
		"  }\n"
		"\n"
		"  nested \"one\" {\n"
		"    deeper \"two\" \"three\" {\n"
		"      level = 3\n"
		"\n"
		"      empty {}\n"
		"    }\n"
		"  }\n"
		"\n"
		"  timeout = 10\n"
		"}\n"
		"\n"
		"data \"aws_partition\" \"current\" {}\n"
		"\n"
		"resource \"x\" \"we\\\"ird \\\\ \xC3\xA9\\u200b\" {}\n");
}

static void test_objects(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_expr *o = sg_hcl_object(a);
	sg_hcl_object_put(o, "plain", sg_hcl_int(a, 1));
	sg_hcl_object_put(o, "aws:SourceArn", sg_hcl_str(a, "arn"));
	sg_hcl_object_put(o, "Fn::GetAtt", sg_hcl_int(a, 2));
	sg_hcl_object_put(o, "true", sg_hcl_int(a, 3));
	sg_hcl_object_put(o, "null", sg_hcl_int(a, 4));
	sg_hcl_object_put(o, "for", sg_hcl_int(a, 5));
	sg_hcl_object_put(o, "dash-ed", sg_hcl_int(a, 6));
	sg_hcl_object_put(o, "1st", sg_hcl_int(a, 7));
	sg_hcl_object_put(o, "${x}", sg_hcl_int(a, 8));
	sg_hcl_object_put(o, "\xE6\x97\xA5\xE6\x9C\xAC", sg_hcl_int(a, 9));
	sg_hcl_object_put(o, "nested", obj1(a, "inner", sg_hcl_object(a)));
	sg_hcl_object_put(o, "after", sg_hcl_bool(a, true));
	sg_hcl_attr(f, "o", o);
	sg_hcl_attr(f, "empty", sg_hcl_object(a));
	sg_hcl_expr *one = sg_hcl_object(a);
	sg_hcl_object_put(one, "a", sg_hcl_int(a, 1));
	sg_hcl_object_put(one, "b c", sg_hcl_str(a, "x"));
	sg_hcl_set_layout(one, SG_HCL_ONELINE);
	sg_hcl_attr(f, "one", one);
	assert_string_equal(render(a, f),
		"o = {\n"
		"  plain           = 1\n"
		"  \"aws:SourceArn\" = \"arn\"\n"
		"  \"Fn::GetAtt\"    = 2\n"
		"  \"true\"          = 3\n"
		"  \"null\"          = 4\n"
		"  \"for\"           = 5\n"
		"  dash-ed         = 6\n"
		"  \"1st\"           = 7\n"
		"  \"$${x}\"         = 8\n"
		"  \"\xE6\x97\xA5\xE6\x9C\xAC\"            = 9\n"
		"  nested = {\n"
		"    inner = {}\n"
		"  }\n"
		"  after = true\n"
		"}\n"
		"empty = {}\n"
		"one   = { a = 1, \"b c\" = \"x\" }\n");
}

/* hclwrite counts a quoted key's graphemes per scanner token: `$` is one */
static void test_key_columns_per_token(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_expr *o = sg_hcl_object(a);
	sg_hcl_object_put(o, "$\xCC\x81", sg_hcl_int(a, 1));     /* `$`, then a lone mark */
	sg_hcl_object_put(o, "e\xCC\x81", sg_hcl_int(a, 2));     /* one cluster */
	sg_hcl_object_put(o, "${\xCC\x81", sg_hcl_int(a, 3));    /* `$${`, then the mark */
	sg_hcl_object_put(o, "abcd", sg_hcl_int(a, 4));
	sg_hcl_attr(f, "o", o);
	assert_string_equal(render(a, f),
		"o = {\n"
		"  \"$\xCC\x81\"   = 1\n"
		"  \"e\xCC\x81\"    = 2\n"
		"  \"$${\xCC\x81\" = 3\n"
		"  abcd   = 4\n"
		"}\n");
}

static void test_tuples(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "strs", sg_hcl_tuple_strs(a, (const char *[]){"a", "b"}, 2));
	sg_hcl_attr(f, "empty", sg_hcl_tuple(a, NULL, 0));
	sg_hcl_expr *mixed[] = {sg_hcl_int(a, -1), sg_hcl_ref(a, "var.x"), sg_hcl_null(a)};
	sg_hcl_attr(f, "mixed", sg_hcl_tuple(a, mixed, 3));
	/* AUTO: an element spanning lines puts every element on its own line */
	sg_hcl_expr *inl = obj1(a, "k", sg_hcl_int(a, 1));
	sg_hcl_set_layout(inl, SG_HCL_ONELINE);
	sg_hcl_expr *objs[] = {inl, obj1(a, "deep", sg_hcl_tuple(a, NULL, 0))};
	sg_hcl_attr(f, "objects", sg_hcl_tuple(a, objs, 2));
	/* ONELINE keeps the brackets hugging a multi-line element */
	sg_hcl_expr *only = obj1(a, "a", sg_hcl_int(a, 1));
	sg_hcl_expr *hug = sg_hcl_tuple(a, &only, 1);
	sg_hcl_set_layout(hug, SG_HCL_ONELINE);
	sg_hcl_attr(f, "hug", hug);
	sg_hcl_expr *m = sg_hcl_tuple(a, mixed, 2);
	sg_hcl_set_layout(m, SG_HCL_MULTILINE);
	sg_hcl_attr(f, "multi", m);
	assert_string_equal(render(a, f),
		"strs  = [\"a\", \"b\"]\n"
		"empty = []\n"
		"mixed = [-1, var.x, null]\n"
		"objects = [\n"
		"  { k = 1 },\n"
		"  {\n"
		"    deep = []\n"
		"  },\n"
		"]\n"
		"hug = [{\n"
		"  a = 1\n"
		"}]\n"
		"multi = [\n"
		"  -1,\n"
		"  var.x,\n"
		"]\n");
}

static void test_calls(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "hash", sg_hcl_call1(a, "filebase64sha256", sg_hcl_str(a, "build/f.zip")));
	sg_hcl_attr(f, "now", sg_hcl_call(a, "timestamp", NULL, 0));
	sg_hcl_attr(f, "arn", sg_hcl_call1(a, "provider::aws::arn_parse", sg_hcl_str(a, "x")));
	sg_hcl_expr *args[] = {sg_hcl_ref(a, "var.tags"), obj1(a, "Name", sg_hcl_str(a, "n"))};
	sg_hcl_attr(f, "tags", sg_hcl_call(a, "merge", args, 2));
	sg_hcl_expr *two[] = {obj1(a, "a", sg_hcl_int(a, 1)), obj1(a, "b", sg_hcl_int(a, 2))};
	sg_hcl_attr(f, "two", sg_hcl_call(a, "merge", two, 2));
	sg_hcl_expr *c = sg_hcl_call(a, "coalesce", args, 1);
	sg_hcl_set_layout(c, SG_HCL_MULTILINE);
	sg_hcl_attr(f, "multi", c);
	sg_hcl_expr *e = sg_hcl_call(a, "f", NULL, 0);
	sg_hcl_set_layout(e, SG_HCL_MULTILINE);
	sg_hcl_attr(f, "empty_multi", e);
	assert_string_equal(render(a, f),
		"hash = filebase64sha256(\"build/f.zip\")\n"
		"now  = timestamp()\n"
		"arn  = provider::aws::arn_parse(\"x\")\n"
		"tags = merge(var.tags, {\n"
		"  Name = \"n\"\n"
		"})\n"
		/* hclwrite's indentation of this shape, odd as it looks */
		"two = merge({\n"
		"  a = 1\n"
		"  }, {\n"
		"  b = 2\n"
		"})\n"
		"multi = coalesce(\n"
		"  var.tags,\n"
		")\n"
		"empty_multi = f()\n");
}

static void test_templates(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_expr *t = sg_hcl_template(a);
	sg_hcl_template_interp(t, sg_hcl_ref(a, "aws_api_gateway_rest_api.api.execution_arn"));
	sg_hcl_template_lit(t, "/*/GET/users");
	sg_hcl_attr(f, "source_arn", t);

	t = sg_hcl_template(a);
	sg_hcl_template_lit(t, "price: $");
	sg_hcl_template_interp(t, sg_hcl_ref(a, "var.price"));
	sg_hcl_template_lit(t, "$$");
	sg_hcl_template_interp(t, sg_hcl_ref(a, "var.b"));
	sg_hcl_template_lit(t, " ${lit}$");
	sg_hcl_attr(f, "dollars", t);

	/* parts are escaped as one text: `$` + `{b}` is still `${b}` */
	t = sg_hcl_template(a);
	sg_hcl_template_lit(t, "a$");
	sg_hcl_template_lit(t, "");
	sg_hcl_template_lit(t, "{b}");
	sg_hcl_template_interp(t, sg_hcl_ref(a, "x.y"));
	sg_hcl_template_interp(t, sg_hcl_ref(a, "x.z"));
	sg_hcl_attr(f, "parts", t);

	/* inside ${} everything is on one line; hclwrite spaces `${- 1}` */
	t = sg_hcl_template(a);
	sg_hcl_template_interp(t, sg_hcl_int(a, -1));
	sg_hcl_template_interp(t, sg_hcl_call1(a, "jsonencode", obj1(a, "k", sg_hcl_tuple_strs(a, (const char *[]){"v"}, 1))));
	sg_hcl_attr(f, "flat", t);

	/* a lone interpolation is unwrapped at the top, as terraform fmt does */
	t = sg_hcl_template(a);
	sg_hcl_template_lit(t, "");
	sg_hcl_template_interp(t, sg_hcl_ref(a, "var.region"));
	sg_hcl_attr(f, "lone", t);
	sg_hcl_expr *inner = sg_hcl_template(a);
	sg_hcl_template_interp(inner, sg_hcl_ref(a, "var.a"));
	sg_hcl_attr(f, "nested", obj1(a, "kept", inner));
	sg_hcl_attr(f, "empty", sg_hcl_template(a));
	assert_string_equal(render(a, f),
		"source_arn = \"${aws_api_gateway_rest_api.api.execution_arn}/*/GET/users\"\n"
		"dollars    = \"price: ${\"$\"}${var.price}${\"$$\"}${var.b} $${lit}$\"\n"
		"parts      = \"a$${b}${x.y}${x.z}\"\n"
		"flat       = \"${- 1}${jsonencode({ k = [\"v\"] })}\"\n"
		"lone       = var.region\n"
		"nested = {\n"
		"  kept = \"${var.a}\"\n"
		"}\n"
		"empty = \"\"\n");
}

static void test_numbers(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "i", sg_hcl_int(a, 42));
	sg_hcl_attr(f, "neg", sg_hcl_int(a, -7));
	sg_hcl_attr(f, "min", sg_hcl_int(a, INT64_MIN));
	sg_hcl_attr(f, "half", sg_hcl_num(a, 2.5));
	sg_hcl_attr(f, "tenth", sg_hcl_num(a, 0.1));
	sg_hcl_attr(f, "third", sg_hcl_num(a, 1.0 / 3));
	sg_hcl_attr(f, "whole", sg_hcl_num(a, 3.0));
	sg_hcl_attr(f, "big", sg_hcl_num(a, 1e300));
	sg_hcl_attr(f, "tiny", sg_hcl_num(a, -1.5e-7));
	sg_hcl_attr(f, "text", sg_hcl_num_text(a, "12.50"));
	sg_hcl_attr(f, "exp", sg_hcl_num_text(a, "-1E+3"));
	assert_string_equal(render(a, f),
		"i     = 42\n"
		"neg   = -7\n"
		"min   = -9223372036854775808\n"
		"half  = 2.5\n"
		"tenth = 0.1\n"
		"third = 0.3333333333333333\n"
		"whole = 3\n"
		"big   = 1e+300\n"
		"tiny  = -1.5e-07\n"
		"text  = 12.50\n"
		"exp   = -1E+3\n");

	assert_null(sg_hcl_num(a, NAN));
	assert_null(sg_hcl_num(a, INFINITY));
	assert_null(sg_hcl_num(a, -INFINITY));
	const char *bad[] = {"", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1_000", "1 ", "1.2.3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(sg_hcl_num_text(a, bad[i]));
	assert_null(sg_hcl_num_text(a, NULL));
}

static void test_refs(void **state)
{
	sg_arena *a = *state;
	const char *good[] = {
		"aws_iam_role.add_user.arn", "data.aws_partition.current.partition", "var.tags",
		"count.index", "string", "aws_instance.x[0].id", "aws_subnet.s[*].id",
		"aws_subnet.s.*.id", "each.value[\"name\"]", "aws_instance.x.0.id", "a-b.c_d",
		"m[\"k with space $ %\"]",
	};
	sg_hcl_body *f = sg_hcl_body_new(a);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		sg_hcl_expr *e = sg_hcl_ref(a, good[i]);
		assert_non_null(e);
		char name[8];
		snprintf(name, sizeof name, "r%zu", i);
		assert_int_equal(sg_hcl_attr(f, name, e), SG_OK);
	}
	const char *out = render(a, f);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_non_null(strstr(out, good[i]));

	const char *bad[] = {
		"", "1x", "a.", "a..b", "a b", "a[", "a[]", "a[x]", "a[0", "a[\"k]",
		"a[\"${x}\"]", "a[\"%{x}\"]", "a[\"q\\\"\"]", "a.b.", ".a", "a.-b", "a[*]x",
		"var.x + 1", "f(x)", "\"s\"", "a::b", "a\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(sg_hcl_ref(a, bad[i]));
	assert_null(sg_hcl_ref(a, NULL));
	assert_non_null(strstr(out, "r8  = each.value[\"name\"]\n"));
}

/* ---- JSON ----------------------------------------------------------------- */

static const char policy[] =
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Sid\":\"ReadOrders\",\"Effect\":\"Allow\","
	"\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
	"\"Resource\":[\"@aws_dynamodb_table.orders.arn\",\"arn:aws:dynamodb:us-east-1:1:table/t/index/*\"]},"
	"{\"Effect\":\"Allow\",\"Action\":[\"xray:PutTraceSegments\"],\"Resource\":\"*\","
	"\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:${x}\"},"
	"\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3600,\"s3:max-keys\":2.5},"
	"\"Bool\":{\"aws:SecureTransport\":false},\"Null\":{\"k\":null}}}]}";

/* "@ref" strings become references. */
static sg_hcl_expr *at_refs(void *ctx, sg_arena *a, const cJSON *v)
{
	int *calls = ctx;
	(*calls)++;
	if (cJSON_IsString(v) && v->valuestring[0] == '@')
		return sg_hcl_ref(a, v->valuestring + 1);
	return NULL;
}

static void test_json_policy(void **state)
{
	sg_arena *a = *state;
	cJSON *j = cJSON_Parse(policy);
	assert_non_null(j);
	sg_hcl_expr *doc = NULL;
	int calls = 0;
	assert_int_equal(sg_hcl_from_json(&doc, a, j, at_refs, &calls), SG_OK);
	cJSON_Delete(j); /* the expression does not point into the cJSON tree */
	assert_int_equal(calls, 27);
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_body *r = block(f, "resource", "aws_iam_role_policy", "get_user");
	sg_hcl_attr_str(r, "name", "least-privilege");
	sg_hcl_attr_ref(r, "role", "aws_iam_role.get_user.id");
	sg_hcl_attr(r, "policy", sg_hcl_call1(a, "jsonencode", doc));
	assert_string_equal(render(a, f),
		"resource \"aws_iam_role_policy\" \"get_user\" {\n"
		"  name = \"least-privilege\"\n"
		"  role = aws_iam_role.get_user.id\n"
		"  policy = jsonencode({\n"
		"    Version = \"2012-10-17\"\n"
		"    Statement = [\n"
		"      {\n"
		"        Sid      = \"ReadOrders\"\n"
		"        Effect   = \"Allow\"\n"
		"        Action   = [\"dynamodb:GetItem\", \"dynamodb:Query\"]\n"
		"        Resource = [aws_dynamodb_table.orders.arn, \"arn:aws:dynamodb:us-east-1:1:table/t/index/*\"]\n"
		"      },\n"
		"      {\n"
		"        Effect   = \"Allow\"\n"
		"        Action   = [\"xray:PutTraceSegments\"]\n"
		"        Resource = \"*\"\n"
		"        Condition = {\n"
		"          ArnLike = {\n"
		"            \"aws:SourceArn\" = \"arn:$${x}\"\n"
		"          }\n"
		"          NumericLessThan = {\n"
		"            \"aws:MultiFactorAuthAge\" = 3600\n"
		"            \"s3:max-keys\"            = 2.5\n"
		"          }\n"
		"          Bool = {\n"
		"            \"aws:SecureTransport\" = false\n"
		"          }\n"
		"          Null = {\n"
		"            k = null\n"
		"          }\n"
		"        }\n"
		"      },\n"
		"    ]\n"
		"  })\n"
		"}\n");
}

static void test_json_scalars_and_errors(void **state)
{
	sg_arena *a = *state;
	sg_hcl_expr *e = NULL;
	cJSON *j = cJSON_Parse("[1e3, -2, 9007199254740993, 0.5, \"\", [], {}, true]");
	assert_int_equal(sg_hcl_from_json(&e, a, j, NULL, NULL), SG_OK);
	cJSON_Delete(j);
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "v", e);
	assert_string_equal(render(a, f), "v = [1000, -2, 9007199254740992, 0.5, \"\", [], {}, true]\n");

	/* raw items, duplicate keys, NULL arguments */
	cJSON *raw = cJSON_CreateRaw("x");
	assert_int_equal(sg_hcl_from_json(&e, a, raw, NULL, NULL), SG_EUSAGE);
	assert_null(e);
	cJSON_Delete(raw);
	cJSON *dup = cJSON_CreateObject();
	cJSON_AddNumberToObject(dup, "k", 1);
	cJSON_AddNumberToObject(dup, "k", 2);
	assert_int_equal(sg_hcl_from_json(&e, a, dup, NULL, NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_from_json(NULL, a, dup, NULL, NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_from_json(&e, NULL, dup, NULL, NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_from_json(&e, a, NULL, NULL, NULL), SG_EUSAGE);
	cJSON_Delete(dup);
	/* deeper than the writer accepts */
	cJSON *deep = cJSON_CreateArray(), *cur = deep;
	for (int i = 0; i < 300; i++) {
		cJSON *next = cJSON_CreateArray();
		cJSON_AddItemToArray(cur, next);
		cur = next;
	}
	assert_int_equal(sg_hcl_from_json(&e, a, deep, NULL, NULL), SG_EUSAGE);
	cJSON_Delete(deep);
}

/* ---- misuse ---------------------------------------------------------------- */

static void test_invalid_identifiers(void **state)
{
	sg_arena *a = *state;
	const char *bad[] = {"", "1abc", "-a", "a b", "a.b", "a=b", "\xC3\xA9", "a\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sg_hcl_body *f = sg_hcl_body_new(a);
		assert_int_equal(sg_hcl_attr(f, bad[i], sg_hcl_int(a, 1)), SG_EUSAGE);
		assert_null(render(a, f));
		f = sg_hcl_body_new(a);
		sg_hcl_body *b = (sg_hcl_body *)1;
		assert_int_equal(sg_hcl_block_add(&b, f, bad[i], NULL, 0), SG_EUSAGE);
		assert_null(b);
		assert_null(render(a, f));
		assert_null(sg_hcl_call(a, bad[i], NULL, 0));
	}
	sg_hcl_body *f = sg_hcl_body_new(a);
	assert_int_equal(sg_hcl_attr(f, NULL, sg_hcl_int(a, 1)), SG_EUSAGE);
	assert_null(sg_hcl_call(a, "a::", NULL, 0));
	assert_null(sg_hcl_call(a, "a:b", NULL, 0));
	assert_null(sg_hcl_call(a, NULL, NULL, 0));

	/* labels: any text but `$` and `%`, which terraform fmt would delete */
	const char *labels[] = {"ok", "${x}"};
	sg_hcl_body *b;
	f = sg_hcl_body_new(a);
	assert_int_equal(sg_hcl_block_add(&b, f, "resource", labels, 2), SG_EUSAGE);
	assert_int_equal(sg_hcl_block_add(&b, f, "resource", (const char *[]){"100%"}, 1), SG_EUSAGE);
	assert_int_equal(sg_hcl_block_add(&b, f, "resource", (const char *[]){NULL}, 1), SG_EUSAGE);
	assert_int_equal(sg_hcl_block_add(&b, f, "resource", NULL, 1), SG_EUSAGE);
	assert_int_equal(sg_hcl_block_add(NULL, f, "resource", NULL, 0), SG_EUSAGE);
	assert_int_equal(sg_hcl_block_add(&b, NULL, "resource", NULL, 0), SG_EUSAGE);
	assert_null(render(a, f));
}

static void test_sticky_errors(void **state)
{
	sg_arena *a = *state;

	/* a NULL from a failed constructor poisons the body it reaches */
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_attr_int(f, "ok", 1);
	assert_int_equal(sg_hcl_attr(f, "r", sg_hcl_ref(a, "not a ref")), SG_EUSAGE);
	sg_hcl_attr_int(f, "more", 2);
	sg_buf out = SG_BUF_INIT;
	sg_buf_puts(&out, "kept");
	assert_int_equal(sg_hcl_write(&out, f), SG_EUSAGE);
	assert_string_equal(out.ptr, "kept"); /* nothing appended */

	/* an error inside a nested block poisons the whole file */
	f = sg_hcl_body_new(a);
	sg_hcl_body *b = block(f, "x", NULL, NULL);
	assert_int_equal(sg_hcl_attr_int(b, "1bad", 1), SG_EUSAGE);
	assert_int_equal(sg_hcl_write(&out, f), SG_EUSAGE);
	assert_int_equal(sg_hcl_write(&out, b), SG_EUSAGE);

	/* an object broken after it was attached */
	f = sg_hcl_body_new(a);
	sg_hcl_expr *o = sg_hcl_object(a);
	assert_int_equal(sg_hcl_attr(f, "o", o), SG_OK);
	assert_int_equal(sg_hcl_object_put(o, "k", sg_hcl_int(a, 1)), SG_OK);
	assert_int_equal(sg_hcl_object_put(o, "k", sg_hcl_int(a, 2)), SG_EUSAGE); /* duplicate */
	assert_int_equal(sg_hcl_write(&out, f), SG_EUSAGE);
	/* and a broken expression is refused when attached */
	assert_int_equal(sg_hcl_attr(sg_hcl_body_new(a), "o", o), SG_EUSAGE);
	assert_null(sg_hcl_tuple(a, &o, 1));
	assert_null(sg_hcl_call1(a, "f", o));
	assert_null(sg_hcl_call1(a, "f", NULL));

	/* duplicate attribute */
	f = sg_hcl_body_new(a);
	assert_int_equal(sg_hcl_attr_int(f, "a", 1), SG_OK);
	assert_int_equal(sg_hcl_attr_int(f, "a", 2), SG_EUSAGE);
	assert_null(render(a, f));

	/* wrong kinds */
	sg_hcl_expr *s = sg_hcl_str(a, "x");
	assert_int_equal(sg_hcl_object_put(s, "k", s), SG_EUSAGE);
	assert_int_equal(sg_hcl_tuple_push(s, s), SG_EUSAGE);
	assert_int_equal(sg_hcl_template_lit(s, "x"), SG_EUSAGE);
	assert_int_equal(sg_hcl_set_layout(s, SG_HCL_ONELINE), SG_EUSAGE);
	assert_int_equal(sg_hcl_set_layout(sg_hcl_tuple(a, NULL, 0), (sg_hcl_layout)7), SG_EUSAGE);
	sg_hcl_expr *t = sg_hcl_template(a);
	assert_int_equal(sg_hcl_template_interp(t, t), SG_EUSAGE);
	t = sg_hcl_template(a);
	assert_int_equal(sg_hcl_template_lit(t, NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_attr(sg_hcl_body_new(a), "t", t), SG_EUSAGE);

	/* NULLs everywhere */
	assert_int_equal(sg_hcl_attr(NULL, "a", sg_hcl_int(a, 1)), SG_EUSAGE);
	assert_int_equal(sg_hcl_blank(NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_write(NULL, sg_hcl_body_new(a)), SG_EUSAGE);
	assert_int_equal(sg_hcl_write(&out, NULL), SG_EUSAGE);
	assert_int_equal(sg_hcl_object_put(NULL, "k", s), SG_EUSAGE);
	assert_int_equal(sg_hcl_tuple_push(NULL, s), SG_EUSAGE);
	assert_null(sg_hcl_body_new(NULL));
	assert_null(sg_hcl_str(a, NULL));
	assert_null(sg_hcl_strn(a, NULL, 1));
	assert_null(sg_hcl_tuple_strs(a, (const char *[]){"a", NULL}, 2));
	assert_null(sg_hcl_tuple(a, NULL, 1));
	assert_string_equal(out.ptr, "kept");
	sg_buf_free(&out);
}

static void test_cycles_and_depth(void **state)
{
	sg_arena *a = *state;
	sg_hcl_expr *o = sg_hcl_object(a);
	assert_int_equal(sg_hcl_object_put(o, "self", o), SG_EUSAGE);
	sg_hcl_expr *t = sg_hcl_tuple(a, NULL, 0);
	assert_int_equal(sg_hcl_tuple_push(t, t), SG_EUSAGE);

	/* an indirect cycle is caught by the depth limit when written */
	o = sg_hcl_object(a);
	t = sg_hcl_tuple(a, NULL, 0);
	assert_int_equal(sg_hcl_object_put(o, "t", t), SG_OK);
	assert_int_equal(sg_hcl_tuple_push(t, o), SG_OK);
	sg_hcl_body *f = sg_hcl_body_new(a);
	assert_int_equal(sg_hcl_attr(f, "o", o), SG_OK);
	assert_null(render(a, f));

	/* deep but finite nesting is fine up to the limit */
	sg_hcl_expr *e = sg_hcl_int(a, 1);
	for (int i = 0; i < 150; i++)
		e = sg_hcl_tuple(a, &e, 1);
	f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "deep", e);
	const char *out = render(a, f);
	assert_non_null(out);
	assert_int_equal(strlen(out), strlen("deep = ") + 150 + 1 + 150 + 1);
	for (int i = 0; i < 100; i++)
		e = sg_hcl_tuple(a, &e, 1);
	f = sg_hcl_body_new(a);
	sg_hcl_attr(f, "deeper", e);
	assert_null(render(a, f));

	sg_hcl_body *b = sg_hcl_body_new(a);
	f = b;
	for (int i = 0; i < 250; i++)
		b = block(b, "b", NULL, NULL);
	sg_hcl_attr_int(b, "x", 1);
	assert_null(render(a, f));
}

static void test_empty_and_append(void **state)
{
	sg_arena *a = *state;
	sg_hcl_body *f = sg_hcl_body_new(a);
	assert_string_equal(render(a, f), "");
	sg_hcl_blank(f);
	assert_string_equal(render(a, f), "");

	sg_buf out = SG_BUF_INIT;
	sg_buf_puts(&out, "# header\n\n");
	sg_hcl_attr_str(f, "a", "b");
	assert_int_equal(sg_hcl_write(&out, f), SG_OK);
	assert_string_equal(out.ptr, "# header\n\na = \"b\"\n");
	sg_buf_free(&out);
	assert_ptr_equal(sg_hcl_body_arena(f), a);
	assert_null(sg_hcl_body_arena(NULL));
}

static void test_shared_expression(void **state)
{
	sg_arena *a = *state;
	sg_hcl_expr *tags = sg_hcl_ref(a, "var.tags");
	sg_hcl_body *f = sg_hcl_body_new(a);
	sg_hcl_body *x = block(f, "x", NULL, NULL);
	sg_hcl_body *y = block(f, "y", NULL, NULL);
	assert_int_equal(sg_hcl_attr(x, "tags", tags), SG_OK);
	assert_int_equal(sg_hcl_attr(y, "tags", tags), SG_OK);
	assert_string_equal(render(a, f),
		"x {\n  tags = var.tags\n}\n\ny {\n  tags = var.tags\n}\n");
}

/*
 * Repeated keys and attributes are refused past the size where the writer
 * indexes names, and every distinct one is kept: a large object (a Lambda
 * filter pattern) and a large body behave as small ones do.
 */
static void test_many_names(void **state)
{
	sg_arena *a = *state;
	enum { N = 20000 };
	char name[32];
	sg_hcl_expr *o = sg_hcl_object(a);
	sg_hcl_body *f = sg_hcl_body_new(a);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		assert_int_equal(sg_hcl_object_put(o, name, sg_hcl_int(a, i)), SG_OK);
		assert_int_equal(sg_hcl_attr_int(f, name, i), SG_OK);
		if (i % 1000 == 0)
			block(f, "b", NULL, NULL); /* blocks have no name to index */
	}
	/* Each earlier name, before and after the index was built, is known. */
	const int again[] = {0, 1, 15, 16, 17, 4095, N - 1};
	for (size_t i = 0; i < sizeof(again) / sizeof(again[0]); i++) {
		snprintf(name, sizeof(name), "k%d", again[i]);
		assert_int_equal(sg_hcl_object_put(o, name, sg_hcl_int(a, 0)), SG_EUSAGE);
		assert_int_equal(sg_hcl_attr_int(f, name, 0), SG_EUSAGE);
	}
	sg_hcl_body *g = sg_hcl_body_new(a);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		assert_int_equal(sg_hcl_attr_int(g, name, i), SG_OK);
	}
	assert_int_equal(sg_hcl_attr_int(g, "a3", 0), SG_EUSAGE);
	assert_int_equal(sg_hcl_attr_int(g, "a99", 0), SG_EUSAGE);
	/* A refused put breaks the object: nothing half-built is written. */
	sg_hcl_body *h = sg_hcl_body_new(a);
	sg_hcl_attr(h, "o", o);
	assert_null(render(a, h));
	/* The body of N attributes (and the blocks between) still renders. */
	sg_hcl_body *ok = sg_hcl_body_new(a);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		assert_int_equal(sg_hcl_attr_int(ok, name, i), SG_OK);
	}
	const char *text = render(a, ok);
	assert_non_null(text);
	assert_non_null(strstr(text, "k19999 = 19999\n"));
	assert_non_null(strstr(text, "k0     = 0\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_specials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_unprintable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_unicode_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_is_ident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strings_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_columns_per_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_scalars_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_identifiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sticky_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycles_and_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_expression, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
