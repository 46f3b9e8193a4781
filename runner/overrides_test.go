package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
)

// TestSetWithVariants: a --set of a field a variant sets would make every
// variant identical in it, so it is refused, naming the variant; with
// --variant it applies after the variant; other --set apply to every variant.
func TestSetWithVariants(t *testing.T) {
	tests := []struct {
		sets    []string
		only    string
		refused string // "" = loads
		want    []string
	}{
		{[]string{"fleet.instance=p5.48xlarge"}, "", "variant trn2 sets (fleet.instance=trn2.48xlarge)", nil},
		{[]string{"fleet.count=6"}, "", "which variant p5 sets (fleet.count=1)", nil},
		{[]string{"fleet.count=6"}, "p5", "", []string{`{"fleet.instance":"p5.48xlarge","fleet.pricing":"on-demand","fleet.count":6,` +
			`"fleet.replica.tp":8,"fleet.replica.scheduler":"vllm","fleet.replica.max_num_seqs":128,"fleet.replica.max_batched_tokens":8192}`}},
		{[]string{"workloads[chat].arrivals.rate=3/s"}, "", "", []string{
			`{"fleet.instance":"trn2.48xlarge","fleet.pricing":"capacity-block","workloads[chat].arrivals.rate":"3/s"}`,
			`{"fleet.instance":"p5.48xlarge","fleet.pricing":"on-demand","fleet.count":1,"fleet.replica.tp":8,"fleet.replica.scheduler":"vllm",` +
				`"fleet.replica.max_num_seqs":128,"fleet.replica.max_batched_tokens":8192,"workloads[chat].arrivals.rate":"3/s"}`}},
	}
	for _, tt := range tests {
		ls, err := LoadVariants("gpu-vs-trainium", tt.sets, tt.only)
		if tt.refused != "" {
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.refused) || !strings.Contains(err.Error(), "--variant") {
				t.Errorf("%v: err %v, want an input error with %q and a way out", tt.sets, err, tt.refused)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v %q: %v", tt.sets, tt.only, err)
		}
		if len(ls) != len(tt.want) {
			t.Fatalf("%v: %d runs, want %d", tt.sets, len(ls), len(tt.want))
		}
		for i, l := range ls {
			if got := l.Overrides.JSON(); got != tt.want[i] {
				t.Errorf("%s overrides\n got %s\nwant %s", l.Scenario.Name, got, tt.want[i])
			}
		}
		if tt.only == "p5" && ls[0].Scenario.Fleet.Count != 6 {
			t.Errorf("--variant p5 --set fleet.count=6 runs %d instances", ls[0].Scenario.Fleet.Count)
		}
	}
}

