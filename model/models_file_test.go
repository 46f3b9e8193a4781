package model

import (
	"strings"
	"testing"
)

const tinyLlama = `- name: TinyLlama-1.1B
  hidden: 2048
  layers: 22
  heads: 32
  kv_heads: 4
  ffn: 5632
  vocab: 32000
  max_context: 2048
  published_params: 1.1e9
`

func TestReadModels(t *testing.T) {
	archs, err := ReadModels("m.yaml", []byte(tinyLlama))
	if err != nil || len(archs) != 1 || archs[0].Name != "tinyllama-1.1b" || archs[0].KVHeads != 4 {
		t.Fatalf("ReadModels = %+v, %v; want one architecture named tinyllama-1.1b", archs, err)
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"catalog name", strings.Replace(tinyLlama, "TinyLlama-1.1B", "meta-llama/Llama-3.1-8B-Instruct", 1),
			[]string{"m.yaml:1:9", "[0].name", "is the catalog's llama-3.1-8b", "another name"}},
		{"twice", tinyLlama + tinyLlama, []string{"m.yaml:10:9", "[1].name", `"TinyLlama-1.1B" appears twice`}},
		{"bad shape", strings.Replace(tinyLlama, "kv_heads: 4", "kv_heads: 5", 1), []string{"m.yaml:1:", "[0]", "heads (32) must be a multiple of kv_heads (5)"}},
		{"published count off", strings.Replace(tinyLlama, "1.1e9", "7e9", 1), []string{"published_params", "differs by"}},
		{"unknown field", tinyLlama + "  colour: red\n", []string{"m.yaml:10:3", `unknown field "colour"`}},
		{"escape in name", strings.Replace(tinyLlama, "TinyLlama-1.1B", `"tiny\e]0;t\a"`, 1), []string{"m.yaml:1:9", "[0].name", "invisible character U+001B"}},
		{"not a list", "name: x\n", []string{"m.yaml:1:"}},
		{"empty list", "[]\n", []string{"no architecture in the list"}},
		{"empty file", "", []string{"want one YAML document"}},
		{"too large", strings.Repeat("#", 2<<20), []string{"larger than a models file may be"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadModels("m.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
