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
		return fmt.Errorf("%s is %w %s: put the store back beside it (it holds runs not yet checkpointed into it), "+
			"or delete the log to start a new store", log, ErrOrphanLog, store)
	}
	return nil
}
