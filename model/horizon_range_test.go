package model

import (
	"strings"
	"testing"
)

// TestHorizonPastAnyDuration: a horizon too long for any duration names
// the horizon's range, as one too long for a horizon does; it named the
// parser's, between -36500d and 36500d (hostile-input review F7).
func TestHorizonPastAnyDuration(t *testing.T) {
	src := validScenario + "horizon: 99999999999999999999999d\n"
	want := `s.yaml:13:10: horizon: duration "99999999999999999999999d" is out of range (allowed: 1s to 366d)`
	if _, _, err := Parse("s.yaml", []byte(src)); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	// Elsewhere a duration past any keeps the parser's words.
	src = validScenario + "window: 99999999999999999999999d\n"
	if _, _, err := Parse("s.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "between -36500d and 36500d") {
		t.Errorf("got %v, want the parser's range", err)
	}
}
