package data

import (
	"errors"
	"fmt"
	"strconv"

	"aiecon/model/format"
)

// roSettings are the settings of a read-only DuckDB instance of a file
// (Options.MemoryLimit and Threads; every one is sandboxed): DuckDB keeps one
// configuration per file and process, and refuses a second Open of the
// file with any other ("Can't open a connection to same database file
// with a different configuration"). Read-only Opens that share no
// read-write instance each ask for their own, so two of them with other
// threads (the dashboard's 1 beside a caller's default) met that refusal,
// and the message named only read-only versus read-write and the memory
// limit, not the threads that differed.
type roSettings struct {
	limit   string
	threads int
}

// settingsOf are the read-only settings s was opened with (fileDSN).
func settingsOf(s *Store) roSettings {
	return roSettings{limit: s.rawLimit, threads: s.rawThreads}
}

// clash is DuckDB's refusal (err, errOtherSettings) of a read-only Open
// whose settings (asked) are not those of the read-only instance the
// process holds (held), naming each that differs ("threads 1 (asked:
// DuckDB's default, one per core)"). DuckDB decides: settings that differ
// as written may be one configuration to it (a memory limit of 1GB and of
// 1000MB), so they are compared only once it has refused. err as it was
// where none differs.
func (held roSettings) clash(path string, asked roSettings, err error) error {
	var diffs []string
	differs := func(setting, held, asked string) {
		if held != asked {
			diffs = append(diffs, fmt.Sprintf("%s %s (asked: %s)", setting, held, asked))
		}
	}
	differs("threads", threadsText(held.threads), threadsText(asked.threads))
	differs("memory limit", held.limit, asked.limit)
	if len(diffs) == 0 {
		return err
	}
	return &settingsClash{err: err, msg: fmt.Sprintf("opening the store %s read-only: this process already has it open read-only with other "+
		"settings, and DuckDB holds one configuration per file and process: %s; open it with the same settings, or close the other first",
		path, format.ListAnd(diffs))}
}

// settingsClash is clash's error: its message in place of DuckDB's refusal
// (err), which it wraps.
type settingsClash struct {
	msg string
	err error
}

func (e *settingsClash) Error() string { return e.msg }
func (e *settingsClash) Unwrap() error { return e.err }

// threadsText names an Options.Threads: 0 is DuckDB's default.
func threadsText(n int) string {
	if n <= 0 {
		return "DuckDB's default, one per core"
	}
	return strconv.Itoa(n)
}

// errOtherSettings is DuckDB's refusal of a second configuration of a
// file this process holds (openError): which settings differ, where Open
// cannot tell, are named as any may.
var errOtherSettings = errors.New("this process already has it open with other settings (read-only versus read-write, " +
	"another memory limit or another thread count)")
