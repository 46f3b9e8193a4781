package data

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/duckdb/duckdb-go/v2/mapping"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"aiecon/model/format"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)

// MemoryPath opens a private in-memory store (tests, `aiecon schema`).
const MemoryPath = ":memory:"

// Options configure Open.
type Options struct {
	// ReadOnly opens the file without writing anything: no schema creation,
	// no migration, no recovery of interrupted runs. Several read-only
	// processes may share a file; none may while another process writes it.
	ReadOnly bool
	// MemoryLimit caps DuckDB's buffer pool, in DuckDB's syntax ("1GB",
	// "512MB"); "" means DefaultMemoryLimit. DuckDB keeps the blocks it has
	// written cached up to this limit (its own default is 80% of RAM), so this
	// is what bounds the memory of a long run. All Stores of one file in a
	// process must use the same limit.
	MemoryLimit string
	// Refuse makes Open fail, where it would otherwise warn (OnWarning),
	// on SQL of the file's own that aiecon's reads would run in place of
	// aiecon's: a view of aiecon's redefined or dropped, a function or
	// macro named like one of DuckDB's built-ins (*ViewsChangedError with
	// Refused set). The read-only commands that print what aiecon's views
	// compute set it (`aiecon runs`, show, compare...): they printed the
	// redefined view's result under aiecon's names after the warning.
	// `aiecon sql`, doctor and the dashboard, which the user repairs or
	// inspects such a store with, warn.
	Refuse bool
	// Threads caps the worker threads of the DuckDB instance the Open
	// creates (DuckDB's threads setting), the request appenders' included:
	// 0 keeps DuckDB's default, one per core. An Open that shares this
	// process's read-write instance runs on that instance's threads. A
	// process that interrupts queries and then closes and opens the file
	// again (the dashboard) sets 1: DuckDB 1.5 keeps the instance of a
	// file alive after its last handle closed when an interrupt landed
	// while worker threads ran the query, which leaves the file locked
	// against writers and the next open of it in the process spinning in
	// DuckDB's instance cache for ever.
	Threads int
	// LockWait is how long a read-write Open keeps trying while another
	// process holds the file (a dashboard between two reads, a reader
	// finishing a query) before it returns the *LockedError: 0 means
	// DefaultLockWait, a negative value one try. Read-only Opens try once.
	LockWait time.Duration
	// OnLockWait, if set, is called once when a read-write Open finds the
	// file held and starts waiting, with who holds it.
	OnLockWait func(*LockedError)
	// OnRepair, if set, is called when a read-write Open found the file
	// damaged by a kill during a checkpoint and repaired it (RepairCopy):
	// the caller should tell the user, and where the original was kept.
	OnRepair func(RepairReport)
	// OnWarning, if set, is called with what went wrong without failing
	// the call: a checkpoint that failed as the store closed for a reason
	// other than a damaged block (a full disk), leaving the runs written
	// since the last one in the write-ahead log only (*CheckpointError);
	// a write-ahead log found beside the store and replayed
	// (*LogReplayedError);
	// views of aiecon's that the store lacks or defines otherwise, found
	// as it opens, and functions named like DuckDB's built-ins
	// (*ViewsChangedError).
	OnWarning func(error)
	// OnMigrate, if set, is called once a read-write Open has migrated a
	// store of an older schema version (from) to this aiecon's (to): the
	// upgrade is one way (an aiecon of the older schema refuses the store
	// afterwards), and it happened without a word, even in a command that
	// then failed on its input.
	OnMigrate func(path string, from, to int)
	// OlderSchema lets a read-only Open read a store of an older schema
	// version as it is, unmigrated and with no check of its tables: for a
	// look-up of what every version holds (a sweep id) before a read-write
	// Open migrates the store, so that a bad argument is refused first.
	OlderSchema bool
	// SkipTableCheck opens a store whose tables differ from the schema
	// (checkTables): what `aiecon sql` opens through, so that a user who
	// altered a table with it can put the table back. Every other command
	// refuses such a store, whose reads and appends would fail.
	SkipTableCheck bool
	// NotStoreHint, if set, replaces the hint ("is PathArg pointing at
	// another file?") after a file that is not a DuckDB database, for a
	// path that is not --db's: merge's OUT was refused as "is --db
	// pointing at another file?".
	NotStoreHint string
	// PathArg is how the user gave the path, as the advice to give
	// another file names it: "--db" if empty (merge: "merge's OUT").
	PathArg string
}

// pathArg is opts.PathArg, "--db" if unset.
func (opts Options) pathArg() string { return cmp.Or(opts.PathArg, "--db") }

