package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/sim/engine"
)

// workload is the runtime side of a model.Workload: its arrival source, its
// length samplers and its running totals.
type workload struct {
	idx   int
	spec  *model.Workload
	class string
	prio  int // dense priority level

	prompt, output sampler
	lengths        *rand.Rand
	src            *source
	agent          *agentModel
	stats          workloadStats

	// prices are the token prices per token after the batch discount; the
	// cached offset is 0 where the workload gives no cached price, so that
	// the bill is the one of builds before the cached price, to the bit.
	prices econ.TokenPrices
}

// tokenRevenue bills a request at the workload's token prices, its cached
// prompt tokens at the cached input price.
func (wl *workload) tokenRevenue(r *request) float64 {
	return wl.tokensUSD(int(r.prompt), int(r.cached), int(r.output))
}

// tokensUSD is what prompt tokens, cached of them served from the prefix
// cache, and output tokens bill (econ.TokenPrices.RevenueUSD, which says
// why the cached share comes off the whole prompt).
func (wl *workload) tokensUSD(prompt, cached, output int) float64 {
	return wl.prices.RevenueUSD(int64(prompt), int64(cached), int64(output))
}

func (w *World) buildWorkloads() error {
	_, level := priorityLevels(w.sc.Workloads)
	levels, _ := priorityLevels(w.sc.Workloads)
	w.prioLevels = len(levels)
	for i := range w.sc.Workloads {
		spec := &w.sc.Workloads[i]
		wl := &workload{idx: i, spec: spec, class: spec.Class, prio: level(spec.Priority),
			lengths: w.randFor("lengths/" + spec.Name), stats: workloadStats{lat: newLatencyStats()}}
		discount := 0.0 // only the batch tier is discounted
		if spec.Class == model.ClassBatch {
			discount = spec.Price.BatchDiscount
		}
		wl.prices = econ.NewTokenPrices(spec.Price.InputPerMTok, spec.Price.OutputPerMTok, spec.Price.CachedInput(), discount)
		var err error
		if !spec.PromptTokens.IsZero() {
			if wl.prompt, err = newSampler(spec.PromptTokens, &w.traces); err != nil {
				return fmt.Errorf("workload %s: prompt_tokens: %w", spec.Name, err)
			}
		}
		if !spec.OutputTokens.IsZero() {
			if wl.output, err = newSampler(spec.OutputTokens, &w.traces); err != nil {
				return fmt.Errorf("workload %s: output_tokens: %w", spec.Name, err)
			}
		}
		if wl.src, err = newSource(w, wl); err != nil {
			return fmt.Errorf("workload %s: %w", spec.Name, err)
		}
		if spec.Class == model.ClassAgent {
			if wl.agent, err = newAgentModel(w, wl); err != nil {
				return fmt.Errorf("workload %s: %w", spec.Name, err)
			}
		}
		w.workloads = append(w.workloads, wl)
	}
	return nil
}

// source generates a workload's arrivals with one reusable event.
type source struct {
	w     *World
	wl    *workload
	ev    engine.Event
	rng   *rand.Rand
	kind  string
	rate  float64 // mean arrivals per ns (before the diurnal profile)
	peak  float64 // largest diurnal multiplier (thinning bound)
	gamma distuv.Gamma
	day   model.Diurnal
	start float64 // hour of day at t = 0

	closed closedLoop // process closed (closed.go)

	trace      *Trace
	pos        int
	loopBase   int64
	timeScale  float64
	rateScale  float64
	copiesLeft int
	useTrace   bool      // lengths from the trace
	emitted    int       // arrivals so far (poisson, gamma: stop at Arrivals.Count)
	cut        *TraceCut // the trace rows the horizon left out, none when nil
}

