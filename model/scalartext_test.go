package model

import (
	"strings"
	"testing"
)

// TestQuotedScalarsDecoded: a quoted duration, rate or name is read as YAML
// reads it, a double-quoted one's escapes decoded and a single-quoted one's
// doubled quote read as one. The quotes alone were stripped, so --set
// 'horizon="1m\t"' reported bad duration "1m\\t", a backslash the user never typed.
func TestQuotedScalarsDecoded(t *testing.T) {
	src, err := Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, value string
		check       func(*Scenario) string // the value read, printed
		want, err   string
	}{
		{path: "horizon", value: `"\x31m"`, check: func(sc *Scenario) string { return sc.Horizon.String() }, want: "1m"},
		{path: "horizon", value: `"1m\t"`, check: func(sc *Scenario) string { return sc.Horizon.String() }, want: "1m"},
		{path: "horizon", value: `'1m'`, check: func(sc *Scenario) string { return sc.Horizon.String() }, want: "1m"},
		{path: "horizon", value: `"1m\tx"`, err: `bad duration "1m\tx"`},
		{path: "horizon", value: "\"1m\tx\"", err: `bad duration "1m\tx"`}, // a tab typed, as $'...' gives it
		{path: "horizon", value: `"1m\u00e9"`, err: `bad duration "1mé"`},
		{path: "horizon", value: `'1m''x'`, err: `bad duration "1m'x"`},
		{path: "workloads[chat].arrivals.rate", value: `"\x35/s"`, check: func(sc *Scenario) string { return sc.Workloads[0].Arrivals.Rate.String() }, want: "5/s"},
		{path: "workloads[chat].arrivals.rate", value: `"5/\u00b5"`, err: `bad rate unit in "5/µ"`},
		{path: "model", value: `'it''s'`, check: func(sc *Scenario) string { return sc.Model.Name }, want: "it's"},
		{path: "model", value: `"a\x41"`, check: func(sc *Scenario) string { return sc.Model.Name }, want: "aA"},
	} {
		t.Run(tt.path+"="+tt.value, func(t *testing.T) {
			out, err := ApplyOverrides(src, []Override{{Path: tt.path, Value: tt.value}})
			if err != nil {
				t.Fatal(err)
			}
			sc, _, err := Parse("s.yaml", out)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v; want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.check(sc); got != tt.want {
				t.Errorf("read %q, want %q", got, tt.want)
			}
		})
	}
}
