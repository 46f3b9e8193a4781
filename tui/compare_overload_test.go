package tui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestCompareMarksOverloaded: the compare screen asks aiecon compare's
// overload check (Options.RunsOverloaded, overloadedRuns in the binary) of
// the runs it loads, marks the runs it flags OVERLOADED beside their names
// and warns first, in compare's words with the screen's letters, that
// their cost per Mtok is no saving; it showed neither while aiecon compare
// printed both. Runs the check does not flag, or no check, are not marked.
func TestCompareMarksOverloaded(t *testing.T) {
	ids := []string{fixtureID(1), fixtureID(2)}
	for _, tt := range []struct {
		name string
		over map[string]bool // nil: no check
		want []string        // the runs' letters marked
	}{
		{"second flagged", map[string]bool{ids[1]: true}, []string{"B"}},
		{"none flagged", map[string]bool{}, nil},
		{"no check", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh := testShared()
			sh.conn = newConn(fixturePath, -1)
			defer sh.conn.close()
			var asked []string
			if tt.over != nil {
				sh.opts.RunsOverloaded = func(_ context.Context, _ *data.Store, runs []data.RunSummary) ([]bool, error) {
					out := make([]bool, len(runs))
					for i, r := range runs {
						asked, out[i] = append(asked, r.ID), tt.over[r.ID]
					}
					return out, nil
				}
			}
			s := newCompareScreen(sh, ids)
			s.resize(80, 24)
			msgs := msgsOf(s.load())
			if m := msgs[0].(compareLoadedMsg); m.err != nil {
				t.Fatal(m.err)
			}
			s.update(msgs[0])
			if tt.over != nil && !slices.Equal(asked, ids) {
				t.Errorf("the check was asked of %v, want %v", asked, ids)
			}
			v := ansi.Strip(s.view(80, 24))
			var marked []string
			for _, l := range strings.Split(v, "\n") {
				if strings.Contains(l, " OVERLOADED") && !strings.HasPrefix(l, "⚠") {
					marked = append(marked, strings.Fields(l)[0])
				}
			}
			if !slices.Equal(marked, tt.want) {
				t.Errorf("runs marked %v, want %v:\n%s", marked, tt.want, v)
			}
			flat := strings.Join(strings.Fields(v), " ")
			warned := strings.Contains(flat, "⚠ OVERLOADED: B's fleet fell behind its traffic")
			if warned != (len(tt.want) > 0) {
				t.Errorf("overload warning shown %v, want %v:\n%s", warned, len(tt.want) > 0, v)
			}
		})
	}
}
