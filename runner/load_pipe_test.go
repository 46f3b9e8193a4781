package runner

import (
	"fmt"
	"os"
	"testing"

	"aiecon/model"
)

// TestLoadVariantsReadsAPipeOnce: with a --set, the scenario was read twice,
// so a pipe (cat x | aiecon run /dev/stdin, or <(...)) read as empty the
// second time and the run was told that name and workloads are required.
func TestLoadVariantsReadsAPipeOnce(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		w.Write(src)
		w.Close()
	}()
	path := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no /dev/fd here: %v", err)
	}
	loaded, err := LoadVariants(path, []string{"horizon=1m"}, "")
	if err != nil {
		t.Fatalf("loading the scenario from a pipe with --set: %v", err)
	}
	if got := loaded[0].Scenario.Horizon; got != model.Minute {
		t.Errorf("horizon %v, want 1m", got)
	}
}
