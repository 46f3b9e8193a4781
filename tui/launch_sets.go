package tui

import (
	"fmt"
	"strings"
	"unicode"
)

// splitSets splits the "More --set" field into path=value words as a shell
// would split the flags' values: at spaces, except inside quotes, which
// are removed ('a b' is a b), and inside a YAML flow value's braces or
// brackets ({dist: lognormal, median: 1} is one value), whose own quotes
// are YAML's and kept. strings.Fields cut such a value at its spaces.
func splitSets(s string) ([]string, error) {
	var out []string
	var word strings.Builder
	started, depth := false, 0
	var quote rune // the open quote, 0 outside one
	keep := false  // the open quote is inside a flow value: YAML's, kept
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
				if !keep {
					continue
				}
			}
		case r == '\'' || r == '"':
			quote, keep, started = r, depth > 0, true
			if !keep {
				continue
			}
		case r == '{' || r == '[':
			depth++
		case (r == '}' || r == ']') && depth > 0:
			depth--
		case unicode.IsSpace(r) && depth == 0:
			if started {
				out = append(out, word.String())
				word.Reset()
				started = false
			}
			continue
		}
		word.WriteRune(r)
		started = true
	}
	if quote != 0 {
		return nil, fmt.Errorf("the quote %c is not closed", quote)
	}
	if started {
		out = append(out, word.String())
	}
	return out, nil
}
