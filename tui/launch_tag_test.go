package tui

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLaunchTaggedListLives: `:launch FILE` of a scenario with a tag where
// a list belongs crashed go-yaml's decoder, which ended the dashboard with
// a goroutine dump and left the terminal raw (hostile-input review F0).
// The launch screen now shows the file's error, and the dashboard goes on.
func TestLaunchTaggedListLives(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tag.yaml")
	if err := os.WriteFile(file, []byte("name: a\nworkloads: !!str 6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := copyFixture(t)
	s := startSession(t, launchOptions(path), 100, 30)
	s.wait("9 of 9 runs")
	s.press(":", "text:launch "+file, "enter")
	s.waitProse("2:12: workloads: want a list")
	s.press("esc")
	s.wait("9 of 9 runs")
}
