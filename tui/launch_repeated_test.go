package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestLaunchWarnsOfRepeatedSets: a path More --set gives twice is said
// under the form in `aiecon run`'s words (cmd/aiecon's
// TestRepeatedSetWarns), and ctrl+r still launches with the last value, as
// the command line does. The form said nothing, and ran the value the
// user may not have meant.
func TestLaunchWarnsOfRepeatedSets(t *testing.T) {
	const router = "router is set 2 times (--set router=round-robin, --set router=least-outstanding); the last, --set router=least-outstanding, wins"
	tests := []struct {
		name, more string
		want       []string // the warnings, in order; none for none
		router     string   // what the launch runs
		seqs       int      // max_num_seqs: the baseline's 16 where not set
	}{
		{"twice", "router=round-robin router=least-outstanding", []string{router}, "least-outstanding", 16},
		{"twice, spaced, among others", "router=round-robin fleet.replica.max_num_seqs=20 'router =least-outstanding'",
			[]string{"router is set 2 times (--set router=round-robin, --set router =least-outstanding); the last, --set router =least-outstanding, wins"}, "least-outstanding", 20},
		{"two paths, three times", "fleet.replica.max_num_seqs=8 router=round-robin fleet.replica.max_num_seqs=12 router=least-outstanding fleet.replica.max_num_seqs=24",
			[]string{"fleet.replica.max_num_seqs is set 3 times (--set fleet.replica.max_num_seqs=8, --set fleet.replica.max_num_seqs=12, --set fleet.replica.max_num_seqs=24); the last, --set fleet.replica.max_num_seqs=24, wins", router}, "least-outstanding", 24},
		{"once each", "router=round-robin fleet.replica.max_num_seqs=40", nil, "round-robin", 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := loadedLaunch(t, 200, 40)
			setLine(&s.fields[fSets].ed, tt.more)
			view := strings.Join(strings.Fields(ansi.Strip(s.view(200, 40))), " ")
			if n := strings.Count(view, "warning: "); n != len(tt.want) {
				t.Errorf("the form shows %d warnings, want %d:\n%s", n, len(tt.want), view)
			}
			at := 0
			for _, w := range tt.want {
				i := strings.Index(view[at:], "warning: "+w)
				if i < 0 {
					t.Fatalf("the form does not say, after what it said before, %q:\n%s", w, view)
				}
				at += i + len(w)
			}
			prepared := settle(s, s.update(keyMsg("ctrl+r")))
			if prepared == nil || prepared.err != nil {
				t.Fatalf("a repeated --set blocked the launch: %+v (%v)", prepared, s.prepErr)
			}
			if sc := prepared.l.Scenario; sc.Router != tt.router || sc.Fleet.Replica.MaxNumSeqs != tt.seqs {
				t.Errorf("launches with router %s and max_num_seqs %d, want the last given, %s and %d", sc.Router, sc.Fleet.Replica.MaxNumSeqs, tt.router, tt.seqs)
			}
		})
	}
}
