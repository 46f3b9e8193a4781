package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// exportTables are the tables of a run, each with the order its rows are
// written in so that two exports of a run are identical.
var exportTables = []struct{ table, order string }{
	{"runs", "run_id"},
	{"run_workloads", "workload"},
	{"replicas", "replica_id"},
	{"kpis", "scope, name"},
	{"windows", "start_ns"},
	{"requests", "request_id"},
	{"sessions", "session_id"},
	{"auctions", "auction_id, slot"},
}

// ExportTables names the tables Export writes, in order. latency_sketches
// is not one: its sketches are encoded DDSketches (a Go library's binary
// format, not a table an analyst reads), the source of the percentile KPIs
// that kpis holds.
func ExportTables() []string {
	names := make([]string, len(exportTables))
	for i, t := range exportTables {
		names[i] = t.table
	}
	return names
}

// ExportFormats lists the formats Export writes.
func ExportFormats() []string { return []string{"parquet", "csv"} }

// Export writes the tables of a run (ExportTables) into dir (created if missing) as
// TABLE.parquet (zstd-compressed) or TABLE.csv (with a header), and returns
// the files written. It works on a read-only store, sandboxed too (the
// dashboard's: see copyDB). A run whose writer died is exported as
// read-only commands show it (exportRunsRow). Temporary files of these
// tables that an export stopped by a kill left in dir are removed first,
// where it can tell that no running export owns them (lockExportDir), and
// reported through Options.OnWarning (*StaleTempsError).
func (s *Store) Export(ctx context.Context, id, format, dir string) ([]string, error) {
	var opts string
	switch format {
	case "parquet":
		opts = "FORMAT parquet, COMPRESSION zstd, " + noTmpFile
	case "csv":
		opts = "FORMAT csv, HEADER true, " + noTmpFile
	default:
		return nil, fmt.Errorf("exporting run %s: format %q is not parquet or csv", id, format)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("exporting run %s: %w", id, err)
	}
	db, done, err := s.copyDB(ctx, "allowed_directories", absDir+string(filepath.Separator))
	if err != nil {
		return nil, fmt.Errorf("exporting run %s: %w", id, err)
	}
	defer done()
	runsRow, err := s.exportRunsRow(ctx, db, id)
	if err != nil {
		return nil, fmt.Errorf("exporting run %s: %w", id, err)
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("exporting run %s: %w", id, err)
	}
	var bases []string
	for _, t := range exportTables {
		bases = append(bases, t.table+"."+format)
	}
	release := exportDir(dir, bases, s.warn)
	defer release()
	files, err := exportFiles(ctx, db, id, format, opts, dir, runsRow)
	if err != nil && errors.Is(statErr, fs.ErrNotExist) {
		os.Remove(dir) // only if empty: this call made it, and wrote nothing that stayed
	}
	return files, err
}

// exportRunsRow is what the export of run id selects from runs: the row as
// it is ("*"), or, for a run a writer that is gone left "running" (which
// read-only commands read as failed: orphaned), the row as they show it:
// failed, with the interrupted error and the counts of the records
// exported, which the file counts only at the next read-write open (and
// then deletes the records). The runs row exported said "running" with no
// error and no counts while show said FAILED.
func (s *Store) exportRunsRow(ctx context.Context, db *sql.DB, id string) (string, error) {
	var status string
	var pid sql.NullInt64
	var host, start sql.NullString
	err := db.QueryRowContext(ctx, `SELECT status, writer_pid, writer_host, writer_start FROM runs WHERE run_id = ?`, id).Scan(&status, &pid, &host, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrRunNotFound
	}
	if err != nil {
		return "", err
	}
	if !s.orphaned(&RunSummary{ID: id, Status: status, writerPID: int(pid.Int64), writerHost: host.String, writerStart: start.String}) {
		return "*", nil
	}
	count := func(table string) string {
		return fmt.Sprintf("(SELECT count(*) FROM %s WHERE run_id = %s) AS %s_stored", table, quoteLiteral(id), table)
	}
	return fmt.Sprintf("* REPLACE (%s AS status, %s AS error, %s, %s, %s, %s)", quoteLiteral(StatusFailed),
		quoteLiteral(interruptedError(int(pid.Int64), host.String)), count("requests"), count("sessions"), count("auctions"), count("windows")), nil
}

