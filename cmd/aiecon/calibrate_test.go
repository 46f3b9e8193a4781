package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model/llm"
)

// calRun calls Main with AIECON_CONFIG_DIR set to a fresh temporary
// directory (so the test never touches the real config directory) and
// returns the exit code, stdout, stderr and the profile directory.
func calRun(t *testing.T, cfg string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv(hw.ProfileDirEnv, cfg)
	t.Setenv("AIECON_DB", filepath.Join(cfg, "aiecon.duckdb"))
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func profiles(t *testing.T, cfg string) []string {
	t.Helper()
	ps, err := filepath.Glob(filepath.Join(cfg, "calibration", "profile-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestCalibrateQuickEndToEnd runs the real --quick calibration in float32
// with one pass (5-15 seconds on two cores, depending on how busy they are)
// and checks the report, the saved profile, and that the saved profile
// becomes the active one.
func TestCalibrateQuickEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the quick calibration grid (5-15 seconds)")
	}
	cfg := t.TempDir()
	code, out, errs := calRun(t, cfg, "calibrate", "--quick", "--dtype", "float32", "--passes", "1")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{"HELD-OUT MAPE", "float32", "fitted model:", "saved "} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// stderr is not a terminal here: no bar, but one line per phase.
	for _, want := range []string{"probing peak GEMM rate", "timing 88 shapes x 1 pass(es)", "fitting the efficiency model"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks the phase line %q:\n%s", want, errs)
		}
	}
	ps := profiles(t, cfg)
	if len(ps) != 1 {
		t.Fatalf("saved %v, want one profile", ps)
	}
	p, err := hw.LoadProfile(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.Host(hw.HostFloat64) != nil || len(p.Host(hw.HostFloat32).Measurements) != 88 {
		t.Errorf("profile hosts %d, float32 measurements %d; want float32 only, 88 shapes", len(p.Hosts), len(p.Host(hw.HostFloat32).Measurements))
	}
	active, src, err := hw.NewestProfileOrBuiltin(filepath.Join(cfg, "calibration"))
	if err != nil || src != ps[0] || !active.Created.Equal(p.Created) {
		t.Errorf("newest profile %q, %v; want the one just saved", src, err)
	}
	// The store of --db (here $AIECON_DB) records it too.
	st, err := data.Open(filepath.Join(cfg, "aiecon.duckdb"), data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	cals, err := st.Calibrations(context.Background(), "host-cpu")
	st.Close()
	if err != nil || len(cals) != 1 || !strings.Contains(cals[0].ProfileJSON, `"measurements"`) {
		t.Errorf("store calibrations: %d, %v; want the profile", len(cals), err)
	}

	// show prints the active profile; --quiet silences the phase lines.
	code, out, _ = calRun(t, cfg, "calibrate", "show")
	if code != 0 || !strings.Contains(out, "source   "+ps[0]) || !strings.Contains(out, "quick calibration") {
		t.Errorf("calibrate show (exit %d):\n%s", code, out)
	}
	if p.Command != "aiecon calibrate --dtype=float32 --passes=1 --quick" {
		t.Errorf("recorded command %q", p.Command)
	}
}

func TestCalibrateBadFlags(t *testing.T) {
	cfg := t.TempDir()
	for _, args := range [][]string{
		{"calibrate", "--dtype", "bf16"},
		{"calibrate", "--dtype", "float64"},
		{"calibrate", "--passes", "0"},
		{"calibrate", "import", "x.csv"},                                   // no --hw
		{"calibrate", "import", "does-not-exist.csv", "--hw", "Trainium2"}, // no file
	} {
		code, _, errs := calRun(t, cfg, args...)
		if code != exitUsage || !strings.HasPrefix(errs, "aiecon: ") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, code, errs)
		}
	}
	if ps := profiles(t, cfg); len(ps) != 0 {
		t.Errorf("bad flags saved %v", ps)
	}
}

// TestCalibrateImport imports a file with bad rows (exit 2, every bad line
// named FILE:LINE, nothing saved), then a good one (a new active profile whose
// Trainium2 bf16 efficiency comes from the imported timings).
func TestCalibrateImport(t *testing.T) {
	cfg := t.TempDir()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("hw,dtype,batch,m,n,k,seconds\n"+
		"Trainium2,bf16,1,128,4096,4096,6e-05\n"+
		"Trainium2,bf16,1,128,4096,4096,abc\n"+
		"Trainium2,bf16,1,0,4096,4096,1e-4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := calRun(t, cfg, "calibrate", "import", bad, "--hw", "Trainium2")
	if code != exitUsage {
		t.Fatalf("bad rows: exit %d, want 2; stderr %s", code, errs)
	}
	for _, want := range []string{bad + ": 2 bad row(s), nothing imported", bad + ":3: seconds", bad + ":4: m"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if ps := profiles(t, cfg); len(ps) != 0 {
		t.Fatalf("a bad import saved %v", ps)
	}

	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(good, []byte("hw,dtype,batch,m,n,k,seconds\n"+
		"Trainium2,bf16,1,128,4096,4096,6e-05\n"+
		"Trainium2,bf16,1,1,4096,4096,1e-4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := calRun(t, cfg, "calibrate", "import", good, "--hw", "trainium2")
	if code != 0 {
		t.Fatalf("good import: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "imported 2 bf16 shapes for Trainium2") || !strings.Contains(out, "copy of built-in") {
		t.Errorf("import report:\n%s", out)
	}
	p, src, err := hw.NewestProfileOrBuiltin(filepath.Join(cfg, "calibration"))
	if err != nil || src == hw.BuiltinProfileSource {
		t.Fatalf("newest profile %q, %v; want the imported copy", src, err)
	}
	ic := p.ImportedFor("Trainium2", llm.BF16)
	if ic == nil || len(ic.Measurements) != 2 {
		t.Fatalf("imported calibration %+v", ic)
	}
	if got, want := p.ForChip("Trainium2").GEMM(1, 1, 4096, 4096, llm.BF16), ic.Eta(1, 1, 4096, 4096); got != want {
		t.Errorf("Trainium2 bf16 efficiency %g, want the imported %g", got, want)
	}
}
