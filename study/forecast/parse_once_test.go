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

// TestBaseParsedOnce: reading a forecast file, planning its jobs and the
// preflight that loads a job of each (variant, sample, period) group
// before anything runs parse the base scenario at most once between them,
// however many samples: every scenario is the base as parsed, copied, with
// its sets applied. Each job's load parsed the base again (36,000 parses
// under --samples 1000 of a 36-group sample), and so did reading the file
// (checking each variant's sets, its demand, its idle training) and
// planning (each owned variant's paid pricing): 8 parses at load time.
func TestBaseParsedOnce(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "scenarios", "research-licensing.forecast.yaml")
	first, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	base := first.baseSrc
	for _, tt := range []struct {
		name    string
		samples int
		stop    string // the last step counted: load, plan or preflight
	}{
		{"load", 2, "load"},
		{"plan", 2, "plan"},
		{"preflight, 2 samples", 2, "preflight"},
		{"preflight, 6 samples", 6, "preflight"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			restore := model.SetParseHook(func(_ string, src []byte) {
				if bytes.Equal(src, base) {
					n.Add(1)
				}
			})
			defer restore()
			jobs := loadAndPlan(t, path, tt.samples, tt.stop)
			if got := n.Load(); got > 1 {
				t.Errorf("%s (%d samples, %d jobs): the base was parsed %d times, want at most once", tt.stop, tt.samples, len(jobs), got)
			}
		})
	}
}

// loadAndPlan loads the forecast at path with samples samples over 2
// periods and, unless stop is "load", plans its jobs and, where stop is
// "preflight", preflights them.
func loadAndPlan(t *testing.T, path string, samples int, stop string) []Job {
	t.Helper()
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if stop == "load" {
		return nil
	}
	if err := f.SetSamples(samples); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2); err != nil {
		t.Fatal(err)
	}
	jobs := f.ShardJobs(study.ShardSpec{Count: 1})
	if stop == "preflight" {
		if err := f.preflight(context.Background(), jobs, 2, nil); err != nil {
			t.Fatal(err)
		}
	}
	return jobs
}
