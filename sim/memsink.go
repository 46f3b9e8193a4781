package sim

// MemorySink keeps every record in memory: for tests, and for small runs that
// are not stored. Runs with millions of requests should stream to a store.
type MemorySink struct {
	Meta     RunMeta
	Reqs     []RequestRecord
	Sess     []SessionRecord
	Auct     []AuctionRecord
	Wins     []WindowRecord
	Summary  Summary
	Finished bool
}

// Begin implements Sink: it keeps the run's metadata.
func (m *MemorySink) Begin(meta RunMeta) error { m.Meta = meta; return nil }

// Requests implements Sink: it appends the batch to Reqs.
func (m *MemorySink) Requests(b []RequestRecord) error { m.Reqs = append(m.Reqs, b...); return nil }

// Sessions implements Sink: it appends the batch to Sess.
func (m *MemorySink) Sessions(b []SessionRecord) error { m.Sess = append(m.Sess, b...); return nil }

// Auctions implements Sink: it appends the batch to Auct.
func (m *MemorySink) Auctions(b []AuctionRecord) error { m.Auct = append(m.Auct, b...); return nil }

// Windows implements Sink: it appends the batch to Wins.
func (m *MemorySink) Windows(b []WindowRecord) error { m.Wins = append(m.Wins, b...); return nil }

// End implements Sink: it keeps the summary and marks the run Finished.
func (m *MemorySink) End(s Summary) error { m.Summary = s; m.Finished = true; return nil }
