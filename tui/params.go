package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/study"
)

// param is one parameter of a sweep point, in the order the sweep gave it.
type param struct {
	key   string
	value string  // as shown: 4, 20/s, trn2.48xlarge
	num   float64 // the leading number of value, for ordering (20/s -> 20)
	isNum bool
}

// parseParams reads a sweep point's params_json object keeping its key
// order (a Go map would lose it, and the order is how the sweep reads).
func parseParams(js string) ([]param, error) {
	ps, err := data.ParseParams(js)
	if err != nil {
		return nil, fmt.Errorf("sweep parameters %q: %w", js, err)
	}
	var out []param
	for _, p := range ps {
		q := param{key: p.Key, value: p.Value}
		q.num, q.isNum = leadingNumber(q.value)
		out = append(out, q)
	}
	return out, nil
}

// blank reports whether a parameter's value says nothing about its point:
// null, or an empty string, list or map, as study.Value.Blank says (the
// optimizer resets a candidate's scheduler "" and buckets [] off their
// family); a copy of its cases here had left out the quoted empty
// strings, Null and NULL.
func (p param) blank() bool { return study.Value{YAML: p.value}.Blank() }

// telling is the parameters that are not blank, in order.
func telling(ps []param) []param {
	var out []param
	for _, p := range ps {
		if !p.blank() {
			out = append(out, p)
		}
	}
	return out
}

// leadingNumber parses the number a value starts with: "20/s" -> 20,
// "0.5" -> 0.5, "trn2" -> not a number.
func leadingNumber(s string) (float64, bool) {
	v, _, ok := numberPrefix(s)
	return v, ok
}

// numberPrefix is leadingNumber with the length of the number in s.
func numberPrefix(s string) (v float64, n int, ok bool) {
	end := 0
	for end < len(s) && strings.ContainsRune("+-0123456789.eE", rune(s[end])) {
		end++
	}
	for end > 0 {
		if v, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return v, end, true
		}
		end--
	}
	return 0, 0, false
}

// shown is the value as tables print it: a number with a fraction of
// more than 4 significant digits (a Monte Carlo draw, 2.78533979994/s) is
// rounded to 4 and keeps its unit (2.785/s). Whole digits are never
// rounded away (a seed 1234567891, a count 100000 stay as they are: two
// seeds must not read alike), nor is a number given in exponent form
// touched. value itself stays exact: points are matched on it.
func (p param) shown() string {
	v, n, ok := numberPrefix(p.value)
	num := p.value[:n]
	if !ok || !strings.Contains(num, ".") || strings.ContainsAny(num, "eE") {
		return p.value
	}
	decimals := 0
	if a := math.Abs(v); a > 0 {
		decimals = max(0, 3-int(math.Floor(math.Log10(a))))
	}
	short := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(short, ".") {
		short = strings.TrimRight(strings.TrimRight(short, "0"), ".")
	}
	if short += p.value[n:]; len(short) < len(p.value) {
		return short
	}
	return p.value
}

// paramsLabel prints parameters in full, as they were given (as `aiecon
// show` does): count=4 rate=20/s. It is what the run header and the status
// line show, so nothing is rounded (compactParams rounds for a table
// cell). Keys are shortened to their last path element, which is what
// tells points apart, unless two share it (labelKeys).
func paramsLabel(ps []param) string {
	var parts []string
	for i, k := range labelKeys(ps) {
		parts = append(parts, k+"="+ps[i].value)
	}
	return strings.Join(parts, " ")
}

// labelKeys are the parameters' keys as a label shows them: each its last
// path element (shortKey), but in full where two parameters share that
// element, which would read as one knob set twice (two workloads'
// diurnal=default).
func labelKeys(ps []param) []string {
	seen := map[string]int{}
	for _, p := range ps {
		seen[shortKey(p.key)]++
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = shortKey(p.key)
		if seen[out[i]] > 1 {
			out[i] = p.key
		}
	}
	return out
}

// shortKey keeps the last element of a dotted override path:
// workloads[chat].arrivals.rate -> rate.
func shortKey(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 && i < len(k)-1 {
		return k[i+1:]
	}
	return k
}

// compactParams prints a point for a narrow table cell, the way people
// name fleets: the instance type without "large" (trn1.32xl), tp8 for the
// tensor-parallel degree, x4 for the instance count, a rate as its value
// (20/s); any other parameter as key=value. The full form (paramsLabel)
// is on the status line.
func compactParams(ps []param) string {
	parts := make([]string, 0, len(ps))
	keys := labelKeys(ps)
	for i, p := range ps {
		v := p.shown()
		switch keys[i] {
		case "instance", "instance_type":
			parts = append(parts, strings.Replace(v, "xlarge", "xl", 1))
		case "tp":
			parts = append(parts, "tp"+v)
		case "count", "instances":
			parts = append(parts, "x"+v)
		case "rate", "pricing", "scheduler", "model":
			parts = append(parts, v)
		default:
			parts = append(parts, keys[i]+"="+v)
		}
	}
	return strings.Join(parts, " ")
}
