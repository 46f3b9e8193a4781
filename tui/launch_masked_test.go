package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/model"
)

// TestLaunchKnobReplacesBadFileValue: a file whose horizon is bad does not
// load, but a Horizon knob replaces that value, so ctrl+r runs with it and
// notes the file's error, as `aiecon run FILE --set horizon=10s` does. The
// form used to reload the file without the knobs at ctrl+r and refuse it
// with the error the knob had replaced. A knob that replaces something
// else is refused with the file's error still, and with no knob changed
// the form says the error as before.
func TestLaunchKnobReplacesBadFileValue(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: banana\n", 1)
	if bad == string(src) {
		t.Fatal("the baseline has no horizon: 1h line to break")
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	const fileErr = `horizon: bad duration "banana"`
	tests := []struct {
		name  string
		knob  int    // the knob typed in; -1 for none
		value string // what is typed
		runs  bool
	}{
		{"Horizon replaces it", fHorizon, "10s", true},
		{"Seed does not", fSeed, "5", false},
		{"no knob", -1, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newLaunchScreen(testShared(), path)
			s.resize(120, 40)
			settle(s, s.init())
			if s.loadErr == nil || !strings.Contains(s.loadErr.Error(), fileErr) {
				t.Fatalf("the bad file loads: %v", s.loadErr)
			}
			if tt.knob >= 0 {
				s.setFocus(tt.knob)
				setLine(&s.fields[tt.knob].ed, "")
				settle(s, s.update(tea.PasteMsg{Content: tt.value}))
			}
			prepared := settle(s, s.update(keyMsg("ctrl+r")))
			view := strings.Join(strings.Fields(ansi.Strip(s.view(120, 40))), " ")
			if !tt.runs {
				if prepared != nil && prepared.err == nil {
					t.Fatalf("the bad file launches: %+v", prepared)
				}
				shown := s.loadErr
				if prepared != nil {
					shown = prepared.err
				}
				if shown == nil || !strings.Contains(shown.Error(), fileErr) {
					t.Errorf("refused with %v, want the file's %q", shown, fileErr)
				}
				return
			}
			if prepared == nil || prepared.err != nil {
				t.Fatalf("ctrl+r with Horizon 10s over the file's bad horizon prepared %+v; the form:\n%s", prepared, view)
			}
			if h := prepared.l.Scenario.Horizon.String(); h != "10s" {
				t.Errorf("launches horizon %s, want the knob's 10s", h)
			}
			note := strings.Join(prepared.notes, "; ")
			if !strings.Contains(note, "bad.yaml:") || !strings.Contains(note, fileErr) ||
				!strings.Contains(note, "the file's own value, replaced in this run by horizon=10s; fix it in the file") {
				t.Errorf("the note %q, want the file's error placed in it and replaced by horizon=10s", note)
			}
			// The run starts with the note in the footer (the run itself,
			// a Cmd of the batch, is not called).
			b, _ := s.update(*prepared)().(tea.BatchMsg)
			if !s.running || len(b) == 0 {
				t.Fatalf("the prepared launch does not start: running %v, %d commands", s.running, len(b))
			}
			s.cancel()
			if n, ok := b[0]().(noticeMsg); !ok || n.text != "note: "+note {
				t.Errorf("the first command gives %+v, want the note %q in the footer", n, note)
			}
			// The notice that the run is stored replaces it, and says it again.
			o, _ := s.update(runDoneMsg{addr: addr{s.sid}, id: "r1"})().(openRunMsg)
			if o.notice != "run r1 stored; note: "+note || !o.noticeErr {
				t.Errorf("stored: the notice %q (a warning: %v), want the note after it", o.notice, o.noticeErr)
			}
		})
	}
}
