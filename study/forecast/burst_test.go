package forecast

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestBurstNeverUp: an owned fleet's burst instances serve only once the
// autoscaler has looked (fleet.autoscale.interval) and they have been
// provisioned (provision_delay), and a slice starts cold and never drains;
// with the defaults (1m + 10m) against a 3-minute slice none can serve,
// yet they were paid for and SLO AT RISK advised procurement.burst
// (review99 F2). The periods are those whose autoscaler cannot bring one
// up, a roadmap's provision_delay included; none without burst.
func TestBurstNeverUp(t *testing.T) {
	const owned = "    procurement: {mode: owned, initial: 2, lead_time: 1, orders: [{period: 1, servers: 1}]}\n"
	burst := strings.Replace(owned, "lead_time: 1,", "lead_time: 1, burst: 2,", 1)
	for _, tt := range []struct {
		name, edit string
		want       []int // nil: it can serve in every period
	}{
		{"no burst", owned, nil},
		{"the defaults", burst, []int{1, 2}},
		{"a short provision_delay", burst + "    set: {fleet.autoscale.provision_delay: 30s}\n", nil},
		{"a short provision_delay from period 2", burst + "    roadmap: [{from: 2, set: {fleet.autoscale.provision_delay: 30s}}]\n", []int{1}},
		{"interval and delay just reach the horizon", burst + "    set: {fleet.autoscale.provision_delay: 2m}\n", []int{1, 2}},
	} {
		f := parse(t, strings.Replace(small, owned, tt.edit, 1))
		r := NewReport(f, nil, 0)
		fe := r.fleet("owned")
		if tt.want == nil {
			if fe.BurstNeverUp != nil {
				t.Errorf("%s: burst never up in %+v, want it up in every period", tt.name, *fe.BurstNeverUp)
			}
			continue
		}
		bt := fe.BurstNeverUp
		if bt == nil || !slices.Equal(bt.Periods, tt.want) || bt.IntervalS != 60 || bt.HorizonS != 180 {
			t.Errorf("%s: %+v, want periods %v, an interval of 60 s and a horizon of 180 s", tt.name, bt, tt.want)
		}
		if fe.Burst != 2 {
			t.Errorf("%s: burst %d, want 2", tt.name, fe.Burst)
		}
	}
}

// TestBurstNeverUpNoteAndRemedy: the report names the burst instance-hours
// paid where the burst could not serve, with the durations that decide it,
// and SLO AT RISK leaves burst out of its remedy there; where the burst
// can serve, it advises a larger one than is set, and procurement.burst
// where none is.
func TestBurstNeverUpNoteAndRemedy(t *testing.T) {
	period := func(k int, inst float64, slo Ratio) Period {
		return Period{Variant: "owned", Period: k, OwnedServers: 2, InstancesAvg: inst, Headroom: 0.5, SLOAttainment: slo,
			SessionAbandon: Ratio(math.NaN())}
	}
	never := &BurstTiming{Periods: []int{2}, IntervalS: 60, ProvisionDelayS: 600, HorizonS: 600}
	for _, tt := range []struct {
		name        string
		burst       int
		never       *BurstTiming
		note, avoid []string // note: substrings of the burst note ("" for none) then of SLO AT RISK
	}{
		{"never up", 4, never, []string{"BURST PAID, NEVER UP: procurement.burst (4)", "fleet.autoscale.interval (1m)",
			"fleet.autoscale.provision_delay (10m)", "day.horizon (10m)", "In month 2 the burst was paid for 949 instance-hours (in RENT",
			"Lengthen day.horizon past 11m", "more or earlier orders would serve it; its procurement.burst cannot"},
			[]string{"or procurement.burst, would", "a larger procurement.burst"}},
		{"up", 4, nil, []string{"", "more or earlier orders, or a larger procurement.burst (now 4), would serve it."}, nil},
		{"no burst", 0, nil, []string{"", "more or earlier orders, or procurement.burst, would serve it."}, nil},
	} {
		r := &Report{PeriodLen: "month", PeriodHours: 730, Samples: 1, Summary: Summarize([]Period{period(1, 2, 1), period(2, 3.3, 0.29)}),
			Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned", Burst: tt.burst, BurstNeverUp: tt.never}}}
		note := r.burstNeverUpNote("owned")
		if tt.note[0] == "" && note != "" {
			t.Errorf("%s: %q, want no note", tt.name, note)
		}
		risk := r.sloRiskNote("owned")
		caveats := strings.Join(r.Caveats("owned"), "\n")
		for i, w := range tt.note {
			got := risk
			if tt.note[0] != "" && i < len(tt.note)-1 {
				got = note
			}
			if w != "" && !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.name, got, w)
			}
		}
		if note != "" && !strings.Contains(caveats, note) {
			t.Errorf("%s: the caveats %q leave out the note", tt.name, caveats)
		}
		for _, w := range tt.avoid {
			if strings.Contains(risk, w) {
				t.Errorf("%s: SLO AT RISK %q says %q", tt.name, risk, w)
			}
		}
	}
}

