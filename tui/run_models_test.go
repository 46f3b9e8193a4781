package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestRunScreenModelMix: a model mix's Replicas tab names the model each
// replica serves (the 70B's two instances first, then the 8B's), where
// twelve trn2.48xlarge rows were told apart by their TP alone, and its
// Workloads tab shows run's MODELS table under the workloads: each
// model's calls and costs, at 80x24 and 120x40. A run of one model has
// neither.
func TestRunScreenModelMix(t *testing.T) {
	setup, err := setupOf(mixYAML, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	big, small := kpi.ModelScope("llama-3.3-70b"), kpi.ModelScope("small")
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q02zz5b0c7d9", Name: "model-mix", Status: data.StatusComplete},
		HorizonNs: int64(30 * time.Minute)},
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}},
		KPIs: []sim.KPI{{Scope: big, Name: kpi.RequestsCompleted, Value: 1895}, {Scope: small, Name: kpi.RequestsCompleted, Value: 4781},
			{Scope: big, Name: kpi.CostInstancesUSD, Value: 11.92}, {Scope: small, Name: kpi.CostInstancesUSD, Value: 5.96}}}
	var want []string
	for i, inst := range []int32{0, 0, 1, 1, 2, 2, 2, 2} {
		tp, model := int32(32), "llama-3.3-70b"
		if inst == 2 {
			tp, model = 8, "small"
		}
		d.Replicas = append(d.Replicas, data.ReplicaRow{Meta: sim.ReplicaMeta{ID: int32(i), Instance: inst, Type: "trn2.48xlarge", TP: tp}})
		want = append(want, model)
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		s := newRunScreen(testShared(), "1m1q02")
		s.resize(w, h)
		s.update(runLoadedMsg{addr: addr{s.sid}, d: d, setup: setup})
		s.update(keyMsg("4"))
		v := ansi.Strip(s.view(w, h))
		if !strings.Contains(v, "REPLICA  MODEL") {
			t.Errorf("%dx%d: the Replicas tab has no MODEL column:\n%s", w, h, v)
		}
		for i, m := range want {
			if got := s.replicas.rows[i][1].text; got != m {
				t.Errorf("%dx%d: replica %d serves %q, want %q", w, h, i, got, m)
			}
		}
		s.update(keyMsg("3"))
		v = ansi.Strip(s.view(w, h))
		for _, row := range [][]string{{"llama-3.3-70b", "1,895", "$11.92"}, {"small", "4,781", "$5.96"}} {
			if !lineHolds(v, row...) {
				t.Errorf("%dx%d: the Workloads tab has no MODELS row %v:\n%s", w, h, row, v)
			}
		}
	}
	s := newRunScreen(testShared(), "1m1q02")
	s.resize(120, 40)
	one, _ := setupOf(fixtureYAML(fixtureRuns()[0]), "", nil)
	s.update(runLoadedMsg{addr: addr{s.sid}, d: d, setup: one})
	s.update(keyMsg("4"))
	if v := ansi.Strip(s.view(120, 40)); strings.Contains(v, "MODEL") {
		t.Errorf("a run of one model has a MODEL column:\n%s", v)
	}
}

// lineHolds reports whether a line of v holds every one of parts, in order.
func lineHolds(v string, parts ...string) bool {
	for _, l := range strings.Split(v, "\n") {
		rest, ok := l, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}
