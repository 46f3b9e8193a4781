package runner

import (
	"os"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestDefaultTPDocumented: docs/scenarios.md says plainly what the
// default fleet.replica.tp is on a large instance (every device: a 70B on
// trn2.48xlarge at TP 64, one replica per instance) and how to choose
// another, and the scenario resolves so. A newcomer who wrote only
// instance: trn2.48xlarge got TP 64 and read the fleet's few requests
// served as trn2's.
func TestDefaultTPDocumented(t *testing.T) {
	l, err := Load("baseline", []string{"model=llama-3.1-70b", "fleet.replica.tp=null"})
	if err != nil {
		t.Fatal(err)
	}
	f := l.Scenario.Fleet
	inst, err := hw.InstanceByName(f.Instance)
	if err != nil {
		t.Fatal(err)
	}
	per, err := hw.ReplicasPerInstance(inst, f.Replica.TP)
	if f.Instance != "trn2.48xlarge" || f.Replica.TP != 64 || err != nil || per != 1 {
		t.Fatalf("%s: TP %d, %d replicas per instance (%v); the doc says TP 64, one", f.Instance, f.Replica.TP, per, err)
	}
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"on trn2.48xlarge (64 devices) a 70B model runs at TP 64, one replica and one batch per instance",
		"a sweep over `fleet.replica.tp`", "`aiecon optimize --instances INSTANCE --tp 8,16,32,64`"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/scenarios.md lacks %q", want)
		}
	}
}
