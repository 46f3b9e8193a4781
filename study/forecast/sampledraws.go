package forecast

import (
	"slices"

	"aiecon/model"
)

// SampleDraws are one Monte Carlo sample's drawn inputs, which the report
// keeps (sample_draws in --json and the stored report_json): a sample's
// periods gave its demand's growth and price ratio but not its CTR or
// conversion draw, nor which draw made them, so a P90 period could not be
// traced to the inputs behind it.
type SampleDraws struct {
	Sample int `json:"sample"`
	// Seeds are the first and last seed of the sample's runs (sliceSeed),
	// shared by its periods and variants: the simulation's own draw, which
	// lifts or lowers every period of the sample alike.
	Seeds [2]uint64    `json:"seeds"`
	Draws []DrawnInput `json:"draws"`
}

// DrawnInput is one input a sample drew: Input names the monte_carlo key
// it is drawn from, Sets the paths its value sets: the forecast file's
// (workloads.chat.growth) or the runs' scenario's (ads.ctr), as the runs'
// overrides write them.
type DrawnInput struct {
	Input string  `json:"input"`
	Value float64 `json:"value"`
	// Unit is "multiplier" (of each path's value; for a growth curve, of
	// its deviation from 1, and a CTR or conversion capped at 1 after it)
	// or "elasticity" (the exponent e of volume x (p/p0)^e, which replaces
	// the plan's).
	Unit string   `json:"unit"`
	Sets []string `json:"sets"`
}

// sampleDraws are the drawn inputs of every sample, in sample order; nil
// without monte_carlo, whose one sample runs the nominal inputs.
func (f *Forecast) sampleDraws() []SampleDraws {
	mc := f.Spec.MonteCarlo
	if mc == nil {
		return nil
	}
	paths := f.drawPaths()
	per := uint64(f.Spec.Day.Days * f.Spec.Day.Slices)
	var out []SampleDraws
	for _, in := range f.samples() {
		first := f.sliceSeed(in.Sample, 0, 0)
		sd := SampleDraws{Sample: in.Sample, Seeds: [2]uint64{first, first + per - 1}}
		for _, d := range []struct {
			input string
			draw  *Draw
			value *float64
			unit  string
		}{
			{"monte_carlo.growth", mc.Growth, &in.Growth, "multiplier"},
			{"monte_carlo.price", mc.Price, &in.Price, "multiplier"},
			{"monte_carlo.ctr", mc.CTR, &in.CTR, "multiplier"},
			{"monte_carlo.conversion", mc.Conversion, &in.Conversion, "multiplier"},
			{"monte_carlo.elasticity", mc.Elasticity, in.Elasticity, "elasticity"},
		} {
			if d.draw == nil || d.value == nil {
				continue
			}
			sd.Draws = append(sd.Draws, DrawnInput{Input: d.input, Value: *d.value, Unit: d.unit, Sets: paths[d.input]})
		}
		out = append(out, sd)
	}
	return out
}

// drawPaths are the paths each draw sets, by its monte_carlo key: the
// plan's growth, curve and elasticity of each workload that has one, and
// the scenario fields periodSets overrides in any variant and period
// (a roadmap may add a workload or ads after period 1).
func (f *Forecast) drawPaths() map[string][]string {
	out := map[string][]string{}
	add := func(input, path string) {
		if !slices.Contains(out[input], path) {
			out[input] = append(out[input], path)
		}
	}
	for _, w := range f.workloadsOf() {
		plan := f.Spec.Workloads[w.Name]
		switch {
		case len(plan.Curve) > 0:
			add("monte_carlo.growth", "workloads."+w.Name+".curve")
		case plan.Growth.PerPeriod(1, f.PeriodHours) != 0:
			add("monte_carlo.growth", "workloads."+w.Name+".growth")
		}
		if plan.Elasticity != 0 {
			add("monte_carlo.elasticity", "workloads."+w.Name+".elasticity")
		}
	}
	for _, vp := range f.Variants {
		for k := 1; k <= f.Spec.Periods.Count; k++ {
			for _, w := range f.workloadsIn(vp, k) {
				for _, p := range scenarioDrawPaths(w) {
					add(p[0], p[1])
				}
			}
			if f.adsIn(vp, k) != nil {
				add("monte_carlo.ctr", "ads.ctr")
			}
		}
	}
	return out
}

// scenarioDrawPaths are the scenario fields of w that the price and
// conversion draws set (periodSets), each as {monte_carlo key, path}.
func scenarioDrawPaths(w model.Workload) [][2]string {
	at := "workloads[" + w.Name + "]"
	out := [][2]string{{"monte_carlo.price", at + ".price.input_per_mtok"}, {"monte_carlo.price", at + ".price.output_per_mtok"}}
	if w.Price.CachedInputPerMTok != nil {
		out = append(out, [2]string{"monte_carlo.price", at + ".price.cached_input_per_mtok"})
	}
	if w.Agent != nil {
		out = append(out, [2]string{"monte_carlo.price", at + ".agent.value.fee"},
			[2]string{"monte_carlo.conversion", at + ".agent.value.conversion"})
	}
	return out
}

// drawsNote points at the samples' drawn inputs, which the text report
// does not print (a line per sample would bury the tables): "" where the
// report has none (no monte_carlo, or stored before they were kept).
func (r *Report) drawsNote() string {
	if len(r.SampleDraws) == 0 {
		return ""
	}
	return "DRAWS: each sample's drawn inputs (its value of each monte_carlo draw, the paths it sets, and its runs' seeds) " +
		"are in --json's sample_draws and the stored report_json, so a P10 or P90 period can be traced to the draws behind it."
}
