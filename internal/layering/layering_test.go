package layering

import (
	"go/build"
	"os"
	"path/filepath"
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
	"aiecon/study/optimize":     {"aiecon/study", "aiecon/model", "aiecon/hw", "aiecon/data", "aiecon/runner", "aiecon/model/llm", "aiecon/model/kpi"},
	"aiecon/tui":                {"aiecon/data", "aiecon/sim", "aiecon/model", "aiecon/hw", "aiecon/runner", "aiecon/chart", "aiecon/study", "aiecon/study/forecast", "aiecon/study/caveat", "aiecon/model/llm", "aiecon/model/econ", "aiecon/model/kpi", "aiecon/model/format"},
	"aiecon/internal/layering":  {},
	"aiecon/internal/golden":    {},
	"aiecon/internal/fielddiff": {},
	"aiecon/cmd/aiecon":         {"*"},
}

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
		rules, ok := allowed[importPath]
		if !ok {
			t.Errorf("package %s is not in the layering table: add it with the packages it may import", importPath)
			return nil
		}
		seen++
		var bad []string
		for _, imp := range pkg.Imports {
			if imp != "aiecon" && !strings.HasPrefix(imp, "aiecon/") {
				continue
			}
			if len(rules) == 1 && rules[0] == "*" {
				continue
			}
			ok := false
			for _, a := range rules {
				ok = ok || a == imp
			}
			if !ok {
				bad = append(bad, imp)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s imports %s, which the layering forbids (allowed: %v)", importPath, strings.Join(bad, ", "), rules)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 8 {
		t.Fatalf("checked only %d packages; is the walk rooted at the module?", seen)
	}
}
