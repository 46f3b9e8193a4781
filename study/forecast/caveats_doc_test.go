package forecast

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// caveatLabels are the labels of the notes Caveats repeats (Report.notes,
// less the training note, and the step-time warnings): one added there is
// added here, and docs/forecast.md must name it.
var caveatLabels = []string{"SLO AT RISK", "BURST PAID, NEVER UP", "BURST UP LATE", "CAPITAL", "CAPACITY BLOCKS SIZED BY SLICE",
	"RESERVED FLEET SIZED BY SLICE", "RESERVED INSTANCES IDLE", "RESERVED INSTANCES RUN ON DEMAND", "RENTED FLEET SCALED FROM AN IDLE BASE", "WHOLE INSTANCES", "SAMPLING", "UNFINISHED SESSIONS",
	"IDLE-CAPACITY TRAINING", "STEP TIMES"}

// TestForecastDocNamesTheRepeatedNotes: docs/forecast.md's list of the
// notes compare --forecast repeats names every note Caveats gives. It
// lacked BURST PAID, NEVER UP and WHOLE INSTANCES after both were added
// to Caveats (review102 B2).
func TestForecastDocNamesTheRepeatedNotes(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	at := strings.Index(text, "Under the table it repeats the notes")
	if at < 0 {
		t.Fatal("docs/forecast.md no longer says which notes compare --forecast repeats (\"Under the table it repeats the notes\"): update the test")
	}
	list := text[at:]
	list = list[:strings.Index(list, "warnings)")]
	list = regexp.MustCompile(`\s+`).ReplaceAllString(list, " ")
	for _, l := range caveatLabels {
		if !strings.Contains(list, l) {
			t.Errorf("docs/forecast.md's list of the notes compare --forecast repeats lacks %s:\n%s", l, list)
		}
	}
}
