package format

import (
	"math"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		got  string
		want string
	}{
		// Zero, undefined and negative follow one rule in every form.
		{"usd zero", USD(0), "$0"},
		{"usd compact zero", USDCompact(0), "$0"},
		{"usd nan", USD(nan), Undefined},
		{"usd compact inf", USDCompact(inf), Undefined},
		{"usd negative", USD(-27.1152), "-$27.12"},
		{"usd compact negative", USDCompact(-27.1152), "-$27.12"},
		{"usd negative small", USD(-0.0042), "-$0.0042"},
		{"usd compact negative huge", USDCompact(-1.234e9), "-$1.23G"},
		{"usd", USD(1.5395), "$1.54"},
		{"usd small", USD(0.0042), "$0.0042"},
		{"usd thousands", USD(12345.6), "$12,346"},
		{"usd huge", USD(1.5e15), "$1,500,000,000,000,000"},
		// Past a float64's 16 digits, binary rounding printed as dollars.
		{"usd past a float's digits", USD(8.784e23), "$8.784e+23"},
		{"usd past a float's digits negative", USD(-1.2345678901234567e17), "-$1.23456789012346e+17"},
		{"usd at 1e16", USD(1e16), "$1e+16"},
		// Under half a hundredth of a cent four decimals read $0.0000, a
		// zero that $0 is kept for: the digits it needs, as USDCompact.
		{"usd below four decimals", USD(0.0000095), "$0.0000095"},
		{"usd below four decimals negative", USD(-0.000042), "-$0.000042"},
		{"usd below a billionth", USD(1e-12), "$0.000000000"},
		{"usd just above four decimals", USD(0.00005), "$0.0001"},
		// Below a cent, the digits the amount needs (up to three
		// significant), not zeros that pad it: $0.006, not $0.00600.
		{"usd compact tiny", USDCompact(0.002), "$0.002"},
		{"usd compact sub-cent", USDCompact(0.006), "$0.006"},
		{"usd compact sub-cent digits", USDCompact(0.0010949), "$0.00109"},
		{"usd compact sub-cent negative", USDCompact(-0.0042), "-$0.0042"},
		{"usd compact below a billionth", USDCompact(1e-12), "$0.000000000"},
		{"usd compact thousands", USDCompact(12345.6), "$12,346"},
		{"usd compact millions", USDCompact(1.234e6), "$1.23M"},
		{"sig small", Sig(4.933333), "4.93"},
		{"sig keeps zeros", Sig(2.5), "2.50"},
		{"sig below one", Sig(0.0042), "0.00420"},
		// Short and SecondsShort write a number in a sentence: no zeros
		// after the point, a suffix's kept.
		{"short whole", Short(3), "3"},
		{"short trims zeros", Short(2.5), "2.5"},
		{"short trims the point", Short(150), "150"},
		{"short below one", Short(0.0042), "0.0042"},
		{"short thousands", Short(1200), "1,200"},
		{"short keeps a suffix's zeros", Short(1.2e6), "1.20M"},
		{"short nan", Short(nan), Undefined},
		{"seconds short", SecondsShort(8), "8 s"},
		{"seconds short digits", SecondsShort(2.5), "2.5 s"},
		{"seconds short below one", SecondsShort(0.3), "300 ms"},
		{"seconds short zero", SecondsShort(0), "0 s"},
		{"seconds short hours", SecondsShort(7200), "7,200 s"},
		{"seconds short inf", SecondsShort(inf), Undefined},
		{"sig rounds up", Sig(999.96e6), "1.00G"},
		{"sig negative", Sig(-1234), "-1,234"},
		{"sig huge", Sig(1e21), "1000E"},
		{"sig zero", Sig(0), "0"},
		{"sig4", Sig4(1234.56), "1235"},
		{"sig4 small", Sig4(0.123456), "0.1235"},
		{"sig4 huge", Sig4(-12345678), "-1.235e+07"},
		{"sig4 tiny", Sig4(0.00001234), "1.234e-05"},
		{"sig4 zero", Sig4(0), "0"},
		{"sig4 nan", Sig4(nan), Undefined},
		{"sig nan", Sig(nan), Undefined},
		{"count", Count(12345678), "12,345,678"},
		{"count negative", Count(-1234), "-1,234"},
		{"count rounds to zero", Count(-0.2), "0"},
		{"count huge", Count(1e20), "100,000,000,000,000,000,000"},
		{"count nan", Count(nan), Undefined},
		{"count compact", CountCompact(12_345_678), "12.3M"},
		{"count compact negative", CountCompact(-1480), "-1,480"},
		{"avg count whole", AvgCount(4), "4"},
		{"avg count fraction", AvgCount(3.46), "3.5"},
		{"avg count nan", AvgCount(nan), Undefined},
		{"num", Num(4.9333, 2), "4.93"},
		{"num nan", Num(nan, 2), Undefined},
		{"pct", Pct(0.99948), "99.9%"},
		{"pct zero", Pct(0), "0.0%"},
		{"pct negative", Pct(-0.5), "-50.0%"},
		{"pct nan", Pct(nan), Undefined},
		{"pct compact zero", PctCompact(0), "0%"},
		{"pct compact huge negative", PctCompact(-17.6128), "-1,761%"},
		// A margin on a revenue of ~1e-300 USD printed 300 digits, and
		// PctCompact's int64 overflowed past 9.2e18%.
		{"pct past a million", Pct(-12345.678), "-1.23M%"},
		{"pct just below a million", Pct(9999.99), "999999.0%"},
		{"pct astronomical", Pct(-1.2e300), "-1.2e+302%"},
		{"pct compact past a million", PctCompact(45678.9), "4.57M%"},
		{"pct compact past int64", PctCompact(-1e20), "-10000E%"},
		{"sig largest E", Sig(9.99e23), "999000E"},
		{"sig past E", Sig(1e300), "1e+300"},
		{"seconds us", Seconds(0.00042), "420 us"},
		{"seconds ms", Seconds(0.0248), "25 ms"},
		{"seconds s", Seconds(2.4831), "2.48 s"},
		{"seconds huge", Seconds(5472), "5472 s"},
		{"seconds nan", Seconds(nan), Undefined},
		{"seconds compact zero", SecondsCompact(0), "0 s"},
		{"seconds compact µs", SecondsCompact(0.00042), "420 µs"},
		{"seconds compact hours", SecondsCompact(5472), "1.52 h"},
		{"seconds compact negative", SecondsCompact(-0.0248), "-24.8 ms"},
		{"wall ms", Wall(420 * time.Millisecond), "420 ms"},
		{"wall s", Wall(12340 * time.Millisecond), "12.3 s"},
		{"unit USD/Mtok", Unit(13.4012, UnitUSDPerMTok), "$13.40/Mtok"},
		{"unit compact USD/h", UnitCompact(343.856, UnitUSDPerHour), "$343.86/h"},
		{"unit compact rps", UnitCompact(4.9333, UnitPerSecond), "4.93/s"},
		{"unit compact tok/s", UnitCompact(1386.4, UnitTokPerS), "1,386 tok/s"},
		{"unit compact count avg", UnitCompact(3.5, UnitCount), "3.50"},
		{"unit compact other", UnitCompact(1.2e18, UnitFLOP), "1.20E FLOP"},
		{"unit fraction", Unit(0.5, UnitFraction), "50.0%"},
		{"unit tokens", Unit(1234567, UnitTokens), "1,234,567 tok"},
		{"unit compact factor", UnitCompact(0.6012, UnitFactor), "0.601×"},
		{"unit nan", Unit(nan, UnitUSD), Undefined},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestCutRunes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
		cut  bool
	}{
		{"abc", 3, "abc", false},
		{"abcd", 3, "abc…", true},
		{"héllo wörld", 4, "héll…", true},
		{"", 2, "", false},
	}
	for _, tt := range tests {
		if got, cut := CutRunes(tt.in, tt.n); got != tt.want || cut != tt.cut {
			t.Errorf("CutRunes(%q, %d) = %q, %v; want %q, %v", tt.in, tt.n, got, cut, tt.want, tt.cut)
		}
	}
}

