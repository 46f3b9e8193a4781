package hw

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReadServingPoints feeds the serving-points CSV reader (aiecon
// validate) arbitrary bytes: it must never panic, and every point it
// accepts passes Validate. Seeds: the published points' CSV from
// ../shared when present, and hostile rows.
func FuzzReadServingPoints(f *testing.F) {
	if b, err := os.ReadFile("../../shared/reference/neuron-calibration.csv"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\nllama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,66.02,10.45\n",
		"\ufeffmodel,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\nllama-3-8b,inf2.48xlarge,24,8,4096,128,3968,int8,66.02,10.45\n",
		"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\nx,y,9223372036854775807,9223372036854775807,9223372036854775807,9223372036854775807,1,bf16,NaN,1e308\n",
		"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n\x00,\xff,1,1,2,1,1,bf16,1,1\n",
		"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,tp\r\nx,y,1,1,2,1,1,bf16,1,1,2\r\n",
		"model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind,note\nx,y,1,1,2,1,1,bf16,1e-300,59999,closed-loop concurrency=4097,\"a\nb\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, err := ReadServingPoints(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, pt := range pts {
			if err := pt.Validate(); err != nil {
				t.Fatalf("accepted a point that does not validate: %v", err)
			}
		}
	})
}
