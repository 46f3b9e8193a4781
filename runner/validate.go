package runner

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"aiecon/hw"
	"aiecon/sim"
)

// ValidationRow is one published serving point against the simulator.
type ValidationRow struct {
	Point                hw.ServingPoint
	PredTTFTS, PredTPOTS float64 // simulated p50 TTFT and p50 TPOT
	TTFTAPE, TPOTAPE     float64 // absolute percentage errors, as fractions
	Scheduler            string
}

// ValidationReport is every row and the mean absolute percentage errors.
type ValidationReport struct {
	Rows        []ValidationRow
	MAPETTFT    float64
	MAPETPOT    float64
	MAPE        float64 // over both metrics of every row
	Calibration string
}

// Validate simulates each serving point as the benchmark ran it: `batch`
// identical requests arriving together on one replica of that TP degree on
// that instance (the Neuron scheduler with buckets derived from seq_len on
// Neuron instances, vLLM on GPUs), and compares the simulated p50 TTFT and
// p50 TPOT with the measured ones. Sets override fields of every point's
// scenario (the CLI's --calibration names the profile this way).
func Validate(ctx context.Context, points []hw.ServingPoint, sets ...string) (*ValidationReport, error) {
	rep := &ValidationReport{}
	for i, pt := range points {
		row, source, err := validatePoint(ctx, pt, sets)
		if err != nil {
			return nil, fmt.Errorf("row %d (%s on %s tp %d): %w", i+1, pt.Model, pt.Instance, pt.TP, err)
		}
		rep.Calibration = source
		rep.Rows = append(rep.Rows, row)
		rep.MAPETTFT += row.TTFTAPE
		rep.MAPETPOT += row.TPOTAPE
	}
	if n := float64(len(rep.Rows)); n > 0 {
		rep.MAPE = (rep.MAPETTFT + rep.MAPETPOT) / (2 * n)
		rep.MAPETTFT /= n
		rep.MAPETPOT /= n
	}
	return rep, nil
}

// ValidationScenario is the scenario YAML that reproduces a serving point.
func ValidationScenario(pt hw.ServingPoint) (string, error) {
	inst, err := hw.InstanceByName(pt.Instance)
	if err != nil {
		return "", err
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return "", err
	}
	sched, err := hw.DefaultScheduler(chip.Family)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name: validate-%s-%s-tp%d-bs%d\n", pt.Model, pt.Instance, pt.TP, pt.Batch)
	fmt.Fprintf(&b, "horizon: 1h\ndrain: true\nmodel: %s\n", pt.Model)
	fmt.Fprintf(&b, "precision: {weights: %s}\n", pt.WeightDType)
	fmt.Fprintf(&b, "fleet:\n  instance: %s\n  count: 1\n", pt.Instance)
	if !inst.OnDemand.Known {
		b.WriteString("  price_usd_per_hour: 1 # cost plays no part in validation\n")
	}
	fmt.Fprintf(&b, "  replica: {tp: %d, per_instance: 1, scheduler: %s, max_num_seqs: %d, max_model_len: %d}\n", pt.TP, sched, pt.Batch, pt.SeqLen)
	fmt.Fprintf(&b, "workloads:\n  - name: static-batch\n    class: api\n    arrivals: {process: burst, count: %d}\n", pt.Batch)
	fmt.Fprintf(&b, "    prompt_tokens: %d\n    output_tokens: %d\n", pt.InputTokens, pt.OutputTokens)
	return b.String(), nil
}

func validatePoint(ctx context.Context, pt hw.ServingPoint, sets []string) (ValidationRow, string, error) {
	row := ValidationRow{Point: pt}
	if err := pt.Validate(); err != nil {
		return row, "", &InputError{Err: err}
	}
	yamlText, err := ValidationScenario(pt)
	if err != nil {
		return row, "", &InputError{Err: err}
	}
	l, err := LoadSource("validation point", []byte(yamlText), "", sets)
	if err != nil {
		return row, "", err
	}
	row.Scheduler = l.Scenario.Fleet.Replica.Scheduler
	cal, err := LoadCalibration(l.Scenario)
	if err != nil {
		return row, "", err
	}
	sink := &sim.MemorySink{}
	world, err := sim.New(sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, Sink: sink})
	if err != nil {
		return row, "", err
	}
	if _, err := world.Run(ctx); err != nil {
		return row, "", err
	}
	var ttft, tpot []float64
	for _, r := range sink.Reqs {
		if r.Status != sim.StatusCompleted {
			return row, "", fmt.Errorf("request %d ended %v", r.ID, r.Status)
		}
		ttft = append(ttft, float64(r.FirstTokenNs-r.ArrivalNs)/1e9)
		if r.OutputTokens > 1 {
			tpot = append(tpot, float64(r.FinishNs-r.FirstTokenNs)/1e9/float64(r.OutputTokens-1))
		}
	}
	row.PredTTFTS, row.PredTPOTS = median(ttft), median(tpot)
	row.TTFTAPE = math.Abs(row.PredTTFTS-pt.TTFTMs/1e3) / (pt.TTFTMs / 1e3)
	row.TPOTAPE = math.Abs(row.PredTPOTS-pt.TPOTMs/1e3) / (pt.TPOTMs / 1e3)
	return row, cal.Source, nil
}

// median of xs (the mean of the middle two for an even count); NaN if empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
