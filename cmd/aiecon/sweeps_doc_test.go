package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/study"
)

// TestSweepsDocExcerptSaysItsHorizon: docs/sweeps.md's first sweep quotes
// the line the sweep prints between its "runs done" line and the KPI
// table's caption, for the horizon its file sets (the excerpt lacked it, and
// the text put it under the table's header).
func TestSweepsDocExcerptSaysItsHorizon(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	set := regexp.MustCompile(`(?m)^set: \{horizon: (\S+)\}`).FindSubmatch(doc)
	if set == nil {
		t.Fatal("docs/sweeps.md's fleet-size.yaml no longer sets a horizon with `set: {horizon: ...}`: update the test")
	}
	horizon, err := model.ParseDuration(string(set[1]))
	if err != nil {
		t.Fatalf("docs/sweeps.md's fleet-size.yaml: horizon %s: %v", set[1], err)
	}
	line := (&study.Summary{HorizonsS: []float64{horizon.Seconds()}}).HorizonLine()
	excerpt := regexp.MustCompile(`(?m)^sweep fleet-size \(id [^)]+\) in \S+: 27 runs done in .*\n((?:.*\n)??)KPI mean `).FindSubmatch(doc)
	if excerpt == nil {
		t.Fatal("docs/sweeps.md quotes no `27 runs done` line with the KPI table's caption after it: update the test with the excerpt")
	}
	if got := strings.TrimSuffix(string(excerpt[1]), "\n"); got != line {
		t.Errorf("docs/sweeps.md quotes %q after the runs done line; the sweep prints %q", got, line)
	}
	if want := "`each run simulated " + model.Duration(horizon).String() + "` above"; !strings.Contains(string(doc), want) {
		t.Errorf("docs/sweeps.md's text does not quote the excerpt's horizon line as %s", want)
	}
}