// DefaultLockWait is how long a read-write Open waits for a held store: a
// reader such as the dashboard holds it for a moment at a time.
const DefaultLockWait = 20 * time.Second

// sandboxOptions lock a read-only instance to the queries over its file:
// every read-only Open gets them (fileDSN), since what it reads runs SQL
// kept in the file (aiecon's views as the file defines them), and a store
// comes from anywhere (a shard to merge, a colleague's copy). Only `aiecon
// sql` and the dashboard had them: `runs`, show, compare, export and plot
// evaluated a view redefined to read_text('/etc/hostname') outside any
// sandbox, with DuckDB's defaults of external access and extension
// autoloading on. A read-only Open while this process holds the file
// read-write shares that instance, which is not sandboxed: CheckQuery is
// then the only guard of untrusted SQL, and Options.Refuse of the file's
// views. lock_configuration comes last: DuckDB applies the others
// first either way (they are its startup configuration), but it reads as
// what it does.
var sandboxOptions = [][2]string{
	{"enable_external_access", "false"},
	{"autoload_known_extensions", "false"},
	{"autoinstall_known_extensions", "false"},
	{"allow_community_extensions", "false"},
	{"lock_configuration", "true"},
}

// checkpointThreshold is the size of write-ahead log at which DuckDB folds it
// into the database file. Its default, 16 MB, made a sweep of short runs
// checkpoint every few seconds, each time rewriting the tables' last,
// partly filled row groups; at 256 MB a 100-point sweep is 5-10% faster and
// its -j 2 speed-up higher. The price: a process killed mid-sweep leaves up
// to 256 MB of log that the next open replays (a few seconds), and that much
// committed data may wait in DuckDB's buffer pool (spilled if need be) until
// the checkpoint. Close always checkpoints.
const checkpointThreshold = "256MB"

// fileOptions are the DuckDB options of a file store, the same for every
// connection to it in a process (DuckDB refuses a second configuration).
// threads > 0 caps the instance's worker threads (Options.Threads).
func fileOptions(memoryLimit string, threads int) [][2]string {
	opts := [][2]string{{"memory_limit", memoryLimit}, {"checkpoint_threshold", checkpointThreshold}}
	if threads > 0 {
		opts = append(opts, [2]string{"threads", strconv.Itoa(threads)})
	}
	return opts
}

// fileDSN is the DuckDB connection string of the file at abs with
// fileOptions.
func fileDSN(abs, memoryLimit string, threads int) string {
	dsn := abs + "?"
	for i, kv := range fileOptions(memoryLimit, threads) {
		if i > 0 {
			dsn += "&"
		}
		dsn += kv[0] + "=" + url.QueryEscape(kv[1])
	}
	return dsn
}

// DefaultMemoryLimit is the buffer-pool cap of Open when Options.MemoryLimit
// is empty: ample for the store's queries and for spilling large SQL joins,
// small next to the simulator's own needs.
const DefaultMemoryLimit = "1GB"

// Store is an open aiecon DuckDB file. It is safe for concurrent use; several
// RunWriters may stream runs into it at once.
type Store struct {
	path     string // as given
	pathArg  string // how the user gave path, as advice names it (Options.PathArg)
	key      string // absolute path, links followed (storeFile): the key of the process-wide registry
	readOnly bool
	db       *sql.DB
	state    *pathState
	roConfig bool // opened with DuckDB's read-only configuration
	sandbox  bool // and so its sandbox (sandboxOptions)

	warn func(error) // Options.OnWarning

	// rawPath, rawLimit and rawThreads open raw, the C handle on the same
	// database instance that the request appenders connect through (see
	// reqappend.go): DuckDB refuses it unless its configuration is the
	// instance's.
	rawPath, rawLimit string
	rawThreads        int

	mu      sync.Mutex
	writers map[*RunWriter]struct{}
	closed  bool
	raw     mapping.Database
	stmts   map[string]*sql.Stmt
}

// stmt returns the statement query prepared once for the store: a sweep
// registers and completes a run per point, and parsing and planning those
// statements each time cost about a millisecond a run.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// ErrMemoryStore is the error of writing a run to an in-memory store
// (--db :memory:): the user's choice of store, not a failure of the run.
var ErrMemoryStore = errors.New("runs are stored in files; an in-memory store only describes the schema (give --db a file)")

