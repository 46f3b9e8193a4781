package sim

// emitBatch is how many records are buffered per kind before a Sink call.
const emitBatch = 4096

// emitter buffers records and hands them to the sink in batches; the first
// sink error is kept and stops the run.
type emitter struct {
	sink     Sink
	reqs     []RequestRecord
	sessions []SessionRecord
	auctions []AuctionRecord
	windows  []WindowRecord
}

func (e *emitter) begin(meta RunMeta) error {
	if e.sink == nil {
		return nil
	}
	e.reqs = make([]RequestRecord, 0, emitBatch)
	e.sessions = make([]SessionRecord, 0, emitBatch/4)
	e.auctions = make([]AuctionRecord, 0, emitBatch/4)
	e.windows = make([]WindowRecord, 0, 64)
	return e.sink.Begin(meta)
}

func (e *emitter) fail(w *World, err error) {
	if err != nil && w.err == nil {
		w.err = err
		w.eng.Stop()
	}
}

func (e *emitter) request(r RequestRecord, w *World) {
	if e.sink == nil {
		return
	}
	e.reqs = append(e.reqs, r)
	if len(e.reqs) == cap(e.reqs) {
		e.fail(w, e.sink.Requests(e.reqs))
		e.reqs = e.reqs[:0]
	}
}

func (e *emitter) session(s SessionRecord, w *World) {
	if e.sink == nil {
		return
	}
	e.sessions = append(e.sessions, s)
	if len(e.sessions) == cap(e.sessions) {
		e.fail(w, e.sink.Sessions(e.sessions))
		e.sessions = e.sessions[:0]
	}
}

func (e *emitter) auction(a AuctionRecord, w *World) {
	if e.sink == nil {
		return
	}
	e.auctions = append(e.auctions, a)
	if len(e.auctions) == cap(e.auctions) {
		e.fail(w, e.sink.Auctions(e.auctions))
		e.auctions = e.auctions[:0]
	}
}

func (e *emitter) window(r WindowRecord, w *World) {
	if e.sink == nil {
		return
	}
	e.windows = append(e.windows, r)
	if len(e.windows) == cap(e.windows) {
		e.fail(w, e.sink.Windows(e.windows))
		e.windows = e.windows[:0]
	}
}

// flush hands over everything buffered.
func (e *emitter) flush() error {
	if e.sink == nil {
		return nil
	}
	if len(e.reqs) > 0 {
		if err := e.sink.Requests(e.reqs); err != nil {
			return err
		}
		e.reqs = e.reqs[:0]
	}
	if len(e.sessions) > 0 {
		if err := e.sink.Sessions(e.sessions); err != nil {
			return err
		}
		e.sessions = e.sessions[:0]
	}
	if len(e.auctions) > 0 {
		if err := e.sink.Auctions(e.auctions); err != nil {
			return err
		}
		e.auctions = e.auctions[:0]
	}
	if len(e.windows) > 0 {
		if err := e.sink.Windows(e.windows); err != nil {
			return err
		}
		e.windows = e.windows[:0]
	}
	return nil
}
