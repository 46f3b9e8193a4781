package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPointsFileTextEscaped: text a points file holds (a model name, a
// header's column, a spec_decode cell) reaches stdout and stderr with its
// control characters escaped (format.Visible), as an error quoting it
// does: validate --skip-unknown's skipped lines, the warning naming ignored
// columns and hw fit's skipped lines wrote an escape sequence raw, which
// rewrote the terminal.
func TestPointsFileTextEscaped(t *testing.T) {
	t.Setenv("AIECON_CONFIG_DIR", t.TempDir()) // hw fit reads no profile of the user's
	const head = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms"
	for _, c := range []struct {
		name, csv string
		args      []string
		want      string
	}{
		{"validate's skipped line", head + "\nllama-2-7b\x1b[2J\x1b]0;pwn\x07,inf2.48xlarge,24,1,4096,128,3968,bf16,27,6.4\n",
			[]string{"validate", "-q", "--skip-unknown"}, `skipped line 2 (llama-2-7b\x1b[2J\x1b]0;pwn\x07 on inf2.48xlarge`},
		{"the ignored columns' warning", head + ",x\x1b]0;pwn\x07y\nllama-2-7b,inf2.48xlarge,24,1,4096,128,3968,bf16,27,6.4,1\n",
			[]string{"validate"}, `ignoring column(s) aiecon does not read: x\x1b]0;pwn\x07y (column 11)`},
		{"hw fit's skipped line", head + ",spec_decode\n" +
			"llama-2-7b,inf2.48xlarge,24,1,4096,128,3968,bf16,27,6.4,none\n" +
			"llama-2-7b,inf2.48xlarge,24,4,4096,128,3968,bf16,27,6.4,eagle\x1b[2J\n" +
			"llama-2-13b,inf2.48xlarge,24,1,4096,128,3968,bf16,40,9,none\n",
			[]string{"hw", "fit", "-q", "--points"}, `:3 (llama-2-7b on inf2.48xlarge TP24 BS4 128 in / 3968 out bf16 weights): speculative decoding (eagle\x1b[2J)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "points.csv")
			if err := os.WriteFile(path, []byte(c.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			_, out, errs := hwRun(t, "", append(c.args, path)...)
			if strings.ContainsAny(out+errs, "\x1b\x07") {
				t.Errorf("%v wrote a control character raw:\nstdout %q\nstderr %q", c.args, out, errs)
			}
			if !strings.Contains(out+errs, c.want) {
				t.Errorf("%v: output lacks %q:\nstdout %q\nstderr %q", c.args, c.want, out, errs)
			}
		})
	}
}
