package tui

import (
	"math"
	"testing"
	"time"
)

func TestFormatNumbers(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"sig small", fmtSig(4.933333), "4.93"},
		{"sig tens", fmtSig(78.65), "78.7"},
		{"sig hundreds", fmtSig(218.1), "218"},
		{"sig keeps zeros", fmtSig(2.5), "2.50"},
		{"sig below one", fmtSig(0.0042), "0.00420"},
		{"sig thousands", fmtSig(1386.4), "1,386"},
		{"sig millions", fmtSig(8.98e6), "8.98M"},
		{"sig giga rounds up", fmtSig(999.96e6), "1.00G"},
		{"sig negative", fmtSig(-1234), "-1,234"},
		{"sig nan", fmtSig(nan), "—"},
		{"count", fmtCount(1480), "1,480"},
		{"count big", fmtCount(12_345_678), "12.3M"},
		{"usd", fmtUSD(1.5395), "$1.54"},
		{"usd negative", fmtUSD(-27.1152), "-$27.12"},
		{"usd zero", fmtUSD(0), "$0.00"},
		{"usd tiny", fmtUSD(0.002), "$0.00200"},
		{"usd thousands", fmtUSD(12345.6), "$12,346"},
		{"usd millions", fmtUSD(1.234e6), "$1.23M"},
		{"usd inf", fmtUSD(math.Inf(1)), "—"},
		{"pct", fmtPct(0.99948), "99.9%"},
		{"pct small", fmtPct(0.0407), "4.1%"},
		{"pct whole", fmtPct(1), "100%"},
		{"pct huge negative", fmtPct(-17.6128), "-1,761%"},
		{"pct zero", fmtPct(0), "0%"},
		{"secs µs", fmtSeconds(0.00042), "420 µs"},
		{"secs ms", fmtSeconds(0.0248), "24.8 ms"},
		{"secs ms 3 digits", fmtSeconds(0.2478), "248 ms"},
		{"secs s", fmtSeconds(2.4831), "2.48 s"},
		{"secs hundreds", fmtSeconds(218.11), "218 s"},
		{"secs hours", fmtSeconds(5472), "1.52 h"},
		{"secs nan", fmtSeconds(nan), "—"},
		{"unit USD/Mtok", fmtUnit(13.4012, "USD/Mtok"), "$13.40/Mtok"},
		{"unit USD/h", fmtUnit(343.856, "USD/h"), "$343.86/h"},
		{"unit rps", fmtUnit(4.9333, "1/s"), "4.93/s"},
		{"unit tok/s", fmtUnit(1386.4, "tok/s"), "1,386 tok/s"},
		{"unit count", fmtUnit(7500, "count"), "7,500"},
		{"unit count avg", fmtUnit(3.5, "count"), "3.50"},
		{"unit fraction", fmtUnit(0.5, "fraction"), "50.0%"},
		{"unit other", fmtUnit(1.2e18, "FLOP"), "1.20E FLOP"},
		{"delta rel", fmtDelta(1.2, 0.123, "USD"), "+12.3%"},
		{"delta rel negative", fmtDelta(-3, -0.5, "USD"), "-50.0%"},
		{"delta abs when baseline zero", fmtDelta(0.25, nan, "fraction"), "+25.0%"},
		{"delta abs usd", fmtDelta(-1.5, nan, "USD"), "-$1.50"},
		{"delta zero", fmtDelta(0, 0, "USD"), "="},
		{"delta nan", fmtDelta(nan, nan, "USD"), "—"},
		{"sim time", fmtSimTime(int64(5 * time.Minute)), "5m"},
		{"clock zero", fmtClock(0), "0"},
		{"clock seconds", fmtClock(30), "30s"},
		{"clock minutes", fmtClock(300), "5m"},
		{"clock m s", fmtClock(330), "5m30s"},
		{"clock h m", fmtClock(5400), "1h30m"},
		{"short id", shortID("1m89y85n3v1wgb0", 0), "1m89y85n3v"},
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
