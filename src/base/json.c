/*
 * json.c - the JSON writer for generated files (see json.h).
 */
#include "svcgen/json.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

void sg_json_write_string(sg_buf *out, const char *s)
{
	sg_buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sg_buf_puts(out, "\\\""); break;
		case '\\': sg_buf_puts(out, "\\\\"); break;
		case '\n': sg_buf_puts(out, "\\n"); break;
		case '\r': sg_buf_puts(out, "\\r"); break;
		case '\t': sg_buf_puts(out, "\\t"); break;
		case '\b': sg_buf_puts(out, "\\b"); break;
		case '\f': sg_buf_puts(out, "\\f"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sg_buf_printf(out, "\\u%04x", *p);
			else
				sg_buf_putc(out, (char)*p);
		}
	}
	sg_buf_putc(out, '"');
}

static void write_number(sg_buf *out, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
		sg_buf_printf(out, "%.0f", d);
	else if (isfinite(d))
		sg_buf_printf(out, "%.17g", d);
	else
		sg_buf_puts(out, "null"); /* JSON has no NaN or Infinity */
}

static void write_value(sg_buf *out, const cJSON *item, int depth)
{
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		bool obj = cJSON_IsObject(item);
		const cJSON *child = item->child;
		if (!child) {
			sg_buf_puts(out, obj ? "{}" : "[]");
			return;
		}
		sg_buf_puts(out, obj ? "{\n" : "[\n");
		for (; child; child = child->next) {
			sg_buf_pad(out, ' ', (size_t)(depth + 1) * 2);
			if (obj) {
				sg_json_write_string(out, child->string ? child->string : "");
				sg_buf_puts(out, ": ");
			}
			write_value(out, child, depth + 1);
			sg_buf_puts(out, child->next ? ",\n" : "\n");
		}
		sg_buf_pad(out, ' ', (size_t)depth * 2);
		sg_buf_putc(out, obj ? '}' : ']');
	} else if (cJSON_IsString(item)) {
		sg_json_write_string(out, item->valuestring ? item->valuestring : "");
	} else if (cJSON_IsNumber(item)) {
		write_number(out, item->valuedouble);
	} else if (cJSON_IsTrue(item)) {
		sg_buf_puts(out, "true");
	} else if (cJSON_IsFalse(item)) {
		sg_buf_puts(out, "false");
	} else if (cJSON_IsRaw(item)) {
		sg_buf_puts(out, item->valuestring ? item->valuestring : "null");
	} else {
		sg_buf_puts(out, "null");
	}
}

void sg_json_write(sg_buf *out, const cJSON *item)
{
	write_value(out, item, 0);
	sg_buf_putc(out, '\n');
}
