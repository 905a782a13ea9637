/*
 * graph.c - the service as a Graphviz DOT or Mermaid flowchart (graph.h).
 *
 * The diagram is described once, as nodes and edges with a shape and a
 * style, by walking the plan; two small writers spell it in DOT or in
 * Mermaid.  Keeping one description means both formats always show the
 * same things.
 *
 * Escaping: spec text only ever appears inside quoted labels.  DOT (the
 * Graphviz DOT language, "ID" as a double-quoted string) needs '"' and
 * '\\' escaped; a backslash left alone would start an escape sequence such
 * as \N or \l.  Mermaid (flowchart syntax, "Entity codes to escape
 * characters") takes quoted labels in which '"' must be #quot; and '#' must
 * be an entity too, since it starts one; '<', '>' and '&' are entities as
 * well because Mermaid renders labels as HTML, and '|' and '`' because
 * they end edge labels and start Markdown strings.
 */
#include "svcgen/graph.h"

#include <stdbool.h>
#include <string.h>

#include "svcgen/spec.h"

typedef enum shape {
	SH_API, SH_ROUTE, SH_FUNCTION, SH_TABLE, SH_INDEX, SH_TOPIC, SH_POOL, SH_ALARM, SH_EMAIL,
} shape;

typedef enum style { ST_SOLID, ST_DASHED, ST_DOTTED } style;

typedef struct node {
	const char *id;
	const char *label;   /* lines separated by '\n' */
	shape shape;
	bool in_api;         /* drawn inside the API's box */
} node;

typedef struct edge {
	const char *from, *to;
	const char *label;   /* or NULL */
	style style;
	bool weak;           /* leaves the layout alone (DOT constraint=false) */
} edge;

typedef struct graph {
	sg_arena *arena;
	const sg_plan *plan;
	node *nodes;
	size_t node_count, node_cap;
	edge *edges;
	size_t edge_count, edge_cap;
	const char *api_title;
} graph;

static void add_node(graph *g, const char *id, const char *label, shape sh, bool in_api)
{
	if (g->node_count == g->node_cap) {
		size_t cap = g->node_cap ? g->node_cap * 2 : 32;
		g->nodes = sg_arena_grow(g->arena, g->nodes, g->node_count, cap, sizeof(*g->nodes));
		g->node_cap = cap;
	}
	g->nodes[g->node_count++] = (node){id, label, sh, in_api};
}

static void add_edge_ex(graph *g, const char *from, const char *to, const char *label, style st,
			bool weak)
{
	if (g->edge_count == g->edge_cap) {
		size_t cap = g->edge_cap ? g->edge_cap * 2 : 64;
		g->edges = sg_arena_grow(g->arena, g->edges, g->edge_count, cap, sizeof(*g->edges));
		g->edge_cap = cap;
	}
	g->edges[g->edge_count++] = (edge){from, to, label, st, weak};
}

static void add_edge(graph *g, const char *from, const char *to, const char *label, style st)
{
	add_edge_ex(g, from, to, label, st, false);
}

/* ---- the description ---------------------------------------------------------- */

static long index_of_table(const sg_plan *plan, const sg_plan_table *t)
{
	for (size_t i = 0; i < plan->table_count; i++)
		if (&plan->tables[i] == t)
			return (long)i;
	return -1;
}

static long index_of_topic(const sg_plan *plan, const sg_plan_topic *t)
{
	for (size_t i = 0; i < plan->topic_count; i++)
		if (&plan->topics[i] == t)
			return (long)i;
	return -1;
}

static long index_of_function(const sg_plan *plan, const sg_plan_function *f)
{
	for (size_t i = 0; i < plan->function_count; i++)
		if (&plan->functions[i] == f)
			return (long)i;
	return -1;
}

static const char *index_id(graph *g, const sg_plan_table *t, const sg_plan_index *x)
{
	long ti = index_of_table(g->plan, t);
	return sg_arena_printf(g->arena, "t%ldx%ld", ti, (long)(x - t->indexes));
}