// TestVisible: stored text reached the terminal with its escapes raw.
func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain é 名", "plain é 名"},
		{"ev\x1b[31mRED\a\nx", `ev\x1b[31mRED\x07\x0ax`},
		{"tab\there\r", `tab\x09here\x0d`},
		{"del\x7f c1\u0085", `del\x7f c1\x85`},
	}
	for _, tt := range tests {
		if got := Visible(tt.in); got != tt.want {
			t.Errorf("Visible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestVisibleLines: an error repeating a path with a tab or an escape
// broke its line or rewrote the terminal; its own line breaks stay.
func TestVisibleLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain é 名\nnext", "plain é 名\nnext"},
		{"open a\tb.json: no such file", `open a\tb.json: no such file`},
		{"x\x1b[2J\r\a\nline 2", "x\\x1b[2J\\r\\a\nline 2"},
		{"del\x7f c1\u0085", `del\x7f c1\u0085`},
		// A bidi override printed raw reversed the rest of the line.
		{"scenario file /tmp/no\u202eexist.yaml does not exist", `scenario file /tmp/no\u202eexist.yaml does not exist`},
		{"a\u2066b\u200bc\u2028d", `a\u2066b\u200bc\u2028d`},
	}
	for _, tt := range tests {
		if got := VisibleLines(tt.in); got != tt.want {
			t.Errorf("VisibleLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTyped: what the user typed is named as typed, quoted with Go's
// escapes only where a character in it would not show as written.
func TestTyped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"prof.json", "prof.json"},
		{"my prof/é.json", "my prof/é.json"},
		{"a\tb.json", `"a\tb.json"`},
		{"a\nb", `"a\nb"`},
		{"\x1b[2Jx", `"\x1b[2Jx"`},
		{"\u200bx", `"\u200bx"`},
	}
	for _, tt := range tests {
		if got := Typed(tt.in); got != tt.want {
			t.Errorf("Typed(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestChange: a difference within 1e-9 of the values' size is rounding
// noise and no change (compare printed -1.705e-13 and -0.0% for two sums
// of the same revenue lost); a real change, however small against 1, is
// kept.
func TestChange(t *testing.T) {
	nan := math.NaN()
	tests := []struct{ v, base, want float64 }{
		{128.3 - 1.705e-13, 128.3, 0},
		{0.086 - 2.776e-17, 0.086, 0},
		{1e-12, 0, 1e-12}, // from zero: no magnitude to be noise of
		{3, 1, 2},
		{-1, 1, -2},
		{0, 0, 0},
	}
	for _, tt := range tests {
		if got := Change(tt.v, tt.base); got != tt.want {
			t.Errorf("Change(%v, %v) = %v, want %v", tt.v, tt.base, got, tt.want)
		}
	}
	// A fresher model's cost per click moved by 6e-9 of itself: a change.
	if v, base := 0.9932+5.918e-09, 0.9932; Change(v, base) != v-base {
		t.Errorf("Change(%v, %v) = %v, want %v", v, base, Change(v, base), v-base)
	}
	if !math.IsNaN(Change(nan, 1)) || !math.IsNaN(Change(1, nan)) {
		t.Error("a change from or to NaN is not NaN")
	}
	// An infinite change is one: |Inf| <= 1e-9 x Inf read as rounding noise.
	inf := math.Inf(1)
	if Change(inf, 1) != inf || Change(1, inf) != -inf || Change(inf, -inf) != inf || !math.IsNaN(Change(inf, inf)) {
		t.Errorf("Change with infinities: %v, %v, %v, %v; want +Inf, -Inf, +Inf, NaN",
			Change(inf, 1), Change(1, inf), Change(inf, -inf), Change(inf, inf))
	}
}

func TestListAnd(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"A"}, "A"}, {[]string{"A", "B"}, "A and B"}, {[]string{"A", "B", "C"}, "A, B and C"}} {
		if got := ListAnd(c.in); got != c.want {
			t.Errorf("ListAnd(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestListFirst: a long list is cut after n items, the rest counted.
func TestListFirst(t *testing.T) {
	many := make([]string, 20003)
	for i := range many {
		many[i] = "c"
	}
	for _, c := range []struct {
		in   []string
		n    int
		want string
	}{
		{nil, 3, ""},
		{[]string{"a", "b", "c"}, 3, "a, b, c"},
		{[]string{"a", "b", "c", "d"}, 3, "a, b, c and 1 more"},
		{many, 3, "c, c, c and 20,000 more"},
	} {
		if got := ListFirst(c.in, c.n); got != c.want {
			t.Errorf("ListFirst(%d items, %d) = %q, want %q", len(c.in), c.n, got, c.want)
		}
	}
}

// TestRelChange: a relative change is given only where it means
// something; one that crosses zero (a margin from -$10 to +$85 printed
// +950%) or starts from zero or next to it is NaN with its reason.
func TestRelChange(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		v, base float64
		want    float64
		wantWhy string
		wantNaN bool
	}{
		{"up", 110, 100, 0.1, "", false},
		{"down from a loss", -20, -10, -1, "", false},
		{"loss narrows", -5, -10, 0.5, "", false},
		{"to zero", 0, -10, 1, "", false},
		{"no change from zero", 0, 0, 0, "", true},
		{"no change", -4, -4, 0, "", false},
		{"hundredfold", 101, 1, 100, "", false},
		{"sign change up", 85, -10, 0, RelSignChange, true},
		{"sign change down", -3, 40, 0, RelSignChange, true},
		{"from zero", 5, 0, 0, RelFromZero, true},
		{"from near zero", 85, 0.5, 0, RelOverHundredfold, true},
		// The reason names the rule, not a small baseline: a TTFT P99 from
		// 348 ms to 378 s read "from near zero".
		{"thousandfold", 378, 0.348, 0, "over 100x", true},
		{"undefined", nan, 1, 0, "", true},
		{"undefined base", 1, nan, 0, "", true},
	}
	for _, tt := range tests {
		got, why := RelChange(tt.v, tt.base)
		if why != tt.wantWhy || math.IsNaN(got) != tt.wantNaN || (!tt.wantNaN && math.Abs(got-tt.want) > 1e-12) {
			t.Errorf("%s: RelChange(%v, %v) = %v, %q; want %v, %q", tt.name, tt.v, tt.base, got, why, tt.want, tt.wantWhy)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 samples"}, {1, "1 sample"}, {2, "2 samples"}, {-1, "-1 samples"}} {
		if got := Plural(tt.n, "sample"); got != tt.want {
			t.Errorf("Plural(%d, sample) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
