package study

// What only study's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"io"
)

// LoadSpec is LoadSpecWith with no flags' overrides.
func LoadSpec(path string, extraSets []string) (*Spec, error) {
	return LoadSpecWith(path, extraSets, nil)
}

// WriteTable is WriteTableProse writing its notes as they are, one line
// each.
func (s *Summary) WriteTable(w io.Writer) error { return s.WriteTableProse(w, nil) }