/* Actions without their service prefix: "dynamodb:GetItem" -> "GetItem". */
static const char *short_actions(graph *g, const sg_plan_statement *st)
{
	sg_buf b = SG_BUF_INIT;
	for (size_t i = 0; i < st->action_count; i++) {
		const char *colon = strchr(st->actions[i], ':');
		sg_buf_puts(&b, i ? ", " : "");
		sg_buf_puts(&b, colon ? colon + 1 : st->actions[i]);
	}
	return sg_buf_to_arena(&b, g->arena, NULL);
}

static const char *auth_text(graph *g, const sg_plan_method *m)
{
	if (m->auth == SG_AUTH_NONE)
		return "";
	sg_buf b = SG_BUF_INIT;
	sg_buf_printf(&b, "\nauth: %s", sg_auth_name(m->auth));
	for (size_t i = 0; i < m->scope_count; i++)
		sg_buf_printf(&b, "%s%s", i ? " " : " (", m->scopes[i]);
	if (m->scope_count)
		sg_buf_puts(&b, ")");
	return sg_buf_to_arena(&b, g->arena, NULL);
}

static void describe_api(graph *g)
{
	const sg_plan_api *api = &g->plan->api;
	if (!api->present)
		return;
	g->api_title = sg_arena_printf(g->arena, "%s API %s", api->type == SG_API_HTTP ? "HTTP" : "REST",
				       api->name);
	sg_buf b = SG_BUF_INIT;
	sg_buf_printf(&b, "%s\nstage %s", g->api_title, api->stage_name);
	if (api->throttle_set && api->throttle_rate >= 0)
		sg_buf_printf(&b, ", %lld req/s", (long long)api->throttle_rate);
	if (api->cors)
		sg_buf_puts(&b, ", CORS");
	add_node(g, "api", sg_buf_to_arena(&b, g->arena, NULL), SH_API, true);
	for (size_t i = 0; i < api->method_count; i++) {
		const sg_plan_method *m = api->methods[i];
		const char *id = sg_arena_printf(g->arena, "r%zu", i);
		add_node(g, id, sg_arena_printf(g->arena, "%s %s%s", m->verb_name, m->node->path,
						auth_text(g, m)),
			 SH_ROUTE, true);
		add_edge(g, "api", id, NULL, ST_SOLID);
		add_edge(g, id, sg_arena_printf(g->arena, "f%ld", index_of_function(g->plan, m->function)),
			 NULL, ST_SOLID);
		if (m->auth == SG_AUTH_COGNITO && g->plan->cognito.present)
			add_edge(g, "pool", id, "authorizes", ST_DASHED);
	}
}

static void describe_data(graph *g)
{
	const sg_plan *plan = g->plan;
	if (plan->cognito.present)
		add_node(g, "pool",
			 sg_arena_printf(g->arena, "Cognito user pool\n%s", plan->cognito.user_pool_name),
			 SH_POOL, false);
	for (size_t i = 0; i < plan->table_count; i++) {
		const sg_plan_table *t = &plan->tables[i];
		sg_buf b = SG_BUF_INIT;
		sg_buf_printf(&b, "table %s\n%s", t->name, t->partition_key.name);
		if (t->sort_key.name)
			sg_buf_printf(&b, ", %s", t->sort_key.name);
		if (t->stream != SG_STREAM_NONE)
			sg_buf_printf(&b, "\nstream: %s", sg_stream_view_name(t->stream));
		const char *tid = sg_arena_printf(g->arena, "t%zu", i);
		add_node(g, tid, sg_buf_to_arena(&b, g->arena, NULL), SH_TABLE, false);
		for (size_t k = 0; k < t->index_count; k++) {
			const sg_plan_index *x = &t->indexes[k];
			const char *xid = index_id(g, t, x);
			add_node(g, xid, sg_arena_printf(g->arena, "index %s.%s\n%s%s%s", t->name, x->name,
							 x->partition_key.name,
							 x->sort_key.name ? ", " : "",
							 x->sort_key.name ? x->sort_key.name : ""),
				 SH_INDEX, false);
			add_edge(g, xid, tid, "index of", ST_DOTTED);
		}
	}
	for (size_t i = 0; i < plan->topic_count; i++) {
		const sg_plan_topic *t = &plan->topics[i];
		add_node(g, sg_arena_printf(g->arena, "s%zu", i),
			 sg_arena_printf(g->arena, "topic %s%s", t->name, t->fifo ? " (FIFO)" : ""),
			 SH_TOPIC, false);
	}
}

