// tfdump reads a Terraform configuration with HashiCorp's own HCL parser
// (hclsyntax, the version pinned in go.mod, the one Terraform 1.11 uses)
// and prints it as JSON for the Python checks in tests/tf/.
//
// Usage: tfdump FILE.tf...
//
// Output: {"blocks": [...], "errors": [...]}.  Every block is
//
//	{"file", "line", "type", "labels": [...],
//	 "attrs": {NAME: {"line", "value", "refs": [...], "error"}},
//	 "blocks": [nested blocks, same shape]}
//
// "refs" are the expression's references (hcl.Expression.Variables) as
// dotted traversals: "aws_iam_role.x.arn", "var.region",
// "data.aws_region.current.region".  "value" is the expression evaluated
// with every reference standing for the placeholder string "${traversal}",
// so templates, jsonencode() documents and literals read back as data:
// `"arn:${data.aws_partition.current.partition}:sns"` evaluates to that very
// text, `jsonencode({Resource = aws_x.y.arn})` to `{"Resource":"${aws_x.y.arn}"}`.
// Functions: jsonencode (Terraform's), try (HCL's ext/tryfunc, Terraform's
// own), and filebase64sha256, which evaluates to "${filebase64sha256(ARG)}"
// without reading any file.  Anything else
// that fails to evaluate is reported in "error".
//
// Exit status 0 when every file parsed (evaluation errors are data), 1 on
// parse errors, 2 on usage errors.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

type attr struct {
	Line  int             `json:"line"`
	Value json.RawMessage `json:"value,omitempty"`
	Refs  []string        `json:"refs"`
	Error string          `json:"error,omitempty"`
}

type block struct {
	File   string          `json:"file"`
	Line   int             `json:"line"`
	Type   string          `json:"type"`
	Labels []string        `json:"labels"`
	Attrs  map[string]attr `json:"attrs"`
	Blocks []block         `json:"blocks"`
}

type dump struct {
	Blocks []block  `json:"blocks"`
	Errors []string `json:"errors"`
}

var filebase64sha256 = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal("${filebase64sha256(" + args[0].AsString() + ")}"), nil
	},
})

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tfdump FILE.tf...")
		os.Exit(2)
	}
	out := dump{Blocks: []block{}, Errors: []string{}}
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			out.Errors = append(out.Errors, err.Error())
			continue
		}
		file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
		if diags.HasErrors() {
			for _, d := range diags {
				out.Errors = append(out.Errors, d.Error())
			}
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			out.Blocks = append(out.Blocks, convert(name, b))
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(out.Errors) > 0 {
		for _, e := range out.Errors {
			fmt.Fprintln(os.Stderr, e)
		}
		os.Exit(1)
	}
}

func convert(file string, b *hclsyntax.Block) block {
	out := block{
		File:   file,
		Line:   b.TypeRange.Start.Line,
		Type:   b.Type,
		Labels: append([]string{}, b.Labels...),
		Attrs:  map[string]attr{},
		Blocks: []block{},
	}
	for name, a := range b.Body.Attributes {
		out.Attrs[name] = evaluate(a)
	}
	for _, nb := range b.Body.Blocks {
		out.Blocks = append(out.Blocks, convert(file, nb))
	}
	return out
}

func evaluate(a *hclsyntax.Attribute) attr {
	out := attr{Line: a.SrcRange.Start.Line, Refs: []string{}}
	travs := a.Expr.Variables()
	seen := map[string]bool{}
	for _, t := range travs {
		s := traversalString(t)
		if !seen[s] {
			seen[s] = true
			out.Refs = append(out.Refs, s)
		}
	}
	sort.Strings(out.Refs)
	ctx := &hcl.EvalContext{
		Variables: placeholders(travs),
		Functions: map[string]function.Function{
			"jsonencode":       stdlib.JSONEncodeFunc,
			"filebase64sha256": filebase64sha256,
			"try":              tryfunc.TryFunc,
		},
	}
	val, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		out.Error = diags.Error()
		return out
	}
	raw, err := ctyjson.Marshal(val, val.Type())
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Value = raw
	return out
}

// traversalString spells a traversal the way it is written:
// a.b.c, a.b[0], a.b["k"].
func traversalString(t hcl.Traversal) string {
	var sb strings.Builder
	for i, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			sb.WriteString(s.Name)
		case hcl.TraverseAttr:
			sb.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				fmt.Fprintf(&sb, "[%q]", s.Key.AsString())
			} else if s.Key.Type() == cty.Number {
				fmt.Fprintf(&sb, "[%s]", s.Key.AsBigFloat().String())
			} else {
				sb.WriteString("[?]")
			}
		case hcl.TraverseSplat:
			sb.WriteString("[*]")
		default:
			if i > 0 {
				sb.WriteString(".?")
			}
		}
	}
	return sb.String()
}

// placeholders gives every referenced name a value: the traversal a.b.c
// evaluates to the string "${a.b.c}".  Only root and attribute steps are
// modelled; an index step ends the placeholder there.
func placeholders(travs []hcl.Traversal) map[string]cty.Value {
	tree := map[string]interface{}{}
	for _, t := range travs {
		node := tree
		text := ""
		for i, step := range t {
			var name string
			switch s := step.(type) {
			case hcl.TraverseRoot:
				name = s.Name
			case hcl.TraverseAttr:
				name = s.Name
			}
			if name == "" {
				break
			}
			if i > 0 {
				text += "."
			}
			text += name
			last := i == len(t)-1
			if _, isIndex := nextIsIndex(t, i); isIndex {
				last = true
			}
			if last {
				if _, isMap := node[name].(map[string]interface{}); !isMap {
					node[name] = "${" + text + "}"
				}
				break
			}
			next, ok := node[name].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				node[name] = next
			}
			node = next
		}
	}
	return toCty(tree).AsValueMap()
}

func nextIsIndex(t hcl.Traversal, i int) (hcl.Traverser, bool) {
	if i+1 >= len(t) {
		return nil, false
	}
	switch t[i+1].(type) {
	case hcl.TraverseIndex, hcl.TraverseSplat:
		return t[i+1], true
	}
	return nil, false
}

func toCty(v interface{}) cty.Value {
	switch v := v.(type) {
	case string:
		return cty.StringVal(v)
	case map[string]interface{}:
		m := map[string]cty.Value{}
		for k, x := range v {
			m[k] = toCty(x)
		}
		if len(m) == 0 {
			return cty.EmptyObjectVal
		}
		return cty.ObjectVal(m)
	}
	panic("unreachable")
}