// rawDB returns the store's C database handle, opening it the first time.
func (s *Store) rawDB() (mapping.Database, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rawPath == "" {
		return s.raw, fmt.Errorf("store %s: %w", s.path, ErrMemoryStore)
	}
	if s.raw.Ptr == nil {
		db, err := rawDatabase(s.rawPath, s.rawLimit, s.rawThreads)
		if err != nil {
			return db, fmt.Errorf("store %s: %w", s.path, err)
		}
		s.raw = db
	}
	return s.raw, nil
}

// pathState is what all Stores of one file in this process share. DuckDB
// itself shares one database instance per file within a process, so two
// read-write Opens see the same data; the registry adds what DuckDB cannot
// know: which "running" runs are alive in this process (so that a second
// Open does not mark them failed) and a lock that serialises the few
// metadata transactions that read before they write (sweep registration,
// merges) and the failure updates. Registering and completing a run take
// no lock: DuckDB lets concurrent transactions insert into runs and update
// different rows of it (TestConcurrentShortRuns).
type pathState struct {
	// open is a lock, one slot, that serialises the Opens and Closes of the
	// file in this process: an Open holds it from reading the counts below
	// until it has connected, repaired, migrated and recovered, so that two
	// Opens never both take the file for unopened here (and both repair it,
	// say). It is a channel so that an Open waiting for it can give up when
	// its context ends. It is per file, not the registry's lock, because an
	// Open may wait here up to LockWait for another process: Opens of other
	// files and the running writers must not wait with it.
	open chan struct{}
	// open Stores by the DuckDB configuration they use: a read-only Store
	// opened while the file is open read-write here shares the read-write
	// one. Guarded by open.
	readWrite, readOnly int
	// threads is the Options.Threads of the read-write instance open
	// (readWrite > 0), which every Open sharing it must repeat. Guarded by
	// open.
	threads int
	// ro are the settings of the read-only instance open (readOnly > 0),
	// which a read-only Open that shares no read-write instance must
	// repeat; roSettings.clash names those it did not. Guarded by open.
	ro roSettings
	// refs counts the Stores and the Opens in progress that use this state,
	// so that the registry keeps it while an Open waits. Guarded by registry.
	refs   int
	liveMu sync.Mutex // guards live
	live   map[string]struct{}
	metaMu sync.Mutex
}

func newPathState() *pathState {
	return &pathState{open: make(chan struct{}, 1), live: map[string]struct{}{}}
}

// setLive records that a RunWriter of this process is writing run id, or,
// with alive false, no longer is.
func (st *pathState) setLive(id string, alive bool) {
	st.liveMu.Lock()
	defer st.liveMu.Unlock()
	if alive {
		st.live[id] = struct{}{}
	} else {
		delete(st.live, id)
	}
}

// isLive reports whether a RunWriter of this process is writing run id.
func (st *pathState) isLive(id string) bool {
	st.liveMu.Lock()
	defer st.liveMu.Unlock()
	_, ok := st.live[id]
	return ok
}

// registry holds the state of each file open, or being opened, in this
// process, by absolute path. Its lock is held only to look a state up or
// count its users, never while a file is opened or closed.
var registry = struct {
	sync.Mutex
	paths map[string]*pathState
}{paths: map[string]*pathState{}}

// lockPath returns the state of the file at abs, registered and with its
// open lock held, once no other Open or Close of the file in this process
// holds it, or ctx's error when ctx ends first. unlockOpen releases it.
func lockPath(ctx context.Context, abs string) (*pathState, error) {
	registry.Lock()
	st := registry.paths[abs]
	if st == nil {
		st = newPathState()
		registry.paths[abs] = st
	}
	st.refs++
	registry.Unlock()
	select {
	case st.open <- struct{}{}:
		return st, nil
	case <-ctx.Done():
		st.unref(abs)
		return nil, fmt.Errorf("waiting for another open of it in this process: %w", ctx.Err())
	}
}

// unlockOpen releases the open lock that lockPath took, and the state with
// it when the Open failed.
func (st *pathState) unlockOpen(abs string, opened bool) {
	<-st.open
	if !opened {
		st.unref(abs)
	}
}

// unref drops a user of the state, and the state from the registry when it
// was the last.
func (st *pathState) unref(abs string) {
	registry.Lock()
	defer registry.Unlock()
	st.refs--
	if st.refs <= 0 && registry.paths[abs] == st {
		delete(registry.paths, abs)
	}
}

// Open opens (read-write: creating if missing) the store at path. A
// read-write open applies forward migrations and marks runs left "running"
// by a writer that no longer exists as failed. A file held by another
// process yields a *LockedError.
func Open(path string, opts Options) (*Store, error) {
	return OpenContext(context.Background(), path, opts)
}

