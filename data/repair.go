package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A torn checkpoint is the one damage a kill -9 does to a DuckDB 1.5.6 file
// that aiecon has seen (scripts/killtest.sh; docs/sweeps.md, Damaged
// stores): during a checkpoint DuckDB rewrites whole 256 KiB blocks in place,
// among them metadata blocks whose other 4 KiB parts the last durable
// checkpoint still uses, and Linux stops a buffered write between pages when
// SIGKILL arrives. The block is left part new, part old; the bytes the
// durable checkpoint reads are the same in both (DuckDB never changes what a
// durable checkpoint references: that is what makes its checkpoints safe
// against a crash between the writes and the header), but the block's
// checksum covers all of it and fails, and DuckDB refuses the file.
//
// RepairCopy recomputes the checksums of the torn blocks in a copy, lets
// DuckDB open it (replaying the write-ahead log), and keeps the copy only if
// every row of every table reads back, every complete run has the record
// counts it was stored with, and the file checkpoints with every checksum
// holding. The damaged original is never changed.

// maxTornBlocks bounds the damage taken for a torn checkpoint: a kill cuts
// the writes in flight, a few blocks at most. More failing blocks is damage
// of another kind, which a repair must not paper over.
const maxTornBlocks = 8

// RepairReport says what a repair of a torn checkpoint did and checked.
type RepairReport struct {
	Path   string     // the store repaired (or the copy written)
	Before BlockCheck // the damaged file's block check
	Tables int        // tables read in full
	Rows   int64      // rows read in full
	Runs   int        // complete runs whose record counts were checked
	KeptAs string     // where an in-place repair set the damaged original aside
}

// String says what was done in one line.
func (r RepairReport) String() string {
	blocks := make([]string, len(r.Before.Bad))
	for i, b := range r.Before.Bad {
		blocks[i] = fmt.Sprint(b)
	}
	noun := "block"
	if len(blocks) > 1 {
		noun = "blocks"
	}
	s := fmt.Sprintf("repaired a checkpoint torn by a kill or a failed write (a full disk): recomputed the checksum of %s %s (both headers intact), "+
		"then read back %d rows of %d tables and checked the record counts of %d complete runs",
		noun, strings.Join(blocks, ", "), r.Rows, r.Tables, r.Runs)
	if r.KeptAs != "" {
		s += "; the damaged original is kept, untouched, as " + r.KeptAs
	}
	return s
}

// testHookRepairCopied, set by tests, runs between the repair of the copy
// and the check that the file is still the damaged one.
var testHookRepairCopied func()

// errRepairedElsewhere says that another process repaired the store while
// this one was repairing it too.
var errRepairedElsewhere = errors.New("repaired by another process meanwhile")

// ErrNotTorn is returned (wrapped) by RepairCopy for a file whose damage is
// not that of a torn checkpoint, or that is not damaged at all.
var ErrNotTorn = errors.New("not a torn checkpoint")

