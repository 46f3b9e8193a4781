package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestFolderGivenAsFile: a folder where a file is read is said to be one,
// naming it once, exit 2, in every reader. The row readers said "adir:1:
// read adir: is a directory", a line number and the path twice
// (hostile-input review L7), and --calibration "load profile: read
// /abs/adir: is a directory".
func TestFolderGivenAsFile(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // no saved profile of the user's
	dir := t.TempDir()
	adir := filepath.Join(dir, "adir")
	if err := os.Mkdir(adir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A scenario replaying a trace whose path is the folder.
	scenario := filepath.Join(dir, "replay.yaml")
	yaml := "name: replay\nseed: 1\nhorizon: 1m\nmodel: llama-3.2-3b\n" +
		"fleet: {instance: trn2.48xlarge, count: 1, pricing: capacity-block, replica: {tp: 4}}\n" +
		"workloads:\n  - {name: replay, class: api, arrivals: {process: trace, trace: {path: adir}}, price: {input_per_mtok: 1, output_per_mtok: 1}}\n"
	if err := os.WriteFile(scenario, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"validate", []string{"validate", adir}, adir + " is a folder, not a file"},
		{"hw fit", []string{"hw", "fit", "--points", adir}, adir + " is a folder, not a file"},
		{"calibrate import", []string{"calibrate", "import", adir, "--hw", "Trainium2"}, adir + " is a folder, not a file"},
		{"trace path", []string{"run", scenario, "--no-store", "-q"}, "workloads[0].arrivals.trace.path: " + adir + " is a folder, not a file"},
		{"--calibration", []string{"run", "baseline", "--no-store", "-q", "--horizon", "1m", "--calibration", adir},
			"--calibration " + adir + " is a folder, not a file; give a profile file that aiecon calibrate saved, or latest"},
		{"scenario", []string{"run", adir, "--no-store", "-q"}, "scenario file " + adir + ": is a folder, not a file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) || strings.Count(errs, adir) != 1 ||
				strings.Contains(errs, "is a directory") || strings.Contains(errs, adir+":1") {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q, naming the folder once", c.args, code, errs, c.want)
			}
		})
	}
}