// OpenContext is Open with ctx bounding its waits: for another Open of the
// file in this process, and for another process to let go of it
// (Options.LockWait). When ctx ends first it returns an error wrapping
// ctx's. Once the file is open, migrating, recovering and repairing it run
// to the end whatever ctx does: a repair cut short would set aside a file
// it could have repaired.
func OpenContext(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("opening the store: empty path (use --db PATH or AIECON_DB)")
	}
	if err := CheckPath(path); err != nil {
		return nil, fmt.Errorf("opening the store %w", err)
	}
	s := &Store{path: path, pathArg: opts.pathArg(), readOnly: opts.ReadOnly, writers: map[*RunWriter]struct{}{}, warn: opts.OnWarning}
	if path == MemoryPath {
		return openMemory(ctx, s, opts)
	}

	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("opening the store %s: %w", path, err)
	}
	abs = storeFile(abs) // a link's target: where DuckDB keeps the file and its log
	s.key = abs
	st, err := lockPath(ctx, abs)
	if err != nil {
		return nil, fmt.Errorf("opening the store %s: %w", path, err)
	}
	if !opts.ReadOnly {
		writing.Add(1) // until Close: see Writing
	}
	err = s.openFile(ctx, abs, opts, st)
	st.unlockOpen(abs, err == nil)
	if err != nil {
		if !opts.ReadOnly {
			writing.Add(-1)
		}
		return nil, err
	}
	return s, nil
}

// openFile opens the file at abs for s, with st's open lock held, and
// counts s among st's Stores.
func (s *Store) openFile(ctx context.Context, abs string, opts Options, st *pathState) error {
	path := s.path
	if !opts.ReadOnly && st.readOnly > 0 {
		return fmt.Errorf("opening the store %s read-write: it is already open read-only in this process; close that first", path)
	}
	if err := CheckOrphanLog(path); err != nil {
		return fmt.Errorf("opening the store %s: %w", path, err)
	}
	// A read-only Open while this process holds the file read-write shares the
	// read-write instance: DuckDB allows one configuration per file and process.
	// Such a Store still never migrates or recovers.
	dsn, err := s.fileDSN(abs, opts, st)
	if err != nil {
		return err
	}
	if !opts.ReadOnly {
		// DuckDB creates the file but not its directory, and says only
		// "Cannot open file".
		if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
			return fmt.Errorf("opening the store %s: %w: %s", path, ErrNoDirectory, missingFolder(abs))
		}
	}
	if err := checkDuckDBHeader(abs, cmp.Or(opts.NotStoreHint, "is "+opts.pathArg()+" pointing at another file?")); err != nil {
		return fmt.Errorf("opening the store %s: %w", path, err)
	}
	// A log left beside the file says its last writer died, maybe during a
	// checkpoint (tornAfterCrash).
	crashed := !opts.ReadOnly && st.readWrite == 0 && hasLog(abs)
	// Replayed as DuckDB opens it, when no other Open here has it (LogReplayedError).
	replayed := st.readWrite == 0 && st.readOnly == 0 && hasLog(abs)
	err = s.connectAndPrepare(ctx, dsn, opts, st)
	if err == nil && crashed {
		err = s.tornAfterCrash(abs)
	}
	if err != nil && isCorrupt(err) && st.readWrite == 0 {
		if opts.ReadOnly {
			return keepCorrupt(path, abs, false, err, nil)
		}
		if err := s.repair(ctx, abs, opts, err); err != nil {
			return err
		}
		err = s.connectAndPrepare(ctx, dsn, opts, st)
	}
	if err != nil {
		if s.roConfig && st.readOnly > 0 && errors.Is(err, errOtherSettings) {
			err = st.ro.clash(path, settingsOf(s), err)
		}
		return err
	}
	if replayed && s.warn != nil {
		s.warn(&LogReplayedError{Path: path, Log: abs + ".wal", ReadOnly: opts.ReadOnly})
	}
	if s.roConfig {
		st.ro = settingsOf(s)
		st.readOnly++
	} else {
		st.threads = s.rawThreads
		st.readWrite++
	}
	return nil
}

// repair handles the first read-write Open in this process of a file
// DuckDB found damaged (openErr): a checkpoint torn by a kill or a failed
// write is repaired
// (repair.go); other damage sets the file aside.
func (s *Store) repair(ctx context.Context, abs string, opts Options, openErr error) error {
	rep, rerr := repairInPlace(context.WithoutCancel(ctx), s.path, abs)
	var te *tornError
	switch {
	case errors.Is(rerr, errRepairedElsewhere):
	case rerr != nil && errors.As(openErr, &te):
		// DuckDB opened it: a repair that does not hold up is no reason
		// to set aside a file it can read; what it cannot will say so.
	case rerr != nil:
		return keepCorrupt(s.path, abs, true, openErr, rerr)
	case opts.OnRepair != nil:
		opts.OnRepair(rep)
	}
	return nil
}

