/*
 * handlers.c - the "handlers" emitter (handlers.h): renders the handler
 * project's templates against a context built from the plan.
 *
 * Every file of the project is one template of the set (stock templates
 * embedded in the binary, overridable by name with --templates DIR), so a
 * team can change the generated code without rebuilding svcgen.  Each
 * template is rendered with the escaper of the language it produces: a
 * {{value}} in a C template becomes the inside of a C string literal
 * (sg_mustache_escape_c), in Markdown it is Markdown-escaped, in the
 * Makefile Make-escaped; shell scripts take no values.  This is the rule
 * that keeps spec text from breaking out of where it is put; templates
 * use {{{...}}} only for values made safe beforehand (the "_comment" forms
 * of handlers_context.c, and identifiers).
 *
 * Files are rendered into a scratch list first and added to the file set
 * only when all of them rendered, so a broken template leaves no half
 * project behind.
 */
#include "svcgen/handlers.h"

#include <string.h>

#include "handlers_int.h"
#include "svcgen/error.h"
#include "svcgen/json.h"
#include "svcgen/templates.h"

/* ---- escaping ---------------------------------------------------------- */

char *sg_handlers_comment_text(sg_arena *arena, const char *s)
{
	if (!s)
		return NULL;
	sg_buf b = SG_BUF_INIT;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			sg_buf_putc(&b, ' ');
		} else if ((c == '*' && p[1] == '/') || (c == '/' && p[1] == '*') ||
			   (c == '?' && p[1] == '?')) {
			/* Split the pair: "*" "/" would end the comment, "/" "*"
			 * trips -Wcomment, "??" could start a trigraph. */
			sg_buf_putc(&b, (char)c);
			sg_buf_putc(&b, ' ');
		} else if (c == '\\' && p[1] == '\0') {
			/* A final backslash would join the comment's next line. */
			sg_buf_puts(&b, "\\ ");
		} else {
			sg_buf_putc(&b, (char)c);
		}
	}
	return sg_buf_to_arena(&b, arena, NULL);
}

void sg_handlers_escape_markdown(sg_buf *out, const char *s, size_t len, void *payload)
{
	(void)payload;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t')
			sg_buf_putc(out, ' ');
		else if (c != '\0' && strchr("\\`*_{}[]()<>#+!|&~", c)) {
			sg_buf_putc(out, '\\');
			sg_buf_putc(out, c);
		} else {
			sg_buf_putc(out, c);
		}
	}
}

void sg_handlers_escape_make(sg_buf *out, const char *s, size_t len, void *payload)
{
	(void)payload;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '$')
			sg_buf_puts(out, "$$");
		else if (c == '#')
			sg_buf_puts(out, "\\#");
		else if (c == '\n' || c == '\r')
			sg_buf_putc(out, ' ');
		else
			sg_buf_putc(out, c);
	}
}

/* ---- the file list ----------------------------------------------------------- */

typedef enum lang { LANG_C, LANG_MAKE, LANG_MD, LANG_PLAIN } lang;

/* One output file per template (`path` under handlers/). */
typedef struct project_file {
	const char *tpl;
	const char *path;
	lang lang;
	bool executable;
} project_file;

static const project_file project_files[] = {
	{"handlers_Makefile", "Makefile", LANG_MAKE, false},
	{"handlers_README.md", "README.md", LANG_MD, false},
	{"handlers_gitignore", ".gitignore", LANG_PLAIN, false},
	{"handlers_runtime_handlers.h", "runtime/handlers.h", LANG_C, false},
	{"handlers_runtime_lambda_config.c", "runtime/lambda_config.c", LANG_C, false},
};

/*
 * The runtime (sg_embedded_runtime, from runtime/ in svcgen's repository)
 * is copied verbatim into runtime/: it is C compiled and tested where it
 * lives, not a template.  A --templates DIR that holds
 * handlers_runtime_<file>.mustache still replaces that file, rendered like
 * any template, so the override documented for every project file keeps
 * working.  Shell scripts stay executable.
 */
