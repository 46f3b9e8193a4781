package model

import (
	"strings"
	"testing"
)

// TestServingOptionErrors checks that the closed-loop arrivals, speculative
// decoding and bucket options reject bad input with the file, line and field.
func TestServingOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"closed without clients", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.clients", "closed arrivals need clients"}},
		{"closed with a rate", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, rate: 10/s}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals", "take clients and think_time only"}},
		{"think time without unit", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 4, think_time: 3}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.think_time", "need a unit"}},
		{"clients on poisson", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {rate: 10/s, clients: 4}", 1)
		}, []string{"t.yaml:10:", "workloads[0].arrivals.clients", "only meaningful with process: closed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(c.edit(validScenario)), testCatalog{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestClosedArrivalsDefaults checks that a closed loop without think_time
// resolves to a zero think time.
func TestClosedArrivalsDefaults(t *testing.T) {
	src := strings.Replace(validScenario, "arrivals: {rate: 10/s}", "arrivals: {process: closed, clients: 16}", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	a := sc.Workloads[0].Arrivals
	if a.Clients != 16 || a.ThinkTime.Kind != "fixed" || a.ThinkTime.Value != 0 || !a.ThinkTime.Seconds {
		t.Errorf("arrivals = %+v", a)
	}
}
