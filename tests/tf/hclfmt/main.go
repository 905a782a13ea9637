// hclfmtcheck checks that HCL files are exactly what `terraform fmt` would
// write, using the hclwrite formatter of the HCL version pinned in go.mod.
//
// Usage: hclfmtcheck [-expect VALUES.json] FILE...
//
// For every FILE it checks that:
//   - it parses as HCL native syntax (hclsyntax, as `hclfmt -check` does);
//   - hclwrite.Format leaves it byte for byte unchanged (what `hclfmt`
//     and `terraform fmt` run);
//   - the rewrites `terraform fmt` adds on top of hclwrite.Format would not
//     apply either: block labels re-quoted with hclwrite's escaping,
//     attribute values that are one lone "${...}" interpolation, quoted
//     type constraints in variable blocks.
//
// With -expect, VALUES.json is an object mapping attribute names of the
// files' `locals` blocks to the JSON of the value they must evaluate to.
// References evaluate to placeholder strings "<a.b.c>"; jsonencode, merge,
// coalesce and upper are available, so escaping and templates are checked by what HCL reads back,
// not by how they look.
//
// Exit status 0 when every check passes, 1 otherwise.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var failed bool

func fail(format string, args ...interface{}) {
	failed = true
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func main() {
	expectPath := flag.String("expect", "", "JSON object: locals attribute name -> expected value")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: hclfmtcheck [-expect VALUES.json] FILE...")
		os.Exit(2)
	}
	var expect map[string]json.RawMessage
	if *expectPath != "" {
		raw, err := os.ReadFile(*expectPath)
		if err == nil {
			err = json.Unmarshal(raw, &expect)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", *expectPath, err)
			os.Exit(2)
		}
	}
	seen := map[string]bool{}
	for _, path := range flag.Args() {
		src, err := os.ReadFile(path)
		if err != nil {
			fail("%v", err)
			continue
		}
		checkFile(path, src, expect, seen)
	}
	for name := range expect {
		if !seen[name] {
			fail("-expect: no locals attribute %q", name)
		}
	}
	if expect != nil {
		fmt.Printf("values: %d locals read back\n", len(seen))
	}
	if failed {
		os.Exit(1)
	}
}

func checkFile(path string, src []byte, expect map[string]json.RawMessage, seen map[string]bool) {
	before := failed
	failed = false
	defer func() {
		if !failed {
			fmt.Printf("ok %s\n", path)
		}
		failed = failed || before
	}()
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			fail("%s", d.Error())
		}
		return
	}
	if out := hclwrite.Format(src); !bytes.Equal(out, src) {
		fail("%s: hclwrite.Format changes the file\n%s", path, firstDiff(src, out))
	}
	checkTerraformRewrites(path, src)
	if expect != nil {
		checkValues(path, file.Body.(*hclsyntax.Body), expect, seen)
	}
}

// firstDiff shows the first line that differs, with its neighbours.
func firstDiff(a, b []byte) string {
	al := strings.Split(string(a), "\n")
	bl := strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			var sb strings.Builder
			for j := max(0, i-3); j < i; j++ {
				fmt.Fprintf(&sb, "  %4d  %s\n", j+1, al[j])
			}
			fmt.Fprintf(&sb, "- %4d  %q\n+ %4d  %q\n", i+1, x, i+1, y)
			return sb.String()
		}
	}
	return "(same lines, different bytes)"
}

func checkTerraformRewrites(path string, src []byte) {
	f, diags := hclwrite.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		fail("%s: hclwrite: %s", path, diags.Error())
		return
	}
	walkBody(path, f.Body(), nil)
	// Re-setting every label is what terraform fmt does to normalize them;
	// f.Bytes also formats, so compare with the formatted source to see
	// only what the labels changed.
	if want, out := hclwrite.Format(src), f.Bytes(); !bytes.Equal(out, want) {
		fail("%s: terraform fmt would rewrite block labels\n%s", path, firstDiff(want, out))
	}
}

func walkBody(path string, body *hclwrite.Body, inBlocks []string) {
	for name, attr := range body.Attributes() {
		toks := attr.Expr().BuildTokens(nil)
		if len(inBlocks) == 1 && inBlocks[0] == "variable" && name == "type" &&
			len(toks) > 0 && toks[0].Type == hclsyntax.TokenOQuote {
			fail("%s: variable type %s is quoted; terraform fmt rewrites it", path, bytes.TrimSpace(toks.Bytes()))
		}
		if loneInterpolation(toks) {
			fail("%s: attribute %s = %s: terraform fmt unwraps a lone interpolation", path, name, bytes.TrimSpace(toks.Bytes()))
		}
	}
	for _, block := range body.Blocks() {
		block.SetLabels(block.Labels())
		walkBody(path, block.Body(), append(inBlocks, block.Type()))
	}
}

// loneInterpolation reports whether tokens are "${ expr }" with nothing else
// at the outer quoting level: the case terraform fmt replaces by the bare
// expression.
func loneInterpolation(toks hclwrite.Tokens) bool {
	n := len(toks)
	if n < 5 || toks[0].Type != hclsyntax.TokenOQuote || toks[1].Type != hclsyntax.TokenTemplateInterp ||
		toks[n-2].Type != hclsyntax.TokenTemplateSeqEnd || toks[n-1].Type != hclsyntax.TokenCQuote {
		return false
	}
	depth := 0
	for _, t := range toks[2 : n-2] {
		switch {
		case t.Type == hclsyntax.TokenOQuote:
			depth++
		case t.Type == hclsyntax.TokenCQuote:
			depth--
		case depth > 0:
		case t.Type == hclsyntax.TokenTemplateInterp, t.Type == hclsyntax.TokenTemplateSeqEnd,
			t.Type == hclsyntax.TokenQuotedLit:
			return false
		}
	}
	return true
}

func checkValues(path string, body *hclsyntax.Body, expect map[string]json.RawMessage, seen map[string]bool) {
	for _, block := range body.Blocks {
		if block.Type != "locals" {
			continue
		}
		for name, attr := range block.Body.Attributes {
			want, ok := expect[name]
			if !ok {
				continue
			}
			seen[name] = true
			ctx := &hcl.EvalContext{
				Variables: placeholders(attr.Expr.Variables()),
				Functions: map[string]function.Function{
					"jsonencode": stdlib.JSONEncodeFunc,
					"merge":      stdlib.MergeFunc,
					"coalesce":   stdlib.CoalesceFunc,
					"upper":      stdlib.UpperFunc,
				},
			}
			val, diags := attr.Expr.Value(ctx)
			if diags.HasErrors() {
				fail("%s: locals.%s: %s", path, name, diags.Error())
				continue
			}
			got, err := ctyjson.Marshal(val, val.Type())
			if err != nil {
				fail("%s: locals.%s: %v", path, name, err)
				continue
			}
			var g, w interface{}
			if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil || !reflect.DeepEqual(g, w) {
				fail("%s: locals.%s:\n  got  %s\n  want %s", path, name, got, want)
			}
		}
	}
}

// placeholders gives every referenced name a value: the traversal a.b.c
// evaluates to the string "<a.b.c>".
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
			default:
				name = ""
			}
			if name == "" {
				break
			}
			if i > 0 {
				text += "."
			}
			text += name
			if i == len(t)-1 {
				node[name] = "<" + text + ">"
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

func toCty(v interface{}) cty.Value {
	switch v := v.(type) {
	case string:
		return cty.StringVal(v)
	case map[string]interface{}:
		m := map[string]cty.Value{}
		for k, x := range v {
			m[k] = toCty(x)
		}
		return cty.ObjectVal(m)
	}
	panic("unreachable")
}
