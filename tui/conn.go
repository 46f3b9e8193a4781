package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"aiecon/data"
)

// conn is the dashboard's access to the store file. DuckDB lets one process
// write a file and no other open it meanwhile, and a reader blocks a writer
// too, so a dashboard that kept the file open would stop every `aiecon run`
// started next to it. conn therefore opens the file read-only (in DuckDB's
// sandbox) for each batch of queries and closes it after idle of
// inactivity, and a writer that finds it held waits that long
// (data.Options.LockWait); it opens it read-write only while the Launch
// screen writes a run. All its methods run inside tea.Cmds (they do I/O),
// never in Update.
type conn struct {
	path      string
	idle      time.Duration // close the read-only store after this long unused; <= 0 keeps it open
	writeWait time.Duration // how long beginWrite waits for another process to let go of the file

	mu      sync.Mutex
	free    *sync.Cond // signalled when refs drops to 0
	store   *data.Store
	refs    int
	writing bool // store is the read-write store of a run being written
	// closeWarning is what the read-write store warned of as it closed (a
	// checkpoint that failed; data.Options.OnWarning), nil when nothing.
	closeWarning error
	// views is what the open store warned of as it opened: views of
	// aiecon's that it lacks or defines otherwise, which every CLI command
	// warns of too; nil when none. It belongs to store, set with it.
	views *data.ViewsChangedError
	gen   int // bumps on every open, so a stale idle timer does nothing
	timer *time.Timer

	snapPath string // reads go to this copy of the file (see useSnapshot)
	snapDir  string
	snapAt   time.Time

	// ctx is every query's parent; close cancels it, which interrupts the
	// queries in flight rather than waiting up to queryTimeout for them
	// (a runaway SQL console query kept the dashboard alive after q,
	// ctrl+c and SIGTERM).
	ctx  context.Context
	stop context.CancelFunc

	// opened says that the store has opened once: a store missing after
	// that was deleted or moved, not "no runs stored yet".
	opened bool
}

// storeGoneError is a store file missing after the dashboard read it. The
// store's own error said "no such store (no runs stored yet: `aiecon run`
// creates it)" over the runs just shown, and was cut before the path.
type storeGoneError struct{ path string }

func (e *storeGoneError) Error() string {
	return "the store file is gone (deleted or moved since the dashboard read it; r retries): " + e.path
}

// openedLocked notes whether an open succeeded, and names a store that is
// gone since one did.
func (c *conn) openedLocked(path string, err error) error {
	switch {
	case err == nil:
		c.opened = true
	case c.opened && errors.Is(err, data.ErrNoStore):
		return &storeGoneError{path: path}
	}
	return err
}

// launchLockWait bounds how long a launch waits for another process (a
// reader such as a second dashboard) to let go of the file: the screen
// shows nothing meanwhile, so less than the CLI's data.DefaultLockWait.
const launchLockWait = 5 * time.Second

func newConn(path string, idle time.Duration) *conn {
	c := &conn{path: path, idle: idle, writeWait: launchLockWait}
	c.ctx, c.stop = context.WithCancel(context.Background())
	c.free = sync.NewCond(&c.mu)
	return c
}

// read runs f with an open store: the read-write one while a run is being
// written (DuckDB shares one instance per file within a process), else a
// read-only one opened on demand.
func (c *conn) read(f func(*data.Store) error) error {
	s, err := c.acquire()
	if err != nil {
		return err
	}
	defer c.release()
	return f(s)
}

func (c *conn) acquire() (*data.Store, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store == nil {
		path := c.path
		if c.snapPath != "" {
			path = c.snapPath
		}
		var views *data.ViewsChangedError
		s, err := data.Open(path, readOptions(&views))
		if err := c.openedLocked(path, err); err != nil {
			return nil, err
		}
		c.store, c.views = s, views
		c.gen++
	}
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.refs++
	return c.store, nil
}

func (c *conn) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs--
	if c.refs > 0 {
		return
	}
	c.free.Broadcast()
	c.armIdleLocked()
}

// armIdleLocked schedules the close of an unused read-only store.
func (c *conn) armIdleLocked() {
	if c.refs > 0 || c.writing || c.store == nil || c.idle <= 0 {
		return
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	gen := c.gen
	c.timer = time.AfterFunc(c.idle, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.gen == gen && c.refs == 0 && !c.writing && c.store != nil {
			c.store.Close()
			c.store = nil
		}
	})
}

// closeLocked closes the current store once no query uses it.
func (c *conn) closeLocked() error {
	for c.refs > 0 {
		c.free.Wait()
	}
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if c.store == nil {
		return nil
	}
	err := c.store.Close()
	c.store, c.views = nil, nil
	c.gen++
	return err
}

// beginWrite opens the live file read-write for a run (creating it if it
// does not exist). Reads share it until endWrite. repaired says what the
// open repaired (a checkpoint torn by a kill or a failed write), "" when
// nothing. ctx is the run's: cancelling the launch (esc, ctrl+c) ends a wait for a file another
// process holds, which otherwise ran its course (writeWait) first.
func (c *conn) beginWrite(ctx context.Context) (_ *data.Store, repaired string, _ error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing {
		return nil, "", errors.New("a run is already being written")
	}
	if c.snapPath != "" {
		// Whether the file was in use or the user chose the copy, the run
		// belongs in the live file.
		return nil, "", fmt.Errorf("the dashboard is reading a snapshot copy of %s, and a run is stored in the live file: "+
			"go back to it first (R on Run, or after esc)", c.path)
	}
	if err := c.closeLocked(); err != nil {
		return nil, "", err
	}
	c.closeWarning = nil
	var views *data.ViewsChangedError
	s, err := data.OpenContext(ctx, c.path, data.Options{LockWait: c.writeWait, Threads: writeThreads, OnRepair: func(r data.RepairReport) {
		repaired = strings.TrimPrefix(r.String(), "repaired ")
	}, OnWarning: func(err error) {
		// The views' warning comes as the store opens, and is no failure
		// of the close (the launch said "closing the store afterwards
		// said: ... redefined").
		if !errors.As(err, &views) {
			c.closeWarning = err
		}
	}})
	if err := c.openedLocked(c.path, err); err != nil {
		return nil, "", err
	}
	c.store, c.views, c.writing = s, views, true
	c.gen++
	return s, repaired, nil
}