// hasLog reports a non-empty write-ahead log beside the file at abs.
func hasLog(abs string) bool {
	fi, err := os.Stat(abs + ".wal")
	return err == nil && fi.Size() > 0
}

// tornAfterCrash checks every block of a file whose last writer died: DuckDB
// reads blocks as queries need them, so it opens a file over a torn block
// that a later query or checkpoint then fails on (scripts/killtest.sh found
// one). A torn checkpoint found, the database is closed without the
// checkpoint DuckDB makes on close (it would read the torn block) and the
// error sends Open to the repair. Damage of another kind is left for DuckDB
// to report when it reads it, as before.
func (s *Store) tornAfterCrash(abs string) error {
	c, err := CheckBlocks(abs)
	if err != nil || !c.Torn() || len(c.Bad) > maxTornBlocks {
		return nil
	}
	s.db.Exec("PRAGMA disable_checkpoint_on_shutdown") //nolint:errcheck // without it the close fails on the torn block, which is no worse
	s.db.Close()
	s.db = nil
	return &tornError{c}
}

// tornError is a torn checkpoint found by tornAfterCrash.
type tornError struct{ check BlockCheck }

func (e *tornError) Error() string {
	return "a checkpoint torn by a kill or a failed write (a full disk): " + e.check.String()
}

// connectAndPrepare opens the DuckDB database and prepares the store. ctx
// bounds the wait for the file, not the migration and recovery that
// follow: a store left half-prepared helps no one.
func (s *Store) connectAndPrepare(ctx context.Context, dsn string, opts Options, st *pathState) error {
	db, err := connect(ctx, s.path, dsn, opts)
	if err != nil {
		return err
	}
	s.db, s.state = db, st
	ctx = context.WithoutCancel(ctx)
	err = s.refuseShadowing(ctx, opts)
	if err == nil {
		err = s.prepare(ctx, opts, st)
	}
	if err == nil {
		err = s.checkViews(ctx, opts)
	}
	if err != nil {
		db.Close()
		return err
	}
	return nil
}

// ErrNewerSchema is wrapped by the error of a store whose schema version
// is newer than this aiecon's (opened, merged or salvaged): the user's to
// resolve (upgrade aiecon, or give another store), as a file that is not
// a store is, so the CLI exits 2 for it, not 1 as for a failure while
// running, which a script may retry.
var ErrNewerSchema = errors.New("a store of a newer schema")

// newerSchema is an error that wraps ErrNewerSchema without adding its
// words to a message that already says it.
type newerSchema struct{ msg string }

func (e newerSchema) Error() string { return e.msg }
func (e newerSchema) Unwrap() error { return ErrNewerSchema }

func errNewerSchema(format string, args ...any) error {
	return newerSchema{fmt.Sprintf(format, args...)}
}

// olderSchema is an error that wraps ErrOlderSchema without adding its
// words to a message that already says it.
type olderSchema struct{ msg string }

func (e olderSchema) Error() string { return e.msg }
func (e olderSchema) Unwrap() error { return ErrOlderSchema }

// ErrNotStore is returned (wrapped) by Open of a file that is not a DuckDB
// database, which the driver reported only as an I/O error.
var ErrNotStore = errors.New("not a DuckDB database")

// dbHint is checkDuckDBHeader's hint for a store salvage reads, which
// only --db names; Open words its own from Options.PathArg.
const dbHint = "is --db pointing at another file?"

