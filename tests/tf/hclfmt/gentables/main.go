// gentables regenerates the Unicode tables of src/emit/hcl_text.c.
//
// hclwrite escapes every character Go's unicode.IsPrint rejects, and aligns
// `=` signs by counting grapheme clusters with go-textseg.  The C writer must
// agree with both, so its tables are derived from the very same Go packages
// (Go's unicode tables and go-textseg v15, the version hcl v2.23.0 uses)
// rather than typed in by hand.
//
// Usage, from this directory:
//
//	go run ./gentables ../../../src/emit/hcl_text.c
//
// rewrites the text between the "BEGIN GENERATED" and "END GENERATED"
// marker lines of that file; with no argument it prints the tables.
package main

import (
	"bytes"
	"fmt"
	"os"
	"unicode"

	"github.com/apparentlymart/go-textseg/v15/textseg"
)

func clusters(s string) int {
	n, err := textseg.TokenCount([]byte(s), textseg.ScanGraphemeClusters)
	if err != nil {
		panic(err)
	}
	return n
}

// table writes the ranges of code points >= 0x80 for which pred holds.
func table(out *bytes.Buffer, name, comment string, pred func(rune) bool) {
	type rng struct{ lo, hi rune }
	var rs []rng
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates never decode from UTF-8
		}
		if !pred(r) {
			continue
		}
		if n := len(rs); n > 0 && (rs[n-1].hi == r-1 || (rs[n-1].hi == 0xD7FF && r == 0xE000)) {
			rs[n-1].hi = r
		} else {
			rs = append(rs, rng{r, r})
		}
	}
	fmt.Fprintf(out, "/* %s (%d ranges) */\n", comment, len(rs))
	fmt.Fprintf(out, "static const struct cp_range %s[] = {\n", name)
	for i, r := range rs {
		if i%4 == 0 {
			out.WriteString("\t")
		}
		fmt.Fprintf(out, "{0x%05X, 0x%05X},", r.lo, r.hi)
		if i%4 == 3 || i == len(rs)-1 {
			out.WriteString("\n")
		} else {
			out.WriteString(" ")
		}
	}
	out.WriteString("};\n")
}

func main() {
	var out bytes.Buffer
	fmt.Fprintf(&out, "/* Unicode %s (Go's unicode package), go-textseg v15.0.0. */\n", unicode.Version)
	table(&out, "nonprint_ranges", "not unicode.IsPrint: escaped as \\u or \\U", func(r rune) bool {
		return !unicode.IsPrint(r)
	})
	extend := func(r rune) bool { return clusters("a"+string(r)) == 1 }
	table(&out, "extend_ranges", "never start a cluster after a letter: Extend, SpacingMark, ZWJ", extend)
	table(&out, "prepend_ranges", "join the following letter into one cluster: Prepend", func(r rune) bool {
		return !extend(r) && clusters(string(r)+"a") == 1
	})

	if len(os.Args) < 2 {
		os.Stdout.Write(out.Bytes())
		return
	}
	path := os.Args[1]
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	begin := []byte("/* BEGIN GENERATED")
	end := []byte("/* END GENERATED")
	b := bytes.Index(src, begin)
	e := bytes.Index(src, end)
	if b < 0 || e < b {
		fmt.Fprintf(os.Stderr, "%s: no GENERATED markers\n", path)
		os.Exit(1)
	}
	b += bytes.IndexByte(src[b:], '\n') + 1
	res := append([]byte{}, src[:b]...)
	res = append(res, out.Bytes()...)
	res = append(res, src[e:]...)
	if err := os.WriteFile(path, res, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