static void describe_functions(graph *g)
{
	const sg_plan *plan = g->plan;
	for (size_t i = 0; i < plan->function_count; i++) {
		const sg_plan_function *f = &plan->functions[i];
		const char *fid = sg_arena_printf(g->arena, "f%zu", i);
		add_node(g, fid, sg_arena_printf(g->arena, "%s\n%lld MB, %lld s%s", f->name,
						 (long long)f->memory, (long long)f->timeout,
						 f->tracing ? ", X-Ray" : ""),
			 SH_FUNCTION, false);
		for (size_t k = 0; k < f->statement_count; k++) {
			const sg_plan_statement *st = &f->statements[k];
			const char *to = NULL;
			switch (st->resource.kind) {
			case SG_PLAN_ARN_TABLE:
				to = sg_arena_printf(g->arena, "t%ld",
						     index_of_table(plan, st->resource.table));
				break;
			case SG_PLAN_ARN_INDEX:
				to = index_id(g, st->resource.table, st->resource.index);
				break;
			case SG_PLAN_ARN_TOPIC:
				to = sg_arena_printf(g->arena, "s%ld",
						     index_of_topic(plan, st->resource.topic));
				break;
			default:
				/* Streams are drawn as triggers below; logs and
				 * X-Ray belong to every function. */
				break;
			}
			if (to)
				add_edge(g, fid, to, short_actions(g, st), ST_SOLID);
		}
		for (size_t k = 0; k < f->event_count; k++) {
			const sg_plan_event *e = &f->events[k];
			add_edge(g, sg_arena_printf(g->arena, "t%ld", index_of_table(plan, e->table)), fid,
				 sg_arena_printf(g->arena, "stream, batch %lld%s", (long long)e->batch_size,
						 e->filter_json ? ", filtered" : ""),
				 ST_DASHED);
		}
	}
}

static const char *comparison_sign(const char *cmp)
{
	if (!strcmp(cmp, "GreaterThanOrEqualToThreshold"))
		return ">=";
	if (!strcmp(cmp, "GreaterThanThreshold"))
		return ">";
	if (!strcmp(cmp, "LessThanThreshold"))
		return "<";
	if (!strcmp(cmp, "LessThanOrEqualToThreshold"))
		return "<=";
	return cmp;
}

/* The node an alarm watches. */
static const char *watched(graph *g, const sg_plan_alarm *a)
{
	if (a->function)
		return sg_arena_printf(g->arena, "f%ld", index_of_function(g->plan, a->function));
	if (a->index)
		return sg_arena_printf(g->arena, "t%ldx%ld", index_of_table(g->plan, a->table),
				       (long)(a->index - a->table->indexes));
	if (a->table)
		return sg_arena_printf(g->arena, "t%ld", index_of_table(g->plan, a->table));
	return g->plan->api.present ? "api" : NULL;
}

