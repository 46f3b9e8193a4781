//go:build unix

package forecast

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadReadsAFileThatIsThere: a name that is no built-in is read as a
// file when one is there, as run and sweep read one: plan.txt (no slash,
// no .yaml) and a named pipe were told "no such file", which they were
// not. A name that is neither is still told so.
func TestLoadReadsAFileThatIsThere(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"research-licensing.forecast.yaml", "research-licensing.yaml"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "examples", "scenarios", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	plan, err := os.ReadFile("research-licensing.forecast.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("plan.txt", plan, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("bad.txt", []byte("name: x\nperiods: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo("ff", 0o600); err != nil {
		t.Fatal(err)
	}
	go func() { // the pipe's writer, once Load opens it
		if w, err := os.OpenFile("ff", os.O_WRONLY, 0); err == nil {
			w.Write(plan)
			w.Close()
		}
	}()
	for _, name := range []string{"plan.txt", "ff"} {
		f, err := Load(name)
		if err != nil {
			t.Errorf("Load(%q): %v", name, err)
			continue
		}
		if f.Spec.Name != "research-licensing" {
			t.Errorf("Load(%q) read forecast %q", name, f.Spec.Name)
		}
	}
	cases := []struct{ name, want, notWant string }{
		{"bad.txt", "bad.txt:", "built-in"},
		{"nope", `no built-in forecast "nope"`, ""},
		{"nope", "; and no such file", ""},
	}
	for _, c := range cases {
		_, err := Load(c.name)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.notWant != "" && strings.Contains(err.Error(), c.notWant)) {
			t.Errorf("Load(%q): %v; want an error saying %q, not %q", c.name, err, c.want, c.notWant)
		}
	}
}

// TestBaseWithoutSuffixNextToTheForecast: a base file with no .yaml suffix
// is read next to the forecast file, as base.yaml is; it was looked for in
// the working directory, else taken for a built-in scenario.
func TestBaseWithoutSuffixNextToTheForecast(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	ex := filepath.Join("..", "..", "examples", "scenarios")
	plan, err := os.ReadFile(filepath.Join(ex, "research-licensing.forecast.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scen, err := os.ReadFile(filepath.Join(ex, "research-licensing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(plan), "\nbase: research-licensing.yaml ", "\nbase: research-licensing ", 1)
	if text == string(plan) {
		t.Fatal("the example forecast no longer names base: research-licensing.yaml")
	}
	for name, b := range map[string][]byte{"plan.forecast.yaml": []byte(text), "research-licensing": scen} {
		if err := os.WriteFile(filepath.Join(dir, "sub", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	f, err := Load(filepath.Join("sub", "plan.forecast.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("sub", "research-licensing"); f.baseName != want {
		t.Errorf("base read from %q, want %q", f.baseName, want)
	}
}
