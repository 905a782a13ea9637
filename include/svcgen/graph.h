/*
 * graph.h - the service drawn as a diagram: Graphviz DOT or Mermaid.
 *
 * Pure, like every emitter: a plan in, text out.  The diagram shows the
 * API (its routes, each with its auth), the functions the routes invoke,
 * the tables and their indexes, the topics, the DynamoDB streams that
 * trigger functions, the Cognito user pool that authorizes routes, and
 * the alarms with where they notify.  An edge from a function to a table,
 * index or topic is labelled with the actions its IAM policy grants there.
 *
 * Every label that comes from the spec is escaped for the target
 * language (DOT: the quoted-string rules of the Graphviz DOT language;
 * Mermaid: quoted labels with entity codes such as #quot;), and node
 * identifiers are generated ("f0", "t1x0"), never taken from the spec, so
 * no name can break the syntax.  Deterministic: the same plan gives the
 * same bytes.
 */
#ifndef SVCGEN_GRAPH_H
#define SVCGEN_GRAPH_H

#include "svcgen/buf.h"
#include "svcgen/diag.h"
#include "svcgen/fileset.h"
#include "svcgen/plan.h"

typedef enum sg_graph_format {
	SG_GRAPH_DOT,      /* Graphviz: `dot -Tsvg` renders it */
	SG_GRAPH_MERMAID,  /* Mermaid flowchart: GitHub and GitLab render it */
} sg_graph_format;

/*
 * Append the diagram of `plan` in `format` to `out`, ending in a newline.
 * Returns SG_OK, or SG_EUSAGE for NULL arguments or an unknown format.
 */
int sg_graph_render(sg_buf *out, const sg_plan *plan, sg_graph_format format);

/*
 * The "graph" emitter (src/emit/emit.c): diagram.mmd, the Mermaid
 * diagram, as a generated file.  Returns SG_OK.
 */
int sg_emit_graph(sg_fileset *fs, const sg_plan *plan, sg_diags *diags);

/* Parse "dot" or "mermaid"; returns SG_OK or SG_EUSAGE. */
int sg_graph_parse_format(sg_graph_format *out, const char *name);

#endif
