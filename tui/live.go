package tui

import (
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"aiecon/sim"
)

// liveFeed is the Tee sink of a run launched from the dashboard: it keeps
// the windows and the progress the simulator reports until the screen
// takes them. The simulator never waits for the screen: a Sink call only
// appends under a lock and pokes a channel without blocking.
type liveFeed struct {
	mu      sync.Mutex
	meta    *sim.RunMeta
	windows []sim.WindowRecord
	prog    sim.Progress
	hasProg bool
	runID   string // the run's id once its row is in the store (registered)

	notify chan struct{} // capacity 1: "there is something new"
	done   chan struct{} // closed when the run returned
}

var _ sim.Sink = (*liveFeed)(nil)

func newLiveFeed() *liveFeed {
	return &liveFeed{notify: make(chan struct{}, 1), done: make(chan struct{})}
}

func (f *liveFeed) poke() {
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

func (f *liveFeed) Begin(m sim.RunMeta) error {
	f.mu.Lock()
	f.meta = &m
	f.mu.Unlock()
	f.poke()
	return nil
}

func (f *liveFeed) Requests([]sim.RequestRecord) error { return nil }
func (f *liveFeed) Sessions([]sim.SessionRecord) error { return nil }
func (f *liveFeed) Auctions([]sim.AuctionRecord) error { return nil }

// Windows copies the batch: the simulator reuses its buffers.
func (f *liveFeed) Windows(b []sim.WindowRecord) error {
	f.mu.Lock()
	f.windows = append(f.windows, b...)
	f.mu.Unlock()
	f.poke()
	return nil
}

func (f *liveFeed) End(sim.Summary) error { return nil }

// progress is the runner's Progress callback.
func (f *liveFeed) progress(p sim.Progress) {
	f.mu.Lock()
	f.prog, f.hasProg = p, true
	f.mu.Unlock()
	f.poke()
}

// registered is the runner's Registered callback: from now on a cancel
// leaves the run in the store as failed, which the screen may say.
func (f *liveFeed) registered(id string) {
	f.mu.Lock()
	f.runID = id
	f.mu.Unlock()
	f.poke()
}

func (f *liveFeed) finish() { close(f.done) }

// liveMsg carries what arrived since the last one.
type liveMsg struct {
	addr
	meta    *sim.RunMeta
	windows []sim.WindowRecord
	prog    sim.Progress
	hasProg bool
	runID   string // the run's id, once registered (sent once)
	at      time.Time
	last    bool // the run has returned; no more will come
}

// coalesce is how long the listener waits after a poke so that a burst of
// windows becomes one screen update.
const coalesce = 50 * time.Millisecond

// listen waits for news and returns it; the screen re-issues it until last.
func (f *liveFeed) listen(to int) tea.Cmd {
	return func() tea.Msg {
		last := false
		select {
		case <-f.notify:
			select {
			case <-time.After(coalesce):
			case <-f.done:
			}
		case <-f.done:
		}
		select {
		case <-f.done:
			last = true
		default:
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		m := liveMsg{addr: addr{to}, meta: f.meta, windows: f.windows, prog: f.prog, hasProg: f.hasProg, runID: f.runID,
			at: time.Now(), last: last}
		f.meta, f.windows, f.hasProg, f.runID = nil, nil, false, ""
		return m
	}
}
