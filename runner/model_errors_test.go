package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

// TestAMissingModelIsTheOneError: with the model unset, a value whose
// default comes from it (max_batched_tokens from max_model_len, training's
// params, the main pool's name) was refused too, at a line the user never
// wrote; the model's own error is now the only one.
func TestAMissingModelIsTheOneError(t *testing.T) {
	// inferentia-small without its max_model_len, whose default is the
	// model's context, and max_batched_tokens's that.
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), ", max_model_len: 8192", "", 1)
	if text == string(src) {
		t.Fatal("inferentia-small gives no max_model_len to drop")
	}
	noLen := filepath.Join(t.TempDir(), "no-len.yaml")
	if err := os.WriteFile(noLen, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range append(model.BuiltinNames(), noLen) {
		_, err := LoadVariants(name, []string{"model=null"}, "")
		if err == nil {
			t.Errorf("%s: loaded without a model", name)
			continue
		}
		msg := strings.TrimSpace(err.Error())
		if !strings.Contains(msg, "model: required") || strings.Count(msg, "\n") > 0 {
			t.Errorf("%s --set model=null: want the model's error alone, got:\n%s", name, msg)
		}
	}
}

// TestInlineModelErrorsAreLocated: an inline architecture's problems were
// joined into one error at the model's line, the second and later with no
// place, a missing field said to be "0", and then a default derived from
// the broken model refused too.
func TestInlineModelErrorsAreLocated(t *testing.T) {
	src, err := model.Builtin("inferentia-small")
	if err != nil {
		t.Fatal(err)
	}
	inline := "model:\n  name: mine\n  layers: 32\n  hidden: 4096\n  heads: 32\n  kv_heads: 8\n  ffn: 14336\n  vocab: 1000000000\n"
	text := strings.Replace(string(src), "model: llama-3.1-8b\n", inline, 1)
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadVariants(path, nil, "")
	if err == nil {
		t.Fatal("loaded a vocabulary of 10^9 and no max_context")
	}
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	want := []string{
		path + ":16:10: model.vocab: 1000000000 is out of range (allowed: 1 to 16777216)",
		path + ":10:7: model.max_context: required: the longest sequence in tokens",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("error %d is %q, want it to contain %q", i, lines[i], w)
		}
	}
}
