package forecast

import (
	"bytes"
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"aiecon/model"
	"aiecon/study"
)

// TestPreflightParsesBaseOnce: the preflight that loads a job of each
// (variant, sample, period) group before anything runs parses the base
// scenario at most once, however many samples: each job is the base as
// parsed, copied, with its overrides set. Every job's load parsed the base
// again (36,000 parses under --samples 1000 of a 36-group sample).
func TestPreflightParsesBaseOnce(t *testing.T) {
	for _, samples := range []int{2, 6} {
		f, err := Load(filepath.Join("..", "..", "examples", "scenarios", "research-licensing.forecast.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSamples(samples); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(2); err != nil {
			t.Fatal(err)
		}
		jobs := f.ShardJobs(study.ShardSpec{Count: 1}) // planning its jobs loads scenarios of its own
		var n atomic.Int64
		restore := model.SetParseHook(func(_ string, src []byte) {
			if bytes.Equal(src, f.baseSrc) {
				n.Add(1)
			}
		})
		err = f.preflight(context.Background(), jobs, 2, nil)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Load(); got > 1 {
			t.Errorf("%d samples (%d jobs): the base was parsed %d times, want at most once", samples, len(jobs), got)
		}
	}
}
