package forecast

import (
	"math"
	"testing"

	"aiecon/model"
)

// TestRentedFleetFollowsTotalDemand: a rented fleet is sized by the demand
// the period needs, each workload's volume weighted by its share of the
// load, not by the fastest-growing workload's volume alone. A chat at 1/10
// of the tokens growing 2.2x while the rest stays flat needs 1.12x the
// fleet, where the largest-volume rule rented 2.2x.
func TestRentedFleetFollowsTotalDemand(t *testing.T) {
	start := 0.0
	f := &Forecast{Spec: &Spec{Day: Day{Slices: 1, StartHour: &start}}}
	api := func(rate float64, tokens float64) model.Workload {
		return model.Workload{Class: "api", Arrivals: model.Arrivals{Process: "poisson", Rate: model.Rate(rate)},
			PromptTokens: model.Fixed(tokens / 2), OutputTokens: model.Fixed(tokens / 2)}
	}
	trace := api(0, 100)
	trace.Arrivals.Process = "trace"
	// An agent's call reads the system prompt and the context its earlier
	// calls built: 3 steps of 100 output and 100 tool-result tokens read
	// 1000 + (3-1)/2 x 200 = 1200 prompt tokens a call, 3 x 1300 a session.
	agent := api(1, 0)
	agent.OutputTokens = model.Fixed(100)
	agent.Agent = &model.Agent{SystemPromptTokens: 1000, Steps: model.Fixed(3), ToolResultTokens: model.Fixed(100)}
	tests := []struct {
		name    string
		ws      []model.Workload
		volumes []float64
		want    float64
	}{
		{"small workload grows", []model.Workload{api(1, 100), api(9, 100)}, []float64{2.2, 1}, 0.1*2.2 + 0.9},
		{"large workload grows", []model.Workload{api(1, 100), api(9, 100)}, []float64{1, 2.2}, 0.1 + 0.9*2.2},
		{"weight by tokens, not arrivals", []model.Workload{api(1, 900), api(9, 10)}, []float64{2, 1}, (900*2 + 90) / 990.0},
		{"all grow alike", []model.Workload{api(1, 100), api(3, 50)}, []float64{1.5, 1.5}, 1.5},
		{"an agent's context counts", []model.Workload{agent, api(1, 3900)}, []float64{3, 1}, 2},
		{"none arrives at a rate: the largest", []model.Workload{trace, trace}, []float64{1, 1.3}, 1.3},
	}
	for _, tt := range tests {
		if got := f.sliceLoad(tt.ws, tt.volumes, 0); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: load %.6g, want %.6g", tt.name, got, tt.want)
		}
	}
}
