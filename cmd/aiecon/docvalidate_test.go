package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"aiecon/hw"
)

// validateBlockLine is a file's line in docs/calibration.md's "validate on
// the four files" block: its name, then the TTFT and TPOT errors validate
// prints for it.
var validateBlockLine = regexp.MustCompile(`(?m)^(\S+\.csv)\s+.*TTFT ([0-9.]+)%, TPOT ([0-9.]+)%`)

// validateSummary is validate's closing line for one file.
var validateSummary = regexp.MustCompile(`\(TTFT ([0-9.]+)%, TPOT ([0-9.]+)%\) over`)

// TestDocValidateFiguresAreCurrent: the Neuron lines of docs/calibration.md's
// "validate on the four files" block are what validate prints for those
// files under the built-in constants. They went stale when neuron-v2 was
// refitted with its norms replicated (27.5% / 6.6% quoted where validate
// gave 26.7% / 6.7%). The GPU files take minutes and are left to
// TestLoopCheckUpToDate and the hand check.
func TestDocValidateFiguresAreCurrent(t *testing.T) {
	const dir = "../../../shared/reference/serving-measurements/"
	doc, err := os.ReadFile("../../docs/calibration.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in calibration
	quoted := map[string][2]string{}
	for _, m := range validateBlockLine.FindAllStringSubmatch(string(doc), -1) {
		quoted[m[1]] = [2]string{m[2], m[3]}
	}
	for _, file := range []string{"neuron.csv", "neuron-llama3.csv"} {
		want, ok := quoted[file]
		if !ok {
			t.Errorf("docs/calibration.md's validate block has no line for %s: update the test with the text", file)
			continue
		}
		if _, err := os.Stat(dir + file); err != nil {
			t.Skipf("the public measurements are not here (%v)", err)
		}
		db := filepath.Join(t.TempDir(), "v.duckdb")
		code, out, errs := hwRun(t, "", "validate", dir+file, "--db", db)
		m := validateSummary.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("validate %s: exit %d, no summary line: %s\n%s", file, code, errs, out)
		}
		if got := [2]string{m[1], m[2]}; got != want {
			t.Errorf("docs/calibration.md quotes validate %s as TTFT %s%%, TPOT %s%%; validate gives %s%%, %s%%",
				file, want[0], want[1], got[0], got[1])
		}
	}
}
