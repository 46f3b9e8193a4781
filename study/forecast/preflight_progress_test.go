package forecast

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"aiecon/data"
)

// TestCheckedBeforeRuns: the check of each group's scenario before the
// first run reports each group (Options.Checked, in order, with their
// number) before any run does; at --samples 1000 it loads 36,000
// scenarios and took about a quarter of an hour, reporting nothing. A
// store that takes no run is refused before it: an in-memory store was
// refused only at the first run, after the whole check.
func TestCheckedBeforeRuns(t *testing.T) {
	f := parse(t, resumable)
	groups := map[int]bool{}
	for _, j := range f.Jobs() {
		groups[j.Group] = true
	}
	for _, tt := range []struct {
		name    string
		store   string // "" runs without a store
		checked int    // Checked calls wanted
		err     error
	}{
		{"no store", "", len(groups), nil},
		{"a file", filepath.Join(t.TempDir(), "s.duckdb"), len(groups), nil},
		{"in memory", ":memory:", 0, data.ErrMemoryStore},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Workers: 2, Version: "test", ID: data.NewID()}
			if tt.store != "" {
				st, err := data.Open(tt.store, data.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				opts.Store = st
			}
			var (
				calls int
				runs  atomic.Int32 // workers report runs at once
			)
			opts.Checked = func(done, total int) {
				calls++
				if done != calls || total != len(groups) || runs.Load() > 0 {
					t.Errorf("Checked(%d, %d) as call %d, after %d runs; want (%d, %d) before any run", done, total, calls, runs.Load(), calls, len(groups))
				}
			}
			opts.Progress = func(Progress) { runs.Add(1) }
			_, err := Execute(context.Background(), f, opts)
			if !errors.Is(err, tt.err) || calls != tt.checked {
				t.Errorf("err %v after %d groups checked; want %v after %d", err, calls, tt.err, tt.checked)
			}
		})
	}
}
