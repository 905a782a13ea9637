/*
 * json.c - the JSON writer for generated files (see json.h).
 */
#include "svcgen/json.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

/* Bytes a JSON string must escape: '"', '\\', controls and DEL. */
static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

void sg_json_write_string(sg_buf *out, const char *s)
{
	sg_buf_putc(out, '"');
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		/* The run that needs no escape, in one copy. */
		const unsigned char *run = p;
		while (*p && !needs_escape(*p))
			p++;
		if (p > run)
			sg_buf_put(out, run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': sg_buf_put(out, "\\\"", 2); break;
		case '\\': sg_buf_put(out, "\\\\", 2); break;
		case '\n': sg_buf_put(out, "\\n", 2); break;
		case '\r': sg_buf_put(out, "\\r", 2); break;
		case '\t': sg_buf_put(out, "\\t", 2); break;
		case '\b': sg_buf_put(out, "\\b", 2); break;
		case '\f': sg_buf_put(out, "\\f", 2); break;
		default: {
			static const char hex[] = "0123456789abcdef";
			char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
			sg_buf_put(out, u, sizeof(u));
		}
		}
		p++;
	}
	sg_buf_putc(out, '"');
}

static void write_number(sg_buf *out, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0) {
		/* An integer: its digits, as "%.0f" prints them. */
		long long v = (long long)d;
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
		char digits[24];
		size_t n = sizeof(digits);
		do
			digits[--n] = (char)('0' + u % 10);
		while (u /= 10);
		if (v < 0 || signbit(d)) /* "%.0f" prints -0 as "-0" */
			digits[--n] = '-';
		sg_buf_put(out, digits + n, sizeof(digits) - n);
	} else if (isfinite(d)) {
		sg_buf_printf(out, "%.17g", d);
	} else {
		sg_buf_puts(out, "null"); /* JSON has no NaN or Infinity */
	}
}

static void write_value(sg_buf *out, const cJSON *item, int depth)
{
	/* The type byte read directly: the cJSON_Is* calls were a tenth of
	 * writing a large template. */
	int type = item ? item->type & 0xFF : cJSON_NULL;
	if (type == cJSON_Object || type == cJSON_Array) {
		bool obj = type == cJSON_Object;
		const cJSON *child = item->child;
		if (!child) {
			sg_buf_puts(out, obj ? "{}" : "[]");
			return;
		}
		sg_buf_put(out, obj ? "{\n" : "[\n", 2);
		for (; child; child = child->next) {
			sg_buf_pad(out, ' ', (size_t)(depth + 1) * 2);
			if (obj) {
				sg_json_write_string(out, child->string ? child->string : "");
				sg_buf_put(out, ": ", 2);
			}
			write_value(out, child, depth + 1);
			if (child->next)
				sg_buf_put(out, ",\n", 2);
			else
				sg_buf_putc(out, '\n');
		}
		sg_buf_pad(out, ' ', (size_t)depth * 2);
		sg_buf_putc(out, obj ? '}' : ']');
	} else if (type == cJSON_String) {
		sg_json_write_string(out, item->valuestring ? item->valuestring : "");
	} else if (type == cJSON_Number) {
		write_number(out, item->valuedouble);
	} else if (type == cJSON_True) {
		sg_buf_puts(out, "true");
	} else if (type == cJSON_False) {
		sg_buf_puts(out, "false");
	} else if (type == cJSON_Raw) {
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
