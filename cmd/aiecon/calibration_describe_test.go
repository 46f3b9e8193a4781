package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/hw"
)

// flat is text with its runs of white space as one space, so that a phrase
// a report wrapped over lines can be looked for whole.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// writeCSV writes rows under the import header in dir/name.
func writeCSV(t *testing.T, dir, name, rows string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("hw,dtype,batch,m,n,k,seconds\n"+rows), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunDescribesImportedProfile: a run priced by a profile with one
// imported Trainium2 timing says so under its calibration line and repeats
// the thinness warning the import gave, and so does show of the stored run,
// where both had printed the profile's path alone; a run on the built-in
// profile prints neither.
func TestRunDescribesImportedProfile(t *testing.T) {
	cfg := t.TempDir()
	imp := writeCSV(t, t.TempDir(), "imp.csv", "Trainium2,bf16,1,1024,1024,1024,0.0005\n")
	if code, _, errs := calRun(t, cfg, "calibrate", "import", imp, "--hw", "Trainium2"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	wants := []string{
		"device timings: Trainium2 bf16 GEMMs priced by 1 imported shape (imp.csv, imported",
		"used by this run",
		"host-measured: float32 GEMMs timed on",
		"THIN DEVICE CALIBRATION: only 1 imported shape for Trainium2 bf16 (imp.csv",
	}
	code, out, errs := calRun(t, cfg, "run", "-q", "--horizon", "1m", "--calibration", "latest")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	code, shown, errs := calRun(t, cfg, "show", "last")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	for what, text := range map[string]string{"run": out, "show": shown} {
		for _, w := range wants {
			if !strings.Contains(flat(text), w) {
				t.Errorf("%s lacks %q:\n%s", what, w, text)
			}
		}
	}
	code, out, errs = calRun(t, cfg, "run", "-q", "--no-store", "--horizon", "1m")
	if code != 0 {
		t.Fatalf("built-in run: exit %d: %s", code, errs)
	}
	for _, w := range []string{"device timings", "host-measured", "THIN DEVICE"} {
		if strings.Contains(out, w) {
			t.Errorf("a run on the built-in profile says %q:\n%s", w, out)
		}
	}
}

// TestSecondImportSaysItReplaces: a second import for the same chip and
// dtype replaces the first's timings, as the help says, and the command
// says which it replaced; an import of another dtype replaces nothing.
func TestSecondImportSaysItReplaces(t *testing.T) {
	cfg, dir := t.TempDir(), t.TempDir()
	a1 := writeCSV(t, dir, "a1.csv", "Trainium2,bf16,1,1024,1024,1024,0.0005\n")
	a2 := writeCSV(t, dir, "a2.csv", "Trainium2,bf16,1,2048,1024,1024,0.001\nTrainium2,bf16,1,4096,1024,1024,0.002\n")
	a3 := writeCSV(t, dir, "a3.csv", "Trainium2,fp8,1,2048,1024,1024,0.001\n")
	if code, out, errs := calRun(t, cfg, "calibrate", "import", a1, "--hw", "Trainium2"); code != 0 || strings.Contains(out, "replacing") {
		t.Fatalf("first import: exit %d: %s%s", code, out, errs)
	}
	code, out, errs := calRun(t, cfg, "calibrate", "import", a2, "--hw", "Trainium2")
	if code != 0 || !strings.Contains(out, "replacing the 1 bf16 timing for Trainium2 from a1.csv, imported ") {
		t.Errorf("second import: exit %d, stdout:\n%s%s", code, out, errs)
	}
	if code, out, errs = calRun(t, cfg, "calibrate", "import", a3, "--hw", "Trainium2"); code != 0 || strings.Contains(out, "replacing") {
		t.Errorf("fp8 import: exit %d, stdout:\n%s%s", code, out, errs)
	}
	p, _, err := hw.LoadNewestProfile(filepath.Join(cfg, "calibration"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Imported) != 2 || len(p.Imported[0].Measurements) != 2 || !strings.HasPrefix(p.Imported[0].Source, "a2.csv") {
		t.Errorf("imported %+v; want a2.csv's 2 bf16 timings and the fp8 one", p.Imported)
	}
	_, help, _ := calRun(t, cfg, "calibrate", "import", "--help")
	if strings.Contains(help, "adds them") || !strings.Contains(flat(help), "any timings an earlier import gave that chip and dtype") {
		t.Errorf("import help does not say an import replaces the last one:\n%s", help)
	}
}

// saveFitProfile saves in cfg's calibration directory the built-in profile
// with its float32 host fit's held-out error set to mape and its creation
// time to at, returning its path and what saving it printed.
func saveFitProfile(t *testing.T, cfg string, mape float64, at time.Time) (string, string) {
	t.Helper()
	b, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	p := *b
	p.Hosts = append([]hw.HostCalibration(nil), b.Hosts...)
	p.Host(hw.HostFloat32).HeldOutMAPE = mape
	p.Created = at
	var errb bytes.Buffer
	t.Setenv("AIECON_DB", filepath.Join(cfg, "aiecon.duckdb"))
	path, err := saveProfile(t.Context(), &env{stdout: &errb, stderr: &errb, dbPath: filepath.Join(cfg, "aiecon.duckdb")}, filepath.Join(cfg, "calibration"), &p, "host-cpu")
	if err != nil {
		t.Fatal(err)
	}
	return path, errb.String()
}

// TestLatestPassesOverPoorFit: a profile whose host fit misses its held-out
// shapes by more than hw.PoorFitMAPE warns when saved, --calibration latest
// passes over it to the newest good one, saying so, fails where none is
// good, and a run that names its file warns in its report.
func TestLatestPassesOverPoorFit(t *testing.T) {
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "calibration")
	saveWith := func(mape float64, at time.Time) (string, string) { return saveFitProfile(t, cfg, mape, at) }
	t0 := time.Now().UTC().Add(-time.Hour)
	poor, warned := saveWith(1.37, t0)
	if !strings.Contains(warned, "POORLY FITTED: "+poor+" misses its held-out shapes by 137%, past the 30% --calibration latest accepts") {
		t.Errorf("saving a poor profile warned %q", warned)
	}
	code, _, errs := calRun(t, cfg, "run", "-q", "--no-store", "--horizon", "1m", "--calibration", "latest")
	if code != exitUsage || !strings.Contains(errs, "every calibration profile in "+dir) {
		t.Errorf("latest with only a poor profile: exit %d: %s", code, errs)
	}
	code, out, errs := calRun(t, cfg, "run", "-q", "--no-store", "--horizon", "1m", "--calibration", poor)
	if code != 0 || !strings.Contains(flat(out), "POORLY FITTED CALIBRATION: the profile's float32 host fit misses its held-out shapes by 137%") {
		t.Errorf("a run naming the poor profile: exit %d, %s\n%s", code, errs, out)
	}
	good, warned := saveWith(0.06, t0.Add(-time.Hour))
	if warned != "" {
		t.Errorf("saving a good profile warned %q", warned)
	}
	code, out, errs = calRun(t, cfg, "run", "-q", "--no-store", "--horizon", "1m", "--calibration", "latest")
	if code != 0 || !strings.Contains(out, "calibration      "+good) || !strings.Contains(errs, fmt.Sprintf("latest passes over %s (held-out MAPE 137%%)", poor)) ||
		strings.Contains(out, "POORLY") {
		t.Errorf("latest beside a good older profile: exit %d, stderr %s\n%s", code, errs, out)
	}
	_, help, _ := calRun(t, cfg, "calibrate", "--help")
	if !strings.Contains(flat(help), fmt.Sprintf("passes %.0f%%", 100*hw.PoorFitMAPE)) {
		t.Errorf("calibrate help does not state the bound latest applies:\n%s", help)
	}
}

// TestCalibrateCarriesOver: a new host calibration keeps the imported
// device timings and fitted serving constants of the profile latest takes,
// warning that the constants were fitted under the old host curve. It
// started from nothing, and once it became latest every later run lost
// them without a word. --fresh leaves them out and says what latest lacks.
func TestCalibrateCarriesOver(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		cfg := t.TempDir()
		dir := filepath.Join(cfg, "calibration")
		imp := writeCSV(t, t.TempDir(), "imp.csv", "Trainium2,bf16,1,1024,1024,1024,0.0005\n")
		if code, _, errs := calRun(t, cfg, "calibrate", "import", imp, "--hw", "Trainium2"); code != 0 {
			t.Fatalf("import: exit %d: %s", code, errs)
		}
		prev, _, err := hw.LoadNewestProfile(dir)
		if err != nil {
			t.Fatal(err)
		}
		prev = prev.Successor(time.Now().UTC())
		prev.Serving = []hw.Serving{{Family: hw.StepNeuronV3, PrefillS: 1e-3, LayerS: 1e-5, CollectiveS: 2e-5, HBMFrac: 0.2, KVFrac: 0.3,
			GEMMScale: 1, AttnScale: 1, LinkFrac: 0.8, Source: "test", Label: hw.Estimate}}
		prevPath, err := hw.SaveProfile(dir, prev)
		if err != nil {
			t.Fatal(err)
		}
		measured, err := hw.BuiltinProfile() // stands in for what kernels.Calibrate measured
		if err != nil {
			t.Fatal(err)
		}
		measured.Created = time.Now().UTC().Add(time.Second)
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, dbPath: filepath.Join(cfg, "aiecon.duckdb")}
		if err := saveCalibrated(t.Context(), e, dir, measured, fresh, time.Second); err != nil {
			t.Fatal(err)
		}
		latest, path, _, err := hw.NewestFitProfile(dir)
		if err != nil || path == prevPath {
			t.Fatalf("latest is %s, %v; want the new calibration", path, err)
		}
		said := flat(out.String() + errb.String())
		if fresh {
			if len(latest.Imported)+len(latest.Serving) != 0 || !strings.Contains(said, "--fresh: it lacks the imported device timings (Trainium2 bf16) and the fitted serving constants (neuron-v3) of "+prevPath) {
				t.Errorf("--fresh: latest has %d imported, %d serving; said:\n%s", len(latest.Imported), len(latest.Serving), said)
			}
			continue
		}
		if latest.ImportedFor("Trainium2", "bf16") == nil || len(latest.Serving) != 1 {
			t.Errorf("latest has imported %v and serving %v; want the previous latest's", latest.Imported, latest.Serving)
		}
		for _, w := range []string{"it carries the imported device timings (Trainium2 bf16) and the fitted serving constants (neuron-v3) over from " + prevPath,
			"warning: the neuron-v3 serving constants carried over from " + prevPath + " were fitted with that profile's host efficiency"} {
			if !strings.Contains(said, w) {
				t.Errorf("calibrate did not say %q:\n%s", w, said)
			}
		}
	}
}

