package sim

// emitBatch is how many requests are buffered before a Sink call.
const emitBatch = 4096

// buffer holds records of one kind and hands them to the sink in batches.
type buffer[T any] struct {
	buf  []T
	send func([]T) error
}

func newBuffer[T any](size int, send func([]T) error) buffer[T] {
	return buffer[T]{buf: make([]T, 0, size), send: send}
}

// add appends a record and sends the batch when it is full; the first error
// is kept by the world and stops the run.
func (b *buffer[T]) add(x T, w *World) {
	if b.send == nil {
		return
	}
	b.buf = append(b.buf, x)
	if len(b.buf) == cap(b.buf) {
		w.failRun(b.send(b.buf))
		b.buf = b.buf[:0]
	}
}

// flush sends what is buffered.
func (b *buffer[T]) flush() error {
	if b.send == nil || len(b.buf) == 0 {
		return nil
	}
	err := b.send(b.buf)
	b.buf = b.buf[:0]
	return err
}

// emitter buffers the records of a run for its sink (none when sink is nil).
type emitter struct {
	sink     Sink
	reqs     buffer[RequestRecord]
	sessions buffer[SessionRecord]
	auctions buffer[AuctionRecord]
	windows  buffer[WindowRecord]
}

func (e *emitter) begin(meta RunMeta) error {
	if e.sink == nil {
		return nil
	}
	e.reqs = newBuffer(emitBatch, e.sink.Requests)
	e.sessions = newBuffer(emitBatch/4, e.sink.Sessions)
	e.auctions = newBuffer(emitBatch/4, e.sink.Auctions)
	e.windows = newBuffer(64, e.sink.Windows)
	return e.sink.Begin(meta)
}

// failRun keeps the first sink error and stops the run.
func (w *World) failRun(err error) {
	if err != nil && w.err == nil {
		w.err = err
		w.eng.Stop()
	}
}

func (e *emitter) request(r RequestRecord, w *World) { e.reqs.add(r, w) }
func (e *emitter) session(s SessionRecord, w *World) { e.sessions.add(s, w) }
func (e *emitter) auction(a AuctionRecord, w *World) { e.auctions.add(a, w) }
func (e *emitter) window(r WindowRecord, w *World)   { e.windows.add(r, w) }

// flush hands over everything buffered.
func (e *emitter) flush() error {
	for _, f := range []func() error{e.reqs.flush, e.sessions.flush, e.auctions.flush, e.windows.flush} {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}
