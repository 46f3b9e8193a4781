package main

import (
	"strings"
	"testing"

	"aiecon/runner"
	"aiecon/sim"
)

// TestNoTrafficWarning: a run in which no request arrived says so, with the
// arrivals its rates lead one to expect over the horizon (a diurnal
// profile's quiet hours included); a run with arrivals does not.
func TestNoTrafficWarning(t *testing.T) {
	const base = `name: s
model: llama-3.1-8b
horizon: 2m
fleet: {instance: inf2.48xlarge, count: 1}
workloads:
  - {name: a, class: api, prompt_tokens: 100, output_tokens: 50, arrivals: ARRIVALS}
`
	quiet := "{rate: 1/s, diurnal: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], start_hour: HOUR}"
	tests := []struct {
		name     string
		arrivals string
		sets     []string
		arrived  float64
		want     string // "" = no NO TRAFFIC warning
	}{
		{"a rate far too low", "{rate: 1e-300/s}", nil, 0,
			"NO TRAFFIC: no request arrived in the 2m horizon; the workloads' rates give about 1.2e-298 over it. The cost above buys an idle fleet"},
		{"a diurnal profile's busy hour outside the horizon", strings.Replace(quiet, "HOUR", "5", 1), nil, 0,
			"NO TRAFFIC: no request arrived in the 2m horizon; the workloads' rates, by their diurnal profiles over the hours it covers, give about 0 over it."},
		// The hour after midnight carries the whole day's traffic: 24/s
		// at midnight falling to 0 by 1:00, 23.6/s on average over the
		// first 2 minutes, 2,832 in them.
		{"unlucky in the busy hour", strings.Replace(quiet, "HOUR", "0", 1), nil, 0, "give about 2,832 over it"},
		// Whole days average the profile's mean, 1: 86,400 a day, plus
		// the 2 minutes from 5:00 without traffic.
		{"over a day", strings.Replace(quiet, "HOUR", "5", 1), []string{"horizon=24h2m"}, 0, "give about 86,400 over it"},
		{"a closed loop: no figure from rates", "{process: closed, clients: 2}", nil, 0,
			"NO TRAFFIC: no request arrived in the 2m horizon. The cost above"},
		{"requests arrived", "{rate: 1/s}", nil, 120, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := runner.LoadSource("s.yaml", []byte(strings.Replace(base, "ARRIVALS", tt.arrivals, 1)), "", tt.sets)
			if err != nil {
				t.Fatal(err)
			}
			r := runReport{l: l, res: &sim.Result{KPIs: []sim.KPI{{Name: "requests_arrived", Value: tt.arrived}}}}
			got := strings.Join(r.fleetWarnings(), "\n")
			if tt.want == "" {
				if strings.Contains(got, "NO TRAFFIC") {
					t.Errorf("warned:\n%s", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, tt.want)
			}
		})
	}
}