// sweepsDoc is docs/sweeps.md's text and a folder for a test that reruns
// what it quotes, under the built-in calibration (the figures quoted are
// its).
func sweepsDoc(t *testing.T) (doc, dir string) {
	t.Helper()
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	raw, err := os.ReadFile("../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw), t.TempDir()
}

// TestSweepsDocFiguresAreCurrent: the figures docs/sweeps.md quotes from
// its first sweep and from the optimizer are what they print now. They went
// stale with a small change of cost (margin -3.922 quoted where the sweep
// gives -3.924, $90.10 for $90.06), and point 4's while the test reran
// point 0 alone (564 quoted for a TTFT p99 of 558.4). The whole sweep (27
// runs of 30 simulated minutes, about 2 s of CPU) is run and everything
// it prints from the KPI table's caption on is compared with the quote;
// the whole search (30 evaluations) is too long for a test, so each fleet
// the text quotes is searched alone (one evaluation).
func TestSweepsDocFiguresAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a sweep of 27 runs and three optimizer evaluations")
	}
	doc, dir := sweepsDoc(t)
	file := regexp.MustCompile("(?s)```yaml\n(# fleet-size.yaml.*?)```").FindStringSubmatch(doc)
	quoted := regexp.MustCompile("(?s)\\$ aiecon sweep fleet-size.yaml -j 2\n.*?\n(KPI mean .*?)```").FindStringSubmatch(doc)
	if file == nil || quoted == nil {
		t.Fatal("docs/sweeps.md quotes no fleet-size.yaml with the output of `aiecon sweep fleet-size.yaml -j 2`: update the test")
	}
	path := filepath.Join(dir, "fleet-size.yaml")
	if err := os.WriteFile(path, []byte(file[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hwRun(t, "", "sweep", path, "-q", "-j", "2", "--width", "0", "--db", filepath.Join(dir, "s.duckdb"))
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if !strings.Contains(normalSpace(out), normalSpace(quoted[1])) {
		t.Errorf("docs/sweeps.md quotes\n%s\nthe sweep prints\n%s", quoted[1], out)
	}
	margins := map[string]string{} // each fleet searched once
	for _, tt := range []struct {
		quote string // a regexp of the margin in context; spaces match any white space
		fleet []string
	}{
		{"BEST 1 x p4de.24xlarge tp 8 max_num_seqs 128: .*, margin (\\$[0-9.,]+) over 10m", []string{"p4de.24xlarge", "8"}},
		// FLEET/H, TOTAL/H, SLO with the key of its workload where one is
		// known, ABANDON, then MARGIN.
		{"\\* 1 p4de.24xlarge 8 128 \\S+ \\S+ \\S+( [a-z]+)? \\S+ (\\$[0-9.,]+) ", []string{"p4de.24xlarge", "8"}},
		{"\n 1 p5.48xlarge 8 128 \\S+ \\S+ \\S+( [a-z]+)? \\S+ (\\$[0-9.,]+) ", []string{"p5.48xlarge", "8"}},
		{"TP 8 wins with (\\$[0-9.,]+)", []string{"p5.48xlarge", "8"}},
		{"against TP 2's (\\$[0-9.,]+)", []string{"p5.48xlarge", "2"}},
	} {
		m := regexp.MustCompile(strings.ReplaceAll(tt.quote, " ", `\s+`)).FindStringSubmatch(doc)
		if m == nil {
			t.Errorf("docs/sweeps.md no longer quotes %q: update the test with the text", tt.quote)
			continue
		}
		margin := m[len(m)-1] // the last group
		if got := optimizedMargin(t, margins, filepath.Join(dir, "o.duckdb"), tt.fleet[0], tt.fleet[1]); got != margin {
			t.Errorf("docs/sweeps.md quotes %s (%q) where optimize of %s tp %s gives %s", margin, tt.quote, tt.fleet[0], tt.fleet[1], got)
		}
	}
}

// TestSweepsDocMonteCarloIsCurrent: docs/sweeps.md's Monte Carlo example
// quotes what `aiecon sweep growth-risk.yaml -j 2 -q` prints now, from the
// table's caption to its last note. It read 25/40 overloaded samples and
// a blank OVERLOADED cell for four instances where the sweep gave 27/40
// and 2/40, its grid examples checked and current beside it. The sweep is
// 80 runs of 30 simulated minutes, about 8 s of CPU.
func TestSweepsDocMonteCarloIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a Monte Carlo sweep of 80 runs")
	}
	doc, dir := sweepsDoc(t)
	file := regexp.MustCompile("(?s)```yaml\n(# Next year's traffic is uncertain.*?)```").FindStringSubmatch(doc)
	quoted := regexp.MustCompile("(?s)\\$ aiecon sweep growth-risk.yaml -j 2 -q\n.*?\n(KPI distributions .*?)```").FindStringSubmatch(doc)
	if file == nil || quoted == nil {
		t.Fatal("docs/sweeps.md quotes no growth-risk.yaml with the output of `aiecon sweep growth-risk.yaml -j 2 -q`: update the test")
	}
	path := filepath.Join(dir, "growth-risk.yaml")
	if err := os.WriteFile(path, []byte(file[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hwRun(t, "", "sweep", path, "-q", "-j", "2", "--width", "0", "--db", filepath.Join(dir, "g.duckdb"))
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if !strings.Contains(normalSpace(out), normalSpace(quoted[1])) {
		t.Errorf("docs/sweeps.md quotes\n%s\nthe sweep prints\n%s", quoted[1], out)
	}
}

// optimizedMargin is the margin optimize's BEST line gives the baseline on
// one instance type at one TP degree and max_num_seqs 128 (the docs'
// command, narrowed to one candidate), kept in margins by the fleet.
func optimizedMargin(t *testing.T, margins map[string]string, db, instance, tp string) string {
	t.Helper()
	key := instance + " " + tp
	if m, ok := margins[key]; ok {
		return m
	}
	code, out, errs := hwRun(t, "", "optimize", "baseline", "--instances", instance, "--tp", tp, "--max-num-seqs", "128", "-j", "1", "-q", "--db", db, "--width", "0")
	m := regexp.MustCompile(`(?m)^BEST .*, margin (\$[0-9.,]+) over`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("optimize %s: exit %d, no BEST margin:\n%s%s", key, code, out, errs)
	}
	margins[key] = m[1]
	return m[1]
}

// TestSweepsDocPairedFiguresAreCurrent: the worked example of --vs in
// docs/sweeps.md quotes the tables the sweep prints now, line for line,
// and its text's figures (the margins' paired differences, the pooled
// cost's) are the output's, rounded as quoted. The sweep is small (9
// runs), so it is run whole.
func TestSweepsDocPairedFiguresAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a sweep of 9 runs")
	}
	doc, dir := sweepsDoc(t)
	file := regexp.MustCompile("(?s)```yaml\n(# fleet-pair.yaml.*?)```").FindStringSubmatch(doc)
	quoted := regexp.MustCompile("(?s)\\$ aiecon sweep fleet-pair.yaml --vs 1 -q\n\\.\\.\\.\n(.*?)```").FindStringSubmatch(doc)
	if file == nil || quoted == nil {
		t.Fatal("docs/sweeps.md quotes no fleet-pair.yaml with the output of `aiecon sweep fleet-pair.yaml --vs 1 -q`: update the test")
	}
	path := filepath.Join(dir, "fleet-pair.yaml")
	if err := os.WriteFile(path, []byte(file[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "p.duckdb")
	code, out, errs := hwRun(t, "", "sweep", path, "--vs", "1", "-q", "-j", "1", "--db", db)
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if !strings.Contains(normalSpace(out), normalSpace(quoted[1])) {
		t.Errorf("docs/sweeps.md quotes\n%s\nthe sweep prints\n%s", quoted[1], out)
	}
	sum := pairedJSON(t, "sweep", "--show", "last", "--vs", "1", "--format", "json", "--db", db)
	// diff quotes paired point i's difference in kpi, sign times its mean
	// (the text says "more" of both: the third instance's is point 0's
	// difference from point 1 negated).
	diff := func(i int, kpi string, sign float64, f string) string {
		d := sum.Paired.Points[i].KPIs[kpi]
		return fmt.Sprintf(f, sign*d.Mean, d.CIHigh-d.Mean)
	}
	cost := func(pt int) float64 { return sum.Points[pt].KPIs["cost_per_mtok_usd"].Mean }
	// The same sweep crediting a quarter of the orders (value.incremental
	// 0.25), which the text quotes beside the gross margins' conclusion.
	incremental := pairedJSON(t, "sweep", path, "--vs", "1", "-q", "-j", "1", "--format", "json", "--db", filepath.Join(dir, "i.duckdb"),
		"--set", "workloads[shopping-assistant].agent.value.incremental=0.25")
	incr := func(i int, sign float64, f string) string {
		d := incremental.Paired.Points[i].KPIs["margin_usd"]
		return fmt.Sprintf(f, sign*d.Mean, d.CIHigh-d.Mean)
	}
	for _, want := range []string{
		diff(1, "margin_usd", 1, "the fourth instance earns $%.2f ± %.2f more"),
		diff(0, "margin_usd", -1, "the third $%.2f ± %.2f more than two"),
		fmt.Sprintf("(`cost_per_mtok_usd`: %.3f paired, %.3f − %.3f = %.3f pooled)",
			sum.Paired.Points[1].KPIs["cost_per_mtok_usd"].Mean, cost(2), cost(1), cost(2)-cost(1)),
		incr(1, -1, "the fourth instance loses $%.2f ± %.2f") + incr(0, 1, " and the third $%.2f ± %.2f against two"),
	} {
		if !strings.Contains(normalSpace(doc), normalSpace(want)) {
			t.Errorf("docs/sweeps.md does not say %q, which the sweep's figures give", want)
		}
	}
}

// pairedSummary is what the doc tests read of a sweep's JSON summary
// with --vs: each point's KPI means, and each paired point's differences.
type pairedSummary struct {
	Points []struct {
		KPIs map[string]struct {
			Mean float64 `json:"mean"`
		} `json:"kpis"`
	} `json:"points"`
	Paired struct {
		Points []struct {
			KPIs map[string]struct {
				Mean   float64 `json:"mean"`
				CIHigh float64 `json:"ci_high"`
			} `json:"kpis"`
		} `json:"points"`
	} `json:"paired"`
}

// pairedJSON runs aiecon with args, which print a sweep's summary as JSON.
func pairedJSON(t *testing.T, args ...string) pairedSummary {
	t.Helper()
	code, js, errs := hwRun(t, "", args...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	var sum pairedSummary
	if err := json.Unmarshal([]byte(js), &sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// normalSpace collapses every run of white space to one space.
func normalSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestSweepsDocNearTargetIsCurrent: docs/sweeps.md's NEAR THE TARGET
// example quotes the search of inferentia-small on g5.xlarge at three
// replications (the best fleet, its attainment and interval) and at one
// (the best, its margin over the target). It said three replications
// answer 8 x g5.xlarge at 99.34% long after the search answered 7.
func TestSweepsDocNearTargetIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two fleet searches (about 25 evaluations)")
	}
	doc, dir := sweepsDoc(t)
	doc = normalSpace(doc)
	three := regexp.MustCompile(`--replications 3\x60: its best, (\d+) x g5\.xlarge, read ([0-9.]+)% against 99%, its interval ([0-9.]+%) to ([0-9.]+%)\)`).FindStringSubmatch(doc)
	one := regexp.MustCompile(`on one replication the same search answers (\d+) x g5\.xlarge too, ([0-9.]+)% at seed 1, ([0-9.]+) points over`).FindStringSubmatch(doc)
	if three == nil || one == nil {
		t.Fatal("docs/sweeps.md no longer quotes the NEAR THE TARGET example as the test reads it: update the test with the text")
	}
	near := regexp.MustCompile(`NEAR THE TARGET: (\d+) x g5\.xlarge tp 1 max_num_seqs \d+ meets 99\.0% by ([0-9.]+) points on (\d+) replications? of 10m(?:, inside its 95% interval \(([0-9.]+%) to ([0-9.]+%)\))?`)
	for _, tt := range []struct {
		replications string
		quote        []string // best count, attainment, then the interval's ends or the points over
	}{{"3", three[1:]}, {"1", one[1:]}} {
		code, out, errs := hwRun(t, "", "optimize", "inferentia-small", "--instances", "g5.xlarge", "--replications", tt.replications,
			"-q", "--width", "0", "--db", filepath.Join(dir, "n"+tt.replications+".duckdb"))
		m := near.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("optimize --replications %s: exit %d, no NEAR THE TARGET note:\n%s%s", tt.replications, code, out, errs)
		}
		by, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{m[1], fmt.Sprintf("%.2f", 99+by), m[4], m[5]}
		if tt.replications == "1" {
			got = []string{m[1], fmt.Sprintf("%.2f", 99+by), m[2]}
		}
		if !slices.Equal(got, tt.quote) {
			t.Errorf("--replications %s: docs/sweeps.md quotes %v, the search gives %v:\n%s", tt.replications, tt.quote, got, out)
		}
	}
}

// TestSweepsDocOptimizeExamplesAreCurrent: the searches docs/sweeps.md
// quotes in its account of optimize (session abandonment, the bound, the
// extrapolation of rejected candidates) give what it says. They went
// stale as the model moved: the extrapolation example's search came to
// pick trn2.48xlarge, so the warning it quoted was no longer printed, and
// the bound's example ran 9 evaluations where the text said 15. Each
// search is a few seconds of CPU.
func TestSweepsDocOptimizeExamplesAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three fleet searches (17 evaluations)")
	}
	raw, dir := sweepsDoc(t)
	doc := normalSpace(raw)
	search := func(name string, args ...string) string {
		t.Helper()
		args = append([]string{"optimize"}, append(args, "-q", "-j", "2", "--width", "0", "--db", filepath.Join(dir, name+".duckdb"))...)
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	quoted := func(re string) []string {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(doc)
		if m == nil {
			t.Fatalf("docs/sweeps.md no longer says %q: update the test with the text", re)
		}
		return m[1:]
	}
	same := func(what string, quote, got []string) {
		t.Helper()
		if !slices.Equal(quote, got) {
			t.Errorf("%s: docs/sweeps.md quotes %q, the search gives %q", what, quote, got)
		}
	}
	// A fleet meeting every SLO while its users abandon sessions.
	out := search("abandon", "baseline", "--instances", "trn2.48xlarge", "--tp", "32", "--horizon", "5m")
	best := regexp.MustCompile(`(?m)^BEST +(\d+) x trn2\.48xlarge tp 32 max_num_seqs (\d+): .*, SLO attainment ([0-9.]+)%, session abandonment ([0-9.]+)%`).FindStringSubmatch(out)
	if best == nil {
		t.Fatalf("no BEST line with a session abandonment:\n%s", out)
	}
	four := runKPIs(t, []string{"baseline", "--set", "fleet.count=4", "--horizon", "5m"})[kpi.SessionAbandonRate]
	same("session abandonment",
		quoted("baseline on `--instances trn2.48xlarge --tp 32 --horizon 5m`: (\\d+) instances at max_num_seqs (\\d+) met ([0-9.]+)% while abandoning ([0-9.]+)% of the shopping-assistant sessions, against ([0-9.]+)% at 4, `aiecon run --set fleet.count=4 --horizon 5m`"),
		[]string{best[1], best[2], strings.TrimSuffix(best[3], ".0"), best[4], tenthPct(four)})
	// The bound: the dearer type meets the target on one instance, and
	// two of the cheaper cost more.
	out = search("bound", "../../study/optimize/testdata/acme.yaml", "--instances", "trn2.48xlarge,p5en.48xlarge", "--tp", "32,8")
	best = regexp.MustCompile(`(?m)^BEST +1 x p5en\.48xlarge tp 8 max_num_seqs \d+: (\$[0-9.]+)/h`).FindStringSubmatch(out)
	evals := regexp.MustCompile(`; (\d+) evaluations in (\d+) rounds?,`).FindStringSubmatch(out)
	price := regexp.MustCompile(`(?m)^  trn2\.48xlarge +\$([0-9.]+) +catalog`).FindStringSubmatch(out)
	var shares []float64
	for _, m := range regexp.MustCompile(`(?m)^  trn2\.48xlarge .* misses the target up to 1 instance \((?:lowest )?SLO attainment ([0-9.]+)% there\); more would cost more than the best$`).FindAllStringSubmatch(out, -1) {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		shares = append(shares, v)
	}
	if best == nil || evals == nil || price == nil || len(shares) != 6 {
		t.Fatalf("not 1 x p5en.48xlarge best and six trn2.48xlarge candidates stopped at 1 instance by the bound:\n%s", out)
	}
	each, err := strconv.ParseFloat(price[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	same("the bound",
		quoted("1 x p5en.48xlarge meets the target at (\\$[0-9.]+)/h, and each of the six trn2.48xlarge candidates misses it on 1 instance \\(([0-9.]+)% to ([0-9.]+)% SLO attainment\\) and stops there, since 2 would cost (\\$[0-9.]+)/h, more than the best: (\\d+) evaluations in (\\d+) rounds?,"),
		[]string{best[1], fmt.Sprintf("%.1f", slices.Min(shares)), fmt.Sprintf("%.1f", slices.Max(shares)), fmtUSD(2 * each), evals[1], evals[2]})
	// A rejected candidate's extrapolation: its warning, quoted whole, and
	// the attainment it missed on.
	out = search("extrap", "baseline", "--instances", "trn2.48xlarge,p5.48xlarge", "--tp", "8", "--max-num-seqs", "16", "--horizon", "1m")
	warning := quoted("Baseline on `--instances trn2.48xlarge,p5.48xlarge --tp 8 --max-num-seqs 16 --horizon 1m`: \"(STEP TIMES EXTRAPOLATED for candidates rejected .*? rests partly on extrapolation)\"")
	if !strings.Contains(normalSpace(out), warning[0]) {
		t.Errorf("docs/sweeps.md quotes %q; the search prints\n%s", warning[0], out)
	}
	missed := regexp.MustCompile(`(?m)^  trn2\.48xlarge +8 +16 .* misses the target up to 1 instance \((?:lowest )?SLO attainment ([0-9.]+)% there\)`).FindStringSubmatch(out)
	if missed == nil {
		t.Fatalf("trn2.48xlarge at TP 8 did not miss the target on 1 instance:\n%s", out)
	}
	same("the rejected candidate", quoted("so trn2's miss there \\(([0-9.]+)% SLO attainment on 1 instance\\)"), missed[1:])
}
