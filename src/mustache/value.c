/*
 * value.c - how JSON values print in templates, and the escapers a caller
 * can choose from for {{name}}: HTML (the spec's), none, C string literal.
 */
#include "mustache_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Numbers the way a reader expects them, not the way %g prints them:
 * integral values (up to 2^53, where doubles stop being exact integers)
 * without a fraction, others in the fewest significant digits that read
 * back as the same double (1.210 -> "1.21", 0.1 -> "0.1").
 */
static bool format_number(double d, char num[64])
{
	if (!isfinite(d))
		return false;
	if (d == 0) {
		strcpy(num, "0");   /* also for -0 */
		return true;
	}
	if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d) {
		snprintf(num, 64, "%lld", (long long)d);
		return true;
	}
	snprintf(num, 64, "%.15g", d);
	if (strtod(num, NULL) != d)
		snprintf(num, 64, "%.17g", d);
	return true;
}

const char *sg_mu_scalar_text(const cJSON *v, char num[64], size_t *len)
{
	const char *s = NULL;
	if (!v)
		return NULL;
	if (cJSON_IsString(v) || cJSON_IsRaw(v))
		s = v->valuestring ? v->valuestring : "";
	else if (cJSON_IsNumber(v))
		s = format_number(v->valuedouble, num) ? num : NULL;
	else if (cJSON_IsTrue(v))
		s = "true";
	else if (cJSON_IsFalse(v))
		s = "false";
	if (s)
		*len = strlen(s);
	return s;
}

void sg_mustache_escape_html(sg_buf *out, const char *s, size_t len, void *payload)
{
	(void)payload;
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		sg_buf_put(out, s + run, i - run);
		sg_buf_puts(out, rep);
		run = i + 1;
	}
	sg_buf_put(out, s + run, len - run);
}

void sg_mustache_escape_none(sg_buf *out, const char *s, size_t len, void *payload)
{
	(void)payload;
	sg_buf_put(out, s, len);
}

void sg_mustache_escape_c(sg_buf *out, const char *s, size_t len, void *payload)
{
	(void)payload;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\\': sg_buf_puts(out, "\\\\"); break;
		case '"': sg_buf_puts(out, "\\\""); break;
		case '\n': sg_buf_puts(out, "\\n"); break;
		case '\r': sg_buf_puts(out, "\\r"); break;
		case '\t': sg_buf_puts(out, "\\t"); break;
		case '?':
			/* "??=" and friends are trigraphs under -std=c11. */
			sg_buf_puts(out, i > 0 && s[i - 1] == '?' ? "\\?" : "?");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				/* Octal, three digits: a hex escape would swallow
				 * the hex digits that follow it. */
				sg_buf_printf(out, "\\%03o", c);
			else
				sg_buf_putc(out, (char)c);
		}
	}
}
