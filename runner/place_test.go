package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestUnknownFieldKeepsItsKeyUnderOverrides: an unknown key is reported at
// the key, as the file alone reports it (docs/scenarios.md's my.yaml:5:3),
// whatever --set, --horizon or --seed the run adds. Under overrides the
// error, found in the merged text, was placed again in the file at the
// field's value (5:8), and a key with a dot in its name (a mapping kept
// for an anchor), which a dotted path cannot name, lost its line.
func TestUnknownFieldKeepsItsKeyUnderOverrides(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	misspelt := write("my.yaml", "name: m\nfleet:\n  instance: trn2.48xlarge\n  count: 1\n  cnt: 4\n")
	dotted := write("k2.yaml", "name: m\n.base: &f {instance: p5.48xlarge}\n")
	nested := write("n.yaml", "name: m\nfleet:\n  instance: trn2.48xlarge\n  replica: {tp: 8, t.p: 4}\n")
	for _, tt := range []struct {
		file, want string
	}{
		{misspelt, "my.yaml:5:3: fleet.cnt: unknown field"},
		{dotted, `k2.yaml:2:1: .base: unknown field ".base"`},
		{nested, `n.yaml:4:20: fleet.replica.t.p: unknown field "t.p"`},
	} {
		for _, sets := range [][]string{nil, {"horizon=1m"}, {"seed=3"}, {"seed=2", "horizon=1m"}} {
			_, err := Load(tt.file, sets)
			var errs model.Errors
			if !errors.As(err, &errs) || len(errs) == 0 || !strings.Contains(errs[0].Error(), "/"+tt.want) {
				t.Errorf("%s with %v: %v; want %q", filepath.Base(tt.file), sets, err, tt.want)
			}
		}
	}
}

// TestMaskedUnknownFieldAtItsKey: the note on a file's unknown key that an
// override removes (ads=null) names the key's column, as the file alone
// does, not its value's.
func TestMaskedUnknownFieldAtItsKey(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	text, n := strings.Replace(string(src), "\nads:\n", "\nads:\n  bogus: 1\n", 1), strings.Count(string(src[:strings.Index(string(src), "\nads:\n")]), "\n")
	p := filepath.Join(t.TempDir(), "ads.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(p, []string{"ads=null"})
	if err != nil {
		t.Fatal(err)
	}
	notes := MaskedByOverrides(l)
	want := fmt.Sprintf("ads.yaml:%d:3: ads.bogus: unknown field", n+3)
	if len(notes) != 1 || !strings.Contains(notes[0], want) {
		t.Errorf("notes %q; want one at %q", notes, want)
	}
}
