package data

import "testing"

// TestParseParamsNull: a sweep's null (a field reset to its default) is
// stored as a JSON null and reads back as null, as a --set resets it: it
// read as "", which show printed as "with hardware.calibration=", an empty
// value, and the dashboard as "calibration=". A JSON string stays its text,
// the empty one included.
func TestParseParamsNull(t *testing.T) {
	ps, err := ParseParams(`{"hardware.calibration": null, "fleet.count": 2, "name": "", "rate": "null", "x": [1, null]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{{"hardware.calibration", "null"}, {"fleet.count", "2"}, {"name", ""}, {"rate", "null"}, {"x", "[1,null]"}}
	if len(ps) != len(want) {
		t.Fatalf("got %+v, want %+v", ps, want)
	}
	for i := range want {
		if ps[i] != want[i] {
			t.Errorf("param %d = %+v, want %+v", i, ps[i], want[i])
		}
	}
}
