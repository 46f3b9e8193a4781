package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestRunExportAndPlot writes a run's tables and a chart from the run
// screen, through the code of `aiecon export` and `aiecon plot`, and checks
// that the files are there and the footer names them. The default path is
// a placeholder: what is typed replaces it (typed after a pre-filled
// default, tp.svg became RUNID-throughput.pngtp.svg).
func TestRunExportAndPlot(t *testing.T) {
	dir := t.TempDir()
	s := startSession(t, testOptions(fixturePath), 100, 30)
	s.wait("9 of 9 runs")
	s.press("end", "enter")
	s.wait("baseline · 1m1q01zz5b0c7d9", "$/Mtok all costs")

	s.press("x")
	s.wait("export parquet tables to folder: aiecon-export-1m1q01zz5b0c7d9")
	s.press("tab") // csv; the default path follows
	s.wait("export csv tables to folder: aiecon-export-1m1q01zz5b0c7d9", "tab next format")
	out := filepath.Join(dir, "tables")
	s.press("text:"+out, "enter")
	s.wait("exported 8 tables (csv) to " + out)
	files, err := filepath.Glob(filepath.Join(out, "*.csv"))
	if err != nil || len(files) != 8 {
		t.Fatalf("export wrote %v (%v), want 8 CSV files", files, err)
	}
	if !slices.Contains(files, filepath.Join(out, "requests.csv")) {
		t.Errorf("no requests.csv among %v", files)
	}

	s.press("P")
	s.wait("plot latency-cdf to: 1m1q01zz5b0c7d9-latency-cdf.png")
	s.press("tab", "tab", "tab", "tab", "tab") // throughput
	s.wait("plot throughput to: 1m1q01zz5b0c7d9-throughput.png")
	img := filepath.Join(dir, "tp.svg")
	s.press("text:"+img, "enter")
	s.wait("wrote " + img + ": Throughput")
	if st, err := os.Stat(img); err != nil || st.Size() == 0 {
		t.Fatalf("plot: %v", err)
	}

	s.press("P", "text:"+filepath.Join(dir, "x.gif"), "enter")
	s.wait("plot:", ".gif")
	s.press("x", "esc") // esc closes the prompt, not the screen
	s.wait("llama-3.3-70b on 4 × trn2.48xlarge", "x export tables")
}

// TestRunError: a cancelled run says so in plain words, not Go's "context
// canceled" nor the bare "interrupted" a signal-stopped run stores; any
// other error is shown as stored, on one line.
func TestRunError(t *testing.T) {
	tests := []struct{ stored, want string }{
		{"interrupted: context canceled", "cancelled before it finished"},
		// A run aiecon run's Ctrl-C or SIGTERM stopped (model.ErrInterrupted).
		{"interrupted", "cancelled before it finished"},
		{"interrupted: the writing process (PID 42 on h) stopped before the run finished", "interrupted: the writing process (PID 42 on h) stopped before the run finished"},
		{"fleet:\n  too   small", "fleet: too small"},
	}
	for _, tt := range tests {
		if got := runError(tt.stored); got != tt.want {
			t.Errorf("runError(%q) = %q, want %q", tt.stored, got, tt.want)
		}
	}
}

// TestIncompleteRunSaysWhy: the Overview of a cancelled run reads as one
// sentence (it read "has no KPIs: it did not complete: cancelled before it
// finished"), and its Replicas tab says why it is empty (it showed only the
// table's header).
func TestIncompleteRunSaysWhy(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(100, 30)
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusFailed},
		Error: "interrupted: context canceled", HorizonNs: int64(time.Hour)}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
	flat := func() string { return strings.Join(strings.Fields(ansi.Strip(s.view(100, 30))), " ") }
	if v := flat(); !strings.Contains(v, "This run has no KPIs: it was cancelled before it finished.") {
		t.Errorf("overview:\n%s", v)
	}
	s.update(keyMsg("4"))
	if s.tab != tabReplicas {
		t.Fatalf("4 opened tab %d, want Replicas", s.tab)
	}
	if v := flat(); !strings.Contains(v, "no replicas recorded: the run was cancelled before it finished") {
		t.Errorf("replicas tab:\n%s", v)
	}
	if got := incomplete("it", "fleet:\n  too small"); got != "it did not complete (fleet: too small)" {
		t.Errorf("incomplete = %q", got)
	}
}

// TestOutPromptDefault: enter on the empty prompt writes the default path,
// which follows the format or kind chosen; a path typed replaces it.
func TestOutPromptDefault(t *testing.T) {
	o := newOutPrompt(newStyles())
	o.width = 100
	o.open("1m1q01zz5b0c7d9", true)
	o.update(nil, 0, keyMsg("tab"))
	if got, want := o.target(), "1m1q01zz5b0c7d9-"+o.choices[1]+".png"; got != want {
		t.Errorf("empty prompt writes %q, want %q", got, want)
	}
	if v := ansi.Strip(lineView(o.path)); !strings.Contains(v, o.choices[1]+".png") {
		t.Errorf("the default is not shown: %q", v)
	}
	for _, k := range "p5.svg" {
		o.update(nil, 0, keyMsg(string(k)))
	}
	if got := o.target(); got != "p5.svg" {
		t.Errorf("typed p5.svg, writes %q", got)
	}
	o.open("1m1q01zz5b0c7d9", false)
	if got := o.target(); got != "aiecon-export-1m1q01zz5b0c7d9" {
		t.Errorf("export's default %q", got)
	}
}

