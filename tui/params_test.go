package tui

import "testing"

func TestParseParams(t *testing.T) {
	ps, err := parseParams(`{"workloads[chat].arrivals.rate": "20/s", "fleet.count": 4, "fleet.instance": "trn2.48xlarge", "drain": true}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []param{
		{key: "workloads[chat].arrivals.rate", value: "20/s", num: 20, isNum: true},
		{key: "fleet.count", value: "4", num: 4, isNum: true},
		{key: "fleet.instance", value: "trn2.48xlarge"},
		{key: "drain", value: "true"},
	}
	if len(ps) != len(want) {
		t.Fatalf("got %d params %+v, want %d", len(ps), ps, len(want))
	}
	for i := range want {
		if ps[i] != want[i] {
			t.Errorf("param %d = %+v, want %+v", i, ps[i], want[i])
		}
	}
	if got := paramsLabel(ps); got != "rate=20/s count=4 instance=trn2.48xlarge drain=true" {
		t.Errorf("label %q", got)
	}
	for _, bad := range []string{`[1,2]`, `{"a":`, ``} {
		if _, err := parseParams(bad); err == nil {
			t.Errorf("parseParams(%q) accepted", bad)
		}
	}
}

// TestParamsLabelNull: a run's overrides line named a sweep's null
// ("set calibration= count=2"), a reset to the default, as an empty value.
func TestParamsLabelNull(t *testing.T) {
	ps, err := parseParams(`{"hardware.calibration": null, "fleet.count": 2}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paramsLabel(ps), "calibration=null count=2"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
	if !ps[0].blank() {
		t.Errorf("%+v is not blank: a point's label would show it", ps[0])
	}
}

func TestParamShown(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"2.78533979994/s", "2.785/s"}, // a Monte Carlo draw keeps its unit
		{"0.00293874588828", "0.002939"},
		{"20/s", "20/s"}, // already short
		{"4", "4"},
		{"1.5e-07", "1.5e-07"},
		{"trn2.48xlarge", "trn2.48xlarge"}, // not a number
		{"12345678", "12345678"},           // 'g' would make it longer (1.235e+07)
		{"100000", "100000"},               // a whole number stays whole, not 1e+05
		{"1234567891", "1234567891"},       // two seeds must not read the same
		{"12345.6789", "12346"},            // whole digits are never rounded away
		{"1000000.7", "1000001"},
	} {
		p := param{value: tc.value}
		p.num, p.isNum = leadingNumber(tc.value)
		if got := p.shown(); got != tc.want {
			t.Errorf("shown(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
	ps, err := parseParams(`{"fleet.count": 4, "workloads[chat].arrivals.rate": "2.78533979994/s"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := compactParams(ps); got != "x4 2.785/s" {
		t.Errorf("compact label %q", got)
	}
	if ps[1].value != "2.78533979994/s" {
		t.Errorf("value %q: the exact value must stay (points are matched on it)", ps[1].value)
	}
}

func TestCompactParams(t *testing.T) {
	tests := []struct{ js, want string }{
		{`{"fleet.instance": "trn1.32xlarge", "fleet.replica.tp": 8, "fleet.count": 4}`, "trn1.32xl tp8 x4"},
		{`{"workloads[chat].arrivals.rate": "20/s", "fleet.count": 8}`, "20/s x8"},
		{`{"fleet.pricing": "spot", "horizon": "30m"}`, "spot horizon=30m"},
		{`{"workloads[chat].arrivals.rate": "2.78533979994/s"}`, "2.785/s"},
	}
	for _, tt := range tests {
		ps, err := parseParams(tt.js)
		if err != nil {
			t.Fatal(err)
		}
		if got := compactParams(ps); got != tt.want {
			t.Errorf("compactParams(%s) = %q, want %q", tt.js, got, tt.want)
		}
	}
}

// TestLabelsTellSharedKeysApart: two parameters whose paths end alike
// (two workloads' diurnal curves) keep their whole paths in a label;
// alone, a key is its last element.
func TestLabelsTellSharedKeysApart(t *testing.T) {
	ps := []param{
		{key: "workloads[chat].arrivals.diurnal", value: "default"},
		{key: "workloads[shop].arrivals.diurnal", value: "flat"},
		{key: "fleet.count", value: "4", num: 4, isNum: true},
	}
	want := "workloads[chat].arrivals.diurnal=default workloads[shop].arrivals.diurnal=flat count=4"
	if got := paramsLabel(ps); got != want {
		t.Errorf("paramsLabel = %q, want %q", got, want)
	}
	if got, want := compactParams(ps), "workloads[chat].arrivals.diurnal=default workloads[shop].arrivals.diurnal=flat x4"; got != want {
		t.Errorf("compactParams = %q, want %q", got, want)
	}
}

// TestOverridesExact: the run header and the status line give overrides
// as they were given: two seeds, counts or prices that a rounding would
// make read the same (1.235e+09, 1e+05) must read apart.
func TestOverridesExact(t *testing.T) {
	ps, err := parseParams(`{"seed": 1234567891, "horizon": "2m", "fleet.count": 12345,` +
		` "workloads[chat].arrivals.rate": "2.123456789/s", "fleet.price_usd_per_hour": 1000000, "n": 100000}`)
	if err != nil {
		t.Fatal(err)
	}
	want := "seed=1234567891 horizon=2m count=12345 rate=2.123456789/s price_usd_per_hour=1000000 n=100000"
	if got := paramsLabel(ps); got != want {
		t.Errorf("paramsLabel = %q, want %q", got, want)
	}
}

// TestParamBlank: a parameter is blank as a sweep's value is
// (study.Value.Blank), its quoted empty strings and null's spellings
// included.
func TestParamBlank(t *testing.T) {
	for _, v := range []string{"", "~", "null", "Null", "NULL", `""`, "''", "[]", "{}"} {
		if !(param{value: v}).blank() {
			t.Errorf("%q is not blank", v)
		}
	}
	if (param{value: "vllm"}).blank() {
		t.Error("vllm is blank")
	}
}
