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
// value): billing is a choice of the books, not of the simulation. The
// figures are the run's KPIs (abandoned_streamed_*), the workload's and
// the run's alike, so that a stored run says them as run does.
func TestAbandonedCallsBillAsChosen(t *testing.T) {
	const price = "    price: {input_per_mtok: 1, output_per_mtok: 10}\n"
	base := patienceScenario("e2e", 1, 1500, "100ms") + price
	type streamed struct{ calls, outTok, usd, billed float64 }
	read := func(res *Result, scope string) streamed {
		return streamed{kpi(t, res, kpicat.AbandonedStreamedCalls, scope), kpi(t, res, kpicat.AbandonedStreamedOutputTokens, scope),
			kpi(t, res, kpicat.AbandonedStreamedUSD, scope), kpi(t, res, kpicat.AbandonedStreamedBilledUSD, scope)}
	}
	type outcome struct {
		stream          streamed
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
		o := outcome{stream: read(res, "shop"), api: kpi(t, res, kpicat.RevenueAPIUSD, "")}
		if run := read(res, ""); run != o.stream {
			t.Errorf("bill_abandoned %q: the run's figures %+v, its one workload's %+v; want them equal", bill, run, o.stream)
		}
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
	def, nothing, billed := simulate(""), simulate("nothing"), simulate("streamed")
	a := def.stream
	if a.calls == 0 || a.outTok == 0 || a.usd <= 0 || a.billed != 0 {
		t.Fatalf("default: abandoned streams %+v, want calls, tokens and their value, none billed", a)
	}
	if a.outTok != float64(def.outTok) {
		t.Errorf("default: %g output tokens counted, the abandoned records hold %d", a.outTok, def.outTok)
	}
	for name, o := range map[string]outcome{"default": def, "nothing": nothing} {
		if o.recordsUSD != 0 || o.sessUSD != 0 {
			t.Errorf("%s: abandoned calls billed $%g (records), sessions $%g; want nothing", name, o.recordsUSD, o.sessUSD)
		}
	}
	if nothing.stream != a || nothing.api != def.api {
		t.Errorf("nothing %+v, $%g of tokens; want the default's %+v, $%g", nothing.stream, nothing.api, a, def.api)
	}
	s := billed.stream
	if s.calls != a.calls || s.outTok != a.outTok || s.usd != a.usd || s.billed != a.usd {
		t.Fatalf("streamed %+v, want the default's calls, tokens and value %+v, all of it billed", s, a)
	}
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y)) }
	if !near(billed.recordsUSD, a.usd) || !near(billed.sessUSD, a.usd) || !near(billed.api, def.api+a.usd) {
		t.Errorf("streamed: records $%g, sessions $%g, token revenue $%g; want $%g, $%g and $%g + $%g",
			billed.recordsUSD, billed.sessUSD, billed.api, a.usd, a.usd, def.api, a.usd)
	}
	// The calls' prompts (no cached price: all at the input price) at $1/M
	// and the output they generated at $10/M.
	if want := float64(def.inTok)*1e-6 + a.outTok*10e-6; !near(a.usd, want) {
		t.Errorf("value $%g, want $%g for %d prompt and %g output tokens", a.usd, want, def.inTok, a.outTok)
	}
}