static bool runtime_executable(const char *name)
{
	size_t n = strlen(name);
	return !strcmp(name, "bootstrap") || (n > 3 && !strcmp(name + n - 3, ".sh"));
}

/* Per function; "%s" is the function's C name. */
static const struct function_file {
	const char *tpl;
	const char *path;
	sg_file_kind kind;
} function_files[] = {
	{"handlers_runtime_main.c", "runtime/main_%s.c", SG_FILE_GENERATED},
	{"handlers_src.c", "src/%s.c", SG_FILE_SCAFFOLD},
	{"handlers_test.c", "tests/test_%s.c", SG_FILE_SCAFFOLD},
};

/* ---- rendering ------------------------------------------------------------------ */

/* A rendered file waiting for the whole project to succeed. */
typedef struct pending {
	const char *path;
	char *data;
	size_t len;
	sg_file_kind kind;
	bool executable;
} pending;

typedef struct emitter {
	sg_arena *arena;          /* the file set's: pending data lands there */
	sg_mustache_set *set;
	sg_diags *diags;
	pending *files;
	size_t count, cap;
	sg_buf scratch;           /* every file is built here, then copied to
				   * the arena at its size: one buffer for the
				   * run instead of one grown per file */
	int rc;
} emitter;

static void add_pending(emitter *e, const char *path, char *data, size_t len, sg_file_kind kind,
			bool executable)
{
	if (e->count == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		e->files = sg_arena_grow(e->arena, e->files, e->count, cap, sizeof(*e->files));
		e->cap = cap;
	}
	e->files[e->count++] = (pending){path, data, len, kind, executable};
}

static sg_mustache_escape_fn escaper(lang l)
{
	switch (l) {
	case LANG_C: return sg_mustache_escape_c;
	case LANG_MAKE: return sg_handlers_escape_make;
	case LANG_MD: return sg_handlers_escape_markdown;
	case LANG_PLAIN: break;
	}
	return sg_mustache_escape_none;
}

static void render(emitter *e, const char *tpl, const char *path, lang l, const cJSON *ctx,
		   sg_file_kind kind, bool executable)
{
	if (e->rc != SG_OK)
		return;
	sg_mustache_opts opts;
	memset(&opts, 0, sizeof(opts));
	opts.partials = e->set;
	opts.escape = escaper(l);
	sg_buf_clear(&e->scratch);
	int rc = sg_mustache_set_render(&e->scratch, e->set, tpl, ctx, &opts, e->diags);
	if (rc != SG_OK) {
		e->rc = SG_EFINDINGS;
		return;
	}
	size_t len = e->scratch.len;
	char *data = sg_arena_strndup(e->arena, e->scratch.ptr ? e->scratch.ptr : "", len);
	add_pending(e, sg_arena_printf(e->arena, SG_HANDLERS_DIR "/%s", path), data, len, kind,
		    executable);
}

static void add_event(emitter *e, const sg_plan *plan, const sg_plan_function *fn)
{
	cJSON *ev = sg_handlers_sample_event(plan, fn);
	if (!ev) {
		e->rc = SG_EFINDINGS;
		return;
	}
	/* The layout of every JSON file svcgen writes (svcgen/json.h). */
	sg_buf_clear(&e->scratch);
	sg_json_write(&e->scratch, ev);
	cJSON_Delete(ev);
	size_t len = e->scratch.len;
	char *data = sg_arena_strndup(e->arena, e->scratch.ptr, len);
	add_pending(e, sg_arena_printf(e->arena, SG_HANDLERS_DIR "/events/%s.json", fn->c_name),
		    data, len, SG_FILE_GENERATED, false);
}

