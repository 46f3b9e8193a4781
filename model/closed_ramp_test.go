package model

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// TestClosedRampWithinHorizon: a ramp under which some client would join
// at or after the horizon is refused, naming how many would never join and
// the longest ramp allowed, with the horizon that runs (a --set of it
// included); clients: 10, ramp: 10h over a 2m horizon ran one client.
func TestClosedRampWithinHorizon(t *testing.T) {
	tests := []struct {
		clients int
		ramp    string
		set     []Override
		want    string // "" when valid
	}{
		{10, "10h", nil, "t.yaml:11:52: workloads[0].arrivals.ramp: 10h is too long for the horizon 2m: client i of 10 joins at i x ramp / 10, " +
			"so 9 of the 10 clients would join at or after the horizon and never send a request; the longest ramp that lets every client join " +
			"is 2m13.333333333s, just under the horizon x clients / (clients - 1) (a ramp up to the horizon always does)"},
		{10, "133333333333ns", nil, ""},
		{10, "133333333334ns", nil, "so 1 of the 10 clients would join"},
		{10, "2m", nil, ""},
		{1, "10h", nil, ""},                     // one client joins at 0 whatever the ramp
		{2, "239999999999ns", nil, ""},          // the second joins just before 2m
		{2, "4m", nil, "so 1 of the 2 clients"}, // the second would join at 2m
		{1000, "36500d", nil, "999 of the 1000 clients"},
		{1_000_000, "2m", nil, ""},
		{10, "2m", []Override{{Path: "horizon", Value: "1m"}}, "workloads[0].arrivals.ramp: 2m is too long for the horizon 1m: " +
			"client i of 10 joins at i x ramp / 10, so 5 of the 10 clients would join"},
	}
	for _, tt := range tests {
		src := []byte(strings.Replace(closedScenario, "arrivals: {rate: 10/s}",
			fmt.Sprintf("arrivals: {process: closed, clients: %d, ramp: %s}", tt.clients, tt.ramp), 1))
		if tt.set != nil {
			var err error
			if src, err = ApplyOverrides(src, tt.set); err != nil {
				t.Fatal(err)
			}
		}
		name := fmt.Sprintf("%d clients, ramp %s, sets %v", tt.clients, tt.ramp, tt.set)
		_, _, err := Load("t.yaml", src, testCatalog{})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", name, err, tt.want)
		}
	}
}

// closedScenario is validScenario over a 2m horizon.
var closedScenario = strings.Replace(validScenario, "name: t\n", "name: t\nhorizon: 2m\n", 1)

// TestClosedJoinNs: client i of n joins at floor(i x ramp / n), for ramps
// whose product with i overflows int64.
func TestClosedJoinNs(t *testing.T) {
	for _, c := range []struct {
		i, n int
		ramp Duration
	}{{0, 1, Hour}, {1, 3, 10}, {2, 3, 10}, {999_999, 1_000_000, 36500 * Day}, {3, 7, 36500*Day + 5}} {
		want := new(big.Int).Mul(big.NewInt(int64(c.i)), big.NewInt(int64(c.ramp)))
		want.Quo(want, big.NewInt(int64(c.n)))
		if got := ClosedJoinNs(c.i, c.n, c.ramp); got != want.Int64() {
			t.Errorf("ClosedJoinNs(%d, %d, %d) = %d, want %d", c.i, c.n, c.ramp, got, want.Int64())
		}
	}
}
