package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// niceTicks label a linear axis at a round step (1, 2, 2.5 or 5 times a
// power of ten) chosen so the axis shows 3 to 8 labels, without trailing
// zeros. gonum's default aims at 3 and often shows 2 (a revenue axis of
// "0" and "200"), and prints every label with the precision of the finest
// one ("250.00" beside "0.00").
type niceTicks struct{}

// maxTickIntervals bounds the labels of an axis. Consecutive nice steps
// differ by at most 2x, so the step chosen leaves more than 3.5 intervals
// in the range: at least 3 labels whatever the range's ends.
const maxTickIntervals = 7

// Ticks implements plot.Ticker. It never panics: a range without finite
// ends has no tick, and one too narrow to step through (equal ends, or a
// width below a millionth of a millionth of its magnitude) one tick at
// min. The fallback to gonum's DefaultTicks it had for such ranges panics
// on exactly them ("illegal range", for a flat forecast line of 1e22), and
// stepping a width of a few float spacings could loop for ever.
func (niceTicks) Ticks(min, max float64) []plot.Tick {
	switch {
	case math.IsNaN(min) || math.IsNaN(max) || math.IsInf(min, 0) || math.IsInf(max, 0) || max < min:
		return nil
	case max-min <= 1e-12*math.Max(math.Abs(min), math.Abs(max)) || max-min < 1e-300:
		return []plot.Tick{{Value: min, Label: flatLabel(min)}}
	}
	// Each end divided first: max-min overflows from -1e308 to 1e308.
	step, prec := niceStep(max/maxTickIntervals - min/maxTickIntervals)
	end := max*(1+1e-12) + 1e-300 // a last multiple that float noise put past max
	if math.IsInf(end, 0) {
		end = max // and not +Inf, which every multiple up to +Inf is within
	}
	var ticks []plot.Tick
	for k := math.Ceil(min / step); k*step <= end; k++ {
		v := k * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: trimZeros(strconv.FormatFloat(v, 'f', prec, 64))})
	}
	return ticks
}

// flatLabel is the label of a flat range's one tick: a plain decimal up to
// 1e21, an exponent beyond (not 309 digits for 1e308).
func flatLabel(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// trimZeros drops trailing decimal zeros: "0.5" beside "1", not "1.0".
func trimZeros(label string) string {
	if !strings.Contains(label, ".") {
		return label
	}
	return strings.TrimSuffix(strings.TrimRight(label, "0"), ".")
}

// niceStep is the smallest of 1, 2, 2.5, 5 times a power of ten that is at
// least minStep, and the decimals its multiples need.
func niceStep(minStep float64) (float64, int) {
	exp := math.Floor(math.Log10(minStep))
	pow := math.Pow(10, exp)
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= minStep*(1-1e-9) {
			prec := int(max(0, -exp))
			if m == 2.5 {
				prec = int(max(0, 1-exp))
			} else if m == 10 {
				prec = int(max(0, -exp-1))
			}
			return m * pow, prec
		}
	}
	return 10 * pow, int(max(0, -exp-1)) // not reached: 10 >= minStep/pow
}

// logTicks label a log axis at powers of ten, and also at 2 and 5 times
// them (then at every multiple) while fewer than two labels would fall
// inside the range: a queueing delay from 0.2 to 0.9 s would otherwise have
// no label at all. The unlabelled multiples are minor ticks. (gonum's
// LogTicks starts below 1 a decade late and labels powers of ten only.)
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		return nil
	}
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	var ticks []plot.Tick
	for _, labelled := range [][]int{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		ticks = ticks[:0]
		shown := 0
		for d := lo; d <= hi; d++ {
			for m := 1; m <= 9; m++ {
				// Parsed, so 3e-1 is the float nearest 0.3, not 3 x 0.1.
				v, _ := strconv.ParseFloat(strconv.Itoa(m)+"e"+strconv.Itoa(d), 64)
				t := plot.Tick{Value: v}
				if slices.Contains(labelled, m) {
					// Plain decimals: 'g' wrote 1e+06 beside 100000 and
					// 5e-05 beside 0.0001 on one axis.
					t.Label = strconv.FormatFloat(v, 'f', -1, 64)
					if v >= min*(1-1e-9) && v <= max*(1+1e-9) {
						shown++
					}
				}
				ticks = append(ticks, t)
			}
		}
		if shown >= 2 {
			break
		}
	}
	return ticks
}

// moneyTicks relabel the labelled ticks of a Ticker as compact amounts of
// money, $2.5M, $100k, -$500k, $0, for axes of forecast totals that reach
// millions: niceTicks printed 2500000, logTicks 1000000.
type moneyTicks struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (m moneyTicks) Ticks(min, max float64) []plot.Tick {
	ticks := m.Ticker.Ticks(min, max)
	// An exponent takes the digits that tell the labels apart: the ticks
	// of a flat line at 6.57e18 are millionths of it apart, and 3 digits
	// printed each one as $6.57e+18.
	for digits := 3; digits <= 17; digits++ {
		seen, same := map[string]bool{}, false
		for i := range ticks {
			if ticks[i].Label != "" {
				ticks[i].Label = usdTick(ticks[i].Value, digits)
				same = same || seen[ticks[i].Label]
				seen[ticks[i].Label] = true
			}
		}
		if !same {
			break
		}
	}
	return ticks
}

// usdTick prints a tick's amount with k, M or B for thousands, millions
// and billions, and from 1e15 on with an exponent of digits significant
// digits: $1e+22, not $10000000000000B. Tick values are round, so 6
// decimals of the scaled amount, trimmed, show them exactly and drop the
// float noise of k x step.
func usdTick(v float64, digits int) string {
	sign, a := "", math.Abs(v)
	if v < 0 {
		sign = "-"
	}
	if a >= 1e15 {
		return sign + "$" + strconv.FormatFloat(a, 'g', digits, 64)
	}
	suffix := ""
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.div {
			a, suffix = a/u.div, u.suffix
			break
		}
	}
	s := trimZeros(strconv.FormatFloat(a, 'f', 6, 64))
	if s == "0" {
		return "$0"
	}
	return sign + "$" + s + suffix
}