// exportFiles writes each table to a temporary file beside its own, and
// renames them all once every one is written: a failure (a full disk)
// left a truncated TABLE.parquet that read as the run's table. On failure
// it removes the temporary files and no other. A failed COPY leaves every
// file of an earlier export as it was; a rename that fails part-way does
// not (the files renamed before it already replaced the earlier export's,
// the rest are the earlier export's), so its error names both and the
// files returned are those written.
func exportFiles(ctx context.Context, db *sql.DB, id, format, opts, dir, runsRow string) (files []string, err error) {
	var temps []string
	defer func() {
		if err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
		}
	}()
	for _, t := range exportTables {
		file := filepath.Join(dir, t.table+"."+format)
		// The export's own temporary file: a name from the table alone was
		// shared by two exports into one folder (ExportTempPath).
		tmp := ExportTempPath(file)
		if err := reserve(tmp); err != nil {
			return nil, fmt.Errorf("exporting table %s of run %s to %s (nothing of the run was written): %w", t.table, id, file, err)
		}
		temps = append(temps, tmp)
		// COPY takes no parameters: the id is quoted as a literal.
		sel := "*"
		if t.table == "runs" {
			sel = runsRow
		}
		absTmp, err := filepath.Abs(tmp) // as copyDB allows it
		if err != nil {
			return nil, err
		}
		q := fmt.Sprintf(`COPY (SELECT %s FROM %s WHERE run_id = %s ORDER BY %s) TO %s (%s)`,
			sel, t.table, quoteLiteral(id), t.order, quoteLiteral(absTmp), opts)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("exporting table %s of run %s to %s (nothing of the run was written): %w", t.table, id, file, err)
		}
		files = append(files, file)
	}
	for i, file := range files {
		if err := os.Rename(temps[i], file); err != nil {
			return files[:i], renameErr(id, files, i, err)
		}
	}
	return files, nil
}

// renameErr says what a rename that failed at files[i] left in the folder:
// a mix of this export and an earlier one, which no one would guess from
// the rename error alone.
func renameErr(id string, files []string, i int, err error) error {
	names := func(fs []string) string {
		var b []string
		for _, f := range fs {
			b = append(b, filepath.Base(f))
		}
		return strings.Join(b, ", ")
	}
	done := "no file of it was moved in place"
	if i > 0 {
		done = fmt.Sprintf("%s of this export replaced any earlier ones", names(files[:i]))
	}
	return fmt.Errorf("exporting run %s: moving %s in place: %w; %s, and %s are as they were "+
		"(export again to a new folder for a whole set)", id, files[i], err, done, names(files[i:]))
}

// ExportQuery writes the whole result of q, a query CheckQuery accepts, to
// path with DuckDB's COPY: CSV with a header, or Parquet (zstd), as the
// extension says. It returns the rows written. It writes through a new
// temporary file (ExportTempPath); ExportQueryVia names it, for a caller
// that watches it grow.
func (s *Store) ExportQuery(ctx context.Context, q, path string) (int64, error) {
	return s.ExportQueryVia(ctx, q, path, ExportTempPath(path))
}

