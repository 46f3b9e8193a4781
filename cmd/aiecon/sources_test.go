package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"aiecon/hw"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated part of docs/hardware.md from the catalog")

// catalogMarker ends the hand-written part of docs/hardware.md; what follows
// it is `aiecon hw list --markdown`.
const catalogMarker = "`go test ./cmd/aiecon -run HardwareDoc -update` rewrites it). -->\n\n"

// TestHardwareDocIsCurrent keeps docs/hardware.md's catalog equal to the
// catalog runs use.
func TestHardwareDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "hardware.md")
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(page), catalogMarker)
	if !ok {
		t.Fatalf("%s lacks the line that starts its generated part: %q", path, catalogMarker)
	}
	code, md, errs := cli(t, filepath.Join(t.TempDir(), "none.duckdb"), "", "hw", "list", "--markdown")
	if code != 0 {
		t.Fatalf("hw list --markdown: exit %d: %s", code, errs)
	}
	want := head + catalogMarker + md
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(page) != want {
		t.Errorf("the catalog in %s differs from `aiecon hw list --markdown`: rewrite it with `go test ./cmd/aiecon -run HardwareDoc -update`", path)
	}
}

// privateSource matches what a reader cannot follow: the project's
// reference notes (hardware-facts.md, economics-facts.md, "facts §1a") and
// its issues ("issue 3 §1", "the issue text"). Public documents are cited
// instead: a vendor page, a repository at a commit and path, a paper. A
// public tracker's issue ("skypilot issue #4019") is a public document.
var privateSource = regexp.MustCompile(`(?i)hardware-facts|economics-facts|\.\./shared/reference|facts §|\bissue \d|issue text|aiecon issue`)

// sharedFolder is the private reference folder itself; the README may say
// that tests read trace data from ../shared/data, the pages and the catalog
// may not point a reader there.
var sharedFolder = regexp.MustCompile(`\.\./shared`)

// TestSourcesArePublic greps what aiecon presents as facts: every doc page,
// the README, the shipped examples, the hardware catalog's source files and
// what `hw show` prints for every chip and instance, and every command's
// help.
func TestSourcesArePublic(t *testing.T) {
	texts := map[string]string{}
	read := func(patterns ...string) {
		for _, p := range patterns {
			files, err := filepath.Glob(filepath.Join("..", "..", p))
			if err != nil || len(files) == 0 {
				t.Fatalf("no files match %s (%v)", p, err)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				texts[strings.TrimPrefix(f, "../../")] = string(b)
			}
		}
	}
	read("docs/*.md", "README.md", "examples/*/*", "hw/catalog*.go", "hw/fact.go", "hw/pricing.go", "model/econ/*.go")
	db := filepath.Join(t.TempDir(), "none.duckdb")
	for _, name := range append(hw.InstanceNames(), hw.ChipNames()...) {
		code, out, errs := cli(t, db, "", "hw", "show", name)
		if code != 0 {
			t.Fatalf("hw show %s: exit %d: %s", name, code, errs)
		}
		texts["aiecon hw show "+name] = out
	}
	for _, path := range commandPaths(newRootCmd(&env{})) {
		code, out, errs := cli(t, db, "", append(path, "--help")...)
		if code != 0 {
			t.Fatalf("%v --help: exit %d: %s", path, code, errs)
		}
		texts["aiecon "+strings.Join(path, " ")+" --help"] = out
	}
	js, err := json.Marshal([]any{hw.Chips(), hw.Instances(), hw.Sources(), hw.PricingTerms()})
	if err != nil {
		t.Fatal(err)
	}
	texts["the catalog as JSON"] = string(js)
	for where, text := range texts {
		if strings.HasSuffix(where, "_test.go") {
			continue // tests may read ../shared, and name it
		}
		for i, line := range strings.Split(text, "\n") {
			bad := privateSource.FindString(line)
			if bad == "" && where != "README.md" {
				bad = sharedFolder.FindString(line)
			}
			if bad != "" {
				t.Errorf("%s:%d cites %q, which a reader cannot follow; cite the public document instead: %s", where, i+1, bad, strings.TrimSpace(line))
			}
		}
	}
}

// commandPaths lists every command below root as its words ("hw show").
func commandPaths(root *cobra.Command) [][]string {
	var out [][]string
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		out = append(out, []string{c.Name()})
		for _, sub := range commandPaths(c) {
			out = append(out, append([]string{c.Name()}, sub...))
		}
	}
	return out
}

// The patterns must catch what the catalog used to cite and let public
// trackers' issues through, or the test above proves nothing.
func TestPrivateSourcePattern(t *testing.T) {
	for _, tc := range []struct {
		text string
		bad  bool
	}{
		{"NSDK trainium2.rst (facts §1a)", true},
		{"not given in hardware-facts.md", true},
		{"the aiecon issue text (issue 3 §1)", true},
		{"see economics-facts.md §1b", true},
		{"read ../shared/reference/serving-measurements", true},
		{"skypilot-org/skypilot issue #4019 (2024-09-28)", false},
		{"dstackai/dstack PR #4110", false},
		{"NSDK about-neuron/arch/neuron-hardware/trainium2.rst", false},
	} {
		if got := privateSource.MatchString(tc.text); got != tc.bad {
			t.Errorf("privateSource.MatchString(%q) = %v, want %v", tc.text, got, tc.bad)
		}
	}
}