int sg_emit_handlers(sg_fileset *fs, const sg_plan *plan, sg_mustache_set *templates,
		     sg_diags *diags)
{
	if (!fs || !plan || !diags)
		return SG_EUSAGE;
	sg_arena *scratch = NULL;
	sg_mustache_set *set = templates;
	if (!set) {
		scratch = sg_arena_new();
		if (!scratch || sg_mustache_set_new(&set, scratch) != SG_OK ||
		    sg_mustache_set_add_embedded(set, sg_embedded_templates) != SG_OK) {
			sg_arena_free(scratch);
			return SG_EUSAGE;
		}
	}
	emitter e;
	memset(&e, 0, sizeof(e));
	e.arena = fs->arena;
	e.set = set;
	e.diags = diags;

	cJSON *root = sg_handlers_context(plan);
	if (!root)
		e.rc = SG_EFINDINGS;
	for (size_t i = 0; root && i < sizeof(project_files) / sizeof(project_files[0]); i++) {
		const project_file *pf = &project_files[i];
		render(&e, pf->tpl, pf->path, pf->lang, root, SG_FILE_GENERATED, pf->executable);
	}

	for (const sg_embedded_file *rf = sg_embedded_runtime; root && rf->name; rf++) {
		if (e.rc != SG_OK)
			break;
		bool exec = runtime_executable(rf->name);
		lang l = exec ? LANG_PLAIN : LANG_C;
		char *tpl = sg_arena_printf(e.arena, "handlers_runtime_%s", rf->name);
		const sg_mustache_tpl *override = NULL;
		if (sg_mustache_set_get(&override, set, diags, tpl) != SG_OK) {
			e.rc = SG_EFINDINGS;
			break;
		}
		if (override) {
			render(&e, tpl, sg_arena_printf(e.arena, "runtime/%s", rf->name), l, root,
			       SG_FILE_GENERATED, exec);
			continue;
		}
		char *data = sg_arena_alloc(e.arena, rf->len + 1);
		memcpy(data, rf->data, rf->len + 1);
		add_pending(&e, sg_arena_printf(e.arena, SG_HANDLERS_DIR "/runtime/%s", rf->name),
			    data, rf->len, SG_FILE_GENERATED, exec);
	}

	/*
	 * Per function: {"service", "stage", "prefix", "api", "function"}.
	 * References into the project context, not copies, so a spec with
	 * thousands of routes costs no more than its size per function.
	 */
	const cJSON *fns = root ? cJSON_GetObjectItemCaseSensitive(root, "functions") : NULL;
	const cJSON *fo = fns ? fns->child : NULL;
	for (size_t i = 0; root && i < plan->function_count && fo; i++, fo = fo->next) {
		const sg_plan_function *fn = &plan->functions[i];
		cJSON *ctx = cJSON_CreateObject();
		cJSON_AddStringToObject(ctx, "service", plan->service);
		cJSON_AddStringToObject(ctx, "stage", plan->stage);
		cJSON_AddStringToObject(ctx, "prefix", plan->prefix);
		cJSON_AddItemReferenceToObject(ctx, "api",
					       cJSON_GetObjectItemCaseSensitive(root, "api"));
		cJSON_AddItemReferenceToObject(ctx, "function", (cJSON *)fo);
		for (size_t k = 0; k < sizeof(function_files) / sizeof(function_files[0]); k++) {
			const struct function_file *ff = &function_files[k];
			render(&e, ff->tpl, sg_arena_printf(e.arena, ff->path, fn->c_name), LANG_C,
			       ctx, ff->kind, false);
		}
		cJSON_Delete(ctx);
		if (e.rc == SG_OK)
			add_event(&e, plan, fn);
	}
	cJSON_Delete(root);
	sg_buf_free(&e.scratch);
	sg_arena_free(scratch);
	if (e.rc != SG_OK)
		return e.rc;

	for (size_t i = 0; i < e.count; i++) {
		const pending *p = &e.files[i];
		if (sg_fileset_add_owned(fs, p->path, p->data, p->len, p->kind) != SG_OK)
			return SG_EUSAGE;
		if (p->executable)
			for (size_t k = 0; k < fs->count; k++)
				if (!strcmp(fs->files[k].path, p->path))
					fs->files[k].executable = true;
	}
	return SG_OK;
}