// TestRunRecordsOverrides: two runs of one scenario with different --set are
// stored under different names, each with its overrides as params_json.
func TestRunRecordsOverrides(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	store, err := data.Open(filepath.Join(t.TempDir(), "s.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, tt := range []struct {
		sets       []string
		name, json string
	}{
		{nil, "inferentia-small", ""},
		{[]string{"horizon=1m", "fleet.count=3"}, "inferentia-small [horizon=1m fleet.count=3]", `{"horizon":"1m","fleet.count":3}`},
	} {
		l, err := Load("inferentia-small", tt.sets)
		if err != nil {
			t.Fatal(err)
		}
		l.Scenario.Horizon = 60e9 // keep the run short without an override
		out, err := Run(context.Background(), l, Options{Store: store})
		if err != nil {
			t.Fatal(err)
		}
		d, err := store.Run(context.Background(), out.RunID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Run.Name != tt.name || d.Run.ParamsJSON != tt.json {
			t.Errorf("%v: stored as %q with params %q, want %q and %q", tt.sets, d.Run.Name, d.Run.ParamsJSON, tt.name, tt.json)
		}
	}
}

func TestSamePath(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"fleet.count", "fleet.count", true},
		{"fleet.replica", "fleet.replica.tp", true},
		{"workloads[chat]", "workloads[chat].arrivals.rate", true},
		{"fleet.count", "fleet.counter", false},
		{"fleet.replica.tp", "fleet.pricing", false},
	} {
		if got := samePath(tt.a, tt.b); got != tt.want {
			t.Errorf("samePath(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// TestEscapedControlCharacterWithOverrides: a name holding an escaped ESC
// is reported at its own line and column with or without overrides; with
// --horizon the merge wrote the ESC raw and the merged text was refused at
// its line 1 as a control character in YAML text, "before --set:".
func TestEscapedControlCharacterWithOverrides(t *testing.T) {
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	src := []byte(strings.Replace(string(base), "\nname: baseline\n", "\nname: \"evil\\e[31mred\"\n", 1))
	line := strings.Count(string(src[:strings.Index(string(src), "name: \"evil")]), "\n") + 1
	want := fmt.Sprintf("ansi.yaml:%d:7: name: \"evil\\x1b[31mred\" holds the invisible character U+001B", line)
	for _, sets := range [][]string{nil, {"horizon=1m"}, {"seed=3", "horizon=1m"}} {
		_, err := LoadSource("ansi.yaml", src, "", sets)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("sets %v: got %v, want %q", sets, err, want)
		}
	}
}

// TestEffectiveOverrides: an override a later one replaces (the same path,
// or a field inside a later one's) is left out; the rest keep their order.
func TestEffectiveOverrides(t *testing.T) {
	ovs := Overrides{{Path: "fleet.pricing", Value: "on-demand"}, {Path: "fleet.replica.tp", Value: "8"}, {Path: "fleet.count", Value: "2"},
		{Path: "fleet.replica", Value: "{tp: 4}"}, {Path: "fleet.pricing", Value: "spot"}, {Path: "fleet.counts", Value: "1"}}
	if got, want := ovs.Effective().String(), "fleet.count=2 fleet.replica={tp: 4} fleet.pricing=spot fleet.counts=1"; got != want {
		t.Errorf("Effective() = %q, want %q", got, want)
	}
}

// withVariants is the baseline scenario with the variants given (YAML
// list items), written to a file LoadVariants can read.
func withVariants(t *testing.T, variants string) string {
	t.Helper()
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v.yaml")
	if err := os.WriteFile(path, append(base, []byte("variants:\n"+variants)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestVariantClashByIndex: a --set of a field a variant sets is refused
// however either names the list element (by name or by index), and when
// it holds or lies in that field; workloads[0].arrivals.rate slipped past
// a variant's workloads[chat].arrivals.rate, and both variants ran 3/s.
func TestVariantClashByIndex(t *testing.T) {
	path := withVariants(t, "  - name: low\n    set:\n      workloads[chat].arrivals.rate: 1/s\n"+
		"  - name: high\n    set:\n      workloads[0].prompt_tokens: 900\n")
	for _, tt := range []struct {
		set, refused string // refused "" = loads
	}{
		{"workloads[chat].arrivals.rate=3/s", "which variant low sets"},
		{"workloads[0].arrivals.rate=3/s", "which variant low sets"},
		{"workloads[00].arrivals.rate=3/s", "which variant low sets"},
		{"workloads[chat].prompt_tokens=700", "which variant high sets"},
		{"workloads[0].arrivals=null", "which variant low sets"},
		{"workloads[1].arrivals.rate=3/s", ""},
		{"workloads[shopping-assistant].prompt_tokens=70", ""},
	} {
		ls, err := LoadVariants(path, []string{"horizon=1m", tt.set}, "")
		if tt.refused == "" {
			if err != nil || len(ls) != 2 {
				t.Errorf("--set %s: %d variants, %v", tt.set, len(ls), err)
			}
			continue
		}
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.refused) || !strings.Contains(err.Error(), "--set "+tt.set) {
			t.Errorf("--set %s: %v, want an input error naming it and %q", tt.set, err, tt.refused)
		}
	}
	// One variant: the --set applies after it, by index as by name.
	ls, err := LoadVariants(path, []string{"horizon=1m", "workloads[0].arrivals.rate=3/s"}, "low")
	if err != nil || len(ls) != 1 || ls[0].Scenario.Workloads[0].Arrivals.Rate != 3 {
		t.Errorf("--variant low --set workloads[0].arrivals.rate=3/s: %v", err)
	}
}

// TestNullSwitchesOptionalBlockOff: ads, retrieval and the like, off by
// default, are switched off by null in a --set or a variant's set, the
// "with or without" comparison; they were refused as "a block of fields".
// Another value for a block is still refused, naming the variant.
func TestNullSwitchesOptionalBlockOff(t *testing.T) {
	l, err := Load("baseline", []string{"ads=null", "workloads[shopping-assistant].agent.retrieval=~"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Scenario.Ads != nil || l.Scenario.Workloads[1].Agent.Retrieval != nil {
		t.Errorf("ads %+v, retrieval %+v: want both off", l.Scenario.Ads, l.Scenario.Workloads[1].Agent.Retrieval)
	}
	if _, err := Load("baseline", []string{"ads=3"}); err == nil || !strings.Contains(err.Error(), "ads=null to remove the block") {
		t.Errorf("--set ads=3: %v, want refused with the way to remove it", err)
	}
	ls, err := LoadVariants(withVariants(t, "  - {name: noads, set: {ads: null}}\n  - {name: with, set: {seed: 2}}\n"), []string{"horizon=1m"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].Scenario.Ads != nil || ls[1].Scenario.Ads == nil {
		t.Errorf("variants noads and with: want ads off in the first only")
	}
}

// TestVariantBlockRefusal: a variant's set that gives a block a value
// (ads: 3) or names a whole block or list is refused at the set's line,
// naming the variant and saying how its set writes a field; it was told
// "--set sets one field" (nobody typed a --set), with no line.
func TestVariantBlockRefusal(t *testing.T) {
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(base), "\n") + 3 // the second variant's
	for _, tt := range []struct{ set, want string }{
		{"{ads: 3}", fmt.Sprintf("v.yaml:%d:24: variants[1].set: ads: ads is a block of fields, and variant noads's set sets one field per entry, "+
			"not a whole block; set one of its fields, as ads.FIELD: VALUE, or ads: null to remove the block", line)},
		{"{fleet: 3}", "variants[1].set: fleet: fleet is a block of fields, and variant noads's set sets one field per entry, not a whole block; " +
			"set one of its fields, as fleet.FIELD: VALUE (fields: "},
		{"{workloads: []}", "variants[1].set: workloads: workloads is a list, and variant noads's set sets one field per entry, " +
			"not a whole list or block; set a field of an element, as workloads[NAME].FIELD: VALUE or workloads[0].FIELD: VALUE"},
	} {
		path := withVariants(t, "  - {name: with, set: {seed: 2}}\n  - {name: noads, set: "+tt.set+"}\n")
		for _, only := range []string{"", "with"} {
			_, err := LoadVariants(path, nil, only)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "--set") {
				t.Errorf("variant set %s (--variant %q): %v\nwant it to contain %q, and no --set", tt.set, only, err, tt.want)
			}
		}
	}
}

// TestTabsSurviveOverrides: any --set re-wrote the scenario with tabs raw,
// read back without them: a name with a tab, refused, became "ab" and ran;
// a description, a variant's included, lost its tabs; and the resolved
// scenario a run stores did not read back as it was.
func TestTabsSurviveOverrides(t *testing.T) {
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	named := []byte(strings.Replace(string(base), "\nname: baseline\n", "\nname: \"a\\tb\"\n", 1))
	for _, sets := range [][]string{nil, {"seed=2"}, {"horizon=1m", "fleet.count=2"}} {
		if _, err := LoadSource("tab.yaml", named, "", sets); err == nil || !strings.Contains(err.Error(), "U+0009") {
			t.Errorf("sets %v: %v, want the tab in the name refused", sets, err)
		}
	}
	described := regexp.MustCompile(`(?m)^description: .*$`).ReplaceAll(base, []byte(`description: "col1\tcol2"`))
	l, err := LoadSource("d.yaml", described, "", []string{"horizon=1m"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Scenario.Description != "col1\tcol2" {
		t.Errorf("description after --set: %q", l.Scenario.Description)
	}
	back, _, err := model.Parse("resolved", l.Resolved)
	if err != nil || back.Description != "col1\tcol2" {
		t.Errorf("resolved scenario reads back with description %q (%v)", back.Description, err)
	}
	_, err = LoadVariants(withVariants(t, "  - name: a\n    set:\n      workloads[chat].name: \"c\\td\"\n"), nil, "")
	if err == nil || !strings.Contains(err.Error(), "U+0009") {
		t.Errorf("a variant naming a workload with a tab: %v, want it refused", err)
	}
	ls, err := LoadVariants(withVariants(t, "  - {name: a, description: \"v\\tw\", set: {seed: 3}}\n"), nil, "")
	if err != nil || ls[0].Scenario.Description != "v\tw" {
		t.Errorf("variant description: %v", err)
	}
}

// TestFlagOverrideNamesTheFlag: an error an override from a command's own
// flag causes names the flag as typed (--horizon 5s), not a --set nobody
// typed, in a variant's load, in the variant clash and where the base
// alone loads; the run records it as any other override.
func TestFlagOverrideNamesTheFlag(t *testing.T) {
	horizon := []model.Override{FlagOverride("--horizon", "horizon", "5s")}
	for _, only := range []string{"", "weekly"} { // retrain-weekly's window is 10m
		_, err := LoadVariantsWith("retrain-weekly", nil, horizon, only)
		if err == nil || !strings.Contains(err.Error(), "variant weekly: --horizon 5s: window: 10m is longer than the horizon 5s") ||
			strings.Contains(err.Error(), "--set horizon") {
			t.Errorf("retrain-weekly --variant %q --horizon 5s: %v", only, err)
		}
	}
	path := withVariants(t, "  - {name: big, set: {fleet.count: 6}}\n  - {name: seeded, set: {seed: 2}}\n")
	_, err := LoadVariantsWith(path, nil, []model.Override{FlagOverride("--seed", "seed", "7")}, "")
	if err == nil || !strings.Contains(err.Error(), "--seed 7 changes seed, which variant seeded sets (seed=2): ") ||
		!strings.Contains(err.Error(), "Run one variant with --variant seeded --seed 7, or drop the --seed") {
		t.Errorf("--seed 7 against a variant's seed: %v", err)
	}
	src, err := model.Builtin("inferentia-small") // no variants: the base alone loads
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(base, []byte(strings.Replace(string(src), "\nhorizon: 1h\n", "\nhorizon: 1h\nwindow: 1m\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadVariantsWith(base, nil, horizon, ""); err == nil || !strings.Contains(err.Error(), "--horizon 5s: window: 1m is longer") {
		t.Errorf("w.yaml --horizon 5s: %v", err)
	}
	ls, err := LoadVariantsWith("baseline", []string{"seed=3"}, []model.Override{FlagOverride("--horizon", "horizon", "2m")}, "")
	if err != nil || len(ls) != 1 || ls[0].Scenario.Horizon != 2*model.Minute || ls[0].User.String() != "seed=3 horizon=2m" {
		t.Errorf("baseline --set seed=3 --horizon 2m: %v", err)
	}
}

// TestParamsJSONKeepsTheTextGiven: params_json writes a number or
// true/false as JSON (as a sweep point does) and anything else as a string
// of its text, and either way data.ParseParams reads back the text as
// given, which show rebuilds the stored run's overrides from: a quoted "2"
// stays a string, a value with white space around it is not retyped, and
// null stays text.
func TestParamsJSONKeepsTheTextGiven(t *testing.T) {
	for _, tt := range []struct{ text, stored string }{
		{"2", `2`},
		{"-0.5", `-0.5`},
		{"1e3", `1e3`},
		{"false", `false`},
		{"30m", `"30m"`},
		{"3/s", `"3/s"`},
		{"on-demand", `"on-demand"`},
		{`"2"`, `"\"2\""`},
		{"2\t", `"2\t"`},
		{" 2", `" 2"`},
		{"007", `"007"`},
		{"2.", `"2."`},
		{"True", `"True"`},
		{"null", `"null"`},
		{"[1, 2]", `"[1, 2]"`},
		{"", `""`},
	} {
		js := Overrides{{Path: "p", Value: tt.text}}.JSON()
		if want := `{"p":` + tt.stored + `}`; js != want {
			t.Errorf("%q stored as %s, want %s", tt.text, js, want)
		}
		ps, err := data.ParseParams(js)
		if err != nil || len(ps) != 1 || ps[0].Value != tt.text {
			t.Errorf("%q read back as %+v (%v)", tt.text, ps, err)
		}
	}
}
