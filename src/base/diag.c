/*
 * diag.c - collecting, ordering and printing diagnostics (see diag.h).
 */
#include "svcgen/diag.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define SG_DIAG_DEFAULT_LIMIT 1000

void sg_diags_init(sg_diags *d, sg_arena *arena, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->arena = arena;
	d->file = file;
}

/* The next free item, or NULL (counted as dropped) past the limit. */
static sg_diag *next_slot(sg_diags *d)
{
	size_t limit = d->limit ? d->limit : SG_DIAG_DEFAULT_LIMIT;
	if (d->count >= limit) {
		d->dropped++;
		return NULL;
	}
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		d->items = sg_arena_grow(d->arena, d->items, d->count, cap, sizeof(*d->items));
		d->cap = cap;
	}
	return &d->items[d->count++];
}

void sg_diag_vadd(sg_diags *d, sg_severity sev, const char *code,
		  const char *file, sg_pos pos, const char *fmt, va_list ap)
{
	if (sev == SG_SEV_ERROR)
		d->errors++;
	else if (sev == SG_SEV_WARNING)
		d->warnings++;
	sg_diag *g = next_slot(d);
	if (!g)
		return;
	g->file = file;
	g->pos = pos;
	g->severity = sev;
	g->code = code;
	g->message = sg_arena_vprintf(d->arena, fmt, ap);
}

void sg_diags_append(sg_diags *d, const sg_diags *from)
{
	d->errors += from->errors;
	d->warnings += from->warnings;
	d->dropped += from->dropped;
	for (size_t i = 0; i < from->count; i++) {
		sg_diag *g = next_slot(d);
		if (g)
			*g = from->items[i];
	}
}

void sg_diag_add(sg_diags *d, sg_severity sev, const char *code, sg_pos pos,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(d, sev, code, d->file, pos, fmt, ap);
	va_end(ap);
}

void sg_error(sg_diags *d, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(d, SG_SEV_ERROR, code, d->file, pos, fmt, ap);
	va_end(ap);
}

void sg_warning(sg_diags *d, const char *code, sg_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_diag_vadd(d, SG_SEV_WARNING, code, d->file, pos, fmt, ap);
	va_end(ap);
}

const char *sg_severity_name(sg_severity sev)
{
	switch (sev) {
	case SG_SEV_ERROR: return "error";
	case SG_SEV_WARNING: return "warning";
	case SG_SEV_NOTE: return "note";
	}
	return "error";
}

/* Order by place only; the sort is stable, so two diagnostics at one place
 * keep the order the stages reported them in. */
static int cmp(const sg_diag *a, const sg_diag *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.col != b->pos.col)
		return a->pos.col < b->pos.col ? -1 : 1;
	return 0;
}

void sg_diags_sort(sg_diags *d)
{
	if (d->count < 2)
		return;
	/* Bottom-up merge sort: stable, and O(n log n) on many-error runs. */
	sg_diag *tmp = malloc(d->count * sizeof(*tmp));
	if (!tmp)
		return;
	for (size_t width = 1; width < d->count; width *= 2) {
		for (size_t lo = 0; lo < d->count; lo += 2 * width) {
			size_t mid = lo + width < d->count ? lo + width : d->count;
			size_t hi = lo + 2 * width < d->count ? lo + 2 * width : d->count;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = cmp(&d->items[j], &d->items[i]) < 0 ? d->items[j++] : d->items[i++];
			while (i < mid)
				tmp[k++] = d->items[i++];
			while (j < hi)
				tmp[k++] = d->items[j++];
		}
		memcpy(d->items, tmp, d->count * sizeof(*tmp));
	}
	free(tmp);
}

void sg_diags_print_text(const sg_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const sg_diag *g = &d->items[i];
		if (g->pos.line)
			fprintf(out, "%s:%u:%u: %s: %s [%s]\n", g->file, g->pos.line, g->pos.col,
				sg_severity_name(g->severity), g->message, g->code);
		else
			fprintf(out, "%s: %s: %s [%s]\n", g->file, sg_severity_name(g->severity),
				g->message, g->code);
	}
	if (d->dropped)
		fprintf(out, "svcgen: %zu more diagnostics not shown\n", d->dropped);
	if (d->errors || d->warnings)
		fprintf(out, "%zu error%s, %zu warning%s\n", d->errors, d->errors == 1 ? "" : "s",
			d->warnings, d->warnings == 1 ? "" : "s");
}

void sg_diags_write_json(const sg_diags *d, sg_buf *out)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < d->count; i++) {
		const sg_diag *g = &d->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", g->file ? g->file : "");
		cJSON_AddNumberToObject(o, "line", g->pos.line);
		cJSON_AddNumberToObject(o, "column", g->pos.col);
		cJSON_AddStringToObject(o, "severity", sg_severity_name(g->severity));
		cJSON_AddStringToObject(o, "code", g->code);
		cJSON_AddStringToObject(o, "message", g->message);
		cJSON_AddItemToArray(arr, o);
	}
	char *s = arr ? cJSON_Print(arr) : NULL;
	sg_buf_puts(out, s ? s : "[]");
	sg_buf_putc(out, '\n');
	free(s);
	cJSON_Delete(arr);
}
