package forecast

import (
	"context"
	"path/filepath"
	"testing"

	"aiecon/data"
	kpicat "aiecon/model/kpi"
)

// TestSplitLinesStored: the parts of RENT, REVENUE and LICENSE that the
// notes under the table speak of (RESERVED INSTANCES IDLE, UNFINISHED
// SESSIONS) are stored as period metrics, so that sql and compare
// --forecast (ForecastTotals) can split RENT into the reservations run and
// held idle and REVENUE into served and estimated. They lived in
// report_json alone, and after a merge of shards in the first shard's
// only. seasonalReserved holds 3 reserved instances idle in quarters 2
// and 3, 3 x 2,190 h x $8.197 = $53,854 each; the unfinished sessions'
// figures are set by hand.
func TestSplitLinesStored(t *testing.T) {
	ctx := context.Background()
	f := parse(t, seasonalReserved)
	const h, rate = 2190.0, 8.197
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * rate * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: rate, kpicat.InstancesAvg: n}})
	}
	periods := Aggregate(f, runs)
	for i := range periods {
		k := float64(i + 1)
		periods[i].RevenueUnfinishedUSD, periods[i].UnfinishedValueUSD, periods[i].LicensingUnfinishedUSD = 10*k, 12*k, k
	}
	st, err := data.Open(filepath.Join(t.TempDir(), "split.duckdb"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err := Save(ctx, st, f, "", NewReport(f, periods, len(runs)), runs, "test")
	if err != nil {
		t.Fatal(err)
	}
	totals, err := st.ForecastTotals(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, tt := range totals {
		got[tt.Metric] = tt.P50
	}
	for m, want := range map[string]float64{"reserved_idle_usd": 2 * 3 * h * rate, "revenue_unfinished_counted_usd": 100,
		"sessions_revenue_unfinished_usd": 120, "licensing_unfinished_counted_usd": 10} {
		if v, ok := got[m]; !ok || !near(v, want) {
			t.Errorf("%s: horizon total %v (stored: %v), want %v", m, v, ok, want)
		}
	}
	bands, err := st.ForecastBands(ctx, id, "reserved_idle_instances")
	if err != nil {
		t.Fatal(err)
	}
	idle := make([]float64, 0, 4)
	for _, b := range bands {
		idle = append(idle, b.P50)
	}
	if len(idle) != 4 || !near(idle[0], 0) || !near(idle[1], 3) || !near(idle[2], 3) || !near(idle[3], 0) {
		t.Errorf("reserved_idle_instances by quarter %v, want [0 3 3 0]", idle)
	}
}
