package runner

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"aiecon/hw"
)

// TestValidateStopsWhenCancelled: a stop signal (a cancelled context) ends
// validate, between rows or during one, naming the row and saying a signal
// stopped it, rather than running the file to its end or reporting a bare
// "context canceled" against the row. The row is a loop of 256 clients
// x 39,000 tokens, seconds of simulation, stopped 300 ms in.
func TestValidateStopsWhenCancelled(t *testing.T) {
	pts, err := hw.ReadServingPointsFile(strings.NewReader("model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms,metric_kind\n"+
		"llama-3.1-8b,p5.48xlarge,1,256,40000,1000,39000,bf16,500,30,closed-loop concurrency=256\n"), "cl2.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		after time.Duration // when the signal lands
		want  string
	}{
		{"before the row", 0, "stopped by a signal before cl2.csv:2 ("},
		{"during the row", 300 * time.Millisecond, "stopped by a signal while simulating cl2.csv:2 ("},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithCancel(context.Background())
		if tt.after == 0 {
			cancel()
		} else {
			time.AfterFunc(tt.after, cancel)
		}
		_, err = Validate(ctx, pts, ValidateOptions{})
		cancel()
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to say %q", tt.name, err, tt.want)
		}
	}
}
