package tui

import (
	"strings"
	"testing"
)

// TestSweepSliceSaysWhyNot: s (heatmap slice) on a sweep of two
// parameters, both on the heatmap's axes, says in the footer that there
// is nothing to pin and why; help lists the key, and it did nothing.
func TestSweepSliceSaysWhyNot(t *testing.T) {
	sh := testShared()
	sh.conn = newConn(copyFixture(t), -1)
	t.Cleanup(func() { sh.conn.close() })
	s := newSweepScreen(sh, fixtureSweepGrid.id)
	s.resize(100, 30)
	for _, m := range msgsOf(s.load()) {
		if lm, ok := m.(sweepsLoadedMsg); ok && lm.err != nil {
			t.Fatal(lm.err)
		}
		s.update(m)
	}
	if s.xParam() == "" || s.yParam() == "" || len(s.otherKeys()) != 0 {
		t.Fatalf("want a sweep of two parameters on the axes: x %q, y %q, others %q", s.xParam(), s.yParam(), s.otherKeys())
	}
	var said string
	for _, m := range msgsOf(s.update(keyMsg("s"))) {
		if n, ok := m.(noticeMsg); ok {
			said = n.text
		}
	}
	if want := "s (heatmap slice) has nothing to pin: the sweep varies only count and rate, the heatmap's axes"; !strings.HasPrefix(said, want) {
		t.Errorf("s said %q, want %q…", said, want)
	}
	if s.pin != -1 {
		t.Errorf("pin %d, want -1 (the mean)", s.pin)
	}
}
