package data

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestFailedPerWindowQuery: windows have no failed column, and
// docs/model.md ("Agents") says why and gives the query that counts each
// window's failed sessions from the session rows instead. The query runs
// as printed (RUN replaced by a run id), and its counts are the failed
// sessions whose end_ns falls in each window, every window listed once.
func TestFailedPerWindowQuery(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	const head = "    SELECT w.start_ns, w.abandoned, w.dropped,\n"
	i := strings.Index(string(doc), head)
	if i < 0 {
		t.Fatalf("docs/model.md has no query of each window's failed sessions (%q)", head)
	}
	block, _, _ := strings.Cut(string(doc[i:]), "\n\n")
	s, _ := openTemp(t)
	r := newSynthRun(1, 20000) // 21 windows of 1 s; sessions end from 5 s on
	id := storeRun(t, s, r, "failed-windows")
	rows, err := s.db.QueryContext(context.Background(), strings.ReplaceAll(block, "'RUN'", "'"+id+"'"))
	if err != nil {
		t.Fatalf("docs/model.md's query:\n%s\n%v", block, err)
	}
	defer rows.Close()
	n, some := 0, false
	for ; rows.Next(); n++ {
		var start, abandoned, dropped, failed int64
		if err := rows.Scan(&start, &abandoned, &dropped, &failed); err != nil {
			t.Fatal(err)
		}
		if n >= len(r.Windows) {
			t.Fatalf("more rows than the run's %d windows", len(r.Windows))
		}
		w := r.Windows[n]
		var want int64
		for _, x := range r.Sessions {
			if x.Failed && x.EndNs >= w.StartNs && x.EndNs < w.EndNs {
				want++
			}
		}
		if start != w.StartNs || abandoned != w.Abandoned || dropped != w.Dropped || failed != want {
			t.Errorf("row %d: start %d, abandoned %d, dropped %d, failed %d; want %d, %d, %d, %d",
				n, start, abandoned, dropped, failed, w.StartNs, w.Abandoned, w.Dropped, want)
		}
		some = some || want > 0
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(r.Windows) || !some {
		t.Errorf("%d rows for %d windows (failed sessions in some: %v)", n, len(r.Windows), some)
	}
}
