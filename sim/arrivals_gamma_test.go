package sim

import (
	"math"
	"strings"
	"testing"
)

// TestGammaFollowsTheProfile: gamma gaps are drawn in the diurnal profile's
// operational time, so hours whose multiplier is zero have no arrivals
// (the gap was divided by the multiplier, and a zero one scheduled the next
// arrival at int64(+Inf), in the past, which panicked the engine) and the
// count over a day is the mean rate times the day.
func TestGammaFollowsTheProfile(t *testing.T) {
	zeros := "[0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"
	src := strings.NewReplacer(
		"horizon: 10m", "horizon: 1d\nwindow: 1h",
		"{process: poisson, rate: 20/s}", "{process: gamma, rate: 0.2/s, cv: 0.5, start_hour: 0, diurnal: "+zeros+"}",
	).Replace(small8b)
	sc := scenario(t, src)
	sc.Output.RequestSampleRate = 1
	_, sink := run(t, sc)
	const hour = int64(3600e9)
	early := 0
	for _, r := range sink.Reqs {
		if r.ArrivalNs < 5*hour {
			early++
		}
	}
	if early > 0 {
		t.Errorf("%d arrivals in hours 0-5, whose multiplier is 0", early)
	}
	// The profile is normalised to mean 1, so the day's count is the mean
	// rate times the day: 17,280. A gamma renewal count has a standard
	// deviation of about cv sqrt(n), 66 here; 3% is 7.9 of them.
	want := 0.2 * 86400
	if got := float64(len(sink.Reqs)); math.Abs(got-want) > 0.03*want {
		t.Errorf("%v arrivals over the day, want %v within 3%%", got, want)
	}
}

// TestGammaGapPastTheHorizon: a gap longer than int64 nanoseconds (a rate
// of one a million days) ends the process instead of wrapping into the past.
func TestGammaGapPastTheHorizon(t *testing.T) {
	for _, day := range []string{"flat", "default"} {
		src := strings.Replace(small8b, "{process: poisson, rate: 20/s}", "{process: gamma, rate: 1e-6/d, cv: 0.5, diurnal: "+day+"}", 1)
		_, sink := run(t, scenario(t, src))
		if n := len(sink.Reqs); n > 1 {
			t.Errorf("%s: %d arrivals in 10 minutes at one a million days", day, n)
		}
	}
}

// TestGammaRateUnderflow: a rate so small that per nanosecond it is 0 in
// float64 (under about 5e-315/s; a forecast's demand curve of 1e-300
// times a small rate reaches it) has no arrivals, as a poisson process of
// that rate has: gonum's gamma panicked on its rate of 0 ("gamma: beta <=
// 0"), which the scenario's check (rate > 0) let through.
func TestGammaRateUnderflow(t *testing.T) {
	for _, rate := range []string{"1e-320/s", "1e-300/s"} {
		src := strings.Replace(small8b, "{process: poisson, rate: 20/s}", "{process: gamma, rate: "+rate+", cv: 2}", 1)
		_, sink := run(t, scenario(t, src))
		if n := len(sink.Reqs); n > 0 {
			t.Errorf("%s: %d arrivals in 10 minutes", rate, n)
		}
	}
}
