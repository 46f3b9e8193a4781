package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorOutUnwritable: doctor --out in a folder no file can be created
// in failed after reading the whole input, with DuckDB's raw "IO Error:
// Cannot open file" and exit 1, where every other command exits 2 for a
// path the user may not write. It is now refused before the input is
// read. /proc takes no new file even from root; a folder without write
// permission is checked only where the test does not run as root, whom
// permissions do not stop.
func TestDoctorOutUnwritable(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, out string
		skip      bool
	}{
		{"a pseudo-filesystem", "/proc/x.duckdb", func() bool { _, err := os.Stat("/proc/self"); return err != nil }()},
		{"a folder without write permission", filepath.Join(ro, "x.duckdb"), os.Geteuid() == 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("not testable here")
			}
			code, stdout, stderr := cli(t, db, "", "doctor", "--out", tc.out)
			if code != exitUsage || !strings.Contains(stderr, "no file can be created in the folder "+filepath.Dir(tc.out)) ||
				strings.Contains(stderr, "IO Error") || strings.Contains(stdout, "block check") {
				t.Errorf("doctor --out %s: exit %d\n%s%s\nwant exit 2 before any check, naming the folder", tc.out, code, stdout, stderr)
			}
		})
	}
}
