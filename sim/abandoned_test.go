package sim

import (
	"math"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestAbandonedCallsBillAsChosen: a long answer streaming past a 2 s
// patience on e2e is abandoned mid-stream, every session. Under the
// default (price.bill_abandoned left out, or nothing) the calls bill
// nothing and the run says what they had streamed; under streamed each
// abandoned call's record, its session's and the workload's token revenue
// carry its prompt and the output generated until the user left, at the
// workload's prices, and nothing else moves (the same calls, tokens and
// value): billing is a choice of the books, not of the simulation.
func TestAbandonedCallsBillAsChosen(t *testing.T) {
	const price = "    price: {input_per_mtok: 1, output_per_mtok: 10}\n"
	base := patienceScenario("e2e", 1, 1500, "100ms") + price
	type outcome struct {
		streams         []AbandonedStream
		api, recordsUSD float64
		sessUSD         float64
		outTok, inTok   int64
	}
	simulate := func(bill string) outcome {
		src := base
		if bill != "" {
			src = base[:len(base)-2] + ", bill_abandoned: " + bill + "}\n"
		}
		res, sink := run(t, scenario(t, src))
		o := outcome{streams: res.AbandonedStreams, api: kpi(t, res, kpicat.RevenueAPIUSD, "")}
		for _, r := range sink.Reqs {
			if r.Status == StatusAbandoned {
				o.recordsUSD += r.RevenueUSD
				o.outTok += int64(r.OutputTokens)
				o.inTok += int64(r.PromptTokens)
			}
		}
		for _, s := range sink.Sess {
			if s.Status == SessionAbandoned {
				o.sessUSD += s.TokenUSD
			}
		}
		return o
	}
	def, nothing, streamed := simulate(""), simulate("nothing"), simulate("streamed")
	if len(def.streams) != 1 || def.streams[0].Calls == 0 || def.streams[0].OutputTokens == 0 || def.streams[0].Billed {
		t.Fatalf("default: abandoned streams %+v, want one workload's calls, unbilled", def.streams)
	}
	a := def.streams[0]
	if a.OutputTokens != def.outTok {
		t.Errorf("default: %d output tokens counted, the abandoned records hold %d", a.OutputTokens, def.outTok)
	}
	for name, o := range map[string]outcome{"default": def, "nothing": nothing} {
		if o.recordsUSD != 0 || o.sessUSD != 0 {
			t.Errorf("%s: abandoned calls billed $%g (records), sessions $%g; want nothing", name, o.recordsUSD, o.sessUSD)
		}
	}
	if nothing.streams[0] != a || nothing.api != def.api {
		t.Errorf("nothing %+v, $%g of tokens; want the default's %+v, $%g", nothing.streams[0], nothing.api, a, def.api)
	}
	s := streamed.streams[0]
	if !s.Billed || s.Calls != a.Calls || s.OutputTokens != a.OutputTokens || s.USD != a.USD {
		t.Fatalf("streamed %+v, want the default's calls, tokens and value %+v, billed", s, a)
	}
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y)) }
	if !near(streamed.recordsUSD, a.USD) || !near(streamed.sessUSD, a.USD) || !near(streamed.api, def.api+a.USD) {
		t.Errorf("streamed: records $%g, sessions $%g, token revenue $%g; want $%g, $%g and $%g + $%g",
			streamed.recordsUSD, streamed.sessUSD, streamed.api, a.USD, a.USD, def.api, a.USD)
	}
	// The calls' prompts (no cached price: all at the input price) at $1/M
	// and the output they generated at $10/M.
	if want := float64(def.inTok)*1e-6 + float64(a.OutputTokens)*10e-6; !near(a.USD, want) {
		t.Errorf("value $%g, want $%g for %d prompt and %d output tokens", a.USD, want, def.inTok, a.OutputTokens)
	}
}
