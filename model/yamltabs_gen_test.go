package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestTabInDoubleQuotesGenerated: documents of double-quoted strings with
// tabs (after escapes, around line breaks, several to a line), among
// comments, single-quoted strings, plain text and block scalars holding
// quotes and tabs, tags, anchors and flow collections, with LF or CRLF line
// ends, decode as the same documents with each of those tabs written \t.
func TestTabInDoubleQuotesGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 106))
	for i := range 400 {
		raw, escaped := generatedDoc(r)
		if r.IntN(3) == 0 {
			raw, escaped = strings.ReplaceAll(raw, "\n", "\r\n"), strings.ReplaceAll(escaped, "\n", "\r\n")
		}
		want, got := decodedText(escaped), decodedText(raw)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("document %d:\n%s\ndecodes to %#v\nwant (tabs written \\t) %#v", i, raw, got, want)
		}
	}
}

// decodedText is what ParseYAML and decodeTree make of text, or the error.
func decodedText(text string) any {
	tree, _, err := ParseYAML("t.yaml", []byte(text))
	var v any
	if err == nil {
		err = decodeTree(tree, &v)
	}
	if err != nil {
		return err.Error()
	}
	return v
}

// generatedDoc is a random document as written, and with the tabs of its
// double-quoted strings written \t.
func generatedDoc(r *rand.Rand) (raw, escaped string) {
	var a, b strings.Builder
	both := func(s string) { a.WriteString(s); b.WriteString(s) }
	quoted := func() {
		both(`"`)
		for range r.IntN(6) + 1 {
			switch r.IntN(7) {
			case 0:
				a.WriteString("\t")
				b.WriteString(`\t`)
			case 1:
				both(`\u00e9`)
			case 2:
				both(`\x41`)
			case 3:
				both(`\\`)
			case 4:
				both(` `)
			case 5:
				both(`\"`)
			default:
				both("w")
			}
		}
		both(`"`)
	}
	for k := range r.IntN(8) + 1 {
		switch r.IntN(9) {
		case 0:
			both("# a \"note\"\twith 'quotes'\n")
		case 1:
			both(fmt.Sprintf("s%d: 'it''s\t\"x\"'\n", k))
		case 2:
			both(fmt.Sprintf("p%d: a \"b c\n", k))
		case 3:
			both(fmt.Sprintf("l%d: |\n  \"lit\teral\n  x\"\n", k))
		case 4:
			both(fmt.Sprintf("t%d: !!str ", k))
			quoted()
			both("\n")
		case 5:
			both(fmt.Sprintf("f%d: [", k))
			quoted()
			both(", ")
			quoted()
			both("]  # c \"\t\"\n")
		case 6:
			both(fmt.Sprintf("a%d: &a%d ", k, k))
			quoted()
			both(fmt.Sprintf("\nr%d: *a%d\n", k, k))
		default:
			both(fmt.Sprintf("q%d: ", k))
			quoted()
			both("\n")
		}
	}
	return a.String(), b.String()
}