// TestShowDescribesTheProfileAsRun: show describes a stored run's profile
// as the run read it, and warns once the file at its path has changed or
// is gone. It read the file when show ran, so a run priced by 3 imported
// shapes claimed, after the file was replaced, that 1 shape had priced it.
func TestShowDescribesTheProfileAsRun(t *testing.T) {
	cfg, dir := t.TempDir(), t.TempDir()
	three := writeCSV(t, dir, "three.csv", "Trainium2,bf16,1,1024,1024,1024,0.0005\nTrainium2,bf16,1,2048,1024,1024,0.001\nTrainium2,bf16,1,4096,1024,1024,0.002\n")
	one := writeCSV(t, dir, "one.csv", "Trainium2,bf16,1,1024,1024,1024,0.0005\n")
	path := filepath.Join(dir, "mine.json")
	importTo := func(csv string) {
		t.Helper()
		if code, _, errs := calRun(t, cfg, "calibrate", "import", csv, "--hw", "Trainium2"); code != 0 {
			t.Fatalf("import %s: exit %d: %s", csv, code, errs)
		}
		ps := profiles(t, cfg)
		b, err := os.ReadFile(ps[len(ps)-1])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	importTo(three)
	if code, _, errs := calRun(t, cfg, "run", "-q", "--horizon", "1m", "--calibration", path); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	show := func() string {
		t.Helper()
		code, out, errs := calRun(t, cfg, "show", "last")
		if code != 0 {
			t.Fatalf("show: exit %d: %s", code, errs)
		}
		return flat(out)
	}
	asRun := "Trainium2 bf16 GEMMs priced by 3 imported shapes (three.csv"
	if s := show(); !strings.Contains(s, asRun) || strings.Contains(s, "CALIBRATION PROFILE") {
		t.Errorf("show of an unchanged profile:\n%s", s)
	}
	importTo(one) // the file at the path now holds another profile
	s := show()
	for _, w := range []string{asRun, "CALIBRATION PROFILE CHANGED: the file at " + path + " has changed since this run"} {
		if !strings.Contains(s, w) {
			t.Errorf("show after the file changed lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "1 imported shape (one.csv") {
		t.Errorf("show describes the new file as the run's profile:\n%s", s)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if s := show(); !strings.Contains(s, asRun) || !strings.Contains(s, "CALIBRATION PROFILE GONE: the file at "+path+" cannot be read now") {
		t.Errorf("show after the file was removed:\n%s", s)
	}
}

// TestSweepResumeRefusesAChangedProfile: a resume whose profile file has
// changed at its path since the sweep's complete runs read it refuses
// before running anything (exit 2), naming the file and both digests; with
// the file put back it finishes. It priced the rest by the new file.
func TestSweepResumeRefusesAChangedProfile(t *testing.T) {
	cfg, dir := t.TempDir(), t.TempDir()
	p, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "mine.json")
	orig, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(spec, []byte("name: cal\nbase: baseline\nset: {horizon: 1m, hardware.calibration: \""+path+"\"}\nparameters:\n  fleet.count: [1, 2]\nreplications: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := calRun(t, cfg, "sweep", spec, "-j", "1", "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if code, _, errs := calRun(t, cfg, "sql", "--write", "UPDATE runs SET status = 'failed', error = 'test' WHERE sweep_point = 1"); code != 0 {
		t.Fatalf("sql: exit %d: %s", code, errs)
	}
	p.Note = "edited"
	edited, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := calRun(t, cfg, "sweep", "--resume", "last", "-j", "1", "-q")
	want := fmt.Sprintf("were priced by the calibration profile %s as it was then, and the file has changed (sha256 %.12s then, %.12s now)", path, hw.ProfileDigest(orig), hw.ProfileDigest(edited))
	if code != exitUsage || !strings.Contains(flat(errs), want) {
		t.Errorf("resume after the file changed: exit %d, stderr:\n%s\nwant %q", code, errs, want)
	}
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := calRun(t, cfg, "sweep", "--resume", "last", "-j", "1", "-q"); code != 0 {
		t.Errorf("resume with the file put back: exit %d: %s", code, errs)
	}
}
