package model

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"aiecon/model/format"

	"github.com/goccy/go-yaml/ast"
)

// Duration is a span of simulated time in nanoseconds. In YAML it is written
// with a unit: 300ms, 2s, 10m, 1h, 7d (d = 24h). A bare number is refused
// because "10" could mean seconds or minutes.
type Duration int64

// Common durations.
const (
	Nanosecond  Duration = 1
	Millisecond Duration = 1e6
	Second      Duration = 1e9
	Minute      Duration = 60 * Second
	Hour        Duration = 60 * Minute
	Day         Duration = 24 * Hour
)

// MaxDuration bounds every duration a scenario gives (36,500 days, a
// century): the simulated clock is int64 nanoseconds, and a delay added to
// the time of a run (at most a year and its drain) must not wrap it into
// the past, which a queue timeout or a restart warm-up of 2^63 ns did.
const MaxDuration = 36500 * Day

// ErrDurationRange is a well-formed duration past MaxDuration either way;
// callers that try other readings first pass it through.
var ErrDurationRange = errors.New("out of range")

// durationTerm is one term of a duration: a decimal number and its unit.
// Days, which strconv.ParseFloat reads, may have an exponent (1e3d); the
// other units go to time.ParseDuration, which has none.
var durationTerm = regexp.MustCompile(`([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?(ns|us|µs|μs|ms|s|m|h|d)`)

// unitRank orders the units from the largest down; the three spellings
// of a microsecond are one unit.
var unitRank = map[string]int{"d": 0, "h": 1, "m": 2, "s": 3, "ms": 4, "us": 5, "µs": 5, "μs": 5, "ns": 6}

// ErrNoUnit is ParseDuration's error for a bare number: a caller with a
// range of its own (the horizon, from 1s) names units that fall in it
// rather than the generic "5s or 5ms", of which 5ms is no horizon.
var ErrNoUnit = errors.New("needs a unit")

const durationExamples = "want e.g. 300ms, 2s, 10m, 1h30m, 7d"

// ParseDuration reads a duration with a unit (ns, us, ms, s, m, h, d),
// combinations such as 1h30m included: one optional sign for the whole,
// then terms with their units from the largest down, each unit once.
// time.ParseDuration alone took a repeated unit (1h1h, two hours for a
// typo of one) and a sign on the term after the days (1d-1h, 23 hours).
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	given := s
	if s == "" {
		return 0, fmt.Errorf("empty duration (%s)", durationExamples)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return 0, fmt.Errorf("duration %q %w (e.g. %ss or %sms)", s, ErrNoUnit, s, s)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if len(given)-len(s) > 1 {
		return 0, fmt.Errorf("bad duration %q: one sign at most, before the first term (%s)", given, durationExamples)
	}
	if err := checkDurationTerms(given, s); err != nil {
		return 0, err
	}
	// time.ParseDuration has no days; the grammar puts them first.
	var days float64
	if i := strings.IndexByte(s, 'd'); i > 0 {
		days, _ = strconv.ParseFloat(s[:i], 64) // a decimal, checked above
		s = s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			// Well formed (checked above), so only too long: past
			// time.ParseDuration's ~292 years.
			return 0, fmt.Errorf("duration %q %w (between -%s and %s)", given, ErrDurationRange, MaxDuration, MaxDuration)
		}
		rest = d
	}
	total, ok := addDays(days, rest)
	if !ok || total > MaxDuration || total < -MaxDuration {
		return 0, fmt.Errorf("duration %q %w (between -%s and %s)", given, ErrDurationRange, MaxDuration, MaxDuration)
	}
	if neg {
		total = -total
	}
	return total, nil
}

// checkDurationTerms says what is wrong with an unsigned duration s (given
// is the text as written), or nil: it must be terms alone, their units
// from the largest down, each once.
func checkDurationTerms(given, s string) error {
	at, rank := 0, -1
	for _, m := range durationTerm.FindAllStringSubmatchIndex(s, -1) {
		if m[0] != at {
			break
		}
		unit := s[m[6]:m[7]]
		switch r := unitRank[unit]; {
		case m[4] >= 0 && unit != "d":
			return fmt.Errorf("bad duration %q: an exponent is read on days alone (%s)", given, durationExamples)
		case r == rank:
			return fmt.Errorf("bad duration %q: the unit %s is written twice; write each unit once (%s)", given, unit, durationExamples)
		case r < rank:
			return fmt.Errorf("bad duration %q: %s after a smaller unit; write the units from the largest down (%s)", given, unit, durationExamples)
		default:
			rank = r
		}
		at = m[1]
	}
	switch {
	case at == len(s) && at > 0:
		return nil
	case at > 0 && strings.ContainsAny(s[at:at+1], "+-"):
		return fmt.Errorf("bad duration %q: a sign may stand only before the first term, for the whole duration (%s)", given, durationExamples)
	default:
		return fmt.Errorf("bad duration %q (%s)", given, durationExamples)
	}
}

// addDays is days plus rest in whole nanoseconds, false where it is past
// int64 (or days is NaN). The whole days are counted in int64: float64
// holds whole nanoseconds only up to 2^53 (104 days), so 366d1ns summed in
// float64 lost its 1ns and passed the 366-day horizon bound.
func addDays(days float64, rest time.Duration) (Duration, bool) {
	if !(math.Abs(days) <= float64(2*MaxDuration/Day)) { // NaN too; the bound keeps days' nanoseconds in int64
		return 0, false
	}
	whole := math.Trunc(days)
	d := int64(whole)*int64(Day) + int64((days-whole)*float64(Day))
	r := int64(rest)
	if r > 0 && d > math.MaxInt64-r || r < 0 && d < math.MinInt64-r {
		return 0, false
	}
	return Duration(d + r), true
}