// checkDuckDBHeader refuses a directory, and an existing, non-empty file
// without DuckDB's magic bytes ("DUCK" after the 8-byte checksum of the main
// header). An empty file is left to DuckDB (openError): one being created by
// another process is empty for a moment, and that open should wait for it.
// hint, in parentheses after a file that is not DuckDB's, says what the
// path was meant to be (--db's, a merge input's).
func checkDuckDBHeader(path, hint string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: it is a directory (a store is a file, e.g. %s)", ErrNotStore, filepath.Join(path, "aiecon.duckdb"))
	} else if err == nil && !fi.Mode().IsRegular() {
		// A pipe or a device would block the read below, or DuckDB's, forever.
		return fmt.Errorf("%w: it is a %s, not a regular file", ErrNotStore, format.FileKind(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // missing: DuckDB creates it; unreadable: DuckDB says why
	}
	defer f.Close()
	head := make([]byte, 12)
	n, _ := io.ReadFull(f, head)
	if n == 0 || (n == 12 && string(head[8:]) == "DUCK") {
		return nil
	}
	return fmt.Errorf("%w (%s)", ErrNotStore, hint)
}

// openMemory opens a private in-memory store with the schema.
func openMemory(ctx context.Context, s *Store, opts Options) (*Store, error) {
	s.state = newPathState()
	s.readOnly = false // an in-memory database is always created fresh
	db, err := sql.Open("duckdb", "?memory_limit="+url.QueryEscape(cmp.Or(opts.MemoryLimit, DefaultMemoryLimit)))
	if err != nil {
		return nil, fmt.Errorf("opening an in-memory store: %w", err)
	}
	s.db = db
	if err := migrate(ctx, db, SchemaVersion()); err != nil {
		db.Close()
		return nil, fmt.Errorf("in-memory store: %w", err)
	}
	return s, nil
}

// fileDSN is the DuckDB data source of the file at abs: its options, and,
// for a read-only Open that shares no read-write instance of this process,
// read-only access in DuckDB's sandbox (sandboxOptions). It sets s.rawPath, rawLimit,
// rawThreads, roConfig and sandbox.
func (s *Store) fileDSN(abs string, opts Options, st *pathState) (string, error) {
	limit := cmp.Or(opts.MemoryLimit, DefaultMemoryLimit)
	if strings.ContainsAny(limit, "?&=") {
		return "", fmt.Errorf("opening the store %s: memory limit %q is not a size like 1GB", s.path, limit)
	}
	if err := checkURLCut(s.path, abs); err != nil { // a link's target (storeFile)
		return "", fmt.Errorf("opening the store %w", err)
	}
	threads := opts.Threads
	if st.readWrite > 0 {
		threads = st.threads // DuckDB refuses another configuration
	}
	dsn := fileDSN(abs, limit, threads)
	s.rawPath, s.rawLimit, s.rawThreads = abs, limit, threads
	if !opts.ReadOnly || st.readWrite > 0 {
		return dsn, nil
	}
	if _, err := os.Stat(abs); err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) { // ENOTDIR: a file on the path
			// Nor can a run create it until its directory exists.
			if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
				return "", fmt.Errorf("opening the store %s: %w: %w: %s", s.path, ErrNoStore, ErrNoDirectory, missingFolder(abs))
			}
			return "", fmt.Errorf("opening the store %s: %w (no runs stored yet: `aiecon run` creates it)", s.path, ErrNoStore)
		}
		return "", fmt.Errorf("opening the store %s: %w", s.path, err)
	}
	dsn += "&access_mode=read_only"
	for _, kv := range sandboxOptions {
		dsn += "&" + kv[0] + "=" + kv[1]
	}
	s.roConfig, s.sandbox = true, true
	return dsn, nil
}

// ErrOlderSchema is wrapped by the refusal of a store whose schema version
// is older than this aiecon's where nothing migrates it (a read-only Open,
// a merge input). Like ErrNewerSchema it is the user's to resolve (migrate
// it with a command that writes), not a failure a retry can fix, so the CLI
// exits 2 for it too: it exited 1 where a newer store exited 2.
var ErrOlderSchema = errors.New("a store of an older schema")

// OlderSchemaError is a read-only Open's refusal of a store at an older
// schema version: only a read-write Open migrates it. It wraps
// ErrOlderSchema.
type OlderSchemaError struct {
	Path          string
	Version, Want int // the store's schema version and this aiecon's
}

func (e *OlderSchemaError) Unwrap() error { return ErrOlderSchema }

func (e *OlderSchemaError) Error() string {
	// Name a command that writes: read-only ones (runs, show, sql) never migrate.
	return fmt.Sprintf("store %s has schema version %d, older than this aiecon's %d: open it once read-write to migrate it "+
		"(e.g. `aiecon sql --write 'SELECT 1' --db %s`; read-only commands such as `aiecon runs` do not migrate)", e.Path, e.Version, e.Want, e.Path)
}

// ErrNoStore is returned (wrapped) by a read-only Open of a missing file.
var ErrNoStore = errors.New("no such store")

// missingFolder says why the folder of the file at path cannot take it: a
// file on the path, which "create it first" could not fix (--db afile/x
// said so of afile, a file), or no folder there, to create.
func missingFolder(path string) string {
	if above, kind := NotFolderOnPath(path); above != "" {
		return fmt.Sprintf("%s is %s, not a folder", above, kind)
	}
	return filepath.Dir(path) + " (create it first)"
}

