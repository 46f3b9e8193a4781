package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"aiecon/sim"
)

// RunInfo describes a run when it is registered, before the simulator starts.
type RunInfo struct {
	Name         string
	Description  string
	ScenarioYAML string // as the user gave it
	ResolvedYAML string // with every default filled in
	Seed         uint64
	Version      string // aiecon version
	HorizonNs    int64
	// RequestSampleRate is the share of requests stored; 0 means "as the
	// simulator says in RunMeta" (1 until then). The simulator's RunMeta,
	// delivered by Begin, is authoritative.
	RequestSampleRate float64
	SweepID           string // "" for a run outside a sweep
	SweepPoint        int
	Replication       int
	ParamsJSON        string
	// Calibration is the identity of the profile file that priced the
	// run; zero for the built-in profile.
	Calibration CalibrationUsed
}

// CalibrationUsed is a calibration profile file as a run read it: the
// SHA-256 of its bytes, its own creation time and what it was for the
// run's chips and formats (hw.Profile.Summary). A profile file can be
// replaced at its path, so the path alone does not say what priced a run.
type CalibrationUsed struct {
	SHA256  string
	Created time.Time
	Summary string
}

// Writer tuning. A batch from the simulator is copied in chunks of at most
// chunkRows rows, and at most queueLen chunks wait for the writer goroutine,
// so a RunWriter holds a few megabytes whatever the size of the run or of
// the simulator's batches.
const (
	chunkRows = 8192
	queueLen  = 4
)

// Run statuses.
const (
	StatusRunning  = "running"
	StatusComplete = "complete"
	StatusFailed   = "failed"
)

// RunWriter streams one run into the store. It implements sim.Sink: the
// simulator's calls copy each batch and hand it to a writer goroutine that
// owns a connection and its Appenders, so the simulator never waits on disk
// unless the writer falls queueLen chunks behind. Its methods must be called
// from one goroutine (as the Sink contract says of the simulator).
type RunWriter struct {
	store *Store
	id    string
	conn  *sql.Conn
	app   *appenders

	msgs chan message
	done chan struct{} // closed when the writer goroutine has exited

	mu     sync.Mutex
	err    error  // first error of the writer goroutine; every later Sink call returns it
	status string // final status once done is closed

	// Owned by the writer goroutine.
	summary *sim.Summary
	meta    *sim.RunMeta
	counts  struct{ requests, sessions, auctions, windows int64 }
}

var _ sim.Sink = (*RunWriter)(nil)

type msgKind uint8

const (
	msgBegin msgKind = iota
	msgRequests
	msgSessions
	msgAuctions
	msgWindows
	msgEnd
	msgFinish
	msgFail
)

type message struct {
	kind    msgKind
	meta    *sim.RunMeta
	summary *sim.Summary
	reqs    []sim.RequestRecord
	sess    []sim.SessionRecord
	aucs    []sim.AuctionRecord
	wins    []sim.WindowRecord
	wallS   float64
	cause   error
	reply   chan error
}

// CheckTakesRuns refuses a store that BeginRun would refuse whatever the
// run: one open read-only, one in memory (ErrMemoryStore), or a file in a
// folder it may not write, where DuckDB creates its log (path.wal) on the
// first commit. A command that prepares for long before its first run (a
// forecast checks every group's scenario) calls it first: it was refused
// only at that run, minutes later.
func (s *Store) CheckTakesRuns() error {
	s.mu.Lock()
	raw := s.rawPath
	s.mu.Unlock()
	switch {
	case s.readOnly:
		return fmt.Errorf("the store %s is open read-only", s.path)
	case raw == "":
		return fmt.Errorf("store %s: %w", s.path, ErrMemoryStore)
	}
	if _, err := os.Stat(raw + ".wal"); err == nil {
		return nil // the log is there already, so the folder took it
	}
	// The only portable test that the folder takes a new file is making one.
	f, err := os.CreateTemp(filepath.Dir(raw), ".aiecon-probe-*")
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("the folder of %s is not writable, and DuckDB writes its log %s.wal there: give it write permission, "+
				"or point %s at a store in a folder you may write: %w", s.path, s.path, s.pathArg, fs.ErrPermission)
		}
		return fmt.Errorf("store %s: its folder takes no new file, as its log %s.wal must be: %w", s.path, s.path, err)
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("store %s: removing the file %s made to test its folder: %w", s.path, f.Name(), err)
	}
	return nil
}

