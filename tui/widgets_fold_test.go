package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCardSplitsAddUpWhenCut: a card too short for its split folds the
// smallest parts into "other", so that what shows adds up to the title: at
// 80x24 the Revenue card cut its ads line and the cost card its licensing,
// and $5.03 + $0 read under a title of $5.20.
func TestCardSplitsAddUpWhenCut(t *testing.T) {
	part := func(label string, v float64) cardLine {
		return cardLine{label: label, value: fmtUSD(v), part: true, amount: v}
	}
	revenue := []cardLine{part("tokens", 9.43), part("fees", 1.90), part("commerce", 641.12), part("ads", 2.20)}
	cost := []cardLine{{label: "split per Mtok"}, part("fleet", 5.03), part("training", 0), part("licensing", 0.17)}
	unit := append([]cardLine{{label: "per request", value: "$0.0114", lead: true}, {label: "per session", value: "$0.24", lead: true}}, cost...)
	for _, tt := range []struct {
		name  string
		lines []cardLine
		n     int
		want  []string // label=value
	}{
		{"all fit", revenue, 4, []string{"tokens=$9.43", "fees=$1.90", "commerce=$641.12", "ads=$2.20"}},
		{"revenue in three", revenue, 3, []string{"tokens=$9.43", "commerce=$641.12", "other=$4.10"}},
		{"cost in three", cost, 3, []string{"split per Mtok=", "fleet=$5.03", "other=$0.17"}},
		// Two lines: the heading gives way, or the split named no part
		// ("split per Mtok / other $2.55", all of it the fleet).
		{"cost in two", cost, 2, []string{"fleet=$5.03", "other=$0.17"}},
		{"cost in two, all fleet", []cardLine{{label: "split per Mtok"}, part("fleet", 2.55), part("training", 0), part("licensing", 0)}, 2,
			[]string{"fleet=$2.55", "other=$0"}},
		{"two parts in two", []cardLine{{label: "split per Mtok"}, part("fleet", 2.55), part("licensing", 0.1)}, 2,
			[]string{"fleet=$2.55", "licensing=$0.10"}},
		// One line: the largest part, where "other $11.32" named no line
		// (all of it tokens) and the cost card showed its heading alone.
		{"revenue in one", revenue, 1, []string{"commerce=$641.12"}},
		{"revenue in one, all tokens", []cardLine{part("tokens", 11.32), part("fees", 0), part("commerce", 0), part("ads", 0)}, 1,
			[]string{"tokens=$11.32"}},
		{"cost in one", cost, 1, []string{"fleet=$5.03"}},
		{"unknown parts", []cardLine{part("a", 1), part("b", math.NaN()), part("c", math.NaN())}, 2, []string{"a=$1.00", "other=" + fmtUSD(math.NaN())}},
		{"no parts: cut", []cardLine{{label: "x", value: "1"}, {label: "y", value: "2"}}, 1, []string{"x=1"}},
		// Lead lines (the cost card's cost per request and per session)
		// show first; the split folds in what they leave, with its heading
		// and two lines or not at all, where "fleet $5.03" under them read
		// as a cost per request.
		{"unit costs, all fit", unit, 6, []string{"per request=$0.0114", "per session=$0.24", "split per Mtok=", "fleet=$5.03", "training=$0", "licensing=$0.17"}},
		{"unit costs in five", unit, 5, []string{"per request=$0.0114", "per session=$0.24", "split per Mtok=", "fleet=$5.03", "other=$0.17"}},
		{"unit costs in four", unit, 4, []string{"per request=$0.0114", "per session=$0.24"}},
		{"unit costs in two", unit, 2, []string{"per request=$0.0114", "per session=$0.24"}},
		{"unit costs in one", unit, 1, []string{"per request=$0.0114"}},
		{"one unit cost in four", unit[1:], 4, []string{"per session=$0.24", "split per Mtok=", "fleet=$5.03", "other=$0.17"}},
	} {
		var got []string
		for _, l := range foldParts(tt.lines, tt.n) {
			got = append(got, l.label+"="+l.value)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	out, _ := renderCards(newStyles(), []card{{title: "Revenue", value: "$654.65", lines: revenue}}, 20, 3)
	if v := ansi.Strip(out); !strings.Contains(v, "other") || !strings.Contains(v, "$4.10") {
		t.Errorf("renderCards with 3 lines:\n%s", v)
	}
}
