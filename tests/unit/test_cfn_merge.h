/*
 * test_cfn_merge.h - the CloudFormation templates of a file set (the root
 * and every nested stack's, cloudformation/stacks/NAME.json) read back as the
 * one template they stand for, for tests that look resources up by logical
 * ID wherever the plan placed them.
 *
 * A nested template reaches the root through parameters the root's
 * AWS::CloudFormation::Stack resource fills; here each nested resource has
 * them replaced by what the root passes (a parameter P holding
 * {"Fn::GetAtt": ["ShopTable", "StreamArn"]} reads that again, "${P}" in an
 * Fn::Sub reads "${ShopTable.StreamArn}"), as tests/cfn/cfnlib.py's
 * merged_template does for the suites.  Include after <cmocka.h> and
 * <cjson/cJSON.h>; everything is static.
 */
#ifndef TEST_CFN_MERGE_H
#define TEST_CFN_MERGE_H

#include <stdlib.h>
#include <string.h>

#include "svcgen/buf.h"
#include "svcgen/fileset.h"

/* `v` with the parameters of `values` replaced (in place; returns v). */
static cJSON *tcm_unparam(cJSON *v, const cJSON *values)
{
	if (cJSON_IsArray(v)) {
		cJSON *it;
		cJSON_ArrayForEach(it, v)
			tcm_unparam(it, values);
		return v;
	}
	if (!cJSON_IsObject(v))
		return v;
	cJSON *one = v->child;
	if (one && !one->next && !strcmp(one->string, "Ref") && cJSON_IsString(one)) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(values, one->valuestring);
		if (e) {
			cJSON *copy = cJSON_Duplicate(e->child, true);
			cJSON_DeleteItemFromObjectCaseSensitive(v, "Ref");
			cJSON_AddItemToObject(v, e->child->string, copy);
		}
		return v;
	}
	if (one && !one->next && !strcmp(one->string, "Fn::Sub") && cJSON_IsString(one)) {
		sg_buf b = SG_BUF_INIT;
		const char *p = one->valuestring;
		while (*p) {
			const char *open = strstr(p, "${"), *close = open ? strchr(open, '}') : NULL;
			if (!close) {
				sg_buf_puts(&b, p);
				break;
			}
			sg_buf_put(&b, p, (size_t)(open - p));
			char name[256];
			size_t n = (size_t)(close - open - 2);
			snprintf(name, sizeof(name), "%.*s", (int)n, open + 2);
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(values, name);
			const cJSON *ref = e ? cJSON_GetObjectItemCaseSensitive(e, "Ref") : NULL;
			const cJSON *att = e ? cJSON_GetObjectItemCaseSensitive(e, "Fn::GetAtt") : NULL;
			if (ref)
				sg_buf_printf(&b, "${%s}", ref->valuestring);
			else if (att)
				sg_buf_printf(&b, "${%s.%s}", cJSON_GetArrayItem(att, 0)->valuestring,
					      cJSON_GetArrayItem(att, 1)->valuestring);
			else
				sg_buf_printf(&b, "${%s}", name);
			p = close + 1;
		}
		cJSON_SetValuestring(one, b.ptr ? b.ptr : "");
		sg_buf_free(&b);
		return v;
	}
	cJSON *it;
	cJSON_ArrayForEach(it, v)
		tcm_unparam(it, values);
	return v;
}

/*
 * Every resource of `fs`'s templates in one object (caller frees), or NULL
 * when the root template is missing or a template does not parse.
 */
static cJSON *tcm_merged_resources(const sg_fileset *fs)
{
	const sg_file *rf = sg_fileset_get(fs, "cloudformation/template.json");
	cJSON *root = rf ? cJSON_ParseWithLength(rf->data, rf->len) : NULL;
	if (!root)
		return NULL;
	cJSON *all = cJSON_DetachItemFromObjectCaseSensitive(root, "Resources");
	cJSON *stacks = cJSON_CreateObject(); /* file -> Parameters */
	cJSON *it;
	cJSON_ArrayForEach(it, all) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "Type");
		if (!cJSON_IsString(t) || strcmp(t->valuestring, "AWS::CloudFormation::Stack"))
			continue;
		const cJSON *props = cJSON_GetObjectItemCaseSensitive(it, "Properties");
		const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(props, "TemplateURL"), "Fn::Sub"));
		const char *file = url ? strstr(url, "cloudformation/stacks/") : NULL;
		const cJSON *params = cJSON_GetObjectItemCaseSensitive(props, "Parameters");
		if (file)
			cJSON_AddItemToObject(stacks, file, params ? cJSON_Duplicate(params, true)
							       : cJSON_CreateObject());
	}
	cJSON_Delete(root);
	for (size_t i = 0; i < fs->count; i++) {
		const sg_file *f = &fs->files[i];
		if (strncmp(f->path, "cloudformation/stacks/", 22) != 0)
			continue;
		cJSON *tpl = cJSON_ParseWithLength(f->data, f->len);
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(stacks, f->path);
		if (!tpl || !values) {
			cJSON_Delete(tpl);
			cJSON_Delete(all);
			cJSON_Delete(stacks);
			return NULL;
		}
		cJSON *res = cJSON_GetObjectItemCaseSensitive(tpl, "Resources");
		while (res && res->child) {
			cJSON *r = cJSON_DetachItemViaPointer(res, res->child);
			cJSON_AddItemToObject(all, r->string, tcm_unparam(r, values));
		}
		cJSON_Delete(tpl);
	}
	cJSON_Delete(stacks);
	return all;
}

#endif
