package layering

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// allowed lists, for each package of ours, the packages of ours it may import
// directly (non-test files). A package missing from the table is an error, so
// a new package has to take its place in the layering.
var allowed = map[string][]string{
	"aiecon/model":        {"aiecon/model/llm", "aiecon/model/econ", "aiecon/model/format"},
	"aiecon/model/llm":    {},
	"aiecon/model/econ":   {},
	"aiecon/model/stats":  {},
	"aiecon/model/format": {},
	"aiecon/model/kpi":    {"aiecon/model/format"},
	"aiecon/hw":           {"aiecon/model/llm", "aiecon/model/format"},
	"aiecon/kernels":      {"aiecon/hw", "aiecon/model/llm"},
	"aiecon/sim/engine":   {},
	"aiecon/sim":          {"aiecon/sim/engine", "aiecon/model", "aiecon/model/llm", "aiecon/model/econ", "aiecon/model/kpi", "aiecon/model/stats", "aiecon/hw"},
	// data reads the catalog (hw) and the KPI names (model/kpi) to date and
	// group the prices compared runs paid; both sit below sim, so no cycle.
	"aiecon/data":               {"aiecon/sim", "aiecon/model", "aiecon/model/format", "aiecon/hw", "aiecon/model/kpi"},
	"aiecon/runner":             {"aiecon/model", "aiecon/model/llm", "aiecon/model/stats", "aiecon/model/format", "aiecon/sim", "aiecon/hw", "aiecon/data"},
	"aiecon/chart":              {"aiecon/data", "aiecon/sim", "aiecon/model", "aiecon/model/kpi", "aiecon/model/format"},
	"aiecon/study":              {"aiecon/model", "aiecon/model/stats", "aiecon/sim", "aiecon/hw", "aiecon/data", "aiecon/runner", "aiecon/model/llm", "aiecon/model/econ", "aiecon/model/kpi", "aiecon/model/format"},
	"aiecon/study/forecast":     {"aiecon/study", "aiecon/model", "aiecon/model/econ", "aiecon/model/kpi", "aiecon/model/stats", "aiecon/model/format", "aiecon/sim", "aiecon/hw", "aiecon/data", "aiecon/runner"},
	"aiecon/study/caveat":       {"aiecon/study", "aiecon/study/forecast", "aiecon/model", "aiecon/model/kpi", "aiecon/model/format", "aiecon/sim", "aiecon/runner"},
	"aiecon/study/optimize":     {"aiecon/study", "aiecon/model", "aiecon/hw", "aiecon/data", "aiecon/runner", "aiecon/model/llm", "aiecon/model/kpi", "aiecon/model/format"},
	"aiecon/tui":                {"aiecon/data", "aiecon/sim", "aiecon/model", "aiecon/hw", "aiecon/runner", "aiecon/chart", "aiecon/study", "aiecon/study/forecast", "aiecon/study/caveat", "aiecon/model/llm", "aiecon/model/econ", "aiecon/model/kpi", "aiecon/model/format"},
	"aiecon/internal/layering":  {},
	"aiecon/internal/golden":    {},
	"aiecon/internal/fielddiff": {},
	"aiecon/internal/docrefs":   {},
	"aiecon/cmd/aiecon":         {"*"},
}

