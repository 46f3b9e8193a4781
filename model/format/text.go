package format

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// CutRunes is s cut after n runes with "…", and whether it was cut. It
// copies nothing it does not keep: a results cell can hold a gigabyte,
// of which a table shows a few hundred runes.
func CutRunes(s string, n int) (string, bool) {
	i := 0
	for at := range s {
		if i == n {
			return s[:at] + "…", true
		}
		i++
	}
	return s, false
}

// ListAnd lists items as a sentence does: "A", "A and B", "A, B and C"
// ("" for none).
func ListAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// ListFirst joins the first n items with ", " and counts the rest ("a, b
// and 19,980 more"): a list read from a user's file (a header's columns, a
// store's tables) may hold thousands, and one message printed them all.
func ListFirst(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %s more", strings.Join(items[:n], ", "), Thousands(int64(len(items)-n)))
}

// Plural is n and its noun, with an s unless n is 1: "1 worker", "2
// workers", "0 samples". Nouns whose plural is not an s take it by hand.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// FileKind names the type of a file that is not a regular file or a folder
// ("named pipe"), for a refusal to read or replace it: opening a named pipe
// waits for a writer, and reading a device may never end.
func FileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}
