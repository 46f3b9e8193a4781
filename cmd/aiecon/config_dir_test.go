package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestConfigDirNotADirectory: with AIECON_CONFIG_DIR at a file (or a file
// where its calibration folder goes), saving a profile said only "mkdir
// PATH: not a directory", and the commands that read the newest profile
// went on with the built-in one. Each names the variable and the file.
func TestConfigDirNotADirectory(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	withFile := filepath.Join(dir, "cfg")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(withFile, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withFile, "calibration"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ configDir, want string }{
		{file, file + " is not a directory"},
		{withFile, filepath.Join(withFile, "calibration") + " is not a directory"},
		{filepath.Join(file, "sub"), "not a directory"},
	} {
		t.Setenv(hw.ProfileDirEnv, tc.configDir)
		for _, args := range [][]string{{"calibrate", "show"}, {"run", "--no-store", "--calibration", "latest"}, {"calibrate", "refit"}} {
			code, _, errs := cli(t, filepath.Join(dir, "x.duckdb"), "", args...)
			if code != exitUsage || !strings.Contains(errs, "$AIECON_CONFIG_DIR="+tc.configDir) || !strings.Contains(errs, tc.want) {
				t.Errorf("AIECON_CONFIG_DIR=%s %v: exit %d, %q; want exit %d naming the variable and %q", tc.configDir, args, code, errs, exitUsage, tc.want)
			}
		}
	}
	// A directory that does not exist yet is made when a profile is saved.
	t.Setenv(hw.ProfileDirEnv, filepath.Join(dir, "new"))
	if code, out, errs := cli(t, filepath.Join(dir, "x.duckdb"), "", "calibrate", "show"); code != exitOK || !strings.Contains(out, "built-in") {
		t.Errorf("a config directory yet to be made: exit %d\n%s%s", code, out, errs)
	}
}