// BeginRun registers a run with status "running" (committed before it
// returns, with this process's PID and host so an interrupted run can be
// told) and returns the writer to hand to the simulator. Call Finish or Fail
// exactly once when the simulation ends.
func (s *Store) BeginRun(ctx context.Context, info RunInfo) (*RunWriter, error) {
	if s.readOnly {
		return nil, fmt.Errorf("beginning a run: the store %s is open read-only", s.path)
	}
	if info.Name == "" {
		return nil, errors.New("beginning a run: RunInfo.Name is empty")
	}
	if r := info.RequestSampleRate; math.IsNaN(r) || r < 0 || r > 1 {
		return nil, fmt.Errorf("beginning run %q: request sample rate %v is outside [0, 1]", info.Name, r)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, fmt.Errorf("beginning run %q: the store %s is closed", info.Name, s.path)
	}
	s.mu.Unlock()

	id := NewID()
	// Alive before its row exists, so that a concurrent Open in this process
	// never takes it for an interrupted run.
	s.state.setLive(id, true)
	w, err := s.beginRun(ctx, id, info)
	if err != nil {
		s.state.setLive(id, false)
		return nil, fmt.Errorf("beginning run %q: %w", info.Name, err)
	}
	return w, nil
}

func (s *Store) beginRun(ctx context.Context, id string, info RunInfo) (*RunWriter, error) {
	rate := info.RequestSampleRate
	if rate == 0 {
		rate = 1
	}
	host, _ := os.Hostname()
	var sweepID, point, repl any
	if info.SweepID != "" {
		sweepID, point, repl = info.SweepID, info.SweepPoint, info.Replication
	}
	register, err := s.stmt(ctx, registerRunSQL)
	if err != nil {
		return nil, fmt.Errorf("registering the run: %w", err)
	}
	_, err = register.ExecContext(ctx,
		id, info.Name, info.Description, info.ScenarioYAML, info.ResolvedYAML,
		info.Seed, info.Version, time.Now().UTC(), info.HorizonNs, rate, rate < 1,
		sweepID, point, repl, nullIfEmpty(info.ParamsJSON), os.Getpid(), host, nullIfEmpty(ownStart()),
		nullIfEmpty(info.Calibration.SHA256), nullIfZeroTime(info.Calibration.Created), nullIfEmpty(info.Calibration.Summary))
	if err != nil {
		return nil, fmt.Errorf("registering the run: %w", err)
	}
	// From here on the row exists: any failure marks it failed.
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		return nil, s.failRow(id, fmt.Errorf("opening a connection: %w", err))
	}
	raw, err := s.rawDB()
	if err != nil {
		conn.Close()
		return nil, s.failRow(id, err)
	}
	app, err := newAppenders(conn, raw, id)
	if err != nil {
		conn.Close()
		return nil, s.failRow(id, err)
	}
	w := &RunWriter{
		store: s, id: id, conn: conn, app: app,
		msgs: make(chan message, queueLen), done: make(chan struct{}),
	}
	s.mu.Lock()
	s.writers[w] = struct{}{}
	s.mu.Unlock()
	go w.loop()
	return w, nil
}