func newSource(w *World, wl *workload) (*source, error) {
	a := wl.spec.Arrivals
	s := &source{w: w, wl: wl, rng: w.randFor("arrivals/" + wl.spec.Name), kind: a.Process,
		rate: a.Rate.PerSecond() / 1e9, day: a.Diurnal, start: a.StartHour}
	s.ev.Init(s, 0)
	s.pos = -1
	s.peak = s.day.Peak()
	if a.Process == "gamma" {
		// Gaps with mean 1/rate and coefficient of variation cv: shape 1/cv^2.
		shape := 1 / (a.CV * a.CV)
		s.gamma = distuv.Gamma{Alpha: shape, Beta: shape * s.rate, Src: s.rng}
	}
	if a.Process == "closed" {
		if err := s.closed.init(s, a, &w.traces); err != nil {
			return nil, err
		}
	}
	if a.Process == "trace" {
		t, err := w.traces.load(a.Trace.Path)
		if err != nil {
			return nil, err
		}
		s.trace, s.timeScale, s.rateScale = t, a.Trace.TimeScale, a.Trace.RateScale
		s.useTrace = a.Trace.Lengths == "trace"
	}
	return s, nil
}

func (s *source) multiplier(now int64) float64 {
	if s.day.Name == "flat" {
		return 1
	}
	return s.day.Multiplier(s.start + float64(now)/3.6e12)
}

// Handle is an arrival: create the request or session, then schedule the
// next. A burst's arrivals all enter the queues before any replica plans an
// iteration, so a scheduler sees the whole burst at once (a static batch is
// the burst, not its first request).
func (s *source) Handle(*engine.Event) {
	if s.kind != "burst" {
		s.emit(nil)
		s.emitted++
		if n := s.wl.spec.Arrivals.Count; n > 0 && s.emitted >= n && s.kind != "closed" {
			return // a poisson or gamma process of count arrivals
		}
		s.scheduleNext()
		return
	}
	w := s.w
	w.holdKicks = true
	for s.pos < s.wl.spec.Arrivals.Count {
		s.emit(nil)
		s.pos++
	}
	w.holdKicks = false
	w.kickHeld()
}

// emit creates one request, or starts one agent session, on behalf of a
// closed-loop client (nil for an open arrival process).
func (s *source) emit(c *closedClient) {
	w, wl := s.w, s.wl
	prompt, output := 0, 0
	if s.trace != nil && s.useTrace {
		prompt, output = int(s.trace.Context[s.pos]), int(s.trace.Generated[s.pos])
	} else {
		prompt = wl.prompt.drawCount(wl.lengths, 1)
		output = wl.output.drawCount(wl.lengths, 1)
	}
	if wl.agent != nil {
		wl.agent.startSession(prompt, c)
	} else {
		// The most it can earn: every token drawn, billed (a request cut
		// to max_model_len is billed for fewer), and one of each at least,
		// as clamp bills a row of 0 tokens.
		p, o := atLeastOne(prompt, output)
		wl.stats.ceilingUSD += wl.tokensUSD(p, 0, o)
		r := w.newRequest(wl, prompt, output, 0)
		r.client = c
		r.escalate = w.models.drawEscalation(wl.idx)
		w.submit(r)
	}
}