// TestBurstLate: the periods in which an owned fleet's burst first serves
// a quarter or more into each slice (interval + provision_delay against
// day.horizon) are kept apart from those in which it never serves; a
// burst that came up with little of the slice left got no note.
func TestBurstLate(t *testing.T) {
	const owned = "    procurement: {mode: owned, initial: 2, lead_time: 1, orders: [{period: 1, servers: 1}]}\n"
	burst := strings.Replace(owned, "lead_time: 1,", "lead_time: 1, burst: 2,", 1)
	for _, tt := range []struct {
		name, edit  string
		never, late []int
	}{
		{"no burst", owned, nil, nil},
		{"the defaults: never, not late", burst, []int{1, 2}, nil},
		// 1m + 30s of a 3m slice: up from half the slice on
		{"up at half the slice", burst + "    set: {fleet.autoscale.provision_delay: 30s}\n", nil, []int{1, 2}},
		{"late in period 1 alone", burst + "    set: {fleet.autoscale.provision_delay: 30s}\n" +
			"    roadmap: [{from: 2, set: {fleet.autoscale.interval: 5s, fleet.autoscale.provision_delay: 5s}}]\n", nil, []int{1}},
		// 5s + 5s of 3m is 6%: early enough for no note
		{"up early", burst + "    set: {fleet.autoscale.interval: 5s, fleet.autoscale.provision_delay: 5s}\n", nil, nil},
	} {
		f := parse(t, strings.Replace(small, owned, tt.edit, 1))
		fe := NewReport(f, nil, 0).fleet("owned")
		periods := func(bt *BurstTiming) []int {
			if bt == nil {
				return nil
			}
			return bt.Periods
		}
		if got := periods(fe.BurstNeverUp); !slices.Equal(got, tt.never) {
			t.Errorf("%s: never up in %v, want %v", tt.name, got, tt.never)
		}
		if got := periods(fe.BurstLate); !slices.Equal(got, tt.late) {
			t.Errorf("%s: late in %v, want %v", tt.name, got, tt.late)
		}
		if bt := fe.BurstLate; bt != nil && (bt.IntervalS != 60 || bt.ProvisionDelayS != 30 || bt.HorizonS != 180) {
			t.Errorf("%s: %+v, want the first late period's 60 s interval, 30 s delay and 180 s horizon", tt.name, *bt)
		}
	}
}

// TestBurstLateNote: where the burst came up late, the report names each
// period whose burst rent (instance-hours above the servers at the rental
// price in force) came to 5% or more of its cost, with the amount and the
// share, and the caveats repeat it; a period under 5%, or outside the late
// ones, is not named, and with none named there is no note.
func TestBurstLateNote(t *testing.T) {
	period := func(k int, inst, cost float64) Period {
		return Period{Variant: "owned", Period: k, OwnedServers: 2, InstancesAvg: inst, CostUSD: cost, Headroom: 0.5, SLOAttainment: 1,
			SessionAbandon: Ratio(math.NaN())}
	}
	late := &BurstTiming{Periods: []int{1, 2, 3}, IntervalS: 60, ProvisionDelayS: 360, HorizonS: 600}
	// 730 h x $10/h: burst 0.5 -> $3,650 (18.25% of $20,000), 0.1 -> $730 (3.65%), 1 in period 4 (not late)
	periods := []Period{period(1, 2.5, 20000), period(2, 2.1, 20000), period(3, 2, 20000), period(4, 3, 20000)}
	rent := []RentStep{{From: 1, USDPerHour: 10, Pricing: "on-demand"}}
	for _, tt := range []struct {
		name       string
		late       *BurstTiming
		want, miss []string
	}{
		{"late", late, []string{"BURST UP LATE: procurement.burst (2)", "fleet.autoscale.interval (1m)", "fleet.autoscale.provision_delay (6m)",
			"first 7m of each 10m slice (day.horizon; 70.0% of it)", "paid 6m or more before it serves", "(in RENT;",
			"was month 1 $3.65k (18.2% of the period's cost):"}, []string{"month 2", "month 3", "month 4"}},
		{"not late", nil, nil, []string{"BURST UP LATE"}},
	} {
		r := &Report{PeriodLen: "month", PeriodHours: 730, Samples: 1, Summary: Summarize(periods),
			Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned", Burst: 2, BurstLate: tt.late, Rent: rent}}}
		note := r.burstLateNote("owned")
		for _, w := range tt.want {
			if !strings.Contains(note, w) {
				t.Errorf("%s: %q lacks %q", tt.name, note, w)
			}
		}
		for _, w := range tt.miss {
			if strings.Contains(note, w) {
				t.Errorf("%s: %q says %q", tt.name, note, w)
			}
		}
		if caveats := strings.Join(r.Caveats("owned"), "\n"); note != "" && !strings.Contains(caveats, note) {
			t.Errorf("%s: the caveats leave out the note", tt.name)
		}
	}
}