// TestRunHeaderWrapsOverrides: a run's overrides are what tells it from
// its scenario's other runs, so the header wraps them onto more lines
// rather than cut them (set instance=… max_batched_tokens=8192 horizon…
// at 120 columns); the step-times line keeps its caveat at 80.
func TestRunHeaderWrapsOverrides(t *testing.T) {
	params := `{"instance": "p5en.48xlarge", "count": 6, "max_num_seqs": 128, "max_batched_tokens": 8192,` +
		` "horizon": "2m", "rate": "40/s", "scheduler": "vllm", "prefix_cache": true}`
	for _, w := range []int{80, 120} {
		s := newRunScreen(testShared(), "1m1q01")
		s.resize(w, 30)
		d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9",
			Name: "gpu-vs-trainium/p5 [count=6 rate=40/s]", Status: data.StatusComplete},
			HorizonNs: int64(2 * time.Minute), ParamsJSON: params}}
		s.update(runLoadedMsg{addr: addr{s.sid}, d: d,
			setup: &runSetup{model: "llama-3.3-70b", instance: "p5en.48xlarge", count: 6, tp: 8, scheduler: "vllm",
				stepTimes: "gpu-roofline constants, EST, fitted to published measurements; not cross-validated: two rows"}})
		v := ansi.Strip(s.view(w, 30))
		flat := strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"prefix_cache=true", "scheduler=vllm", "horizon=2m", "not cross-validated: two rows"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%d columns: the header lacks %q:\n%s", w, want, v)
			}
		}
		if strings.Contains(v, "…") {
			t.Errorf("%d columns: something is cut:\n%s", w, v)
		}
	}
}

// TestRunHeaderOverridesExact: the header's overrides read as given (as
// `aiecon show` prints them), not rounded: seed 1234567891 and 1234567892
// would both have read seed=1.235e+09.
func TestRunHeaderOverridesExact(t *testing.T) {
	s := newRunScreen(testShared(), "1m1q01")
	s.resize(160, 30)
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9",
		Name: "baseline", Status: data.StatusComplete}, HorizonNs: int64(2 * time.Minute),
		ParamsJSON: `{"seed": "1234567891", "horizon": "2m", "fleet.count": "12345", "workloads[chat].arrivals.rate": "2.123456789/s"}`}}
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d, setup: &runSetup{model: "llama-3.3-70b"}})
	flat := strings.Join(strings.Fields(ansi.Strip(s.view(160, 30))), " ")
	if want := "set seed=1234567891 horizon=2m count=12345 rate=2.123456789/s"; !strings.Contains(flat, want) {
		t.Errorf("the header lacks %q:\n%s", want, flat)
	}
}

// TestOutputPathExpandsHome: a leading ~ in a path typed in the export,
// plot and SQL-export prompts is the home directory, as in the shell: ~/x
// made a folder named ~ in the working directory. Only a leading ~ or ~/
// is expanded; ~user and a ~ further in are taken as typed.
func TestOutputPathExpandsHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"~", home},
		{"~/", home},
		{"~/x", filepath.Join(home, "x")},
		{"~/a/../b.csv", filepath.Join(home, "b.csv")},
		{"x", filepath.Join(cwd, "x")},
		{"~x", filepath.Join(cwd, "~x")},
		{"a/~/b", filepath.Join(cwd, "a", "~", "b")},
		{"/tmp/~/y", "/tmp/~/y"},
	}
	for _, tt := range tests {
		if got, err := outputPath(tt.in); err != nil || got != tt.want {
			t.Errorf("outputPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}

	// Each prompt goes through it: the plot's refusal of a .gif names the
	// path in the home directory, and the SQL export writes there.
	o := newOutPrompt(newStyles())
	o.open("1m1q01zz5b0c7d9", true)
	var text string
	for _, m := range msgsOf(o.write(nil, 0, "~/p.gif")) {
		if n, ok := m.(noticeMsg); ok {
			text = n.text
		}
	}
	if want := filepath.Join(home, "p.gif"); !strings.Contains(text, want) {
		t.Errorf("plot to ~/p.gif: notice %q, want one naming %s", text, want)
	}
	s := newSQLScreen(testShared(), "SELECT 1")
	s.ran = "SELECT 1"
	s.export("~/r.csv") // the Cmd, which would write, is not run
	if s.exp == nil {
		t.Fatal("export to ~/r.csv did not start")
	}
	defer s.exp.stop()
	if want := filepath.Join(home, "r.csv"); s.exp.path != want {
		t.Errorf("SQL export to ~/r.csv writes %s, want %s", s.exp.path, want)
	}
}