// scheduleNext draws the next arrival time; none at or after the horizon:
// arrivals come in [0, horizon), so a horizon of an hour of arrivals one
// second apart holds 3,600, not 3,601.
func (s *source) scheduleNext() {
	now := s.w.eng.Now()
	var next int64
	switch s.kind {
	case "closed":
		s.closed.start()
		return
	case "poisson":
		// Lewis-Shedler thinning: candidates at the peak rate, each kept with
		// probability multiplier/peak, give a Poisson process whose rate
		// follows the diurnal profile exactly.
		t := float64(now)
		for {
			t += s.rng.ExpFloat64() / (s.rate * s.peak)
			if t >= float64(s.w.horizon) {
				return
			}
			if s.peak == 1 || s.rng.Float64()*s.peak <= s.multiplier(int64(t)) {
				break
			}
		}
		next = int64(t)
	case "gamma":
		// The gap is drawn at the mean rate, in the profile's operational
		// time: the arrival comes when the multiplier integrated from now
		// reaches it, so a zero-rate hour has no arrivals and the rate
		// follows the profile.
		// A rate that underflows to 0 a nanosecond (under about 5e-315/s)
		// has no arrivals, as a poisson process of that rate has none;
		// gonum's gamma panics on it.
		if !(s.gamma.Beta > 0) {
			return
		}
		var ok bool
		if next, ok = s.afterOperational(now, s.gamma.Rand()); !ok {
			return
		}
	case "burst":
		// One event at the burst's instant brings all its arrivals (Handle).
		if s.pos >= 0 {
			return
		}
		s.pos = 0
		next = int64(s.wl.spec.Arrivals.At)
	case "trace":
		var ok bool
		if next, ok = s.nextTrace(now); !ok {
			return
		}
	}
	if next >= s.w.horizon {
		if s.kind == "trace" {
			s.noteCut(next)
		}
		return
	}
	s.w.eng.Schedule(&s.ev, next)
}

// nextTrace moves to the trace's next request, or the next copy of this
// one, and returns its instant, not before now; false when the trace has
// ended and does not loop.
func (s *source) nextTrace(now int64) (int64, bool) {
	if s.copiesLeft > 0 {
		s.copiesLeft--
		return now, true
	}
	for {
		s.pos++
		if s.pos == s.trace.Len() {
			if !s.wl.spec.Arrivals.Trace.Loop {
				return 0, false
			}
			// Restart after one mean gap past the last request.
			s.loopBase += int64(float64(s.trace.SpanNs())*s.timeScale) + int64(float64(s.trace.SpanNs())*s.timeScale/float64(max(s.trace.Len()-1, 1)))
			s.pos = 0
		}
		// rate_scale k replays each row floor(k) times plus one more with
		// probability frac(k).
		copies := int(math.Floor(s.rateScale))
		if s.rng.Float64() < s.rateScale-math.Floor(s.rateScale) {
			copies++
		}
		if copies > 0 {
			s.copiesLeft = copies - 1
			break
		}
	}
	return max(s.loopBase+int64(float64(s.trace.OffsetsNs[s.pos])*s.timeScale), now), true
}

// afterOperational returns the instant at which the diurnal multiplier,
// integrated from now, reaches gapNs (a gap drawn at the mean rate), or
// false if that comes at or after the horizon. The multiplier is linear within
// each hour, so each hour's integral is a trapezoid and the instant inside
// the last one solves a quadratic.
func (s *source) afterOperational(now int64, gapNs float64) (int64, bool) {
	horizon := float64(s.w.horizon)
	if s.day.Name == "flat" {
		t := float64(now) + gapNs
		if !(t < horizon) {
			return 0, false
		}
		return max(now, int64(t)), true
	}
	const nsPerHour = 3.6e12
	rem := gapNs / nsPerHour
	h0 := s.start + float64(now)/nsPerHour
	h := h0
	end := s.start + horizon/nsPerHour
	for h < end {
		next := math.Min(math.Floor(h)+1, end)
		m0, m1 := s.day.Multiplier(h), s.day.Multiplier(next)
		length := next - h
		if area := (m0 + m1) / 2 * length; area < rem {
			rem -= area
			h = next
			continue
		}
		// m0 x + k x^2 / 2 = rem, k the slope; written so that neither a
		// flat hour (k = 0) nor a rising one from zero (m0 = 0) divides by 0.
		x := 0.0
		if rem > 0 {
			k := (m1 - m0) / length
			x = math.Min(length, 2*rem/(m0+math.Sqrt(math.Max(0, m0*m0+2*k*rem))))
		}
		// Measured from now, not from the run's start: a year's hours in
		// float64 carry several nanoseconds of rounding.
		at := now + int64((h-h0+x)*nsPerHour)
		return at, at < s.w.horizon
	}
	return 0, false
}
