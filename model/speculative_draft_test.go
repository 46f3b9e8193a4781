package model

import (
	"strings"
	"testing"
)

// TestSpeculativeDraftFitsTarget: a catalog draft must share the target's
// vocabulary and be smaller than it, in parameters active per token and in
// all, on the main fleet and on a pool; the error names the field and both
// values. A draft of the target's family (or eagle) loads.
func TestSpeculativeDraftFitsTarget(t *testing.T) {
	fleet := func(draft string) string {
		return strings.Replace(validScenario, "tp: 32}", "tp: 32, speculative: {draft: "+draft+", acceptance: 0.7}}", 1)
	}
	pool := func(draft string) string {
		return strings.Replace(mixScenario, "replica: {tp: 1}", "replica: {tp: 1, speculative: {draft: "+draft+", acceptance: 0.7}}", 1)
	}
	moe := func(target, draft string) string {
		return strings.Replace(fleet(draft), "model: llama-3.3-70b", "model: "+target, 1)
	}
	const field = "fleet.replica.speculative.draft: "
	cases := []struct {
		name string
		src  string
		want []string // nil: loads
	}{
		{"same family", fleet("llama-3.1-8b"), nil},
		{"hugging face id of a smaller release", fleet("meta-llama/Llama-3.2-1B-Instruct"), nil},
		{"eagle", fleet("eagle"), nil},
		{"another vocabulary", fleet("mixtral-8x7b"),
			[]string{"t.yaml:6:", field + "mixtral-8x7b has a vocabulary of 32000 tokens", "llama-3.3-70b one of 128256", "same vocabulary"}},
		{"another tokenizer", fleet("qwen2.5-0.5b"),
			[]string{field + "qwen2.5-0.5b has a vocabulary of 151936 tokens", "128256"}},
		{"the target itself", fleet("llama-3.3-70b"),
			[]string{field + "llama-3.3-70b is the target model itself"}},
		{"the target under its release name", fleet("meta-llama/Llama-3.3-70B-Instruct"),
			[]string{field + "llama-3.3-70b is the target model itself"}},
		{"larger than the target", fleet("llama-3.1-405b"),
			[]string{field + "llama-3.1-405b has 405.85B parameters active per token, not fewer than the target llama-3.3-70b's 70.55B"}},
		{"as large as the target", fleet("llama-3.1-70b"),
			[]string{field + "llama-3.1-70b has 70.55B parameters active per token, not fewer than the target llama-3.3-70b's 70.55B"}},
		// A mixture of experts decodes at the cost of its active parameters:
		// a dense draft smaller in all but with more active ones is slower.
		{"mixture target: dense draft with more active parameters", moe("qwen3-30b-a3b", "qwen3-14b"),
			[]string{field + "qwen3-14b has 14.77B parameters active per token, not fewer than the target qwen3-30b-a3b's 3.35B"}},
		{"mixture target: dense draft just above its active parameters", moe("qwen3-30b-a3b", "qwen3-4b"),
			[]string{field + "qwen3-4b has 4.02B parameters active per token, not fewer than the target qwen3-30b-a3b's 3.35B"}},
		{"mixture target: large dense draft", moe("qwen3-235b-a22b", "qwen3-32b"),
			[]string{field + "qwen3-32b has 32.76B parameters active per token, not fewer than the target qwen3-235b-a22b's 22.19B"}},
		{"mixture target: small dense draft", moe("qwen3-30b-a3b", "qwen3-0.6b"), nil},
		{"mixture target: dense draft of fewer active parameters", moe("qwen3-235b-a22b", "qwen3-8b"), nil},
		// A mixture draft of fewer active parameters but as many in all.
		{"mixture draft larger in all", moe("qwen3-14b", "qwen3-30b-a3b"),
			[]string{field + "qwen3-30b-a3b has 30.53B parameters, not fewer than the target qwen3-14b's 14.77B"}},
		{"pool: same family", pool("llama-3.2-1b"), nil},
		{"pool: the target itself", pool("llama-3.1-8b"),
			[]string{"pools[0]." + field + "llama-3.1-8b is the target model itself"}},
		{"pool: another vocabulary", pool("mistral-7b-v0.1"),
			[]string{"pools[0]." + field + "mistral-7b-v0.1 has a vocabulary of 32000 tokens and the target llama-3.1-8b one of 128256"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(c.src), testCatalog{})
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}
