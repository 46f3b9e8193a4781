package model

import (
	"reflect"
	"strings"
	"testing"
)

// TestSetCopiesWhatAnAliasShares: a --set changes the one place its path
// names. Decoded, an alias and a merge share their anchor's mapping, so
// --set workloads[chat].arrivals.rate=1/s also slowed chat3, whose
// arrivals: *arr aliases chat's, while the same change as a variant's set
// (which works on a copy) did not.
func TestSetCopiesWhatAnAliasShares(t *testing.T) {
	src := []byte(`name: t
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, count: 2, replica: {tp: 32}}
workloads:
  - &w
    name: chat
    class: api
    arrivals: &arr {rate: 6/s}
    prompt_tokens: 800
    output_tokens: 250
  - <<: *w
    name: chat2
  - name: chat3
    class: api
    arrivals: *arr
    prompt_tokens: 800
    output_tokens: 250
`)
	for set, want := range map[string]map[string]string{
		"workloads[chat].arrivals.rate":  {"chat": "1/s", "chat2": "6/s", "chat3": "6/s"},
		"workloads[chat2].arrivals.rate": {"chat": "6/s", "chat2": "1/s", "chat3": "6/s"},
		"workloads[chat3].arrivals.rate": {"chat": "6/s", "chat2": "6/s", "chat3": "1/s"},
	} {
		sets := []Override{{Path: set, Value: "1/s"}}
		out, err := ApplyOverrides(src, sets)
		if err != nil {
			t.Fatalf("--set %s=1/s: %v", set, err)
		}
		tree := DecodeTree(out)
		for name, rate := range want {
			if got, _ := LookupPath(tree, "workloads["+name+"].arrivals.rate"); got != rate {
				t.Errorf("--set %s=1/s: %s runs at %v, want %s:\n%s", set, name, got, rate, out)
			}
		}
		base, err := DecodeForOverrides("t.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		if variant, err := base.Apply(sets); err != nil || string(variant) != string(out) {
			t.Errorf("--set %s=1/s differs from the variant's set (%v):\n%s\nvariant:\n%s", set, err, out, variant)
		}
	}
}

// TestSetValueWithTabsAround: a tab around a --set's value (pasted from a
// TSV, or a shell variable) is white space YAML drops, not text to keep:
// fleet.count=$'4\t' was refused, and the quoting it advised was then
// refused as no integer. A value with no text has no tab to lose either;
// a tab inside text is still refused.
func TestSetValueWithTabsAround(t *testing.T) {
	for _, tt := range []struct {
		path, value string
		want        any
	}{
		{"fleet.count", "4\t", uint64(4)},
		{"fleet.count", "\t4", uint64(4)},
		{"fleet.count", " \t4\t \r\n", uint64(4)},
		{"description", "x\t", "x"},
		{"fleet.replica.context_buckets", "[1024,\t2048]", []any{uint64(1024), uint64(2048)}},
	} {
		out, err := ApplyOverrides([]byte(validScenario), []Override{{Path: tt.path, Value: tt.value}})
		if err != nil {
			t.Errorf("--set %s=%q: %v", tt.path, tt.value, err)
			continue
		}
		if got, _ := LookupPath(DecodeTree(out), tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("--set %s=%q: %#v, want %#v", tt.path, tt.value, got, tt.want)
		}
	}
	for _, v := range []string{"x\t# note", "[x\t, y]", "\tx\t,"} {
		_, err := ApplyOverrides([]byte(validScenario), []Override{{Path: "description", Value: v}})
		if err == nil || !strings.Contains(err.Error(), "quote the value") {
			t.Errorf("--set description=%q: %v, want the tab refused", v, err)
		}
	}
}

// TestTypedSet: a --set is named as typed, quoted with escapes only where
// a character in it would not show as written.
func TestTypedSet(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"fleet.count=8", "--set fleet.count=8"},
		{"name=a b", "--set name=a b"},
		{"name=\"a\tb\"", `--set "name=\"a\tb\""`},
		{"description=a\nb", `--set "description=a\nb"`},
		{"fleet.\x1b[2Jcount=1", `--set "fleet.\x1b[2Jcount=1"`},
		{"name=\u200bx", `--set "name=\u200bx"`},
	} {
		if got := TypedSet(c.in); got != c.want {
			t.Errorf("TypedSet(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestSetCommentIsText: a '#' that YAML would read as a comment's start is
// text where the field is text, so the value is set as typed, not cut at
// the '#' (description='a #b' set "a"; name='#1' reset the name); other
// fields, and values that hold no comment, read as YAML as before.
func TestSetCommentIsText(t *testing.T) {
	for _, tt := range []struct {
		path, value string
		want        any
	}{
		{"description", "a #b", "a #b"},
		{"description", "#b", "#b"},
		{"description", "  a  #b  ", "a  #b"},
		{"description", "a # b\t", "a # b"},
		{"description", `"a" #b`, `"a" #b`},
		{"description", "a#b", "a#b"},     // no comment: a '#' inside a word
		{"description", `"a #b"`, "a #b"}, // quoted: no comment either
		{"description", "null", nil},      // still YAML: resets the field
		{"name", "run #2", "run #2"},
		{"workloads[0].name", "chat #2", "chat #2"},
		{"fleet.count", "4 # four", uint64(4)}, // not text: the comment is dropped
	} {
		out, err := ApplyOverrides([]byte(validScenario), []Override{{Path: tt.path, Value: tt.value}})
		if err != nil {
			t.Errorf("--set %s=%q: %v", tt.path, tt.value, err)
			continue
		}
		if got, _ := LookupPath(DecodeTree(out), tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("--set %s=%q: %#v, want %#v", tt.path, tt.value, got, tt.want)
		}
	}
}