// thirdParty lists, for each package of ours, the third-party modules
// (import path prefixes, matched whole elements at a time) it may import
// directly (non-test files): the database driver is data's alone, the
// terminal UI libraries are the dashboard's and the CLI's, the plotting
// library is chart's. So sim or model importing DuckDB or Bubble Tea fails
// here as importing aiecon/data or aiecon/tui would. A package missing from
// the table is an error, as above; an import path whose first element has
// no dot is the standard library's and always allowed.
var thirdParty = map[string][]string{
	"aiecon/model":        {yaml, levenshtein},
	"aiecon/model/llm":    {},
	"aiecon/model/econ":   {},
	"aiecon/model/stats":  {},
	"aiecon/model/format": {},
	"aiecon/model/kpi":    {},
	"aiecon/hw":           {levenshtein, gonum},
	"aiecon/kernels":      {gonum},
	"aiecon/sim/engine":   {},
	"aiecon/sim":          {"github.com/DataDog/sketches-go", gonum},
	"aiecon/data":         {"github.com/duckdb/duckdb-go"},
	"aiecon/runner":       {yaml, gonum},
	"aiecon/chart":        {"gonum.org/v1/plot"},
	"aiecon/study":        {yaml, gonum},
	// forecast draws from gonum's distributions for its Monte Carlo.
	"aiecon/study/forecast": {yaml, gonum},
	"aiecon/study/caveat":   {},
	"aiecon/study/optimize": {yaml},
	"aiecon/tui": {"charm.land/bubbles", "charm.land/bubbletea", "charm.land/lipgloss",
		"github.com/charmbracelet/x/ansi", "github.com/NimbleMarkets/ntcharts"},
	"aiecon/internal/layering":  {},
	"aiecon/internal/golden":    {},
	"aiecon/internal/fielddiff": {},
	"aiecon/internal/docrefs":   {},
	// The CLI starts the dashboard's program and sizes the terminal itself,
	// and prints YAML; it opens no database but through data.
	"aiecon/cmd/aiecon": {"charm.land/bubbletea", "github.com/charmbracelet/x/term", "golang.org/x/term",
		yaml, "github.com/schollz/progressbar", "github.com/spf13/cobra", "github.com/spf13/pflag"},
}

// noStdlib lists, for a package of ours, standard-library packages it must
// not import (non-test files). format turns values into text for every
// package, so it touches no file: a check of the filesystem there (an
// output path under a file) ran from a package every layer imports, where
// a reader looks for none; it lives in data, which reads and writes files.
var noStdlib = map[string][]string{
	"aiecon/model/format": {"os"},
}

// Modules more than one package may import.
const (
	yaml        = "github.com/goccy/go-yaml"
	levenshtein = "github.com/agnivade/levenshtein"
	gonum       = "gonum.org/v1/gonum" // numerics; not gonum.org/v1/plot
)

func TestLayering(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "scripts" || name == "docs") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(root, path)
		importPath := "aiecon"
		if rel != "." {
			importPath += "/" + filepath.ToSlash(rel)
		}
		seen++
		checkImports(t, importPath, pkg.Imports)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 8 {
		t.Fatalf("checked only %d packages; is the walk rooted at the module?", seen)
	}
}

// checkImports reports the imports of package importPath that its rows
// in allowed (ours) and thirdParty (other modules') do not list.
func checkImports(t *testing.T, importPath string, imports []string) {
	t.Helper()
	rules, ok := allowed[importPath]
	if !ok {
		t.Errorf("package %s is not in the layering table: add it with the packages it may import", importPath)
	}
	modules, okThird := thirdParty[importPath]
	if !okThird {
		t.Errorf("package %s is not in the third-party table: add it with the modules it may import", importPath)
	}
	var bad, badThird []string
	for _, imp := range imports {
		switch {
		case imp == "aiecon" || strings.HasPrefix(imp, "aiecon/"):
			if ok && !slices.Contains(rules, "*") && !slices.Contains(rules, imp) {
				bad = append(bad, imp)
			}
		case !strings.Contains(strings.SplitN(imp, "/", 2)[0], "."):
			// the standard library, all of it but what noStdlib denies
			if slices.Contains(noStdlib[importPath], imp) {
				bad = append(bad, imp)
			}
		case okThird && !slices.ContainsFunc(modules, func(m string) bool { return underPrefix(imp, m) }):
			badThird = append(badThird, imp)
		}
	}
	sort.Strings(bad)
	sort.Strings(badThird)
	if len(bad) > 0 {
		t.Errorf("%s imports %s, which the layering forbids (allowed: %v; of the standard library, not %v)", importPath, strings.Join(bad, ", "), rules, noStdlib[importPath])
	}
	if len(badThird) > 0 {
		t.Errorf("%s imports %s, which the layering forbids (third-party modules allowed: %v)", importPath, strings.Join(badThird, ", "), modules)
	}
}

// underPrefix reports whether import path imp is prefix or below it, whole
// path elements at a time (gonum.org/v1/gonum does not take in
// gonum.org/v1/gonumplot).
func underPrefix(imp, prefix string) bool {
	return imp == prefix || strings.HasPrefix(imp, prefix+"/")
}