// RepairCopy writes to out (which must not exist) a repaired copy of the
// DuckDB store at in, with its write-ahead log replayed, and checks it (see
// above). It changes nothing at in. On error nothing is left at out.
func RepairCopy(ctx context.Context, in, out string) (rep RepairReport, err error) {
	rep.Path = out
	if err := CheckPath(out); err != nil {
		return rep, fmt.Errorf("repairing %s: the output %w", in, err)
	}
	src := storeFile(in) // a link's target, beside which DuckDB keeps the log
	c, err := CheckBlocks(src)
	if err != nil {
		return rep, fmt.Errorf("repairing %s: %w", in, err)
	}
	rep.Before = c
	if why, err := os.ReadFile(src + notTornSuffix); err == nil {
		return rep, fmt.Errorf("repairing %s: %w: %s (%s)", in, ErrNotTorn, strings.TrimSpace(string(why)), src+notTornSuffix)
	}
	switch {
	case !c.Torn():
		return rep, fmt.Errorf("repairing %s: %w: %s", in, ErrNotTorn, c)
	case len(c.Bad) > maxTornBlocks:
		return rep, fmt.Errorf("repairing %s: %w: %d blocks fail their checksum, more than a kill tears (%d at most)", in, ErrNotTorn, len(c.Bad), maxTornBlocks)
	}
	// A checkpoint folds the write-ahead log into the file and removes the
	// log only once its header is written: a checkpoint cut short leaves the
	// log. A damaged block in a file without one happened some other way
	// (the disk, another program), and its bytes cannot be vouched for.
	if fi, err := os.Stat(src + ".wal"); err != nil || fi.Size() == 0 {
		return rep, fmt.Errorf("repairing %s: %w: %s, and no write-ahead log beside it, so no checkpoint was under way", in, ErrNotTorn, c)
	}
	if _, err := os.Lstat(out); err == nil {
		return rep, fmt.Errorf("repairing %s: %s exists; a repair writes a new file", in, out)
	}
	if _, err := os.Lstat(out + ".wal"); err == nil {
		// The copy of the log would overwrite it, and a failed repair
		// removes what it wrote there.
		return rep, fmt.Errorf("repairing %s: %s.wal exists; a repair writes a new file and its log", in, out)
	}
	defer func() {
		if err != nil {
			os.Remove(out)
			os.Remove(out + ".wal")
		}
	}()
	if err := copyStoreFiles(src, out); err != nil {
		return rep, fmt.Errorf("repairing %s: %w", in, err)
	}
	bad := c.Bad
	if c.ShortTail {
		// A block cut short by the end of the file was being added when the
		// kill came: past what the live header counts, no checkpoint uses
		// it, and the copy ends before it.
		last := bad[len(bad)-1]
		if last < c.HeaderBlocks {
			return rep, fmt.Errorf("repairing %s: %w: the file ends inside block %d, which its header counts", in, ErrNotTorn, last)
		}
		bad = bad[:len(bad)-1]
		if err := os.Truncate(out, int64(duckBlocksStart)+int64(last)*int64(c.BlockSize)); err != nil {
			return rep, fmt.Errorf("repairing %s: %w", in, err)
		}
	}
	if err := rewriteChecksums(out, c.BlockSize, bad); err != nil {
		return rep, fmt.Errorf("repairing %s: %w", in, err)
	}
	if err := verifyRepaired(ctx, out, &rep); err != nil {
		return rep, fmt.Errorf("repairing %s: the repaired copy does not hold up, so it was discarded: %w", in, err)
	}
	after, err := CheckBlocks(out)
	if err != nil || len(after.Bad) > 0 {
		return rep, fmt.Errorf("repairing %s: the repaired copy does not check after its checkpoint (%v; %v)", in, after, err)
	}
	return rep, nil
}

// copyStoreFiles copies the database file and its write-ahead log and makes
// the copies durable.
func copyStoreFiles(in, out string) error {
	if err := copyFileSync(in, out); err != nil {
		return err
	}
	return copyFileSync(in+".wal", out+".wal")
}

func copyFileSync(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copying %s to %s: %w", from, to, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("copying %s to %s: %w", from, to, err)
	}
	return dst.Close()
}

// rewriteChecksums stores, in the first 8 bytes of each listed block, the
// checksum of what the block now holds.
func rewriteChecksums(path string, blockSize int, ids []int) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	blk := make([]byte, blockSize)
	for _, id := range ids {
		off := int64(duckBlocksStart) + int64(id)*int64(blockSize)
		if _, err := f.ReadAt(blk, off); err != nil {
			return fmt.Errorf("block %d: %w", id, err)
		}
		binary.LittleEndian.PutUint64(blk, duckChecksum(blk[8:]))
		if _, err := f.WriteAt(blk[:8], off); err != nil {
			return fmt.Errorf("block %d: %w", id, err)
		}
	}
	return f.Sync()
}

// verifyRepaired opens the repaired copy read-write (DuckDB replays its
// log), reads every row of every table (DuckDB checks the checksum of every
// block it reads), looks up every run by its key (the index blocks), checks
// the complete runs' record counts, and checkpoints.
func verifyRepaired(ctx context.Context, path string, rep *RepairReport) error {
	db, err := sql.Open("duckdb", fileDSN(path, DefaultMemoryLimit, 0))
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tables, err := queryStrings(ctx, conn, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("listing tables: %w", err)
	}
	for _, t := range tables {
		var n int64
		var h sql.NullString
		q := fmt.Sprintf(`SELECT count(*), sum(hash(t))::VARCHAR FROM main.%s t`, QuoteIdent(t))
		if err := conn.QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
			return fmt.Errorf("reading table %s in full: %w", t, err)
		}
		rep.Tables++
		rep.Rows += n
	}
	if err := checkRunCounts(ctx, conn, tables, rep); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpointing: %w", err)
	}
	conn.Close()
	return db.Close()
}

// runCountColumns pairs each record table with the runs column that counts
// a run's rows in it.
var runCountColumns = [][2]string{{"requests", "requests_stored"}, {"sessions", "sessions_stored"},
	{"auctions", "auctions_stored"}, {"windows", "windows_stored"}}

