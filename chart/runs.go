package chart

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// run is what a chart knows of one stored run.
type run struct {
	id, label  string // label: "<short id> <name>", the run in titles
	short      string // the shortest id prefix that tells the chart's runs apart
	name       string
	scenario   string
	status     string
	horizonNs  int64
	simNs      int64
	seed       uint64
	sampleRate float64 // share of requests stored
	sampled    bool
	stored     int64 // request rows stored
	kpis       map[string]float64
}

// loadRuns reads the runs' registry rows and whole-run KPIs.
func loadRuns(ctx context.Context, store *data.Store, ids []string) ([]*run, error) {
	runs := make([]*run, 0, len(ids))
	for _, id := range ids {
		d, err := store.Run(ctx, id)
		if err != nil {
			return nil, err
		}
		r := &d.Run
		rn := &run{id: r.ID, name: format.Visible(r.Name), scenario: format.Visible(r.Scenario), status: r.Status, horizonNs: r.HorizonNs,
			simNs: r.SimNs, seed: r.Seed, sampleRate: r.RequestSampleRate, sampled: r.RequestsSampled,
			stored: r.RequestsStored, kpis: map[string]float64{}}
		for _, k := range d.KPIs {
			if k.Scope == "" {
				rn.kpis[k.Name] = k.Value
			}
		}
		runs = append(runs, rn)
	}
	short := shortIDs(ids, minShortID)
	for i, r := range runs {
		r.short = short[i]
		r.label = short[i] + " " + r.name
	}
	return runs, nil
}

// legend is the legend label of series what of r where runs are overlaid
// (what "" when the panel has one series): the series first, then the run's
// short id, then its name, which fitLabel shortens first. Run first, the
// labels of one run's series differed only at their end, which a narrow
// legend cut off.
func (r *run) legend(what string) legendLabel {
	head := r.short
	if what != "" {
		head = what + " · " + head
	}
	if r.name == "" {
		return legendLabel{head: head}
	}
	return legendLabel{head: head + " ", name: r.name}
}

// kpi is a whole-run KPI, NaN when the run does not have it.
func (r *run) kpi(name string) float64 {
	if v, ok := r.kpis[name]; ok {
		return v
	}
	return math.NaN()
}

// noneArrived says whether no request arrived in the run: its
// requests_arrived KPI is 0, or, where it has none, it stored no request
// while storing every one.
func (r *run) noneArrived() bool {
	arrived := r.kpi(kpi.RequestsArrived)
	if math.IsNaN(arrived) {
		return r.status == data.StatusComplete && r.stored == 0 && r.sampleRate >= 1
	}
	return arrived == 0
}

// sampleNote says how many of the run's requests are stored, "" when all.
func (r *run) sampleNote() string {
	if !r.sampled && !(r.sampleRate > 0 && r.sampleRate < 1) {
		return ""
	}
	return fmt.Sprintf("requests sampled at %s", pct(r.sampleRate))
}

// minShortID is the shortest id prefix in legends: the 9 time characters of
// an id, which tell apart runs started a millisecond apart or more.
const minShortID = 9

// shortIDs shortens ids to a common length, at least min, at which they are
// all distinct (runs of one sweep can share their time characters).
func shortIDs(ids []string, min int) []string {
	longest := 0
	for _, id := range ids {
		longest = max(longest, len(id))
	}
	for n := min; ; n++ {
		seen := map[string]bool{}
		out := make([]string, len(ids))
		distinct := true
		for i, id := range ids {
			out[i] = data.FormatRunID(id, n)
			if seen[out[i]] {
				distinct = false
			}
			seen[out[i]] = true
		}
		if distinct || n >= longest {
			return out
		}
	}
}

// titles makes the title (what and which runs) and the subtitle (scenarios,
// horizons, seeds, sampling) of a chart.
func titles(kindTitle string, runs []*run) (title, subtitle string) {
	if len(runs) == 1 {
		r := runs[0]
		title = fmt.Sprintf("%s — run %s %s", kindTitle, r.id, r.name)
		parts := []string{"scenario " + orUnknown(r.scenario),
			fmtHorizon(r.simNs, r.horizonNs) + " simulated", fmt.Sprintf("seed %d", r.seed)}
		if r.status != data.StatusComplete {
			parts = append(parts, "run "+r.status)
		}
		if n := r.sampleNote(); n != "" {
			parts = append(parts, n)
		}
		return title, strings.Join(parts, " · ")
	}
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = r.label
	}
	title = kindTitle + " — " + strings.Join(labels, " vs ")
	var scen, hor []string
	for _, r := range runs {
		scen = appendNew(scen, orUnknown(r.scenario))
		hor = appendNew(hor, fmtHorizon(r.simNs, r.horizonNs))
	}
	word := "scenario "
	if len(scen) > 1 {
		word = "scenarios "
	}
	parts := []string{word + strings.Join(scen, ", "), strings.Join(hor, ", ") + " simulated"}
	for _, r := range runs {
		if r.status != data.StatusComplete {
			parts = append(parts, r.label+" "+r.status)
		}
	}
	return title, strings.Join(parts, " · ")
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// fmtHorizon prints the simulated time reached (else the horizon) compactly:
// "5m", "1h30m", "7d".
func fmtHorizon(simNs, horizonNs int64) string {
	ns := simNs
	if ns <= 0 {
		ns = horizonNs
	}
	d := time.Duration(ns)
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// pct prints a fraction as a percentage with up to 3 significant digits.
func pct(f float64) string { return strconv.FormatFloat(100*f, 'g', 3, 64) + "%" }

// timeAxis is the unit of a time axis: minutes up to 3 simulated hours,
// hours beyond, so ticks stay round numbers.
type timeAxis struct {
	perNs float64
	label string
}

func newTimeAxis(spanNs int64) timeAxis {
	if spanNs <= 3*int64(time.Hour) {
		return timeAxis{perNs: 1 / float64(time.Minute), label: "simulated time (min)"}
	}
	return timeAxis{perNs: 1 / float64(time.Hour), label: "simulated time (h)"}
}
