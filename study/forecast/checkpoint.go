package forecast

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/runner"
	"aiecon/study"
)

// A forecast is stored only once every run has finished, since each period
// is scaled from all of its runs. So that a forecast stopped before its end
// (Ctrl-C, a lost machine) loses no run, every run it finishes also stores
// what the forecast keeps of it (forecast_checkpoints), under the forecast's
// id; `forecast --resume` reads them back (Resumed) and Execute runs only
// the jobs without one. A job's run depends on nothing but its own
// scenario and seed, so a resumed forecast is row for row the forecast run
// whole (TestResumeEqualsWhole).

// JobKey is a job's place in its forecast: what a kept run is matched by.
type JobKey struct {
	Variant                    string
	Sample, Period, Day, Slice int
}

// Key is job j's JobKey.
func (f *Forecast) Key(j Job) JobKey {
	return JobKey{Variant: f.Variants[j.Variant].Name, Sample: j.Sample, Period: j.Period, Day: j.Day, Slice: j.Slice}
}

// Fingerprint is what a resume of this forecast (of shard s, by build
// version) must find unchanged.
func (f *Forecast) Fingerprint(s study.ShardSpec, version string) data.ForecastFingerprint {
	shard := ""
	if s.Count > 1 {
		shard = strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
	}
	return data.ForecastFingerprint{PlanSHA256: sha256Hex(f.Text), BaseSHA256: sha256Hex(f.baseSrc), Samples: len(f.samples()),
		Periods: f.Spec.Periods.Count, Shard: shard, Version: version}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// saveCheckpoint stores what the forecast keeps of run r (opts.ID's).
func (f *Forecast) saveCheckpoint(ctx context.Context, opts Options, r *RunResult) error {
	body, err := json.Marshal(keptOf(r))
	if err != nil {
		return fmt.Errorf("forecast %s, run %s: encoding it for a resume: %w", f.Spec.Name, r.RunID, err)
	}
	k := f.Key(r.Job)
	return opts.Store.SaveForecastCheckpoint(ctx, data.ForecastCheckpoint{ForecastID: opts.ID, RunID: r.RunID, Variant: k.Variant,
		Sample: k.Sample, Period: k.Period, Day: k.Day, Slice: k.Slice, ForecastFingerprint: f.Fingerprint(opts.Shard, opts.Version),
		ResultJSON: string(body)})
}

// Resumed reads what unfinished forecast id kept of its finished runs in
// store, for Options.Reuse. It refuses (a runner.InputError) a forecast f,
// of shard s, run by build version, that is not the one that stopped,
// naming what changed: the runs kept would not be this forecast's.
func Resumed(ctx context.Context, store *data.Store, f *Forecast, id string, s study.ShardSpec, version string) (map[JobKey]RunResult, error) {
	kept, err := store.ForecastCheckpoints(ctx, id)
	if err != nil {
		return nil, err
	}
	want := f.Fingerprint(s, version)
	for _, c := range kept {
		if c.ForecastFingerprint != want {
			return nil, &runner.InputError{Err: fmt.Errorf("forecast %s cannot be resumed so: %s; give the file and the --samples, "+
				"--periods and --shard it was started with, or run the forecast anew (the runs it finished stay as ordinary runs)",
				id, strings.Join(fingerprintChanges(c.ForecastFingerprint, want), "; "))}
		}
	}
	jobs := map[JobKey]Job{}
	for _, j := range f.ShardJobs(s) {
		jobs[f.Key(j)] = j
	}
	out := make(map[JobKey]RunResult, len(kept))
	for _, c := range kept {
		if !c.RunComplete { // deleted or marked failed since: run again
			continue
		}
		k := JobKey{Variant: c.Variant, Sample: c.Sample, Period: c.Period, Day: c.Day, Slice: c.Slice}
		j, ok := jobs[k]
		if !ok { // the fingerprint matched, so the job exists: a store edited by hand
			return nil, fmt.Errorf("forecast %s: kept run %s is of %s sample %d period %d day %d slice %d, which the forecast has not",
				id, c.RunID, c.Variant, c.Sample, c.Period, c.Day, c.Slice)
		}
		var kr keptResult
		if err := json.Unmarshal([]byte(c.ResultJSON), &kr); err != nil {
			return nil, fmt.Errorf("forecast %s: reading what run %s kept for a resume: %w", id, c.RunID, err)
		}
		out[k] = kr.result(j, c.RunID)
	}
	return out, nil
}

// fingerprintChanges names how the forecast that stopped (was) differs
// from the one asked to resume it (now).
func fingerprintChanges(was, now data.ForecastFingerprint) []string {
	var out []string
	if was.PlanSHA256 != now.PlanSHA256 {
		out = append(out, fmt.Sprintf("the forecast file changed since it started (SHA-256 %.12s then, %.12s now)", was.PlanSHA256, now.PlanSHA256))
	}
	if was.BaseSHA256 != now.BaseSHA256 {
		out = append(out, fmt.Sprintf("its base scenario changed since it started (SHA-256 %.12s then, %.12s now)", was.BaseSHA256, now.BaseSHA256))
	}
	if was.Samples != now.Samples {
		out = append(out, fmt.Sprintf("it runs %s, this command %d (--samples)", format.Plural(was.Samples, "sample"), now.Samples))
	}
	if was.Periods != now.Periods {
		out = append(out, fmt.Sprintf("it runs %s, this command %d (--periods)", format.Plural(was.Periods, "period"), now.Periods))
	}
	if was.Shard != now.Shard {
		out = append(out, fmt.Sprintf("it runs %s, this command %s (--shard)", shardWords(was.Shard), shardWords(now.Shard)))
	}
	if was.Version != now.Version {
		out = append(out, fmt.Sprintf("its runs were made by aiecon %s, this is %s, which may simulate the rest otherwise: finish it with that build",
			was.Version, now.Version))
	}
	return out
}

func shardWords(s string) string {
	if s == "" {
		return "the whole forecast"
	}
	return "shard " + s
}

// keptResult is what a forecast keeps of a run for a resume: RunResult
// less its Job (the resuming forecast's own) and run id (the row's), every
// float exact.
type keptResult struct {
	KPIs                 map[string]exact `json:"kpis"`
	Licensing            map[string]exact `json:"licensing"`
	AgentRequestsArrived exact            `json:"agent_requests_arrived"`
	RequestsLostUSD      exact            `json:"requests_lost_usd"`
	SimHours             exact            `json:"sim_hours"`
	UnfinishedLines      [numLines]exact  `json:"unfinished_lines"`
	UnfinishedValueUSD   exact            `json:"unfinished_value_usd"`
	UnfinishedLicensing  map[string]exact `json:"unfinished_licensing"`
	Freshness            *exact           `json:"freshness"`
	// FreshnessInert is absent from a run kept before it was: such a
	// run reads as its freshness multiplying, as it was then taken.
	FreshnessInert bool             `json:"freshness_inert,omitempty"`
	PoolInstances  map[string]exact `json:"pool_instances,omitempty"`
}

func keptOf(r *RunResult) keptResult {
	k := keptResult{KPIs: convertMap[float64, exact](r.KPIs), Licensing: convertMap[float64, exact](r.Licensing), AgentRequestsArrived: exact(r.AgentRequestsArrived),
		RequestsLostUSD: exact(r.RequestsLostUSD), SimHours: exact(r.SimHours), UnfinishedValueUSD: exact(r.Unfinished.ValueUSD),
		UnfinishedLicensing: convertMap[float64, exact](r.Unfinished.Licensing), PoolInstances: convertMap[float64, exact](r.PoolInstances)}
	for i, v := range r.Unfinished.Lines {
		k.UnfinishedLines[i] = exact(v)
	}
	if r.Freshness != nil {
		fresh := exact(*r.Freshness)
		k.Freshness = &fresh
	}
	k.FreshnessInert = r.FreshnessInert
	return k
}

func (k keptResult) result(j Job, runID string) RunResult {
	r := RunResult{Job: j, RunID: runID, KPIs: convertMap[exact, float64](k.KPIs), Licensing: convertMap[exact, float64](k.Licensing),
		AgentRequestsArrived: float64(k.AgentRequestsArrived), RequestsLostUSD: float64(k.RequestsLostUSD), SimHours: float64(k.SimHours),
		Unfinished:    Unfinished{ValueUSD: float64(k.UnfinishedValueUSD), Licensing: convertMap[exact, float64](k.UnfinishedLicensing)},
		PoolInstances: convertMap[exact, float64](k.PoolInstances)}
	for i, v := range k.UnfinishedLines {
		r.Unfinished.Lines[i] = float64(v)
	}
	if k.Freshness != nil {
		fresh := float64(*k.Freshness)
		r.Freshness = &fresh
	}
	r.FreshnessInert = k.FreshnessInert
	return r
}

// exact is a float64 that JSON carries bit for bit: the shortest decimal
// that reads back as the same float, and NaN and the infinities (which
// JSON numbers cannot hold, and a run's KPIs can be) as strings.
type exact float64

func (x exact) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.AppendQuote(nil, strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func (x *exact) UnmarshalJSON(b []byte) error {
	s := string(b)
	if strings.HasPrefix(s, `"`) {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return err
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	*x = exact(f)
	return err
}

// convertMap converts a map's values between float64 and exact (a
// float64 written exactly in JSON), nil staying nil.
func convertMap[T, U ~float64](m map[string]T) map[string]U {
	if m == nil {
		return nil
	}
	out := make(map[string]U, len(m))
	for k, v := range m {
		out[k] = U(v)
	}
	return out
}
