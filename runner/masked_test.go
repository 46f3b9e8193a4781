package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestMaskedByOverrides: a file's invalid value that --set replaces still
// gets a note naming the file, line and field; a valid file, and a value
// the file does not give, get none.
func TestMaskedByOverrides(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "\nhorizon: 1h\n") {
		t.Fatal("inferentia-small no longer sets horizon: 1h")
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.yaml", strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1))
	good := write("good.yaml", string(src))
	tests := []struct {
		file string
		sets []string
		want string // "" = no note
	}{
		{bad, []string{"horizon=10s"}, "bad.yaml:"},
		{bad, []string{"horizon=10s\t"}, "bad.yaml:"}, // shown as read, not with the raw tab typed
		{good, []string{"horizon=10s"}, ""},
		{good, []string{"seed=3"}, ""},
	}
	for _, tt := range tests {
		l, err := Load(tt.file, tt.sets)
		if err != nil {
			t.Fatalf("%s %v: %v", tt.file, tt.sets, err)
		}
		notes := MaskedByOverrides(l)
		if tt.want == "" {
			if len(notes) != 0 {
				t.Errorf("%s %v: notes %q, want none", tt.file, tt.sets, notes)
			}
			continue
		}
		if len(notes) != 1 || !strings.Contains(notes[0], tt.want) || !strings.Contains(notes[0], "horizon: ") ||
			!strings.Contains(notes[0], "replaced in this run by horizon=10s;") {
			t.Errorf("%s %v: notes %q, want one on the file's horizon", tt.file, tt.sets, notes)
		}
	}
}

// TestMaskedByOverridesPastTheFirst: the decoder stops at a file's first
// wrong type, so a second broken field that --set also replaced got no note
// and surfaced only when the file was run without the flags.
func TestMaskedByOverridesPastTheFirst(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1)
	text = strings.Replace(text, "  count: 2\n", "  count: abc\n", 1)
	if !strings.Contains(text, "horizon: banana") || !strings.Contains(text, "count: abc") {
		t.Fatal("inferentia-small no longer sets horizon: 1h and fleet count: 2")
	}
	p := filepath.Join(t.TempDir(), "two.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(p, []string{"horizon=10s", "fleet.count=2"})
	if err != nil {
		t.Fatal(err)
	}
	notes := MaskedByOverrides(l)
	countLine := 1 + strings.Count(text[:strings.Index(text, "count: abc")], "\n")
	if len(notes) != 2 || !strings.Contains(notes[0], "horizon: ") ||
		!strings.Contains(notes[1], fmt.Sprintf("two.yaml:%d:", countLine)) || !strings.Contains(notes[1], "replaced in this run by fleet.count=2") {
		t.Errorf("notes %q, want one on horizon and one on fleet.count at line %d", notes, countLine)
	}
}

// TestMaskedByOverridesFileWithoutSuffix: a file read by a bare name with
// no .yaml suffix is a file too, and gets its note; it got none, taken for
// a built-in scenario.
func TestMaskedByOverridesFileWithoutSuffix(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("myscen", []byte(strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load("myscen", []string{"horizon=10s"})
	if err != nil {
		t.Fatal(err)
	}
	if notes := MaskedByOverrides(l); len(notes) != 1 || !strings.Contains(notes[0], "myscen:") {
		t.Errorf("notes %q, want one naming myscen", notes)
	}
}

// TestSetShown: an override as show's "with ..." line prints it. An
// optimize run's stored fleet.replica.scheduler is the empty string, which
// printed as "fleet.replica.scheduler=," as if a value were missing.
func TestSetShown(t *testing.T) {
	for _, tt := range []struct{ value, want string }{
		{"4", "p=4"},
		{"4\t", "p=4"},
		{"", `p=""`},
		{" ", `p=""`},
		{"null", "p=null"},
		{"a\tb", `p=a\x09b`},
	} {
		if got := SetShown(model.Override{Path: "p", Value: tt.value}); got != tt.want {
			t.Errorf("SetShown(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}
