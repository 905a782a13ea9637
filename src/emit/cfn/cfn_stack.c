/*
 * cfn_stack.c - a nested stack's template made self-contained, and its
 * AWS::CloudFormation::Stack resource in the root (see cfn_int.h and
 * plan.h, sg_plan_stack).
 *
 * The emitters write every resource as if all were in one template.  Here
 * each reference of a nested template to something outside it (CloudFormation
 * template anatomy: Ref, Fn::GetAtt, the ${...} of Fn::Sub) becomes a
 * parameter of the nested template, and the root passes the value:
 *   Ref X            -> Ref X      (parameter X = Ref X in the root)
 *   Fn::GetAtt X.A   -> Ref XA     (parameter XA = Fn::GetAtt [X, A])
 *   ${X} / ${X.A}    -> ${X} / ${XA}
 * X is a resource or parameter of the root; pseudo parameters (AWS::...)
 * and the template's own resources stay as they are.  DependsOn on a root
 * resource is dropped: a parameter's value already orders the nested stack
 * after what it refers to.  Parameters are String (every value passed is
 * a name, an ID or an ARN), in the order first referenced.
 */
#include <string.h>

#include "cfn_int.h"
#include "svcgen/buf.h"

typedef struct localizer {
	cfn_ctx *c;
	const sg_plan_stack *stack;
	sg_plan_names *local;      /* this template's logical IDs */
	sg_plan_names *root;       /* the root's resources and parameters */
	sg_plan_names *seen;       /* parameters made so far */
	cJSON *params;             /* the nested template's Parameters */
	cJSON *values;             /* the stack resource's Parameters */
	size_t count;
	bool failed;
} localizer;

static bool is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* The parameter standing for `id` (attr NULL) or `id`.`attr`; its name. */
static const char *param_for(localizer *l, const char *id, const char *attr)
{
	if (!sg_plan_names_has(l->root, id)) {
		sg_error(l->c->diags, "internal", (sg_pos){0, 0},
			 "nested stack %s refers to %s, which the root template does not hold",
			 l->stack->name, id);
		l->failed = true;
		return id;
	}
	sg_buf b = SG_BUF_INIT;
	sg_buf_puts(&b, id);
	for (const char *p = attr ? attr : ""; *p; p++)
		if (is_alnum(*p))
			sg_buf_putc(&b, *p);
	const char *name = sg_buf_to_arena(&b, l->c->arena, NULL);
	if (sg_plan_names_has(l->seen, name))
		return name;
	sg_plan_names_claim(l->seen, name, "");
	l->count++;
	cJSON *p = cJSON_AddObjectToObject(l->params, name);
	cJSON_AddStringToObject(p, "Type", "String");
	cJSON_AddItemToObject(l->values, name, attr ? cfn_getatt(id, attr) : cfn_ref(id));
	return name;
}

static bool local_or_pseudo(localizer *l, const char *id)
{
	return !strncmp(id, "AWS::", 5) || sg_plan_names_has(l->local, id);
}

/* "${X.A} and ${Y}" with the outside references replaced. */
static const char *localize_sub(localizer *l, const char *text)
{
	sg_buf b = SG_BUF_INIT;
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "${");
		const char *close = open ? strchr(open + 2, '}') : NULL;
		if (!close) {
			sg_buf_puts(&b, p);
			break;
		}
		sg_buf_put(&b, p, (size_t)(open - p));
		char *ref = sg_arena_strndup(l->c->arena, open + 2, (size_t)(close - open - 2));
		char *dot = strchr(ref, '.');
		if (ref[0] == '!') {
			sg_buf_printf(&b, "${%s}", ref);           /* a literal ${...} */
		} else if (dot) {
			*dot = '\0';
			if (local_or_pseudo(l, ref))
				sg_buf_printf(&b, "${%s.%s}", ref, dot + 1);
			else
				sg_buf_printf(&b, "${%s}", param_for(l, ref, dot + 1));
		} else {
			sg_buf_printf(&b, "${%s}", local_or_pseudo(l, ref) ? ref : param_for(l, ref, NULL));
		}
		p = close + 1;
	}
	return sg_buf_to_arena(&b, l->c->arena, NULL);
}