// checkRunCounts checks that each complete run has, in each record table,
// the number of rows it was stored with, and that every run is found by its
// key.
func checkRunCounts(ctx context.Context, conn *sql.Conn, tables []string, rep *RepairReport) error {
	if !slices.Contains(tables, "runs") {
		return nil
	}
	ids, err := queryStrings(ctx, conn, `SELECT run_id FROM runs ORDER BY run_id`)
	if err != nil {
		return fmt.Errorf("listing runs: %w", err)
	}
	for _, id := range ids {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE run_id = ?`, id).Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("looking up run %s by its key: %d rows (%v)", id, n, err)
		}
	}
	for _, tc := range runCountColumns {
		if !slices.Contains(tables, tc[0]) {
			continue
		}
		var bad sql.NullString
		q := fmt.Sprintf(`SELECT string_agg(r.run_id, ', ') FROM runs r
			LEFT JOIN (SELECT run_id, count(*) AS n FROM main.%s GROUP BY run_id) c USING (run_id)
			WHERE r.status = 'complete' AND r.%s IS NOT NULL AND r.%s <> coalesce(c.n, 0)`, tc[0], tc[1], tc[1])
		if err := conn.QueryRowContext(ctx, q).Scan(&bad); err != nil {
			return fmt.Errorf("counting %s per run: %w", tc[0], err)
		}
		if bad.Valid {
			return fmt.Errorf("complete runs with other than their stored count of %s: %s", tc[0], bad.String)
		}
	}
	return conn.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE status = 'complete'`).Scan(&rep.Runs)
}

// QuoteIdent quotes a name (a table, a column) for DuckDB's SQL.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// repairInPlace repairs the torn store at abs (given as path): a repaired,
// checked copy beside it takes its place, and the damaged file and its log
// are kept as PATH.corrupt-TIME.
func repairInPlace(ctx context.Context, path, abs string) (RepairReport, error) {
	removeStaleRepairs(abs, time.Now())
	stamp := time.Now().UTC().Format("20060102T150405.000Z")
	work := fmt.Sprintf("%s.repair-%s-%d", abs, stamp, os.Getpid())
	damaged, err := os.Stat(abs)
	if err != nil {
		return RepairReport{}, fmt.Errorf("repairing %s: %w", path, err)
	}
	rep, err := RepairCopy(ctx, abs, work)
	if err != nil {
		return rep, err
	}
	if testHookRepairCopied != nil {
		testHookRepairCopied()
	}
	// Another process that found the same damage may have put its repaired
	// copy in place meanwhile, and may be writing to it: moving that aside
	// would lose its runs. Use its repair instead.
	if now, err := os.Stat(abs); err != nil || !os.SameFile(damaged, now) {
		os.Remove(work)
		os.Remove(work + ".wal")
		return rep, errRepairedElsewhere
	}
	kept, err := setAside(abs)
	if kept == "" {
		os.Remove(work)
	}
	if err != nil {
		return rep, fmt.Errorf("repairing %s: %w (the repaired store is %s)", path, err, work)
	}
	if err := os.Rename(work, abs); err != nil {
		return rep, fmt.Errorf("repairing %s: putting the repaired store in place: %w (it is %s; the damaged one %s)", path, err, work, kept)
	}
	if _, err := os.Stat(work + ".wal"); err == nil { // the copy closed with a checkpoint, which leaves none
		os.Rename(work+".wal", abs+".wal") //nolint:errcheck // DuckDB replays it if it is there
	}
	syncDir(filepath.Dir(abs))
	rep.Path, rep.KeptAs = path, kept
	return rep, nil
}

// staleRepairAge is how old a repair's work copy must be before another
// repair removes it: a repair copies a store in seconds to minutes.
const staleRepairAge = time.Hour

// removeStaleRepairs removes the work copies (PATH.repair-TIME-PID and their
// logs) that repairs killed half-way left beside the store at abs: those of
// a process that is gone, an hour or more old. Each is a partial copy of
// the damaged store, which the finished repair keeps whole as
// PATH.corrupt-TIME, so nothing is lost.
func removeStaleRepairs(abs string, now time.Time) {
	matches, _ := filepath.Glob(abs + ".repair-*")
	for _, m := range matches {
		base := strings.TrimSuffix(m, ".wal")
		pid, err := strconv.Atoi(base[strings.LastIndexByte(base, '-')+1:])
		if err != nil {
			continue
		}
		fi, err := os.Stat(m)
		if err != nil || now.Sub(fi.ModTime()) < staleRepairAge || processAlive(pid) {
			continue
		}
		os.Remove(m)
	}
}

// processAlive reports whether process pid exists (signal 0 delivers
// nothing; where the platform cannot tell, the age bound alone decides).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// syncDir makes the renames in dir durable; where a directory cannot be
// synced (some file systems refuse) the rename stands all the same.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() //nolint:errcheck // best effort, see above
		d.Close()
	}
}
