package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestValidateStopsWhenCancelled: a stop signal (a cancelled context) ends
// validate between rows, naming the row it stopped before, rather than
// running the file to its end.
func TestValidateStopsWhenCancelled(t *testing.T) {
	pts, err := hw.ReadServingPoints(strings.NewReader("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-3-8b,p5.48xlarge,1,1,1200,1000,200,fp16,30,7\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Validate(ctx, pts, ValidateOptions{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped by a signal before line 2") {
		t.Fatalf("err = %v, want it stopped before line 2", err)
	}
}
