package data

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// CorruptError says that DuckDB found the store damaged when opening it.
// A read-write Open sets the damaged file aside (renamed, with its
// write-ahead log, never deleted) so that the next write starts a new
// store; a read-only Open leaves it where it is.
type CorruptError struct {
	Path   string
	KeptAs string // where a read-write Open moved it; "" when it was not moved
	Err    error  // DuckDB's error
	// NotRepaired is why a read-write Open could not repair it as a
	// checkpoint torn by a kill or a failed write (RepairCopy); nil from a
	// read-only Open.
	NotRepaired error
}

func (e *CorruptError) Error() string {
	if e.KeptAs == "" {
		return fmt.Sprintf("the store %s is damaged (%v); it was left as it is: "+
			"the next command that writes repairs it if a kill or a failed write (a full disk) tore a checkpoint (`aiecon doctor --db %s` says whether), "+
			"and otherwise sets the damaged file aside and starts a new store; doctor also copies the complete runs DuckDB can still read into a new file",
			e.Path, oneLine(e.Err), e.Path)
	}
	why := ""
	if e.NotRepaired != nil {
		why = fmt.Sprintf(" It could not be repaired: %s.", oneLine(e.NotRepaired))
	}
	return fmt.Sprintf("the store %s is damaged (%v).%s It was kept, untouched, as %s (with its .wal if it had one) "+
		"and the next write starts a new store at %s; `aiecon doctor --db %s` copies the complete runs DuckDB can still read into a new file",
		e.Path, oneLine(e.Err), why, e.KeptAs, e.Path, e.KeptAs)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// corruptSigns are the words of DuckDB's errors for a damaged file: a block
// whose checksum fails, a header or a write-ahead log it cannot replay, a
// file cut short.
var corruptSigns = []string{"Corrupt database file", "computed checksum", "stored checksum", "replaying WAL", "replaying the WAL",
	"Could not read enough bytes"} // a file cut short: a block past its end

// LooksDamaged reports an error DuckDB raised reading a damaged block (a
// checksum that fails, a file cut short) that no CorruptError explains yet:
// a read that met the damage after the store opened.
func LooksDamaged(err error) bool {
	var ce *CorruptError
	return isCorrupt(err) && !errors.As(err, &ce)
}

// DamagedError names the store in which DuckDB met a damaged block: a
// command that reads stores other than --db (merge's inputs and output)
// must send the user's doctor to the damaged one, not to --db. Its message
// is DuckDB's error as it was; only the path travels with it.
type DamagedError struct {
	Path string
	Err  error
}

func (e *DamagedError) Error() string { return e.Err.Error() }

func (e *DamagedError) Unwrap() error { return e.Err }

// DamagedAt marks err as met in the store at path when it looks damaged
// (LooksDamaged) and names no store yet: the innermost code that knows
// which file it read names it, and what wraps it later keeps that name.
func DamagedAt(path string, err error) error {
	if !LooksDamaged(err) || DamagedStore(err) != "" {
		return err
	}
	return &DamagedError{Path: path, Err: err}
}

// DamagedStore is the path of the store a damaged-looking err was met in,
// "" when nothing named it (then it is the store the command opened).
func DamagedStore(err error) string {
	var de *DamagedError
	if errors.As(err, &de) {
		return de.Path
	}
	return ""
}

func isCorrupt(err error) bool {
	if err == nil {
		return false
	}
	var te *tornError
	if errors.As(err, &te) {
		return true
	}
	msg := err.Error()
	for _, s := range corruptSigns {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// keepCorrupt builds the CorruptError for the store at abs (given as path),
// moving it and its write-ahead log aside when move is set.
func keepCorrupt(path, abs string, move bool, err, notRepaired error) error {
	ce := &CorruptError{Path: path, Err: err, NotRepaired: notRepaired}
	if !move {
		return ce
	}
	kept, rerr := setAside(abs)
	ce.KeptAs = kept
	if rerr != nil {
		return errors.Join(ce, rerr)
	}
	return ce
}

// setAside renames the damaged file at abs to abs.corrupt-TIME, and its
// write-ahead log, if any, beside it; it returns the new name ("" when the
// file itself could not be moved).
func setAside(abs string) (kept string, err error) {
	kept = abs + ".corrupt-" + time.Now().UTC().Format("20060102T150405.000Z")
	if err := os.Rename(abs, kept); err != nil {
		return "", fmt.Errorf("setting %s aside: %w", abs, err)
	}
	if _, err := os.Stat(abs + ".wal"); err == nil {
		if err := os.Rename(abs+".wal", kept+".wal"); err != nil {
			return kept, fmt.Errorf("setting %s.wal aside: %w", abs, err)
		}
	}
	return kept, nil
}

func oneLine(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if len(msg) > 300 {
		msg = msg[:300] + "..."
	}
	return msg
}
