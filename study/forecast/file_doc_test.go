package forecast

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestForecastDocTabulatesTheKeys: docs/forecast.md's "The file" tabulates
// every key of a forecast file's top level, periods, day, a workload's
// plan and a variant's procurement, each in a row of its own table, and
// gives the rented bounds' defaults. A newcomer sent there by forecast
// --help found an example and prose, day.slices and procurement.min never
// tabulated and no default stated for the bounds.
func TestForecastDocTabulatesTheKeys(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, file, ok := strings.Cut(string(doc), "\n## The file\n")
	if !ok {
		t.Fatal(`docs/forecast.md has no "## The file" section`)
	}
	file, _, _ = strings.Cut(file, "\n## ")
	var rows []string
	for _, l := range strings.Split(file, "\n") {
		if strings.HasPrefix(l, "| `") {
			key, _, _ := strings.Cut(l[2:], " |")
			rows = append(rows, key)
		}
	}
	// A key is tabulated as itself (`day.slices`), the head of a path
	// (`roadmap[]`, `workloads.NAME.growth`), or, after a key of its
	// block, as .name (`variants[].procurement.min`, `.max`).
	tabulated := func(key, name string) bool {
		for _, r := range rows {
			for _, head := range []string{"`" + key + "`", "`" + key + "[", "`" + key + ".", "`." + name + "`"} {
				if strings.Contains(r, head) {
					return true
				}
			}
		}
		return false
	}
	for _, tt := range []struct {
		prefix string
		v      any
	}{{"", Spec{}}, {"periods.", Periods{}}, {"day.", Day{}}, {"workloads.NAME.", WorkloadPlan{}}, {"variants[].procurement.", Procurement{}}} {
		typ := reflect.TypeOf(tt.v)
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
			key := tt.prefix + name
			if tt.prefix == "" && (name == "periods" || name == "day") {
				continue // tabulated by their fields
			}
			if !tabulated(key, name) {
				t.Errorf("docs/forecast.md, The file, tabulates no %s", key)
			}
		}
	}
	if !strings.Contains(file, "| `variants[].procurement.min`, `.max` | 1 and 4 x the base scenario's `fleet.count` |") {
		t.Error("docs/forecast.md, The file, does not give procurement.min's and max's defaults")
	}
}