const registerRunSQL = `INSERT INTO runs (run_id, name, description, status, scenario_yaml, resolved_yaml,
	seed, aiecon_version, started_at, horizon_ns, request_sample_rate, requests_sampled,
	sweep_id, sweep_point, replication, params_json, writer_pid, writer_host, writer_start,
	calibration_sha256, calibration_created, calibration_summary)
	VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// nullIfZeroTime is t, or NULL for the zero time.
func nullIfZeroTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// failRow marks a run failed after a setup error and returns that error.
func (s *Store) failRow(id string, cause error) error {
	s.state.metaMu.Lock()
	defer s.state.metaMu.Unlock()
	if _, err := s.db.Exec(`UPDATE runs SET status = 'failed', error = ?, finished_at = ? WHERE run_id = ?`,
		cause.Error(), time.Now().UTC(), id); err != nil {
		return errors.Join(cause, fmt.Errorf("marking run %s failed: %w", id, err))
	}
	return cause
}

// ID is the run's id.
func (w *RunWriter) ID() string { return w.id }

// Begin records the run's metadata: its workloads and replicas.
func (w *RunWriter) Begin(meta sim.RunMeta) error {
	m := meta
	m.Workloads = append([]sim.WorkloadMeta(nil), meta.Workloads...)
	m.Replicas = append([]sim.ReplicaMeta(nil), meta.Replicas...)
	return w.send(message{kind: msgBegin, meta: &m})
}

// Requests queues a batch of request records.
func (w *RunWriter) Requests(batch []sim.RequestRecord) error {
	return sendChunks(w, batch, &reqBufs, func(b []sim.RequestRecord) message { return message{kind: msgRequests, reqs: b} })
}

// Sessions queues a batch of session records.
func (w *RunWriter) Sessions(batch []sim.SessionRecord) error {
	return sendChunks(w, batch, &sessBufs, func(b []sim.SessionRecord) message { return message{kind: msgSessions, sess: b} })
}

// Auctions queues a batch of auction records.
func (w *RunWriter) Auctions(batch []sim.AuctionRecord) error {
	return sendChunks(w, batch, &aucBufs, func(b []sim.AuctionRecord) message { return message{kind: msgAuctions, aucs: b} })
}

// Windows queues a batch of time-series windows.
func (w *RunWriter) Windows(batch []sim.WindowRecord) error {
	return sendChunks(w, batch, &winBufs, func(b []sim.WindowRecord) message { return message{kind: msgWindows, wins: b} })
}

// End keeps the final KPIs and replica totals; Finish stores them together
// with the "complete" status.
func (w *RunWriter) End(summary sim.Summary) error {
	s := summary
	s.KPIs = append([]sim.KPI(nil), summary.KPIs...)
	s.Replicas = append([]sim.ReplicaRecord(nil), summary.Replicas...)
	s.Lengths = append([]sim.PoolLengths(nil), summary.Lengths...)
	return w.send(message{kind: msgEnd, summary: &s})
}

// Finish flushes every record, then stores the KPIs and marks the run
// complete in one transaction, strictly after the last record is committed.
// A run without a summary (End not called) or whose writer failed is marked
// failed instead, and the error says why.
func (w *RunWriter) Finish(wallSeconds float64) error {
	err, ok := w.call(message{kind: msgFinish, wallS: wallSeconds})
	if !ok {
		return fmt.Errorf("finishing run %s: it already ended as %s", w.id, w.finalStatus())
	}
	return err
}

// Fail marks the run failed with cause's message, keeping what was stored.
// Failing a run that already failed does nothing.
func (w *RunWriter) Fail(cause error) error {
	if cause == nil {
		cause = errors.New("failed (no cause given)")
	}
	err, ok := w.call(message{kind: msgFail, cause: cause})
	if !ok {
		if st := w.finalStatus(); st != StatusFailed {
			return fmt.Errorf("failing run %s: it already ended as %s", w.id, st)
		}
		return nil
	}
	return err
}

// call sends a final message and waits for its answer; ok is false when the
// writer goroutine had already ended.
func (w *RunWriter) call(m message) (err error, ok bool) {
	m.reply = make(chan error, 1)
	select {
	case <-w.done:
		return nil, false
	default:
	}
	select {
	case w.msgs <- m:
	case <-w.done:
		return nil, false
	}
	select {
	case err := <-m.reply:
		return err, true
	case <-w.done:
		select {
		case err := <-m.reply:
			return err, true
		default:
			return nil, false // queued behind the message that ended the writer
		}
	}
}

func (w *RunWriter) finalStatus() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

func (w *RunWriter) loadErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *RunWriter) setErr(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

// send hands a message to the writer goroutine, failing fast once it has
// failed so the simulator stops.
func (w *RunWriter) send(m message) error {
	if err := w.loadErr(); err != nil {
		return err
	}
	select {
	case <-w.done:
		return fmt.Errorf("storing run %s: the writer has already ended (%s)", w.id, w.finalStatus())
	default:
	}
	select {
	case w.msgs <- m:
		return nil
	case <-w.done:
		return fmt.Errorf("storing run %s: the writer has already ended (%s)", w.id, w.finalStatus())
	}
}

func sendChunks[T any](w *RunWriter, batch []T, pool *bufPool[T], wrap func([]T) message) error {
	for len(batch) > 0 {
		n := min(len(batch), chunkRows)
		buf := append(pool.get(), batch[:n]...)
		if err := w.send(wrap(buf)); err != nil {
			return err
		}
		batch = batch[n:]
	}
	return nil
}

// bufPool recycles chunk buffers between the simulator and the writers of
// every run: a chunk of window records is 1.6 MB, and a sweep that allocated
// (and zeroed) fresh ones for each of its short runs spent more time on that
// than on appending their rows. A sync.Pool lets the GC reclaim them when no
// run needs them any more.
type bufPool[T any] struct{ p sync.Pool }

var (
	reqBufs  bufPool[sim.RequestRecord]
	sessBufs bufPool[sim.SessionRecord]
	aucBufs  bufPool[sim.AuctionRecord]
	winBufs  bufPool[sim.WindowRecord]
)

func (p *bufPool[T]) get() []T {
	if b, ok := p.p.Get().(*[]T); ok {
		return (*b)[:0]
	}
	return make([]T, 0, chunkRows)
}

func (p *bufPool[T]) put(b []T) { p.p.Put(&b) }

// loop is the writer goroutine: the only user of the run's connection.
func (w *RunWriter) loop() {
	final := StatusFailed
	defer func() { w.exit(final) }()
	for m := range w.msgs {
		switch m.kind {
		case msgFinish:
			err := w.finish(m.wallS)
			if err == nil {
				final = StatusComplete
			}
			m.reply <- err
			return
		case msgFail:
			m.reply <- w.markFailed(m.cause)
			return
		}
		if w.loadErr() != nil {
			continue // drop records after an error; Fail or Finish will record it
		}
		if err := w.handle(m); err != nil {
			w.setErr(fmt.Errorf("storing run %s: %w", w.id, err))
		}
	}
}

func (w *RunWriter) handle(m message) error {
	switch m.kind {
	case msgBegin:
		return w.storeMeta(m.meta)
	case msgRequests:
		defer reqBufs.put(m.reqs)
		if err := w.app.requests(m.reqs); err != nil {
			return err
		}
		w.counts.requests += int64(len(m.reqs))
	case msgSessions:
		defer sessBufs.put(m.sess)
		if err := w.app.sessions(w.id, m.sess); err != nil {
			return err
		}
		w.counts.sessions += int64(len(m.sess))
	case msgAuctions:
		defer aucBufs.put(m.aucs)
		if err := w.app.auctions(w.id, m.aucs); err != nil {
			return err
		}
		w.counts.auctions += int64(len(m.aucs))
	case msgWindows:
		defer winBufs.put(m.wins)
		if err := w.app.windows(w.id, m.wins); err != nil {
			return err
		}
		w.counts.windows += int64(len(m.wins))
	case msgEnd:
		w.summary = m.summary
	}
	return nil
}

// exit releases the connection and tells everyone the writer is gone.
func (w *RunWriter) exit(final string) {
	if w.app != nil {
		w.app.close() // no-op after finish or fail closed them
	}
	w.conn.Close()
	w.store.state.setLive(w.id, false)
	w.store.mu.Lock()
	delete(w.store.writers, w)
	w.store.mu.Unlock()
	w.mu.Lock()
	w.status = final
	w.mu.Unlock()
	close(w.done)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
