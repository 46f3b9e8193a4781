package data

import (
	"math"
	"math/rand/v2"

	"aiecon/sim"
)

// synthRun plays the simulator's side of a run: deterministic records with
// every kind of value the store must keep (unset -1 times, NaN window
// percentiles, agent sessions, auctions). It is test data, not a model.
type synthRun struct {
	Meta     sim.RunMeta
	Requests []sim.RequestRecord
	Sessions []sim.SessionRecord
	Auctions []sim.AuctionRecord
	Windows  []sim.WindowRecord
	Summary  sim.Summary
}

func newSynthRun(seed uint64, nRequests int) *synthRun {
	rng := rand.New(rand.NewPCG(seed, 42))
	const windowNs = int64(1e9)
	r := &synthRun{Meta: sim.RunMeta{
		Scenario: "synthetic", Seed: seed, HorizonNs: int64(nRequests) * 1e6, WindowNs: windowNs, RequestSampleRate: 1,
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}, {Name: "shopper", Class: "agent"}},
		Replicas:  []sim.ReplicaMeta{{ID: 0, Instance: 0, Type: "trn2.48xlarge", TP: 32}, {ID: 1, Instance: 1, Type: "trn2.48xlarge", TP: 32}},
	}}
	statuses := len(sim.RequestStatusNames())
	for i := 0; i < nRequests; i++ {
		arrival := int64(i)*1e6 + rng.Int64N(1e6)
		q := sim.RequestRecord{ID: int64(i), Workload: int32(i % 2), Session: -1, Replica: int32(rng.IntN(2)),
			Status: sim.RequestStatus(0), ArrivalNs: arrival, PromptTokens: int32(100 + rng.IntN(4000)),
			OutputTokens: int32(1 + rng.IntN(500)), RevenueUSD: rng.Float64() * 1e-3}
		if i%2 == 1 {
			q.Session, q.Step = int64(i/10), int32(i%7)
		}
		q.CachedTokens = q.PromptTokens / 4
		q.StartNs = arrival + rng.Int64N(5e7)
		q.FirstTokenNs = q.StartNs + rng.Int64N(2e8)
		q.FinishNs = q.FirstTokenNs + int64(q.OutputTokens)*int64(2e7)
		if rng.IntN(10) == 0 { // a dropped or unfinished request: unset fields
			q.Status = sim.RequestStatus(1 + rng.IntN(statuses-1))
			q.Replica, q.StartNs, q.FirstTokenNs, q.OutputTokens, q.RevenueUSD = -1, -1, -1, 0, 0
			if q.Status == 4 {
				q.FinishNs = -1
			}
		}
		r.Requests = append(r.Requests, q)
	}
	for i := 0; i < nRequests/10; i++ {
		s := sim.SessionRecord{ID: int64(i), Workload: 1, Status: sim.SessionStatus(i % 3), StartNs: int64(i) * 1e7,
			EndNs: int64(i)*1e7 + 5e9, StepsPlanned: 4, StepsDone: int32(i % 5), PromptTokens: 9000, CachedTokens: 3000,
			OutputTokens: 800, ContextTokens: 12000, MaxTurnNs: 7e8, AdImpressions: 2, AdClicks: int32(i % 2),
			Converted: i%4 == 0, FeeUSD: 0.002, TokenUSD: 0.01, CommerceUSD: 0.5, AdUSD: 0.004, LicensingUSD: 0.0015,
			CounterfactUSD: 0.6}
		if s.Status == sim.SessionUnfinished {
			s.EndNs = -1
		}
		s.Failed = s.Status == sim.SessionAbandoned && i%2 == 0 // some abandoned by the fleet, some by patience
		r.Sessions = append(r.Sessions, s)
		for slot := int32(0); slot < 2; slot++ {
			r.Auctions = append(r.Auctions, sim.AuctionRecord{Auction: int64(i), Session: int64(i), Step: 1, AtNs: s.StartNs + 1e8,
				Slot: slot, Bidders: 8, BidUSD: 0.9, PriceUSD: 0.7 - 0.1*float64(slot), CTR: 0.004, Clicked: slot == 0 && i%2 == 1,
				RevenueUSD: 0.0007, LatencyMult: 0.98})
		}
	}
	nWin := int(r.Meta.HorizonNs/windowNs) + 1
	for i := 0; i < nWin; i++ {
		w := sim.WindowRecord{StartNs: int64(i) * windowNs, EndNs: int64(i+1) * windowNs, Arrivals: 1000, Completions: 900,
			Dropped: 50, Abandoned: 3, InputTokens: 800000, OutputTokens: 250000, QueueDepthAvg: 4.5, RunningAvg: 30,
			KVUtilAvg: 0.6, BusyFrac: 0.8, ReplicasUp: 2, ReplicasPaid: 2.5, TTFTP50S: 0.3, TTFTP99S: 1.9, TPOTP50S: 0.02,
			TPOTP99S: 0.09, E2EP99S: 12, RevenueUSD: 1.5, CostUSD: 0.9, FLOPsFrac: 0.4, BandwidthFrac: 0.7, TrainingFrac: 0}
		if i == 0 {
			w.TTFTP50S, w.TTFTP99S, w.TPOTP50S, w.TPOTP99S, w.E2EP99S = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
		r.Windows = append(r.Windows, w)
	}
	r.Summary = sim.Summary{
		KPIs: []sim.KPI{
			{Name: "requests_completed", Value: float64(nRequests), Unit: "count"},
			{Name: "throughput_rps", Value: 12.5, Unit: "1/s"},
			{Name: "ttft_p99_s", Value: 1.9, Unit: "s"},
			{Name: "cost_per_mtok_usd", Value: 0.35 + float64(seed%7)/100, Unit: "USD/Mtok"},
			{Name: "revenue_usd", Value: 100 + float64(seed), Unit: "USD"},
			{Name: "margin_usd", Value: 40, Unit: "USD"},
			{Name: "gross_margin", Value: 0.4, Unit: "fraction"},
			{Name: "slo_attainment", Value: 0.97, Unit: "fraction"},
			{Name: "ttft_p99_s", Scope: "chat", Value: 1.2, Unit: "s"},
			{Name: "ttft_p99_s", Scope: "shopper", Value: math.NaN(), Unit: "s"},
		},
		Replicas: []sim.ReplicaRecord{
			{ID: 0, Instance: 0, Iterations: 5000, BusyNs: 8e11, UpNs: 1e12, PrefillTok: 4e6, DecodeTok: 1e6, Preemptions: 3, Completed: int64(nRequests / 2)},
			{ID: 1, Instance: 1, Iterations: 4900, BusyNs: 7e11, UpNs: 1e12, PrefillTok: 4e6, DecodeTok: 1e6, Completed: int64(nRequests / 2)},
		},
		Events: int64(nRequests) * 20, SimNs: r.Meta.HorizonNs,
	}
	return r
}

// play feeds the run to a sink the way the simulator does: in batches from
// a buffer it reuses (and scribbles over after each call, to catch a sink
// that keeps the slice). Without withEnd it stops before End, as a failed run does.
func (r *synthRun) play(sink sim.Sink, batch int, withEnd bool) error {
	if err := sink.Begin(r.Meta); err != nil {
		return err
	}
	buf := make([]sim.RequestRecord, 0, batch)
	for i := 0; i < len(r.Requests); i += batch {
		buf = append(buf[:0], r.Requests[i:min(i+batch, len(r.Requests))]...)
		if err := sink.Requests(buf); err != nil {
			return err
		}
		for j := range buf {
			buf[j] = sim.RequestRecord{ID: -99}
		}
	}
	if err := sink.Sessions(r.Sessions); err != nil {
		return err
	}
	if err := sink.Auctions(r.Auctions); err != nil {
		return err
	}
	if err := sink.Windows(r.Windows); err != nil {
		return err
	}
	if !withEnd {
		return nil
	}
	return sink.End(r.Summary)
}
