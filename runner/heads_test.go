package runner

import (
	"strings"
	"testing"
)

// TestHeadsNotes: a Trainium replica whose attention heads its TP degree
// does not divide is noted (NxD Inference requires them divisible; the
// simulator pads them); one whose heads divide, or a NeuronCore-v2 one,
// whose stack pads them, is not.
func TestHeadsNotes(t *testing.T) {
	const chat = `{name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 20}`
	const trn2 = "trn2.48xlarge, pricing: capacity-block" // no on-demand price
	tests := []struct {
		model, instance, replica string
		want                     string // "" = none
	}{
		{"llama-3.1-8b", trn2, "{tp: 64}", "llama-3.1-8b at TP 64 on trn2.48xlarge: 32 attention heads, not divisible by TP 64; " +
			"NxD Inference, Trainium2's serving stack, requires them divisible"},
		{"llama-3.1-8b", trn2, "{tp: 32}", ""},
		{"qwen2.5-7b", trn2, "{tp: 8, scheduler: static}", "28 attention heads, not divisible by TP 8"},
		{"llama-3.1-8b", "inf2.48xlarge", "{tp: 24}", ""},
	}
	for _, tt := range tests {
		notes := HeadsNotes(loadLengths(t, tt.model, tt.instance, tt.replica, chat))
		if tt.want == "" && len(notes) != 0 || tt.want != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.want)) {
			t.Errorf("%s on %s %s: %q, want %q", tt.model, tt.instance, tt.replica, notes, tt.want)
		}
	}
}