/* One alarm node per watched resource, listing its rules. */
static void describe_alarms(graph *g)
{
	const sg_plan *plan = g->plan;
	long alarm_topic = plan->alarm_topic ? index_of_topic(plan, plan->alarm_topic) : -1;
	size_t n = 0;
	for (size_t i = 0; i < plan->alarm_count;) {
		const char *target = watched(g, &plan->alarms[i]);
		sg_buf b = SG_BUF_INIT;
		sg_buf_puts(&b, "alarms");
		size_t k = i;
		for (; k < plan->alarm_count; k++) {
			const sg_plan_alarm *a = &plan->alarms[k];
			const char *t = watched(g, a);
			if ((t == NULL) != (target == NULL) || (t && strcmp(t, target)))
				break;
			sg_buf_printf(&b, "\n%s%s%s %s %lld%s", a->metric,
				      a->extended_statistic ? " " : "",
				      a->extended_statistic ? a->extended_statistic : "",
				      comparison_sign(a->comparison), (long long)a->threshold,
				      a->unit && !strcmp(a->unit, "Milliseconds") ? " ms" : "");
		}
		/* Every function usually has the same rules: one node per set
		 * of rules, watching each resource it applies to. */
		const char *label = sg_buf_to_arena(&b, g->arena, NULL);
		const char *id = NULL;
		for (size_t j = 0; j < g->node_count && !id; j++)
			if (g->nodes[j].shape == SH_ALARM && !strcmp(g->nodes[j].label, label))
				id = g->nodes[j].id;
		if (!id) {
			id = sg_arena_printf(g->arena, "a%zu", n++);
			add_node(g, id, label, SH_ALARM, false);
			if (alarm_topic >= 0)
				add_edge(g, id, sg_arena_printf(g->arena, "s%ld", alarm_topic),
					 "notifies", ST_DOTTED);
		}
		/* Unlabelled and weak: eleven "watches" arrows pulling the
		 * alarm into the middle of the drawing help nobody. */
		if (target)
			add_edge_ex(g, id, target, NULL, ST_DOTTED, true);
		i = k;
	}
	for (size_t i = 0; i < plan->subscription_count && alarm_topic >= 0; i++) {
		const char *id = sg_arena_printf(g->arena, "e%zu", i);
		add_node(g, id, sg_arena_printf(g->arena, "e-mail\n%s", plan->subscriptions[i].email),
			 SH_EMAIL, false);
		add_edge(g, sg_arena_printf(g->arena, "s%ld", alarm_topic), id, NULL, ST_DOTTED);
	}
}

/* ---- DOT ------------------------------------------------------------------------ */

/* A DOT double-quoted string; our '\n' line breaks become DOT's "\n". */
static void dot_string(sg_buf *b, const char *s)
{
	sg_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			sg_buf_putc(b, '\\');
			sg_buf_putc(b, (char)*p);
		} else if (*p == '\n') {
			sg_buf_puts(b, "\\n");
		} else if (*p < 0x20 || *p == 0x7f) {
			sg_buf_putc(b, ' ');
		} else {
			sg_buf_putc(b, (char)*p);
		}
	}
	sg_buf_putc(b, '"');
}

static const char *dot_shape(shape sh)
{
	switch (sh) {
	case SH_API: return "shape=box, style=\"rounded,bold\"";
	case SH_ROUTE: return "shape=box, style=rounded";
	case SH_FUNCTION: return "shape=box, style=\"rounded,filled\", fillcolor=\"#fff3e0\"";
	case SH_TABLE: return "shape=cylinder, style=filled, fillcolor=\"#e3f2fd\"";
	case SH_INDEX: return "shape=cylinder, style=dashed";
	case SH_TOPIC: return "shape=hexagon, style=filled, fillcolor=\"#fce4ec\"";
	case SH_POOL: return "shape=component, style=filled, fillcolor=\"#ede7f6\"";
	case SH_ALARM: return "shape=octagon, style=filled, fillcolor=\"#ffebee\"";
	case SH_EMAIL: return "shape=note";
	}
	return "shape=box";
}

static void dot_node(sg_buf *b, const node *n, const char *indent)
{
	sg_buf_printf(b, "%s%s [label=", indent, n->id);
	dot_string(b, n->label);
	sg_buf_printf(b, ", %s];\n", dot_shape(n->shape));
}