// ExportQueryVia is ExportQuery through the temporary file tmp, which it
// creates (it refuses one that exists: another export's) and removes when
// the export fails or is interrupted.
//
// A sandboxed store may not write files, so there the COPY runs in a
// private in-memory DuckDB that attaches the store file read-only: the
// sandbox still holds for everything the console runs, and this one
// statement, built here around a checked query, may write tmp and no
// other file (copyDB).
func (s *Store) ExportQueryVia(ctx context.Context, q, path, tmp string) (int64, error) {
	var opts string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		opts = "FORMAT csv, HEADER true, " + noTmpFile
	case ".parquet":
		opts = "FORMAT parquet, COMPRESSION zstd, " + noTmpFile
	default:
		return 0, fmt.Errorf("export: %q must end in .csv or .parquet", path)
	}
	absTmp, err := filepath.Abs(tmp)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	db, done, err := s.copyDB(ctx, "allowed_paths", absTmp)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer done()
	if err := CheckQuery(ctx, db, q); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	// Through a temporary file, as Export: a failed COPY left a truncated
	// file under the name asked for. The query starts on the wrapper's
	// first line, so that DuckDB's "LINE n" in an error is the user's.
	release := exportDir(filepath.Dir(path), []string{filepath.Base(path)}, s.warn)
	defer release()
	if err := reserve(tmp); err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	res, err := db.ExecContext(ctx, fmt.Sprintf("COPY (SELECT * FROM (%s\n) AS q) TO %s (%s)", q, quoteLiteral(absTmp), opts))
	if err == nil {
		err = os.Rename(tmp, path)
	} else {
		err = UserLine(err, q) // LINE 1 quoted the COPY around q
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// ExportTempPath is a new name for the temporary file an export to path
// writes before it takes path's place: hidden, beside it (a rename within
// the folder), and the export's own. The name depended on path alone, so
// two exports to one path (a dashboard's, a script's) wrote one file, and
// the one that failed or was stopped removed the file the other still
// wrote. ExportQueryVia creates it, and refuses to if it exists.
func ExportTempPath(path string) string {
	// Random, not unique: reserve makes it so. No I/O here (math/rand), so
	// that the dashboard can name it in Update and watch it.
	return filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%012x.aiecon-tmp", filepath.Base(path), rand.Uint64()>>16))
}

// folderError says what is wrong with an export's folder, and unwraps to
// the system's error (errors.Is(err, fs.ErrNotExist) still holds).
type folderError struct {
	msg string
	err error
}

func (e folderError) Error() string { return e.msg }
func (e folderError) Unwrap() error { return e.err }

// noTmpFile keeps DuckDB from writing a COPY through its own tmp_ file: the
// export's temporary file exists (reserve made it), and DuckDB, when the
// target exists, writes tmp_NAME beside it and renames; a COPY that failed
// (a full disk) left that tmp_ file behind, which nothing removed.
const noTmpFile = "USE_TMP_FILE false"

// reserve creates the temporary file tmp, empty, unless it exists (it is
// another export's, as os.CreateTemp does): COPY then writes over it.
// Its error names the folder, not the temporary file: "open
// /nonexistent/dir/.x.csv.db86e783316f.aiecon-tmp: no such file or
// directory" named a file the user never asked for.
func reserve(tmp string) error {
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	switch dir := filepath.Dir(tmp); {
	case errors.Is(err, fs.ErrNotExist):
		return folderError{"the folder " + dir + " does not exist", err}
	case errors.Is(err, fs.ErrPermission):
		return folderError{"no permission to write a file in the folder " + dir, err}
	case err != nil:
		return err
	}
	return f.Close()
}

// copyDB is the database a COPY to a file runs in: the store's own, or, for
// a sandboxed store (which may not write files), a private in-memory DuckDB
// that attaches the store file read-only and is then sandboxed itself,
// DuckDB's setting (allowed_paths or allowed_directories) opening only
// allowed, the file or folder the export writes. The in-memory DuckDB
// was not sandboxed, and the query runs the store's SQL: a view the file
// redefined over read_text(), or a macro named like a built-in that an
// export's SQL calls (count), read any local file into the export.
// done closes what copyDB opened. The in-memory DuckDB runs on one
// thread: an export is interrupted (its query limit, a key, the dashboard
// closing), and DuckDB 1.5 keeps an instance alive, with the file it
// attached open and locked against writers, when an interrupt lands
// while its worker threads run the query (Options.Threads).
func (s *Store) copyDB(ctx context.Context, setting, allowed string) (db *sql.DB, done func(), err error) {
	if !s.sandbox {
		return s.db, func() {}, nil
	}
	mem, err := sql.Open("duckdb", "?threads=1&memory_limit="+url.QueryEscape(s.rawLimit))
	if err != nil {
		return nil, nil, err
	}
	mem.SetMaxOpenConns(1) // USE holds for the one connection
	if _, err := mem.ExecContext(ctx, "ATTACH "+quoteLiteral(s.key)+" AS store (READ_ONLY); USE store"); err != nil {
		mem.Close()
		return nil, nil, fmt.Errorf("attaching %s: %w", s.path, err)
	}
	// Attached first: the sandbox would refuse the store file itself.
	lock := fmt.Sprintf("SET %s = [%s]", setting, quoteLiteral(allowed))
	for _, kv := range sandboxOptions {
		lock += fmt.Sprintf("; SET %s = %s", kv[0], kv[1])
	}
	if _, err := mem.ExecContext(ctx, lock); err != nil {
		mem.Close()
		return nil, nil, fmt.Errorf("sandboxing the export of %s: %w", s.path, err)
	}
	return mem, func() { mem.Close() }, nil
}
