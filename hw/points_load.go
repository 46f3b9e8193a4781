package hw

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The metric_kind column says how a benchmark applied its requests. Three
// loads are simulated:
//   - a static batch: the default ("static_batch", "static batch ...", or
//     empty);
//   - a closed loop of N clients: "closed-loop concurrency=N",
//     "max-concurrency=N (closed loop)", GenAI-Perf's "concurrency=N", and
//     vLLM's "--request-rate inf --max-concurrency N";
//   - an open loop sending requests at a rate with exponential gaps:
//     vLLM's "request-rate=R", "qps=R" or "rate=R/s", optionally a set
//     number of them ("num-prompts=N" in metric_kind, or "--num-prompts N"
//     in the note); "request-rate=inf" without a concurrency sends them all
//     at once.
//
// Anything else is kept as UnknownLoad, and the row is skipped with its
// reason rather than simulated as a load it was not.
var (
	concurrencyRe = regexp.MustCompile(`concurrency\s*[=:]\s*(\S*)`)
	rateRe        = regexp.MustCompile(`(?:request[-_ ]?rate|qps|\brate)\s*[=:]\s*([^\s,;)]*)`)
	promptsRe     = regexp.MustCompile(`num[-_ ]?prompts\s*[=: ]\s*(\S+)`)
)

// parseLoad fills the point's load fields from the metric_kind column and
// the note.
func (pt *ServingPoint) parseLoad(kind, note string) error {
	l := strings.ToLower(strings.TrimSpace(kind))
	for _, f := range loadFields {
		if err := onlyValue(f.re, l, kind, f.what, f.clean); err != nil {
			return err
		}
	}
	if m := promptsRe.FindStringSubmatch(l); m != nil {
		n, err := wholeNumber(m[1], maxPointPrompts, promptsAllowed)
		if err != nil {
			return fmt.Errorf("column metric_kind: %q: num-prompts %w", kind, err)
		}
		pt.Prompts = n
	} else if m := promptsRe.FindStringSubmatch(strings.ToLower(note)); m != nil {
		// A note is prose: a count that is not one is left unread, and one
		// too large is Validate's to refuse.
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 {
			pt.Prompts = n
		}
	}
	rate, hasRate := 0.0, false
	if m := rateRe.FindStringSubmatch(l); m != nil {
		hasRate = true
		switch v := strings.TrimSuffix(m[1], "/s"); v {
		case "inf", "infinity":
			pt.AllAtOnce = true
		default:
			r, err := strconv.ParseFloat(v, 64)
			if err != nil || !(r >= minPointRate && r <= maxPointRate) {
				return fmt.Errorf("column metric_kind: %q: the request rate must be a number from %s, or inf", kind, rateAllowed)
			}
			rate = r
		}
	}
	closed := strings.Contains(l, "closed")
	if m := concurrencyRe.FindStringSubmatch(l); m != nil || closed {
		if m == nil {
			return fmt.Errorf("column metric_kind: %q says closed loop but gives no concurrency=N", kind)
		}
		n, err := wholeNumber(strings.TrimRight(m[1], ",;)"), maxPointSeqs, concurrencyAllowed)
		if err != nil {
			return fmt.Errorf("column metric_kind: %q: concurrency %w", kind, err)
		}
		if rate > 0 {
			// A rate with a cap on requests in flight is neither loop.
			pt.UnknownLoad = kind
			return nil
		}
		pt.Concurrency, pt.AllAtOnce = n, false
		return nil
	}
	switch {
	case hasRate:
		pt.RequestRate = rate
	case l == "" || strings.Contains(l, "static"):
	default:
		pt.UnknownLoad = kind
	}
	return nil
}

// loadFields are the values metric_kind gives, each with what trims its
// match to the number itself ("8)" of "max-concurrency=8 (closed loop)").
var loadFields = []struct {
	re    *regexp.Regexp
	what  string
	clean func(string) string
}{
	{concurrencyRe, "concurrency", func(s string) string { return strings.TrimRight(s, ",;)") }},
	{rateRe, "a request rate", func(s string) string { return strings.TrimSuffix(s, "/s") }},
	{promptsRe, "num-prompts", func(s string) string { return s }},
}

// onlyValue refuses a metric_kind (l, lower-cased; kind as written) that
// gives a value of re twice and differently: "closed-loop concurrency=5
// closed-loop concurrency=6" had simulated 5 clients without a word, and
// which the benchmark ran is a guess. The same value twice is one value,
// however it is written ("request-rate=2 (rate=2.0/s)").
func onlyValue(re *regexp.Regexp, l, kind, what string, clean func(string) string) error {
	ms := re.FindAllStringSubmatch(l, -1)
	for _, m := range ms[min(1, len(ms)):] {
		if first, v := clean(ms[0][1]), clean(m[1]); !sameValue(first, v) {
			return fmt.Errorf("column metric_kind: %q gives %s twice, %s and %s: give the one the benchmark ran", kind, what, first, v)
		}
	}
	return nil
}

// sameValue reports whether a and b, two values metric_kind gives, are one
// number ("2" and "2.0", "inf" and "infinity") or, where either is not a
// number, the same text; the first is then read and range-checked.
func sameValue(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	return a == b || (errA == nil && errB == nil && x == y)
}

// wholeNumber parses s as a count from 1 to max; allowed states the range
// (concurrencyAllowed, promptsAllowed), as Validate states it.
func wholeNumber(s string, max int, allowed string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("must be a whole number from %s, not %q", allowed, s)
	}
	return n, nil
}

// OpenLoop reports whether the point is an open loop: requests sent at a
// rate (RequestRate) or all at once (AllAtOnce), not waiting for answers.
func (pt ServingPoint) OpenLoop() bool { return pt.RequestRate > 0 || pt.AllAtOnce }

// Quantile is the fraction the point's stat column names for a percentile
// ("p90": 0.9; "p50" and a median: 0.5), and false for a mean.
func (pt ServingPoint) Quantile() (float64, bool) {
	if pt.Stat == "mean" {
		return 0, false
	}
	q, err := strconv.ParseFloat(strings.TrimPrefix(pt.Stat, "p"), 64)
	if err != nil || pt.Stat == "" {
		return 0.5, true
	}
	return q / 100, true
}