// writeThreads is the DuckDB worker threads of the launch's read-write
// store, for the same reason as the read-only opens' (readOptions): the
// dashboard's reads go to it during a launch and are interrupted as on any
// other store. The instance is the run's too, so the run's writes (the
// request appenders, the checkpoint as it closes) also run on one thread,
// which on 2 cores cost nothing measurable (BenchmarkLaunchThreads).
const writeThreads = 1

// endWrite closes the read-write store so the dashboard holds no write lock
// while idle.
func (c *conn) endWrite() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.writing {
		return nil
	}
	err := c.closeLocked()
	c.writing = false
	if err == nil {
		// A checkpoint that failed as the store closed (a full disk) left the
		// run in the log alone: the CLI warns of it, and so does the launch.
		err = c.closeWarning
	}
	return err
}

// probe opens the live file (read-only) to see whether it is free again,
// leaving snapshot mode if it is.
func (c *conn) probe() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing {
		return nil
	}
	if c.snapPath == "" && c.store != nil {
		return nil // open, so not locked
	}
	var views *data.ViewsChangedError
	s, err := data.Open(c.path, readOptions(&views))
	if err := c.openedLocked(c.path, err); err != nil {
		return err
	}
	if err := c.closeLocked(); err != nil {
		s.Close()
		return err
	}
	c.store, c.views = s, views
	c.gen++
	c.dropSnapshotLocked()
	c.armIdleLocked()
	return nil
}

// useSnapshot copies the store file to a temporary directory and reads the
// copy from then on. The copy leaves out the write-ahead log: it is the
// database as of the writer's last checkpoint, so it may miss the newest
// runs, but it never shows a half-written one as complete: one the writer
// was writing reads as running while the writer lives (data's orphaned).
func (c *conn) useSnapshot() (time.Time, error) {
	dir, err := os.MkdirTemp("", "aiecon-snapshot-")
	if err != nil {
		return time.Time{}, fmt.Errorf("snapshot of %s: %w", c.path, err)
	}
	dst := filepath.Join(dir, filepath.Base(c.path))
	if err := copyFile(c.path, dst); err != nil {
		os.RemoveAll(dir)
		return time.Time{}, fmt.Errorf("snapshot of %s: %w", c.path, err)
	}
	s, err := data.Open(dst, readOptions(nil))
	if err != nil {
		os.RemoveAll(dir)
		return time.Time{}, fmt.Errorf("snapshot of %s: the copy does not open (the writer may have been checkpointing; retry): %w", c.path, err)
	}
	s.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.closeLocked(); err != nil {
		os.RemoveAll(dir)
		return time.Time{}, err
	}
	c.dropSnapshotLocked()
	c.snapPath, c.snapDir, c.snapAt = dst, dir, time.Now()
	return c.snapAt, nil
}

func (c *conn) dropSnapshotLocked() {
	if c.snapDir != "" {
		os.RemoveAll(c.snapDir)
	}
	c.snapPath, c.snapDir, c.snapAt = "", "", time.Time{}
}

// close interrupts the queries in flight and releases everything: the
// store and any snapshot copy.
func (c *conn) close() error {
	c.stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.closeLocked()
	c.dropSnapshotLocked()
	return err
}

// readOptions are the options of the dashboard's read-only opens; views
// (nil: not kept) receives the views' warning (viewsWarning). One worker
// thread: the dashboard interrupts queries (a page superseded by the next
// key, a runaway SQL console query as it closes) and opens the file again
// after each idle close, and DuckDB leaks a file's instance when an
// interrupt lands while its worker threads run the query
// (data.Options.Threads). Its queries read a run's aggregates and pages of
// rows, which one thread serves within the screens' budget
// (BenchmarkOpenRun).
func readOptions(views **data.ViewsChangedError) data.Options {
	opts := data.Options{ReadOnly: true, Threads: 1}
	if views != nil {
		opts.OnWarning = viewsWarning(views)
	}
	return opts
}

// viewsWarning is the OnWarning of a read-only open: it keeps in dst the
// views' warning, which comes as the store opens. A read-only store warns
// of nothing else of its own (only a read-write one checkpoints as it
// closes); one that shares this process's read-write instance leaves that
// to the read-write one.
func viewsWarning(dst **data.ViewsChangedError) func(error) {
	return func(err error) { errors.As(err, dst) }
}

// viewsChanged is the open store's views warning (conn.views), for a
// reader to call inside read, where the store it reads is the open one.
func (c *conn) viewsChanged() *data.ViewsChangedError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.views
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// queryTimeout bounds a dashboard query, so a runaway SQL console query
// cannot hold the file (and a writer's lock) forever.
const queryTimeout = 2 * time.Minute

// queryCtx is a query's context: queryTimeout long, and cancelled when the
// dashboard closes.
func (c *conn) queryCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, queryTimeout)
}

// queryCtxIn is queryCtx under parent (nil: none), which the caller may
// cancel sooner; parent must derive from c.ctx, so that closing still ends it.
func (c *conn) queryCtxIn(parent context.Context) (context.Context, context.CancelFunc) {
	if parent == nil {
		parent = c.ctx
	}
	return context.WithTimeout(parent, queryTimeout)
}