static void write_dot(sg_buf *b, const graph *g)
{
	sg_buf_puts(b, "digraph ");
	dot_string(b, g->plan->prefix);
	sg_buf_puts(b, " {\n"
		       "  rankdir=LR;\n"
		       "  node [fontname=\"Helvetica\", fontsize=10];\n"
		       "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	sg_buf_puts(b, "  label=");
	dot_string(b, sg_arena_printf(g->arena, "%s (%s)", g->plan->service, g->plan->stage));
	sg_buf_puts(b, ";\n  labelloc=t;\n");
	if (g->api_title) {
		sg_buf_puts(b, "  subgraph cluster_api {\n    label=");
		dot_string(b, g->api_title);
		sg_buf_puts(b, ";\n    style=rounded;\n");
		for (size_t i = 0; i < g->node_count; i++)
			if (g->nodes[i].in_api)
				dot_node(b, &g->nodes[i], "    ");
		sg_buf_puts(b, "  }\n");
	}
	for (size_t i = 0; i < g->node_count; i++)
		if (!g->nodes[i].in_api)
			dot_node(b, &g->nodes[i], "  ");
	for (size_t i = 0; i < g->edge_count; i++) {
		const edge *e = &g->edges[i];
		sg_buf_printf(b, "  %s -> %s", e->from, e->to);
		const char *sep = " [";
		if (e->label) {
			sg_buf_printf(b, "%slabel=", sep);
			dot_string(b, e->label);
			sep = ", ";
		}
		if (e->style != ST_SOLID) {
			sg_buf_printf(b, "%sstyle=%s", sep, e->style == ST_DASHED ? "dashed" : "dotted");
			sep = ", ";
		}
		if (e->weak) {
			sg_buf_printf(b, "%sconstraint=false", sep);
			sep = ", ";
		}
		if (strcmp(sep, " [") != 0)
			sg_buf_puts(b, "]");
		sg_buf_puts(b, ";\n");
	}
	sg_buf_puts(b, "}\n");
}

/* ---- Mermaid ----------------------------------------------------------------------- */

/* The inside of a Mermaid quoted label. */
static void mermaid_text(sg_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sg_buf_puts(b, "#quot;"); break;
		case '#': sg_buf_puts(b, "#35;"); break;
		case '<': sg_buf_puts(b, "#lt;"); break;
		case '>': sg_buf_puts(b, "#gt;"); break;
		case '&': sg_buf_puts(b, "#amp;"); break;
		case '|': sg_buf_puts(b, "#124;"); break;
		case '`': sg_buf_puts(b, "#96;"); break;
		case '\n': sg_buf_puts(b, "<br/>"); break;
		default:
			sg_buf_putc(b, (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p);
		}
	}
}

static void mermaid_node(sg_buf *b, const node *n, const char *indent)
{
	static const char *const open[] = {
		[SH_API] = "[", [SH_ROUTE] = "(", [SH_FUNCTION] = "(", [SH_TABLE] = "[(",
		[SH_INDEX] = "[(", [SH_TOPIC] = "{{", [SH_POOL] = "[[", [SH_ALARM] = "{{",
		[SH_EMAIL] = ">",
	};
	static const char *const close[] = {
		[SH_API] = "]", [SH_ROUTE] = ")", [SH_FUNCTION] = ")", [SH_TABLE] = ")]",
		[SH_INDEX] = ")]", [SH_TOPIC] = "}}", [SH_POOL] = "]]", [SH_ALARM] = "}}",
		[SH_EMAIL] = "]",
	};
	sg_buf_printf(b, "%s%s%s\"", indent, n->id, open[n->shape]);
	mermaid_text(b, n->label);
	sg_buf_printf(b, "\"%s\n", close[n->shape]);
}

