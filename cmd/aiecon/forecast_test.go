package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad forecast input exits 2 (the input-error code) and names what is wrong.
func TestForecastExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "x.duckdb"))
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nbase: baseline\nperiods: {count: 99}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"forecast", bad}, "bad.yaml:3:18: periods.count: 99: want 1..20 periods"},
		{[]string{"forecast", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"forecast", "no-such-builtin"}, `no built-in forecast "no-such-builtin"`},
		{[]string{"forecast", "--periods", "13"}, "--periods 13: forecast trainium-amortization has 12 periods"},
		{[]string{"forecast", "--samples", "1", "-j", "0"}, "--jobs 0"},
		{[]string{"plot", "last", "--kind", "forecast"}, "no such store"},
		{[]string{"forecast", "--shard", "2/2"}, `shard "2/2": want i/n with 0 <= i < n`},
		{[]string{"forecast", "--shard", "0/2", "--shards", "2"}, "give --shard i/n or --shards n, not both"},
		{[]string{"forecast", "--shard", "1/2", "--no-store"}, "--shard 1/2 with --no-store"},
	} {
		var out, errb bytes.Buffer
		if code := Main(tt.args, strings.NewReader(""), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("aiecon %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(tt.args, " "), code, errb.String(), exitUsage, tt.want)
		}
	}
}
