package model

import (
	"fmt"
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

// TestTaggedScalarsRead: a duration, a rate, a distribution's number or a
// model name with a scalar tag before it (and an anchor, in either order)
// reads as the value, in block and flow style: the tag was kept in the
// text, so horizon: !!str 20s was refused as bad duration "!!str 20s" and
// model: !!str llama-3.3-70b named a model "!!str llama-3.3-70b".
func TestTaggedScalarsRead(t *testing.T) {
	read := func(sc *Scenario) string {
		return fmt.Sprintf("horizon %v window %v rate %v ttft %v model %s output %v",
			sc.Horizon, sc.Window, sc.Workloads[0].Arrivals.Rate, sc.Workloads[0].SLO.TTFT, sc.Model.Name, sc.Workloads[0].OutputTokens.Value)
	}
	plain := strings.Replace(validScenario, "name: t\n", "name: t\nhorizon: 20s\nwindow: 5s\n", 1)
	plain = strings.Replace(plain, "    output_tokens: 250\n", "    output_tokens: 250\n    slo:\n      ttft: 1s\n", 1)
	want, _, err := Parse("s.yaml", []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to string }{
		{"horizon: 20s", "horizon: !!str 20s"},
		{"horizon: 20s", `horizon: !!str "20s"`},
		{"horizon: 20s", "horizon: &h !!str 20s"},
		{"horizon: 20s", "horizon: !!str &h 20s"},
		{"window: 5s", "window: !!str 5s"},
		{"      ttft: 1s", "      ttft: !!str 1s"},
		{"{rate: 10/s}", "{rate: !!str 10/s}"},
		{"{rate: 10/s}", "\n      rate: !!str 10/s"},
		{"model: llama-3.3-70b", "model: !!str llama-3.3-70b"},
		{"output_tokens: 250", "output_tokens: !!str 250"},
	} {
		t.Run(tc.to, func(t *testing.T) {
			src := strings.Replace(plain, tc.from, tc.to, 1)
			sc, _, err := Parse("s.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got := read(sc); got != read(want) {
				t.Errorf("read %s, want %s", got, read(want))
			}
		})
	}
}

// TestTaggedScalarErrorNamesField: a bad value after an anchor and a tag is
// refused naming its field and its own text (it was "s.yaml:2:13: bad
// duration "!!str 2x"", no field).
func TestTaggedScalarErrorNamesField(t *testing.T) {
	src := strings.Replace(validScenario, "name: t\n", "name: t\nhorizon: &h !!str 2x\n", 1)
	_, _, err := Parse("s.yaml", []byte(src))
	if want := `s.yaml:2:13: horizon: bad duration "2x"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
