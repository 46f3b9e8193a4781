package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrationFlagErrorsNameTheFlag: an error --calibration causes
// names --calibration as typed, not the --set hardware.calibration="/abs/..."
// it stands for, which nobody typed; and --calibration beside a --set of
// hardware.calibration is refused, as --horizon beside --set horizon is
// (run and sweep dropped the --set unchecked, optimize failed on a file
// of its own making: "optimize-baseline:71:3: mapping key ... already
// defined").
func TestCalibrationFlagErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "aiecon.duckdb"))
	prof := filepath.Join(dir, "prof.json")
	builtin, err := os.ReadFile("../../hw/profiles/builtin.json")
	if err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile("../../model/scenarios/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	variants := filepath.Join(dir, "variants.yaml")
	sweep := filepath.Join(dir, "sw.yaml")
	for path, text := range map[string]string{
		prof:     string(builtin),
		variants: string(base) + "variants:\n  - name: a\n    set: {hardware.calibration: prof.json}\n  - name: b\n    set: {fleet.count: 3}\n",
		sweep:    "name: sw\nbase: baseline\nset: {horizon: 10s}\nparameters:\n  hardware.calibration: [prof.json, null]\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	both := "--calibration " + prof + " and --set hardware.calibration=x.json both set hardware.calibration; give one"
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a variant sets it", []string{"run", variants, "--no-store", "--calibration", prof},
			"--calibration " + prof + " changes hardware.calibration, which variant a sets"},
		{"a sweep varies it", []string{"sweep", sweep, "--dry-run", "--calibration", prof},
			"--calibration " + prof + ": changes hardware.calibration, which the sweep varies (parameters.hardware.calibration at " + sweep + ":5:3): each point sets it after the --calibration"},
		{"run with a --set of it", []string{"run", "baseline", "--no-store", "--calibration", prof, "--set", "hardware.calibration=x.json"}, both},
		{"sweep with a --set of it", []string{"sweep", filepath.Join(dir, "none.yaml"), "--calibration", prof, "--set", "hardware.calibration=x.json"}, both},
		{"optimize with a --set of it", []string{"optimize", "baseline", "--calibration", prof, "--set", "hardware.calibration=x.json"}, both},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != 2 || !strings.Contains(errs, c.want) || strings.Contains(errs, "--set hardware.calibration=\"") {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q, naming no --set the flag stands for", code, errs, c.want)
			}
		})
	}
}

// TestCalibrationFlagWithATabIsQuoted: an error naming a --calibration
// whose path holds a tab or an escape quotes it with its escapes, as a
// --set holding one is named (format.Typed): the path was echoed raw, its
// tab read as spaces.
func TestCalibrationFlagWithATabIsQuoted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "aiecon.duckdb"))
	builtin, err := os.ReadFile("../../hw/profiles/builtin.json")
	if err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "a\tb.json")
	base, err := os.ReadFile("../../model/scenarios/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	variants := filepath.Join(dir, "variants.yaml")
	for path, text := range map[string]string{
		prof:     string(builtin),
		variants: string(base) + "variants:\n  - name: a\n    set: {hardware.calibration: x.json}\n  - name: b\n    set: {fleet.count: 3}\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	quoted := `--calibration "` + strings.ReplaceAll(prof, "\t", `\t`) + `"`
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no such file", []string{"run", "baseline", "--no-store", "--calibration", "no\x1b[2Jne.json"},
			`--calibration "no\x1b[2Jne.json": load profile: open `},
		{"hw fit, no such file", []string{"hw", "fit", "--points", "../../examples/validate/neuron-sample.csv", "--calibration", "no\tne.json"},
			`--calibration "no\tne.json": load profile: open `},
		{"a --set of it", []string{"run", "baseline", "--no-store", "--calibration", prof, "--set", "hardware.calibration=x.json"},
			quoted + " and --set hardware.calibration=x.json both set hardware.calibration; give one"},
		{"a variant sets it", []string{"run", variants, "--no-store", "--calibration", prof},
			quoted + " changes hardware.calibration, which variant a sets"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errs, c.want)
			}
		})
	}
}

// TestBrokenLatestProfileExits2: a saved profile that cannot be read,
// found as the newest, is the user's to remove or repair: exit 2 wherever
// it is taken as latest, as the same file named with --calibration FILE
// (or given to calibrate show or refit) exits. --calibration latest, refit,
// show and import exited 1 (hostile-input review L6).
func TestBrokenLatestProfileExits2(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "aiecon.duckdb"))
	cfg := filepath.Join(dir, "config")
	t.Setenv("AIECON_CONFIG_DIR", cfg)
	if err := os.MkdirAll(filepath.Join(cfg, "calibration"), 0o755); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(cfg, "calibration", "profile-20991231T235959Z.json")
	if err := os.WriteFile(broken, []byte(`{"version":`), 0o644); err != nil {
		t.Fatal(err)
	}
	timings := filepath.Join(dir, "gemm.csv")
	if err := os.WriteFile(timings, []byte("hw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,4096,4096,4096,0.001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "baseline", "--no-store", "-q", "--horizon", "1m", "--calibration", "latest"},
		{"run", "baseline", "--no-store", "-q", "--horizon", "1m", "--calibration", broken},
		{"calibrate", "refit"},
		{"calibrate", "show"},
		{"calibrate", "show", broken},
		{"calibrate", "import", timings, "--hw", "Trainium2"},
	} {
		code, _, errs := hwRun(t, "", args...)
		if code != exitUsage || !strings.Contains(errs, "load profile "+broken) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", args, code, errs, broken)
		}
	}
}
