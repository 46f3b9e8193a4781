package model

import (
	"errors"
	"strings"
	"testing"
)

// TestTrainingMustFit: a training job the lendable replicas (or the
// dedicated cluster) cannot hold is refused at load, naming the field and
// spelling out the memory arithmetic; one that fits loads.
func TestTrainingMustFit(t *testing.T) {
	p5 := strings.NewReplacer("instance: trn2.48xlarge", "instance: p5.48xlarge", "tp: 32", "tp: 8")
	tests := []struct {
		name     string
		scenario string
		want     []string // nil: loads
	}{
		// 70.6e9 x 16 B = 1129 GB plus activations needs two 640 GB
		// replicas; two p5.48xlarge less min_serving lend one.
		{"70B full fine-tune on one lendable p5", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle}\n",
			[]string{"training.where", "16 B", "= 1129 GB", "needs 2 members", "the replicas that can be lent, 1 (", "640 GB"}},
		{"70B full fine-tune on two lendable p5", strings.Replace(p5.Replace(validScenario), "count: 2", "count: 3", 1) + "training: {tokens: 1e9, where: fleet-idle}\n", nil},
		{"70B LoRA on one lendable p5", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle, kind: lora}\n", nil},
		{"70B full fine-tune on one trn2 replica", strings.Replace(validScenario, "count: 2", "count: 1", 1) + "training: {tokens: 1e9, where: fleet-idle}\n",
			[]string{"training.where", "needs 2 members", "the replicas that can be lent, 1 ("}},
		{"dedicated cluster too small", validScenario + "training: {tokens: 1e9, instance: trn1.32xlarge, instances: 2}\n",
			[]string{"training.instances", "needs 3 members", "2 x trn1.32xlarge, 512 GB of HBM each", "raise training.instances"}},
		{"activations alone exceed a replica", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle, micro_batch_tokens: 1000000}\n",
			[]string{"training.where", "activations alone exceed", "micro_batch_tokens"}},
		{"unknown kind", validScenario + "training: {tokens: 1e9, kind: qlora}\n", []string{"training.kind", "qlora"}},
		{"storage bandwidth", validScenario + "training: {tokens: 1e9, storage_gb_per_s: -1}\n", []string{"training.storage_gb_per_s"}},
		// A quota is work owed to lent replicas: a dedicated cluster has none.
		{"quota on a dedicated cluster", validScenario + "training: {tokens: 1e9, quota: 2}\n", []string{"training.quota", "fleet-idle", "dedicated"}},
		{"negative quota", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle, kind: lora, quota: -1}\n", []string{"training.quota", "out of range"}},
		// An MoE's compute follows its active parameters, at most all of them.
		{"active_params above params", validScenario + "training: {tokens: 1e9, params: 1e10, active_params: 2e10}\n", []string{"training.active_params", "at most training.params"}},
		{"active_params 0", validScenario + "training: {tokens: 1e9, active_params: 0}\n", []string{"training.active_params"}},
		{"quota 0", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle, kind: lora, quota: 0}\n", nil},
		// training.pricing: on-demand (unset) or reserved, a committed
		// cluster paid for the whole cadence, which a fleet-idle job, buying
		// only what the lent replicas leave, cannot use; reserved needs a
		// reserved rate (this catalog's trn1 has on-demand alone) or a price.
		{"unknown pricing", validScenario + "training: {tokens: 1e9, pricing: committed}\n",
			[]string{"training.pricing", `unknown "committed"`, "allowed: on-demand, reserved"}},
		{"reserved on lent replicas", p5.Replace(validScenario) + "training: {tokens: 1e9, where: fleet-idle, kind: lora, pricing: reserved, price_usd_per_hour: 8}\n",
			[]string{"training.pricing", "committed cluster", "where: fleet-idle", "use where: dedicated"}},
		{"reserved without a rate", validScenario + "training: {tokens: 1e9, pricing: reserved}\n",
			[]string{"training.price_usd_per_hour", "no reserved price for trn1.32xlarge"}},
		{"reserved at a price", validScenario + "training: {tokens: 1e9, pricing: reserved, price_usd_per_hour: 8.197}\n", nil},
		{"on-demand named", validScenario + "training: {tokens: 1e9, pricing: on-demand}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(tt.scenario), testCatalog{})
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not model.Errors: %v", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}
