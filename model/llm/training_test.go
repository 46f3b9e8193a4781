package llm

import (
	"math"
	"strings"
	"testing"
)

// TestTrainingMemory checks the state of a 70B fine-tune against the
// published figure (about 1.1 TB for a full fine-tune with mixed-precision
// Adam: 16 bytes per parameter, ZeRO §3.1), LoRA's frozen base, and the gang
// the state and activations need.
func TestTrainingMemory(t *testing.T) {
	a, err := Lookup("llama-3.3-70b")
	if err != nil {
		t.Fatal(err)
	}
	params, _ := a.Params()
	tests := []struct {
		name             string
		kind             string
		stateLo, stateHi float64 // bytes
		replicaBytes     float64
		gang             int
	}{
		// 70.6e9 x 16 B = 1.13 TB: within 3% of 1.1 TB.
		{"full on trn2 tp32 replicas", FineTuneFull, 1.1e12 * 0.97, 1.1e12 * 1.03, 32 * 24e9, 2},
		{"full on one p5.48xlarge each", FineTuneFull, 1.1e12 * 0.97, 1.1e12 * 1.03, 8 * 80e9, 2},
		{"full on trn1.32xlarge", FineTuneFull, 1.1e12 * 0.97, 1.1e12 * 1.03, 32 * 16e9, 3},
		// bf16 base 141 GB plus rank-16 adapters (207M params x 16 B = 3.3 GB).
		{"lora fits one p5 replica", FineTuneLoRA, 141e9 + 3e9, 141e9 + 4e9, 8 * 80e9, 1},
		{"lora on 2 H100s", FineTuneLoRA, 141e9 + 3e9, 141e9 + 4e9, 2 * 80e9, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := a.NewTrainingMemory(tt.kind, params, 16, 4096)
			if err != nil {
				t.Fatal(err)
			}
			if m.StateBytes < tt.stateLo || m.StateBytes > tt.stateHi {
				t.Errorf("state %.4g bytes, want %.4g..%.4g", m.StateBytes, tt.stateLo, tt.stateHi)
			}
			if g := m.Gang(tt.replicaBytes); g != tt.gang {
				t.Errorf("gang %d, want %d", g, tt.gang)
			}
			// The gang holds it; one fewer does not.
			g := m.Gang(tt.replicaBytes)
			if m.StateBytes/float64(g)+m.ActivationsPer > tt.replicaBytes {
				t.Errorf("a gang of %d does not hold %.4g bytes", g, m.TotalBytes(g))
			}
			if g > 1 && m.StateBytes/float64(g-1)+m.ActivationsPer <= tt.replicaBytes {
				t.Errorf("%d replicas would do", g-1)
			}
		})
	}
	full, _ := a.NewTrainingMemory(FineTuneFull, params, 16, 4096)
	if total := full.TotalBytes(2); math.Abs(total/1.1e12-1) > 0.05 {
		t.Errorf("70B full fine-tune with two members' activations: %.4g bytes, not within 5%% of 1.1 TB", total)
	}
	if !strings.Contains(full.Arithmetic(), "x 16 B") || !strings.Contains(full.Arithmetic(), "= 1129 GB") {
		t.Errorf("arithmetic %q", full.Arithmetic())
	}
	// Activations alone above a replica's HBM: no gang.
	if g := full.Gang(full.ActivationsPer); g != 0 {
		t.Errorf("gang %d on replicas that only hold the activations", g)
	}
	if _, err := a.NewTrainingMemory("qlora", params, 16, 4096); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

// TestLoRAParams: rank-r adapters on every linear layer of Llama 3.3 70B,
// r x (d_in + d_out) each: (2 x 16384 + 2 x 9216 + 3 x 36864) x 80 x r.
func TestLoRAParams(t *testing.T) {
	a, err := Lookup("llama-3.3-70b")
	if err != nil {
		t.Fatal(err)
	}
	want := float64(2*16384+2*9216+3*36864) * 80 * 16
	if got := a.LoRAParams(16); got != want {
		t.Fatalf("LoRA params %v, want %v", got, want)
	}
	// Llama-4 Maverick: attention in all 48 layers (q, o: 5120 + 5120; k, v:
	// 5120 + 1024); in the 24 MoE layers, 128 experts and the shared expert
	// (3 x (5120 + 8192) each); in the 24 dense layers, 3 x (5120 + 16384).
	m, err := Lookup("llama-4-maverick-17b-128e")
	if err != nil {
		t.Fatal(err)
	}
	attn := 2*(5120+5120) + 2*(5120+1024)
	want = float64(48*attn+24*129*3*(5120+8192)+24*3*(5120+16384)) * 16
	if got := m.LoRAParams(16); got != want {
		t.Errorf("Maverick LoRA params %v, want %v", got, want)
	}
}
