package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// protocolLoops writes two closed loops of 10 clients (200 in / 200 out),
// the second stating a 30 s cold window when stated is true.
func protocolLoops(t *testing.T, stated bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loops.csv")
	window := ""
	if stated {
		window = "30"
	}
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,stat,output_tok_s,e2e_ms,window_s\n" +
		"llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,mean,740.7,2700,\n" +
		"llama-3-8b,p4de.24xlarge,1,10,400,200,200,fp16,100,13,closed-loop concurrency=10,mean,370.4,2700," + window + "\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// validateRowsJSON runs validate --json and returns its file's fields.
func validateRowsJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := hwRun(t, "", append([]string{"validate", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	var doc struct{ Files []map[string]any }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Files) != 1 {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return doc.Files[0]
}

// TestValidateDefaultProtocol: without --protocol, closed loops are
// measured in their steady state exactly as --protocol steady measures
// them (every row's figures the same), the output says so, and a cold
// window measures something else; a file with no closed loop has no
// protocol line.
func TestValidateDefaultProtocol(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	path := protocolLoops(t, false)
	def, steady := validateRowsJSON(t, path), validateRowsJSON(t, path, "--protocol", "steady")
	cold := validateRowsJSON(t, path, "--protocol", "cold-window", "--window", "5s")
	d, _ := json.Marshal(def["rows"])
	s, _ := json.Marshal(steady["rows"])
	c, _ := json.Marshal(cold["rows"])
	if string(d) != string(s) || string(d) == string(c) {
		t.Errorf("default rows differ from --protocol steady's, or match a 5 s cold window's:\ndefault %s\nsteady  %s\ncold    %s", d, s, c)
	}
	if def["closed_loop_protocol"] != "steady" || def["window_s"] != nil || !strings.Contains(string(d), `"protocol":"steady"`) {
		t.Errorf("default: protocol %v, window %v; rows %s", def["closed_loop_protocol"], def["window_s"], d)
	}
	checkOutputs(t, []outputCase{
		{[]string{"validate", path}, []string{"loops.csv: 2 rows simulated, 0 skipped; calibration built-in\n" +
			"closed loops measured in their steady state (3 request lifetimes of warm-up, then the requests arriving over the next 12) [--protocol steady, the default]\n",
			"a transient, not the steady state simulated"}},
	})
	static := filepath.Join(t.TempDir(), "static.csv")
	if err := os.WriteFile(static, []byte("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n"+
		"llama-3-8b,p4de.24xlarge,1,8,400,200,200,fp16,30,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := hwRun(t, "", "validate", static); code != 0 || strings.Contains(out, "closed loops") || strings.Contains(out, "protocol") {
		t.Errorf("a static batch file: exit %d, a protocol line:\n%s", code, out)
	}
}

// TestValidateColdWindow: --protocol cold-window --window T, and a row's
// own window_s, are said in the header line and in --json (the file's and
// each row's), and --scenario prints the run of the window alone.
func TestValidateColdWindow(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	plain, stated := protocolLoops(t, false), protocolLoops(t, true)
	checkOutputs(t, []outputCase{
		{[]string{"validate", plain, "--protocol", "cold-window", "--window", "20s"}, []string{
			"closed loops measured in a cold window of 20s (every client sends at 0, no warm-up; scored: the requests that complete within it) [--protocol cold-window --window 20s; a row's window_s is its own]\n",
			"the benchmark measured a transient"}},
		{[]string{"validate", stated}, []string{
			"closed loops: 1 measured in a cold window of 30s (every client sends at 0, no warm-up; scored: the requests that complete within it); 1 in their steady state"}},
		{[]string{"validate", stated, "--protocol", "steady"}, []string{"closed loops measured in their steady state (3 request lifetimes of warm-up, then the requests arriving over the next 12) [--protocol steady]\n"}},
		{[]string{"validate", stated, "--protocol", "cold-window", "--window", "20s"}, []string{"closed loops measured in a cold window of each row's window_s, or --window's 20s where a row states none ("}},
		{[]string{"validate", plain, "--protocol", "cold-window", "--window", "20.0004s"}, []string{"closed loops measured in a cold window of 20s ("}},
		{[]string{"validate", plain, "--protocol", "cold-window", "--window", "20s", "--scenario", "2"}, []string{
			"--set seed=1 --set horizon=20000ms --set window=20000ms --set drain=false\n# and scores the requests that complete within its 20s cold window"}},
	})
	cold := validateRowsJSON(t, plain, "--protocol", "cold-window", "--window", "20s")
	rows, _ := json.Marshal(cold["rows"])
	if cold["closed_loop_protocol"] != "cold-window" || cold["window_s"] != 20.0 || strings.Count(string(rows), `"protocol":"cold-window"`) != 2 || strings.Count(string(rows), `"window_s":20`) != 2 {
		t.Errorf("cold window in --json: protocol %v, window %v, rows %s", cold["closed_loop_protocol"], cold["window_s"], rows)
	}
	if mixed := validateRowsJSON(t, stated); mixed["closed_loop_protocol"] != "mixed" || mixed["window_s"] != 30.0 {
		t.Errorf("one row's window_s in --json: protocol %v, window %v", mixed["closed_loop_protocol"], mixed["window_s"])
	}
}

// TestValidateProtocolFlagErrors: a protocol or window validate cannot
// run exits 2 with a message naming the flag, before simulating anything.
func TestValidateProtocolFlagErrors(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	path := protocolLoops(t, false)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--protocol", "cold"}, `--protocol "cold": want steady or cold-window`},
		{[]string{"--window", "500s"}, "--window is the measurement window of --protocol cold-window, which it needs (the protocol is not given: steady, or cold-window for a row that states its window_s): give --protocol cold-window with it"},
		{[]string{"--protocol", "steady", "--window", "500s"}, "which it needs (the protocol is steady): give --protocol cold-window with it"},
		{[]string{"--protocol", "cold-window"}, "--protocol cold-window needs --window (such as --window 500s), or a window_s column stating every closed loop's: " + path + ":2"},
		{[]string{"--protocol", "cold-window", "--window", "0s"}, `invalid argument "0s" for "--window" flag: want a duration from 1s to 24h`},
		{[]string{"--protocol", "cold-window", "--window", "-5s"}, `invalid argument "-5s" for "--window" flag: want a duration from 1s to 24h`},
		{[]string{"--protocol", "cold-window", "--window", "30d"}, `"30d" for "--window" flag: want a duration from 1s to 24h`},
		{[]string{"--protocol", "cold-window", "--window", "500"}, `duration "500" needs a unit (e.g. 500s or 500ms)`},
		{[]string{"--protocol", "cold-window", "--scenario", "2"}, "--protocol cold-window needs --window"},
	}
	for _, tt := range tests {
		code, out, errs := hwRun(t, "", append([]string{"validate", path}, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tt.args, code, out, errs, tt.want)
		}
	}
}
