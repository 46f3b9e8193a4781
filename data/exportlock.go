package data

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// StaleTempsError tells, through Options.OnWarning, of the temporary files
// an export removed: an earlier export into the folder that was stopped
// (kill -9) left them, as large as the tables, hidden.
type StaleTempsError struct {
	Dir   string
	Files []string // base names
}

func (e *StaleTempsError) Error() string {
	return fmt.Sprintf("removed %d temporary files that an export into %s left when it was stopped: %s",
		len(e.Files), e.Dir, strings.Join(e.Files, ", "))
}

// isTempOf reports whether name is a temporary file ExportTempPath names
// for the target base: .BASE.<12 hex digits>.aiecon-tmp.
func isTempOf(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base+".")
	if !ok {
		return false
	}
	hex, ok := strings.CutSuffix(rest, ".aiecon-tmp")
	if !ok || len(hex) != 12 {
		return false
	}
	return strings.Trim(hex, "0123456789abcdef") == ""
}

// removeStaleTemps removes the files in dir that are temporary files of the
// targets bases (isTempOf), which the caller knows no running export owns
// (lockExportDir), and returns their names.
func removeStaleTemps(dir string, bases []string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		for _, b := range bases {
			if isTempOf(e.Name(), b) && os.Remove(filepath.Join(dir, e.Name())) == nil {
				removed = append(removed, e.Name())
				break
			}
		}
	}
	return removed
}

// exportDir takes dir for an export whose targets are bases (the files it
// will write there), removing first the temporary files of those targets
// that no running export owns, and reports them through warn. release
// lets dir go once the export's temporary files are renamed or removed.
func exportDir(dir string, bases []string, warn func(error)) (release func()) {
	release, removed := lockExportDir(dir, bases)
	if len(removed) > 0 && warn != nil {
		warn(&StaleTempsError{Dir: dir, Files: removed})
	}
	return release
}
