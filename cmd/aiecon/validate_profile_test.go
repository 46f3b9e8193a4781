package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate's header describes the profile its rows ran on as run and show
// describe theirs (one imported Inferentia2 timing priced every GEMM of the
// chip, and the header gave the profile's path alone); on the built-in
// profile it gives neither.
func TestValidateDescribesProfile(t *testing.T) {
	cfg, dir := t.TempDir(), t.TempDir()
	imp := writeCSV(t, dir, "imp.csv", "Inferentia2,bf16,1,1024,1024,1024,0.0005\n")
	if code, _, errs := calRun(t, cfg, "calibrate", "import", imp, "--hw", "Inferentia2"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	sample, err := os.ReadFile("../../examples/validate/neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(sample), "\n", 3) // the header and one inf2.48xlarge static batch
	rows := filepath.Join(dir, "one.csv")
	if err := os.WriteFile(rows, []byte(lines[0]+"\n"+lines[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wants := []string{
		"device timings: Inferentia2 bf16 GEMMs priced by 1 imported shape (imp.csv, imported",
		"host-measured: float32 GEMMs timed on",
		"THIN DEVICE CALIBRATION: only 1 imported shape for Inferentia2 bf16 (imp.csv",
	}
	code, out, errs := calRun(t, cfg, "validate", rows, "--calibration", "latest")
	if code != 0 {
		t.Fatalf("validate: exit %d: %s", code, errs)
	}
	head, _, ok := strings.Cut(out, "\nINSTANCE ") // the header, before the table
	if !ok {
		t.Fatalf("validate prints no table:\n%s", out)
	}
	for _, w := range wants {
		if !strings.Contains(flat(head), w) {
			t.Errorf("validate's header lacks %q:\n%s", w, out)
		}
	}
	// --json gives the header's lines as the file's notes, unwrapped.
	code, js, errs := calRun(t, cfg, "validate", rows, "--calibration", "latest", "--json")
	var got struct {
		Files []struct {
			Notes []string `json:"notes"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(js), &got); code != 0 || err != nil || len(got.Files) != 1 {
		t.Fatalf("validate --json: exit %d, %v: %s", code, err, errs)
	}
	if notes := got.Files[0].Notes; flat(strings.Join(notes, " ")) != flat(strings.SplitN(head, "\n", 2)[1]) {
		t.Errorf("validate --json notes %q, want the header's lines under its first:\n%s", notes, head)
	}
	if code, out, errs = calRun(t, cfg, "validate", rows); code != 0 {
		t.Fatalf("validate on the built-in profile: exit %d: %s", code, errs)
	}
	for _, w := range []string{"device timings", "host-measured", "THIN DEVICE"} {
		if strings.Contains(out, w) {
			t.Errorf("validate on the built-in profile says %q:\n%s", w, out)
		}
	}
}
