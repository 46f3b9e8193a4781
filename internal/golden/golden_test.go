package golden

import (
	"bufio"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

var update = flag.Bool("update", false, "rewrite testdata/digests.txt with the digests computed now")

const digestFile = "testdata/digests.txt"

// isolate points the calibration profile directory at an empty folder, so
// every run uses the built-in profile whatever this machine has calibrated.
func isolate(t *testing.T) {
	t.Helper()
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
}

// digester hashes values as fmt's %+v renders them: field names and values,
// floats in the shortest form that round-trips (so every bit counts), NaN
// included, maps in key order. Values must hold no pointers.
type digester struct{ h hash.Hash }

func newDigester() *digester { return &digester{sha256.New()} }

func (d *digester) add(t *testing.T, label string, v any) {
	t.Helper()
	t.Helper()
	fmt.Fprintf(d.h, "%s\n%+v\n", label, v)
}

func (d *digester) sum() string { return fmt.Sprintf("%x", d.h.Sum(nil)) }

// kpiLines renders KPIs independently of how the KPI type is declared.
func kpiLines(ks []sim.KPI) []string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, fmt.Sprintf("%s|%s|%.17g|%s", k.Name, k.Scope, k.Value, k.Unit))
	}
	sort.Strings(out)
	return out
}

// runBuiltins simulates every built-in scenario and variant with the
// built-in calibration and hands each one's records and result to f.
func runBuiltins(t *testing.T, f func(l *runner.Loaded, sink *sim.MemorySink, res *sim.Result)) {
	t.Helper()
	for _, name := range model.BuiltinNames() {
		ls, err := runner.LoadVariants(name, nil, "")
		if err != nil {
			t.Fatalf("loading %s: %v", name, err)
		}
		for _, l := range ls {
			cal, err := runner.LoadCalibration(l.Scenario)
			if err != nil {
				t.Fatal(err)
			}
			sink := &sim.MemorySink{}
			w, err := sim.New(sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, Sink: sink, TraceDir: l.TraceDir})
			if err != nil {
				t.Fatalf("%s: %v", l.Scenario.Name, err)
			}
			res, err := w.Run(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", l.Scenario.Name, err)
			}
			f(l, sink, res)
		}
	}
}

func scenarioDigests(t *testing.T) map[string]string {
	got := map[string]string{}
	runBuiltins(t, func(l *runner.Loaded, sink *sim.MemorySink, res *sim.Result) {
		d := newDigester()
		d.add(t, "resolved", string(l.Resolved))
		d.add(t, "meta", sink.Meta)
		d.add(t, "requests", sink.Reqs)
		d.add(t, "sessions", sink.Sess)
		d.add(t, "auctions", sink.Auct)
		d.add(t, "windows", sink.Wins)
		d.add(t, "summary", sink.Summary)
		d.add(t, "kpis", kpiLines(res.KPIs))
		d.add(t, "replicas", res.Replicas)
		d.add(t, "events", res.Events)
		got["scenario "+l.Scenario.Name] = d.sum()
	})
	return got
}

// sweepSpec varies fleet size and chat traffic of the baseline over two
// replications: it covers the plan (points, seeds, overrides), the store and
// the summary's statistics.
const sweepSpec = `name: golden-sweep
base: baseline
set:
  horizon: 5m
parameters:
  fleet.count: [3, 5]
  workloads[chat].arrivals.rate: [1/s, 3/s]
replications: 2
kpis: [cost_per_mtok_usd, ttft_p99_s, slo_attainment, margin_usd]
`

func sweepDigest(t *testing.T) string {
	sp, err := study.ParseSpec("golden-sweep.yaml", []byte(sweepSpec), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := study.NewPlan(sp)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := data.Open(filepath.Join(t.TempDir(), "golden.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	id := plan.DerivedID()
	if _, err := study.Register(ctx, store, plan, id); err != nil {
		t.Fatal(err)
	}
	if _, err := study.Execute(ctx, plan, study.Options{Store: store, SweepID: id, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	sum, err := study.Summarize(ctx, store, id, plan, study.ShardSpec{})
	if err != nil {
		t.Fatal(err)
	}
	d := newDigester()
	d.add(t, "id", id)
	d.add(t, "kpis", sum.KPIs)
	d.add(t, "units", sum.Units)
	d.add(t, "points", sum.Points)
	d.add(t, "runs", sum.Runs)
	return d.sum()
}

func validateDigest(t *testing.T) string {
	rep, err := runner.Validate(context.Background(), hw.PublishedServingPoints())
	if err != nil {
		t.Fatal(err)
	}
	d := newDigester()
	d.add(t, "report", rep)
	return d.sum()
}

func readDigests(t *testing.T) map[string]string {
	f, err := os.Open(digestFile)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/golden -update to create it)", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			t.Fatalf("%s: malformed line %q", digestFile, line)
		}
		m[line[:i]] = line[i+1:]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeDigests(t *testing.T, m map[string]string) {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# SHA-256 digests of what aiecon computes; see doc.go. Regenerate with\n# go test ./internal/golden -update, and say why in the commit.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %s\n", k, m[k])
	}
	if err := os.WriteFile(digestFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenDigests fails when any built-in scenario, the sweep or the
// validation report computes anything different from the committed digests.
func TestGoldenDigests(t *testing.T) {
	if testing.Short() {
		t.Skip("golden digests run every built-in scenario")
	}
	isolate(t)
	got := scenarioDigests(t)
	got["sweep golden-sweep"] = sweepDigest(t)
	got["validate published-points"] = validateDigest(t)
	if *update {
		writeDigests(t, got)
		return
	}
	want := readDigests(t)
	for k, v := range got {
		w, ok := want[k]
		switch {
		case !ok:
			t.Errorf("%s: no committed digest (new? run with -update)", k)
		case w != v:
			t.Errorf("%s: digest %s, committed %s: its results changed", k, v[:12], w[:12])
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s: committed digest but nothing computed it now", k)
		}
	}
}
