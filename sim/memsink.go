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

func (m *MemorySink) Begin(meta RunMeta) error { m.Meta = meta; return nil }

func (m *MemorySink) Requests(b []RequestRecord) error { m.Reqs = append(m.Reqs, b...); return nil }

func (m *MemorySink) Sessions(b []SessionRecord) error { m.Sess = append(m.Sess, b...); return nil }

func (m *MemorySink) Auctions(b []AuctionRecord) error { m.Auct = append(m.Auct, b...); return nil }

func (m *MemorySink) Windows(b []WindowRecord) error { m.Wins = append(m.Wins, b...); return nil }

func (m *MemorySink) End(s Summary) error { m.Summary = s; m.Finished = true; return nil }
