package study

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"aiecon/model"
)

// Ranges and distributions keep the units of the scenario field they vary:
// a rate range runs in requests per second, a duration range in time.

// kind is what a quantity measures.
type kind int

const (
	kindNumber   kind = iota // a plain number: counts, prices, fractions
	kindRate                 // events per second, written 40/s, 2400/min
	kindDuration             // seconds of simulated time, written 300ms, 10m
)

func (k kind) String() string {
	return [...]string{"a plain number", "a rate", "a duration"}[k]
}

// quantity is a number with its kind, in base units (per second, seconds).
type quantity struct {
	kind kind
	v    float64
}

// parseQuantity reads 4, 0.5, 1e9, 40/s, 2400/min, 300ms or 10m.
func parseQuantity(s string) (quantity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return quantity{}, fmt.Errorf("empty value (want a number, a rate such as 10/s, or a duration such as 5m)")
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return quantity{}, fmt.Errorf("%q is not a finite number", s)
		}
		return quantity{kindNumber, v}, nil
	}
	if strings.Contains(s, "/") {
		r, err := model.ParseRate(s)
		if err != nil {
			return quantity{}, err
		}
		return quantity{kindRate, r.PerSecond()}, nil
	}
	d, err := model.ParseDuration(s)
	if err != nil {
		return quantity{}, fmt.Errorf("%q is not a number, a rate (10/s) or a duration (5m)", s)
	}
	return quantity{kindDuration, d.Seconds()}, nil
}

// roundSig rounds to 12 significant digits, so that 0.1 + 2 x 0.1 prints as
// 0.3 and a range lands exactly on its end.
func roundSig(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// formatNumber prints a number without an exponent, the way an integer
// field accepts it when the value is whole.
func formatNumber(v float64) string {
	v = roundSig(v)
	if math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// text writes the quantity as a scenario value.
func (q quantity) text() string {
	switch q.kind {
	case kindRate:
		return formatNumber(q.v) + "/s"
	case kindDuration:
		ns := math.Round(q.v * 1e9)
		return model.Duration(int64(ns)).String()
	}
	return formatNumber(q.v)
}

// jsonValue is the quantity as it goes into a point's params_json: numbers
// as numbers, rates and durations as their text with the unit.
func (q quantity) jsonValue() any {
	if q.kind == kindNumber {
		return roundSig(q.v)
	}
	return q.text()
}
