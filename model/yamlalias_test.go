package model

import (
	"strings"
	"testing"
)

// TestAliasesReadAsTheDecoderReads: an alias stands for the anchor of its
// name before it, and for nothing inside that anchor's own value, for
// every reader in model alike and as the decoder reads it. The key check
// judged an alias by an anchor after it (refusing `*k : 1` as an integer
// key where the decoder finds no alias k), and given() and positions saw a
// field through an alias the decoder reads as null.
func TestAliasesReadAsTheDecoderReads(t *testing.T) {
	src := "a: *x\n" + // before its anchor: the decoder finds no alias x
		"b: &x {c: 1, d: *x}\n" + // inside its anchor: null to the decoder
		"e: *x\n" // after it: the anchor's value
	s := Locate("t.yaml", []byte(src))
	for field, want := range map[string]bool{"a.c": false, "b.c": true, "b.d.c": false, "e.c": true, "e.d": true, "e.d.c": false} {
		if got := s.given(field); got != want {
			t.Errorf("given(%s) = %v, want %v", field, got, want)
		}
	}
	var got map[string]any
	tree, _, err := ParseYAML("t.yaml", []byte(strings.Replace(src, "a: *x\n", "", 1)))
	if err == nil {
		err = decodeTree(tree, &got)
	}
	if err != nil || got["b"].(map[string]any)["d"] != nil {
		t.Errorf("the decoder reads %v (%v), want b.d null", got, err)
	}
	tree, _, err = ParseYAML("t.yaml", []byte("m: {*k : 1}\nb: &k 2\n"))
	if err == nil {
		err = decodeTree(tree, &got)
	}
	if err == nil || !strings.Contains(err.Error(), `could not find alias "k"`) {
		t.Errorf("an alias key before its anchor: %v, want no alias k", err)
	}
	_, _, err = ParseYAML("t.yaml", []byte("b: &k 2\nm: {*k : 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "*k: a key must be a field name (text), not an integer") {
		t.Errorf("an alias key after its anchor: %v, want refused as an integer", err)
	}
}
