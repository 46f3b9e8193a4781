package forecast

import (
	"strings"
	"testing"
)

// TestTagWhereListBelongs: a tag where a list belongs (roadmap: !x 6)
// crashed go-yaml's decoder with a nil dereference (hostile-input review
// F0); it is an error naming the file, line, column and field, as is a
// tag on a mapping, which go-yaml refused naming no field.
func TestTagWhereListBelongs(t *testing.T) {
	const spec = `name: tags
base: baseline
periods: {count: 4, length: quarter}
day: {slices: 1, horizon: 1m}
variants:
  - {name: plain, procurement: {mode: rented}}
`
	tests := []struct{ name, add, want string }{
		{"roadmap", "roadmap: !x 6\n", `f.yaml:7:10: roadmap: want a list, got "6" tagged !x`},
		{"roadmap, no value", "roadmap: !!str\n", "f.yaml:7:10: roadmap: want a list, got null tagged !!str"},
		{"variants' roadmap", "", "f.yaml:6:57: variants[0].roadmap: want a list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := spec + tc.add
			if tc.add == "" {
				src = strings.Replace(spec, "rented}}", "rented}, roadmap: !!str 6}", 1)
			}
			_, err := Parse("f.yaml", []byte(src), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestStructuralMismatchNamesField: goccy's other form of a wrong type
// ("sequence was used where mapping is expected") gave a forecast file's
// line and column but not the field, which a scenario file names.
func TestStructuralMismatchNamesField(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"periods as a list", "name: x\nbase: baseline\nperiods: [1]\n", "f.yaml:3:10: periods: sequence was used where mapping is expected"},
		{"variants as a number", "name: x\nbase: baseline\nvariants: 5\n", "f.yaml:3:11: variants: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.src), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