// Seconds returns the duration in seconds.
func (d Duration) Seconds() float64 { return float64(d) / float64(Second) }

// String prints the shortest readable form: 7d, 1h, 10m, 2s, 300ms, 1.5s.
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	for _, u := range []struct {
		d    Duration
		name string
	}{{Day, "d"}, {Hour, "h"}, {Minute, "m"}, {Second, "s"}, {Millisecond, "ms"}} {
		if d%u.d == 0 && (u.d != Millisecond || d < Second) {
			return strconv.FormatInt(int64(d/u.d), 10) + u.name
		}
	}
	return time.Duration(d).String()
}

// UnmarshalYAML reads a duration string; errors carry the YAML position.
func (d *Duration) UnmarshalYAML(node ast.Node) error {
	if err := scalarOnly(node, "a duration such as 300ms, 2s, 1h"); err != nil {
		return err
	}
	v, err := ParseDuration(scalarText(node))
	if err != nil {
		return errAt(node, "%v", err)
	}
	*d = v
	return nil
}

// MarshalYAML writes the readable form.
func (d Duration) MarshalYAML() ([]byte, error) { return []byte(d.String()), nil }

// Rate is a number of events per second. In YAML it is written with a unit:
// 40/s, 2400/min, 5/h, 100/d.
type Rate float64

// ParseRate reads "<number>/<unit>" with unit s, min, h or d.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	num, unit, ok := strings.Cut(s, "/")
	if !ok {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return 0, fmt.Errorf("rate %q needs a unit (e.g. %s/s or %s/min)", s, s, s)
		}
		return 0, fmt.Errorf("bad rate %q (want e.g. 40/s, 2400/min, 5/h)", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad rate %q (want e.g. 40/s, 2400/min, 5/h)", s)
	}
	per := map[string]float64{"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}[strings.TrimSpace(unit)]
	if per == 0 {
		return 0, fmt.Errorf("bad rate unit in %q (use /s, /min, /h or /d)", s)
	}
	return Rate(v / per), nil
}

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 { return float64(r) }

// String prints the rate per second, or per minute/hour when that reads
// better, in six significant digits, for messages (MarshalYAML writes
// every digit); a negative rate (refused, and named in the refusal) by its
// size, as -1/s and not -3600/h.
func (r Rate) String() string {
	v := float64(r)
	per, unit := rateUnit(v)
	return strconv.FormatFloat(v*per, 'g', 6, 64) + unit
}

// rateUnit is the unit a rate of v per second reads best in: per second
// from 1/s (and 0), else per minute from 1/min, else per hour; per is how
// many seconds it spans.
func rateUnit(v float64) (per float64, unit string) {
	switch size := math.Abs(v); {
	case size == 0 || size >= 1:
		return 1, "/s"
	case size*60 >= 1:
		return 60, "/min"
	}
	return 3600, "/h"
}

// UnmarshalYAML reads a rate string; errors carry the YAML position.
func (r *Rate) UnmarshalYAML(node ast.Node) error {
	if err := scalarOnly(node, "a rate such as 40/s"); err != nil {
		return err
	}
	v, err := ParseRate(scalarText(node))
	if err != nil {
		return errAt(node, "%v", err)
	}
	*r = v
	return nil
}

func scalarOnly(node ast.Node, want string) error {
	switch v := untagged(node); v.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		return errAt(node, "want %s, got a %s", want, v.Type())
	}
	return nil
}

// MarshalYAML writes the rate in String's unit (per second, minute or
// hour), in the fewest digits that read back as the same rate (Exact):
// 40/s and 30/min as given, and a forecast slice's scaled rate in full
// (11.250413596244188/s), where String's six digits (11.2504/s) made the
// resolved scenario of a run rerun another rate, with other results.
func (r Rate) MarshalYAML() ([]byte, error) { return []byte(r.Exact()), nil }

// Exact is the rate as MarshalYAML writes it: String's unit, and every
// digit it takes to read back (ParseRate) as r.
func (r Rate) Exact() string {
	v := float64(r)
	if per, unit := rateUnit(v); per != 1 {
		if s, ok := format.ExactPer(v, per); ok {
			return s + unit
		}
	}
	return format.Exact(v) + "/s"
}

// scalarText is a scalar's text as YAML reads it. A string's is the value
// the YAML library decoded: quotes removed, a double-quoted string's
// escapes decoded ("1m\t" ends in a tab, "\x41" is A) and a single-quoted
// one's doubled quote read as one. Stripping the quotes alone kept the escapes as
// written, so --set 'horizon="1m\t"' reported bad duration "1m\\t", a
// backslash the user never typed. Other scalars (numbers, booleans) are
// read as written. A tag or anchor before the value is not its text:
// horizon: !!str 20s was refused as bad duration "!!str 20s" (a tag that
// does not fit the value is refused before, naming the field: find).
func scalarText(node ast.Node) string {
	node = untagged(node)
	if s, ok := node.(*ast.StringNode); ok {
		return s.Value
	}
	if node == nil {
		return ""
	}
	return strings.TrimSpace(node.String())
}

// untagged is n without the tags and anchors written before its value
// (!!str 20s, &h !!str 20s, !!str &h 20s); nil where none follows them.
func untagged(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}