// ErrNoDirectory is returned (wrapped) by an Open whose file would go in a
// directory that does not exist; read-only, with ErrNoStore.
var ErrNoDirectory = errors.New("no such directory")

// prepare checks the schema version and, read-write, migrates and recovers.
func (s *Store) prepare(ctx context.Context, opts Options, st *pathState) error {
	readOnly := opts.ReadOnly
	if err := s.checkVersionTable(ctx); err != nil {
		return err
	}
	cur, err := currentVersion(ctx, s.db)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	latest := SchemaVersion()
	if cur == 0 {
		if err := s.checkForeign(ctx); err != nil {
			return err
		}
	} else if cur < latest {
		if err := s.checkClaimed(ctx, cur); err != nil {
			return err
		}
		if err := s.checkNotAhead(ctx, cur); err != nil {
			return err
		}
	}
	switch {
	case cur > latest:
		return errNewerSchema("store %s has schema version %d, newer than this aiecon understands (%d): upgrade aiecon", s.path, cur, latest)
	case cur < latest && readOnly && cur > 0 && opts.OlderSchema:
		return nil
	case cur < latest && readOnly:
		if cur == 0 {
			return fmt.Errorf("store %s has no aiecon schema: is it an aiecon store? (opening it once read-write creates the schema)", s.path)
		}
		return &OlderSchemaError{Path: s.path, Version: cur, Want: latest}
	case readOnly && opts.SkipTableCheck:
		return nil
	case readOnly:
		return s.checkTables(ctx, 0)
	}
	if err := migrate(ctx, s.db, latest); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	migratedFrom := 0
	if cur < latest {
		migratedFrom = cur
	}
	if migratedFrom > 0 && opts.OnMigrate != nil {
		opts.OnMigrate(s.path, migratedFrom, latest)
	}
	if err := s.checkTables(ctx, migratedFrom); err != nil {
		if opts.SkipTableCheck {
			return nil // recovery reads the tables it would trip on
		}
		return err
	}
	if err := s.recoverInterrupted(ctx, st); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	if err := s.removePartialRows(ctx, st); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	return nil
}

