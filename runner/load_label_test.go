package runner

import (
	"os"
	"strings"
	"testing"
)

// TestErrorsNameTheFileRead: a scenario file read by a name with no .yaml
// suffix (myscen, scen.txt) is named by that path in errors, with line and
// column, as scen.yaml is; it was called "built-in myscen", a built-in
// that does not exist.
func TestErrorsNameTheFileRead(t *testing.T) {
	t.Chdir(t.TempDir())
	bad := "name: bad\nmodel: llama-3.3-70b\nfleet:\n  instance: trn2.48xlarge\n  cnt: 3\nworkloads: []\n"
	for _, name := range []string{"myscen", "scen.txt", "scen.yml", "scen.yaml"} {
		if err := os.WriteFile(name, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(name, nil)
		if err == nil {
			t.Fatalf("%s: loaded a scenario with an unknown field", name)
		}
		if want := name + ":5:3: fleet.cnt: unknown field"; !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "built-in") {
			t.Errorf("%s: error %q, want it to name %q and no built-in", name, err, want)
		}
	}
}
