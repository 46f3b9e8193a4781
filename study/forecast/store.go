package forecast

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"aiecon/data"
	"aiecon/model/format"
)

// Save stores a finished forecast under id (Options.ID, where its runs
// kept their results for a resume, which it removes): its file, its
// report, every period's metrics under every sample, and the links to the
// runs it scaled. With id "", a shard (r.Shard set) stores under the id
// every shard of its split derives, and only its own periods; a whole
// forecast under a fresh id.
func Save(ctx context.Context, s *data.Store, f *Forecast, id string, r *Report, runs []RunResult, version string) (string, error) {
	if id == "" && r.shard.Count > 1 {
		id = f.ShardID(r.shard)
	}
	body, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("forecast %s report: %w", f.Spec.Name, err)
	}
	var values []data.ForecastValue
	for _, ps := range r.Summary {
		for _, p := range ps.Periods {
			for _, m := range Metrics {
				v := m.Get(p)
				if math.IsInf(v, 0) {
					v = math.NaN()
				}
				values = append(values, data.ForecastValue{Variant: p.Variant, Sample: p.Sample, Period: p.Period,
					Metric: m.Name, Unit: m.Unit, Value: v})
			}
		}
	}
	var links []data.ForecastRun
	for _, run := range runs {
		if run.RunID != "" {
			links = append(links, data.ForecastRun{RunID: run.RunID, Variant: f.Variants[run.Variant].Name, Sample: run.Sample,
				Period: run.Period, Day: run.Day, Slice: run.Slice})
		}
	}
	return s.SaveForecast(ctx, data.ForecastInfo{ID: id, Name: f.Spec.Name, Description: f.Spec.Description, SpecYAML: string(f.Text),
		PeriodLength: f.Spec.Periods.Length, Periods: f.Spec.Periods.Count, Samples: r.Samples, ReportJSON: string(body),
		Version: version}, values, links)
}

// SetSamples overrides the Monte Carlo sample count (0 keeps the file's;
// 1 runs the nominal inputs only).
func (f *Forecast) SetSamples(n int) error {
	switch {
	case n < 0 || n > 1000:
		return fmt.Errorf("--samples %d: want 1..1000", n)
	case n == 1:
		f.Spec.MonteCarlo = nil
	case n > 1:
		if f.Spec.MonteCarlo == nil {
			return fmt.Errorf("--samples %d: forecast %s draws nothing (no monte_carlo section)", n, f.Spec.Name)
		}
		f.Spec.MonteCarlo.Samples = n
	}
	if err := f.checkRuns(); err != nil {
		return fmt.Errorf("--samples %d: %w", n, err)
	}
	return nil
}

// Truncate keeps the first n periods (0 keeps them all): a quick look at
// the first year of a longer plan. Later orders, price steps, roadmap steps
// and contracts simply never start.
func (f *Forecast) Truncate(n int) error {
	switch {
	case n == 0 || n == f.Spec.Periods.Count:
		return nil
	case n < 0 || n > f.Spec.Periods.Count:
		return fmt.Errorf("--periods %d: forecast %s has %s", n, f.Spec.Name, format.Plural(f.Spec.Periods.Count, "period"))
	}
	f.Spec.Periods.Count = n
	for name, p := range f.Spec.Workloads {
		if len(p.Curve) > n {
			p.Curve = p.Curve[:n]
			f.Spec.Workloads[name] = p
		}
	}
	for _, vp := range f.Variants {
		if vp.Servers != nil {
			vp.Servers = vp.Servers[:n]
		}
	}
	return nil
}