// recoverInterrupted marks failed every run left "running" that no RunWriter
// of this process is writing. Another process cannot be writing it: DuckDB
// gives one process at a time the file read-write, and we hold it. Its
// finished_at stays NULL: when the writer died is not known (nothing stamps
// its commits), and the time it was found would read as the run's end.
func (s *Store) recoverInterrupted(ctx context.Context, st *pathState) error {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, coalesce(writer_pid, 0), coalesce(writer_host, '') FROM runs WHERE status = 'running' ORDER BY run_id`)
	if err != nil {
		return fmt.Errorf("looking for interrupted runs: %w", err)
	}
	type orphan struct {
		id   string
		pid  int
		host string
	}
	var orphans []orphan
	for rows.Next() {
		var o orphan
		if err := rows.Scan(&o.id, &o.pid, &o.host); err != nil {
			rows.Close()
			return fmt.Errorf("looking for interrupted runs: %w", err)
		}
		if !st.isLive(o.id) {
			orphans = append(orphans, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking for interrupted runs: %w", err)
	}
	for _, o := range orphans {
		msg := fmt.Sprintf("interrupted: the writing process (PID %d on %s) stopped before the run finished; found when the store was next opened", o.pid, o.host)
		if _, err := s.db.ExecContext(ctx,
			`UPDATE runs SET status = 'failed', error = ? WHERE run_id = ? AND status = 'running'`,
			msg, o.id); err != nil {
			return fmt.Errorf("marking interrupted run %s failed: %w", o.id, err)
		}
	}
	return nil
}

// Path is the path the store was opened with.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// DB is the underlying database for the SQL console and other readers. It is
// closed by Close.
func (s *Store) DB() *sql.DB { return s.db }

// Close fails any run still being written through this Store (its data so
// far is kept), then closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	if s.key != "" && !s.readOnly {
		defer writing.Add(-1) // the checkpoint and DuckDB's close are done
	}
	var open []*RunWriter
	for w := range s.writers {
		open = append(open, w)
	}
	s.mu.Unlock()
	var errs []error
	for _, w := range open {
		// A writer answers Finish before it leaves s.writers, so a run that
		// has just completed may still be listed: that is not an error.
		if err := w.Fail(errors.New("the store was closed before the run finished")); err != nil && w.finalStatus() != StatusComplete {
			errs = append(errs, err)
		}
	}
	lastWriter := false
	if s.key != "" {
		lastWriter = s.state.storeClosed(s.key, s.roConfig)
	}
	s.mu.Lock()
	mapping.Close(&s.raw)
	for _, st := range s.stmts {
		st.Close()
	}
	s.mu.Unlock()
	var ckErr error
	if lastWriter {
		var err error
		if ckErr, err = s.checkpointOnClose(); err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	if err := s.db.Close(); err != nil {
		errs = append(errs, fmt.Errorf("closing the store %s: %w", s.path, err))
	}
	// DuckDB's own checkpoint on close tried again and says nothing: the
	// log left beside the file says it failed too.
	if ckErr != nil && s.warn != nil && hasLog(s.key) {
		s.warn(&CheckpointError{Path: s.path, Log: s.key + ".wal", Err: ckErr})
	}
	return errors.Join(errs...)
}

// CheckpointError says that the checkpoint a store makes as it closes
// failed, not on a damaged block (a full disk, say), and left the log: the
// runs written since the last checkpoint are only there. They are safe as
// long as the log stays beside the file: the next command that writes
// replays it and checks the file (a block the failed checkpoint wrote in
// part is repaired as a torn one).
type CheckpointError struct {
	Path, Log string
	Err       error
}

func (e *CheckpointError) Error() string {
	return fmt.Sprintf("the store %s: its checkpoint on closing failed (%s), so the runs written since the last one are only in its "+
		"write-ahead log %s: keep the log beside the store (copy or move both); the next command that writes folds it in "+
		"(free some space first if the disk is full)", e.Path, oneLine(e.Err), e.Log)
}

func (e *CheckpointError) Unwrap() error { return e.Err }

// storeClosed takes a closed Store, of DuckDB's read-only configuration or
// not, off the state's counts, waiting for an Open of the file in progress
// (Opens and Closes of one file are serialised); it reports whether that
// was the last read-write Store.
func (st *pathState) storeClosed(abs string, roConfig bool) (lastWriter bool) {
	st.open <- struct{}{}
	if roConfig {
		st.readOnly--
	} else {
		st.readWrite--
		lastWriter = st.readWrite <= 0
	}
	<-st.open
	st.unref(abs)
	return lastWriter
}

// checkpointOnClose folds the log into the file as the last read-write
// handle closes, as DuckDB would on shutdown, but where its error can be
// seen: DuckDB reports none from the checkpoint it makes while closing, and
// one that fails on a damaged block leaves the log beside the file, which
// the next open would read as a writer killed mid-checkpoint and repair as
// torn, vouching for a block nothing tore. A damaged file is closed without
// a checkpoint and set aside with its log (the runs written since the last
// checkpoint are in it), and the error says so; the next write starts a new
// store, and doctor copies what can be read. A checkpoint that failed
// otherwise (a full disk) is returned as failed, for Close to warn of if
// DuckDB's own leaves the log too.
func (s *Store) checkpointOnClose() (failed, err error) {
	_, cerr := s.db.Exec("CHECKPOINT")
	if cerr == nil {
		return nil, nil
	}
	if !isCorrupt(cerr) {
		return cerr, nil // DuckDB's own checkpoint on close tries again; Close warns if it left the log
	}
	s.db.Exec("PRAGMA disable_checkpoint_on_shutdown") //nolint:errcheck // the close below must not read the damaged block
	s.db.Close()
	ce := keepCorrupt(s.path, s.key, true, cerr, errDamagedUnderUs)
	var kept *CorruptError
	if errors.As(ce, &kept) && kept.KeptAs != "" {
		// Beside the kept file, so that doctor does not take it for a
		// checkpoint a kill tore (RepairCopy).
		if werr := os.WriteFile(kept.KeptAs+notTornSuffix, []byte(errDamagedUnderUs.Error()+"\n"), 0o644); werr != nil {
			return nil, errors.Join(ce, werr)
		}
	}
	return nil, ce
}

// notTornSuffix names the note beside a file set aside for damage that no
// kill caused (checkpointOnClose), which a repair must not treat as torn.
const notTornSuffix = ".not-torn"

// errDamagedUnderUs is why a store found damaged as it closed is not
// repaired.
var errDamagedUnderUs = errors.New("its checkpoint failed as the store closed, with no kill to tear it: the damage came from outside " +
	"aiecon (the disk, another program), and no repair can vouch for the damaged block")

// quoteLiteral quotes s as an SQL string literal, for the few statements
// (COPY) that take no parameters.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Sandboxed reports whether the store was opened in DuckDB's sandbox
// (read-only, and not sharing this process's read-write instance).
func (s *Store) Sandboxed() bool { return s.sandbox }