static void write_mermaid(sg_buf *b, const graph *g)
{
	/* The header comment is ours alone: service and stage names are
	 * validated identifiers, but escape them all the same. */
	sg_buf_puts(b, "%% ");
	mermaid_text(b, sg_arena_printf(g->arena, "%s (%s): generated by svcgen", g->plan->service,
					g->plan->stage));
	sg_buf_puts(b, "\nflowchart LR\n");
	if (g->api_title) {
		sg_buf_puts(b, "  subgraph api_box[\"");
		mermaid_text(b, g->api_title);
		sg_buf_puts(b, "\"]\n");
		for (size_t i = 0; i < g->node_count; i++)
			if (g->nodes[i].in_api)
				mermaid_node(b, &g->nodes[i], "    ");
		sg_buf_puts(b, "  end\n");
	}
	for (size_t i = 0; i < g->node_count; i++)
		if (!g->nodes[i].in_api)
			mermaid_node(b, &g->nodes[i], "  ");
	for (size_t i = 0; i < g->edge_count; i++) {
		const edge *e = &g->edges[i];
		const char *arrow = e->style == ST_SOLID ? "-->" : "-.->";
		sg_buf_printf(b, "  %s %s", e->from, arrow);
		if (e->label) {
			sg_buf_puts(b, "|\"");
			mermaid_text(b, e->label);
			sg_buf_puts(b, "\"|");
		}
		sg_buf_printf(b, " %s\n", e->to);
	}
	/* Styles by class, so the diagram reads like the DOT one. */
	sg_buf_puts(b, "  classDef fn fill:#fff3e0,stroke:#e65100\n"
		       "  classDef data fill:#e3f2fd,stroke:#0d47a1\n"
		       "  classDef topic fill:#fce4ec,stroke:#880e4f\n"
		       "  classDef alarm fill:#ffebee,stroke:#b71c1c\n");
	static const char *const cls[] = {
		[SH_API] = NULL, [SH_ROUTE] = NULL, [SH_FUNCTION] = "fn", [SH_TABLE] = "data",
		[SH_INDEX] = "data", [SH_TOPIC] = "topic", [SH_POOL] = NULL, [SH_ALARM] = "alarm",
		[SH_EMAIL] = NULL,
	};
	for (size_t i = 0; i < g->node_count; i++)
		if (cls[g->nodes[i].shape])
			sg_buf_printf(b, "  class %s %s\n", g->nodes[i].id, cls[g->nodes[i].shape]);
}

/* ---- entry points -------------------------------------------------------------------- */

int sg_graph_render(sg_buf *out, const sg_plan *plan, sg_graph_format format)
{
	if (!out || !plan || (format != SG_GRAPH_DOT && format != SG_GRAPH_MERMAID))
		return SG_EUSAGE;
	sg_arena *arena = sg_arena_new();
	if (!arena)
		return SG_EUSAGE;
	graph g;
	memset(&g, 0, sizeof(g));
	g.arena = arena;
	g.plan = plan;
	/* Nodes first in reading order: API and routes, functions, data,
	 * alarms; edges in the order they are found. */
	describe_api(&g);
	describe_functions(&g);
	describe_data(&g);
	describe_alarms(&g);
	if (format == SG_GRAPH_DOT)
		write_dot(out, &g);
	else
		write_mermaid(out, &g);
	sg_arena_free(arena);
	return SG_OK;
}

int sg_emit_graph(sg_fileset *fs, const sg_plan *plan, sg_diags *diags)
{
	(void)diags;
	sg_buf b = SG_BUF_INIT;
	int rc = sg_graph_render(&b, plan, SG_GRAPH_MERMAID);
	if (rc != SG_OK) {
		sg_buf_free(&b);
		return rc;
	}
	size_t len;
	char *data = sg_buf_to_arena(&b, fs->arena, &len);
	return sg_fileset_add_owned(fs, "diagram.mmd", data, len, SG_FILE_GENERATED);
}

int sg_graph_parse_format(sg_graph_format *out, const char *name)
{
	if (!strcmp(name, "dot"))
		*out = SG_GRAPH_DOT;
	else if (!strcmp(name, "mermaid"))
		*out = SG_GRAPH_MERMAID;
	else
		return SG_EUSAGE;
	return SG_OK;
}
