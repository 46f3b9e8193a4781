package study

import (
	"context"
	"fmt"
	"testing"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
)

// setSweep sets a horizon the --set replaces and a batch limit for every
// point, and varies the fleet size.
const setSweep = `name: set-sweep
base: baseline
set: {horizon: 2m, fleet.replica.max_num_seqs: 8}
parameters:
  fleet.count: [1, 2]
kpis: [margin_usd]
`

// TestRunsStoreTheSweepsSet: a sweep run's params_json holds every
// override that shaped it, read back from the store: the sweep's set (the
// file's, then the --set, which replaced the file's horizon), then the
// point's parameters, in the order applied; and the stored scenario with
// those overrides and the run's seed resolves to the scenario it ran. The
// runs stored the point's parameters alone, so a sweep's set (here its
// horizon and batch limit) was in no run's row. sweep_points keeps the
// point's own parameters.
func TestRunsStoreTheSweepsSet(t *testing.T) {
	ctx := context.Background()
	p := plan(t, setSweep, "horizon=1m", "workloads[chat].arrivals.rate=3/s")
	s := openStore(t)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	if out, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil || out.Done != 2 {
		t.Fatalf("Execute: %+v %v", out, err)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT r.run_id, r.sweep_point, r.params_json, p.params_json FROM runs r
		JOIN sweep_points p ON p.sweep_id = r.sweep_id AND p.point = r.sweep_point WHERE r.sweep_id = ? ORDER BY r.sweep_point`, id)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id, run, point string
		pt             int
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.pt, &r.run, &r.point); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	rows.Close()
	if len(got) != 2 {
		t.Fatalf("%d runs stored, want 2", len(got))
	}
	for _, r := range got {
		want := fmt.Sprintf(`{"fleet.replica.max_num_seqs":8,"horizon":"1m","workloads[chat].arrivals.rate":"3/s","fleet.count":%d}`, r.pt+1)
		if r.run != want {
			t.Errorf("point %d: run params_json %s, want %s", r.pt, r.run, want)
		}
		if want := fmt.Sprintf(`{"fleet.count":%d}`, r.pt+1); r.point != want {
			t.Errorf("point %d: sweep_points params_json %s, want the point's own %s", r.pt, r.point, want)
		}
		d, err := s.Run(ctx, r.id)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := data.ParseParams(d.Run.ParamsJSON)
		if err != nil {
			t.Fatal(err)
		}
		var ovs []model.Override
		for _, kv := range ps {
			ovs = append(ovs, model.Override{Path: kv.Key, Value: kv.Value})
		}
		ovs = append(ovs, model.Override{Path: "seed", Value: fmt.Sprint(d.Run.Seed)})
		l, err := runner.LoadOverrides("baseline", []byte(d.Run.ScenarioYAML), "", ovs)
		if err != nil {
			t.Fatalf("point %d: the stored scenario with its params_json: %v", r.pt, err)
		}
		if string(l.Resolved) != d.Run.ResolvedYAML {
			t.Errorf("point %d: the stored scenario with its params_json resolves otherwise than the run's scenario", r.pt)
		}
	}
}
