package sim

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
)

// TestDelaysStayOnTheClock: allowed but absurd inputs (an interruption
// rate of 1e-7 an hour, checkpoints written at 1e-7 GB/s, queue timeouts,
// warm-ups and provisioning delays of a century) make delays of centuries;
// they saturate past the horizon instead of wrapping the int64 clock into
// the past (which panicked the engine).
func TestDelaysStayOnTheClock(t *testing.T) {
	base, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for name, sets := range map[string][]string{
		"spot": {"horizon=10m", "fleet.pricing=spot", "fleet.instance=p5.48xlarge", "fleet.replica.tp=8", "fleet.replica.scheduler=vllm", "fleet.spot.discount=0.6", "fleet.spot.interruptions_per_hour=1e-7"},
		"training": {"horizon=10m", "training.storage_gb_per_s=1e-7", "training.tokens=1e9", "training.where=fleet-idle", "fleet.count=8",
			"training.restart_warmup=36500d"},
		"queue timeout": {"horizon=10m", "fleet.replica.queue_timeout=36500d"},
		"autoscale":     {"horizon=10m", "fleet.autoscale.min=1", "fleet.autoscale.max=4", "fleet.autoscale.provision_delay=36500d", "fleet.autoscale.cooldown=36500d"},
	} {
		t.Run(name, func(t *testing.T) {
			var overrides []model.Override
			for _, s := range sets {
				o, err := model.ParseOverride(s)
				if err != nil {
					t.Fatal(err)
				}
				overrides = append(overrides, o)
			}
			src, err := model.ApplyOverrides(base, overrides)
			if err != nil {
				t.Fatal(err)
			}
			sc, _, err := model.Load("baseline.yaml", src, Catalog())
			if err != nil {
				t.Fatal(err)
			}
			res, sink := run(t, sc)
			conserved(t, res, sink)
		})
	}
	if got := delayNs(1e300); got != maxDelayNs {
		t.Errorf("delayNs(1e300) = %d", got)
	}
	if got := secondsToNs(-1); got != 1 {
		t.Errorf("secondsToNs(-1) = %d, want 1", got)
	}
}

// TestAbsurdStepTimeRefused: constants under which one sequence's decode
// step takes more than an hour (here a GEMM efficiency of 1e-12 from a
// profile, which the scenario's bounds cannot see) are refused when the
// world is built, naming where to look.
func TestAbsurdStepTimeRefused(t *testing.T) {
	sc := scenario(t, starvedL4)
	_, err := New(Config{Scenario: sc, Sink: &MemorySink{}, Efficiency: hw.ConstantEfficiency(1e-12)})
	if err == nil || !strings.Contains(err.Error(), "decode step would take") || !strings.Contains(err.Error(), "calibration profile") {
		t.Fatalf("err = %v, want the step time refused", err)
	}
}
