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