static void localize(localizer *l, cJSON *v)
{
	if (cJSON_IsArray(v)) {
		cJSON *it;
		cJSON_ArrayForEach(it, v)
			localize(l, it);
		return;
	}
	if (!cJSON_IsObject(v))
		return;
	cJSON *one = v->child;
	if (one && !one->next && one->string) {
		if (!strcmp(one->string, "Ref") && cJSON_IsString(one)) {
			if (!local_or_pseudo(l, one->valuestring))
				cJSON_SetValuestring(one, param_for(l, one->valuestring, NULL));
			return;
		}
		if (!strcmp(one->string, "Fn::GetAtt") && cJSON_GetArraySize(one) == 2) {
			const char *id = cJSON_GetStringValue(cJSON_GetArrayItem(one, 0));
			const char *attr = cJSON_GetStringValue(cJSON_GetArrayItem(one, 1));
			if (id && attr && !local_or_pseudo(l, id)) {
				const char *name = param_for(l, id, attr);
				cJSON_DeleteItemFromObjectCaseSensitive(v, "Fn::GetAtt");
				cJSON_AddStringToObject(v, "Ref", name);
			}
			return;
		}
		if (!strcmp(one->string, "Fn::Sub") && cJSON_IsString(one)) {
			cJSON_SetValuestring(one, localize_sub(l, one->valuestring));
			return;
		}
	}
	cJSON *it;
	cJSON_ArrayForEach(it, v)
		localize(l, it);
}

/* DependsOn within the template only. */
static void local_depends(localizer *l, cJSON *resource)
{
	cJSON *dep = cJSON_GetObjectItemCaseSensitive(resource, "DependsOn");
	if (!dep)
		return;
	if (cJSON_IsString(dep)) {
		if (!sg_plan_names_has(l->local, dep->valuestring))
			cJSON_DeleteItemFromObjectCaseSensitive(resource, "DependsOn");
		return;
	}
	for (cJSON *it = dep->child; it;) {
		cJSON *next = it->next;
		if (cJSON_IsString(it) && !sg_plan_names_has(l->local, it->valuestring))
			cJSON_Delete(cJSON_DetachItemViaPointer(dep, it));
		it = next;
	}
	if (!dep->child)
		cJSON_DeleteItemFromObjectCaseSensitive(resource, "DependsOn");
}

bool cfn_finish_stack(cfn_ctx *c, size_t index, cJSON *tpl, const cJSON *root_params)
{
	const sg_plan *plan = c->plan;
	const sg_plan_stack *st = &plan->stacks[index];
	cJSON *resources = c->stacks[index];
	localizer l = {
		.c = c, .stack = st,
		.local = sg_plan_names_new(c->arena, false),
		.root = sg_plan_names_new(c->arena, false),
		.seen = sg_plan_names_new(c->arena, false),
		.values = cJSON_CreateObject(),
	};
	/* Parameters come before Resources in the template. */
	l.params = cJSON_CreateObject();
	cJSON_DetachItemViaPointer(tpl, resources);
	cJSON_AddItemToObject(tpl, "Parameters", l.params);
	cJSON_AddItemToObject(tpl, "Resources", resources);

	cJSON *it;
	cJSON_ArrayForEach(it, resources)
		sg_plan_names_claim(l.local, it->string, "");
	cJSON_ArrayForEach(it, c->root)
		sg_plan_names_claim(l.root, it->string, "");
	cJSON_ArrayForEach(it, root_params)
		sg_plan_names_claim(l.root, it->string, "");
	cJSON_ArrayForEach(it, resources) {
		local_depends(&l, it);
		localize(&l, it);
	}
	if (!l.params->child)
		cJSON_DeleteItemFromObjectCaseSensitive(tpl, "Parameters");
	if (l.count > SG_PLAN_MAX_PARAMETERS) {
		sg_error(c->diags, "too-many-parameters", (sg_pos){0, 0},
			 "nested stack %s needs %zu parameters, over CloudFormation's %d (the "
			 "tables, topics and queues its functions use)", st->name, l.count,
			 SG_PLAN_MAX_PARAMETERS);
		l.failed = true;
	}

	cfn_in_stack(c, NULL);
	cJSON *p = cfn_resource(c, st->logical_id, "AWS::CloudFormation::Stack");
	/* Nothing in a nested stack holds data (tables, queues and the user
	 * pool stay in the root): deleting one deletes functions and routes. */
	cfn_set_policies(c, st->logical_id, "Delete");
	/* The build's own copy of the template, next to its code
	 * (ArtifactPrefix names the build; README "CloudFormation output"). */
	cJSON_AddItemToObject(p, "TemplateURL", cfn_sub(sg_arena_printf(c->arena,
		"https://${ArtifactBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/${ArtifactPrefix}%s",
		st->file)));
	if (l.values->child)
		cJSON_AddItemToObject(p, "Parameters", l.values);
	else
		cJSON_Delete(l.values);
	cfn_add_tags(c, p, "Tags");
	if (st->depend_count) {
		cJSON *dep = cJSON_CreateArray();
		for (size_t i = 0; i < st->depend_count; i++)
			cJSON_AddItemToArray(dep, cJSON_CreateString(st->depends[i]->logical_id));
		cJSON_AddItemToObject(cfn_resource_object(c, st->logical_id), "DependsOn", dep);
	}
	return !l.failed;
}
