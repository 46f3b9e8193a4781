package model

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// MaxMagnitude bounds every plain number of a scenario: nothing it
// describes (a price, a fraction, a token count, a rate) comes near it, and
// below it the simulator's sums and products stay finite (1e300 made them
// infinite).
const MaxMagnitude = 1e15

// MaxTokensPerDoc bounds a retrieved document's tokens
// (agent.retrieval.tokens_per_doc): a forecast's contract adds its
// provenance tokens to them and refuses a sum past it at its own line.
const MaxTokensPerDoc = 1 << 20

// checkFinite reports every float field that is NaN, infinite or beyond
// MaxMagnitude, found by walking the scenario's YAML-tagged fields, so that a
// number added to the schema is checked without being listed here. The
// range checks of Resolve assume finite numbers (a NaN passes `x < 0 || x >
// 1`), so this runs first.
func (r *resolver) checkFinite() {
	walkFloats(reflect.ValueOf(r.sc).Elem(), "", func(path string, x float64) {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			r.bad(path, "%v is not a number; want a finite value", x)
		case math.Abs(x) > MaxMagnitude:
			r.bad(path, "%g is out of range (at most %g in magnitude)", x, MaxMagnitude)
		}
	})
}

// walkFloats calls f with the dotted YAML path of every float reachable from
// v through tagged struct fields, pointers and slices.
func walkFloats(v reflect.Value, path string, f func(string, float64)) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f(path, v.Float())
	case reflect.Pointer:
		if !v.IsNil() {
			walkFloats(v.Elem(), path, f)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Float64 && strings.HasSuffix(path, "values") {
			// empirical values: one message for the list, not one per element
			for i := 0; i < v.Len(); i++ {
				if x := v.Index(i).Float(); math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > MaxMagnitude {
					f(fmt.Sprintf("%s[%d]", path, i), x)
					return
				}
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			walkFloats(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := strings.Split(sf.Tag.Get("yaml"), ",")[0]
			if name == "-" {
				continue
			}
			p := path
			if name != "" {
				p = joinPath(path, name)
			}
			walkFloats(v.Field(i), p, f)
		}
	}
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// distBounds is the largest value a distribution of each kind may describe:
// beyond it draws overflow the integer and nanosecond conversions the
// simulator makes.
var distBounds = map[distKind]distBound{
	distTokens:   {1 << 24, "tokens"},
	distCount:    {1e4, "steps"},
	distDuration: {MaxHorizon.Seconds(), "seconds"},
	distMoney:    {1e6, "USD"},
	distScore:    {1e6, ""},
}

// distBound is one kind's largest value and its unit word ("" for a
// unitless score).
type distBound struct {
	max  float64
	what string
}

// limit words the bound for an error: "16777216 tokens", or "1e+06" alone
// where the kind has no unit, so that no stray space ends the message.
func (b distBound) limit() string {
	if b.what == "" {
		return fmt.Sprintf("%g", b.max)
	}
	return fmt.Sprintf("%g %s", b.max, b.what)
}

// Shape limits of the distributions the sampler draws from: a coefficient
// of variation of 1e300 or 1e-300 gives a gamma shape of 0 or +Inf, on which
// the sampler panics, and a lognormal sigma far above 10 overflows.
const (
	MinDistCV    = 1e-3
	MaxDistCV    = 100
	MaxDistSigma = 10
)

// distDomain checks a distribution's parameters against its kind's bounds.
func (r *resolver) distDomain(p string, d *Dist, kind distKind) {
	b := distBounds[kind]
	for _, f := range []struct {
		name string
		v    float64
	}{{"value", d.Value}, {"mean", d.Mean}, {"median", d.Median}, {"p99", d.P99}, {"std", d.Std}, {"min", d.Min}, {"max", d.Max}} {
		if math.Abs(f.v) > b.max {
			r.bad(p+"."+f.name, "%g is out of range (at most %s)", f.v, b.limit())
		}
	}
	if d.Kind == "gamma" && d.CV != 0 && (d.CV < MinDistCV || d.CV > MaxDistCV) {
		r.bad(p+".cv", "%g is out of range (allowed: %g to %g)", d.CV, float64(MinDistCV), float64(MaxDistCV))
	}
	if d.Kind == "lognormal" {
		if sigma := d.LognormalSigma(); sigma > MaxDistSigma {
			r.bad(p, "the spread is too wide: sigma %.3g (from median and p99) is above %d; p99 may be at most %.3g times the median", sigma, MaxDistSigma, math.Exp(MaxDistSigma*Z99))
		}
	}
	for i, x := range d.Values {
		if x > b.max {
			r.bad(fmt.Sprintf("%s.values[%d]", p, i), "%g is out of range (at most %s)", x, b.limit())
			return
		}
	}
}

// AdsCalibrationAuctions is how many auctions sim's calibrateBids solves
// the bid scale on (sim.calibrationAuctions is it): the load check below
// asks of a relevance what that search needs of them.
const AdsCalibrationAuctions = 10000

// MaxNoPayingWinner is the largest chance that none of the calibration
// auctions has a paying winner (NoPayingWinnerChance) with which a
// relevance loads where the bids are scaled to a paid_cpc: a bidder of
// relevance 0 takes no part in an auction (econ.GSP), and with no paying
// winner no bid scale reaches paid_cpc, and the run failed only as it
// started. The cut-off was one draw above 0 in 10^12, which a relevance
// that is 0 in 99.87% of draws (normal(-3, 1)) passed and failed the run
// with: with 4 bidders, none of the 10,000 auctions had two bidders above
// 0 with chance 0.9. A relevance that is 0 only some of the time is a
// modelling choice (normal(1, 0.3) drops a bidder from one auction in a
// few thousand) and loads, as it ran before the check.
const MaxNoPayingWinner = 1e-6

// NoPayingWinnerChance is the chance that none of AdsCalibrationAuctions
// auctions of bidders bidders has a paying winner, each bidder's relevance
// above 0 with chance p, where a paying winner needs need bidders of
// relevance above 0: two for a paid_cpc above the reserve, since a lone
// one pays the reserve whatever it bids (the second pays the next bid),
// one for a paid_cpc at the reserve.
func NoPayingWinnerChance(p float64, bidders, need int) float64 {
	switch {
	case bidders < need || p <= 0:
		return 1
	case p >= 1:
		return 0
	}
	n, lq := float64(bidders), math.Log1p(-p)
	fail := math.Exp(n * lq) // no bidder above 0
	if need > 1 {
		fail += n * p * math.Exp((n-1)*lq) // one
	}
	return math.Exp(AdsCalibrationAuctions * math.Log(min(fail, 1)))
}

// positiveDraws refuses a relevance with which none of the calibration
// auctions has a paying winner with a chance above MaxNoPayingWinner,
// where the bids are scaled to a paid_cpc (the caller checks paid_cpc > 0
// and that the distribution passed its own checks): a fixed value of 0
// (whatever its min: the sampler returns a fixed value unclamped),
// empirical values (nearly) all 0, a poisson of a vanishing mean, a normal
// (clamped to min, 0) whose mean sits well below 0 (a gamma or lognormal
// underflows to 0 far less often). A min above 0 floors every other draw
// (the sampler's clamp), so it is always enough there.
func (r *resolver) positiveDraws(p string, d *Dist) {
	if d.Trace != "" {
		return
	}
	ad := r.sc.Ads
	if d.Kind == "fixed" { // the sampler returns a fixed value as it is, unclamped
		if d.Value <= 0 {
			r.bad(p+".value", "%g: with paid_cpc %g it must be positive, since a bidder of relevance 0 takes no part in the auction "+
				"and no bid scale reaches paid_cpc without a paying winner; or give paid_cpc: 0 to use the bids as written", d.Value, ad.PaidCPC)
		}
		return
	}
	if d.Min > 0 {
		return
	}
	field, chance := positiveChance(d)
	need := 2
	if f := ad.BidPerClickFactor(); f > 0 && ad.PaidCPC <= ad.Reserve/f {
		need = 1 // paid_cpc at the reserve: a lone winner pays it
	}
	if ad.Bidders < need {
		return // paidOneBidder's refusal: a lone bidder pays the reserve whatever its relevance
	}
	none := NoPayingWinnerChance(chance, ad.Bidders, need)
	if none <= MaxNoPayingWinner {
		return
	}
	r.bad(p+field, "dist %s draws above 0 with chance %.3g per draw, so with %d bidders none of the %d auctions the bid scale is "+
		"solved on has %s with chance %.3g (at most %g loads with paid_cpc %g): a bidder of relevance 0 takes no part in the auction, "+
		"and no bid scale reaches paid_cpc without a paying winner; give min above 0 to floor the draws, a distribution whose draws "+
		"are above 0, or paid_cpc: 0 to use the bids as written",
		d.Kind, chance, ad.Bidders, AdsCalibrationAuctions, payingWinner(need), none, MaxNoPayingWinner, ad.PaidCPC)
}

// payingWinner says what a calibration auction needs for a paying winner.
func payingWinner(need int) string {
	if need == 1 {
		return "a bidder of relevance above 0"
	}
	return "two bidders of relevance above 0 (a lone winner pays the reserve)"
}

// ZeroRelevanceWarnShare is the share of a relevance's draws that are 0
// (Dist.NonPositiveChance) above which aiecon run warns (ADS.RELEVANCE
// DRAWS 0): it loads, a modelling choice, but one bidder in a hundred left
// out of its auctions changes who wins and what the winners pay.
const ZeroRelevanceWarnShare = 0.01

// NonPositiveChance is the chance per draw that d, a positive multiplier
// (distScore: ads.relevance) whose own checks passed, draws 0 or less: 1
// for a fixed 0, 0 where a min above 0 floors the draws, and 0 for a trace,
// whose column is not read here.
func (d Dist) NonPositiveChance() float64 {
	switch {
	case d.Trace != "" || d.Min > 0 && d.Kind != "fixed":
		return 0
	case d.Kind == "fixed":
		if d.Value <= 0 {
			return 1
		}
		return 0
	}
	_, c := positiveChance(&d)
	return 1 - c
}

// positiveChance is the chance per draw that d (min 0, its own checks
// passed) draws above 0, and the field to place a refusal at ("" for the
// distribution).
func positiveChance(d *Dist) (string, float64) {
	tiny := math.Log(math.SmallestNonzeroFloat64) // ln of the smallest float64 above 0
	switch d.Kind {
	case "empirical":
		pos := 0
		for _, x := range d.Values {
			if x > 0 {
				pos++
			}
		}
		if len(d.Values) > 0 {
			return ".values", float64(pos) / float64(len(d.Values))
		}
	case "poisson":
		return ".mean", -math.Expm1(-d.Mean)
	case "normal":
		return ".mean", 0.5 * math.Erfc(-d.Mean/d.Std/math.Sqrt2)
	case "lognormal":
		return "", 0.5 * math.Erfc((tiny-math.Log(d.Median))/d.LognormalSigma()/math.Sqrt2)
	case "gamma":
		// Below the smallest float64, P(X < x) ~ (x/theta)^alpha / Gamma(alpha+1),
		// alpha = 1/cv^2, theta = mean cv^2: with a mean of 1, a cv of 10 underflows
		// 8e-4 of its draws (gonum's sampler, 2e6 draws: 5.9e-4), far from all.
		alpha, theta := 1/(d.CV*d.CV), d.Mean*d.CV*d.CV
		lg, _ := math.Lgamma(alpha + 1)
		return ".cv", max(0, 1-math.Exp(alpha*(tiny-math.Log(theta))-lg))
	}
	return "", 1 // uniform (max above min), exponential, geometric: above 0 nearly always
}

// Z99 is the standard normal 99th percentile: a lognormal with median m
// and 99th percentile p has sigma = ln(p/m) / Z99 (Dist.LognormalSigma).
const Z99 = 2.3263478740408408

// LognormalSigma is a lognormal's sigma: from its median and p99 where the
// p99 is given, as the sampler draws it, else the sigma given.
func (d Dist) LognormalSigma() float64 {
	if d.P99 > 0 && d.Median > 0 {
		return math.Log(d.P99/d.Median) / Z99
	}
	return d.Sigma
}
