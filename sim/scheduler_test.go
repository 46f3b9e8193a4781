package sim

import (
	"slices"
	"strings"
	"testing"

	"aiecon/model"
)

// TestSchedulerRegistry checks that the scenario names resolve to their
// implementations and that each family's default is registered and runs there.
func TestSchedulerRegistry(t *testing.T) {
	if got, want := Schedulers(), []string{"neuron", "neuron-chunked", "static", "vllm"}; !slices.Equal(got, want) {
		t.Fatalf("Schedulers() = %v, want %v", got, want)
	}
	tests := []struct {
		instance string
		want     []string // default first
	}{
		{"trn2.48xlarge", []string{"neuron", "neuron-chunked", "static", "vllm"}},
		{"inf2.48xlarge", []string{"neuron", "neuron-chunked", "static", "vllm"}},
		{"p5.48xlarge", []string{"vllm", "static"}},
	}
	for _, tc := range tests {
		f, err := Catalog().Instance(tc.instance)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.Schedulers, tc.want) {
			t.Errorf("%s: schedulers %v, want %v", tc.instance, f.Schedulers, tc.want)
		}
	}
}

// TestSchedulerChoice checks the default per family and that an unknown or
// misplaced scheduler is an error naming the file, line and field.
func TestSchedulerChoice(t *testing.T) {
	tests := []struct {
		name, replica, want, errWant string
	}{
		{"gpu default", "{tp: 8}", "vllm", ""},
		{"gpu static", "{tp: 8, scheduler: static}", "static", ""},
		{"unknown", "{tp: 8, scheduler: fifo}", "", `s.yaml:8:31: fleet.replica.scheduler: scheduler "fifo" does not run on p5.48xlarge (allowed: vllm, static)`},
		{"neuron on gpu", "{tp: 8, scheduler: neuron}", "", `fleet.replica.scheduler: scheduler "neuron" does not run on p5.48xlarge`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(small8b, "{tp: 8, scheduler: vllm, max_num_seqs: 64}", tc.replica, 1)
			sc, _, err := model.Load("s.yaml", []byte(src), Catalog())
			if tc.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errWant) {
					t.Fatalf("error %v, want it to contain %q", err, tc.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Fleet.Replica.Scheduler; got != tc.want {
				t.Fatalf("scheduler %q, want %q", got, tc.want)
			}
		})
	}
}

// TestNewRejectsUnknownScheduler checks that the simulator, not only the
// scenario validation, refuses a scheduler it does not have or that cannot
// run on the instance (a scenario built in Go skips the YAML checks).
func TestNewRejectsUnknownScheduler(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"fifo", `unknown scheduler "fifo" (known: neuron, neuron-chunked, static, vllm)`},
		{"neuron", `scheduler "neuron" needs a neuron instance, not gpu`},
	} {
		sc := scenario(t, small8b)
		sc.Fleet.Replica.Scheduler = tc.name
		if _, err := New(Config{Scenario: sc}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
