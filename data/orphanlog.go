package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrOrphanLog is returned (wrapped) by Open, and by the commands' other
// ways into a store (doctor, merge's inputs), when the store's write-ahead
// log is there and the store itself is not: the store was moved or deleted
// and its log left behind, say after a kill. The log holds the runs
// committed since the store's last checkpoint, and nothing else does: DuckDB,
// creating a new store at the path, deletes a log it finds there, and a
// read-only open said "no such store" though the log was there. So nothing
// opens such a path until the user puts the store back or deletes the log.
var ErrOrphanLog = errors.New("a write-ahead log without its store")

// CheckOrphanLog returns an error wrapping ErrOrphanLog when the store at
// path is missing and a non-empty write-ahead log is there in its place (an
// empty one holds nothing to lose), and nil otherwise.
// For a link whose target is missing, the log beside the target counts too
// (DuckDB keeps a linked store's log there).
func CheckOrphanLog(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	stores := []string{path}
	if f := storeFile(path); filepath.Clean(f) != filepath.Clean(path) {
		stores = append(stores, f)
	}
	for _, store := range stores {
		log := store + ".wal"
		if fi, err := os.Stat(log); err != nil || (fi.Mode().IsRegular() && fi.Size() == 0) {
			continue
		}
		return fmt.Errorf("%s is %w %s: put that same store back beside it (it holds runs not yet checkpointed into it; "+
			"DuckDB applies it to whatever file is there, so not a backup or another copy), "+
			"or delete the log to start a new store or restore a backup, losing those runs", log, ErrOrphanLog, store)
	}
	return nil
}

// LogReplayedError is Open's warning (Options.OnWarning) that the store
// had a write-ahead log beside it as it was opened, with no other Open of
// it in this process: a writer that stopped without closing it (a kill, a
// failed checkpoint) left it, and DuckDB has replayed it onto the file.
// DuckDB 1.5.6 cannot tell a log from the file it was written for: one
// left by a killed writer was replayed without a word onto whatever file
// was put at the path since (a backup restored, another store copied
// there), whose rows its updates and deletes then hit by row id. The
// warning cannot undo that; it says that it happened, and what to check.
type LogReplayedError struct {
	Path, Log string
	ReadOnly  bool
}

func (e *LogReplayedError) Error() string {
	applied := "DuckDB has replayed it into the store (it holds runs committed since the last checkpoint)"
	if e.ReadOnly {
		applied = "DuckDB replays it into what read-only commands see (the next command that writes folds it into the file)"
	}
	return fmt.Sprintf("the store %s had a write-ahead log %s beside it, left by a writer that stopped without closing the store "+
		"(killed, or its checkpoint failed): %s. A log belongs to the file its writer had open: if %s is another file put there since "+
		"(a backup restored, another store copied in), the log's changes went into the wrong store: "+
		"put that file there again with no log beside it", e.Path, e.Log, applied, e.Path)
}
