package tui

import (
	"maps"
	"math"
	"testing"
	"time"

	"aiecon/model/format"
)

// TestFormatNumbers covers what the dashboard adds to model/format's compact
// forms (whose own test covers zero, NaN, minus and size).
func TestFormatNumbers(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"delta rel", fmtDelta(1.2, 0.123, "USD"), "+12.3%"},
		{"delta rel negative", fmtDelta(-3, -0.5, "USD"), "-50.0%"},
		{"delta abs when baseline zero", fmtDelta(0.25, nan, "fraction"), "+25.0 pp"},
		{"delta fraction in points", fmtDelta(0.751-0.93, (0.751-0.93)/0.93, "fraction"), "-17.9 pp"},
		{"delta fraction up", fmtDelta(0.02, 0.5, "fraction"), "+2.0 pp"},
		{"delta fraction large", fmtDelta(-17.61, -2, "fraction"), "-1,761 pp"},
		{"delta abs usd", fmtDelta(-1.5, nan, "USD"), "-$1.50"},
		{"delta zero", fmtDelta(0, 0, "USD"), "="},
		{"delta nan", fmtDelta(nan, nan, "USD"), format.Undefined},
		{"sim time", fmtSimTime(int64(5 * time.Minute)), "5m"},
		{"clock zero", fmtClock(0), "0"},
		{"clock seconds", fmtClock(30), "30s"},
		{"clock minutes", fmtClock(300), "5m"},
		{"clock m s", fmtClock(330), "5m30s"},
		{"clock h m", fmtClock(5400), "1h30m"},
		{"short id", shortID("1m89y85n3v1wgb0", 0), "1m89y85n"},
		// A unit cost keeps three digits under a dollar: $0.0125 read $0.01.
		{"unit cost cents", fmtUnitCost(0.0125), "$0.0125"},
		{"unit cost tenths", fmtUnitCost(0.2264), "$0.226"},
		{"unit cost under a cent", fmtUnitCost(0.00326), "$0.00326"},
		{"unit cost rounds to a dollar", fmtUnitCost(0.99951), "$1.00"},
		{"unit cost rounds to a dime", fmtUnitCost(0.09999), "$0.100"},
		{"unit cost dollars", fmtUnitCost(12.345), "$12.35"},
		{"unit cost undefined", fmtUnitCost(nan), fmtUSD(nan)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFmtWhen(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 14, 9, 5, 7, 0, time.UTC), "09:05:07"},
		{time.Date(2026, 1, 2, 9, 5, 0, 0, time.UTC), "Jan 02 09:05"},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2025-12-31"},
		{time.Time{}, "—"},
	}
	for _, tt := range tests {
		if got := fmtWhen(tt.t, now, time.UTC); got != tt.want {
			t.Errorf("fmtWhen(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// TestFmtStarted: the runs list gives every run its date, today's too (it
// read 09:05:07, as a run of any other day at that time would), in the
// 12 cells of the STARTED column.
func TestFmtStarted(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 14, 9, 5, 7, 0, time.UTC), "Mar 14 09:05"},
		{time.Date(2026, 3, 13, 9, 5, 7, 0, time.UTC), "Mar 13 09:05"},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2025-12-31"},
		{time.Time{}, "—"},
	}
	for _, tt := range tests {
		got := fmtStarted(tt.t, now, time.UTC)
		if got != tt.want {
			t.Errorf("fmtStarted(%v) = %q, want %q", tt.t, got, tt.want)
		}
		if len([]rune(got)) > 12 {
			t.Errorf("fmtStarted(%v) = %q: wider than the STARTED column's 12 cells", tt.t, got)
		}
	}
}

// TestUniqueLens: each id is as long as it needs to differ from the others
// (at least 8 characters, as git abbreviates), not as long as the two
// closest ids need: one pair made in the same millisecond, 14 characters
// alike, made every id 15 long.
func TestUniqueLens(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
		want map[string]int
	}{
		{"apart", []string{"1m98hd5yh53qzes", "1m98hj8nydkzpyj"}, map[string]int{"1m98hd5yh53qzes": 8, "1m98hj8nydkzpyj": 8}},
		{"one pair alike", []string{"1m98hd5yh53qzes", "1m98hfprk34s9p8", "1m98hfprk34s9p9"},
			map[string]int{"1m98hd5yh53qzes": 8, "1m98hfprk34s9p8": 15, "1m98hfprk34s9p9": 15}},
		{"alike to 9", []string{"1m98hd69h3aaaaa", "1m98hd69hxbbbbb", "1m98hfpn7cccccc"},
			map[string]int{"1m98hd69h3aaaaa": 10, "1m98hd69hxbbbbb": 10, "1m98hfpn7cccccc": 8}},
		{"a repeated id", []string{"1m98hd5yh53qzes", "1m98hd5yh53qzes"}, map[string]int{"1m98hd5yh53qzes": 8}},
	}
	for _, tt := range tests {
		got := uniqueLens(tt.ids)
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
